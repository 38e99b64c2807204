# cmake --install yields a working binary, man page and completions; cpack builds a .deb.
source "$(dirname "$0")/lib/common.sh"
run cmake --install "$BUILD_DIR" --prefix "$WORK/prefix"
expect_rc 0
run "$WORK/prefix/bin/annals" --version
expect_rc 0
expect_out "annals "
for f in share/man/man1/annals.1 share/bash-completion/completions/annals share/zsh/site-functions/_annals; do
    CHECKS=$((CHECKS + 1))
    [ -s "$WORK/prefix/$f" ] || fail "not installed: $f"
done
if command -v man > /dev/null; then
    run env MANPATH="$WORK/prefix/share/man" MANWIDTH=80 man annals
    expect_out "annals"
    expect_out "EXIT STATUS"
fi
if command -v dpkg-deb > /dev/null; then
    run cpack -G DEB -B "$WORK/deb" --config "$BUILD_DIR/CPackConfig.cmake"
    expect_rc 0
    deb=$(ls "$WORK"/deb/*.deb 2>/dev/null | head -1)
    run dpkg-deb -c "$deb"
    expect_out "./usr/bin/annals"
    expect_out "./usr/share/man/man1/annals.1"
    run dpkg-deb -f "$deb" Depends
    expect_out "libyaml-0-2"
fi
finish

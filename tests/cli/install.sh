# cmake --install yields a working binary, man page and completions where a
# packager expects them; cpack builds a .deb with them.
source "$(dirname "$0")/lib/common.sh"
P="$WORK/prefix"
run cmake --install "$BUILD_DIR" --prefix "$P"
expect_rc 0

run "$P/bin/annals" --version
expect_rc 0
expect_eq "$OUT" "$("$ANNALS" --version)" "installed --version"
for f in share/man/man1/annals.1 share/bash-completion/completions/annals share/zsh/site-functions/_annals; do
    CHECKS=$((CHECKS + 1))
    [ -s "$P/$f" ] || fail "not installed: $f"
done
CHECKS=$((CHECKS + 1))
cmp -s "$P/share/man/man1/annals.1" "$SRC/man/annals.1" || fail "the installed man page differs"

# man annals finds the page under the prefix.
if command -v man > /dev/null; then
    run env MANPATH="$P/share/man" MANWIDTH=80 man annals
    expect_rc 0
    expect_out "EXIT STATUS"
    run env MANPATH="$P/share/man" man -w annals
    expect_eq "$OUT" "$P/share/man/man1/annals.1" "man -w annals"
fi

# The installed bash completion, with the installed binary on the PATH.
run env PATH="$P/bin:$PATH" bash -c \
    'source "$1"; COMP_WORDS=(annals re); COMP_CWORD=1; _annals; echo "${COMPREPLY[@]}"' \
    _ "$P/share/bash-completion/completions/annals"
expect_eq "$OUT" "report" "installed bash completion"

# A Debian package, when dpkg-deb is there to read it.
if command -v dpkg-deb > /dev/null; then
    run cpack -G DEB -B "$WORK/deb" --config "$BUILD_DIR/CPackConfig.cmake"
    expect_rc 0
    deb=$(ls "$WORK"/deb/*.deb 2>/dev/null | head -1)
    CHECKS=$((CHECKS + 1))
    [ -n "$deb" ] || fail "cpack made no .deb"
    run dpkg-deb -c "$deb"
    for f in ./usr/bin/annals ./usr/share/man/man1/annals.1 \
             ./usr/share/bash-completion/completions/annals ./usr/share/zsh/site-functions/_annals; do
        expect_out " $f"
    done
    run dpkg-deb -f "$deb" Package Depends Maintainer
    expect_out "Package: annals"
    expect_out "Depends: libsqlite3-0"
    expect_out "libyaml-0-2"
    expect_out "Maintainer: annals maintainers"
    # The packaged binary runs.
    mkdir x && dpkg-deb -x "$deb" x
    run x/usr/bin/annals --version
    expect_rc 0
fi
finish

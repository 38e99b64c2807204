# Help for every command lists every option, and the man page documents them all.
source "$(dirname "$0")/lib/common.sh"

run "$ANNALS" --help
expect_rc 0
commands=$("$ANNALS" complete commands)
for c in $commands; do
    expect_out "  $c "
done
run "$ANNALS" --version
expect_rc 0
expect_out "annals "
run "$ANNALS"
expect_rc 2
run "$ANNALS" nonsense
expect_rc 2
expect_err "try 'annals --help'"

MAN="$SRC/man/annals.1"
for c in $commands; do
    run "$ANNALS" "$c" --help
    expect_rc 0
    expect_out "usage: annals $c"
    run "$ANNALS" help "$c"
    expect_out "usage: annals $c"
    # Every option of the help is in the table of options and in the man page.
    for o in $("$ANNALS" complete options "$c"); do
        run "$ANNALS" "$c" --help
        expect_out "$o"
        CHECKS=$((CHECKS + 1))
        grep -q -- "Fl \\\\-${o#--}" "$MAN" || fail "man page lacks $o of $c"
    done
    CHECKS=$((CHECKS + 1))
    grep -q "^\.It Cm .*$c" "$MAN" || fail "man page lacks the command $c"
    # A usage error: one line, a hint, exit 2.
    run "$ANNALS" "$c" --no-such-option
    expect_rc 2
    expect_err "try 'annals $c --help'"
done

# The man page renders without warnings.
if command -v man > /dev/null; then
    run sh -c "MANWIDTH=80 man --warnings -l '$MAN' 2>&1 >/dev/null"
    expect_eq "$OUT" "" "man warnings"
    run sh -c "MANWIDTH=80 man -l '$MAN'"
    expect_out "EXIT STATUS"
    expect_out "annals report --actor ISIS --from 2019"
else
    fail "man is not installed (scripts/deps.sh test installs man-db)"
fi
finish

# --help, --version, help COMMAND and usage errors, for annals and every command.
source "$(dirname "$0")/lib/common.sh"

run "$ANNALS" --help
expect_rc 0
expect_out "usage: annals"
expect_out "exit codes: 0 success, 1 the data has errors, 2 wrong usage,"
# The commands of the help, as it lists them (the hidden 'complete' is not one).
commands=$(printf '%s\n' "$OUT" | awk '/^commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
expect_eq "$(echo $commands)" "check load report show actors places sources types tags roles diff log new date serve lsp" "commands in --help"
expect_eq "$("$ANNALS" complete commands | tr '\n' ' ')" "$(echo $commands) " "complete commands"
expect_no_out "complete "
for h in -h help; do
    run "$ANNALS" $h
    expect_rc 0
    expect_out "usage: annals"
done

run "$ANNALS" --version
expect_rc 0
[[ $OUT =~ ^annals\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version: '$OUT'"

# Misuse: the help or a one-line message and a hint on stderr, exit 2, nothing on stdout.
run "$ANNALS"
expect_rc 2
expect_eq "$OUT" "" "stdout of annals alone"
expect_err "usage: annals"
run "$ANNALS" repotr
expect_rc 2
expect_eq "$ERR" "annals: unknown command 'repotr' (did you mean 'report'?)
try 'annals --help'" "unknown command"
run "$ANNALS" --nonsense
expect_rc 2
expect_eq "$ERR" "annals: unknown option '--nonsense'
try 'annals --help'" "unknown option"
run "$ANNALS" help nonsense
expect_rc 2
expect_err "try 'annals --help'"

for c in $commands complete; do
    run "$ANNALS" "$c" --help
    expect_rc 0
    expect_out "usage: annals $c "
    expect_out "  -h, --help "
    expect_eq "$ERR" "" "stderr of $c --help"
    help=$OUT
    run "$ANNALS" "$c" -h
    expect_eq "$OUT" "$help" "$c -h"
    run "$ANNALS" help "$c"
    expect_rc 0
    expect_eq "$OUT" "$help" "help $c"
    # Every option the command takes is in its help, with a description.
    for o in $("$ANNALS" complete options "$c"); do
        CHECKS=$((CHECKS + 1))
        printf '%s\n' "$help" | grep -Eq -- "^  (-., |    )$o( [A-Z]+)? +[a-z]" \
            || fail "$c --help lacks $o (or its description)"
    done
    # A usage error: one line, a hint, exit 2.
    run "$ANNALS" "$c" --no-such-option
    expect_rc 2
    expect_eq "$ERR" "annals $c: unknown option '--no-such-option'
try 'annals $c --help'" "$c usage error"
done

# An option without its value, a value a flag does not take, a bad value.
run "$ANNALS" report --format
expect_rc 2
expect_eq "$ERR" "annals report: option '--format' needs a value (FORMAT)
try 'annals report --help'" "missing value"
run "$ANNALS" check --strict=yes
expect_rc 2
expect_err "option '--strict' takes no value"
run "$ANNALS" report --format=pdf
expect_rc 2
expect_err "unknown format 'pdf'"
run "$ANNALS" actors -f xml
expect_rc 2
expect_eq "$ERR" "annals actors: unknown format 'xml' (text, json or csv)
try 'annals actors --help'" "unknown format, listed"

# A typo of an option or of a value gets the closest, as a typo of a command does.
run "$ANNALS" report --acter isis
expect_rc 2
expect_eq "$ERR" "annals report: unknown option '--acter' (did you mean '--actor'?)
try 'annals report --help'" "option typo"
run "$ANNALS" report --regoin=iraq
expect_rc 2
expect_err "unknown option '--regoin=iraq' (did you mean '--region'?)"
run "$ANNALS" check --stirct
expect_rc 2
expect_err "annals check: unknown option '--stirct' (did you mean '--strict'?)"
run "$ANNALS" report -f jsno
expect_rc 2
expect_eq "$ERR" "annals report: unknown format 'jsno' (did you mean 'json'?)
try 'annals report --help'" "format typo"
run "$ANNALS" load --format tex
expect_rc 2
expect_err "annals load: unknown format 'tex' (did you mean 'text'?)"
run "$ANNALS" date -f jsn 2019
expect_rc 2
expect_err "annals date: unknown format 'jsn' (did you mean 'json'?)"
run "$ANNALS" report --lanes regions
expect_rc 2
expect_err "annals report: unknown lanes 'regions' (did you mean 'region'?)"
finish

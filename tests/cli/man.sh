# The man page documents every command and every option of its --help (both
# ways, so the two cannot drift apart), and renders without warnings.
source "$(dirname "$0")/lib/common.sh"
MAN="$SRC/man/annals.1"

# man_item CMD: CMD's item in the man page's command list, nested lists included.
man_item() {
    awk -v cmd="$1" '
        /^\.Ss Commands$/ { insec = 1; next }
        insec && /^\.S[sh] / { exit }
        !insec { next }
        /^\.Bl/ { depth++ }
        depth == 1 && /^\.It Cm / { on = ($3 == cmd) }
        on { print }
        /^\.El/ { depth-- }
    ' "$MAN"
}

# help_items CMD: the man page's .It line for each option in CMD's --help
# ("-f, --format FORMAT" is ".It Fl f , Fl \-format Ar format").
help_items() {
    local re='^  (-(.), |    )--([a-z-]+)( ([A-Z]+))? ' line item
    "$ANNALS" "$1" --help | awk '/^options:$/ { on = 1; next } /^$/ { on = 0 } on' |
    while IFS= read -r line; do
        [[ $line =~ $re ]] || { echo "UNPARSED: $line"; continue; }
        [ "${BASH_REMATCH[3]}" = help ] && continue
        item=".It Fl"
        [ -n "${BASH_REMATCH[2]}" ] && item="$item ${BASH_REMATCH[2]} , Fl"
        item="$item \\-${BASH_REMATCH[3]}"
        [ -n "${BASH_REMATCH[5]}" ] && item="$item Ar ${BASH_REMATCH[5],,}"
        printf '%s\n' "$item"
    done
}

commands="$("$ANNALS" complete commands) complete"
expect_eq "$(echo $commands)" "check load report show actors places sources types tags roles diff log new date serve lsp complete" "commands"
for c in $commands; do
    item=$(man_item "$c")
    CHECKS=$((CHECKS + 1))
    [ -n "$item" ] || { fail "the man page has no item for the command $c"; continue; }
    expected=$(help_items "$c")
    CHECKS=$((CHECKS + 1))
    case $expected in *UNPARSED*) fail "$c --help: an option line this test cannot read: $expected" ;; esac
    # Every option of --help is documented, with its short form and argument.
    while IFS= read -r e; do
        [ -z "$e" ] && continue
        CHECKS=$((CHECKS + 1))
        printf '%s\n' "$item" | grep -qxF -- "$e" || fail "man page, command $c: no '$e'"
    done <<< "$expected"
    # Every option the man page documents for the command is in its --help.
    while IFS= read -r d; do
        CHECKS=$((CHECKS + 1))
        printf '%s\n' "$expected" | grep -qxF -- "$d" || fail "man page, command $c: '$d' is not in --help"
    done < <(printf '%s\n' "$item" | grep '^\.It Fl')
done
grep -qxF '.It Cm help Op Ar command' "$MAN" || fail "man page lacks the help command"
grep -qF 'Fl h , Fl \-help' "$MAN" || fail "man page lacks -h, --help"
CHECKS=$((CHECKS + 2))
# The synopsis names every command people use; the exit codes are all there.
synopsis=$(awk '/^\.Sh SYNOPSIS/ { on = 1; next } /^\.Sh / { on = 0 } on' "$MAN")
for c in $("$ANNALS" complete commands) help; do
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$synopsis" | grep -qE "^\.Cm .*\b$c\b" || fail "the synopsis lacks $c"
done
exits=$(awk '/^\.Sh EXIT STATUS/ { on = 1; next } /^\.Sh / { on = 0 } on && /^\.It [0-9]/ { print $2 }' "$MAN")
expect_eq "$(echo $exits)" "0 1 2 3" "exit codes"

# The diagnostic form the man page states and docs/editors.md hands to VS
# Code and Vim (file:line:col: severity: message) is the one annals prints.
re=$(sed -n 's/^ *"regexp": "\(.*\)",$/\1/p' "$SRC/docs/editors.md" | sed 's/\\\\/\\/g')
expect_eq "$re" '^(.+?):(\d+):(\d+): (error|warning|note): (.*)$' "the VS Code pattern in docs/editors.md"
run "$ANNALS" check "$DATA/schema-invalid"
expect_rc 1
matched=$(printf '%s\n' "$OUT" | grep -cP -- "$re")
expect_eq "$(printf '%s\n' "$OUT" | grep -c "^$DATA/schema-invalid/[a-z-]*\.yaml:[0-9]*:[0-9]*: ")" "$matched" \
    "diagnostic lines the VS Code pattern matches"
if command -v jq > /dev/null; then
    expect_eq "$("$ANNALS" check --format json "$DATA/schema-invalid" | jq '[.[] | 1 + (.notes | length)] | add')" \
        "$matched" "diagnostics and notes in JSON"
fi

# It renders, without warnings, with every section in place.
if ! command -v man > /dev/null; then
    fail "man is not installed (scripts/deps.sh test installs man-db)"
    finish
    exit 1
fi
run env MANWIDTH=80 man --warnings -l "$MAN"
expect_rc 0
expect_eq "$ERR" "" "warnings of man --warnings"
for s in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES "EXIT STATUS" EXAMPLES DIAGNOSTICS "SEE ALSO"; do
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$OUT" | grep -q "^$s\$" || fail "the rendered page lacks the section $s"
done
expect_out "2014-22/2019-03"
expect_out "annals report --actor ISIS --from 2019"
if command -v groff > /dev/null; then
    run groff -mandoc -ww -z "$MAN"
    expect_eq "$OUT$ERR" "" "groff -ww warnings"
fi
if command -v mandoc > /dev/null; then
    run mandoc -T lint -W warning "$MAN"
    expect_eq "$OUT$ERR" "" "mandoc -T lint"
fi
finish

# The bash completion script loads and completes commands, formats and ids.
source "$(dirname "$0")/lib/common.sh"
"$ANNALS" load -q --db t.db "$SRC/data" || fail "load"
complete_words() {   # complete_words WORD...: what completing the last word offers
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _annals; echo "${COMPREPLY[*]}"' \
        _ "$SRC/completions/annals.bash" "$@"
}
expect_eq "$(complete_words "$ANNALS" rep)" "report" "command"
expect_eq "$(complete_words "$ANNALS" report --format "")" "text markdown html json csv timelinejs geojson" "report formats"
expect_eq "$(complete_words "$ANNALS" check --format "")" "text json" "check formats"
expect_eq "$(complete_words "$ANNALS" report --db t.db --actor is)" "is-greater-sahara islamic-state" "actor ids"
expect_eq "$(complete_words "$ANNALS" report --db t.db --region m)" "mali menaka middle-east" "place ids"
expect_eq "$(complete_words "$ANNALS" show --db t.db rome-m)" "rome-meeting" "show ids"
expect_eq "$(complete_words "$ANNALS" load --st)" "--strict" "options"
expect_eq "$(complete_words "$ANNALS" new ev)" "event" "new kinds"
if command -v zsh > /dev/null; then
    zsh -n "$SRC/completions/_annals" || fail "zsh completion has a syntax error"
    CHECKS=$((CHECKS + 1))
fi
finish

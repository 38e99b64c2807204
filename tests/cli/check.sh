# annals check: every problem at once, text and JSON, strict, exit codes.
source "$(dirname "$0")/lib/common.sh"

run "$ANNALS" check "$SRC/data"
expect_rc 0
expect_out "no problems in 6 files"

mkdir ds && cp "$DATA/cli/actors.yaml" "$DATA/cli/bad.yaml" ds/
run "$ANNALS" check ds
expect_rc 1
expect_out "ds/bad.yaml:3:16: error: invalid date '2021-13': month 13 is out of range"
expect_out "    3 |     date: 2021-13"
expect_out "ds/bad.yaml:5:14: error: unknown actor 'isis-sahel'"
expect_out "2 errors in 1 of 2 files"
[ -e annals.db ] && fail "check wrote a database"

run "$ANNALS" check --format json ds
expect_rc 1
expect_eq "$(printf '%s' "$OUT" | jq -r '.[0] | "\(.file):\(.line):\(.column) \(.severity)"')" "ds/bad.yaml:3:16 error" "json diagnostic"
expect_eq "$(printf '%s' "$OUT" | jq 'length')" 2 "json count"
expect_eq "$(printf '%s' "$OUT" | jq -r '.[1].hint')" "define it in an actors: list, or correct the id" "json hint"

# Warnings: an event with no source; --strict makes it an error.
cat > ds/bad.yaml <<'YAML'
events:
  - id: unsourced
    date: 2021
    title: No source
YAML
run "$ANNALS" check ds
expect_rc 0
expect_out "ds/bad.yaml:2:9: warning: event 'unsourced' cites no source"
expect_out "1 warning in 1 of 2 files"
run "$ANNALS" check --strict ds
expect_rc 1
expect_out "ds/bad.yaml:2:9: error: event 'unsourced' cites no source"

# Colour never when NO_COLOR is set or output is not a terminal.
expect_no_out $'\033['

run "$ANNALS" check --format xml ds
expect_rc 2
expect_err "unknown format 'xml'"

run "$ANNALS" check --help
expect_rc 0
expect_out "--strict"
expect_out "--format FORMAT"

finish

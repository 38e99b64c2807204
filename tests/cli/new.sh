# annals new prints records that are valid as they are and easy to fill.
source "$(dirname "$0")/lib/common.sh"
today=$(date -u +%Y-%m-%d)
mkdir ds
for k in event actor place source; do
    run "$ANNALS" new "$k"
    expect_rc 0
    printf '%s\n' "$OUT" >> ds/new.yaml
done
expect_eq "$(grep -c '^---$' ds/new.yaml)" 4 "one document per record"
grep -q "date: $today" ds/new.yaml || fail "no date of today"
grep -q "accessed: $today" ds/new.yaml || fail "no accessed date of today"
CHECKS=$((CHECKS + 2))
run "$ANNALS" check ds
expect_rc 0
expect_out "warning: event 'new-event' cites no source"
expect_out "1 warning in 1 file"
run "$ANNALS" new
expect_rc 2
run "$ANNALS" new thing
expect_rc 2
expect_err "which kind? (event, actor, place or source)"
finish

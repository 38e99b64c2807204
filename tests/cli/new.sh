# annals new prints records that are valid as they are, and valid once filled.
source "$(dirname "$0")/lib/common.sh"
today=$(date +%Y-%m-%d)
mkdir as-printed filled

for k in event actor place source; do
    run "$ANNALS" new "$k"
    expect_rc 0
    expect_eq "$ERR" "" "stderr of new $k"
    expect_eq "$(printf '%s\n' "$OUT" | head -2 | tr '\n' ' ')" "--- ${k}s: " "new $k: a document of its own"
    expect_out "  - id: new-$k "
    expect_out "\"TODO: "
    printf '%s\n' "$OUT" > "$k.yaml"
    cat "$k.yaml" >> as-printed/all.yaml
done
grep -q "^    date: $today " event.yaml || fail "the event's date is not today"
grep -q "^    accessed: $today$" source.yaml || fail "the source was not accessed today"
CHECKS=$((CHECKS + 2))

# As printed, appended to one file: clean but for the event with no source.
run "$ANNALS" check as-printed
expect_rc 0
expect_eq "$OUT" "as-printed/all.yaml:3:9: warning: event 'new-event' cites no source
    3 |   - id: new-event                   # a-z 0-9 . _ -, unique among events
      |         ^
      = hint: add sources: [SOURCE-ID], with a quote if you can
1 warning in 1 file" "check of the printed records"

# Appended under an existing section key of a file with records (the
# document marker and the key line dropped), it is valid too.
{ echo "events:"; tail -n +3 event.yaml; } > under-key.yaml
mkdir under-key && mv under-key.yaml under-key/ && cp actor.yaml place.yaml source.yaml under-key/
run "$ANNALS" check under-key
expect_rc 0
expect_out "1 warning in 1 of 4 files"

# Every optional key uncommented, its placeholders filled with the ids of a
# second set of records (the printed ones, renamed): clean even with --strict.
for k in event actor place source; do
    sed -e 's/^    # /    /' \
        -e 's/ACTOR-ID/other-actor/g; s/PLACE-ID/other-place/g; s/SOURCE-ID/other-source/g' \
        -e 's/EVENT-ID/other-event/g; s/\[TAG\]/[todo]/' "$k.yaml" >> filled/all.yaml
    sed -e "s/new-$k/other-$k/" -e 's/^    # sources:/    sources:/' \
        -e 's/^    #   - {id: SOURCE-ID/      - {id: new-source/' "$k.yaml" >> filled/all.yaml
done
run "$ANNALS" check --strict filled
expect_rc 0
expect_eq "$OUT" "no problems in 1 file" "check of the filled records"
run "$ANNALS" load -q --db filled.db filled
expect_rc 0
run "$ANNALS" show --db filled.db new-event
expect_rc 0
expect_out "TODO: what happened, in one line"
expect_out "other-actor"

# A placeholder left in an uncommented key is an error, not a silent record.
sed -e 's/^    # places:/    places:/' event.yaml > left.yaml
run "$ANNALS" check left.yaml
expect_rc 1
expect_out "PLACE-ID"

# Usage errors.
run "$ANNALS" new
expect_rc 2
expect_err "which kind? (event, actor, place or source)"
run "$ANNALS" new thing
expect_rc 2
expect_eq "$ERR" "annals new: unknown kind 'thing' (event, actor, place or source)
try 'annals new --help'" "unknown kind"
run "$ANNALS" new events
expect_rc 2
expect_eq "$ERR" "annals new: unknown kind 'events' (did you mean 'event'?)
try 'annals new --help'" "kind typo"
run "$ANNALS" new event actor
expect_rc 2
expect_err "one kind at a time"
finish

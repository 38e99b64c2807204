#!/bin/bash
# vocab.sh - `annals types|tags|roles`: the values in use with counts, as text, JSON and CSV, from files or a database.
source "$(dirname "$0")/lib/common.sh"
FIX="$DATA/curation"

run "$ANNALS" types "$FIX"
expect_rc 0
expect_eq "$OUT" "attack    1 event
attacks   1 event
battle    1 event
battles   1 event
crossing  1 event
siege     1 event" "types as text"
expect_eq "$ERR" "" "stderr"

run "$ANNALS" tags "$FIX"
expect_rc 0
expect_eq "$OUT" "air-strike        1 event
airstrike         1 event
punic             3 events
punic-wars        1 event
second-punic-war  1 event" "tags as text"

run "$ANNALS" roles "$FIX"
expect_rc 0
expect_eq "$OUT" "attacker    1 event   1 actor
commander   3 events  2 actors
commanders  1 event   1 actor
defender    1 event   1 actor" "roles as text"

# JSON and CSV.
run "$ANNALS" types "$FIX" --format json
expect_rc 0
expect_eq "$(jq -c '.types[0]' <<<"$OUT")" '{"type":"attack","events":1}' "json type"
expect_eq "$(jq '.types | length' <<<"$OUT")" 6 "json types"
run "$ANNALS" tags "$FIX" -f json
expect_eq "$(jq -c '[.tags[] | select(.tag == "punic") | .events]' <<<"$OUT")" '[3]' "json tag count"
run "$ANNALS" roles "$FIX" -f json
expect_eq "$(jq -c '.roles[1]' <<<"$OUT")" '{"role":"commander","events":3,"actors":2}' "json role"
run "$ANNALS" roles "$FIX" -f csv
expect_eq "$OUT" $'role,events,actors\r\nattacker,1,1\r\ncommander,3,2\r\ncommanders,1,1\r\ndefender,1,1\r' "roles as csv"
run "$ANNALS" tags "$FIX" -f csv
expect_eq "$(printf '%s\n' "$OUT" | head -2)" $'tag,events\r\nair-strike,1\r' "tags as csv"

# From a database, as every reading command; the seed dataset.
"$ANNALS" load -q --db t.db "$SRC/data" || fail "load"
run "$ANNALS" types --db t.db
expect_rc 0
expect_out "meeting"
expect_eq "$("$ANNALS" tags --db t.db -f json | jq '.tags | length')" \
    "$(sqlite3 t.db 'SELECT count(DISTINCT tag) FROM event_tags')" "every tag in use"
expect_eq "$("$ANNALS" roles --db t.db -f csv | tail -n +2 | wc -l)" \
    "$(sqlite3 t.db 'SELECT count(DISTINCT role) FROM event_actors WHERE role IS NOT NULL')" "every role in use"

# A dataset with no values: empty lists.
run "$ANNALS" types "$DATA/report/empty" -f json
expect_rc 0
expect_eq "$(jq -c . <<<"$OUT")" '{"types":[]}' "no types"
run "$ANNALS" roles "$DATA/report/empty"
expect_rc 0
expect_eq "$OUT" "" "no roles as text"

# Usage and failures, as the other listings.
run "$ANNALS" tags "$FIX" -f yaml
expect_rc 2
expect_err "unknown format 'yaml' (text, json or csv)"
run "$ANNALS" roles --db missing.db
expect_rc 3
run "$ANNALS" types --help
expect_rc 0
expect_out "usage: annals types"
run "$ANNALS" types "$DATA/cli/bad.yaml"
expect_rc 1
finish

#!/bin/bash
# geojson_left_out.sh - report --format geojson says on stderr how many matching events it left out (no place with coords).
source "$(dirname "$0")/lib/common.sh"
FIX="$DATA/curation"

# Six events: alps and cannae have a place with coords; saguntum-siege, zama and
# raid have places without; raid-2 has none.
run "$ANNALS" report "$FIX" --format geojson
expect_rc 0
expect_eq "$(jq '.features | length' <<<"$OUT")" 2 "features"
expect_eq "$ERR" "annals report: 4 matching events left out of the GeoJSON: they have no place with coords" "the count"

# Only matching events count.
run "$ANNALS" report "$FIX" -f geojson --tag punic
expect_rc 0
expect_eq "$ERR" "annals report: 2 matching events left out of the GeoJSON: they have no place with coords" "with a filter"
run "$ANNALS" report "$FIX" -f geojson --type siege
expect_eq "$ERR" "annals report: 1 matching event left out of the GeoJSON: it has no place with coords" "one"
run "$ANNALS" report "$FIX" -f geojson --type battle
expect_rc 0
expect_eq "$ERR" "" "nothing left out: nothing said"
expect_eq "$(jq -r '.features[0].properties.id' <<<"$OUT")" cannae "the event"

# Into a file, as on stdout; other formats say nothing.
run "$ANNALS" report "$FIX" -f geojson -o map.geojson
expect_rc 0
expect_err "4 matching events left out"
expect_eq "$(jq '.features | length' map.geojson)" 2 "features in the file"
run "$ANNALS" report "$FIX" -f json
expect_eq "$ERR" "" "json says nothing"
finish

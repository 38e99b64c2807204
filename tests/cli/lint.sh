#!/bin/bash
# lint.sh - `check --lint`: each loose-end warning with its position and hint; exit codes with and without --strict.
source "$(dirname "$0")/lib/common.sh"
FIX="$DATA/curation"
E="$FIX/events.yaml"
R="$FIX/records.yaml"

# Without --lint the dataset is clean.
run "$ANNALS" check "$FIX"
expect_rc 0
expect_out "no problems in 2 files"

run "$ANNALS" check --lint "$FIX"
expect_rc 0     # warnings, not errors
expect_out "16 warnings in 2 files"
# Near-duplicate vocabulary: both values and their counts, where the rarer is first used.
expect_out "$E:12:9: warning: tag 'punic-wars' (1 event) looks like tag 'punic' (3 events)"
expect_out "= hint: if they mean the same, write 'punic' everywhere (annals tags lists every tag in use)"
expect_out "$E:12:9: warning: tag 'airstrike' (1 event) looks like tag 'air-strike' (1 event)"
expect_out "$E:48:9: warning: type 'attacks' (1 event) looks like type 'attack' (1 event)"
expect_out "$E:32:9: warning: type 'battles' (1 event) looks like type 'battle' (1 event)"
expect_out "$E:38:14: warning: role 'commanders' (1 event) looks like role 'commander' (3 events)"
expect_out "= hint: if they mean the same, write 'commander' everywhere (annals roles lists every role in use)"
expect_no_out "'second-punic-war' (1 event) looks like"
# Records nothing refers to (carthage is used: hannibal is part of it).
expect_out "$R:18:9: warning: actor 'gauls' is not referred to by any event or other record"
expect_out "= hint: name it in an event's actors, or remove it"
expect_out "$R:39:9: warning: place 'numidia' is not referred to by any event or other record"
expect_out "$R:48:9: warning: source 'appian' is not referred to by any event or other record"
expect_out "= hint: cite it in an event's sources, or remove it"
expect_no_out "'carthage' is not referred to"
expect_no_out "'italy' is not referred to"
# What `annals new` left to fill in.
expect_out "$E:42:9: warning: event 'raid' still has the placeholder 'TODO' in its title"
expect_out "= hint: write what 'annals new' left to fill in, or remove the record"
expect_out "$R:21:9: warning: actor 'new-actor' still has the placeholder 'TODO' in its name"
expect_out "$R:21:9: warning: actor 'new-actor' still has the id 'annals new' gives every new actor"
# A title longer than a line.
expect_out "$E:48:9: warning: event 'raid-2' has a title of 236 characters (more than 200)"
expect_out "= hint: keep the title to one line and put the rest in the summary"
# Events whose places all lack coordinates; an event with no place is not one.
expect_out "$E:32:9: warning: event 'zama' has no place with coords: report --format geojson leaves it out"
expect_out "= hint: add coords: [lat, lon] to place 'zama'"
expect_out "$E:2:9: warning: event 'saguntum-siege' has no place with coords"
expect_no_out "event 'cannae' has no place"
expect_no_out "event 'raid-2' has no place"

# --strict makes every warning an error, lint warnings included: exit 1.
run "$ANNALS" check --lint --strict "$FIX"
expect_rc 1
expect_out "$R:18:9: error: actor 'gauls' is not referred to by any event or other record"
expect_out "16 errors in 2 files"

# JSON, for editors.
run "$ANNALS" check --lint -f json "$FIX"
expect_rc 0
expect_eq "$(jq length <<<"$OUT")" 16 "json warnings"
expect_eq "$(jq -c '[.[] | select(.message | startswith("role ")) | [.line, .column, .severity]]' <<<"$OUT")" \
    '[[38,14,"warning"]]' "json position"

# Each warning goes away when its loose end is tied: the fixed dataset lints clean.
mkdir fixed
sed -e 's/\[punic-wars, airstrike\]/[punic, air-strike]/' -e 's/type: battles/type: battle/' \
    -e 's/role: commanders/role: commander/' -e 's/type: attacks/type: attack/' \
    -e 's/"TODO: what happened, in one line"/A raid/' -e 's/title: A Carthaginian raid.*/title: A raid on the coast/' \
    -e 's/    places: \[zama\]/    places: [italy]/' -e 's/    places: \[saguntum\]/    places: [cannae]/' "$E" > fixed/events.yaml
awk '/id: gauls/ { skip = 3 } /id: new-actor/ { skip = 2 } /id: numidia/ { skip = 3 }
     /id: appian/ { skip = 2 } /id: zama|id: saguntum/ { skip = 3 } skip > 0 { skip--; next } { print }' \
    "$R" > fixed/records.yaml
run "$ANNALS" check --lint fixed
expect_rc 0
expect_out "no problems in 2 files"

# Lint looks at a dataset without errors; with errors, they alone are reported.
run "$ANNALS" check --lint "$DATA/cli/bad.yaml"
expect_rc 1
expect_no_out "warning: actor"
# The seed dataset: lint finds what is there (a place no event names).
run "$ANNALS" check --lint "$SRC/data"
expect_rc 0
expect_out "warning: place 'germany' is not referred to by any event or other record"
finish

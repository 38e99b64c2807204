#!/bin/bash
# listings.sh - `annals actors|places|sources`: text, json and csv listings with event counts.
source "$(dirname "$0")/lib/common.sh"
FIX="$DATA/report/main"
EMPTY="$DATA/report/empty"

run "$ANNALS" actors "$FIX"
expect_rc 0
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 8 "one line per actor"
expect_out "caesar             Julius Caesar                        person       3  part of rome; aka Caesar, Καίσαρ"
expect_out "islamic-state      Islamic State                        armed-group  6  aka ISIS, Daesh, داعش"
expect_out "sahara-cell        Ménaka Cell                          armed-group  0  part of is-greater-sahara"
expect_no_out $'\033'

run "$ANNALS" actors "$FIX" -f json
expect_rc 0
expect_eq "$(jq '.actors | length' <<<"$OUT")" 8 "json actors"
expect_eq "$(jq -c '.actors[] | select(.id == "islamic-state") | [.events, .events_all, .aliases]' <<<"$OUT")" \
    '[6,8,["ISIS","Daesh","داعش"]]' "counts with and without members"
expect_eq "$(jq -c '.actors[] | select(.id == "cell-leader") | .part_of' <<<"$OUT")" '["sahara-cell"]' "part_of"
expect_eq "$(jq -r '.actors[] | select(.id == "coalition") | .kind' <<<"$OUT")" coalition "kind"

run "$ANNALS" places "$FIX"
expect_rc 0
expect_out "menaka         Ménaka       admin    0  within mali"
expect_out "baghdad        Baghdad      city     2  within iraq; aka بغداد"

run "$ANNALS" places "$FIX" --format json
expect_eq "$(jq -c '.places[] | select(.id == "africa") | [.events, .events_all, .lat]' <<<"$OUT")" '[0,2,null]' "region counts"
expect_eq "$(jq -c '.places[] | select(.id == "rome") | [.lat, .lon, .within]' <<<"$OUT")" '[41.9028,12.4964,["italy"]]' "coords"

"$ANNALS" places "$FIX" -f csv >places.csv
expect_eq "$(head -1 places.csv)" $'id,name,kind,aliases,within,lat,lon,events,events_all\r' "csv header"
expect_eq "$(grep -c $'\r$' places.csv)" 12 "csv rows"
expect_eq "$(grep '^baghdad,' places.csv)" $'baghdad,Baghdad,city,بغداد,iraq,33.3152,44.3661,2,2\r' "csv row"

run "$ANNALS" sources "$FIX"
expect_rc 0
# Dates in words for a person; EDTF as written for machines.
expect_out "art         An article: \"Rome\" & <more>  June 2021  7  https://example.org/a_b?x=1&y=2
plutarch    Plutarch, Life of Caesar     100–109    4  https://example.org/plutarch
report-src  A report without a URL       c. 27 BCE  6"
run "$ANNALS" sources "$FIX" -f json
expect_eq "$(jq -c '.sources[] | select(.id == "art") | [.title, .publisher, .published, .events]' <<<"$OUT")" \
    '["An article: \"Rome\" & <more>","Example Press","2021-06",7]' "source fields"
expect_eq "$(jq -c '.sources[] | select(.id == "plutarch") | [.published, .accessed, .notes]' <<<"$OUT")" \
    '["010X","2021-06-28","Translated by Bernadotte Perrin; a Loeb edition."]' "every field of a source"
run "$ANNALS" sources "$FIX" -f csv
expect_out $'id,title,publisher,author,published,accessed,url,notes,events\r'
expect_out $'art,"An article: ""Rome"" & <more>",Example Press,,2021-06,,https://example.org/a_b?x=1&y=2,,7\r'
expect_out $'plutarch,"Plutarch, Life of Caesar",,Plutarch,010X,2021-06-28,https://example.org/plutarch,Translated by Bernadotte Perrin; a Loeb edition.,4\r'
run "$ANNALS" actors "$FIX" -f json
expect_eq "$(jq -c '.actors[] | select(.id == "caesar") | .description' <<<"$OUT")" \
    '"Roman general and dictator, killed on the Ides of March."' "an actor's description"
run "$ANNALS" actors "$FIX" -f csv
expect_out $'id,name,kind,aliases,part_of,description,events,events_all\r'
expect_out $'caesar,Julius Caesar,person,Caesar;Καίσαρ,rome,"Roman general and dictator, killed on the Ides of March.",3,3\r'

# Empty dataset: records with no events.
run "$ANNALS" actors "$EMPTY" -f json
expect_eq "$(jq -c '.actors' <<<"$OUT")" '[{"id":"nobody","name":"Nobody","kind":null,"aliases":[],"part_of":[],"description":null,"events":0,"events_all":0}]' "empty dataset"

# Usage and failures.
run "$ANNALS" actors "$FIX" -f yaml
expect_rc 2
expect_err "unknown format 'yaml' (text, json or csv)"
run "$ANNALS" places --db missing.db
expect_rc 3
run "$ANNALS" sources --help
expect_rc 0
expect_out "usage: annals sources"

# The seed dataset, also through a database.
"$ANNALS" load -q --db seed.db "$SRC/data"
run "$ANNALS" actors --db seed.db -f json
expect_rc 0
expect_eq "$(jq -r '.actors[] | select(.id == "islamic-state") | .aliases | index("داعش") != null' <<<"$OUT")" true "seed aliases"
expect_eq "$(jq -r '.actors[] | select(.id == "is-greater-sahara") | .part_of[0]' <<<"$OUT")" islamic-state "seed part_of"

finish

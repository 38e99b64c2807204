#!/bin/bash
# text_search.sh - `--text` finds words in titles, summaries, notes, quotes and actors'
# descriptions; the index stays right through reloads and the migration from schema 2.
source "$(dirname "$0")/lib/common.sh"
mkdir ds
cp "$DATA/curation/events.yaml" ds/
# The records in three files, so that a reload reads one and keeps the others.
awk '/^places:/ { exit } { print }' "$DATA/curation/records.yaml" > ds/actors.yaml
awk '/^places:/ { on = 1 } /^sources:/ { on = 0 } on' "$DATA/curation/records.yaml" > ds/places.yaml
awk '/^sources:/ { on = 1 } on' "$DATA/curation/records.yaml" > ds/sources.yaml
"$ANNALS" load -q --db t.db ds || fail "load"

# ids of the events --text finds, on one line.
found() { report_ids --db t.db --text "$1"; }
integrity() {
    CHECKS=$((CHECKS + 1))
    sqlite3 t.db "INSERT INTO events_fts(events_fts) VALUES('integrity-check')" ||
        fail "full-text index integrity after $1"
}
expect_eq "$(found elephants)" "alps" "a title"
expect_eq "$(found traversette)" "alps" "notes"
expect_eq "$(found 'eight months')" "saguntum-siege" "a quote"
expect_eq "$(found consuls)" "cannae" "an actor's description"
expect_eq "$(found 'senate hannibal')" "cannae" "words of one event's title and its actor's description"
expect_eq "$(found 'elephants consuls')" "" "words of two events"
expect_eq "$(found 'siege')" "saguntum-siege" "one word in a title and a quote"
integrity "a load"
run "$ANNALS" report --db t.db --text "eight months"
expect_rc 0
expect_out "Hannibal takes Saguntum"

# A reload that reads the events again: the old quote is gone, the new one found.
sed -i 's/The city fell after eight months of siege./The walls gave way in the autumn./' ds/events.yaml
"$ANNALS" load -q --db t.db ds || fail "reload"
expect_eq "$(found 'eight months')" "" "a quote edited away"
expect_eq "$(found walls)" "saguntum-siege" "the new quote"
expect_eq "$(found traversette)" "alps" "notes of the events read again"
integrity "a reload of the events"

# A reload that reads an actor again: events of unchanged files find the new description.
sed -i 's/governed by the Senate and the consuls./ruled by two magistrates a year./' ds/actors.yaml
"$ANNALS" load -q --db t.db ds || fail "reload of the actors"
expect_eq "$(found consuls)" "" "a description edited away"
expect_eq "$(found magistrates)" "cannae" "the new description"
expect_eq "$(found walls)" "saguntum-siege" "quotes kept through a rebuild"
integrity "a reload of the actors"

# A file that goes away takes its events out of the index.
mv ds/places.yaml places.yaml.off
sed -i '/places: /d' ds/events.yaml
"$ANNALS" load -q --db t.db ds || fail "reload without places"
expect_eq "$(found elephants)" "alps" "still found"
integrity "a reload without a file"

# A database of schema version 2 (title and summary only) is migrated by the next
# load, even one that keeps every file, and then --text finds quotes and notes.
sqlite3 t.db "DROP TABLE events_fts; DROP VIEW events_text;
CREATE VIRTUAL TABLE events_fts USING fts5(title, summary, content='events', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2');
INSERT INTO events_fts(events_fts) VALUES('rebuild'); PRAGMA user_version = 2;" || fail "make a version 2 database"
expect_eq "$(found walls)" "" "version 2 reads as it is: titles and summaries"
expect_eq "$(found elephants)" "alps" "version 2 reads titles"
"$ANNALS" load -q --db t.db ds || fail "load into version 2"
expect_eq "$(sqlite3 t.db 'PRAGMA user_version')" 3 "migrated"
"$ANNALS" load -q --db fresh.db ds || fail "a fresh load"
schema_of() { sqlite3 "$1" "SELECT sql FROM sqlite_schema WHERE name IN ('events_text', 'events_fts') ORDER BY name"; }
expect_eq "$(schema_of t.db)" "$(schema_of fresh.db)" "the migrated full-text schema is the schema's"
expect_eq "$(found walls)" "saguntum-siege" "quotes after the migration"
expect_eq "$(found traversette)" "alps" "notes after the migration"
integrity "the migration"
sed -i 's/The walls gave way in the autumn./They starved./' ds/events.yaml
"$ANNALS" load -q --db t.db ds || fail "reload after the migration"
expect_eq "$(found starved)" "saguntum-siege" "a reload after the migration"
integrity "a reload after the migration"

# Straight from the files, as every reading command.
run "$ANNALS" report "$DATA/curation" --text traversette
expect_rc 0
expect_out "Hannibal crosses the Alps"
finish

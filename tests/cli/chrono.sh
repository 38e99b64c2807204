# Chronological order: on equal lower bounds, what ends first comes first (an
# open end last), then id; a database of schema version 1 (the old order) is
# migrated by the next load, and only by a load that succeeds.
source "$(dirname "$0")/lib/common.sh"

run "$ANNALS" load --db t.db "$SRC/data"
expect_rc 0
ids() { report_ids --db t.db "$@"; }
# The seed's 2014: the takeover (summer 2014) that began the campaign
# (summer 2014 - March 2019) comes first; in 2019 the death comes before
# the succession that followed it (2019 - June 2021).
expect_eq "$(ids --to 2014 -n 2)" "is-takes-northern-iraq caliphate-proclaimed" "2014"
expect_eq "$(ids --from 2019 --to 2019 --actor islamic-state | cut -d' ' -f1-3)" \
    "coalition-crushes-caliphate al-baghdadi-death al-qurashi-succeeds-al-baghdadi" "2019"
expect_eq "$(sqlite3 t.db "SELECT sql FROM sqlite_schema WHERE name = 'events_chrono'")" \
    "CREATE INDEX events_chrono ON events(lower, upper, id)" "the index in the new order"

# A database of version 1: its index ordered ties wider span first.
cp t.db v1.db
sqlite3 v1.db "DROP INDEX events_chrono; CREATE INDEX events_chrono ON events(lower, upper DESC, id);
               PRAGMA user_version = 1;"
expect_eq "$(report_ids --db v1.db --to 2014 -n 2)" \
    "is-takes-northern-iraq caliphate-proclaimed" "a version 1 database reads in the new order"
# A load with an error leaves it byte for byte as it was.
mkdir bad && cp -r "$SRC/data/." bad/ && printf 'events:\n  - {id: x, date: 2021-13, title: X}\n' > bad/x.yaml
sqlite3 v1.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
before=$(cksum < v1.db)
run "$ANNALS" load --db v1.db bad
expect_rc 1
expect_eq "$(cksum < v1.db)" "$before" "a failed load does not migrate"
expect_eq "$(sqlite3 v1.db 'PRAGMA user_version')" 1 "still version 1"
run "$ANNALS" load --db v1.db "$SRC/data"
expect_rc 0
expect_eq "$(sqlite3 v1.db 'PRAGMA user_version')" 3 "migrated to the current version"
expect_eq "$(sqlite3 v1.db "SELECT sql FROM sqlite_schema WHERE name = 'events_chrono'")" \
    "CREATE INDEX events_chrono ON events(lower, upper, id)" "the index rebuilt in the new order"
# An incremental reload (nothing changed) migrates too.
cp t.db v1b.db
sqlite3 v1b.db "DROP INDEX events_chrono; CREATE INDEX events_chrono ON events(lower, upper DESC, id);
                PRAGMA user_version = 1;"
run "$ANNALS" load --db v1b.db "$SRC/data"
expect_rc 0
expect_eq "$(sqlite3 v1b.db 'PRAGMA user_version')" 3 "a reload migrates"
expect_eq "$(sqlite3 v1b.db "SELECT sql FROM sqlite_schema WHERE name = 'events_chrono'")" \
    "CREATE INDEX events_chrono ON events(lower, upper, id)" "the reload's index"

finish

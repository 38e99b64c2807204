# annals load: atomic replace, mirror of the files, refusal of foreign files.
source "$(dirname "$0")/lib/common.sh"

mkdir ds && cp "$DATA/cli/actors.yaml" "$DATA/cli/events-a.yaml" "$DATA/cli/events-b.yaml" ds/

# A first load creates the database.
run "$ANNALS" load --db t.db ds
expect_rc 0
expect_out "loaded 2 events, 1 actor, 0 places, 1 source from 3 files into t.db"
expect_eq "$(count_events t.db)" 2 "events after first load"
expect_eq "$(sqlite3 t.db 'PRAGMA user_version')" 3 "schema version"
expect_eq "$(sqlite3 t.db 'PRAGMA journal_mode')" wal "journal mode"
expect_eq "$(sqlite3 t.db "SELECT f.path || ':' || e.line FROM events e JOIN files f ON f.id = e.file_id WHERE e.id = 'attack'")" "ds/events-a.yaml:2" "provenance"

# A failing load changes nothing, byte for byte.
sum_before=$(sha256sum t.db | cut -d' ' -f1)
cp "$DATA/cli/bad.yaml" ds/
run "$ANNALS" load --db t.db ds
expect_rc 1
expect_err "ds/bad.yaml:3:16: error: invalid date '2021-13': month 13"
expect_err "ds/bad.yaml:5:14: error: unknown actor 'isis-sahel'"
expect_err "2 errors in 1 of 4 files"
expect_err "nothing written; t.db is unchanged"
expect_eq "$(sha256sum t.db | cut -d' ' -f1)" "$sum_before" "database bytes after failed load"
expect_eq "$(count_events t.db)" 2 "events after failed load"
rm ds/bad.yaml

# The database mirrors the files: a removed file's events are gone.
rm ds/events-b.yaml
run "$ANNALS" load --db t.db ds
expect_rc 0
expect_eq "$(sqlite3 t.db 'SELECT group_concat(id) FROM events')" attack "events after removing a file"
expect_eq "$(sqlite3 t.db 'SELECT count(*) FROM files')" 2 "files after removing a file"
expect_eq "$(sqlite3 t.db "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'rome'")" 0 "full text after removing a file"
expect_eq "$(sqlite3 t.db "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'baghdad'")" 1 "full text search"

# Never overwrite a file that is not an annals database.
printf 'precious notes\n' > notes.txt
run "$ANNALS" load --db notes.txt ds
expect_rc 3
expect_err "not an annals database"
expect_eq "$(cat notes.txt)" "precious notes" "foreign text file"
sqlite3 other.db 'CREATE TABLE t(x); INSERT INTO t VALUES (42);'
sum_other=$(sha256sum other.db | cut -d' ' -f1)
run "$ANNALS" load --db other.db ds
expect_rc 3
expect_err "is a SQLite database but not an annals database"
expect_eq "$(sha256sum other.db | cut -d' ' -f1)" "$sum_other" "foreign SQLite file"

# A newer schema is refused.
cp t.db newer.db && sqlite3 newer.db 'PRAGMA user_version = 99'
run "$ANNALS" load --db newer.db ds
expect_rc 3
expect_err "schema version 99, newer than this annals understands"

# Paths: missing, directory as db.
run "$ANNALS" load --db t.db no-such-dir
expect_rc 3
expect_out ""
expect_err "no-such-dir: error: cannot read: No such file or directory"
run "$ANNALS" load --db ds ds
expect_rc 3
expect_err "is a directory"

# Threads change nothing: two readers, one reader, or none (ANNALS_THREADS
# 2, 1, 0) give the same database and the same diagnostics, clean or not.
"$BUILD_DIR/annals-gen" 1200 12 gen 1 || fail "generate"
cp -r gen bad
for f in bad/events/*.yaml; do     # an unknown actor in each file
    sed -i '0,/actor-1\b/s//actor-nope/' "$f"
done
first=$(ls bad/events/*.yaml | head -n 1)
cp "$first" bad/events/zz-copy.yaml   # every id of a file defined twice
for n in 0 1 2; do
    ANNALS_THREADS=$n "$ANNALS" load -q --db "t$n.db" gen || fail "load with ANNALS_THREADS=$n"
    sqlite3 "t$n.db" .dump > "dump$n.sql" 2>/dev/null || "$ANNALS" report --db "t$n.db" -f json > "dump$n.sql"
    ANNALS_THREADS=$n "$ANNALS" check -f json bad > "diag$n.json"
    echo $? > "rc$n"
done
expect_eq "$(cat rc2)" 1 "check of the broken dataset"
events=$(grep -c '^  - id:' "$first")
# 12 unknown actors, one more in the copy (a duplicate is checked fully, though
# not stored), and each copied event a duplicate.
expect_eq "$(grep -c '"severity":"error"' diag2.json)" "$((12 + 1 + events))" \
    "errors in the broken dataset (unknown actors; the copied events, checked but not stored)"
for n in 0 1; do
    cmp -s "dump$n.sql" dump2.sql || fail "the database with ANNALS_THREADS=$n differs"
    cmp -s "diag$n.json" diag2.json || fail "the diagnostics with ANNALS_THREADS=$n differ"
    CHECKS=$((CHECKS + 2))
done

# Usage errors.
run "$ANNALS" load --nope
expect_rc 2
expect_err "unknown option '--nope'"
run "$ANNALS" lod
expect_rc 2
expect_err "unknown command 'lod' (did you mean 'load'?)"

finish

# A reload after editing a few files gives exactly the database, and the
# diagnostics, of a full load of the same files.
source "$(dirname "$0")/lib/common.sh"
GEN="$BUILD_DIR/annals-gen"
"$GEN" 3000 20 ds 7 || { fail "generator"; finish; exit 1; }

dump() {
    sqlite3 "$1" "
SELECT 'A', a.id, a.name, a.kind, a.description, f.path, a.line, a.col FROM actors a JOIN files f ON f.id = a.file_id ORDER BY 2;
SELECT 'P', p.id, p.name, p.kind, p.lat, p.lon, f.path, p.line, p.col FROM places p JOIN files f ON f.id = p.file_id ORDER BY 2;
SELECT 'S', s.id, s.title, s.publisher, s.author, s.published, s.accessed, s.url, s.notes, f.path, s.line FROM sources s JOIN files f ON f.id = s.file_id ORDER BY 2;
SELECT 'E', e.id, e.date, e.lower, e.upper, e.precision, e.uncertain, e.approximate, e.title, e.summary, e.type, e.notes, f.path, e.line, e.col FROM events e JOIN files f ON f.id = e.file_id ORDER BY 2;
SELECT 'F', path, hash, size FROM files ORDER BY 2;
SELECT 'AN', * FROM actor_names ORDER BY 2, 3, 6, 7, 8;
SELECT 'PN', * FROM place_names ORDER BY 2, 3, 6, 7, 8;
SELECT 'AP', * FROM actor_parents ORDER BY 2, 3;
SELECT 'PP', * FROM place_parents ORDER BY 2, 3;
SELECT 'EP', * FROM event_parents ORDER BY 2, 3;
SELECT 'EA', * FROM event_actors ORDER BY 2, 3;
SELECT 'EL', * FROM event_places ORDER BY 2, 3;
SELECT 'ET', * FROM event_tags ORDER BY 2, 3;
SELECT 'ES', * FROM event_sources ORDER BY 2, 3;
SELECT 'EF', * FROM event_figures ORDER BY 2, 3;
SELECT 'FTS', e.id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid WHERE events_fts MATCH 'market OR menaka' ORDER BY 2;
SELECT 'N', count(*) FROM events_fts;"
}
same_as_full_load() {   # same_as_full_load WHAT: a.db equals a fresh full load of ds
    rm -f full.db*
    "$ANNALS" load -q --db full.db ds 2>/dev/null
    dump a.db > a.dump; dump full.db > full.dump
    CHECKS=$((CHECKS + 1))
    cmp -s a.dump full.dump || fail "$1: reload differs from a full load: $(diff a.dump full.dump | head -5)"
}

run "$ANNALS" load --db a.db ds
expect_rc 0

# Edit one file of many: change a title, add an event, remove an event.
sed -i 's/^    title: \(.*\)$/    title: \1 edited/' ds/events/e0003.yaml
cat >> ds/events/e0003.yaml <<'YAML'
  - id: added-by-hand
    date: 2021-01
    title: Market attack added by hand
    actors: [actor-3]
    sources: [source-1]
YAML
run "$ANNALS" load --db a.db ds
expect_rc 0
expect_out "loaded 3001 events"
same_as_full_load "edited file"

# Remove a file, add one.
mv ds/events/e0007.yaml ds/events/e0099.yaml
run "$ANNALS" load --db a.db ds
expect_rc 0
same_as_full_load "moved file"
rm ds/events/e0099.yaml
run "$ANNALS" load --db a.db ds
expect_rc 0
same_as_full_load "removed file"

# Errors a reload must find in files it does not read: an actor that
# unchanged files cite goes away. Same diagnostics as a full check.
cp ds/actors.yaml actors.orig
sed -i 's/^  - id: actor-3$/  - id: actor-3-renamed/' ds/actors.yaml
sum_before=$(sha256sum a.db | cut -d' ' -f1)
run "$ANNALS" load --db a.db ds
expect_rc 1
reload_err=$(printf '%s\n' "$ERR" | grep -v 'nothing written')
run "$ANNALS" check ds
expect_rc 1
expect_eq "$reload_err" "$OUT" "reload diagnostics vs full check"
expect_eq "$(sha256sum a.db | cut -d' ' -f1)" "$sum_before" "database after failed reload"
cp actors.orig ds/actors.yaml

# A duplicate id between an edited file and an unchanged later one is
# reported where a full load reports it: at the later file.
cat >> ds/events/e0002.yaml <<'YAML'
  - id: ev-2999
    date: 2021
    title: Duplicate of an event in a later file
    sources: [source-1]
YAML
run "$ANNALS" load --db a.db ds
expect_rc 1
reload_err=$(printf '%s\n' "$ERR" | grep -v 'nothing written')
run "$ANNALS" check ds
expect_eq "$reload_err" "$OUT" "duplicate reported as by a full check"
expect_out "ds/events/e0019.yaml"
expect_out "duplicate event id 'ev-2999'"

finish

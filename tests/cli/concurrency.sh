# Readers during a load see the old content; two loads at once give one complete dataset.
source "$(dirname "$0")/lib/common.sh"
GEN="$BUILD_DIR/annals-gen"

"$GEN" 20000 20 v1 1 && "$GEN" 30000 20 v2 2 || { fail "generator"; finish; exit 1; }
count() { sqlite3 t.db "SELECT count(*) FROM events"; }

run "$ANNALS" load -q --db t.db v1
expect_rc 0
expect_eq "$(count)" 20000 "first load"

# Readers while a load runs: never blocked, never half a load.
"$ANNALS" load -q --db t.db v2 & pid=$!
seen=""
while kill -0 "$pid" 2>/dev/null; do
    seen="$seen $(count)"
done
wait "$pid"; rc=$?
expect_eq "$rc" 0 "background load"
for n in $seen; do
    case "$n" in 20000|30000) ;; *) fail "a reader saw $n events during a load" ;; esac
done
CHECKS=$((CHECKS + 1))
expect_eq "$(count)" 30000 "after the load"

# Two loads at once: each succeeds (one waits) or fails cleanly with exit 3.
"$ANNALS" load -q --db t.db v1 2>err1 & p1=$!
"$ANNALS" load -q --db t.db v2 2>err2 & p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
for r in "$r1" "$r2"; do
    case "$r" in 0|3) CHECKS=$((CHECKS + 1)) ;; *) fail "concurrent load exit $r: $(cat err1 err2)" ;; esac
done
n=$(count)
case "$n" in 20000|30000) CHECKS=$((CHECKS + 1)) ;; *) fail "mixed result: $n events" ;; esac
expect_eq "$(sqlite3 t.db 'PRAGMA integrity_check')" ok "integrity"
expect_eq "$(sqlite3 t.db "SELECT count(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)")" 0 "no orphan links"
expect_eq "$(sqlite3 t.db "SELECT count(DISTINCT f.path) FROM files f")" 23 "one dataset's files"

finish

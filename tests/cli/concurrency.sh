# Readers during a load see the old content; two loads at once give one complete dataset.
source "$(dirname "$0")/lib/common.sh"
GEN="$BUILD_DIR/annals-gen"

"$GEN" 20000 20 v1 1 && "$GEN" 30000 20 v2 2 || { fail "generator"; finish; exit 1; }
count() { count_events t.db; }

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

# Two loads at once: the second waits for the first, then runs; both succeed.
"$ANNALS" load -q --db t.db v1 2>err1 & p1=$!
"$ANNALS" load -q --db t.db v2 2>err2 & p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
expect_eq "$r1 $r2" "0 0" "exit codes of two loads at once: $(cat err1 err2)"
n=$(count)
case "$n" in 20000|30000) CHECKS=$((CHECKS + 1)) ;; *) fail "mixed result: $n events" ;; esac
expect_eq "$(sqlite3 t.db 'PRAGMA integrity_check')" ok "integrity"
expect_eq "$(sqlite3 t.db "SELECT count(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)")" 0 "no orphan links"
expect_eq "$(sqlite3 t.db "SELECT count(DISTINCT f.path) FROM files f")" 23 "one dataset's files"

# The race, many times over, on a new database (created by one of the two,
# atomically: the other waits for it) and on an existing one. Each time both
# loads exit 0, each reports what it loaded, and the database holds exactly
# one of the two datasets, whole. Bounded in time: at most RACE_SECONDS per
# kind (fewer rounds under valgrind), and at least 10 rounds.
"$GEN" 300 3 r1 3 && "$GEN" 500 4 r2 4 || fail "generator"
RACE_ROUNDS=${RACE_ROUNDS:-120}
RACE_SECONDS=${RACE_SECONDS:-30}
race() {   # race KIND: KIND is new or existing
    local round=0 bad=0 start=$SECONDS
    rm -f race.db race.db-wal race.db-shm
    [ "$1" = existing ] && "$ANNALS" load -q --db race.db r1
    while [ "$round" -lt "$RACE_ROUNDS" ] &&
          { [ "$round" -lt 10 ] || [ $((SECONDS - start)) -lt "$RACE_SECONDS" ]; }; do
        round=$((round + 1))
        [ "$1" = new ] && rm -f race.db race.db-wal race.db-shm
        "$ANNALS" load --db race.db r1 >out1 2>err1 & p1=$!
        "$ANNALS" load --db race.db r2 >out2 2>err2 & p2=$!
        wait "$p1"; r1=$?
        wait "$p2"; r2=$?
        got=$(sqlite3 race.db "SELECT count(*) || ' ' || (SELECT count(*) FROM files) FROM events")
        said1=$(cat out1) said2=$(cat out2)
        if [ "$r1 $r2" != "0 0" ] || [ -s err1 ] || [ -s err2 ] ||
           [ "$said1" != "loaded 300 events, 16 actors, 13 places, 20 sources from 6 files into race.db" ] ||
           [ "$said2" != "loaded 500 events, 20 actors, 15 places, 30 sources from 7 files into race.db" ] ||
           { [ "$got" != "300 6" ] && [ "$got" != "500 7" ]; }; then
            bad=$((bad + 1))
            [ "$bad" -le 3 ] && fail "$1 database, round $round: exit $r1 $r2, holds '$got'; said: $said1 / $said2; stderr: $(cat err1 err2)"
        fi
        leftovers=$(ls -A | grep -c '^race\.db\..*\.new$')
        [ "$leftovers" -eq 0 ] || { bad=$((bad + 1)); fail "temporary files left: $(ls -A)"; }
    done
    CHECKS=$((CHECKS + 1))
    [ "$bad" -eq 0 ] || fail "$1 database: $bad of $round rounds went wrong"
    echo "race on a $1 database: $round rounds, $bad wrong, $((SECONDS - start)) s"
    expect_eq "$(sqlite3 race.db 'PRAGMA integrity_check')" ok "integrity after the $1 races"
}
race new
race existing

# On a terminal, a load that waits says so, once, then runs. (script(1)
# gives it a terminal; the lock is held by sqlite3 for a moment.)
if command -v script >/dev/null; then
    "$ANNALS" load -q --db held.db r1 || fail "load before holding"
    { echo 'BEGIN IMMEDIATE;'; sleep 1.5; echo 'COMMIT;'; } | sqlite3 held.db & holder=$!
    sleep 0.3
    run script -qec "\"$ANNALS\" load --db held.db r2" /dev/null
    wait "$holder"
    expect_rc 0
    # (The progress line, drawn with \r and ESC [K, is left out.)
    OUT=$(printf '%s\n' "$OUT" | tr -d '\r' | sed 's/.*\x1b\[K//')
    expect_eq "$OUT" "annals load: waiting for another load of held.db to finish
loaded 500 events, 20 actors, 15 places, 30 sources from 7 files into held.db" "a waiting load on a terminal"
    # Not on a terminal: it waits without a word.
    { echo 'BEGIN IMMEDIATE;'; sleep 1; echo 'COMMIT;'; } | sqlite3 held.db & holder=$!
    sleep 0.3
    run "$ANNALS" load --db held.db r1
    wait "$holder"
    expect_rc 0
    expect_eq "$ERR" "" "a waiting load off a terminal: stderr"
else
    fail "script(1) is missing (package bsdutils)"
fi

finish

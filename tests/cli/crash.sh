# A load killed at any moment (kill -9) leaves the database as it was or
# fully loaded: never corrupt, never half a dataset.
source "$(dirname "$0")/lib/common.sh"
GEN="$BUILD_DIR/annals-gen"
"$GEN" 2000 20 a 1 && "$GEN" 10000 20 b 2 || { fail "generator"; finish; exit 1; }

state() { sqlite3 "$1" "SELECT count(*) || ':' || sum(length(title)) || ':' || (SELECT count(*) FROM event_actors) FROM events"; }
"$ANNALS" load -q --db ref-a.db a && "$ANNALS" load -q --db ref-b.db b || fail "reference loads"
A=$(state ref-a.db); B=$(state ref-b.db)
# How long a load of b over a takes, to spread the kills over it.
"$ANNALS" load -q --db timing.db a
start=$(date +%s%N); "$ANNALS" load -q --db timing.db b; took=$(( ($(date +%s%N) - start) / 1000000 ))

"$ANNALS" load -q --db t.db a || fail "first load"
TRIALS=20
seen_a=0 seen_b=0
for trial in $(seq 1 $TRIALS); do
    # From the start of the load to a little past its usual end (1.3 times).
    delay=$(( took * 13 * (trial - 1) / (10 * (TRIALS - 1)) ))
    "$ANNALS" load -q --db t.db b & pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    expect_eq "$(sqlite3 t.db 'PRAGMA integrity_check')" ok "integrity after a kill at ${delay} ms"
    s=$(state t.db)
    CHECKS=$((CHECKS + 1))
    [ "$s" = "$A" ] || [ "$s" = "$B" ] || fail "after a kill at ${delay} ms: $s is neither A ($A) nor B ($B)"
    [ "$s" = "$A" ] && seen_a=$((seen_a + 1))
    [ "$s" = "$B" ] && seen_b=$((seen_b + 1))
    # annals itself opens what the kill left (a hot WAL) and reads it.
    run "$ANNALS" report --db t.db --format csv -n 1
    expect_rc 0
    # Back to A for the next trial (the load may have completed).
    "$ANNALS" load -q --db t.db a || fail "reload of a after trial $trial"
done
echo "kills: $seen_a left the old dataset, $seen_b the new one (load of b: $took ms)"
# And the database still takes a full load.
run "$ANNALS" load -q --db t.db b
expect_rc 0
expect_eq "$(state t.db)" "$B" "a complete load after the kills"
finish

# `annals serve --db` when the file is replaced or removed: (a) the main file
# removed and loaded again, (b) all three files removed and loaded again,
# (c) another database renamed over it, (d) removed and not made again (the
# last state kept, and said). After each, the page is told (a "reload" on the
# update stream, the generation moves), /api/events is what `annals report
# --db` gives on the new file, and that file passes integrity_check. Then the
# old write-ahead log left with frames in it (not safe to read through: the
# server waits and says what to do), and a stop during the warm-up.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/serve.sh"
need curl jq sqlite3
GEN="$BUILD_DIR/annals-gen"

for i in 1 2 3; do
    "$GEN" $((150 + 50 * i)) 4 "ds$i" "$i" > /dev/null || fail "generate ds$i"
done
"$ANNALS" load -q --db annals.db ds1 || fail "first load"
start_server --db annals.db || { fail "the server did not start: $(cat server.err)"; finish; exit 1; }
curl -s -N "${URL}api/updates" > updates.txt 2>/dev/null &
SSE_PID=$!
wait_for "grep -q 'event: hello' updates.txt"

status() { curl -s "${URL}api/status"; }
gen() { status | jq .generation; }
reloads() { grep -c "event: reload" updates.txt; }
# served_total N: the server answers /api/events with N events and says nothing about the file.
served_total() {
    [ "$(curl -s "${URL}api/events?limit=1" | jq .total)" = "$1" ] &&
        [ "$(status | jq -c '[.errors, .warnings]')" = "[0,0]" ]
}

# served_is DB WHAT: /api/events (all of them) is what `annals report --db DB` gives, and the
# file passes integrity_check.
served_is() {
    local db=$1 what=$2
    "$ANNALS" report --db "$db" --format json > cli.json 2> cli.err || fail "$what: report: $(cat cli.err)"
    CHECKS=$((CHECKS + 1))
    wait_for 'served_total "$(jq ".events | length" cli.json)"' ||
        fail "$what: not served: $(status)"
    get "/api/events?limit=5000"
    CHECKS=$((CHECKS + 1))
    diff <(jq -S 'del(.total, .offset, .limit)' <<<"$OUT") <(jq -S . cli.json) > /dev/null ||
        fail "$what: /api/events differs from report --db $db"
    expect_eq "$(sqlite3 "$db" 'PRAGMA integrity_check')" "ok" "$what: integrity_check"
}

# refreshed BEFORE-GEN BEFORE-RELOADS WHAT: the generation moved, and the stream said "reload".
refreshed() {
    local before=$1 seen=$2
    CHECKS=$((CHECKS + 1))
    [ "$(gen)" -gt "$before" ] || fail "$3: the generation did not move"
    CHECKS=$((CHECKS + 1))
    wait_for '[ "$(reloads)" -gt "$seen" ]' || fail "$3: no reload on the update stream"
}

# A load into the served file first, each time: its write-ahead log has been written then,
# as when a user loads while the page is open (the case that makes a replaced file unsafe).
ROUNDS=3
[ -n "${ANNALS_WRAPPER:-}" ] && ROUNDS=1
for round in $(seq 1 "$ROUNDS"); do
    for c in a b c d; do
        what="case ($c), round $round"
        g0=$(gen)
        "$ANNALS" load -q --db annals.db ds2 || fail "$what: load ds2"
        served_is annals.db "$what: before"
        # One load, one refresh: emptying the log at its end moves SQLite's data_version
        # again, but not what the database holds.
        sleep 0.6
        expect_eq "$(gen)" "$((g0 + 1))" "$what: one refresh for one load"
        before=$(gen)
        seen=$(reloads)
        case $c in
        a) rm annals.db && "$ANNALS" load -q --db annals.db ds3 ;;
        b) rm -f annals.db annals.db-wal annals.db-shm && "$ANNALS" load -q --db annals.db ds3 ;;
        c) rm -f new.db && "$ANNALS" load -q --db new.db ds3 && mv new.db annals.db ;;
        d) "$ANNALS" report --db annals.db --format json > old.json
           told=$(grep -c "was removed" server.err)
           rm annals.db
           CHECKS=$((CHECKS + 1))
           wait_for 'status | jq -r .diagnostics | grep -q "was removed; showing what it held"' ||
               fail "$what: the removal is not said: $(status)"
           expect_eq "$(status | jq -c '[.errors, .warnings]')" "[0,1]" "$what: counts"
           CHECKS=$((CHECKS + 1))
           wait_for '[ "$(grep -c "the database .annals.db. was removed" server.err)" -gt "$told" ]' ||
               fail "$what: nothing on stderr"
           sleep 0.6     # a few more looks at the path: said once only
           expect_eq "$(grep -c "was removed" server.err)" "$((told + 1))" "$what: said once on stderr"
           get "/api/events?limit=5000"
           CHECKS=$((CHECKS + 1))
           diff <(jq -S 'del(.total, .offset, .limit)' <<<"$OUT") <(jq -S . old.json) > /dev/null ||
               fail "$what: the last state is not kept"
           "$ANNALS" load -q --db annals.db ds3 ;;
        esac
        [ $? -eq 0 ] || fail "$what: the command failed"
        served_is annals.db "$what"
        refreshed "$before" "$seen" "$what"
    done
done

# ---- The old write-ahead log left with frames: never read through, and said ----
# A reader of its own keeps the load from emptying the log (annals load waits for it
# DB_BUSY_TIMEOUT_MS, 5 s, then leaves the log as it is); the file is then renamed over.
"$ANNALS" load -q --db annals.db ds1
served_is annals.db "frames left: before"
{ echo "BEGIN; SELECT count(*) FROM events;"; sleep $((8 * SLOW)); echo "COMMIT;"; } |
    sqlite3 annals.db > /dev/null &
READER=$!
sleep 0.5
"$ANNALS" load -q --db annals.db ds2 || fail "load beside a reader"
CHECKS=$((CHECKS + 1))
[ -s annals.db-wal ] || fail "the log was emptied although a reader held on"
rm -f new.db && "$ANNALS" load -q --db new.db ds3 && mv new.db annals.db
CHECKS=$((CHECKS + 1))
wait_for 'status | jq -r .diagnostics | grep -q "is still the old file.s and holds changes"' ||
    fail "frames left: not said: $(status)"
get "/api/events?limit=1"
expect_status 500
expect_out "was replaced"
wait "$READER"
# What the message says to do: remove the log and its index; the new file is served then.
rm annals.db-wal annals.db-shm
served_is annals.db "frames left: after removing them"

kill "$SSE_PID" 2>/dev/null
wait "$SSE_PID" 2>/dev/null
stop_server
expect_eq "$SERVER_RC" "0" "exit code"

# ---- A stop during the warm-up does not wait for it ----
# W: how long the first facets take after the start (what the warm-up computes); S: from
# SIGTERM, sent as soon as the URL is out (the warm-up under way), to the exit. Before the
# stop interrupted the statements, S was about W.
N=40000
[ -n "${ANNALS_WRAPPER:-}" ] && N=4000
"$GEN" "$N" 20 big 7 > /dev/null && "$ANNALS" load -q --db big.db big || fail "big load"
now() { date +%s.%N; }
# calc EXPRESSION: awk's value of it (a comparison: 1 or 0).
calc() { awk "BEGIN { print ($1) }"; }
W=
for i in 1 2; do
    start_server --db big.db || fail "big: no start"
    t0=$(now)
    curl -s "${URL}api/facets" > /dev/null
    t=$(calc "$(now) - $t0")
    { [ -z "$W" ] || [ "$(calc "$t < $W")" = 1 ]; } && W=$t
    stop_server
done
S=0
for i in 1 2 3 4 5; do
    start_server --db big.db || fail "big: no start"
    t0=$(now)
    stop_server
    t=$(calc "$(now) - $t0")
    expect_eq "$SERVER_RC" "0" "exit code after SIGTERM during the warm-up ($i)"
    [ "$(calc "$t > $S")" = 1 ] && S=$t
done
echo "warm-up's facets: $W s; slowest stop: $S s"
CHECKS=$((CHECKS + 1))
[ "$(calc "$S < $W / 2 || $S < 0.1")" = 1 ] ||
    fail "the stop waited for the warm-up: $S s (the facets take $W s)"

finish

#!/usr/bin/env bash
# `annals serve` on the benchmark's datasets: the JSON API's answer times and
# the page's first view in headless chromium, with the server's peak memory.
# Prints a Markdown section (bench/run.sh puts it in bench/RESULTS.md).
#
# usage: bench/serve.sh [BUILD_DIR] [SIZES]     (default: build, "10000 100000")
# env:   BENCH_SERVE_RUNS=7   requests per API figure (the median is kept)
#        BENCH_SERVE_DATA=DIR where ds-N and serve-N.db are (default: bench/out),
#                             e.g. a shared folder of big datasets
# Uses DIR/ds-N and DIR/serve-N.db (made when missing), and the
# browser test's chrome-remote-interface (npm ci into BUILD_DIR/browser-test).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
SIZES=${2:-"10000 100000"}
RUNS=${BENCH_SERVE_RUNS:-7}
OUT="$SRC/bench/out"
DATA=${BENCH_SERVE_DATA:-$OUT}
ANNALS="$BUILD/annals" GEN="$BUILD/annals-gen"
NODE_DIR="$BUILD/browser-test"
mkdir -p "$OUT" "$NODE_DIR"
log() { echo "$*" >&2; }

HAVE_BROWSER=0
if command -v node >/dev/null && [ -x /usr/bin/chromium ]; then
    if [ ! -d "$NODE_DIR/node_modules/chrome-remote-interface" ]; then
        cp "$SRC/tests/browser/package.json" "$SRC/tests/browser/package-lock.json" "$NODE_DIR/"
        (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2 || true
    fi
    cp "$SRC/tests/browser/chromium.js" "$SRC/bench/serve_view.js" "$NODE_DIR/"
    [ -d "$NODE_DIR/node_modules/chrome-remote-interface" ] && HAVE_BROWSER=1
fi

# cpu: the server's CPU seconds so far (user + system), from /proc.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$PID/stat"; }

# api PATH: "WALL (cpu CPU); first FIRST (cpu CPU1)": the median wall seconds of RUNS
# requests after a first one, and the server's mean CPU seconds per request, which a
# busy machine inflates less than the wall time; then the first request's own figures
# (the answer computed, where the repeats are answered from what the server keeps).
api() {
    local c0 c1 c2 wall first
    c0=$(cpu)
    first=$(curl -s -o /dev/null -w '%{time_total}' "${URL%/}$1")
    c1=$(cpu)
    wall=$(for ((i = 0; i < RUNS; i++)); do
        curl -s -o /dev/null -w '%{time_total}\n' "${URL%/}$1"
    done | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }')
    c2=$(cpu)
    awk -v w="$wall" -v f="$first" -v a="$c0" -v b="$c1" -v c="$c2" -v n="$RUNS" \
        'BEGIN { printf "%s (cpu %.3f); first %.3f (cpu %.3f)", w, (c - b) / n, f, b - a }'
}

# warmed: "WALL (cpu CPU)": how long after the start (STARTED) the server is done preparing
# the first answers (its CPU time stops growing), and the CPU seconds that took (with
# those of the page opened meanwhile).
warmed() {
    local prev now
    prev=$(cpu)
    while sleep 1; now=$(cpu); awk -v a="$prev" -v b="$now" 'BEGIN { exit !(b - a > 0.02) }'; do
        prev=$now
    done
    awk -v a="$STARTED" -v b="$(date +%s.%N)" -v c="$now" 'BEGIN { printf "%.1f (cpu %.3f)", b - a - 1, c }'
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A R
for n in $SIZES; do
    DS="$DATA/ds-$n" DB="$DATA/serve-$n.db"
    if [ ! -f "$DS.stamp" ]; then
        log "serve bench: generating $n events"
        rm -rf "$DS"
        "$GEN" "$n" 100 "$DS" 1 && touch "$DS.stamp"
    fi
    if [ ! -f "$DB" ] || [ "$DS.stamp" -nt "$DB" ]; then
        log "serve bench: loading $n events"
        rm -f "$DB"*
        "$ANNALS" load -q --db "$DB" "$DS"
    fi
    # The database in the OS cache, as right after its load (cold, the first view waits on
    # the disk: see bench/NOTES.md).
    cat "$DB" > /dev/null
    STARTED=$(date +%s.%N)
    "$ANNALS" serve --port 0 --db "$DB" > "$OUT/serve.url" 2>> "$OUT/log" &
    PID=$!
    for _ in $(seq 1 100); do URL=$(head -n 1 "$OUT/serve.url"); [ -n "$URL" ] && break; sleep 0.1; done
    log "serve bench: $n events at $URL"
    # The page opened as the server starts, while it prepares its first answers.
    R[view_start,$n]="n/a (no node or chromium)"
    if [ "$HAVE_BROWSER" = 1 ]; then
        R[view_start,$n]=$(node "$NODE_DIR/serve_view.js" "$URL" /usr/bin/chromium 1 2>> "$OUT/log" |
                           awk '{ printf "%.3f", $1 / 1000 }') || R[view_start,$n]="failed (see bench/out/log)"
    fi
    R[warm,$n]=$(warmed)
    R[events,$n]=$(api "/api/events?limit=100")
    R[broad,$n]=$(api "/api/events?actor=actor-3&limit=100")
    R[leaf,$n]=$(api "/api/events?actor=actor-12&limit=100")
    R[facets,$n]=$(api "/api/facets")
    R[facets_actor,$n]=$(api "/api/facets?actor=actor-3")
    R[density,$n]=$(api "/api/density?from=1900&to=2030&bins=300")
    R[density_actor,$n]=$(api "/api/density?actor=actor-3&from=1900&to=2030&bins=300")
    R[view,$n]="n/a (no node or chromium)"
    if [ "$HAVE_BROWSER" = 1 ]; then
        R[view,$n]=$(node "$NODE_DIR/serve_view.js" "$URL" /usr/bin/chromium 3 2>> "$OUT/log" |
                     awk '{ ms = $1; f = $2; $1 = $2 = ""; printf "%.3f; first %.3f (%s)", ms / 1000, f / 1000, substr($0, 3) }') ||
            R[view,$n]="failed (see bench/out/log)"
    fi
    R[rss,$n]=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
    kill -TERM "$PID"
    wait "$PID" || true
    for k in view_start warm events broad leaf facets facets_actor density density_actor view rss; do log "  $k: ${R[$k,$n]}"; done
done

row() {   # row LABEL KEY
    printf '| %s |' "$1"
    for n in $SIZES; do printf ' %s |' "${R[$2,$n]}"; done
    echo
}
echo "## annals serve"
echo
echo "Seconds per answer, the median of $RUNS requests with curl over loopback (the"
echo "database of \`annals load\`, served with \`annals serve --db\`), and in parentheses"
echo "the server's CPU seconds per answer (user + system, from /proc; 10 ms steps), which"
echo "a busy machine inflates less; then the first request's own figures (the server"
echo "keeps answers per database state: the repeats are answered from memory, the first"
echo "computes, unless the server prepared it when it started: the first row). The first"
echo "view is from navigation to the timeline and the list drawn in headless chromium"
echo "(median of 3; the facets come after); then once more, a page opened as the server starts"
echo "(while it prepares its first answers). Load average at the start: $LOAD_START."
echo
printf '| seconds |'; for n in $SIZES; do printf ' %s events |' "$n"; done; echo
printf '|---|'; for n in $SIZES; do printf -- '---:|'; done; echo
row 'the server ready after its start: the first answers prepared (seconds, CPU)' warm
row '`/api/events?limit=100` (the first page, no filter; with its total)' events
row '`/api/events?actor=actor-3&limit=100` (a broad actor)' broad
row '`/api/events?actor=actor-12&limit=100` (a leaf actor)' leaf
row '`/api/facets` (every count, no filter)' facets
row '`/api/facets?actor=actor-3`' facets_actor
row '`/api/density?from=1900&to=2030&bins=300` (the strips)' density
row '`/api/density?actor=actor-3&from=1900&to=2030&bins=300`' density_actor
row 'first view of the page in chromium' view
row 'first view of the page opened as the server starts (chromium launched then)' view_start
row 'peak memory of the server (MB) after all of these' rss

#!/usr/bin/env bash
# The annals benchmark: synthetic datasets, the floor of annals' two
# dependencies measured in the same run on the same files, annals itself,
# and a Python baseline. Writes bench/RESULTS.md.
#
# usage: bench/run.sh BUILD_DIR        (from the source root; `make bench` does it)
# env:   BENCH_SIZES="10000 100000"    dataset sizes (BENCH_FULL=1 adds 1000000)
#        BENCH_RUNS=3                  runs per measurement; the median is kept
set -euo pipefail

BUILD=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT="$SRC/bench/out"
RUNS=${BENCH_RUNS:-3}
SIZES=${BENCH_SIZES:-"10000 100000"}
[ "${BENCH_FULL:-0}" = 1 ] && SIZES="$SIZES 1000000"
ANNALS="$BUILD/annals" GEN="$BUILD/annals-gen" FLOOR="$BUILD/annals-floor" PEAK="$BUILD/annals-peak"
SCHEMA="$SRC/schema/schema.sql"
HAVE_PY=0
python3 -c 'import yaml, sqlite3; yaml.CSafeLoader' 2>/dev/null && HAVE_PY=1
mkdir -p "$OUT"
declare -A R   # R[metric,size] = "seconds kb"

# measure NAME SIZE SETUP CMD...: median wall time and peak RSS over $RUNS runs.
# SETUP (a shell snippet, may be :) runs before each run, untimed.
measure() {
    local name=$1 size=$2 setup=$3; shift 3
    local runs=$RUNS i t
    # Minutes per run: once is enough for the Python baseline and for 1M events.
    [ "$name" = python ] || [ "$size" -ge 1000000 ] && runs=1
    : > "$OUT/times"
    for ((i = 0; i < runs; i++)); do
        eval "$setup"
        "$PEAK" "$@" > /dev/null 2> "$OUT/peak" || true
        tail -n 1 "$OUT/peak" >> "$OUT/times"
    done
    if awk '$3 != 0 {bad = 1} END {exit !bad}' "$OUT/times"; then
        echo "  $name: the command failed: $* (exit $(awk '$3 != 0 {print $3; exit}' "$OUT/times"))" >&2
        return 0
    fi
    t=$(sort -n "$OUT/times" | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}')
    R[$name,$size]="${t% *}"
    printf '  %-10s %8s s  %7s MB\n' "$name" "$(echo "$t" | cut -d' ' -f1)" \
        "$(echo "$t" | awk '{printf "%.1f", $2 / 1024}')" >&2
}

secs() { echo "${R[$1,$2]:-}" | cut -d' ' -f1; }
mb() { echo "${R[$1,$2]:-}" | awk '{ if ($2 != "") printf "%.1f", $2 / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

for n in $SIZES; do
    ds="$OUT/ds-$n"
    echo "== $n events" >&2
    [ -d "$ds" ] || "$GEN" "$n" 100 "$ds" 1
    files=$(find "$ds" -name '*.yaml' | sort)
    edit="sed -i 's/^    title: \\(.*\\)\$/    title: \\1 x/' $ds/events/e0050.yaml"
    # shellcheck disable=SC2086
    measure parse "$n" : "$FLOOR" parse $files
    # shellcheck disable=SC2086
    measure insert "$n" "rm -f $OUT/floor.db*" "$FLOOR" insert "$SCHEMA" "$OUT/floor.db" $files
    measure check "$n" : "$ANNALS" check -q "$ds"
    measure load "$n" "rm -f $OUT/a.db*" "$ANNALS" load -q --db "$OUT/a.db" "$ds"
    measure reload "$n" "$edit" "$ANNALS" load -q --db "$OUT/a.db" "$ds"
    measure report "$n" : "$ANNALS" report --db "$OUT/a.db" --format json
    measure actor "$n" : "$ANNALS" report --db "$OUT/a.db" --actor actor-12 --format json
    measure region "$n" : "$ANNALS" report --db "$OUT/a.db" --region place-12 --format json
    if [ "$HAVE_PY" = 1 ] && [ "$n" -le 100000 ]; then
        # shellcheck disable=SC2086
        measure python "$n" "rm -f $OUT/py.db*" python3 "$SRC/bench/baseline.py" "$SCHEMA" "$OUT/py.db" $files
    fi
done

# ---- RESULTS.md --------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
big=100000; case " $SIZES " in *" 1000000 "*) big=1000000 ;; esac
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { if (v == "n/a" || v == "") print "n/a"; else if ((op == "<=" && v <= t) || (op == ">=" && v >= t) || (op == "<" && v < t)) print "PASS"; else print "FAIL" }'; }

{
    echo "# Benchmark results"
    echo
    echo "Made by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d): median of $RUNS runs"
    echo "(the Python baseline and 1M events: one run). Datasets from bench/gen.c, 100 event"
    echo "files each."
    echo
    echo "Machine: $cpu, $(nproc) cores, $mem, $(uname -sr); $(cc --version | head -1);"
    echo "SQLite $(pkg-config --modversion sqlite3), libyaml $(pkg-config --modversion yaml-0.1)."
    echo
    printf '| seconds (peak MB) |'; for n in $SIZES; do printf ' %s events |' "$n"; done; echo
    printf '|---|'; for n in $SIZES; do printf -- '---|'; done; echo
    for m in parse insert check load reload report actor region python; do
        case $m in
            parse) label="floor: libyaml parse alone" ;;
            insert) label="floor: libyaml parse + SQLite inserts" ;;
            check) label="annals check" ;;
            load) label="annals load (new database)" ;;
            reload) label="annals load after editing 1 file of 100" ;;
            report) label="annals report --format json (all events)" ;;
            actor) label="annals report --actor (a leaf actor)" ;;
            region) label="annals report --region (a leaf place)" ;;
            python) label="Python: PyYAML CSafeLoader + sqlite3" ;;
        esac
        printf '| %s |' "$label"
        for n in $SIZES; do
            s=$(secs "$m" "$n")
            if [ -n "$s" ]; then printf ' %s (%s) |' "$s" "$(mb "$m" "$n")"; else printf ' n/a |'; fi
        done
        echo
    done
    echo
    echo "## Targets"
    echo
    echo "| target | measured | goal | |"
    echo "|---|---|---|---|"
    r=$(ratio "$(secs load 100000)" "$(secs insert 100000)")
    echo "| load of 100k vs floor (parse + insert) | ${r}x | <= 1.5x | $(verdict "$r" 1.5 '<=') |"
    r=$(ratio "$(secs python 100000)" "$(secs load 100000)")
    echo "| load of 100k vs the Python script | ${r}x faster | >= 10x | $(verdict "$r" 10 '>=') |"
    r=$(ratio "$(secs check 100000)" "$(secs parse 100000)")
    echo "| check of 100k vs libyaml parse alone | ${r}x | <= 1.5x | $(verdict "$r" 1.5 '<=') |"
    m=$(mb load "$big")
    echo "| peak memory of load at $big events | $m MB | < 100 MB | $(verdict "$m" 100 '<') |"
    r=$(ratio "$(mb load "$big")" "$(mb load 100000)")
    echo "| peak memory of load, $big vs 100k | ${r}x | <= 2x | $(verdict "$r" 2 '<=') |"
    r=$(ratio "$(secs reload 100000)" "$(secs load 100000)")
    echo "| reload after a 1-file edit vs full load (100k) | ${r}x | <= 0.10x | $(verdict "$r" 0.10 '<=') |"
    r=$(ratio "$(mb report "$big")" "$(mb report 100000)")
    echo "| report memory, $big vs 100k events | ${r}x | flat (<= 1.2x) | $(verdict "$r" 1.2 '<=') |"
    a=$(secs actor "$big")
    echo "| actor query at $big events | $a s | milliseconds (< 0.1 s) | $(verdict "$a" 0.1 '<') |"
    a=$(secs region "$big")
    echo "| region query at $big events | $a s | milliseconds (< 0.1 s) | $(verdict "$a" 0.1 '<') |"
} > "$SRC/bench/RESULTS.md.new"
if [ -f "$SRC/bench/NOTES.md" ]; then
    { echo; cat "$SRC/bench/NOTES.md"; } >> "$SRC/bench/RESULTS.md.new"
fi
mv "$SRC/bench/RESULTS.md.new" "$SRC/bench/RESULTS.md"
cat "$SRC/bench/RESULTS.md"

#!/usr/bin/env bash
# The annals benchmark: synthetic datasets; the floor of annals' two
# dependencies (libyaml alone; libyaml + SQLite inserts), measured in the same
# run on the same files; annals itself; a Python baseline. Prints the results
# and writes them to bench/RESULTS.md (with bench/NOTES.md appended).
#
# usage: bench/run.sh [BUILD_DIR]      (default: build; `make bench` runs it)
# env:   BENCH_SIZES="10000 100000"    dataset sizes in events (100 event files each)
#        BENCH_FULL=1                  adds 1000000 (`make bench-full`)
#        BENCH_RUNS=3                  runs per measurement; the median is kept
#        BENCH_RUNS_1M=1               runs per measurement at 1M events and more
#        BENCH_PY_1M=0                 1: run the Python baseline at 1M events too
#        BENCH_SERVE=1                 0: leave out annals serve (bench/serve.sh)
#        BENCH_SERVE_SIZES=...         annals serve's sizes (default: BENCH_SIZES), e.g.
#                                      "10000 100000 1000000" with BENCH_SERVE_DATA (serve.sh)
# Everything it writes, except bench/RESULTS.md, is under bench/out/.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
OUT="$SRC/bench/out"
RUNS=${BENCH_RUNS:-3}
RUNS_1M=${BENCH_RUNS_1M:-1}
SIZES=${BENCH_SIZES:-"10000 100000"}
[ "${BENCH_FULL:-0}" = 1 ] && case " $SIZES " in *" 1000000 "*) ;; *) SIZES="$SIZES 1000000" ;; esac
ANNALS="$BUILD/annals" GEN="$BUILD/annals-gen" FLOOR="$BUILD/annals-floor" PEAK="$BUILD/annals-peak"
SCHEMA="$SRC/schema/schema.sql"
for tool in "$ANNALS" "$GEN" "$FLOOR" "$PEAK"; do
    [ -x "$tool" ] || { echo "bench: $tool is missing: run 'make build' first" >&2; exit 1; }
done

HAVE_PY=0
python3 -c 'import sqlite3, yaml; yaml.CSafeLoader' 2>/dev/null && HAVE_PY=1
HAVE_REPORT=0
"$ANNALS" help report >/dev/null 2>&1 && HAVE_REPORT=1
NO_REPORT="n/a (no report command)"
HAVE_DIFF=0
"$ANNALS" help diff >/dev/null 2>&1 && HAVE_DIFF=1
NO_DIFF="n/a (no diff command)"

mkdir -p "$OUT"
: > "$OUT/log"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A R      # R[metric,size]: "SECONDS KB", or a note such as "n/a (...)"
declare -A MATCH  # MATCH[metric,size]: events a query returned
declare -A SIZE_MB ROWS   # per size: MB of YAML; the row-count comparison

log() { echo "$*" >&2; }

# measure NAME SIZE SETUP CMD...: the median wall time and the median peak
# RSS of CMD over the runs. SETUP (a function, or :) runs before each run,
# untimed. CMD's stdout goes to $STDOUT (default /dev/null), its stderr to
# bench/out/log.
measure() {
    local name=$1 size=$2 setup=$3; shift 3
    local runs=$RUNS i secs kb code
    [ "$size" -ge 1000000 ] && runs=$RUNS_1M
    : > "$OUT/times"
    for ((i = 0; i < runs; i++)); do
        "$setup"
        echo "== $name $size: ${*:1:4}$([ $# -gt 4 ] && echo " ... ($# words)")" >> "$OUT/log"
        rm -f "$OUT/peak"
        "$PEAK" -o "$OUT/peak" "$@" > "${STDOUT:-/dev/null}" 2>> "$OUT/log" || true
        read -r secs kb code < "$OUT/peak" || code="? (annals-peak)"
        if [ "$code" != 0 ]; then
            R[$name,$size]="failed (exit $code)"
            log "  $name: failed with exit code $code: ${*:1:4}...  (see bench/out/log)"
            tail -n 5 "$OUT/log" >&2
            return 0
        fi
        echo "$secs $kb" >> "$OUT/times"
    done
    secs=$(cut -d' ' -f1 "$OUT/times" | median)
    kb=$(cut -d' ' -f2 "$OUT/times" | median)
    R[$name,$size]="$secs $kb"
    printf '  %-8s %8.3f s %8.1f MB   (%d run%s)\n' "$name" "$secs" \
        "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$runs" "$([ "$runs" = 1 ] || echo s)" >&2
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                         else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

skip() { R[$1,$2]=$3; log "  $1: $3"; }

# Values for the tables: seconds, MB, or empty when there is no number.
num() { case "${R[$1,$2]:-}" in [0-9]*) return 0 ;; *) return 1 ;; esac; }
secs() { if num "$1" "$2"; then echo "${R[$1,$2]% *}"; fi; }
mb() { if num "$1" "$2"; then awk -v k="${R[$1,$2]#* }" 'BEGIN { printf "%.1f", k / 1024 }'; fi; }
cell() {
    if num "$1" "$2"; then printf '%s (%s)' "$(secs "$1" "$2")" "$(mb "$1" "$2")"
    else printf '%s' "${R[$1,$2]:-n/a}"; fi
}

# ---- Setups (untimed) ----------------------------------------------------------

fresh_floor() { rm -f "$OUT/floor.db" "$OUT/floor.db-wal" "$OUT/floor.db-shm"; }
fresh_annals() { rm -f "$OUT/a.db" "$OUT/a.db-wal" "$OUT/a.db-shm"; }
fresh_python() { rm -f "$OUT/py.db" "$OUT/py.db-wal" "$OUT/py.db-shm"; }

# The database holds the generated file; then one event is appended to it.
edit_one_file() {
    cp "$PRISTINE" "$EDIT_FILE"
    "$ANNALS" load -q --db "$OUT/a.db" "$DS" >> "$OUT/log" 2>&1 || log "  annals load failed (see bench/out/log)"
    cat >> "$EDIT_FILE" <<'YAML'
  - id: ev-bench-edit
    date: 2021-06-28
    title: an event appended by bench/run.sh
    type: meeting
    actors: [actor-0]
    places: [place-0]
    tags: [summit]
    sources: [source-0]
YAML
}

# ---- The measurements ----------------------------------------------------------

log "bench: sizes $SIZES; $RUNS run(s) each (at 1M: $RUNS_1M); build $BUILD"
[ "$HAVE_PY" = 1 ] || log "bench: no python3 with PyYAML (libyaml): the Python baseline is skipped"
[ "$HAVE_REPORT" = 1 ] || log "bench: this annals has no report command: the report rows are skipped"

for n in $SIZES; do
    DS="$OUT/ds-$n"
    log "== $n events"
    # A dataset is made again when the generator changed or a run was cut short.
    if [ ! -f "$DS.stamp" ] || [ "$GEN" -nt "$DS.stamp" ]; then
        log "  generating $DS"
        rm -rf "$DS" "$DS.tmp" "$DS.stamp"
        "$GEN" "$n" 100 "$DS.tmp" 1
        mv "$DS.tmp" "$DS"
        touch "$DS.stamp"
    fi
    mapfile -t FILES < <(find "$DS" -name '*.yaml' | LC_ALL=C sort)
    EDIT_FILE="$DS/events/e0050.yaml"
    [ -f "$EDIT_FILE" ] || EDIT_FILE=${FILES[${#FILES[@]} - 1]}
    PRISTINE="$OUT/pristine-$n.yaml"   # outside the dataset: annals reads every *.yaml in it
    if [ ! -f "$PRISTINE" ] || [ "$DS.stamp" -nt "$PRISTINE" ]; then cp "$EDIT_FILE" "$PRISTINE"; fi
    cp "$PRISTINE" "$EDIT_FILE"
    SIZE_MB[$n]=$(du -sm "$DS" | cut -f1)
    fresh_floor; fresh_annals; fresh_python

    measure parse "$n" : "$FLOOR" parse "${FILES[@]}"
    STDOUT="$OUT/floor-phases-$n" measure insert "$n" fresh_floor "$FLOOR" insert --schema "$SCHEMA" "$OUT/floor.db" "${FILES[@]}"
    measure check "$n" : "$ANNALS" check -q "$DS"
    measure load "$n" fresh_annals "$ANNALS" load -q --db "$OUT/a.db" "$DS"
    measure reload "$n" edit_one_file "$ANNALS" load -q --db "$OUT/a.db" "$DS"
    # Back to the generated files, in the files and in the database.
    cp "$PRISTINE" "$EDIT_FILE"
    # The language server (bench/lsp.py): first diagnostics, a one-character
    # edit (median of 10), completion and hover (medians of 20), its peak memory.
    log "  annals lsp (bench/lsp.py)"
    if lsp=$(python3 "$SRC/bench/lsp.py" "$ANNALS" "$DS" "$EDIT_FILE" 10 2>> "$OUT/log"); then
        declare -A L=()
        for kv in $lsp; do L[${kv%%=*}]=${kv#*=}; done
        for m in first edit complete hover; do R[lsp_$m,$n]="${L[$m]} ${L[peak_kb]}"; done
        log "  lsp: $lsp"
    else
        for m in first edit complete hover; do skip "lsp_$m" "$n" "failed (see bench/out/log)"; done
    fi
    cp "$PRISTINE" "$EDIT_FILE"
    "$ANNALS" load -q --db "$OUT/a.db" "$DS" >> "$OUT/log" 2>&1 || log "  annals load failed (see bench/out/log)"

    if [ "$HAVE_REPORT" = 1 ]; then
        measure report "$n" : "$ANNALS" report --db "$OUT/a.db" --format json
        measure actor "$n" : "$ANNALS" report --db "$OUT/a.db" --actor actor-3 --format json
        measure page "$n" : "$ANNALS" report --db "$OUT/a.db" --actor actor-3 --limit 100 --format json
        measure leaf "$n" : "$ANNALS" report --db "$OUT/a.db" --actor actor-12 --format json
        measure region "$n" : "$ANNALS" report --db "$OUT/a.db" --region place-12 --format json
        for q in actor:--actor:actor-3 leaf:--actor:actor-12 region:--region:place-12; do
            IFS=: read -r m opt val <<< "$q"
            MATCH[$m,$n]=$(( $("$ANNALS" report --db "$OUT/a.db" "$opt" "$val" --format csv | wc -l) - 1 ))
        done
    else
        for m in report actor page leaf region; do skip "$m" "$n" "$NO_REPORT"; done
    fi

    # annals diff: the dataset against itself, against a copy with one file
    # edited (an event appended, as for the reload), and its database against it.
    if [ "$HAVE_DIFF" = 1 ]; then
        EDITED="$OUT/ds-$n-edited"
        if [ ! -d "$EDITED" ] || [ "$DS.stamp" -nt "$EDITED" ]; then
            rm -rf "$EDITED" && cp -r "$DS" "$EDITED"
            cat >> "$EDITED/${EDIT_FILE#"$DS"/}" <<'YAML'
  - id: ev-bench-edit
    date: 2021-06-28
    title: an event appended by bench/run.sh
    sources: [source-0]
YAML
        fi
        # From a directory whose annals.db (the one `annals load` keeps) mirrors DS.
        CACHE="$OUT/cache-$n"
        mkdir -p "$CACHE" && cp "$OUT/a.db" "$CACHE/annals.db"
        measure diffself "$n" : "$ANNALS" diff "$DS" "$DS"
        measure diffedit "$n" : "$ANNALS" diff "$DS" "$EDITED"
        measure diffselfc "$n" : sh -c 'cd "$1" && shift && exec "$@"' _ "$CACHE" "$ANNALS" diff "$DS" "$DS"
        measure diffeditc "$n" : sh -c 'cd "$1" && shift && exec "$@"' _ "$CACHE" "$ANNALS" diff "$DS" "$EDITED"
        measure diffdb "$n" : "$ANNALS" diff "$OUT/a.db" "$DS"
    else
        for m in diffself diffedit diffselfc diffeditc diffdb; do skip "$m" "$n" "$NO_DIFF"; done
    fi

    if [ "$HAVE_PY" = 0 ]; then
        skip python "$n" "n/a (no python3-yaml)"
    elif [ "$n" -ge 1000000 ] && [ "${BENCH_PY_1M:-0}" != 1 ]; then
        skip python "$n" "not run (BENCH_PY_1M=1)"
    else
        measure python "$n" fresh_python python3 "$SRC/bench/baseline.py" "$SCHEMA" "$OUT/py.db" "${FILES[@]}"
    fi

    # Honesty check: the floor and the baseline hold the rows annals holds.
    if [ "$HAVE_PY" = 1 ]; then
        ROWS[$n]=$(python3 - "$OUT/a.db" "$OUT/floor.db" "$OUT/py.db" <<'PY'
import os, sqlite3, sys
tables = ("files actors places sources events actor_names place_names actor_parents "
          "place_parents event_parents event_actors event_places event_tags event_sources "
          "event_figures").split()
counts = []
for path in sys.argv[1:]:
    if not os.path.exists(path):
        counts.append(None)
        continue
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    counts.append([db.execute("SELECT count(*) FROM " + t).fetchone()[0] for t in tables])
a, f, p = counts
bad = [t for i, t in enumerate(tables)
       if (f and f[i] != a[i]) or (p and p[i] != a[i])]
print("%d rows in %d tables, %s" % (sum(a), len(tables),
      "the same in the floor's and Python's databases" if not bad else
      "DIFFERENT in: " + ", ".join(bad)))
PY
        ) || ROWS[$n]="row counts not compared (see bench/out/log)"
        log "  rows: ${ROWS[$n]}"
    fi
done

# ---- RESULTS.md ----------------------------------------------------------------

cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt" 2>/dev/null | head -n 1; }
cc=$(cache CMAKE_C_COMPILER); cc=${cc:-cc}
btype=$(cache CMAKE_BUILD_TYPE)
bflags=$(cache "CMAKE_C_FLAGS_$(echo "$btype" | tr '[:lower:]' '[:upper:]')")
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
busy=$(awk -v a="${LOAD_START%% *}" -v b="${LOAD_END%% *}" -v c="$(nproc)" 'BEGIN { print (a > c || b > c) ? 1 : 0 }')
read -r -a sizes <<< "$SIZES"
big=${sizes[${#sizes[@]} - 1]}
prev=${sizes[0]}; [ ${#sizes[@]} -ge 2 ] && prev=${sizes[${#sizes[@]} - 2]}
has() { case " $SIZES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# target LABEL MEASURED COMPARED_TO RATIO OP LIMIT GOAL: one row; RATIO (a number,
# or a note) is what is checked: RATIO OP LIMIT passes.
target() {
    local shown=$4 verdict
    verdict=$(awk -v v="$4" -v op="$5" -v t="$6" 'BEGIN {
        if (v !~ /^[0-9.]+$/) { print "n/a"; exit }
        ok = (op == "<=" && v + 0 <= t + 0) || (op == ">=" && v + 0 >= t + 0) || (op == "<" && v + 0 < t + 0)
        print ok ? "PASS" : "FAIL" }')
    [[ $shown =~ ^[0-9.]+$ ]] && shown="${shown}x"
    echo "| $1 | $2 | $3 | $shown | $7 | $verdict |"
}
# absolute LABEL VALUE UNIT OP LIMIT GOAL: a row whose measured value itself is checked.
absolute() {
    local verdict
    verdict=$(awk -v v="$2" -v op="$4" -v t="$5" 'BEGIN {
        if (v !~ /^[0-9.]+$/) { print "n/a"; exit }
        ok = (op == "<=" && v + 0 <= t + 0) || (op == "<" && v + 0 < t + 0)
        print ok ? "PASS" : "FAIL" }')
    echo "| $1 | $(with_unit "$2" "$3") | - | - | $6 | $verdict |"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
# with_unit VALUE UNIT: "VALUE UNIT", or n/a.
with_unit() { if [ -n "$1" ]; then echo "$1 $2"; else echo "n/a"; fi; }

{
    echo "# Benchmark results"
    echo
    echo "Made by \`make bench$([ "${BENCH_FULL:-0}" = 1 ] && echo -full)\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'). Medians of"
    echo "$RUNS runs (at 1M events: $RUNS_1M); seconds of wall time and, in brackets, peak resident"
    echo "memory in MB (\`annals-peak\`: fork, exec, wait4's ru_maxrss)."
    echo
    echo "- Machine: $cpu, $(nproc) cores, $mem RAM, $(uname -sr)"
    echo "- Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $LOAD_END$([ "$busy" = 1 ] &&
        echo " (**more than the cores: other work competed for the CPU, times are inflated**)")"
    echo "- Compiler: $("$cc" --version | head -n 1); build type ${btype:-?} (${bflags:-?})"
    echo "- Libraries (as linked): $("$FLOOR" --version)"
    echo "- Datasets: \`annals-gen N 100 DIR 1\` (bench/gen.c), 100 event files each:"
    echo "  $(for n in $SIZES; do printf '%s events %s MB of YAML; ' "$n" "${SIZE_MB[$n]}"; done | sed 's/; $//')"
    if [ "$HAVE_PY" = 1 ]; then
        for n in $SIZES; do echo "- Rows at $n events: ${ROWS[$n]:-n/a}"; done
    fi
    for n in $SIZES; do
        [ -s "$OUT/floor-phases-$n" ] &&
            echo "- Floor insert at $n events, by phase (last run): $(tr '\n' ' ' < "$OUT/floor-phases-$n" |
                sed 's/ \([a-z]\)/ s, \1/g; s/ $/ s/')"
    done
    echo
    printf '| seconds (peak MB) |'; for n in $SIZES; do printf ' %s events |' "$n"; done; echo
    printf '|---|'; for n in $SIZES; do printf -- '---:|'; done; echo
    for m in parse insert check load reload lsp_first lsp_edit lsp_complete lsp_hover report actor page leaf region diffself diffedit diffselfc diffeditc diffdb python; do
        case $m in
            parse) label="floor: libyaml parse alone (\`annals-floor parse\`)" ;;
            insert) label="floor: libyaml parse + SQLite inserts (\`annals-floor insert\`)" ;;
            check) label="annals check" ;;
            load) label="annals load (new database)" ;;
            reload) label="annals load after appending 1 event to 1 file of 100" ;;
            lsp_first) label="annals lsp: first diagnostics, from its start (peak of the server)" ;;
            lsp_edit) label="annals lsp: new diagnostics after a 1-character edit (median of 10)" ;;
            lsp_complete) label="annals lsp: completion at an actor reference (median of 20)" ;;
            lsp_hover) label="annals lsp: hover on an actor reference (median of 20)" ;;
            report) label="annals report --format json (all events, to /dev/null)" ;;
            actor) label="annals report --actor actor-3 --format json" ;;
            page) label="annals report --actor actor-3 --limit 100 --format json (its first 100)" ;;
            leaf) label="annals report --actor actor-12 --format json (a leaf actor)" ;;
            region) label="annals report --region place-12 --format json (a leaf place)" ;;
            diffself) label="annals diff DS DS (the dataset against itself)" ;;
            diffedit) label="annals diff DS COPY (a copy with 1 event appended to 1 file of 100)" ;;
            diffselfc) label="annals diff DS DS, with an annals.db of DS in the current directory" ;;
            diffeditc) label="annals diff DS COPY, with an annals.db of DS in the current directory" ;;
            diffdb) label="annals diff DB DS (the loaded database against its dataset)" ;;
            python) label="Python: PyYAML CSafeLoader + sqlite3 (bench/baseline.py)" ;;
        esac
        printf '| %s |' "$label"
        for n in $SIZES; do
            printf ' %s' "$(cell "$m" "$n")"
            [ -n "${MATCH[$m,$n]:-}" ] && printf ', %s events' "${MATCH[$m,$n]}"
            printf ' |'
        done
        echo
    done
    echo
    echo "## Targets"
    echo
    echo "| target | measured | compared to | ratio | goal | |"
    echo "|---|---:|---:|---:|---|---|"
    k=100000 full="n/a (1M events: make bench-full)"
    a=$(secs load $k) b=$(secs insert $k)
    target "annals load, 100k events, vs the floor (parse + insert)" "$(with_unit "$a" s)" \
        "$(with_unit "$b" s)" "$(ratio "$a" "$b")" '<=' 1.5 '<= 1.5x'
    a=$(secs load $k) b=$(secs python $k)
    target "annals load, 100k events, vs the Python script (speed-up)" "$(with_unit "$a" s)" \
        "$(with_unit "$b" s)" "$(ratio "$b" "$a")" '>=' 10 '>= 10x faster'
    a=$(secs check $k) b=$(secs parse $k)
    target "annals check, 100k events, vs libyaml parse alone" "$(with_unit "$a" s)" \
        "$(with_unit "$b" s)" "$(ratio "$a" "$b")" '<=' 1.5 '<= 1.5x'
    if has 1000000; then
        a=$(mb load 1000000)
        absolute "peak memory of annals load, 1M events" "$a" MB '<' 100 '< 100 MB'
        b=$(mb load $k)
        target "peak memory of annals load, 1M vs 100k events" "$(with_unit "$a" MB)" \
            "$(with_unit "$b" MB)" "$(ratio "$a" "$b")" '<=' 2 '<= 2x'
    else
        echo "| peak memory of annals load, 1M events | $full | - | - | < 100 MB | n/a |"
        echo "| peak memory of annals load, 1M vs 100k events | $full | - | - | <= 2x | n/a |"
    fi
    a=$(secs reload $k) b=$(secs load $k)
    target "reload after an edit to 1 file of 100, 100k events, vs a full load" \
        "$(with_unit "$a" s)" "$(with_unit "$b" s)" "$(ratio "$a" "$b")" '<=' 0.10 '<= 0.10x'
    if [ "$HAVE_DIFF" = 1 ]; then
        a=$(secs diffedit $k) b=$(secs load $k)
        target "annals diff against a copy with 1 file edited, 100k events, vs a full load" \
            "$(with_unit "$a" s)" "$(with_unit "$b" s)" "$(ratio "$a" "$b")" '<=' 1.0 '<= 1.0x'
        a=$(secs diffself $k) b=$(secs check $k)
        target "annals diff of the dataset against itself, 100k events, no database, vs annals check" \
            "$(with_unit "$a" s)" "$(with_unit "$b" s)" "$(ratio "$a" "$b")" '<=' 1.1 '<= 1.1x (one check)'
        absolute "annals diff of the dataset against itself, 100k events, annals.db of it at hand" \
            "$(secs diffselfc $k)" s '<' 1 '< 1 s'
        absolute "annals diff of the loaded database against its dataset, 100k events" \
            "$(secs diffdb $k)" s '<' 1 '< 1 s'
    else
        echo "| annals diff | $NO_DIFF | - | - | - | n/a |"
    fi
    a=$(secs lsp_first $k) b=$(secs check $k)
    target "annals lsp, 100k events: first diagnostics vs annals check" "$(with_unit "$a" s)" \
        "$(with_unit "$b" s)" "$(ratio "$a" "$b")" '<=' 1.5 '<= 1.5x'
    absolute "annals lsp, 100k events: diagnostics after a 1-character edit (median)" \
        "$(secs lsp_edit $k)" s '<=' 0.3 '<= 0.3 s'
    absolute "annals lsp, 100k events: completion (median)" "$(secs lsp_complete $k)" s \
        '<=' 0.05 '<= 0.05 s'
    absolute "annals lsp, 100k events: hover (median)" "$(secs lsp_hover $k)" s '<=' 0.05 \
        '<= 0.05 s'
    a=$(mb lsp_first $k) b=$(mb load $k)
    target "annals lsp, 100k events: peak memory vs annals load" "$(with_unit "$a" MB)" \
        "$(with_unit "$b" MB)" "$(ratio "$a" "$b")" '<=' 2 '<= 2x'
    # Below 100k events the page cache (32 MB) is still filling: a report's
    # peak grows with the database until then, and is flat after it.
    if [ "$HAVE_REPORT" = 1 ] && [ "$big" != "$prev" ] && [ "$prev" -ge 100000 ]; then
        a=$(mb report "$big") b=$(mb report "$prev")
        target "report memory flat: peak of report --format json, $big vs $prev events" \
            "$(with_unit "$a" MB)" "$(with_unit "$b" MB)" "$(ratio "$a" "$b")" '<=' 1.2 '<= 1.2x (flat)'
    else
        echo "| report memory flat (1M vs 100k events) | $([ "$HAVE_REPORT" = 1 ] && echo "n/a (needs 100k and 1M events: make bench-full)" || echo "$NO_REPORT") | - | - | <= 1.2x | n/a |"
    fi
    if [ "$HAVE_REPORT" = 1 ]; then
        a=$(secs actor "$big")
        note=""; has 1000000 || note=" (1M: make bench-full)"
        absolute "actor query, a leaf actor (--actor actor-12), $big events$note" \
            "$(secs leaf "$big")" s '<' 0.1 '< 0.1 s (milliseconds)'
        absolute "region query, a leaf place (--region place-12), $big events$note" \
            "$(secs region "$big")" s '<' 0.1 '< 0.1 s (milliseconds)'
        absolute "actor query, first 100 events of a broad actor (--actor actor-3 --limit 100), $big events$note" \
            "$(secs page "$big")" s '<' 0.1 '< 0.1 s (milliseconds)'
        absolute "actor query, every event of a broad actor as JSON (--actor actor-3: ${MATCH[actor,$big]:-?} events), $big events$note" \
            "$a" s '<' 0.1 '< 0.1 s (milliseconds)'
    else
        echo "| actor query (--actor actor-3) | $NO_REPORT | - | - | < 0.1 s | n/a |"
    fi
    echo
    echo "The floor is the same work as \`annals load\` without annals: libyaml parses every"
    echo "file (read into memory first); each record becomes the rows annals inserts (the"
    echo "INSERTs of src/records.c: same tables, columns and indexes, indexes built after the"
    echo "rows, the full-text rebuild), with prepared statements in one transaction, on one"
    echo "core. It skips what annals adds: validation, EDTF bounds, folded names,"
    echo "fingerprints, the dataset-wide rules. The Python script does the same mapping with"
    echo "PyYAML's libyaml loader and the sqlite3 module."
    echo "Every row is measured in the same run, on the same files; see bench/README.md."
    # The local server on the same datasets (its own script: a server and a browser).
    if [ "${BENCH_SERVE:-1}" = 1 ]; then
        echo
        "$SRC/bench/serve.sh" "$BUILD" "${BENCH_SERVE_SIZES:-$SIZES}" ||
            echo "(bench/serve.sh failed: see bench/out/log)"
    fi
} > "$SRC/bench/RESULTS.md.new"
if [ -f "$SRC/bench/NOTES.md" ]; then
    { echo; cat "$SRC/bench/NOTES.md"; } >> "$SRC/bench/RESULTS.md.new"
fi
mv "$SRC/bench/RESULTS.md.new" "$SRC/bench/RESULTS.md"
cat "$SRC/bench/RESULTS.md"

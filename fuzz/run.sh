#!/usr/bin/env bash
# Run each fuzz target for SECONDS (default 60) on its corpus; report the numbers.
# usage: fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$1
SECONDS_EACH=${2:-60}
shift 2 || true
TARGETS=${*:-edtf dataset query}
for t in $TARGETS; do
    corpus="fuzz/corpus-$t"
    mkdir -p "$corpus" fuzz/artifacts
    seeds="fuzz/seeds/$t"
    if [ "$t" = dataset ]; then
        mkdir -p fuzz/seeds/dataset
        find data tests/data -name '*.yaml' -size -64k | while read -r f; do
            cp "$f" "fuzz/seeds/dataset/$(echo "$f" | tr / _)"
        done
    fi
    echo "== fuzz_$t for ${SECONDS_EACH}s"
    "$BUILD/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -dict=fuzz/annals.dict \
        -artifact_prefix="fuzz/artifacts/$t-" -print_final_stats=1 -max_len=65536 \
        "$corpus" "$seeds" > "fuzz/artifacts/$t.log" 2>&1 || status=$?
    grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)|^stat::|ERROR|SUMMARY|artifact|Test unit' "fuzz/artifacts/$t.log" || true
    if [ "${status:-0}" -ne 0 ]; then
        echo "fuzz_$t found a problem: see fuzz/artifacts/$t.log" >&2
        exit 1
    fi
done

#!/usr/bin/env bash
# Run each fuzz target for SECONDS (default 60) on its corpus; report the numbers.
# usage: fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]     (targets: edtf dataset query lsp)
# The corpus grows in fuzz/corpus-TARGET (not in git), starting from the seeds
# in fuzz/seeds/ and every YAML fixture; findings go to fuzz/artifacts/.
# A finding fails the run: minimise it, fix it, and keep it as a regression
# input in tests/data/fuzz-regressions/TARGET/ with the outcome it must come to
# in tests/test_fuzz_regressions.c's table (replayed by test_fuzz_regressions).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$1
SECONDS_EACH=${2:-60}
shift 2 || true
TARGETS=${*:-edtf dataset query lsp}
status=0
for t in $TARGETS; do
    corpus="fuzz/corpus-$t"
    mkdir -p "$corpus" fuzz/artifacts
    seeds=("fuzz/seeds/$t" "tests/data/fuzz-regressions/$t")
    if [ "$t" = dataset ]; then
        # Every YAML fixture is a one-file dataset; dataset-split holds several files.
        mkdir -p fuzz/seeds/dataset
        find data tests/data -name '*.yaml' -size -64k | while read -r f; do
            cp "$f" "fuzz/seeds/dataset/$(echo "$f" | tr / _)"
        done
        seeds+=(fuzz/seeds/dataset-split)
    fi
    echo "== fuzz_$t for ${SECONDS_EACH}s"
    rc=0
    "$BUILD/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -dict=fuzz/annals.dict \
        -artifact_prefix="fuzz/artifacts/$t-" -print_final_stats=1 -max_len=65536 \
        -timeout=60 "$corpus" "${seeds[@]}" > "fuzz/artifacts/$t.log" 2>&1 || rc=$?
    grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)|^stat::|ERROR|SUMMARY|invariant|artifact|Test unit' \
        "fuzz/artifacts/$t.log" || true
    echo "corpus: $(find "$corpus" -type f | wc -l) inputs"
    if [ "$rc" -ne 0 ]; then
        echo "fuzz_$t found a problem: see fuzz/artifacts/$t.log" >&2
        status=1
    fi
done
exit "$status"

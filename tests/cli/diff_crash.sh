#!/bin/bash
# diff_crash.sh - `annals diff REV` interrupted at any moment (Ctrl-C, kill, hang-up)
# leaves no private directory behind (a timing test: left out of the valgrind pass).
source "$(dirname "$0")/lib/common.sh"
use_git
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"

mkdir big && cd big && git init -q
"$BUILD_DIR/annals-gen" 3000 20 data 1 >/dev/null || fail "generator"
git add data && git commit -qm "generated"
printf '  - id: ev-extra\n    date: 2021\n    title: Extra\n    sources: [source-0]\n' >> data/events/e0005.yaml
start=$(date +%s%N); "$ANNALS" diff HEAD >/dev/null 2>&1; took=$(( ($(date +%s%N) - start) / 1000000 ))
TRIALS=24
for trial in $(seq 1 $TRIALS); do
    sig=INT; [ $((trial % 3)) = 1 ] && sig=TERM; [ $((trial % 3)) = 2 ] && sig=HUP
    delay=$(( took * (trial - 1) / (TRIALS - 1) ))
    "$ANNALS" diff HEAD >/dev/null 2>&1 & pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    sleep 0.1   # a git child killed with annals is reaped by then
    expect_eq "$(ls -A "$TMPDIR")" "" "private directory after SIG$sig at $delay ms of $took"
done

finish

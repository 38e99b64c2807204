# Shared helpers of the end-to-end CLI tests (sourced, not run).
# Each test script is run as: bash SCRIPT ANNALS_BINARY SOURCE_DIR
set -u
ANNALS=$(readlink -f "$1")
SRC=$(readlink -f "$2")
DATA="$SRC/tests/data"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
BUILD_DIR=$(dirname "$ANNALS")     # annals-gen and the other tools live here

# ANNALS_WRAPPER (e.g. "valgrind -q --error-exitcode=99 --leak-check=full")
# runs every annals command under a checker; its reports fail the command.
if [ -n "${ANNALS_WRAPPER:-}" ]; then
    # The wrapper's words split as in a shell; the binary's path is quoted.
    printf '#!/bin/sh\nexec %s '"'"'%s'"'"' "$@"\n' "$ANNALS_WRAPPER" \
        "$(printf '%s' "$ANNALS" | sed "s/'/'\\\\''/g")" > "$WORK/.annals"
    chmod +x "$WORK/.annals"
    ANNALS="$WORK/.annals"
fi
FAILS=0
CHECKS=0
SKIPPED=""
# CTest's SKIP_RETURN_CODE for the CLI tests (tests/CMakeLists.txt).
SKIP_CODE=77

# skip_test REASON: this test cannot run here at all; CTest reports it skipped.
skip_test() {
    echo "SKIP: $*"
    exit "$SKIP_CODE"
}

# need TOOL...: skip the whole test (skip_test) unless every TOOL is installed.
need() {
    local tool missing=""
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || missing="${missing:+$missing, }$tool"
    done
    [ -z "$missing" ] || skip_test "needs $missing (scripts/deps.sh test installs it)"
}

# use_git: git for repositories made here (the test is skipped without it),
# with no system or user configuration and a fixed author and committer.
use_git() {
    need git
    export GIT_CONFIG_NOSYSTEM=1 HOME="$WORK" GIT_AUTHOR_NAME="Ada Curator" \
        GIT_AUTHOR_EMAIL=ada@example.org GIT_COMMITTER_NAME="Ada Curator" \
        GIT_COMMITTER_EMAIL=ada@example.org
}

# skip_part REASON: a part of the test cannot run here; the rest goes on, and
# finish then reports the test skipped (when nothing failed), not passed.
skip_part() {
    echo "SKIP: $*"
    SKIPPED="${SKIPPED:+$SKIPPED; }$*"
}

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
    OUT=$("$@" 2>"$WORK/.stderr") && RC=0 || RC=$?
    ERR=$(cat "$WORK/.stderr")
}

fail() {
    FAILS=$((FAILS + 1))
    echo "FAIL: $*" >&2
    echo "  stdout: ${OUT:-}" | head -40 >&2
    echo "  stderr: ${ERR:-}" | head -40 >&2
}

expect_rc() {   # expect_rc N: the last run exited with N
    CHECKS=$((CHECKS + 1))
    [ "$RC" -eq "$1" ] || fail "expected exit code $1, got $RC"
}

expect_out() {  # expect_out TEXT: stdout contains TEXT
    CHECKS=$((CHECKS + 1))
    case "$OUT" in *"$1"*) ;; *) fail "stdout lacks: $1" ;; esac
}

expect_err() {  # expect_err TEXT: stderr contains TEXT
    CHECKS=$((CHECKS + 1))
    case "$ERR" in *"$1"*) ;; *) fail "stderr lacks: $1" ;; esac
}

expect_no_out() {  # expect_no_out TEXT: stdout does not contain TEXT
    CHECKS=$((CHECKS + 1))
    case "$OUT" in *"$1"*) fail "stdout has: $1" ;; *) ;; esac
}

expect_eq() {   # expect_eq ACTUAL EXPECTED [WHAT]
    CHECKS=$((CHECKS + 1))
    [ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# report_ids ARG...: the ids of the events `annals report ARG...` writes, in order, on one line (needs jq).
report_ids() {
    "$ANNALS" report "$@" -f json | jq -r '[.events[].id] | join(" ")'
}

# count_events DB: how many events the database DB holds (needs sqlite3).
count_events() {
    sqlite3 "$1" "SELECT count(*) FROM events"
}

# finish: print the count and exit non-zero on any failure, SKIP_CODE when a part was skipped.
finish() {
    echo "$((CHECKS - FAILS)) passed, $FAILS failed${SKIPPED:+, not run: $SKIPPED}"
    [ "$FAILS" -eq 0 ] || exit 1
    [ -z "$SKIPPED" ] || exit "$SKIP_CODE"
}

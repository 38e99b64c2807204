# Helpers of the `annals serve` tests (sourced after common.sh, not run).

# start_server ARGS...: start `annals serve --port 0 ARGS` in the background;
# sets SERVER_PID and URL (empty when it did not start). stderr in server.err.
start_server() {
    rm -f server.out    # before the start: a URL left from the last server must not be read
    "$ANNALS" serve --port 0 "$@" > server.out 2> server.err &
    SERVER_PID=$!
    URL=""
    local i
    for i in $(seq 1 $((600 * SLOW))); do
        URL=$(head -n 1 server.out 2>/dev/null || true)
        [ -n "$URL" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# stop_server: SIGTERM, and the exit code in SERVER_RC.
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" && SERVER_RC=0 || SERVER_RC=$?
}

# get PATH [CURL ARGS...]: body in $OUT, status in $STATUS.
get() {
    local path=$1
    shift
    OUT=$(curl -s -o "$WORK/.body" -w '%{http_code}' "$@" "${URL%/}$path" 2>"$WORK/.stderr") || true
    STATUS=$OUT
    OUT=$(cat "$WORK/.body")
    ERR=$(cat "$WORK/.stderr")
}

expect_status() {   # expect_status N
    CHECKS=$((CHECKS + 1))
    [ "$STATUS" = "$1" ] || fail "expected HTTP $1, got $STATUS"
}

# Under a checker (ANNALS_WRAPPER: valgrind) the server is slower: every wait is longer.
SLOW=1
[ -n "${ANNALS_WRAPPER:-}" ] && SLOW=6
export ANNALS_TEST_SLOW=$SLOW

# wait_for 'SHELL CONDITION': evaluate it again and again (quietly) until it holds, up to 30 s (x SLOW).
wait_for() {
    local i
    for i in $(seq 1 $((300 * SLOW))); do
        eval "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

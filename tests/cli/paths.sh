# Files and paths: full disks, closed pipes, unreadable and odd paths.
source "$(dirname "$0")/lib/common.sh"

"$ANNALS" load -q --db t.db "$SRC/data" || fail "load"

# Output to a full disk is an error (exit 3), never a silent success.
if [ -c /dev/full ]; then
    run sh -c "\"$ANNALS\" check \"$SRC/data\" > /dev/full"
    expect_rc 3
    expect_err "cannot write the output"
    run sh -c "\"$ANNALS\" report --db t.db --format json > /dev/full"
    expect_rc 3
    run sh -c "\"$ANNALS\" report --db t.db --format html -o /dev/full"
    expect_rc 3
    expect_eq "$(stat -c %F /dev/full)" "character special file" "/dev/full is left a device"
else
    echo "SKIP: no /dev/full here"
fi

# A closed pipe ends the writer (SIGPIPE, status 141): not a success.
# (The report must be larger than the pipe's buffer for the reader to close first.)
"$BUILD_DIR/annals-gen" 3000 5 big 1 && "$ANNALS" load -q --db big.db big || fail "big load"
run bash -c "\"$ANNALS\" report --db big.db --format json | head -c 1 > /dev/null; echo \${PIPESTATUS[0]}"
expect_out "141"

# A directory where a file is expected, a missing path, an empty directory.
mkdir empty
run "$ANNALS" check empty
expect_rc 0
expect_out "no problems in 0 files"
run "$ANNALS" check "$SRC/data/nope.yaml"
expect_rc 3
expect_err ""
expect_out "nope.yaml: error: cannot read: No such file or directory"
run "$ANNALS" report --db missing.db
expect_rc 3
expect_err "cannot open database 'missing.db'"
[ -e missing.db ] && fail "report created missing.db"

# Unreadable files: root reads anything, so this runs only as another user.
if [ "$(id -u)" -ne 0 ]; then
    mkdir ds && cp "$DATA/cli/actors.yaml" ds/ && chmod 000 ds/actors.yaml
    run "$ANNALS" check ds
    expect_rc 3
    expect_out "ds/actors.yaml: error: cannot read file: Permission denied"
else
    echo "SKIP: unreadable files (running as root, who can read them)"
fi

# Paths with spaces and non-ASCII names work and are shown as given.
mkdir "mes données"
printf 'events:\n  - id: e\n    date: 2021-13\n    title: t\n' > "mes données/évé nements.yaml"
run "$ANNALS" check "mes données"
expect_rc 1
expect_out "mes données/évé nements.yaml:3:16: error: invalid date '2021-13'"

finish

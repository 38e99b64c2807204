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
    # Every command that writes to stdout checks it.
    for cmd in "actors --db t.db" "places --db t.db" "sources --db t.db" "--help" "--version" \
               "help report" "check -f json '$DATA/cli/bad.yaml'" "load --db t2.db '$SRC/data'"; do
        run sh -c "\"$ANNALS\" $cmd > /dev/full"
        expect_rc 3
        expect_err "cannot write the output: No space left on device"
    done
else
    skip_part "no /dev/full here"
fi

# A closed pipe ends the writer (SIGPIPE, status 141): not a success.
# (The report must be larger than the pipe's buffer for the reader to close first.)
"$BUILD_DIR/annals-gen" 3000 5 big 1 && "$ANNALS" load -q --db big.db big || fail "big load"
run bash -c "\"$ANNALS\" report --db big.db --format json | head -c 1 > /dev/null; echo \${PIPESTATUS[0]}"
expect_out "141"
# When SIGPIPE is ignored (as some parents do), the write error is an error: exit 3.
run bash -c "trap '' PIPE; \"$ANNALS\" report --db big.db --format json 2>pipe.err | head -c 1 > /dev/null; echo \${PIPESTATUS[0]}; cat pipe.err"
expect_eq "$(printf '%s\n' "$OUT" | head -n 1)" 3 "exit status with SIGPIPE ignored"
expect_out "annals: cannot write the output: Broken pipe"

# A directory where a file is expected, a missing path, an empty directory.
mkdir empty
run "$ANNALS" check empty
expect_rc 1
expect_out "empty: error: no event file here"
run "$ANNALS" check "$SRC/data/nope.yaml"
expect_rc 3
expect_err ""
expect_out "nope.yaml: error: cannot read: No such file or directory"
run "$ANNALS" report --db missing.db
expect_rc 3
expect_err "cannot open database 'missing.db'"
[ -e missing.db ] && fail "report created missing.db"
run "$ANNALS" load --db nodir/t.db "$SRC/data"
expect_rc 3
expect_err "cannot create database 'nodir/t.db': folder 'nodir' does not exist"
run "$ANNALS" report --db t.db -o nodir/out.html
expect_rc 3
expect_err "cannot write 'nodir/out.html': No such file or directory"

# A directory where a file is expected: the database, the output.
mkdir adir
run "$ANNALS" load --db adir "$SRC/data"
expect_rc 3
expect_err "cannot open database 'adir': it is a directory"
run "$ANNALS" report --db adir
expect_rc 3
expect_err "cannot open database 'adir': it is a directory"
run "$ANNALS" report --db t.db -o adir
expect_rc 3
expect_err "cannot write 'adir': Is a directory"
expect_eq "$(ls -A adir)" "" "nothing written into the directory"
# A directory named like a YAML file is searched, not read.
mkdir -p tree/x.yaml && cp "$DATA/cli/actors.yaml" tree/x.yaml/
run "$ANNALS" check tree
expect_rc 0
expect_out "no problems in 1 file"

# Unreadable files and directories: root reads anything (chmod 000 and a
# directory without x stop nobody with CAP_DAC_OVERRIDE), so as root annals
# runs as the user nobody here (setpriv), when nobody can reach it.
AS_USER=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 755 "$WORK"
    "${AS_USER[@]}" test -x "$ANNALS" -a -r "$ANNALS" -a -w "$WORK" 2>/dev/null ||
        chmod 777 "$WORK"
    "${AS_USER[@]}" test -x "$ANNALS" -a -r "$ANNALS" 2>/dev/null || AS_USER=()
fi
if [ "$(id -u)" -ne 0 ] || [ "${#AS_USER[@]}" -gt 0 ]; then
    mkdir ds && cp "$DATA/cli/actors.yaml" ds/ && chmod 000 ds/actors.yaml
    chmod 755 ds
    run "${AS_USER[@]}" "$ANNALS" check ds
    expect_rc 3
    expect_out "ds/actors.yaml: error: cannot read file: Permission denied"
    chmod 644 ds/actors.yaml
    mkdir ds/locked && chmod 000 ds/locked
    run "${AS_USER[@]}" "$ANNALS" check ds
    expect_rc 3
    expect_out "ds/locked: error: cannot read directory: Permission denied"
    chmod 755 ds/locked
else
    skip_part "unreadable files and directories (running as root, who reads them, without setpriv)"
fi

# Paths with spaces and non-ASCII names work and are shown as given.
mkdir "mes données"
printf 'events:\n  - id: e\n    date: 2021-13\n    title: t\n' > "mes données/évé nements.yaml"
run "$ANNALS" check "mes données"
expect_rc 1
expect_out "mes données/évé nements.yaml:3:16: error: invalid date '2021-13'"

finish

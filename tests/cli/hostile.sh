# Hostile inputs around the data: a crafted database, devices as databases,
# directory loops, and source lines that would drive a terminal.
source "$(dirname "$0")/lib/common.sh"

need sqlite3

# --- A crafted database: an index definition that smuggles in more SQL. ---
# annals drops and rebuilds the indexes around a full load (a load of files the
# database does not hold yet); rebuilding from the file's own text would run
# the ATTACH and write a file of the attacker's choice.
"$ANNALS" load -q --db crafted.db "$DATA/cli/actors.yaml" || fail "load"
sqlite3 crafted.db "PRAGMA writable_schema = ON;
  UPDATE sqlite_schema SET sql = sql || '; ATTACH ''evil.db'' AS evil; CREATE TABLE evil.pwned(x)'
  WHERE name = 'actors_file';" || fail "crafting the index"
before=$(sha256sum crafted.db)
run "$ANNALS" load --db crafted.db "$SRC/data"
expect_rc 3
expect_err "index 'actors_file' is not one of annals' schema"
expect_err "load into a new database"
expect_eq "$([ -e evil.db ] && echo written || echo absent)" absent "the attached file"
expect_eq "$(sha256sum crafted.db)" "$before" "the crafted database, byte for byte"

# An index name made to break out of its quotes in DROP INDEX.
"$ANNALS" load -q --db named.db "$DATA/cli/actors.yaml" || fail "load"
sqlite3 named.db "CREATE INDEX \"x\"\"; ATTACH 'evil2.db' AS e; --\" ON events(title);" \
    || fail "crafting the index name"
run "$ANNALS" load --db named.db "$SRC/data"
expect_rc 3
expect_err "is not one of annals' schema"
expect_eq "$([ -e evil2.db ] && echo written || echo absent)" absent "the second attached file"

# A trigger cannot reach other files either: ATTACH is off on annals' connections.
"$ANNALS" load -q --db trig.db "$SRC/data" || fail "load"
sqlite3 trig.db "CREATE VIEW v AS SELECT sqlite_version();" || fail "crafting a view"
run "$ANNALS" report --db trig.db -n 1
expect_rc 0

# --- Devices and empty files as databases. ---
run "$ANNALS" load --db /dev/null "$SRC/data"
expect_rc 3
expect_err "cannot open database '/dev/null': not a regular file"
expect_eq "$(stat -c %F /dev/null)" "character special file" "/dev/null is left a device"
run "$ANNALS" report --db /dev/null
expect_rc 3
expect_err "not a regular file"
mkfifo fifo.db
run "$ANNALS" report --db fifo.db
expect_rc 3
expect_err "cannot open database 'fifo.db': not a regular file"
: > empty.db
run "$ANNALS" report --db empty.db
expect_rc 3
expect_err "database 'empty.db' is empty; fill it first with 'annals load --db empty.db'"
expect_eq "$(stat -c %s empty.db)" 0 "the empty database stays empty after a report"
run "$ANNALS" load --db empty.db "$SRC/data"
expect_rc 0
run "$ANNALS" report --db empty.db -n 1
expect_rc 0

# --- Directory loops: each file is read once, and the walk ends. ---
mkdir -p tree/sub
cp "$DATA/cli/actors.yaml" tree/sub/
ln -s .. tree/sub/up
ln -s . tree/self
ln -s sub tree/alias
# sub/actors.yaml is also reachable as alias/actors.yaml (a link to a sibling,
# not a loop): two files, so its ids are defined twice; the loops add nothing.
run timeout 20 "$ANNALS" check tree
expect_rc 1
expect_out "tree/sub/actors.yaml:2:9: error: duplicate actor id 'islamic-state'"
expect_out "tree/alias/actors.yaml:2:9: note: first defined here"
expect_out "in 1 of 2 files"
rm tree/alias
run timeout 20 "$ANNALS" check tree
expect_rc 0
expect_out "no problems in 1 file"

# --- Source excerpts: bounded width, no terminal control sequences. ---
{
    printf 'actors:\n  - id: "%s"\n' "$(head -c 100000 /dev/zero | tr '\0' a)BAD ID"
} > long.yaml
run "$ANNALS" check long.yaml
expect_rc 1
longest=$(printf '%s\n' "$OUT" | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$longest" -lt 200 ] || fail "an excerpt line of $longest characters"
CHECKS=$((CHECKS + 1))
expect_out "long.yaml:2:9: error: invalid id '$(head -c 60 /dev/zero | tr '\0' a)...': use 1 to 64"
expect_out "    2 |   - id: \"aaaa"
expect_eq "$(printf '%s\n' "$OUT" | grep -m1 '^    2 | ' | tail -c 4)" "..." "the long line, cut on the right"

# An error far along a long line: the window holds the caret, under the key.
printf 'actors:\n  - {id: ok, name: "%s", kindd: group}\n' "$(head -c 5000 /dev/zero | tr '\0' b)" > wide.yaml
run "$ANNALS" check wide.yaml
expect_rc 1
expect_out "wide.yaml:2:5024: error: unknown key 'kindd' in actor (did you mean 'kind'?)"
excerpt=$(printf '%s\n' "$OUT" | grep -m1 '^    2 | ')
caret=$(printf '%s\n' "$OUT" | grep -m1 '^      | ')
expect_eq "${excerpt:0:11}" "    2 | ..." "the excerpt's cut on the left"
expect_eq "${excerpt: -7}" " group}" "the end of the line, uncut"
prefix=${caret%%^*}
expect_eq "${excerpt:${#prefix}:5}" "kindd" "the word above the caret"

# Lines up to 120 characters are shown whole, indentation included, wherever
# the caret is; a longer line is a window of 120 that keeps the caret in view.
printf 'sources: [{id: s, title: S}]\nevents:\n  - {id: a, date: -0043, title: T, sources: [s], figures: x}\n' > short.yaml
run "$ANNALS" check short.yaml
expect_rc 1
expect_out "    3 |   - {id: a, date: -0043, title: T, sources: [s], figures: x}
      |                                                           ^"
pad=$(head -c 120 /dev/zero | tr '\0' c)
printf 'sources: [{id: s, title: S}]\nevents:\n  - {id: a, date: 2021, title: T, sources: [s], notes: %s, figures: x}\n' "${pad:0:52}" > edge.yaml
expect_eq "$(sed -n 3p edge.yaml | wc -m)" 121 "the fixture's line of 120 characters and a newline"
run "$ANNALS" check edge.yaml
expect_out "    3 |   - {id: a, date: 2021, title: T, sources: [s], notes: ${pad:0:52}, figures: x}"
printf 'sources: [{id: s, title: S}]\nevents:\n  - {id: a, date: 2021, title: T, sources: [s], notes: %s, figures: x}\n' "${pad:0:53}" > over.yaml
run "$ANNALS" check over.yaml
expect_out "    3 | ... - {id: a, date: 2021, title: T, sources: [s], notes: ${pad:0:53}, figures: x}"
excerpt=$(printf '%s\n' "$OUT" | grep -m1 '^    3 | ')
caret=$(printf '%s\n' "$OUT" | grep -m1 '^      | ')
prefix=${caret%%^*}
expect_eq "${excerpt:${#prefix}}" "x}" "the caret under 'x', near the end of the window"

printf 'actors:\n  - id: ok\n    name: "x\\e[2J\\e]0;pwned\\a"\n    kind: \x1b[31mgroup\x1b[0m\n' > ctl.yaml
run "$ANNALS" check ctl.yaml
expect_rc 1
case "$OUT" in *$'\e'*|*$'\a'*) fail "a control character reached the terminal" ;; esac
CHECKS=$((CHECKS + 1))
expect_out "    4 |     kind: ?[31mgroup?[0m"

finish

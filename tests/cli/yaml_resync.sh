# After a YAML syntax error reading resumes at the next record of the same
# list: the records after it are still checked and defined, and references
# to an id the unreadable record may define are not called unknown.
source "$(dirname "$0")/lib/common.sh"

mkdir ds
cat > ds/sources.yaml <<'YAML'
sources:
  - id: suetonius
    title: The Twelve Caesars: Divus Julius
    author: Suetonius
  - id: plutarch
    title: Parallel Lives
    published: 2021-13
  - id: appian
    title: The Civil Wars
    url: not a url
  - id: dio
    title: Roman History
YAML
cat > ds/events.yaml <<'YAML'
events:
  - id: ides
    date: -0043-03-15
    title: Caesar is killed
    sources: [suetonius, plutarch, appian, dio, livy]
YAML

run "$ANNALS" check ds
expect_rc 1
expect_eq "$OUT" "ds/events.yaml:5:49: error: unknown source 'livy'
    5 |     sources: [suetonius, plutarch, appian, dio, livy]
      |                                                 ^~~~
      = hint: define it in a sources: list, or correct the id
ds/sources.yaml:3:30: error: yaml syntax error: mapping values are not allowed in this context
    3 |     title: The Twelve Caesars: Divus Julius
      |                              ^
      = hint: put the value in quotes: \"The Twelve Caesars: Divus Julius\" (a ': ' inside a plain value starts a mapping)
ds/sources.yaml:5:1: note: reading resumes here, at the next record
ds/sources.yaml:7:21: error: invalid date '2021-13': month 13 is out of range (01-12)
    7 |     published: 2021-13
      |                     ^
      = hint: see docs/dates.md for the date forms: 2021, 2021-01, 2021-01-21, 2014-22 (summer), 201X, 2019?, 2014/2019, 2019/..
ds/sources.yaml:10:10: error: invalid url 'not a url': expected an http:// or https:// URL with a host
   10 |     url: not a url
      |          ^~~~~~~~~
      = hint: write a full address such as https://example.org/page
4 errors in 2 files" "check after a syntax error"

# load reports the same and keeps nothing.
run "$ANNALS" load --db a.db ds
expect_rc 1
expect_err "ds/sources.yaml:7:21: error: invalid date '2021-13'"
expect_err "ds/sources.yaml:10:10: error: invalid url 'not a url'"
expect_err "put the value in quotes"
expect_eq "$(printf '%s\n' "$ERR" "$OUT" | grep -c "unknown source")" 1 "load: only livy is unknown"

# An unreadable record defines nothing of another kind: an actor reference
# to 'suetonius' is unknown. A tab gets its own hint; the next top-level
# key resumes reading too.
printf 'actors:\n  - id: a\n\tname: A\n  - id: b\n    name: B\nevents:\n  - id: e2\n    date: 2021\n    title: E\n    actors: [a, b, suetonius]\n    sources: [dio]\n' > ds/more.yaml
run "$ANNALS" check ds
expect_rc 1
expect_out "ds/more.yaml:3:1: error: yaml syntax error: found a tab character"
expect_out "hint: indent with spaces: YAML does not allow tabs for indentation"
expect_out "ds/more.yaml:4:1: note: reading resumes here, at the next record"
expect_out "ds/more.yaml:10:20: error: unknown actor 'suetonius'"
expect_no_out "unknown actor 'a'"
expect_no_out "unknown actor 'b'"
expect_no_out "unknown source 'dio'"
expect_out "6 errors in 3 files"

# A ' #' in a flow list starts a comment that cuts the list short.
mkdir hash
printf 'sources:\n  - {id: s, title: S}\nevents:\n  - id: e1\n    date: 2021\n    title: A\n    tags: [war #2, rome]\n    sources: [s]\n  - id: e2\n    date: 2021-13\n    title: B\n    sources: [s]\n' > hash/a.yaml
run "$ANNALS" check hash
expect_rc 1
expect_out "hash/a.yaml:8:5: error: yaml syntax error: did not find expected ',' or ']'"
expect_out "hint: put the value in quotes: ' #' starts a comment, which cut line 7 short"
expect_out "hash/a.yaml:9:1: note: reading resumes here, at the next record"
expect_out "hash/a.yaml:10:16: error: invalid date '2021-13'"
expect_out "2 errors in 1 file"

# Fixed: the file loads, every record defined.
sed -i 's/title: The Twelve Caesars: Divus Julius/title: "The Twelve Caesars: Divus Julius"/; s/2021-13/2021-12/; s/not a url/https:\/\/example.org\/appian/; s/, livy//' ds/sources.yaml ds/events.yaml
rm ds/more.yaml
run "$ANNALS" load --db a.db ds
expect_rc 0
expect_eq "$(sqlite3 a.db 'SELECT group_concat(id) FROM (SELECT id FROM sources ORDER BY id)')" "appian,dio,plutarch,suetonius" "sources loaded"

# A reload (events.yaml unchanged, kept) after a syntax error: the kept
# file's reference to the unreadable record is not called unknown either.
cp a.db before.db
printf 'sources:\n  - id: suetonius\n    title: The Twelve Caesars: Julius\n  - id: dio\n    title: Roman History\n    published: 2021-13\n  - {id: plutarch, title: P}\n  - {id: appian, title: A}\n' > ds/sources.yaml
run "$ANNALS" load --db a.db ds
expect_rc 1
expect_err "ds/sources.yaml:3:30: error: yaml syntax error: mapping values are not allowed"
expect_err "ds/sources.yaml:6:21: error: invalid date '2021-13'"
expect_err "2 errors in 1 of 2 files"
expect_eq "$(printf '%s\n' "$ERR" "$OUT" | grep -c "unknown")" 0 "reload: nothing unknown"
cmp -s a.db before.db || fail "a load with errors changed the database"

finish

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

# Fixed: the file loads, every record defined.
sed -i 's/title: The Twelve Caesars: Divus Julius/title: "The Twelve Caesars: Divus Julius"/; s/2021-13/2021-12/; s/not a url/https:\/\/example.org\/appian/; s/, livy//' ds/sources.yaml ds/events.yaml
rm ds/more.yaml
run "$ANNALS" load --db a.db ds
expect_rc 0
expect_eq "$(sqlite3 a.db 'SELECT group_concat(id) FROM (SELECT id FROM sources ORDER BY id)')" "appian,dio,plutarch,suetonius" "sources loaded"

finish

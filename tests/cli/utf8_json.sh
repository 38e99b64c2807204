# Every JSON output is valid UTF-8 whatever the bytes of a path or a value:
# a byte that is not UTF-8 is written as \ufffd (docs/format.md, "Diagnostics").
source "$(dirname "$0")/lib/common.sh"

# strict_json FILE WHAT: FILE is UTF-8 (strictly decoded) and parses as JSON.
strict_json() {
    CHECKS=$((CHECKS + 1))
    python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' \
        "$1" 2>"$WORK/py.err" || fail "$2: not valid UTF-8 JSON ($(tail -1 "$WORK/py.err"))"
}

# A file named with a Latin-1 byte (e9, "é" in Latin-1), holding an error.
mkdir ds
cp "$SRC/data/sources.yaml" ds/
printf 'events:\n  - {id: ides, date: -0043-03-15, title: Caesar is killed, sources: [rome-coalition-article-2021]}\n  - {id: bad, date: 2021-13, title: Bad}\n' \
    > ds/$'caf\xe9 file.yaml'
"$ANNALS" check --format json ds > check.json 2>/dev/null
strict_json check.json "check --format json with a Latin-1 file name"
expect_eq "$(python3 -c 'import json; print(json.load(open("check.json"))[0]["file"])')" \
    "ds/caf� file.yaml" "the invalid byte, replaced by U+FFFD"

# Values that are not UTF-8 can only come from a database edited by hand:
# every JSON report and listing still writes valid UTF-8.
printf 'events:\n  - {id: ides, date: -0043-03-15, title: Caesar is killed, sources: [rome-coalition-article-2021]}\n' \
    > ds/$'caf\xe9 file.yaml'
cp "$SRC/data/actors.yaml" "$SRC/data/places.yaml" ds/
run "$ANNALS" load --db t.db ds
expect_rc 0
sqlite3 t.db "UPDATE events SET title = CAST(X'4361E9736172' AS TEXT), notes = CAST(X'FF' AS TEXT);
              UPDATE actors SET name = CAST(X'C3' AS TEXT), description = CAST(X'80' AS TEXT)
                  WHERE id = 'islamic-state';
              UPDATE sources SET title = CAST(X'E9' AS TEXT), notes = CAST(X'E9' AS TEXT);
              INSERT INTO event_actors VALUES ('ides', 0, 'islamic-state', NULL, 1, 1);"
for f in json timelinejs geojson; do
    "$ANNALS" report --db t.db --format $f > report.$f 2>/dev/null
    strict_json report.$f "report --format $f"
done
for l in actors places sources; do
    "$ANNALS" $l --db t.db --format json > $l.json 2>/dev/null
    strict_json $l.json "$l --format json"
done
expect_eq "$(python3 -c 'import json; print(json.load(open("report.json"))["events"][0]["title"])')" \
    "Ca�sar" "a title with a Latin-1 byte"

finish

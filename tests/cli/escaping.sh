# Hostile text in every field comes out escaped in every format that
# `annals report --help` lists; control characters are refused at the door.
source "$(dirname "$0")/lib/common.sh"

mkdir ds
cat > ds/data.yaml <<'YAML'
actors:
  - id: a
    name: "Actor <b>bold</b> & \"quoted\""
places:
  - id: p
    name: "<i>Place</i>, \"q\" & co"
    coords: [36.34, 43.13]
sources:
  - id: s
    title: "Source, with comma"
    url: "https://example.org/?a=1&b='2'"
events:
  - id: e
    date: 2021-01-21
    title: "<script>alert(1)</script> \"quoted\", comma \\ backslash"
    summary: "line one\nline two, with \"quotes\" and a tab\there;\u2028sep \u009b[31m c1"
    actors: [a]
    places: [p]
    sources:
      - {id: s, quote: "</blockquote><img src=x onerror=alert(1)> *bold* [link](javascript:x)"}
YAML
TITLE='<script>alert(1)</script> "quoted", comma \ backslash'
SUMMARY=$(printf 'line one\nline two, with "quotes" and a tab\there;\342\200\250sep \302\233[31m c1')
QUOTE='</blockquote><img src=x onerror=alert(1)> *bold* [link](javascript:x)'
ACTOR='Actor <b>bold</b> & "quoted"'

run "$ANNALS" check ds
expect_rc 0

# Control characters other than tab and line break are refused, escaped or not.
printf 'events:\n  - id: c\n    date: 2021\n    title: "bell \\u0001 here"\n    sources: [s]\nsources: [{id: s, title: s}]\n' > ctl.yaml
run "$ANNALS" check ctl.yaml
expect_rc 1
expect_out "ctl.yaml:4:12: error: 'title' contains the control character U+0001"
printf 'events:\n  - id: c\n    date: 2021\n    title: "raw \033[31m red"\n' > raw.yaml
run "$ANNALS" check raw.yaml
expect_rc 1
expect_out "raw.yaml:4:17: error: invalid character U+001B: control characters are not allowed"
# A link that is not http(s) is refused too.
printf 'sources:\n  - id: s\n    title: t\n    url: "javascript:alert(1)"\n' > js.yaml
run "$ANNALS" check js.yaml
expect_rc 1
expect_out "js.yaml:4:10: error: invalid url 'javascript:alert(1)': expected an http:// or https:// URL with a host"

have_jq=false
command -v jq >/dev/null 2>&1 && have_jq=true
PY=""
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import csv, json' 2>/dev/null; then PY=$p; break; fi
done

# valid_json WHAT: $OUT parses as JSON.
valid_json() {
    CHECKS=$((CHECKS + 1))
    if $have_jq; then
        printf '%s' "$OUT" | jq . > /dev/null 2>&1 || fail "$1 is not valid JSON"
    elif [ -n "$PY" ]; then
        printf '%s' "$OUT" | "$PY" -c 'import json, sys; json.load(sys.stdin)' || fail "$1 is not valid JSON"
    fi
}

# No format lets markup or script through: what a browser or a Markdown
# viewer would run or render as a tag.
no_markup() {
    expect_no_out "<script"
    expect_no_out "<img"
    expect_no_out "<b>bold"
    expect_no_out "<i>Place"
    expect_no_out 'href="javascript'
}

check_text() {
    # Plain text for a terminal: no escape sequence can reach it (ESC, C1 CSI).
    expect_out "$TITLE"
    CHECKS=$((CHECKS + 1))
    if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '\033')\|$(printf '\302\233')"; then
        fail "text output holds a terminal control sequence"
    fi
}

check_json() {
    valid_json json
    $have_jq || return 0
    expect_eq "$(printf '%s' "$OUT" | jq -r '.events[0].title')" "$TITLE" "json title round trip"
    expect_eq "$(printf '%s' "$OUT" | jq -r '.events[0].summary')" "$SUMMARY" "json summary round trip"
    expect_eq "$(printf '%s' "$OUT" | jq -r '.events[0].sources[0].quote')" "$QUOTE" "json quote round trip"
    expect_eq "$(printf '%s' "$OUT" | jq -r '.events[0].actors[0].name')" "$ACTOR" "json actor name round trip"
    # U+2028 is valid JSON but breaks JavaScript string literals: escaped.
    expect_out '\u2028'
}

check_csv() {
    if [ -z "$PY" ]; then
        # Without Python: RFC 4180 quoting, checked on the raw text.
        expect_out '"<script>alert(1)</script> ""quoted"", comma \ backslash"'
        expect_out "$(printf '"line one\nline two, with ""quotes"" and a tab\there;')"
        return
    fi
    printf '%s' "$OUT" > out.csv
    # Parse it as a spreadsheet would; print the fields we wrote, NUL-separated.
    "$PY" - out.csv > csv.fields <<'PY' || fail "csv does not parse: $(cat csv.fields)"
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f, strict=True))
head, body = rows[0], rows[1:]
assert len(body) == 1, "%d rows" % len(body)
assert all(len(r) == len(head) for r in rows), "ragged rows"
row = dict(zip(head, body[0]))
sys.stdout.write(row['title'] + '\0' + row['summary'] + '\0')
PY
    CHECKS=$((CHECKS + 1))
    expect_eq "$(tr '\0' '\n' < csv.fields | head -n 1)" "$TITLE" "csv title"
    expect_eq "$("$PY" -c 'import sys; print(open(sys.argv[1], encoding="utf-8").read().split("\0")[1], end="")' csv.fields)" \
        "$SUMMARY" "csv summary"
}

check_html() {
    no_markup
    expect_out "&lt;script&gt;alert(1)&lt;/script&gt;"
    expect_out "&lt;img src=x onerror=alert(1)&gt;"
    expect_out "Actor &lt;b&gt;bold&lt;/b&gt; &amp;"
    expect_no_out "b='2'"          # the URL's quote is escaped inside href="..."
}

check_markdown() {
    no_markup
    # Markdown passes HTML through: < and > must be entities; * [ ] escaped.
    expect_out "&lt;script&gt;alert(1)&lt;/script&gt;"
    expect_out '\*bold\*'
    expect_out '\[link\]'
    expect_no_out "[link](javascript"
}

check_timelinejs() {
    valid_json timelinejs
    # TimelineJS shows headline and text as HTML: they are escaped HTML.
    no_markup
    $have_jq || return 0
    expect_eq "$(printf '%s' "$OUT" | jq -r '.events[0].text.headline')" \
        '&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;, comma \ backslash' "timelinejs headline"
}

check_geojson() {
    valid_json geojson
    $have_jq || return 0
    expect_eq "$(printf '%s' "$OUT" | jq -r '.features | length')" 1 "geojson: one feature"
    CHECKS=$((CHECKS + 1))
    printf '%s' "$OUT" | jq -r '.. | strings' | grep -qF "$TITLE" || fail "geojson lacks the title as data"
}

formats=$("$ANNALS" report --help | sed -n '/^formats:/,$p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$formats" ] || fail "annals report --help lists no formats"
for f in $formats; do
    run "$ANNALS" report ds --format "$f"
    expect_rc 0
    CHECKS=$((CHECKS + 1))
    [ -n "$OUT" ] || fail "$f: empty output"
    case "$f" in
        text | json | csv | html | markdown | timelinejs | geojson) "check_$f" ;;
        *) echo "NOTE: no escaping checks for the new format '$f': add them here" ;;
    esac
done

finish

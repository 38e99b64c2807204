# Hostile text in every field comes out escaped in every format.
source "$(dirname "$0")/lib/common.sh"
mkdir ds
cat > ds/data.yaml <<'YAML'
actors:
  - id: a
    name: "Actor <b>bold</b> & \"quoted\""
sources:
  - id: s
    title: "Source, with comma"
    url: "https://example.org/?a=1&b='2'"
events:
  - id: e
    date: 2021-01-21
    title: "<script>alert(1)</script> \"quoted\", comma \\ backslash"
    summary: "line one\nline two, with \"quotes\" and a tab\there"
    actors: [a]
    sources:
      - {id: s, quote: "</blockquote><img src=x onerror=alert(1)> *bold* [link](javascript:x)"}
YAML
TITLE='<script>alert(1)</script> "quoted", comma \ backslash'

run "$ANNALS" check ds
expect_rc 0

run "$ANNALS" report ds --format json
expect_rc 0
expect_eq "$(printf '%s' "$OUT" | jq -r '.events[0].title')" "$TITLE" "json title round trip"
expect_eq "$(printf '%s' "$OUT" | jq -r '.events[0].summary')" "$(printf 'line one\nline two, with "quotes" and a tab\there')" "json summary round trip"

run "$ANNALS" report ds --format html
expect_rc 0
expect_no_out "<script>"
expect_no_out "<img"
expect_no_out "<b>bold"
expect_out "&lt;script&gt;alert(1)&lt;/script&gt;"
expect_out "&lt;img src=x onerror=alert(1)&gt;"

run "$ANNALS" report ds --format markdown
expect_rc 0
expect_no_out "<script>"
expect_no_out "[link](javascript:x)"

run "$ANNALS" report ds --format csv
expect_rc 0
expect_out '"<script>alert(1)</script> ""quoted"", comma \ backslash"'
# RFC 4180: the summary's line break stays inside one quoted field.
expect_out "$(printf '"line one\nline two, with ""quotes"" and a tab\there"')"

for f in timelinejs geojson; do
    run "$ANNALS" report ds --format "$f"
    expect_rc 0
    printf '%s' "$OUT" | jq . > /dev/null 2>&1 || fail "$f output is not valid JSON"
    CHECKS=$((CHECKS + 1))
done

finish

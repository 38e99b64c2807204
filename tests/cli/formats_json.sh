# annals report --format timelinejs / geojson: parsed with jq, structure and values checked.
source "$(dirname "$0")/lib/common.sh"

if ! command -v jq >/dev/null 2>&1; then
    CHECKS=$((CHECKS + 1))
    fail "jq is not installed (scripts/deps.sh test installs it)"
    finish
    exit 1
fi

# jqe FILE FILTER WHAT: the jq filter is true on the file (jq -e: false/null fail).
jqe() {
    CHECKS=$((CHECKS + 1))
    jq -e "$2" "$1" >/dev/null 2>"$WORK/jq.err" || fail "${3:-$2} ($(cat "$WORK/jq.err"))"
}

# ---- TimelineJS -----------------------------------------------------------------

run "$ANNALS" report --format timelinejs -o tl.json "$SRC/data"
expect_rc 0
jqe tl.json '.title.text.headline == "Timeline"' "title headline"
jqe tl.json '(.events | length) == 19 and (.eras | length) == 0' "19 events, no eras in the seed"
jqe tl.json '.events[0].unique_id == "is-takes-northern-iraq"' "first event, in chronological order (what ends first)"
jqe tl.json '[.events[].unique_id | type] | unique == ["string"]' "every event has a unique_id"
jqe tl.json '([.events[].unique_id] | length) == ([.events[].unique_id] | unique | length)' "unique_ids unique"
jqe tl.json '[.events[].start_date.year | type] | unique == ["number"]' "years are numbers"
jqe tl.json '[.events[] | .start_date, (.end_date // empty) | to_entries[] | .value | type] | unique == ["number"]' \
    "every date field is a number"
jqe tl.json '[.events[] | .start_date.month // 1 | select(. < 1 or . > 12)] | length == 0' "months 1..12"
jqe tl.json '[.events[].text.headline | type] | unique == ["string"]' "every event has a headline"
jqe tl.json '.scale == "human"' "human scale"
jqe tl.json '.events[] | select(.unique_id == "coalition-crushes-caliphate")
    | .start_date == {"year": 2014, "month": 6} and .end_date == {"year": 2019, "month": 3}
      and .display_date == "summer 2014 – March 2019" and .group == "Anti-Islamic State coalition"' \
    "a season-to-month interval"
jqe tl.json '.events[] | select(.unique_id == "is-still-active-syria-iraq")
    | (has("end_date") | not) and .display_date == "since March 2019"' "open end: no end_date"
jqe tl.json '.events[] | select(.unique_id == "rome-meeting")
    | .start_date == {"year": 2021, "month": 6, "day": 28} and (has("display_date") | not)' \
    "a plain day: no display_date"
jqe tl.json '.events[] | select(.unique_id == "baghdad-market-attack") | .text.text | contains("<blockquote>")' \
    "citations in the text"

run "$ANNALS" report --format timelinejs -o tlf.json "$DATA/render"
expect_rc 0
jqe tlf.json '(.events | length) == 10 and (.eras | length) == 1' "the era is not an event"
jqe tlf.json '.eras[0] == {"start_date": {"year": -508}, "end_date": {"year": -26},
    "text": {"headline": "Roman Republic",
             "text": "<p>From the expulsion of the kings to the first emperor.</p><ul class=\"annals-sources\"><li><cite>Curator&#39;s notebook</cite></li></ul>"}}' \
    "the era"
jqe tlf.json '.events[] | select(.unique_id == "caesar-assassinated")
    | .start_date == {"year": -43, "month": 3, "day": 15} and .display_date == "15 March 44 BCE"' \
    "BCE: astronomical year, words beside"
jqe tlf.json '.events[] | select(.unique_id == "market-attack") | .text.headline
    == "Market attack &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;"' \
    "headline escaped for HTML"
jqe tlf.json '[.. | strings | select(contains("<script"))] | length == 0' "no <script anywhere"

# ---- GeoJSON --------------------------------------------------------------------

run "$ANNALS" report --format geojson -o geo.json "$SRC/data"
expect_rc 0
jqe geo.json '.type == "FeatureCollection" and (.features | length) > 0 and (has("crs") | not)' "a FeatureCollection"
jqe geo.json '[.features[] | .type == "Feature" and .geometry.type == "Point"
    and (.geometry.coordinates | length == 2 and (map(type) | unique) == ["number"])] | all' \
    "every feature a Point of two numbers"
jqe geo.json '[.features[].geometry.coordinates | .[0] >= -180 and .[0] <= 180 and .[1] >= -90 and .[1] <= 90] | all' \
    "longitudes and latitudes in range"
jqe geo.json '[.features[].properties | keys] | unique
    == [["actors","date","end","id","place_id","place_name","start","summary","tags","title","type"]]' \
    "the properties"
jqe geo.json '.features[] | select(.properties.place_id == "baghdad") | .geometry.coordinates
    | .[0] > 44.3 and .[0] < 44.5 and .[1] > 33.2 and .[1] < 33.4' "Baghdad is [lon 44.4, lat 33.3]"
jqe geo.json '.features[] | select(.properties.place_id == "baghdad") | .properties
    | .id == "baghdad-market-attack" and .start == "2021-01-01" and .end == "2021-01-31"
      and .actors == ["islamic-state"] and .place_name == "Baghdad"' "the Baghdad feature"
jqe geo.json '[.features[] | select(.properties.id == "is-still-active-syria-iraq") | .properties.end] | unique == [null]' \
    "open end: end is null"
jqe geo.json '[.features[] | select(.properties.id == "is-still-active-syria-iraq")] | length == 2' \
    "one feature per place with coordinates"
jqe geo.json '[.features[].properties.place_id] | index("northern-iraq") == null' "no feature for a place without coords"

run "$ANNALS" report --format geojson --text nonesuch "$SRC/data"
expect_rc 0
CHECKS=$((CHECKS + 1))
[ "$(printf '%s' "$OUT" | jq -c .)" = '{"type":"FeatureCollection","features":[]}' ] || fail "empty collection"

finish

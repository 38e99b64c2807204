# annals report --format html: one self-contained page, then drawn by a real browser.
source "$(dirname "$0")/lib/common.sh"

# check_page FILE: what every page must be: one document, one SVG, nothing fetched.
# Only source links may name a URL ("http" nowhere else: no script, font, style or xmlns).
check_page() {
    local f=$1 urls
    OUT=$(cat "$f")
    expect_eq "$(head -c 15 "$f")" "<!DOCTYPE html>" "doctype of $f"
    expect_eq "$(tail -n 1 "$f")" "</html>" "last line of $f"
    expect_eq "$(grep -o '<svg' "$f" | wc -l)" 1 "number of <svg> in $f"
    expect_no_out "<script"
    expect_no_out "<link"
    expect_no_out "<iframe"
    expect_no_out "@import"
    expect_no_out "src=\""
    expect_out "@media print"
    urls=$(grep -o 'http[^"<]*' "$f" | sort -u | tr '\n' ' ')
    expect_eq "$urls" "${2:-}" "URLs in $f"
}

# The seed dataset (its source has no URL: no "http" at all).
run "$ANNALS" report --format html -o out.html "$SRC/data"
expect_rc 0
expect_eq "$OUT" "" "stdout with -o"
check_page out.html ""
expect_out "<title>Timeline</title>"
expect_out "<h2>2014</h2>"
expect_out "<h2>2021</h2>"
expect_out "id=\"ev-baghdad-market-attack\""
expect_out "<a href=\"#ev-baghdad-market-attack\">"
expect_out ">Islamic State</text>"
expect_out "<circle class=\"mark\""
expect_out "<rect class=\"mark"
expect_out "url(#fade-r"               # the open end of is-still-active-syria-iraq

# The fixture: BCE ticks, escaping, the one source URL.
run "$ANNALS" report --format html --title 'Fixture <&>' -o fixture.html "$DATA/render"
expect_rc 0
check_page fixture.html "https://example.org/compendium?a=1&amp;b=2 "
expect_out "<title>Fixture &lt;&amp;&gt;</title>"
expect_out ">200 BCE</text>"
expect_out "Market attack &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;"
expect_no_out "<script>alert"
expect_eq "$(grep -o 'id="ev-[^"]*"' fixture.html | wc -l)" 11 "event anchors"
# Every link to an event lands on its anchor.
missing=""
for h in $(grep -o 'href="#ev-[^"]*"' fixture.html | sort -u | sed 's/href="#//; s/"$//'); do
    grep -q "id=\"$h\"" fixture.html || missing="$missing $h"
done
expect_eq "$missing" "" "links without anchors"

# Lanes by region; a wrong value is a usage error.
run "$ANNALS" report --format html --lanes region "$DATA/render"
expect_rc 0
expect_out ">Μαραθών</text>"
expect_out "Lanes: the first place of each event"
run "$ANNALS" report --format html --lanes colour "$DATA/render"
expect_rc 2
expect_err "colour"

# A browser draws the page: a PNG of the window's size, with something in it.
OUT="" ERR=""
browser=""
for b in chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then
        browser=$b
        break
    fi
done
if [ -z "$browser" ]; then
    if [ "${ANNALS_SKIP_BROWSER:-}" = 1 ]; then
        skip_part "no chromium: the page was not drawn (ANNALS_SKIP_BROWSER=1)"
    else
        CHECKS=$((CHECKS + 1))
        fail "chromium is not installed (scripts/deps.sh test installs it; ANNALS_SKIP_BROWSER=1 skips this part)"
    fi
else
    # --no-sandbox: CI and containers often run as root, where the sandbox refuses to start.
    # The other flags keep a headless run offline and quiet: no updates, sync or first-run work.
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$WORK/chrome" --screenshot="$WORK/shot.png" --window-size=1400,1800 \
        "file://$WORK/out.html" >"$WORK/chrome.log" 2>&1
    CHECKS=$((CHECKS + 1))
    if [ ! -s "$WORK/shot.png" ]; then
        fail "no screenshot: $(tail -n 5 "$WORK/chrome.log")"
    else
        size=$(wc -c <"$WORK/shot.png")
        CHECKS=$((CHECKS + 1))
        [ "$size" -gt 10240 ] || fail "screenshot is only $size bytes"
        # PNG: an 8-byte signature, then the IHDR chunk: width and height, 4 bytes each, big-endian.
        expect_eq "$(od -An -tx1 -N8 "$WORK/shot.png" | tr -d ' \n')" "89504e470d0a1a0a" "PNG signature"
        read -r w1 w2 w3 w4 h1 h2 h3 h4 <<EOF
$(od -An -tu1 -j16 -N8 "$WORK/shot.png")
EOF
        expect_eq "$(((w1 << 24) | (w2 << 16) | (w3 << 8) | w4))x$(((h1 << 24) | (h2 << 16) | (h3 << 8) | h4))" \
            "1400x1800" "screenshot size"
    fi
fi

finish

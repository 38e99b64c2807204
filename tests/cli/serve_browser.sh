# `annals serve`'s page in a real browser: Debian's chromium, headless, driven
# over the DevTools protocol by tests/browser/serve_test.js (its client library
# installed from tests/browser/package-lock.json with npm ci, into the build
# directory). Clicks a facet, zooms, opens an event, edits a file.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/serve.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in node npm curl; do
    command -v "$tool" >/dev/null || { echo "skipped: no $tool (scripts/deps.sh test installs it)"; exit 77; }
done
[ -x "$CHROMIUM" ] || { echo "skipped: no chromium at $CHROMIUM (scripts/deps.sh test installs it)"; exit 77; }

# The client library, once per build directory (again when the lock file changes).
NODE_DIR="$BUILD_DIR/browser-test"
mkdir -p "$NODE_DIR"
if ! cmp -s "$SRC/tests/browser/package-lock.json" "$NODE_DIR/package-lock.json" ||
   [ ! -d "$NODE_DIR/node_modules/chrome-remote-interface" ]; then
    cp "$SRC/tests/browser/package.json" "$SRC/tests/browser/package-lock.json" "$NODE_DIR/"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error) ||
        { fail "npm ci in $NODE_DIR"; finish; exit 1; }
fi
cp "$SRC/tests/browser/serve_test.js" "$SRC/tests/browser/chromium.js" "$NODE_DIR/"

cp -r "$SRC/data" ds
start_server ds --editor 'vscode://file{path}:{line}' ||
    { fail "the server did not start: $(cat server.err)"; finish; exit 1; }
# ANNALS_SCREENSHOT=FILE keeps a picture of the page (docs/serve.png).
run node "$NODE_DIR/serve_test.js" "$URL" "$WORK/ds" "$CHROMIUM" ${ANNALS_SCREENSHOT:+"$ANNALS_SCREENSHOT"}
echo "$OUT"
CHECKS=$((CHECKS + 1))
[ "$RC" -eq 0 ] || fail "the browser test failed"
stop_server
expect_eq "$SERVER_RC" "0" "the server stopped cleanly"
finish

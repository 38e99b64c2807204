#!/usr/bin/env bash
# `annals lsp` end to end: a scripted client (tests/lsp/e2e.py) through every
# capability and the robustness cases; then --help and usage.
. "$(dirname "$0")/lib/common.sh"
command -v python3 >/dev/null 2>&1 || skip_test "python3 is not installed"

run python3 "$SRC/tests/lsp/e2e.py" "$ANNALS" "$SRC" "$WORK"
expect_rc 0
expect_out "0 failed"

run "$ANNALS" lsp --help
expect_rc 0
expect_out "usage: annals lsp [--log FILE]"
expect_out "docs/editors.md"
run "$ANNALS" lsp data
expect_rc 2
expect_err "takes no paths"
run "$ANNALS" lsp --log /nonexistent/dir/log
expect_rc 3
expect_err "cannot open"
finish

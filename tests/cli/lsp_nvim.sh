#!/usr/bin/env bash
# Neovim's built-in LSP client attached to `annals lsp` (tests/lsp/nvim_init.lua):
# a diagnostic with its line and message, go to definition, completion.
. "$(dirname "$0")/lib/common.sh"
command -v nvim >/dev/null 2>&1 || skip_test "nvim is not installed (scripts/deps.sh test)"

cp -r "$DATA/lsp" "$WORK/ws"
export ANNALS_BIN="$ANNALS" ANNALS_ROOT="$WORK/ws" ANNALS_RESULT="$WORK/result"
run timeout 120 nvim --headless --clean -u "$SRC/tests/lsp/nvim_init.lua"
RESULT=$(cat "$WORK/result" 2>/dev/null)
OUT="$RESULT"
expect_rc 0
expect_out "ok a diagnostic arrived"
expect_out "ok the diagnostic is at line 15, column 14"
expect_out "ok the diagnostic's message"
expect_out "ok definition opened actors.yaml"
expect_out "ok the cursor is on the id in actors.yaml (3, 8)"
expect_out "ok completion offers islamic-state"
expect_out "ok its detail is the name"
expect_out "ok Neovim's completion words hold islamic-state"
expect_out "ok half-typed YAML gets a syntax diagnostic"
expect_out "ok the fixed file's diagnostics are gone"
expect_out "done"
expect_no_out "FAIL"
finish

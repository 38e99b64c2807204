-- Neovim (0.7+) headless with its built-in LSP client attached to `annals lsp`.
-- Run by tests/cli/lsp_nvim.sh:  nvim --headless --clean -u tests/lsp/nvim_init.lua
-- Environment: ANNALS_BIN (the binary), ANNALS_ROOT (a workspace with data/),
-- ANNALS_RESULT (a file this writes: one "ok ..." or "FAIL ..." line per check).
local annals = assert(os.getenv("ANNALS_BIN"))
local root = assert(os.getenv("ANNALS_ROOT"))
local result = assert(io.open(assert(os.getenv("ANNALS_RESULT")), "w"))
local failures = 0

local function check(ok, what, detail)
  result:write((ok and "ok " or "FAIL ") .. what .. (detail and (": " .. detail) or "") .. "\n")
  if not ok then failures = failures + 1 end
  return ok
end

local function finish()
  result:write(failures == 0 and "done\n" or ("failed " .. failures .. "\n"))
  result:close()
  vim.cmd(failures == 0 and "qa!" or "cq!")
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = "annals",
    cmd = { annals, "lsp" },
    root_dir = root,
  })
  check(client_id ~= nil, "the client started")

  -- 1. Open the file with an error; the diagnostic arrives with its line and message.
  vim.cmd("edit " .. root .. "/data/events.yaml")
  local events = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(events, client_id)
  local got = vim.wait(20000, function() return #vim.diagnostic.get(events) > 0 end, 20)
  check(got, "a diagnostic arrived")
  local d = vim.diagnostic.get(events)[1]
  if d then
    check(d.lnum == 14 and d.col == 13, "the diagnostic is at line 15, column 14",
          ("lnum %d col %d"):format(d.lnum, d.col))
    check(d.message:find("unknown actor 'is-greater-sahra' (did you mean 'is-greater-sahara'?)", 1, true) == 1,
          "the diagnostic's message", d.message)
    check(d.source == "annals", "the diagnostic's source", tostring(d.source))
  end

  -- 2. Go to definition from the reference to islamic-state (line 7).
  local line7 = vim.api.nvim_buf_get_lines(events, 6, 7, false)[1]
  local col = line7:find("islamic-state", 1, true)
  vim.api.nvim_win_set_cursor(0, { 7, col + 2 })
  vim.lsp.buf.definition()
  local jumped = vim.wait(10000, function()
    return vim.api.nvim_buf_get_name(0):match("actors%.yaml$") ~= nil
  end, 20)
  check(jumped, "definition opened actors.yaml", vim.api.nvim_buf_get_name(0))
  local cur = vim.api.nvim_win_get_cursor(0)
  check(cur[1] == 3 and cur[2] == 8, "the cursor is on the id in actors.yaml (3, 8)",
        ("(%d, %d)"):format(cur[1], cur[2]))

  -- 3. Completion at an actor reference, after an edit the server hears of.
  vim.cmd("buffer " .. events)
  vim.api.nvim_buf_set_lines(events, 14, 15, false, { "    actors: [isl" })
  vim.wait(200)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(events) },
    position = { line = 14, character = #"    actors: [isl" },
  }
  local answers = vim.lsp.buf_request_sync(events, "textDocument/completion", params, 10000)
  local items = {}
  for _, a in pairs(answers or {}) do
    if a.result then items = a.result.items or a.result end
  end
  local labels = {}
  local found
  for _, it in ipairs(items) do
    table.insert(labels, it.label)
    if it.label == "islamic-state" then found = it end
  end
  check(found ~= nil, "completion offers islamic-state", table.concat(labels, " "))
  check(found and found.detail == "Islamic State", "its detail is the name",
        found and tostring(found.detail))
  check(not vim.tbl_contains(labels, "united-states"), "completion leaves out united-states")
  -- the client turns the items into Vim's completion words
  local words = vim.lsp.util.text_document_completion_list_to_complete_items(items, "isl")
  local w = {}
  for _, it in ipairs(words) do table.insert(w, it.word) end
  check(vim.tbl_contains(w, "islamic-state"), "Neovim's completion words hold islamic-state",
        table.concat(w, " "))

  -- 4. Half-typed YAML gets a diagnostic (the server lives on); finishing the
  --    line clears the file's list.
  local half = vim.wait(10000, function()
    local ds = vim.diagnostic.get(events)
    return #ds > 0 and ds[1].message:find("yaml syntax error", 1, true) ~= nil
  end, 20)
  check(half, "half-typed YAML gets a syntax diagnostic",
        vim.inspect(vim.tbl_map(function(x) return x.message end, vim.diagnostic.get(events))))
  vim.api.nvim_buf_set_lines(events, 14, 15, false, { "    actors: [islamic-state]" })
  local clean = vim.wait(10000, function() return #vim.diagnostic.get(events) == 0 end, 20)
  check(clean, "the fixed file's diagnostics are gone",
        vim.inspect(vim.tbl_map(function(x) return x.message end, vim.diagnostic.get(events))))

  vim.lsp.stop_client(client_id)
end)
if not ok then check(false, "the script ran", tostring(err)) end
finish()

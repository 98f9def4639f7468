-- Run by tests/lsp/test_neovim.py: nvim --headless --clean -l is not in 0.7, so
-- `nvim --headless --clean -c "luafile nvim_probe.lua"` with ARGMAP_* in the environment.
-- Opens the map, attaches `argmap lsp` with Neovim's own client, waits for the
-- diagnostics, asks for a hover, and writes what Neovim holds as JSON.
local map = os.getenv("ARGMAP_MAP")
local out = os.getenv("ARGMAP_OUT")
local cmd = vim.fn.json_decode(os.getenv("ARGMAP_CMD"))
local hover_line = tonumber(os.getenv("ARGMAP_HOVER_LINE"))
local hover_char = tonumber(os.getenv("ARGMAP_HOVER_CHAR"))

local result = { diagnostics = {}, hover = nil, error = nil }
local function finish()
  local file = io.open(out, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(map))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "argmap",
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(map, ":h"),
    init_options = { samples = 500 },
  })
  vim.lsp.buf_attach_client(buf, client_id)
  vim.wait(60000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
      severity = d.severity, message = d.message,
    })
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = hover_line, character = hover_char },
  }
  local answers = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 60000)
  for _, answer in pairs(answers or {}) do
    if answer.result and answer.result.contents then
      result.hover = answer.result.contents.value or answer.result.contents
    end
  end
  vim.lsp.stop_client(client_id)
end)
if not ok then
  result.error = tostring(err)
end
finish()

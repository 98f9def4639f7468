"""Draw docs/img/neovim-lsp.png: Neovim with `argmap lsp`, its diagnostics and a hover.

Runs Neovim in a tmux session (both from Debian), opens MAP with argmap as its
language server, waits for the diagnostics, opens the hover at LINE:COLUMN, and
captures the pane with its colours (`tmux capture-pane -e`); the ANSI text is
then drawn to a PNG with Pillow in DejaVu Sans Mono.

    python scripts/editor_screenshot.py MAP --line 117 --column 6 --top 105 -o docs/img/neovim-lsp.png
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205),
    (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234),
    (214, 112, 214), (41, 184, 219), (255, 255, 255),
]  # fmt: skip
FOREGROUND, BACKGROUND = (220, 220, 220), (30, 30, 30)

INIT = """
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.laststatus = 2
vim.o.wrap = false
vim.cmd("syntax on")
vim.diagnostic.config({ virtual_text = { prefix = "●" }, signs = true, underline = true })
vim.api.nvim_create_autocmd("BufReadPost", { callback = function(args)
  local id = vim.lsp.start_client({ name = "argmap", cmd = vim.fn.json_decode(os.getenv("ARGMAP_CMD")),
    root_dir = vim.fn.expand("%:p:h") })
  vim.lsp.buf_attach_client(args.buf, id)
end })
"""


def _color(n: int) -> tuple[int, int, int]:
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        return tuple(0 if v == 0 else 55 + v * 40 for v in (n // 36, n // 6 % 6, n % 6))  # type: ignore[return-value]
    level = 8 + (n - 232) * 10
    return (level, level, level)


def _sgr(codes: list[int], fg: tuple[int, int, int] | None, bg: tuple[int, int, int] | None) -> tuple:  # type: ignore[type-arg]
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            fg = bg = None
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = BASE16[code - 30 if code < 90 else code - 82]
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = BASE16[code - 40 if code < 100 else code - 92]
        elif code in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
            fg, bg = (_color(codes[i + 2]), bg) if code == 38 else (fg, _color(codes[i + 2]))
            i += 2
        elif code in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
            rgb = (codes[i + 2], codes[i + 3], codes[i + 4])
            fg, bg = (rgb, bg) if code == 38 else (fg, rgb)
            i += 4
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        i += 1
    return fg, bg


def render(ansi: str, columns: int, out: Path) -> None:
    font = ImageFont.truetype(FONT, 15)
    width, height = font.getbbox("M")[2], 19
    rows = ansi.split("\n")
    image = Image.new("RGB", (columns * width + 16, len(rows) * height + 16), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        fg = bg = None
        x = 0
        for token in re.split(r"(\x1b\[[0-9;]*m)", row):
            if token.startswith("\x1b["):
                fg, bg = _sgr([int(c) for c in token[2:-1].split(";") if c] or [0], fg, bg)
                continue
            for char in token:
                left, top = 8 + x * width, 8 + y * height
                if bg is not None:
                    draw.rectangle([left, top, left + width, top + height], fill=bg)
                draw.text((left, top + 1), char, font=font, fill=fg or FOREGROUND)
                x += 1
    image.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("map", type=Path)
    parser.add_argument("--line", type=int, required=True)
    parser.add_argument("--column", type=int, required=True)
    parser.add_argument("--top", type=int, default=1, help="first line shown")
    parser.add_argument("--size", default="150x42")
    parser.add_argument("-o", "--output", type=Path, required=True)
    options = parser.parse_args()
    columns, lines = (int(v) for v in options.size.split("x"))
    session = f"argmap-shot-{os.getpid()}"
    with tempfile.TemporaryDirectory() as folder:
        init = Path(folder) / "init.lua"
        init.write_text(INIT)
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "ARGMAP_CMD": json.dumps([sys.executable, "-m", "argmap", "lsp"]),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        command = f"nvim --clean -u {init} {options.map}"
        tmux = ["tmux", "-L", session]
        start = [*tmux, "new-session", "-d", "-s", session, "-x", str(columns), "-y", str(lines), command]
        subprocess.run(start, env=env, check=True)
        try:
            time.sleep(12)  # the server starts and checks the map
            cursor = f"call cursor({options.line}, {options.column})"
            keys = f":{options.top}\rzt:{cursor}\r:lua vim.lsp.buf.hover()\r"
            subprocess.run([*tmux, "send-keys", "-t", session, keys], check=True)
            time.sleep(4)
            capture = [*tmux, "capture-pane", "-e", "-p", "-t", session]
            ansi = subprocess.run(capture, capture_output=True, text=True, check=True).stdout
        finally:
            subprocess.run([*tmux, "kill-server"], check=False)
    render(ansi.rstrip("\n"), columns, options.output)
    print(f"wrote {options.output}")


if __name__ == "__main__":
    main()

"""A real editor: headless Neovim opens the real map with `argmap lsp` as its
language server; the diagnostics and the hover are read from Neovim itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS_MAP, ROOT

PROBE = Path(__file__).with_name("nvim_probe.lua")

pytestmark = pytest.mark.corpus


def test_neovim_shows_the_findings_and_a_hover(tmp_path: Path) -> None:
    pytest.importorskip("pygls", reason="argmap lsp needs the lsp extra")
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("no nvim on PATH: install Debian's neovim (scripts/test.sh does it as root)")
    if not CORPUS_MAP.exists():
        pytest.skip(f"real-world corpus not present at {CORPUS_MAP.parent}")
    map_copy = tmp_path / CORPUS_MAP.name
    shutil.copy(CORPUS_MAP, map_copy)
    shutil.copytree(CORPUS_MAP.parent / "docs", tmp_path / "docs")
    text = map_copy.read_text(encoding="utf-8").split("\n")
    hover_line = next(i for i, line in enumerate(text) if line.startswith("[Natural Manifold]:"))
    out = tmp_path / "nvim.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "ARGMAP_MAP": str(map_copy),
        "ARGMAP_OUT": str(out),
        "ARGMAP_CMD": json.dumps([sys.executable, "-m", "argmap", "lsp"]),
        "ARGMAP_HOVER_LINE": str(hover_line),
        "ARGMAP_HOVER_CHAR": "3",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {PROBE}"],
        env=env,
        timeout=180,
        check=False,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    seen = json.loads(out.read_text())
    assert seen.get("error") is None, seen.get("error")
    found = {(d["code"], d["lnum"] + 1) for d in seen["diagnostics"]}
    assert ("P106", 117) in found
    assert {("G301", 210), ("G301", 258)} <= found
    assert any(code == "E405" for code, _ in found)
    assert "computed credence (logodds): **0.9" in seen.get("hover", "")

"""Every shell command README.md shows runs as written (issue 16, group 9).

The commands of the README's ```sh blocks run from a copy of the repository's
`examples/` (with `../shared` pointing at the real corpus folder when it exists), one
after another, with `argmap` being this checkout. Each must exit 0. Commands that
install packages (the quick start, scripts/test.sh) are what CI itself runs; commands
that need the `train` extra or the real-world corpus skip with a message when those
are absent, and the training run also unless ARGMAP_README_TRAIN=1 (it trains twelve
adapters: minutes of CPU, beyond the suite's budget).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()  # a trailing `  # comment`
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


COMMANDS = readme_commands()


def why_skipped(command: str) -> str | None:
    if "pip install" in command or "scripts/test.sh" in command:
        return "installs packages: this is the command CI itself runs"
    if "../shared/" in command and not (SHARED / "corpus").is_dir():
        return f"needs the real-world corpus in {SHARED / 'corpus'}"
    if " experiment " in f" {command} " and not (SHARED / "corpus").is_dir():
        return "its map is a copy of the real-world corpus map"
    if " experiment run " in f" {command} ":
        from argmap.training import INSTALL_HINT, missing_packages

        missing = missing_packages()
        if missing:
            return f"needs the train extra ({', '.join(missing)}; {INSTALL_HINT})"
        if not (SHARED / "corpus").is_dir():
            return "its map is a copy of the real-world corpus map"
        if os.environ.get("ARGMAP_README_TRAIN") != "1":
            # 12 training runs: minutes of CPU, over the suite's budget; the same path
            # runs at CI scale in tests/training/test_end_to_end.py
            return "a training run: set ARGMAP_README_TRAIN=1 to run it too"
    return None


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("readme")
    repo = base / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "examples", repo / "examples")
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED, target_is_directory=True)
    bin_dir = base / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "argmap"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m argmap "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return repo, env


def test_the_readme_shows_commands() -> None:
    assert len(COMMANDS) >= 10
    assert any(c.startswith("argmap attach") for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=[f"{i:02d}" for i in range(len(COMMANDS))])
def test_readme_command_runs(command: str, workspace: tuple[Path, dict[str, str]]) -> None:
    reason = why_skipped(command)
    if reason is not None:
        pytest.skip(reason)
    repo, env = workspace
    result = subprocess.run(
        ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr

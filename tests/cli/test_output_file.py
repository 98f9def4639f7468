"""`-o/--output-file` on every command that has it (issue 16, F6 and F7): a path that
cannot be written (a missing folder, a folder, a FIFO, a device, `/dev/stdout` on a
pipe) is a located F011 diagnostic and exit 2, never a traceback, and a device or FIFO
is never replaced by a regular file (docs/cli.md, "Files")."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from tests.conftest import EXAMPLE

runner = CliRunner()
RESULTS = EXAMPLE.parent / "results" / "persistence_vs_climatology.csv"
ATTACH = ["--claim", "Clear Morning Persists", "--method", "persistence", "--baseline", "climatology"]
COMMANDS = {
    "check": ["check", str(EXAMPLE), "--format", "json"],
    "export": ["export", str(EXAMPLE)],
    "score": ["score", str(EXAMPLE), "--samples", "0"],
    "render": ["render", str(EXAMPLE)],
    "report": ["report", str(EXAMPLE), "--samples", "0"],
    "attach": ["attach", str(EXAMPLE), str(RESULTS), *ATTACH, "--lower-is-better", "--dry-run"],
    "results schema": ["results", "schema"],
    "diff": ["diff", str(EXAMPLE), str(EXAMPLE)],
}


def _refused(args: list[str], target: Path | str, what: str) -> None:
    result = runner.invoke(app, [*args, "-o", str(target)])
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "error[F011]" in result.stderr and what in result.stderr, result.stderr
    assert f"--> {target}" in result.stderr  # located at the path the user named, not a temporary file
    assert ".tmp" not in result.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_missing_folder_is_a_diagnostic(tmp_path: Path, name: str) -> None:
    target = tmp_path / "missing" / "out.txt"
    _refused(COMMANDS[name], target, "no such folder")
    assert not target.parent.exists()


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_folder_is_a_diagnostic(tmp_path: Path, name: str) -> None:
    _refused(COMMANDS[name], tmp_path, "it is a folder")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_fifo_is_refused_and_kept(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / "p.fifo"
    os.mkfifo(fifo)
    _refused(COMMANDS[name], fifo, "FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can make device nodes")
@pytest.mark.parametrize("name", ["export", "render"])
def test_a_device_node_is_refused_and_kept(tmp_path: Path, name: str) -> None:
    node = tmp_path / "mynull"  # a private null device under tmp_path: never the real /dev
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    _refused(COMMANDS[name], node, "character device")
    assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="needs /dev/stdout")
def test_dev_stdout_into_a_pipe_is_a_diagnostic() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "argmap", "export", str(EXAMPLE), "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "error[F011]" in result.stderr and "FIFO" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_symlink_to_a_regular_file_is_still_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = runner.invoke(app, [*COMMANDS["export"], "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text().startswith("{")


def test_attach_into_a_results_folder_that_is_a_file_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    map_path = tmp_path / "thesis.argdown"
    map_path.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "thesis.results").write_text("in the way", encoding="utf-8")
    args = ["attach", str(map_path), str(RESULTS), *ATTACH, "--lower-is-better"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "error[F011]" in result.stderr and "results folder" in result.stderr
    assert (tmp_path / "thesis.results").read_text(encoding="utf-8") == "in the way"
    assert map_path.read_bytes() == EXAMPLE.read_bytes()

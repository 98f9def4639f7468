"""`write_output` (argmap/cli/commands.py): a result given as UTF-8 bytes (the JSON
export) reaches stdout exactly as the same text written through `sys.stdout` would."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from argmap.cli import commands
from argmap.cli.commands import run_check, run_export, write_output
from argmap.grammar import parse_file
from argmap.render.argdown_json import export_json
from tests.conftest import EXAMPLE

TEXT = '{\n  "title": "Café → ✓"\n}\n'


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "utf-16"])
def test_bytes_are_written_as_the_text_would_be(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    def written(result: str | bytes) -> bytes:
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="\n")
        monkeypatch.setattr(sys, "stdout", stream)
        stream.write("before\n")  # text already written goes first
        assert write_output(result, None) == 0
        stream.flush()
        return raw.getvalue()

    assert written(TEXT.encode("utf-8")) == written(TEXT)


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_pieces_are_written_as_the_text_would_be(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    data = TEXT.encode("utf-8")
    cut = data.index("→".encode())  # pieces hold whole characters
    pieces: list[bytes | memoryview] = [data[:cut], memoryview(data)[cut:]]
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    assert write_output(iter(pieces), None) == 0
    stream.flush()
    assert raw.getvalue() == TEXT.encode(encoding, "replace")


def test_a_short_write_to_stdout_is_a_broken_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe whose reader leaves mid-write: the buffer takes part of a piece and says
    so without raising; the write raises BrokenPipeError (the CLI's exit status 1)."""

    class Closing(io.BytesIO):
        def write(self, data: Any) -> int:
            return super().write(bytes(data)[:3])

    stream = io.TextIOWrapper(Closing(), encoding="utf-8", newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    with pytest.raises(BrokenPipeError):
        write_output(TEXT.encode("utf-8"), None)


def test_pieces_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    data = TEXT.encode("utf-8")
    pieces: list[bytes | memoryview] = [data[:5], memoryview(data)[5:]]
    assert write_output(iter(pieces), target) == 0
    assert target.read_bytes() == data


def test_a_stdout_without_a_byte_buffer_gets_text(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    assert write_output(TEXT.encode("utf-8"), None) == 0
    assert stream.getvalue() == TEXT


def test_bytes_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert write_output(TEXT.encode("utf-8"), target) == 0
    assert target.read_bytes() == TEXT.encode("utf-8")


def test_export_writes_the_json_text(tmp_path: Path) -> None:
    expected = export_json(parse_file(EXAMPLE)).encode("utf-8")
    command = [sys.executable, "-m", "argmap", "export", "--to", "json", str(EXAMPLE)]
    run = subprocess.run(command, capture_output=True, check=False)
    assert (run.returncode, run.stdout) == (0, expected)
    run = subprocess.run([*command, "-o", str(tmp_path / "map.json")], capture_output=True, check=False)
    assert (run.returncode, run.stdout) == (0, b"")
    assert (tmp_path / "map.json").read_bytes() == expected


def test_an_export_holds_only_the_last_commands_objects(tmp_path: Path) -> None:
    """`run_export` leaves its model and value tree for the process's exit to drop
    (it ends with os._exit); a library caller running many exports holds one."""
    for name, fmt in (("a.json", "json"), ("b.json", "json"), ("c.dot", "dot")):
        assert run_export(str(EXAMPLE), fmt, tmp_path / name) == 0
        held = commands._kept
        assert len(held) == (2 if fmt == "json" else 1)
        assert getattr(held[0], "lines", None) == parse_file(EXAMPLE).lines
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_a_check_holds_only_the_last_commands_report(tmp_path: Path) -> None:
    """`run_check` leaves its report (with each map's model) to the process's exit too."""
    other = tmp_path / "other.argdown"
    other.write_text("[A]: a.\n  + [B]: b.\n", encoding="utf-8")
    for path in (str(EXAMPLE), str(other)):
        run_check([path], output_format="json", output_file=tmp_path / "report.json", no_evidence=True)
        (report,) = commands._kept
        assert list(getattr(report, "documents", {})) == [path]

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from argmap.cli.app import app

DOC = "Title: t\n\nline three\nThe quote lives on line four.\n"


def test_json_report_and_fix(make_map) -> None:  # type: ignore[no-untyped-def]
    path: Path = make_map([("docs/d.md#L1-L2", "The quote lives on line four.")], {"d.md": DOC})
    runner = CliRunner()
    result = runner.invoke(app, ["evidence", str(path), "--format", "json"])
    assert result.exit_code == 1
    quote = json.loads(result.stdout)["quotes"][0]
    assert {
        k: quote[k]
        for k in ("claim", "map_line", "file", "cited", "status", "actual", "score", "dropped", "changed")
    } == {
        "claim": "Obs 1",
        "map_line": 8,
        "file": "docs/d.md",
        "cited": [1, 2],
        "status": "moved",
        "actual": [4, 4],
        "score": 100.0,
        "dropped": [],
        "changed": [],
    }
    before = path.read_bytes()
    result = runner.invoke(app, ["evidence", str(path), "--diff"])
    assert result.exit_code == 0 and "+    [evidence](docs/d.md#L4-L4)" in result.stdout
    assert path.read_bytes() == before
    result = runner.invoke(app, ["evidence", str(path), "--fix"])
    assert result.exit_code == 0
    assert b"docs/d.md#L4-L4" in path.read_bytes()


def test_human_report_and_missing_map(make_map) -> None:  # type: ignore[no-untyped-def]
    path: Path = make_map(
        [("docs/d.md#L4-L4", "Nothing like this exists anywhere in the file at all.")], {"d.md": DOC}
    )
    runner = CliRunner()
    result = runner.invoke(app, ["evidence", str(path)])
    assert result.exit_code == 1 and "not-found" in result.stdout and "closest passage" in result.stdout
    result = runner.invoke(app, ["evidence", str(path.parent / "nope.argdown")])
    assert result.exit_code == 2

"""Text from a map or a results file never reaches a terminal as control characters
(issue 16, campaign F12): every human output escapes them (`\\x1b`, `\\u202e`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

PICNIC = Path(__file__).resolve().parents[2] / "examples" / "picnic"
RAW = ("\x1b", "\x07", "\x08", "\u202e", "\x9b")
HOSTILE_TITLE = "Picnic \x1b[31mStays\x07\x08 Dry\u202e\x9b"

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The picnic project with its thesis's title full of escape codes, and a results file
    whose method name holds more."""
    shutil.copytree(PICNIC, tmp_path / "p")
    (tmp_path / "p" / "argmap.toml").write_text("", encoding="utf-8")
    original = (PICNIC / "thesis.argdown").read_text(encoding="utf-8")
    (tmp_path / "p" / "hostile.argdown").write_text(
        original.replace("Picnic Stays Dry", HOSTILE_TITLE).replace(
            "Bulletin Beats Single Run",
            "Bulletin \x1b[1mBeats\x1b[0m Single Run",  # a claim with a quote
        ),
        encoding="utf-8",
    )
    method = "n\x1b[2Jew\u202e"
    runs = [
        run
        for seed in range(5)
        for run in (
            {"seed": seed, "method": method, "metrics": {"acc": 0.7 + seed / 100}},
            {"seed": seed, "method": "old", "metrics": {"acc": 0.69}},
        )
    ]
    result = {
        "claim": "Clear Morning Persists",
        "comparison": {"method": method, "baseline": "old", "metric": "acc"},
        "runs": runs,
    }
    (tmp_path / "r.json").write_text(json.dumps(result), encoding="utf-8")
    return tmp_path


COMMANDS = {
    "score": ["score", "{p}/hostile.argdown"],
    "score --explain": ["score", "--explain", "{p}/hostile.argdown"],
    "evidence": ["evidence", "{p}/hostile.argdown"],
    "attach --dry-run": ["attach", "{p}/hostile.argdown", "{r}", "--dry-run"],
    "diff": ["diff", "{p}/thesis.argdown", "{p}/hostile.argdown"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_human_output_escapes_control_characters(project: Path, name: str) -> None:
    args = [a.format(p=project / "p", r=project / "r.json") for a in COMMANDS[name]]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    for raw in RAW:
        assert raw not in result.output, (name, raw)
    assert "\\x1b[" in result.output  # the title (or method) is shown, escaped


def test_results_list_escapes_a_stored_claim(project: Path) -> None:
    hostile = project / "p" / "hostile.argdown"
    assert runner.invoke(app, ["attach", str(hostile), str(project / "r.json")]).exit_code == 0
    listed = runner.invoke(app, ["results", "list", str(hostile)])
    assert listed.exit_code == 0
    assert not any(raw in listed.output for raw in RAW)
    assert "n\\x1b[2Jew\\u202e" in listed.output

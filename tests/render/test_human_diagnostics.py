"""The human diagnostics report on hostile maps (issue 16, campaign F2 and F12): a quoted
line is a bounded window, repeats of one code on one line are summarised, and text from
the map never reaches the terminal as control characters."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.diagnostics import Diagnostic, printable
from argmap.render.diagnostics import EXCERPT_WIDTH, REPEATS_SHOWN, excerpt, render_human

runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_many_references_on_one_long_line_give_a_bounded_report(tmp_path: Path) -> None:
    # 25,000 references on one 100 KB line: the campaign's MemoryError (each of the 25,000
    # findings quoted the whole line: 2.5 GB of report)
    path = write(tmp_path, "refs.argdown", "[T]: " + "[a] " * 25_000 + "\n")
    result = runner.invoke(app, ["check", "--no-evidence", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert len(result.output) < 5_000
    assert f"and {25_000 - REPEATS_SHOWN} more on this line" in result.output
    assert "Found 25000 errors" in result.output  # the count stays complete
    as_json = runner.invoke(app, ["check", "--no-evidence", "--format", "json", str(path)])
    found = [d for d in json.loads(as_json.stdout)["diagnostics"] if d["code"] == "P126"]
    assert len(found) == 25_000  # machine formats keep every finding


def test_the_quoted_window_is_bounded_and_the_caret_points_at_the_finding() -> None:
    line = "x" * 50_000 + "[target]" + "y" * 50_000
    text, start, width = excerpt(line, 50_000, 50_008)
    assert len(text) <= EXCERPT_WIDTH + 6
    assert text.startswith("...") and text.endswith("...")
    assert text[start : start + width] == "[target]"


def test_a_short_line_is_quoted_whole_with_tabs_and_controls_shown() -> None:
    text, start, width = excerpt("\tab\x1bcd", 3, 5)
    assert text == "    ab\\x1bcd"
    assert text[start : start + width] == "\\x1bc"


def test_control_characters_from_the_map_are_escaped_in_check(tmp_path: Path) -> None:
    map_text = (
        "[T]: A thesis.\n  + <A>\n\n<A>\n\n"
        "(1) [P]: pre\x01\x02\x1b[31mmise\x07\x08\u202e. #observation {credence: 0.7}\n"
        "----\n(2) [C]: conclusion.\n  +> [T]\n"
    )
    path = write(tmp_path, "c.argdown", map_text)
    result = runner.invoke(app, ["check", "--no-evidence", str(path)])
    assert result.exit_code == 1
    for raw in ("\x01", "\x02", "\x1b", "\x07", "\x08", "\u202e"):
        assert raw not in result.output
    assert "pre\\x01\\x02\\x1b[31mmise\\x07\\x08\\u202e." in result.output


def test_a_message_and_hint_with_control_characters_are_escaped() -> None:
    finding = Diagnostic.at("X1", "error", "bad \x1b]0;title\x07", "f\x1b.argdown", hint="h\x9b2J")
    report = render_human([finding], {}, 1)
    assert "\x1b" not in report and "\x07" not in report and "\x9b" not in report
    assert "bad \\x1b]0;title\\x07" in report and "h\\x9b2J" in report


def test_printable_keeps_ordinary_text() -> None:
    assert printable("Ünïcode – “quotes” 中文 \t tab") == "Ünïcode – “quotes” 中文 \t tab"


def test_a_parser_message_quotes_at_most_a_bounded_reference(tmp_path: Path) -> None:
    path = write(tmp_path, "long.argdown", "[T]: x [" + "a" * 100_000 + "] y\n  + [B]: b.\n")
    result = runner.invoke(app, ["check", "--no-evidence", "--format", "json", str(path)])
    (found,) = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "P126"]
    assert len(found["message"]) < 400 and len(found["hint"]) < 400

"""`render` and `report` on a map with syntax errors: the picture is written from what parsed,
the errors go to stderr in `check`'s style (with the excerpt), and the exit status is 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

BROKEN = """[T]: The thesis.

<A>: An argument.

(1) [P]: A premise. #assumption {reason: "r", credence: 0.8}
(2) [C]: A conclusion with no inference line above it. {reason: "r", inference: 0.7}
    +> [T]
"""


@pytest.mark.parametrize(("command", "suffix"), [("render", ".html"), ("report", ".report.html")])
def test_errors_shown_with_excerpt_and_exit_1(tmp_path: Path, command: str, suffix: str) -> None:
    source = tmp_path / "map.argdown"
    source.write_text(BROKEN, encoding="utf-8")
    target = tmp_path / f"out{suffix}"
    args = [command, str(source), "-o", str(target)]
    if command == "render":
        args.append("--no-evidence")
    else:
        args += ["--samples", "100"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert target.is_file()
    assert "error[P106]" in result.stderr and "-->" in result.stderr and "| (2) [C]" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("command", "suffix"), [("render", ".html"), ("report", ".report.html")])
def test_rule_errors_alone_are_counted_and_exit_1(tmp_path: Path, command: str, suffix: str) -> None:
    """No syntax error, but two statements used and never defined (G301): the page's banner
    counts them, and so does stderr, with the first one; the output is still written."""
    from tests.problem_maps import TEA

    source = tmp_path / "tea.argdown"
    source.write_text(TEA.text, encoding="utf-8")
    target = tmp_path / f"out{suffix}"
    extra = ["--no-evidence"] if command == "render" else ["--samples", "100"]
    result = CliRunner().invoke(app, [command, str(source), "-o", str(target), *extra])
    assert result.exit_code == 1
    assert target.is_file()
    assert result.stdout == ""
    assert "error[G301]" in result.stderr and "17 |   +> [Evening Alertness]" in result.stderr
    assert (
        f"argmap {command}: the map has 2 errors (first: line 17, G301 statement [Evening Alertness] "
        "is never defined (used at line 17))" in result.stderr
    )


@pytest.mark.parametrize("command", ["render", "report"])
def test_a_clean_map_says_only_what_it_wrote(tmp_path: Path, command: str) -> None:
    from tests.conftest import EXAMPLE

    target = tmp_path / "out.html"
    extra = ["--samples", "100"]
    result = CliRunner().invoke(app, [command, str(EXAMPLE), "-o", str(target), *extra])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {target}\n"

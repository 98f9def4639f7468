"""`argmap rule CODE` and `argmap rule --all`."""

from __future__ import annotations

from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()


def test_rule_explains_a_code() -> None:
    result = runner.invoke(app, ["rule", "v201"])
    assert result.exit_code == 0
    assert result.output.startswith("V201 (missing-credence)\n\nA premise without a `credence`.")
    assert "Level: error. Family: vargdown." in result.output
    assert "```argdown" in result.output


def test_rule_explains_parser_codes() -> None:
    result = runner.invoke(app, ["rule", "P106"])
    assert result.exit_code == 0
    assert "Reported by the parser" in result.output and "----" in result.output


def test_rule_all_lists_every_code() -> None:
    result = runner.invoke(app, ["rule", "--all"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("G301  undefined-statement") for line in lines)
    assert any(line.startswith("P106") for line in lines)


def test_unknown_rule_exits_two() -> None:
    result = runner.invoke(app, ["rule", "V2O1"])
    assert result.exit_code == 2
    assert "V201" in result.output
    assert runner.invoke(app, ["rule"]).exit_code == 2

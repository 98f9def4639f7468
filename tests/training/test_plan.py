"""`argmap experiment plan MAP`: the claims experiments could bear on, which specs test
each with what measurement, which have none; bad specs are located diagnostics. And the
shipped specs: each names a claim of the real map and a measurement with a rationale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
REAL_MAP = ROOT.parent / "shared" / "corpus" / "adapters" / "adapters_vargdown.argdown"
SHIPPED = ROOT / "examples" / "experiments"

MAP = """\
[Thesis]: Adapters work.
  + <A>

<A>

(1) [Init Matters]: SVD init beats random init. {credence: 0.7}
(2) [Rotations Transfer]: Rotations transfer out of distribution. {credence: 0.6}
----
(3) [Geometry Matters]: The geometry matters. {inference: 0.7}
  +> [Thesis]
"""

SPEC = """\
name: {name}
comparisons:
  - claim: {claim}
    method: pissa
    baseline: lora
    measure: {measure}
    rationale: {rationale}
task: {{name: shift, heldout_modes: 1}}
methods:
  lora: {{type: lora}}
  pissa: {{type: pissa}}
"""


def _write(folder: Path, name: str, claim: str, measure: str, rationale: str = "why") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(SPEC.format(name=name, claim=claim, measure=measure, rationale=rationale))
    return path


def test_plan_lists_tested_and_untested_claims(tmp_path: Path) -> None:
    (tmp_path / "map.argdown").write_text(MAP)
    specs = tmp_path / "specs"
    specs.mkdir()
    _write(specs, "init", "Init Matters", "steps_to_target\n    target: 0.8", "speed is the claim")
    _write(specs, "ood", "Rotations Transfer", "ood_acc", "transfer is the claim")
    result = CliRunner().invoke(
        app, ["experiment", "plan", str(tmp_path / "map.argdown"), "--specs", str(specs), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["claims"] == 3 and plan["covered"] == 2
    assert plan["untested"] == ["Geometry Matters"]
    [init] = plan["tests"]["Init Matters"]
    assert (init["measure"], init["direction"], init["rationale"]) == (
        "steps_to_target",
        "lower",
        "speed is the claim",
    )
    human = CliRunner().invoke(
        app, ["experiment", "plan", str(tmp_path / "map.argdown"), "--specs", str(specs)]
    )
    assert "[Rotations Transfer] (premise)" in human.stdout and "ood_acc, higher is better" in human.stdout
    assert "no test yet:\n  [Geometry Matters] (conclusion)" in human.stdout


def test_plan_reports_bad_specs_as_located_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "map.argdown").write_text(MAP)
    specs = tmp_path / "specs"
    specs.mkdir()
    _write(specs, "typo", "Init Matter", "test_acc")  # not a claim of the map
    bad = _write(specs, "method", "Init Matters", "test_acc")
    bad.write_text(bad.read_text().replace("type: pissa", "type: pisa"))  # unknown method
    _write(specs, "ood", "Rotations Transfer", "ood_acc").write_text(
        SPEC.format(name="o", claim="Rotations Transfer", measure="ood_acc", rationale="r").replace(
            ", heldout_modes: 1", ""
        )
    )
    result = CliRunner().invoke(
        app, ["experiment", "plan", str(tmp_path / "map.argdown"), "--specs", str(specs)]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{specs / 'typo.yaml'}:3:1" in result.stderr and "T104" in result.stderr
    assert "did you mean [Init Matters]?" in result.stderr
    assert (
        f"{specs / 'method.yaml'}:11:11" in result.stderr
        and "T102" in result.stderr
        and "'pissa'" in result.stderr
    )
    assert f"{specs / 'ood.yaml'}:6:5" in result.stderr and "T106" in result.stderr


def test_shipped_specs_name_claims_of_the_real_map_with_measurements_and_rationales() -> None:
    if not REAL_MAP.exists():
        pytest.skip(f"the real map is not beside the checkout ({REAL_MAP})")
    result = CliRunner().invoke(
        app, ["experiment", "plan", str(REAL_MAP), "--specs", str(SHIPPED), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["covered"] >= 8
    entries = [e for found in plan["tests"].values() for e in found]
    assert all(e["rationale"] for e in entries)
    measures = {e["measure"] for e in entries}
    assert {"ood_acc", "retention", "steps_to_target"} <= measures
    assert measures & {"lr_worst", "lr_spread"}


def test_shipped_specs_parse() -> None:
    from argmap.training.spec import load_spec

    files = sorted(SHIPPED.glob("*.yaml"))
    assert len(files) >= 8
    for file in files:
        spec = load_spec(file)
        assert all(c.rationale for c in spec.comparisons), file

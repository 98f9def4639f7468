"""CI-scale experiment end to end: the tiny model, 2 methods, 2 seeds, a dozen steps,
through the CLI; the results validate against the published schema, `argmap attach`
accepts them, a re-run takes every trial from the cache, and `argmap check` never
imports torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.training.conftest import require_train

MAP = """\
===
title: Adapters
===

[Adapters Work]: Cheap adapters match full fine-tuning.
  + <SVD Argument>

<SVD Argument>

(1) [SVD Init Wins]: PiSSA's SVD initialisation beats LoRA's random one. #observation
    {reason: "a test premise", credence: 0.6}
----
(2) [Principal Directions Matter]: The principal components carry the signal. {reason: "test", inference: 0.7}
  +> [Adapters Work]
"""

SPEC = """\
name: ci-smoke
comparisons:
  - claim: SVD Init Wins
    method: pissa
    baseline: lora
    measure: ood_acc
    rationale: a test of transfer to a held-out mode
    min_effect: 0.01
model: {name: tiny, pretrain_steps: 60}
task: {name: shift, heldout_modes: 1, validation_examples: 64, test_examples: 128}
methods:
  lora: {type: lora, r: 4}
  pissa: {type: pissa, r: 4}
seeds: [0, 1]
steps: 12
eval_every: 4
batch_size: 16
learning_rates: [0.01]
"""


@pytest.mark.parametrize("command", [["check"], ["score"], ["results", "list"]])
def test_check_score_attach_never_import_torch(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "map.argdown").write_text(MAP)
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "argmap", *command, str(tmp_path / "map.argdown")],
        capture_output=True,
        text=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines() if "|" in line}
    assert "argmap" in imported, out.stderr[-2000:]
    assert not imported & {"torch", "transformers", "peft", "ray"}


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from argmap.cli.app import app

    monkeypatch.setattr("argmap.training.missing_packages", lambda names=None: ["torch"])
    (tmp_path / "spec.yaml").write_text(SPEC)
    result = CliRunner().invoke(app, ["experiment", "run", str(tmp_path / "spec.yaml")])
    assert result.exit_code == 2
    assert "pip install torch==2.13.0" in result.output and "argmap[train]" in result.output


def test_invalid_spec_is_diagnosed_before_training(tmp_path: Path) -> None:
    from argmap.cli.app import app

    (tmp_path / "spec.yaml").write_text(SPEC.replace("baseline: lora", "baseline: lora2"))
    result = CliRunner().invoke(app, ["experiment", "run", str(tmp_path / "spec.yaml")])
    assert result.exit_code == 1 and "T103" in result.output


def test_unknown_claim_with_attach(tmp_path: Path) -> None:
    from argmap.cli.app import app

    (tmp_path / "map.argdown").write_text(MAP)
    (tmp_path / "spec.yaml").write_text(SPEC.replace("claim: SVD Init Wins", "claim: SVD Init Win"))
    result = CliRunner().invoke(
        app, ["experiment", "run", str(tmp_path / "spec.yaml"), "--attach", str(tmp_path / "map.argdown")]
    )
    assert (
        result.exit_code == 1 and "T104" in result.output and "did you mean [SVD Init Wins]" in result.output
    )


@pytest.mark.slow
def test_ci_scale_experiment_end_to_end(tmp_path: Path, tiny_cache: str) -> None:
    require_train()
    import jsonschema

    from argmap.cli.app import app
    from argmap.results.schema import result_schema

    (tmp_path / "map.argdown").write_text(MAP)
    (tmp_path / "spec.yaml").write_text(SPEC)
    out = tmp_path / "out"
    args = ["experiment", "run", str(tmp_path / "spec.yaml"), "--out", str(out), "--cache", tiny_cache]
    runner = CliRunner()
    first = runner.invoke(app, [*args, "--attach", str(tmp_path / "map.argdown"), "--save-adapters"])
    assert first.exit_code == 0, first.output
    assert "4 trial(s) run, 0 from cache" in first.output
    assert "SVD Init Wins" in first.output and "attached" in first.output
    [path] = sorted((out / "results").glob("*.json"))
    data = json.loads(path.read_text())
    jsonschema.validate(data, result_schema())
    assert data["claim"] == "SVD Init Wins"
    assert {(r["method"], r["seed"]) for r in data["runs"]} == {
        ("pissa", 0),
        ("pissa", 1),
        ("lora", 0),
        ("lora", 1),
    }
    hyper = data["setup"]["hyperparameters"]
    assert hyper["selected_learning_rates"] == {"pissa": 0.01, "lora": 0.01}
    assert data["comparison"]["metric"] == "ood_acc" and hyper["rationale"].startswith("a test of transfer")
    # per-seed values of the measurement, equal to the runs' values
    assert {arm: sorted(v) for arm, v in hyper["per_seed"].items()} == {
        "pissa": ["0", "1"],
        "lora": ["0", "1"],
    }
    for run in data["runs"]:
        assert hyper["per_seed"][run["method"]][str(run["seed"])] == [run["metrics"]["ood_acc"]]
        assert 0.0 <= run["metrics"]["ood_acc"] <= 1.0 and "test_acc" in run["metrics"]
    # a one-rate grid tunes nothing: T107 in the result and on stderr
    assert {w["code"] for w in hyper["warnings"]} >= {"T107"}
    assert "T107" in first.output and "nothing was tuned" in first.output
    # curves: 0, 4, 8, 12; linked from the result, relative to it
    for arm in ("pissa", "lora"):
        assert len(hyper["curves"][arm]) == 2
        for link in hyper["curves"][arm]:
            points = [json.loads(line) for line in (path.parent / link).read_text().splitlines()]
            assert [p["step"] for p in points] == [0, 4, 8, 12]
            assert {"train_loss", "val_acc", "val_loss"} <= set(points[1])
    # adapters, with --save-adapters
    from safetensors.torch import load_file

    adapters = sorted((out / "trials").glob("*.adapter.safetensors"))
    assert len(adapters) == 4
    assert any("lora_A" in name for name in load_file(str(adapters[0])))
    # `argmap report FOLDER` draws the curves
    drawn = runner.invoke(app, ["report", str(out)])
    assert drawn.exit_code == 0, drawn.output
    page = (out / "report.html").read_text()
    assert page.count("<svg") >= 3 and "validation accuracy" in page and "T107" in page
    assert data["provenance"]["packages"]["torch"]
    assert data["provenance"]["device"] == "cpu"
    assert len(list((out / "trials").glob("*.json"))) == 4
    assert len(list((out / "trials").glob("*.curve.jsonl"))) == 4
    assert len(list((tmp_path / ".argmap-results").glob("*.json")) or list(tmp_path.rglob("*.json"))) >= 1
    # a re-run takes every trial from the cache, and gives the same result (same id):
    # the provenance comes from the trials, not from the invocation
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "0 trial(s) run, 4 from cache" in second.output
    assert json.loads(path.read_text()) == data  # the id included
    assert data["provenance"]["started"] <= data["provenance"]["finished"]
    assert data["provenance"]["trial_seconds"] > 0 and data["provenance"]["ray"] is False
    # so attaching it again is caught as a duplicate (R106)
    duplicate = runner.invoke(app, ["attach", str(tmp_path / "map.argdown"), str(path)])
    assert duplicate.exit_code == 1 and "R106" in duplicate.output, duplicate.output
    # each invocation is logged with its own times and counts
    runs = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert [(r["trials_run"], r["trials_cached"]) for r in runs] == [(4, 0), (0, 4)]
    assert runs[0]["results"] == runs[1]["results"]
    # an interrupted run resumes: drop one finished trial, only it runs again
    sorted((out / "trials").glob("*.json"))[0].unlink()
    third = runner.invoke(app, args)
    assert "1 trial(s) run, 3 from cache" in third.output
    # a trial trained again is new data (its own times): a new result id
    assert json.loads(path.read_text())["provenance"] != data["provenance"]
    # and `argmap attach` accepts the file on its own (as a dry run on a fresh map)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "map.argdown").write_text(MAP)
    attach = runner.invoke(
        app, ["attach", str(fresh / "map.argdown"), str(path), "--dry-run", "--format", "json"]
    )
    assert attach.exit_code == 0, attach.output
    report = json.loads(attach.output)
    assert report["results"][0]["claim"] == "SVD Init Wins"

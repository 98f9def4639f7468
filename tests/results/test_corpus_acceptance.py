"""Real-world acceptance on the adapters map: results for and against [SVD Init Wins].

[SVD Init Wins] is premise (1) of <SVD Basis Cluster> (credence 0.88); the argument's
conclusion [SVD Is Natural Basis] = (1) x (2) x (3) x inference = c x 0.74 x 0.80 x 0.85,
and it supports the thesis [Natural Manifold] (prior 0.5) with 8 other supporters and
attackers. Under logodds the thesis is sigmoid(logit(0.5) + sum(supporters) -
sum(attackers)), so a change of the conclusion by d changes the thesis's log-odds by d.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()
pytestmark = pytest.mark.corpus
CLAIM = "SVD Init Wins"


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def five_seeds(pissa: list[float], lora: list[float]) -> dict[str, Any]:
    runs = []
    for seed, (a, b) in enumerate(zip(pissa, lora, strict=True)):
        runs.append({"seed": seed, "method": "pissa", "metrics": {"eval_acc": a}})
        runs.append({"seed": seed, "method": "lora", "metrics": {"eval_acc": b}})
    return {
        "claim": CLAIM,
        "comparison": {"method": "pissa", "baseline": "lora", "metric": "eval_acc"},
        "runs": runs,
        "setup": {"model": "Qwen2.5-0.5B", "dataset": "gsm8k", "steps": 500},
    }


def run_attach(map_path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    file = map_path.parent / name
    file.write_text(json.dumps(data), encoding="utf-8")
    out = runner.invoke(app, ["attach", str(map_path), str(file), "--dry-run", "--format", "json", "-n", "0"])
    assert out.exit_code == 0, out.output
    report: dict[str, Any] = json.loads(out.output)
    return report


def check_moves(report: dict[str, Any]) -> float:
    (item,) = report["results"]
    moved = {m["title"]: m for m in report["moved"]}
    factor = item["applied"]
    # premise: odds 0.88 / 0.12 = 7.3333, times the applied factor
    odds = 0.88 / 0.12 * factor
    premise = odds / (1 + odds)
    assert moved[CLAIM]["before"] == pytest.approx(0.88)
    assert moved[CLAIM]["after"] == pytest.approx(premise, abs=2e-6)
    # conclusion: premise x 0.74 x 0.80 x 0.85 = premise x 0.5032 (before: 0.88 x 0.5032 = 0.442816)
    before_c, after_c = 0.88 * 0.5032, premise * 0.5032
    conclusion = moved["SVD Is Natural Basis"]
    assert conclusion["before"] == pytest.approx(before_c, abs=2e-6)
    assert conclusion["after"] == pytest.approx(after_c, abs=2e-6)
    assert "SVD Basis Cluster" in conclusion["why"][0]
    # thesis: log-odds shift by exactly the conclusion's change
    thesis = report["thesis"]
    assert thesis["after"] == pytest.approx(sigmoid(logit(thesis["before"]) + after_c - before_c), abs=2e-6)
    # nothing else moves: only the chain premise -> conclusion -> thesis is downstream
    assert set(moved) <= {CLAIM, "SVD Is Natural Basis", "Natural Manifold"}
    return float(factor)


def test_result_against_svd_init_wins(fixed_corpus_map: Path) -> None:
    (fixed_corpus_map.parent / "pyproject.toml").write_text("", encoding="utf-8")
    # PiSSA no better than LoRA: differences +0.002 -0.003 +0.006 -0.001 -0.003 (mean +0.0002)
    report = run_attach(
        fixed_corpus_map,
        five_seeds([0.712, 0.705, 0.709, 0.716, 0.701], [0.710, 0.708, 0.703, 0.717, 0.704]),
        "against.json",
    )
    (item,) = report["results"]
    assert item["effect_size"] == pytest.approx(0.0002, abs=1e-12)
    assert item["bf_plus0"] < 1 and item["bf10"] < 1  # no effect: evidence for the null
    assert item["applied"] == pytest.approx(item["bf_plus0"] ** 0.5, rel=1e-9)  # no guard bites
    factor = check_moves(report)
    # applied ~ 0.657: 0.88 -> 7.3333 x 0.657 = 4.82 odds -> 0.828; conclusion 0.4428 -> 0.4167
    assert 0.5 < factor < 0.8
    moved = {m["title"]: m for m in report["moved"]}
    assert -0.07 < moved[CLAIM]["delta"] < -0.03
    assert -0.035 < moved["SVD Is Natural Basis"]["delta"] < -0.015


def test_result_for_svd_init_wins(fixed_corpus_map: Path) -> None:
    (fixed_corpus_map.parent / "pyproject.toml").write_text("", encoding="utf-8")
    # PiSSA ahead on every seed by 0.009-0.013: t = 0.011 / (0.00158 / sqrt 5) = 15.6,
    # BF+0 ~ 10^2.4, capped at 10^2, tempered: 100 ^ 0.5 = 10 exactly
    report = run_attach(
        fixed_corpus_map,
        five_seeds([0.721, 0.719, 0.714, 0.728, 0.715], [0.710, 0.708, 0.703, 0.717, 0.704]),
        "for.json",
    )
    (item,) = report["results"]
    assert item["bf_plus0"] > 100
    assert item["applied"] == pytest.approx(10.0, rel=1e-9)
    factor = check_moves(report)
    # 7.3333 x 10 = 73.333 odds -> 73.333 / 74.333 = 0.986547;
    # conclusion 0.986547 x 0.5032 = 0.496431 (+0.053615)
    moved = {m["title"]: m for m in report["moved"]}
    assert factor == pytest.approx(10.0)
    assert moved[CLAIM]["after"] == pytest.approx(0.986547, abs=1e-5)
    assert moved["SVD Is Natural Basis"]["after"] == pytest.approx(0.496431, abs=1e-5)

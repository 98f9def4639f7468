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
    """`argmap attach --dry-run --format json` of `data`, the map's folder its own project root."""
    (map_path.parent / "pyproject.toml").write_text("", encoding="utf-8")
    file = map_path.parent / name
    file.write_text(json.dumps(data), encoding="utf-8")
    out = runner.invoke(app, ["attach", str(map_path), str(file), "--dry-run", "--format", "json", "-n", "0"])
    assert out.exit_code == 0, out.output
    report: dict[str, Any] = json.loads(out.output)
    return report


def attach_five(
    map_path: Path, pissa: list[float], lora: list[float]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report and its one result item, for five paired seeds of PiSSA against LoRA."""
    report = run_attach(map_path, five_seeds(pissa, lora), "result.json")
    (item,) = report["results"]
    return report, item


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
    # PiSSA no better than LoRA: behind on four of five seeds, differences
    # -0.004 +0.001 -0.006 -0.002 -0.004: mean -0.003, sd 0.0026458 (variance 28e-6 / 4),
    # t = -0.003 / (0.0026458 / sqrt 5) = -2.53546 (df 4).
    report, item = attach_five(
        fixed_corpus_map, [0.706, 0.709, 0.697, 0.715, 0.700], [0.710, 0.708, 0.703, 0.717, 0.704]
    )
    assert item["effect_size"] == pytest.approx(-0.003, abs=1e-12)
    # By scipy, apart from argmap: P(delta > 0 | t) / P(delta < 0 | t) under Cauchy(0, sqrt(2)/2),
    # each half integral of nct.pdf(t, 4, delta sqrt 5) cauchy.pdf(delta): BF+- = 0.0516709;
    # BF+0 = 0.182422, BF10 = 1.85644 (so BF-0 = 2 BF10 - BF+0 = 3.53046).
    assert item["bf_plus0"] == pytest.approx(0.182422, rel=1e-4)
    assert item["bf10"] == pytest.approx(1.85644, rel=1e-4)
    # no guard bites: applied = BF+- ^ 0.5 = 0.0516709 ^ 0.5 = 0.227312
    assert item["applied"] == pytest.approx(0.227312, rel=1e-4)
    factor = check_moves(report)
    # premise: 7.3333 x 0.227312 = 1.66695 odds -> 1.66695 / 2.66695 = 0.625041 (-0.254959);
    # conclusion 0.625041 x 0.5032 = 0.314521 (-0.128295); thesis log-odds -0.128295
    moved = {m["title"]: m for m in report["moved"]}
    assert moved[CLAIM]["after"] == pytest.approx(0.625041, abs=1e-5)
    assert moved["SVD Is Natural Basis"]["after"] == pytest.approx(0.314521, abs=1e-5)
    assert factor == pytest.approx(0.227312, rel=1e-4)


def test_tied_result_barely_moves_svd_init_wins(fixed_corpus_map: Path) -> None:
    # A tie: differences +0.002 -0.003 +0.006 -0.001 -0.003 (mean +0.0002, t = 0.11664).
    # It says nothing about which arm is better: BF+- = 1.17417 (by scipy, as above),
    # applied 1.17417 ^ 0.5 = 1.08359: 7.3333 x 1.08359 = 7.94633 odds -> 0.888222 (+0.008222);
    # conclusion 0.888222 x 0.5032 = 0.446953 (+0.004137, under the 0.005 threshold).
    # (BF+0 = 0.43166 < 1 here: against the point null, not against the claim's negation.)
    report, item = attach_five(
        fixed_corpus_map, [0.712, 0.705, 0.709, 0.716, 0.701], [0.710, 0.708, 0.703, 0.717, 0.704]
    )
    assert item["bf_plus0"] == pytest.approx(0.43166, rel=1e-4)
    assert item["applied"] == pytest.approx(1.08359, rel=1e-4)
    moved = {m["title"]: m for m in report["moved"]}
    assert moved[CLAIM]["after"] == pytest.approx(0.888222, abs=1e-5)
    assert "SVD Is Natural Basis" not in moved


def test_result_for_svd_init_wins(fixed_corpus_map: Path) -> None:
    # PiSSA ahead on every seed by 0.009-0.013 (+0.011 +0.009 +0.013 +0.010 +0.012): mean
    # 0.011, sd 0.0015811 (variance 10e-6 / 4), t = 0.011 / (0.0015811 / sqrt 5) = 15.5563;
    # by scipy, apart from argmap (as in the test above): BF10 = 206.129, BF+0 = 412.099,
    # BF+- = 2604.27, capped at 10^2, tempered: 100 ^ 0.5 = 10 exactly
    report, item = attach_five(
        fixed_corpus_map, [0.721, 0.717, 0.716, 0.727, 0.716], [0.710, 0.708, 0.703, 0.717, 0.704]
    )
    assert item["effect_size"] == pytest.approx(0.011, abs=1e-12)
    assert item["bf10"] == pytest.approx(206.129, rel=1e-4)
    assert item["bf_plus0"] == pytest.approx(412.099, rel=1e-4)
    assert item["applied"] == pytest.approx(10.0, rel=1e-9)
    factor = check_moves(report)
    # 7.3333 x 10 = 73.333 odds -> 73.333 / 74.333 = 0.986547;
    # conclusion 0.986547 x 0.5032 = 0.496431 (+0.053615)
    moved = {m["title"]: m for m in report["moved"]}
    assert factor == pytest.approx(10.0)
    assert moved[CLAIM]["after"] == pytest.approx(0.986547, abs=1e-5)
    assert moved["SVD Is Natural Basis"]["after"] == pytest.approx(0.496431, abs=1e-5)

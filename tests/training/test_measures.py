"""Measurements checked against hand-derived values: curve statistics, properties of a
learned update, the out-of-distribution and source splits of the synthetic task, the
per-seed measurement read from trial records, and the edge-of-grid / still-improving
warnings."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from argmap.training.measures import curve_auc, steps_to_target, still_improving
from tests.training.conftest import require_train

CURVE = [
    {"step": 0, "val_acc": 0.2, "val_loss": 3.0},
    {"step": 10, "val_acc": 0.6, "val_loss": 1.0},
    {"step": 20, "val_acc": 0.8, "val_loss": 0.5},
    {"step": 30, "val_acc": 0.8, "val_loss": 0.5},
]


def test_steps_to_target_is_the_first_step_reaching_it() -> None:
    assert steps_to_target(CURVE, 0.6) == 10.0
    assert steps_to_target(CURVE, 0.7) == 20.0
    assert steps_to_target(CURVE, 0.9) is None


def test_curve_auc_is_the_trapezoid_mean() -> None:
    # trapezoids: 10*(0.2+0.6)/2 + 10*(0.6+0.8)/2 + 10*(0.8+0.8)/2 = 4 + 7 + 8 = 19, over 30 steps
    assert curve_auc(CURVE) == pytest.approx(19 / 30)
    assert curve_auc(CURVE[:1]) == 0.2


def test_still_improving() -> None:
    assert not still_improving(CURVE)  # flat at the end
    rising = [{"step": s, "val_acc": a} for s, a in [(0, 0.1), (5, 0.5), (10, 0.7), (15, 0.75)]]
    assert still_improving(rising)
    falling_loss = [{"step": s, "val_loss": v} for s, v in [(0, 3.0), (5, 2.0), (10, 1.0)]]
    assert still_improving(falling_loss, "val_loss", "lower")
    assert not still_improving(falling_loss[:2], "val_loss", "lower")  # too short to tell


def test_effective_rank_alignment_and_energy_by_hand() -> None:
    require_train()
    import torch

    from argmap.training.evaluation import (
        effective_rank,
        hyperspherical_energy,
        top_alignment,
        update_properties,
    )

    # two equal singular values: entropy log 2, effective rank exactly 2
    assert effective_rank(torch.diag(torch.tensor([3.0, 3.0, 0.0]))) == pytest.approx(2.0)
    # singular values 3 and 1: p = (0.75, 0.25), exp(H) = 0.75^-0.75 * 0.25^-0.25
    assert effective_rank(torch.diag(torch.tensor([3.0, 1.0]))) == pytest.approx(0.75**-0.75 * 0.25**-0.25)
    w = torch.diag(torch.tensor([4.0, 2.0, 1.0]))
    top = torch.zeros(3, 3)
    top[0, 0] = 1.0  # u1 v1^T: inside the top-1 subspace
    off = torch.zeros(3, 3)
    off[2, 1] = 1.0  # u3 v2^T: outside it
    assert top_alignment(w, top, 1) == pytest.approx(1.0)
    assert top_alignment(w, off, 1) == pytest.approx(0.0)
    assert top_alignment(w, top + off, 1) == pytest.approx(0.5)
    # three unit rows at 90 degrees: 3 pairs at distance sqrt 2
    assert hyperspherical_energy(torch.eye(3)) == pytest.approx(3 / math.sqrt(2))
    # a rotation keeps the energy; scaling rows changes nothing either (rows are normalised)
    q, _ = torch.linalg.qr(torch.randn(6, 6, generator=torch.Generator().manual_seed(0)))
    base = torch.randn(5, 6, generator=torch.Generator().manual_seed(1))
    props = update_properties({"w": base}, {"w": base @ q})
    assert props["energy_change"] == pytest.approx(0.0, abs=1e-6) and props["changed_weights"] == 1.0
    untouched = update_properties({"w": base}, {"w": base.clone()})
    assert untouched["changed_weights"] == 0.0


def test_heldout_modes_never_reach_training_and_share_the_remap() -> None:
    require_train()
    import torch

    from argmap.training.spec import TaskSpec
    from argmap.training.synthetic import adapt_task, ood_task, shifted_perms, source_split

    task = TaskSpec(modes=4, heldout_modes=1, shift=0.25)
    ids, _ = adapt_task(task).batch(400, torch.Generator().manual_seed(0))
    assert set((ids[:, 0] - task.symbols).tolist()) == {0, 1, 2}
    ood = ood_task(task)
    assert ood is not None
    ood_ids, _ = ood.fixed(100, 7)
    assert set((ood_ids[:, 0] - task.symbols).tolist()) == {3}
    # the shared remap: the same symbols change in every mode, by the same relabelling
    perms = torch.stack([torch.randperm(12, generator=torch.Generator().manual_seed(m)) for m in range(3)])
    shifted = shifted_perms(perms, 0.25, 5, shared=True)
    changed = [set(torch.nonzero(shifted[m] != perms[m]).flatten().tolist()) for m in range(3)]
    assert changed[0] == changed[1] == changed[2] and len(changed[0]) == 3
    rho = {x: y for x in changed[0] for y in range(12) if torch.equal(shifted[:, x], perms[:, y])}
    assert len(rho) == 3  # pi'_m(x) = pi_m(rho(x)) for one rho shared by every mode
    assert ood_task(TaskSpec()) is None
    # the source split scores only transitions the adaptation keeps
    from argmap.training.synthetic import _adapted_perms, _perms, pretrain_task

    moved = torch.nonzero(_perms(task)[0] != _adapted_perms(task)[0]).flatten()
    src_ids, src_labels = source_split(task, 64)
    kept = src_labels[:, 2:] != -100
    assert int(kept.sum()) > 0
    assert int((kept & torch.isin(src_ids[:, 1:-1], moved)).sum()) == 0
    _, plain = pretrain_task(task).fixed(64, 4_000_003)  # the same sequences, every transition scored
    assert int((plain != -100).sum()) > int((src_labels != -100).sum())


def _record(
    seed: int, lr: float, acc: float, curve: list[dict[str, float]] | None = None
) -> dict[str, object]:
    return {
        "key": f"k{seed}-{lr}",
        "settings": {"seed": seed, "lr": lr, "steps": 30, "eval_every": 10},
        "validation": {"eval_acc": acc, "eval_loss": 1 - acc},
        "test": {"eval_acc": acc - 0.01, "eval_loss": 1 - acc},
        "ood": {"eval_acc": acc - 0.2, "eval_loss": 2.0},
        "source": {"eval_acc": 0.45, "eval_loss": 0.7},
        "source_before": {"eval_acc": 0.9, "eval_loss": 0.2},
        "curve": curve or CURVE,
        "diverged": False,
    }


def test_measure_values_per_seed() -> None:
    from argmap.training.analysis import measure_value
    from argmap.training.spec import ComparisonSpec

    def value(measure: str, **extra: object) -> float:
        comparison = ComparisonSpec(claim="C", method="a", baseline="b", measure=measure, **extra)  # type: ignore[arg-type]
        grid = [_record(0, 0.001, 0.5), _record(0, 0.01, 0.9), {**_record(0, 0.1, 0.0), "diverged": True}]
        return measure_value(comparison, grid[1], grid)

    assert value("test_acc") == pytest.approx(0.89)
    assert value("ood_acc") == pytest.approx(0.7)
    assert value("retention") == pytest.approx(0.5)
    assert value("forgetting") == pytest.approx(0.5)
    assert value("steps_to_target", target=0.7) == 20.0
    assert value("steps_to_target", target=0.95) == 40.0  # censored: steps + eval_every
    assert value("val_auc") == pytest.approx(19 / 30)
    assert value("lr_worst") == 0.0  # the diverged rate counts as accuracy 0
    assert value("lr_spread") == pytest.approx(0.89)


def test_grid_and_curve_warnings() -> None:
    from argmap.training.analysis import curve_warnings, grid_warnings

    assert grid_warnings("lora", 0.01, [0.001, 0.01, 0.1], "none") == []
    [edge] = grid_warnings("lora", 0.1, [0.001, 0.01, 0.1], "none")
    assert edge["code"] == "T107" and "highest" in edge["message"]
    [single] = grid_warnings("lora", 0.1, [0.1], "none")
    assert "nothing was tuned" in single["message"]
    rising = [{"step": s, "val_acc": a} for s, a in [(0, 0.1), (5, 0.5), (10, 0.7)]]
    [late] = curve_warnings("lora", [_record(0, 0.1, 0.7, rising), _record(1, 0.1, 0.8)], "eval_acc", "none")
    assert late["code"] == "T108" and late["seeds"] == [0]


def test_text_domain_split_keeps_ood_domains_out_of_training(tmp_path: Path) -> None:
    require_train()
    import json

    from argmap.training.datasets import DatasetNotAvailable, _labelled_rows, split_rows
    from argmap.training.spec import TaskSpec

    rows = [{"text": f"tweet {i}", "label": i % 2, "source": "tweets"} for i in range(40)]
    rows += [{"text": f"review {i}", "label": i % 2, "source": "reviews"} for i in range(10)]
    data = tmp_path / "mixed.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows))
    task = TaskSpec(name="local", path=str(data), domain_column="source", ood_domains=["reviews"])
    _, inside, outside = _labelled_rows(task)
    assert {t for t, _ in outside} == {f"review {i}" for i in range(10)}
    train, val, test = split_rows([(t, int(y)) for t, y in inside])
    assert not any(t.startswith("review") for t, _ in train + val + test)
    assert len(train) + len(val) + len(test) == 40
    missing = TaskSpec(name="local", path=str(data), domain_column="source", ood_domains=["news"])
    with pytest.raises(DatasetNotAvailable, match="news"):
        _labelled_rows(missing)
    wrong = TaskSpec(name="local", path=str(data), domain_column="origin", ood_domains=["reviews"])
    with pytest.raises(DatasetNotAvailable, match="origin"):
        _labelled_rows(wrong)


def test_update_properties_of_real_trials(tmp_path: Path) -> None:
    """Through run_trial on an untrained 16-wide model: LoRA's update has effective rank
    at most its rank; OFT's rotation keeps the hyperspherical energy; the curve starts at 0."""
    require_train()
    from argmap.training.runner import trial_settings
    from argmap.training.spec import parse_spec
    from argmap.training.trial import run_trial

    spec = parse_spec(
        """\
comparisons:
  - {claim: C, method: oft, baseline: lora, measure: energy_change, rationale: r}
model: {name: tiny, hidden_size: 16, intermediate_size: 32, heads: 2, layers: 1, pretrain_steps: 0}
task: {name: shift, symbols: 8, length: 8, validation_examples: 16, test_examples: 16}
methods:
  lora: {type: lora, r: 2}
  oft: {type: oft, r: 4}
steps: 4
eval_every: 2
batch_size: 8
learning_rates: [0.05]
"""
    )
    lora = run_trial(trial_settings(spec, "lora", 2, 0.05, 0, "cpu"), str(tmp_path))
    oft = run_trial(trial_settings(spec, "oft", 4, 0.05, 0, "cpu"), str(tmp_path))
    assert lora["settings"]["versions"]["torch"] and [p["step"] for p in lora["curve"]] == [0, 2, 4]
    assert 0.0 < lora["update"]["effective_rank"] <= 2.0 + 1e-6
    assert lora["update"]["changed_weights"] == 7.0  # q, k, v, o, gate, up, down of the one layer
    assert oft["update"]["changed_weights"] >= 1.0
    assert oft["update"]["energy_change"] == pytest.approx(0.0, abs=1e-4)
    assert lora["update"]["energy_change"] > oft["update"]["energy_change"]

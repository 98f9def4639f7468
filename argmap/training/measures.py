"""What a comparison can measure, in the claim's own terms, and how each value is read
from the trial records. Pure Python (no torch): the spec validates against it and the
runner computes with it.

| measurement | better | what it is |
| --- | --- | --- |
| `test_acc`, `test_loss` | higher, lower | in-distribution test split at the selected rate |
| `ood_acc`, `ood_loss` | higher, lower | out-of-distribution split (never trained on nor selected on) |
| `test_ppl`, `ood_ppl` | lower, lower | perplexity (exp of the mean next-token loss) of the causal-LM task |
| `retention` | higher | source-task accuracy after adaptation / before (1.0 = nothing forgotten) |
| `forgetting` | lower | source-task loss after adaptation - before |
| `steps_to_target` | lower | first evaluated step whose validation accuracy reaches `target` |
| `val_auc` | higher | mean validation accuracy over the curve (normalised area) |
| `lr_worst` | higher | worst test accuracy over the whole learning-rate grid |
| `lr_spread` | lower | best - worst test accuracy over the grid |
| `effective_rank` | higher | effective rank of the learned update dW (mean over changed weights) |
| `top_alignment` | higher | share of dW's energy in the base weight's top-8 singular directions |
| `energy_change` | lower | relative change of hyperspherical energy of the adapted weights |

`eval_acc` and `eval_loss` (the names of earlier specs) are `test_acc` and `test_loss`.

One naming scheme for every task: a trial record has a section per split (`validation`,
`test`, and where the task gives them `ood` and `source`), each with the same metric
names (`eval_acc`, `eval_loss`, and `eval_ppl` for the causal-LM task); a measurement is
the split's prefix and the metric's suffix (`ood_ppl` is the ood section's `eval_ppl`).
The causal-LM task's next-token accuracy and loss are `*_acc` and `*_loss` like a
classifier's; its out-of-distribution split comes from `ood_path`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Measure:
    name: str
    better: str  # higher | lower
    selects_on: str  # the validation metric that selects the learning rate
    needs: tuple[str, ...]  # what the task or spec must give: ood | source | perplexity | grid
    summary: str


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("test_acc", "higher", "eval_acc", (), "in-distribution test accuracy"),
        Measure("test_loss", "lower", "eval_loss", (), "in-distribution test loss"),
        Measure("eval_acc", "higher", "eval_acc", (), "in-distribution test accuracy (old name)"),
        Measure("eval_loss", "lower", "eval_loss", (), "in-distribution test loss (old name)"),
        Measure("ood_acc", "higher", "eval_acc", ("ood",), "out-of-distribution test accuracy"),
        Measure("ood_loss", "lower", "eval_loss", ("ood",), "out-of-distribution test loss"),
        Measure("test_ppl", "lower", "eval_loss", ("perplexity",), "in-distribution test perplexity"),
        Measure("ood_ppl", "lower", "eval_loss", ("perplexity", "ood"), "out-of-distribution perplexity"),
        Measure("retention", "higher", "eval_acc", ("source",), "source-task accuracy after / before"),
        Measure("forgetting", "lower", "eval_loss", ("source",), "source-task loss after - before"),
        Measure(
            "steps_to_target", "lower", "eval_acc", ("target",), "steps to the target validation accuracy"
        ),
        Measure("val_auc", "higher", "eval_acc", (), "mean validation accuracy over the curve"),
        Measure("lr_worst", "higher", "eval_acc", ("grid",), "worst test accuracy over the rate grid"),
        Measure("lr_spread", "lower", "eval_acc", ("grid",), "best - worst test accuracy over the rate grid"),
        Measure("effective_rank", "higher", "eval_acc", ("update",), "effective rank of the learned update"),
        Measure("top_alignment", "higher", "eval_acc", ("update",), "update energy in the top-8 directions"),
        Measure(
            "energy_change", "lower", "eval_acc", ("update",), "relative change of hyperspherical energy"
        ),
    )
}

UPDATE_MEASURES = ("effective_rank", "top_alignment", "energy_change")
STILL_IMPROVING_TOLERANCE = 0.005
"""A validation curve is still improving when its last point beats the best earlier point
by more than this (accuracy units, or relative for a loss)."""


def steps_to_target(curve: list[dict[str, Any]], target: float) -> float | None:
    """The first evaluated step whose validation accuracy reaches `target`; None if none did."""
    for point in curve:
        value = point.get("val_acc")
        if value is not None and value >= target:
            return float(point["step"])
    return None


def curve_auc(curve: list[dict[str, Any]], key: str = "val_acc") -> float | None:
    """Trapezoidal area under the validation curve divided by its length in steps: the
    curve's mean level, so curves of different lengths compare on the metric's scale."""
    points = [(float(p["step"]), float(p[key])) for p in curve if p.get(key) is not None]
    if len(points) < 2:
        return points[0][1] if points else None
    area = sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in itertools.pairwise(points))
    return area / (points[-1][0] - points[0][0])


def still_improving(curve: list[dict[str, Any]], key: str = "val_acc", better: str = "higher") -> bool:
    """True when the last evaluation beats every earlier one by more than the tolerance:
    training stopped before the validation curve levelled off."""
    values = [float(p[key]) for p in curve if p.get(key) is not None]
    if len(values) < 3:
        return False
    last, earlier = values[-1], values[:-1]
    if better == "higher":
        return last - max(earlier) > STILL_IMPROVING_TOLERANCE
    best = min(earlier)
    return best - last > STILL_IMPROVING_TOLERANCE * max(abs(best), 1e-12)

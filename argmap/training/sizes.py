"""Method sizes: a method's adapter parameters at a knob value, every knob value that fits a
model, and the value whose count matches a parameter budget. Counting attaches the method
to the base model in place and takes it off again (argmap.training.reuse), so a sweep over
knob values makes no copy of the base model.
"""

from __future__ import annotations

from torch import nn

from argmap.training.methods import KNOBS
from argmap.training.reuse import adapted
from argmap.training.spec import MethodSpec


def count(base: nn.Module, spec: MethodSpec, value: int | None, classifier: bool = False) -> int:
    """Adapter parameters of the method at knob `value` (inference count, without the head)."""
    quick = spec.model_copy(update={"options": {**spec.options}})
    if spec.type in ("pissa", "olora", "lora_orthogonal"):  # same count as LoRA; skip the SVD/QR
        quick = quick.model_copy(update={"options": {**quick.options, "init_lora_weights": True}})
    if spec.type == "full":
        return sum(p.numel() for p in base.parameters())
    with adapted(base, quick, value, classifier) as prepared:  # in place: no copy of the base
        return int(prepared.inference)


def knob_counts(base: nn.Module, spec: MethodSpec, classifier: bool = False) -> dict[int, int]:
    """Every value of the method's size knob that fits the model, with its parameter count."""
    counts: dict[int, int] = {}
    for value in KNOBS.get(spec.type, (None, []))[1]:
        try:
            counts[value] = count(base, spec, value, classifier)
        except (ValueError, RuntimeError, AssertionError):
            continue  # the knob value does not fit the model's shapes
    return counts


def closest(counts: dict[int, int], budget: int) -> int:
    """The knob value whose count is closest to `budget` (ties: the smaller value)."""
    return min(counts, key=lambda value: (abs(counts[value] - budget), value))


def match_budget(
    base: nn.Module, spec: MethodSpec, budget: int, classifier: bool = False
) -> tuple[int | None, int]:
    """The knob value whose count is closest to `budget` (ties: the smaller), with its count."""
    if spec.type not in KNOBS:
        return None, count(base, spec, None, classifier)
    counts = knob_counts(base, spec, classifier)
    if not counts:
        raise ValueError(f"no {KNOBS[spec.type][0]} of {spec.type} fits this model")
    value = closest(counts, budget)
    return value, counts[value]

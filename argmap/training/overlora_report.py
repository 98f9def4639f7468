"""What `argmap experiment methods` shows for LoRA-Over: its counts and its measured
exactness on a model (kept apart from argmap.training.overlora, which argmap.training.methods
imports, so that this report can use `methods.apply` without an import circle)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from argmap.training.overspec import LoraOverOptions


def _relative(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.double() - b.double()).norm() / b.double().norm().clamp_min(1e-30))


def method_report(base: nn.Module, r: int = 8, classifier: bool = False) -> dict[str, Any]:
    """LoRA-Over's counts and its measured exactness on `base`: `train_params` (static
    schedule over every module, default factor), `folded_params` and LoRA's count at the
    same rank; `init_error` (relative output difference to LoRA at initialisation, both
    with random B so the adapter is not zero); `fold_error` (relative output difference
    between the trained chains and the folded plain LoRA after a few optimiser steps);
    and each schedule's training-time count."""
    from argmap.training.methods import apply
    from argmap.training.spec import MethodSpec

    vocab = int(getattr(getattr(base, "config", None), "vocab_size", 0) or 100)
    x = torch.randint(0, vocab, (2, 16), generator=torch.Generator().manual_seed(0))

    def outputs(model: nn.Module) -> torch.Tensor:
        out: torch.Tensor = model(input_ids=x).logits
        return out

    random_b = {"init_lora_weights": False}
    torch.manual_seed(0)
    over = apply(base, MethodSpec(type="lora_over", r=r, options=random_b), classifier=classifier)
    torch.manual_seed(0)
    lora = apply(base, MethodSpec(type="lora", r=r, options=random_b), classifier=classifier)
    with torch.no_grad():
        init_error = _relative(outputs(over.model), outputs(lora.model))
    params = [p for p in over.model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=1e-2)
    for _ in range(3):  # any objective will do: the point is that the chains move
        loss = outputs(over.model).float().pow(2).mean()
        optimizer.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
    with torch.no_grad():
        unfolded = outputs(over.model)
        over.schedule.finish()
        fold_error = _relative(outputs(over.model), unfolded)
    folded = sum(p.numel() for p in over.model.parameters() if p.requires_grad)
    torch.manual_seed(0)
    dynamic = apply(
        base, MethodSpec(type="lora_over", r=r, options={"schedule": "dynamic"}), classifier=classifier
    )
    defaults = LoraOverOptions()
    return {
        "r": r,
        "train_params": over.trainable,
        "folded_params": folded,
        "lora_params": lora.trainable,
        "factor": defaults.factor,
        "tensors": defaults.tensors,
        "init_error": init_error,
        "fold_error": fold_error,
        "schedules": {
            "static": {
                "train_params": over.trainable,
                "modules": "spec `modules` and `layers` (default: every adapted module)",
            },
            "dynamic": {
                "train_params_at_most": dynamic.trainable,
                "warmup_steps": defaults.warmup_steps,
                "budget_fraction": defaults.budget_fraction,
                "score": "mean adapter gradient norm over the warm-up",
            },
        },
    }

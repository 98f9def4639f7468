"""Plumbing for the methods argmap implements itself (peft lacks them): ETHER, ETHER+
(argmap.training.ether) and SVFT (argmap.training.svft).

Each such method replaces the target `nn.Linear` layers of a model by a wrapper module that
holds the frozen layer as `base_layer` (peft's name, so `methods.base_weight` reads both) and
its own trainable parameters. The base weights are never written to: `unwrap` puts the
original layers back and the model is the base model again, so one loaded base can be
reused across trials. Targets are matched as peft matches them: a module whose full name
equals a target, or ends with `.` + target.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

HEADS = ("classifier", "score")
"""Classification heads trained with every method (what peft's SEQ_CLS task type does)."""


def matches(name: str, targets: list[str]) -> bool:
    return any(name == t or name.endswith("." + t) for t in targets)


def wrap(model: nn.Module, targets: list[str], make: Callable[[nn.Linear], nn.Module]) -> int:
    """Replace every targeted nn.Linear by make(layer); the number replaced."""
    chosen = [
        (name, module)
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and matches(name, targets) and name.split(".")[-1] not in HEADS
    ]
    if not chosen:
        raise ValueError(f"no linear layer of the model matches the targets {targets}")
    for name, module in chosen:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, make(module))
    return len(chosen)


class TrainedHead(nn.Module):
    """A trainable copy of a classification head; the original stays as `base_layer`, untouched."""

    def __init__(self, head: nn.Module) -> None:
        super().__init__()
        self.base_layer = head
        self.head = copy.deepcopy(head)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.head(*args, **kwargs)


Adapters = type[nn.Module] | tuple[type[nn.Module], ...]


def freeze_base(model: nn.Module, adapters: Adapters, classifier: bool) -> None:
    """Only the adapters' own parameters (and a copy of a classifier's head) train."""
    if classifier:
        heads = [n for n, m in model.named_modules() if n.split(".")[-1] in HEADS and n]
        for name in heads:
            parent_name, _, child = name.rpartition(".")
            parent = model.get_submodule(parent_name) if parent_name else model
            setattr(parent, child, TrainedHead(getattr(parent, child)))
    for p in model.parameters():
        p.requires_grad_(False)
    for module in model.modules():
        if isinstance(module, (adapters, TrainedHead)):
            for pname, p in module.named_parameters():
                if not pname.startswith("base_layer."):
                    p.requires_grad_(True)


def unwrap(model: nn.Module, adapters: Adapters) -> int:
    """Put the original layers (and heads) back: the base model again, weights untouched.
    The number of adapted layers restored."""
    found = [(n, m) for n, m in model.named_modules() if isinstance(m, (adapters, TrainedHead))]
    for name, module in found:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, module.base_layer)
    return sum(1 for _, m in found if isinstance(m, adapters))


def merge(model: nn.Module, adapters: Adapters) -> int:
    """Fold every adapter into a plain nn.Linear carrying its `merged_weight()` (and the base
    bias), and put classifier heads' trained copies in place: a model with no adapter left,
    the same outputs. Call it on a copy to keep the adapted model. The number folded."""
    found = [(n, m) for n, m in model.named_modules() if isinstance(m, (adapters, TrainedHead))]
    for name, module in found:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        if isinstance(module, TrainedHead):
            setattr(parent, child, module.head)
            continue
        base: Any = module.base_layer
        adapter: Any = module
        folded = nn.Linear(base.in_features, base.out_features, bias=base.bias is not None)
        folded = folded.to(device=base.weight.device, dtype=base.weight.dtype)
        with torch.no_grad():
            folded.weight.copy_(adapter.merged_weight().to(base.weight.dtype))
            if base.bias is not None:
                folded.bias.copy_(base.bias)
        setattr(parent, child, folded)
    return sum(1 for _, m in found if isinstance(m, adapters))

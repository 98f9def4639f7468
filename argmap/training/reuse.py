"""One base model per worker, many trials: attach a method to the base in place, train,
then take the method off again, so no trial pays for a full copy of the base model (a 7B
model in bf16 is 14 GB; a copy per trial would double the memory and the load time).

`adapted(base, method)` is a context manager. On the way in it records what a method can
change: the module tree (peft swaps target layers for wrappers and the classifier head for
a `ModulesToSaveWrapper`), attributes peft adds (`peft_config`), `requires_grad` flags,
train/eval mode, and, for the methods that write into base weights (PiSSA and OLoRA move
the principal part into the adapter; full fine-tuning changes everything), a CPU copy of
exactly those weights. On the way out it unloads the adapter, puts every original module
back, restores the copied weights and checks a fingerprint of every base tensor, so an
adapter of one trial can never leak into the next: a mismatch is an error, not a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from argmap.training.checkpointing import checkpointing, is_checkpointing
from argmap.training.spec import MethodSpec

WRITES_BASE = frozenset({"pissa", "olora", "full"})
"""Methods whose initialisation or training writes into the base model's own weights."""


class AdapterLeak(RuntimeError):
    """The base model differs from its state before the trial after the method was removed."""


def writes_base(spec: MethodSpec) -> bool:
    """Whether the method writes into base weights: full fine-tuning, or a LoRA whose
    initialisation moves part of W into the adapter (PiSSA, OLoRA, CorDA, LoftQ, EVA)."""
    if spec.type == "full":
        return True
    init = spec.options.get("init_lora_weights", spec.type if spec.type in WRITES_BASE else True)
    return isinstance(init, str) and init.startswith(("pissa", "olora", "corda", "eva", "loftq"))


def fingerprint(base: nn.Module) -> dict[str, tuple[float, float]]:
    """(sum, sum of squares) of every parameter and buffer, in float64: a trained adapter
    merged or left behind anywhere changes at least one of them."""
    out: dict[str, tuple[float, float]] = {}
    with torch.no_grad():
        for name, tensor in [*base.named_parameters(), *base.named_buffers()]:
            if tensor.device.type == "meta":
                continue
            total = square = 0.0
            for chunk in torch.split(tensor.detach().flatten(), 1 << 22):  # bounded float64 temporaries
                c = chunk.double()
                total += float(c.sum())
                square += float(c.square().sum())
            out[name] = (total, square)
    return out


@dataclass
class Snapshot:
    children: list[tuple[nn.Module, dict[str, nn.Module | None]]]
    attributes: set[str]
    requires_grad: dict[str, bool]
    training: bool
    weights: dict[str, torch.Tensor]
    fingerprint: dict[str, tuple[float, float]]

    @classmethod
    def take(cls, base: nn.Module, spec: MethodSpec) -> Snapshot:
        params = dict(base.named_parameters())
        copies = (
            {name: p.detach().to("cpu", copy=True) for name, p in params.items()} if writes_base(spec) else {}
        )
        return cls(
            children=[(module, dict(module._modules)) for module in base.modules()],
            attributes=set(base.__dict__),
            requires_grad={name: p.requires_grad for name, p in params.items()},
            training=base.training,
            weights=copies,
            fingerprint=fingerprint(base),
        )

    def restore(self, base: nn.Module, adapted: nn.Module) -> None:
        from argmap.training.methods import unload

        unload(adapted)  # peft's unload, or argmap's own methods' unwrap (a no-op for `full`)
        for module, children in self.children:
            if module._modules != children:
                module._modules.clear()
                module._modules.update(children)
        for name in set(base.__dict__) - self.attributes:
            delattr(base, name)
        if is_checkpointing(base):
            checkpointing(base, False)
        if getattr(base, "_require_grads_hook", None) is not None:
            base.disable_input_require_grads()  # type: ignore[operator]
        params = dict(base.named_parameters())
        with torch.no_grad():
            for name, saved in self.weights.items():
                params[name].copy_(saved)
        for name, flag in self.requires_grad.items():
            params[name].requires_grad_(flag)
        base.train(self.training)
        self.check(base)

    def check(self, base: nn.Module) -> None:
        now = fingerprint(base)
        changed = sorted(
            name
            for name in self.fingerprint.keys() | now.keys()
            if name not in now or name not in self.fingerprint or not _same(now[name], self.fingerprint[name])
        )
        if changed:
            raise AdapterLeak(
                f"the base model changed during a trial and could not be restored: {', '.join(changed[:5])}"
                + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            )


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    # restored weights are copied back bit for bit, so the sums agree exactly
    return a == b


@contextmanager
def adapted(
    base: nn.Module, spec: MethodSpec, value: int | None = None, classifier: bool = False, steps: int = 100
) -> Iterator[Any]:
    """The base model with the method attached in place (methods.Prepared); restored on exit."""
    from argmap.training.methods import apply

    snapshot = Snapshot.take(base, spec)
    prepared = None
    try:
        prepared = apply(base, spec, value, classifier, copy_base=False, steps=steps)
        yield prepared
    finally:
        snapshot.restore(base, prepared.model if prepared is not None else base)

"""Activation (gradient) checkpointing of a transformers model, switched on for a trial
and off again afterwards: used by the training loop (argmap.training.engine) and by the
per-trial reset of a reused base model (argmap.training.reuse), which must not import
each other.
"""

from __future__ import annotations

from typing import Any

from torch import nn


def checkpointing(model: Any, enable: bool) -> None:
    """Turn activation checkpointing of a transformers model on or off, under the name the
    installed transformers has (`activation_checkpointing_*` since 5.x). Non-reentrant:
    works under DDP and needs no input that requires grad."""
    kwargs = {"use_reentrant": False}
    if hasattr(model, "activation_checkpointing_enable"):
        if enable:
            model.activation_checkpointing_enable(activation_checkpointing_kwargs=kwargs)
        else:
            model.activation_checkpointing_disable()
    elif enable:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=kwargs)
    else:
        model.gradient_checkpointing_disable()


def is_checkpointing(model: Any) -> bool:
    for name in ("is_activation_checkpointing", "is_gradient_checkpointing"):
        if name in dir(type(model)):
            return bool(getattr(model, name))
    return False


def base_of(model: nn.Module) -> Any:
    """The transformers model under a peft wrapper (where checkpointing lives)."""
    getter = getattr(model, "get_base_model", None)
    return getter() if callable(getter) else model

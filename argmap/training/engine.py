"""The training loop of a trial, through accelerate: one process, or several launched by
`accelerate launch` (data parallel, one process per GPU), bf16 autocast on GPUs that
support it, gradient accumulation and gradient checkpointing.

Every optimizer step sees the spec's whole `batch_size`, however it is cut: each process
draws the same batch from the same seeded generator, keeps its rows (`rank::world`), and
splits them into `accumulation` micro-batches. Each micro-batch's mean loss is weighted by
its share of the batch's scored targets (tokens, or examples for a classifier), so the
accumulated gradient is the gradient of the whole batch's mean loss: accumulation,
checkpointing and the number of processes change memory and speed, not the numbers
(tests/training/test_engine.py checks the gradients to 1e-6).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from argmap.training.checkpointing import base_of, checkpointing, is_checkpointing

Batch = tuple[torch.Tensor, ...]


@dataclass(frozen=True)
class TrainSettings:
    steps: int
    lr: float
    batch_size: int
    accumulation: int = 1
    checkpointing: bool = False


@dataclass
class Trained:
    losses: list[float] = field(default_factory=list)
    diverged: bool = False
    seconds: float = 0.0
    tokens: int = 0  # input tokens processed over all processes (padding excluded)


_ACCELERATOR: dict[str, Any] = {}


def mixed_precision(device: str, precision: str = "auto") -> str:
    """accelerate's mixed_precision for a device: bf16 on a GPU that supports it (auto), else no."""
    if precision == "fp32" or not device.startswith("cuda"):
        return "no"
    if precision == "bf16" or torch.cuda.is_bf16_supported():
        return "bf16"
    return "no"


def accelerator_for(device: str, precision: str = "auto") -> Any:
    """The process's Accelerator (one per process: its state is a singleton). Under
    `accelerate launch` it knows this process's rank and device."""
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState

    key = f"{device.startswith('cpu')}/{mixed_precision(device, precision)}"
    if key not in _ACCELERATOR:
        if _ACCELERATOR:
            AcceleratorState._reset_state()
            _ACCELERATOR.clear()
        _ACCELERATOR[key] = Accelerator(
            cpu=device.startswith("cpu"), mixed_precision=mixed_precision(device, precision)
        )
    return _ACCELERATOR[key]


def targets(batch: Batch) -> int:
    """Scored targets in a batch: next-token labels other than -100 (the loss shifts them by
    one), or one per example for a classifier (1-D labels)."""
    labels = batch[-1]
    if labels.dim() == 1:
        return int(labels.numel())
    return int((labels[:, 1:] != -100).sum())


def input_tokens(batch: Batch) -> int:
    if len(batch) == 3 and batch[1].dim() == 2:
        return int(batch[1].sum())  # the attention mask: padding is not work
    return int(batch[0].numel())


def shard(batch: Batch, rank: int, world: int) -> Batch:
    return tuple(t[rank::world] for t in batch)


def micro_batches(batch: Batch, accumulation: int) -> list[Batch]:
    rows = int(batch[0].shape[0])
    size = math.ceil(rows / accumulation)
    return [tuple(t[i : i + size] for t in batch) for i in range(0, rows, size)]


def _reduce(accelerator: Any, value: float) -> float:
    if accelerator.num_processes == 1:
        return value
    tensor = torch.tensor([value], dtype=torch.float64, device=accelerator.device)
    return float(accelerator.reduce(tensor, reduction="sum")[0])


def accumulate_gradients(
    model: nn.Module, loss_fn: Any, batch: Batch, accelerator: Any, accumulation: int
) -> float:
    """Backward of the whole batch's mean loss, micro-batch by micro-batch (gradients are
    synchronised across processes on the last one only); returns that mean loss."""
    world = accelerator.num_processes
    mine = micro_batches(shard(batch, accelerator.process_index, world), accumulation)
    total = _reduce(accelerator, float(sum(targets(m) for m in mine)))
    if total == 0:
        return float("nan")
    loss_sum = 0.0
    for index, micro in enumerate(mine):
        count = targets(micro)
        last = index == len(mine) - 1
        with nullcontext() if last else accelerator.no_sync(model):
            if count == 0 and not last:
                continue
            part = loss_fn(model, tuple(t.to(accelerator.device) for t in micro))
            # DDP averages gradients over processes: the factor `world` undoes that mean
            scaled = part * (count * world / total) if count else part * 0.0
            accelerator.backward(scaled)
        loss_sum += float(scaled.detach()) / world
    return _reduce(accelerator, loss_sum)


def lr_at(step: int, steps: int, lr: float) -> float:
    """Linear warm-up over the first tenth (at most 20 steps), then cosine decay to 0."""
    warmup = max(1, min(20, steps // 10))
    if step < warmup:
        return lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return lr * 0.5 * (1.0 + math.cos(math.pi * progress))


@dataclass
class Hooks:
    """What a trial adds to the loop. `after_step(step)` runs after each optimizer step
    (AdaLoRA: importance scores and rank pruning). `schedule` is LoRA-Over's
    (argmap.training.overlora.Schedule): before a step it may convert modules to chains and
    give the optimizer their parameters; after the backward it records adapter gradient
    norms. `record(model, step, loss, last)` sees the model at step 0 and after every step
    (the validation curve)."""

    after_step: Callable[[int], None] | None = None
    schedule: Any = None
    record: Callable[[nn.Module, int, float | None, bool], None] | None = None


def _before_step(hooks: Hooks, step: int, optimizer: Any, settings: TrainSettings) -> Any:
    """The learning rate of this step; LoRA-Over's conversion, which adds a param group."""
    if hooks.schedule is not None:
        optimizer = hooks.schedule.before_step(step, optimizer)
    for group in optimizer.param_groups:
        group["lr"] = lr_at(step, settings.steps, settings.lr)
    return optimizer


def _tokens(batch: Batch, accelerator: Any) -> int:
    """Input tokens of the whole batch over all processes (each counts its own rows)."""
    mine = shard(batch, accelerator.process_index, accelerator.num_processes)
    return int(_reduce(accelerator, float(input_tokens(mine))))


def train(
    model: nn.Module,
    work: Any,
    settings: TrainSettings,
    draw: Callable[[int, torch.Generator], Batch],
    generator: torch.Generator,
    accelerator: Any,
    hooks: Hooks | None = None,
) -> Trained:
    """Train `model` (its trainable parameters) on batches from `draw`; the model is left
    unwrapped (no DDP, no autocast patch) for evaluation and for removing the adapter."""
    hooks = hooks or Hooks()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=settings.lr, weight_decay=0.0)
    inner = base_of(model)
    if settings.checkpointing and getattr(inner, "supports_gradient_checkpointing", False):
        checkpointing(inner, True)
    wrapped, optimizer = accelerator.prepare(model, optimizer)
    wrapped.train()
    out = Trained()
    started = time.perf_counter()
    try:
        if hooks.record is not None:
            hooks.record(model, 0, None, False)
        for step in range(settings.steps):
            optimizer = _before_step(hooks, step, optimizer, settings)
            batch = draw(settings.batch_size, generator)
            loss = accumulate_gradients(wrapped, work.loss, batch, accelerator, settings.accumulation)
            if not math.isfinite(loss):
                out.diverged = True
                break
            if hooks.schedule is not None:
                hooks.schedule.record_gradients()
            accelerator.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            optimizer.step()
            if hooks.after_step is not None:
                hooks.after_step(step)
            optimizer.zero_grad(set_to_none=True)
            out.losses.append(loss)
            out.tokens += _tokens(batch, accelerator)
            if hooks.record is not None:
                hooks.record(model, step + 1, loss, step + 1 == settings.steps)
    finally:
        out.seconds = time.perf_counter() - started
        optimizer.zero_grad(set_to_none=True)
        accelerator.unwrap_model(wrapped, keep_fp32_wrapper=False)
        accelerator.free_memory()
        if settings.checkpointing and is_checkpointing(inner):
            checkpointing(inner, False)
    return out


def evaluate(work: Any, model: nn.Module, batches: list[Batch], accelerator: Any) -> dict[str, float]:
    """work.evaluate on the held-out batches; with several processes each evaluates its
    share and the means are combined weighted by scored targets."""
    device = str(accelerator.device)
    world = accelerator.num_processes
    with accelerator.autocast():
        if world == 1:
            metrics: dict[str, float] = work.evaluate(model, batches, device)
            return metrics
        mine = batches[accelerator.process_index :: world]
        local = work.evaluate(model, mine, device) if mine else {}
    count = float(sum(targets(b) for b in mine))
    total = _reduce(accelerator, count)
    names = sorted(work.evaluate(model, batches[:1], device)) if not local else sorted(local)
    combined = {name: _reduce(accelerator, local.get(name, 0.0) * count) / max(total, 1.0) for name in names}
    if "eval_ppl" in combined:
        combined["eval_ppl"] = math.exp(min(combined["eval_loss"], 700.0))
    return combined

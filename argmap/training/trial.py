"""One trial: one method, one learning rate, one seed; trained, then evaluated on the
validation split (which selects the learning rate), on the test split, and where the task
gives them on the out-of-distribution split and the source task (retention). The
validation split is also evaluated every `eval_every` steps: the trial's curve (step, mean
training loss since the last point, validation accuracy and loss), from step 0 (the base
model) to the last step. A trial is a pure function of its settings, so its content hash
is its cache key (the settings carry the versions of argmap, torch, transformers and
peft, so an upgrade never reuses a stale trial). Runs in the driver or a Ray task alike.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import torch
from torch import nn

from argmap.training.datasets import Workload, workload
from argmap.training.evaluation import (
    Batch,
    evaluate_classifier,
    evaluate_lm,
    merged_weights,
    update_properties,
)
from argmap.training.spec import MethodSpec, ModelSpec, TaskSpec

__all__ = ["Workload", "evaluate_classifier", "evaluate_lm", "run_trial", "trial_key", "workload"]

TRIAL_FORMAT = "argmap-trial/2"


def trial_key(settings: dict[str, Any]) -> str:
    text = json.dumps({"format": TRIAL_FORMAT, **settings}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda: torch sees no CUDA device (is this a CPU build of torch?)")
    return device


# -- training -------------------------------------------------------------------------------


def _lr_at(step: int, steps: int, lr: float) -> float:
    warmup = max(1, min(20, steps // 10))
    if step < warmup:
        return lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return lr * 0.5 * (1.0 + math.cos(math.pi * progress))


def _to(batch: Batch, device: str) -> Batch:
    return tuple(t.to(device) for t in batch)


class _Curve:
    """The validation curve of one trial: a point every `every` steps and at the last step."""

    def __init__(self, work: Workload, device: str, every: int) -> None:
        self.work, self.device, self.every = work, device, every
        self.points: list[dict[str, Any]] = []
        self._losses: list[float] = []

    def record(self, model: nn.Module, step: int, loss: float | None, last: bool = False) -> None:
        if loss is not None:
            self._losses.append(loss)
        if step % self.every and not last:
            return
        metrics = self.work.evaluate(model, self.work.validation, self.device)
        train = sum(self._losses) / len(self._losses) if self._losses else None
        self.points.append(
            {
                "step": step,
                "train_loss": train,
                "val_acc": metrics["eval_acc"],
                "val_loss": metrics["eval_loss"],
            }
        )
        self._losses = []


def _train(
    model: nn.Module,
    work: Workload,
    settings: dict[str, Any],
    device: str,
    curve: _Curve | None,
    after_step: Callable[[int], None] | None = None,
    schedule: Any = None,
) -> tuple[list[float], bool, float]:
    """The optimisation loop: (training losses, diverged, seconds). `after_step(step)` runs
    after each optimiser step (AdaLoRA: importance scores and rank pruning). `schedule` is
    LoRA-Over's (argmap.training.overlora.Schedule): it converts modules to chains (the
    dynamic schedule after its warm-up) and records adapter gradient norms."""
    seed, lr, steps, batch_size = settings["seed"], settings["lr"], settings["steps"], settings["batch_size"]
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    generator = torch.Generator().manual_seed(10_000 + seed)  # the data order
    draw = work.batches_for(seed)  # the seed's training subsample
    use_bf16 = device == "cuda" and torch.cuda.is_bf16_supported()
    losses: list[float] = []
    started = time.perf_counter()
    if curve is not None:
        curve.record(model, 0, None)
    for step in range(steps):
        if schedule is not None:
            optimizer = schedule.before_step(step, optimizer)
            params = [p for p in model.parameters() if p.requires_grad]
        for group in optimizer.param_groups:
            group["lr"] = _lr_at(step, steps, lr)
        batch = _to(draw(batch_size, generator), device)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=use_bf16):
            loss = work.loss(model, batch)
        if not torch.isfinite(loss):
            return losses, True, time.perf_counter() - started
        optimizer.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        if schedule is not None:
            schedule.record_gradients()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        if after_step is not None:
            after_step(step)
        losses.append(float(loss.detach()))
        if curve is not None:
            curve.record(model, step + 1, losses[-1], last=step + 1 == steps)
    return losses, False, time.perf_counter() - started


def _evaluations(model: nn.Module, work: Workload, device: str, diverged: bool) -> dict[str, Any]:
    """validation, test, and where the workload has them ood and source, each {eval_acc, eval_loss}."""
    splits = {"validation": work.validation, "test": work.test, "ood": work.ood, "source": work.source}
    out: dict[str, Any] = {}
    for name, batches in splits.items():
        if batches is None:
            continue
        out[name] = (
            {"eval_acc": 0.0, "eval_loss": float("inf")}
            if diverged
            else work.evaluate(model, batches, device)
        )
    return out


def _adapter_bytes(model: nn.Module, method: str) -> bytes:
    """The trained adapter as safetensors bytes (the whole model for full fine-tuning)."""
    from safetensors.torch import save

    if method != "full" and hasattr(model, "peft_config"):
        from peft import get_peft_model_state_dict

        state = get_peft_model_state_dict(model)
    else:
        state = model.state_dict()
    return bytes(save({k: v.detach().cpu().contiguous() for k, v in state.items()}))


def run_trial(
    settings: dict[str, Any], cache: str | None = None, save_adapter: bool = False
) -> dict[str, Any]:
    """Train one (method, lr, seed) cell and evaluate it. `settings` is JSON (see runner.trial_settings).
    With `save_adapter`, the record carries the adapter's safetensors bytes under "adapter_bytes"
    (the driver writes them next to the trial and drops them from the record)."""
    started = time.time()
    model_spec = ModelSpec.model_validate(settings["model"])
    task_spec = TaskSpec.model_validate(settings["task"])
    method_spec = MethodSpec.model_validate(settings["method"])
    device = resolve_device(settings["device"])
    work = workload(model_spec, task_spec, Path(cache) if cache else None)
    from argmap.training.methods import apply

    torch.manual_seed(settings["seed"])  # the adapter's initialisation
    prepared = apply(work.base, method_spec, settings.get("value"), work.classifier, steps=settings["steps"])
    model = prepared.model.to(device)
    model.train()
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    every = settings.get("eval_every")
    curve = _Curve(work, device, int(every)) if every else None
    schedule = prepared.schedule
    losses, diverged, train_seconds = _train(
        model, work, settings, device, curve, prepared.after_step, schedule
    )
    if schedule is not None:
        schedule.finish()  # contract the chains: from here on a plain rank-r peft LoRA
    record: dict[str, Any] = {
        "format": TRIAL_FORMAT,
        "key": trial_key(settings),
        "settings": settings,
        **_evaluations(model, work, device, diverged),
        "diverged": diverged,
        "curve": curve.points if curve is not None else [],
        "final_train_loss": losses[-1] if losses else None,
        "trainable": prepared.trainable,
        "adapter_parameters": prepared.inference,
        "knob": prepared.knob,
        **({"lora_over": schedule.describe()} if schedule is not None else {}),
        "value": prepared.value,
        "steps_per_second": round(len(losses) / train_seconds, 3) if train_seconds > 0 else None,
        "peak_memory_mb": round(torch.cuda.max_memory_allocated() / 2**20, 1) if device == "cuda" else None,
        "device": device if device == "cpu" else f"{device}:{torch.cuda.get_device_name()}",
        "host": platform.node(),
    }
    if "source_before" in work.info:
        record["source_before"] = work.info["source_before"]
    if settings.get("update_properties") and not diverged:
        base = {k: v for k, v in work.base.state_dict().items() if v.dim() == 2}
        record["update"] = update_properties(base, merged_weights(model))
    if save_adapter:
        record["adapter_bytes"] = _adapter_bytes(model, method_spec.type)
    record["started"], record["seconds"] = started, round(time.time() - started, 3)
    return record


def iter_trials(folder: Path) -> Iterator[dict[str, Any]]:
    for file in sorted(folder.glob("*.json")):
        try:
            yield json.loads(file.read_text())
        except (OSError, json.JSONDecodeError):
            continue

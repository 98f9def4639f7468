"""One trial: one method, one learning rate, one seed; trained, then evaluated on the
validation split (which selects the learning rate) and on the test split (the metric the
result reports). A trial is a pure function of its settings, so its content hash is its
cache key. Runs in the driver process or inside a Ray task alike.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from argmap.training.spec import MethodSpec, ModelSpec, TaskSpec

TRIAL_FORMAT = "argmap-trial/1"

Batch = tuple[torch.Tensor, ...]


def trial_key(settings: dict[str, Any]) -> str:
    text = json.dumps({"format": TRIAL_FORMAT, **settings}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda: torch sees no CUDA device (is this a CPU build of torch?)")
    return device


# -- evaluation -----------------------------------------------------------------------------


@torch.no_grad()
def evaluate_lm(model: nn.Module, batches: Iterable[Batch], device: str = "cpu") -> dict[str, float]:
    """Next-token accuracy and mean loss over the scored positions (labels != -100)."""
    was_training = model.training
    model.eval()
    correct = total = 0
    loss_sum = 0.0
    for ids, labels in batches:
        ids, labels = ids.to(device), labels.to(device)
        logits = model(input_ids=ids).logits[:, :-1].float()
        target = labels[:, 1:]
        mask = target != -100
        loss_sum += float(nn.functional.cross_entropy(logits[mask], target[mask], reduction="sum"))
        correct += int((logits.argmax(-1)[mask] == target[mask]).sum())
        total += int(mask.sum())
    model.train(was_training)
    return {"eval_acc": correct / max(total, 1), "eval_loss": loss_sum / max(total, 1)}


@torch.no_grad()
def evaluate_classifier(model: nn.Module, batches: Iterable[Batch], device: str = "cpu") -> dict[str, float]:
    was_training = model.training
    model.eval()
    correct = total = 0
    loss_sum = 0.0
    for ids, mask, labels in batches:
        ids, mask, labels = ids.to(device), mask.to(device), labels.to(device)
        logits = model(input_ids=ids, attention_mask=mask).logits.float()
        loss_sum += float(nn.functional.cross_entropy(logits, labels, reduction="sum"))
        correct += int((logits.argmax(-1) == labels).sum())
        total += int(labels.numel())
    model.train(was_training)
    return {"eval_acc": correct / max(total, 1), "eval_loss": loss_sum / max(total, 1)}


# -- workloads ------------------------------------------------------------------------------


@dataclass
class Workload:
    """A base model and its data: fresh training batches, fixed validation and test batches."""

    base: nn.Module
    name: str  # model/dataset, the evidence group of the result
    classifier: bool
    train_batch: Callable[[int, torch.Generator], Batch]
    validation: list[Batch]
    test: list[Batch]
    loss: Callable[[nn.Module, Batch], torch.Tensor]
    evaluate: Callable[[nn.Module, list[Batch], str], dict[str, float]]
    info: dict[str, Any]


_WORKLOADS: dict[str, Workload] = {}


def _chunks(ids: torch.Tensor, labels: torch.Tensor, size: int = 256) -> list[Batch]:
    return [(ids[i : i + size], labels[i : i + size]) for i in range(0, len(ids), size)]


def _lm_loss(model: nn.Module, batch: Batch) -> torch.Tensor:
    ids, labels = batch
    loss: torch.Tensor = model(input_ids=ids, labels=labels).loss
    return loss


def _cls_loss(model: nn.Module, batch: Batch) -> torch.Tensor:
    ids, mask, labels = batch
    logits = model(input_ids=ids, attention_mask=mask).logits
    return nn.functional.cross_entropy(logits.float(), labels)


def workload(model: ModelSpec, task: TaskSpec, cache: Path | None = None, log: Any = None) -> Workload:
    """The (process-cached) base model and data of a (model, task) pair."""
    key = json.dumps(
        [model.model_dump(mode="json"), task.model_dump(mode="json"), str(cache)], sort_keys=True
    )
    if key in _WORKLOADS:
        return _WORKLOADS[key]
    if task.name == "shift":
        if model.name != "tiny":
            raise ValueError(
                "task `shift` is the tiny model's synthetic task; use tweets or local for real models"
            )
        from argmap.training.models import pretrain_tiny
        from argmap.training.synthetic import TEST_STREAM, VALIDATION_STREAM, adapt_task

        base, record = pretrain_tiny(model, task, cache, log)
        target = adapt_task(task)
        val = target.fixed(task.validation_examples, VALIDATION_STREAM)
        test = target.fixed(task.test_examples, TEST_STREAM)
        shifted = evaluate_lm(base, _chunks(*test))
        record = {**record, "base_test_acc": shifted["eval_acc"], "base_test_loss": shifted["eval_loss"]}
        result = Workload(
            base=base,
            name=f"tiny-{record['key'][5:13]}/shift-{task.shift:g}",
            classifier=False,
            train_batch=target.batch,
            validation=_chunks(*val),
            test=_chunks(*test),
            loss=_lm_loss,
            evaluate=evaluate_lm,
            info=record,
        )
    else:
        from argmap.training.datasets import classification_workload

        result = classification_workload(model, task)
    _WORKLOADS[key] = result
    return result


# -- training -------------------------------------------------------------------------------


def _lr_at(step: int, steps: int, lr: float) -> float:
    warmup = max(1, min(20, steps // 10))
    if step < warmup:
        return lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return lr * 0.5 * (1.0 + math.cos(math.pi * progress))


def _to(batch: Batch, device: str) -> Batch:
    return tuple(t.to(device) for t in batch)


def run_trial(settings: dict[str, Any], cache: str | None = None) -> dict[str, Any]:
    """Train one (method, lr, seed) cell and evaluate it. `settings` is JSON (see runner.trial_settings)."""
    started = time.time()
    model_spec = ModelSpec.model_validate(settings["model"])
    task_spec = TaskSpec.model_validate(settings["task"])
    method_spec = MethodSpec.model_validate(settings["method"])
    device = resolve_device(settings["device"])
    seed, lr, steps, batch_size = settings["seed"], settings["lr"], settings["steps"], settings["batch_size"]
    work = workload(model_spec, task_spec, Path(cache) if cache else None)
    from argmap.training.methods import apply

    torch.manual_seed(seed)
    prepared = apply(work.base, method_spec, settings.get("value"), work.classifier, steps=steps)
    model = prepared.model.to(device)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    generator = torch.Generator().manual_seed(10_000 + seed)
    use_bf16 = device == "cuda" and torch.cuda.is_bf16_supported()
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    losses: list[float] = []
    train_started = time.perf_counter()
    diverged = False
    schedule = prepared.schedule  # LoRA-Over: converts modules (dynamic: after its warm-up), folds at the end
    for step in range(steps):
        if schedule is not None:
            optimizer = schedule.before_step(step, optimizer)
            params = [p for p in model.parameters() if p.requires_grad]
        for group in optimizer.param_groups:
            group["lr"] = _lr_at(step, steps, lr)
        batch = _to(work.train_batch(batch_size, generator), device)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=use_bf16):
            loss = work.loss(model, batch)
        if not torch.isfinite(loss):
            diverged = True
            break
        optimizer.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        if schedule is not None:
            schedule.record_gradients()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        if prepared.after_step is not None:  # AdaLoRA: importance scores and rank pruning
            prepared.after_step(step)
        losses.append(float(loss.detach()))
    train_seconds = time.perf_counter() - train_started
    if schedule is not None:
        schedule.finish()  # contract the chains: from here on a plain rank-r peft LoRA
    if diverged:
        nan = {"eval_acc": 0.0, "eval_loss": float("inf")}
        validation, test = dict(nan), dict(nan)
    else:
        validation = work.evaluate(model, work.validation, device)
        test = work.evaluate(model, work.test, device)
    return {
        "format": TRIAL_FORMAT,
        "key": trial_key(settings),
        "settings": settings,
        "validation": validation,
        "test": test,
        "diverged": diverged,
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
        "started": started,
        "seconds": round(time.time() - started, 3),
    }


def iter_trials(folder: Path) -> Iterator[dict[str, Any]]:
    for file in sorted(folder.glob("*.json")):
        try:
            yield json.loads(file.read_text())
        except (OSError, json.JSONDecodeError):
            continue

"""One trial: one method, one learning rate, one seed; trained, then evaluated on the
validation split (which selects the learning rate) and on the test split (the metric the
result reports). A trial is a pure function of its settings, so its content hash is its
cache key. Runs in the driver process or inside a Ray task alike.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
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
    ood: list[Batch] = field(default_factory=list)  # out-of-distribution batches: measured only


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


def workload(
    model: ModelSpec, task: TaskSpec, cache: Path | None = None, log: Any = None, device: str = "cpu"
) -> Workload:
    """The (process-cached) base model and data of a (model, task) pair: a worker loads a
    base model once and every trial it runs attaches its method to that one copy."""
    key = json.dumps(
        [model.model_dump(mode="json"), task.model_dump(mode="json"), str(cache), device], sort_keys=True
    )
    if key in _WORKLOADS:
        return _WORKLOADS[key]
    if task.name == "lm":
        from argmap.training.causal_lm import lm_workload

        result: Workload = lm_workload(model, task, device)
    elif task.name == "shift":
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


def _to(batch: Batch, device: str) -> Batch:
    return tuple(t.to(device) for t in batch)


def _measure(work: Workload, model: nn.Module, accelerator: Any) -> tuple[dict[str, float], dict[str, float]]:
    """(validation, test) metrics; the test metrics carry the out-of-distribution ones as ood_*."""
    from argmap.training.engine import evaluate

    validation = evaluate(work, model, work.validation, accelerator)
    test = evaluate(work, model, work.test, accelerator)
    if work.ood:
        ood = evaluate(work, model, work.ood, accelerator)
        test.update({f"ood_{name.removeprefix('eval_')}": value for name, value in ood.items()})
    return validation, test


def run_trial(settings: dict[str, Any], cache: str | None = None) -> dict[str, Any]:
    """Train one (method, lr, seed) cell and evaluate it. `settings` is JSON (see runner.trial_settings).

    The base model is this process's one copy (`workload`); the method is attached to it
    in place and removed afterwards (argmap.training.reuse), and the loop runs through
    accelerate (argmap.training.engine), so the same call trains on a CPU, on one GPU in
    bf16, or as one of several data-parallel processes under `accelerate launch`."""
    from argmap.training.engine import TrainSettings, accelerator_for, train
    from argmap.training.reuse import adapted

    started = time.time()
    model_spec = ModelSpec.model_validate(settings["model"])
    task_spec = TaskSpec.model_validate(settings["task"])
    method_spec = MethodSpec.model_validate(settings["method"])
    accelerator = accelerator_for(resolve_device(settings["device"]), settings.get("precision", "auto"))
    device = device_name(accelerator.device)
    seed = settings["seed"]
    config = TrainSettings(
        steps=settings["steps"],
        lr=settings["lr"],
        batch_size=settings["batch_size"],
        accumulation=settings.get("gradient_accumulation", 1),
        checkpointing=settings.get("gradient_checkpointing", False),
    )
    work = workload(
        model_spec, task_spec, Path(cache) if cache else None, device=_load_device(task_spec, device)
    )
    work.base.to(device)
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    torch.manual_seed(seed)
    with adapted(work.base, method_spec, settings.get("value"), work.classifier, config.steps) as prepared:
        generator = torch.Generator().manual_seed(10_000 + seed)
        trained = train(prepared.model, work, config, generator, accelerator, prepared.after_step)
        if method_spec.type == "lora_over":
            from argmap.training.overlora import fold

            fold(prepared.model)
        if trained.diverged:
            nan = {"eval_acc": 0.0, "eval_loss": float("inf")}
            validation, test = dict(nan), dict(nan)
        else:
            validation, test = _measure(work, prepared.model, accelerator)
    seconds = trained.seconds
    return {
        "format": TRIAL_FORMAT,
        "key": trial_key(settings),
        "settings": settings,
        "validation": validation,
        "test": test,
        "diverged": trained.diverged,
        "final_train_loss": trained.losses[-1] if trained.losses else None,
        "train_losses": [round(loss, 6) for loss in trained.losses],
        "trainable": prepared.trainable,
        "adapter_parameters": prepared.inference,
        "knob": prepared.knob,
        "value": prepared.value,
        "steps_per_second": round(len(trained.losses) / seconds, 3) if seconds > 0 else None,
        "tokens_per_second": round(trained.tokens / seconds, 1) if seconds > 0 else None,
        "peak_memory_mb": round(torch.cuda.max_memory_allocated() / 2**20, 1)
        if device.startswith("cuda")
        else None,
        "precision": accelerator.mixed_precision,
        "dtype": str(next(work.base.parameters()).dtype).removeprefix("torch."),
        "processes": accelerator.num_processes,
        "device": device if device == "cpu" else f"{device}:{torch.cuda.get_device_name()}",
        "host": platform.node(),
        "started": started,
        "seconds": round(time.time() - started, 3),
    }


def device_name(device: torch.device) -> str:
    """ "cpu" or "cuda:N" (with the index, so one process never loads a second copy)."""
    if device.type == "cuda":
        return f"cuda:{device.index if device.index is not None else torch.cuda.current_device()}"
    return device.type


def _load_device(task: TaskSpec, device: str) -> str:
    """Where a workload's base model is loaded: a causal LM straight onto the training device
    (its dtype depends on it); the small models on the CPU (moved on first use)."""
    return device if task.name == "lm" else "cpu"


def iter_trials(folder: Path) -> Iterator[dict[str, Any]]:
    for file in sorted(folder.glob("*.json")):
        try:
            yield json.loads(file.read_text())
        except (OSError, json.JSONDecodeError):
            continue

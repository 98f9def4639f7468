"""One trial: one method, one learning rate, one seed; trained, then evaluated on the
validation split (which selects the learning rate), on the test split, and where the task
gives them on the out-of-distribution split and the source task (retention). The
validation split is also evaluated every `eval_every` steps: the trial's curve (step, mean
training loss since the last point, validation accuracy and loss), from step 0 (the base
model) to the last step. A trial is a pure function of its settings, so its content hash
is its cache key (the settings carry the versions of argmap, torch, transformers and
peft, so an upgrade never reuses a stale trial).

The base model is this process's one copy (`workload`): the method is attached to it in
place and removed afterwards (argmap.training.reuse), and the loop runs through
accelerate (argmap.training.engine), so the same call trains on a CPU, on one GPU in
bf16, as one of several data-parallel processes under `accelerate launch`, or inside a
Ray worker that keeps its base model from trial to trial.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import torch
from torch import nn

from argmap.training.datasets import workload
from argmap.training.engine import Hooks, Trained, TrainSettings, accelerator_for, evaluate, train
from argmap.training.evaluation import (
    Batch,
    Workload,
    evaluate_classifier,
    evaluate_lm,
    merged_weights,
    update_properties,
)
from argmap.training.reuse import adapted
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


def device_name(device: torch.device) -> str:
    """ "cpu" or "cuda:N" (with the index, so one process never loads a second copy)."""
    if device.type == "cuda":
        return f"cuda:{device.index if device.index is not None else torch.cuda.current_device()}"
    return device.type


def _load_device(task: TaskSpec, device: str) -> str:
    """Where a workload's base model is loaded: a causal LM straight onto the training device
    (its dtype depends on it); the small models on the CPU (moved on first use)."""
    return device if task.name == "lm" else "cpu"


# -- measuring ------------------------------------------------------------------------------


class _Curve:
    """The validation curve of one trial: a point every `every` steps and at the last step."""

    def __init__(
        self, measure: Callable[[nn.Module, list[Batch]], dict[str, float]], work: Workload, every: int
    ):
        self.measure, self.work, self.every = measure, work, every
        self.points: list[dict[str, Any]] = []
        self._losses: list[float] = []

    def record(self, model: nn.Module, step: int, loss: float | None, last: bool = False) -> None:
        if loss is not None:
            self._losses.append(loss)
        if step % self.every and not last:
            return
        metrics = self.measure(model, self.work.validation)
        train_loss = sum(self._losses) / len(self._losses) if self._losses else None
        self.points.append(
            {
                "step": step,
                "train_loss": train_loss,
                "val_acc": metrics["eval_acc"],
                "val_loss": metrics["eval_loss"],
            }
        )
        self._losses = []


def _evaluations(
    model: nn.Module,
    work: Workload,
    measure: Callable[[nn.Module, list[Batch]], dict[str, float]],
    diverged: bool,
    lm: bool,
) -> dict[str, Any]:
    """validation, test, and where the workload has them ood and source: each a section of
    the same names (eval_acc, eval_loss, and eval_ppl for the causal-LM task)."""
    splits = {"validation": work.validation, "test": work.test, "ood": work.ood, "source": work.source}
    failed = {"eval_acc": 0.0, "eval_loss": float("inf")}
    if lm:
        failed["eval_ppl"] = float("inf")  # the causal-LM task reports perplexity too
    out: dict[str, Any] = {}
    for name, batches in splits.items():
        if batches is None:
            continue
        out[name] = dict(failed) if diverged else measure(model, batches)
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


def _base_weights(base: nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of the base model's 2-D weights, taken before the method is attached
    (PiSSA and OLoRA rewrite them in place, and the update is measured against these)."""
    return {k: v.detach().to("cpu", copy=True) for k, v in base.state_dict().items() if v.dim() == 2}


# -- the trial ------------------------------------------------------------------------------


def _train_settings(settings: dict[str, Any]) -> TrainSettings:
    return TrainSettings(
        steps=settings["steps"],
        lr=settings["lr"],
        batch_size=settings["batch_size"],
        accumulation=settings.get("gradient_accumulation", 1),
        checkpointing=settings.get("gradient_checkpointing", False),
    )


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
    accelerator = accelerator_for(resolve_device(settings["device"]), settings.get("precision", "auto"))
    device = device_name(accelerator.device)
    work = workload(
        model_spec, task_spec, Path(cache) if cache else None, device=_load_device(task_spec, device)
    )
    work.base.to(device)
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    before = _base_weights(work.base) if settings.get("update_properties") else None

    def measure(model: nn.Module, batches: list[Batch]) -> dict[str, float]:
        return evaluate(work, model, batches, accelerator)

    every = settings.get("eval_every")
    curve = _Curve(measure, work, int(every)) if every else None
    config = _train_settings(settings)
    torch.manual_seed(settings["seed"])  # the adapter's initialisation
    with adapted(work.base, method_spec, settings.get("value"), work.classifier, config.steps) as prepared:
        schedule = prepared.schedule
        hooks = Hooks(prepared.after_step, schedule, curve.record if curve is not None else None)
        generator = torch.Generator().manual_seed(10_000 + settings["seed"])  # the data order
        draw = work.batches_for(settings["seed"])  # the seed's training subsample
        trained = train(prepared.model, work, config, draw, generator, accelerator, hooks)
        if schedule is not None:
            schedule.finish()  # contract the chains: from here on a plain rank-r peft LoRA
        record: dict[str, Any] = {
            "format": TRIAL_FORMAT,
            "key": trial_key(settings),
            "settings": settings,
            **_evaluations(prepared.model, work, measure, trained.diverged, task_spec.name == "lm"),
            "curve": curve.points if curve is not None else [],
            **({"lora_over": schedule.describe()} if schedule is not None else {}),
            "trainable": prepared.trainable,
            "adapter_parameters": prepared.inference,
            "knob": prepared.knob,
            "value": prepared.value,
        }
        if before is not None and not trained.diverged:
            record["update"] = update_properties(before, merged_weights(prepared.model))
        if save_adapter:
            record["adapter_bytes"] = _adapter_bytes(prepared.model, method_spec.type)
    if "source_before" in work.info:
        record["source_before"] = work.info["source_before"]
    record.update(_run_details(trained, work, accelerator, device))
    record["started"], record["seconds"] = started, round(time.time() - started, 3)
    return record


def _run_details(trained: Trained, work: Workload, accelerator: Any, device: str) -> dict[str, Any]:
    """How the trial trained: losses, speed, memory, precision and where it ran."""
    seconds = trained.seconds
    return {
        "diverged": trained.diverged,
        "final_train_loss": trained.losses[-1] if trained.losses else None,
        "train_losses": [round(loss, 6) for loss in trained.losses],
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
    }


def iter_trials(folder: Path) -> Iterator[dict[str, Any]]:
    for file in sorted(folder.glob("*.json")):
        try:
            yield json.loads(file.read_text())
        except (OSError, json.JSONDecodeError):
            continue

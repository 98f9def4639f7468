"""Run an experiment: plan the (method x budget x learning rate x seed) cells the
comparisons need, run the ones not in the trial cache (locally, or as Ray remote tasks),
write each trial's record, curve and (with --save-adapters) adapter weights, then build one
result per comparison (argmap.training.analysis: rate selection on validation, the
measurement per seed, warnings).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from argmap.diagnostics import Diagnostic
from argmap.results.model import Result
from argmap.training.analysis import Cell, Plan, build_result, select_lr, trial_provenance
from argmap.training.measures import UPDATE_MEASURES
from argmap.training.progress import Progress
from argmap.training.spec import ExperimentSpec

__all__ = ["Cell", "Plan", "Progress", "build_result", "run_experiment", "select_lr", "trial_provenance"]

PACKAGES = ("argmap", "torch", "transformers", "peft", "safetensors", "ray", "numpy")


@dataclass
class Outcome:
    results: list[Result]
    paths: list[Path]
    trials_run: int
    trials_cached: int
    wall_seconds: float
    selected: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Any] = field(default_factory=list)  # ray_cluster.TrialFailure: trials that failed


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def code_revision() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."], cwd=here, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{rev}{'+dirty' if dirty else ''}" if rev else None


KEYED_PACKAGES = ("argmap", "torch", "transformers", "peft")
"""Versions in every trial's settings, hence in its cache key: an upgrade re-runs trials."""


def trial_settings(
    spec: ExperimentSpec, method: str, value: int | None, lr: float, seed: int, device: str
) -> dict[str, Any]:
    m = spec.methods[method]
    versions = package_versions()
    settings = {
        "model": spec.model.model_dump(mode="json"),
        "task": spec.task.model_dump(mode="json"),
        "method": m.model_dump(mode="json", exclude={"learning_rates"}),
        "value": value,
        "lr": lr,
        "seed": seed,
        "steps": spec.steps,
        "batch_size": spec.batch_size,
        "gradient_accumulation": spec.gradient_accumulation,
        "gradient_checkpointing": spec.gradient_checkpointing,
        "device": device,
        "eval_every": spec.evaluate_every,
        "versions": {name: versions.get(name) for name in KEYED_PACKAGES},
    }
    if spec.measurements() & set(UPDATE_MEASURES):
        settings["update_properties"] = True
    return settings


def make_plan(
    spec: ExperimentSpec,
    device: str,
    cache: Path | None,
    log: Callable[[str], None] | None = None,
    load_device: str | None = None,
) -> Plan:
    from argmap.training.spec import SpecError
    from argmap.training.trial import trial_key

    work = plan_workload(spec, load_device or device, cache, log)
    budgets = spec.budget.points
    knobs: dict[tuple[str, int | None], dict[str, Any]] = {}
    problems: list[Diagnostic] = []
    for name in spec.used_methods():
        for budget in budgets:
            knob = _knob(spec, name, budget, work)
            if isinstance(knob, dict):
                knobs[(name, budget)] = knob
            elif knob not in problems:
                problems.append(knob)
    if problems:
        raise SpecError(problems)
    cells = []
    for name in spec.used_methods():
        for budget in budgets:
            for lr in spec.grid(name):
                for seed in spec.seeds:
                    settings = trial_settings(spec, name, knobs[(name, budget)]["value"], lr, seed, device)
                    cells.append(Cell(name, lr, seed, settings, trial_key(settings), budget))
    return Plan(cells, knobs, {"name": work.name, **work.info}, budgets)


def _knob(spec: ExperimentSpec, name: str, budget: int | None, work: Any) -> dict[str, Any] | Diagnostic:
    """The size of method `name` at `budget` (its knob value and parameter count), or T105."""
    from argmap.training.methods import KNOBS
    from argmap.training.sizes import closest, count, knob_counts

    method = spec.methods[name]
    value: int | None
    if budget is not None and method.r is None and method.type in KNOBS:
        counts = knob_counts(work.base, method, work.classifier)
        problem = budget_problem(spec, name, budget, counts)
        if problem is not None:
            return problem
        value = closest(counts, budget)
        n = counts[value]
    else:
        value = method.r if method.type in KNOBS else None
        try:
            n = count(work.base, method, value, work.classifier)
        except (TypeError, ValueError, RuntimeError) as exc:  # peft rejects the settings
            return method_problem(spec, name, exc)
    return {
        "type": method.type,
        "knob": KNOBS.get(method.type, (None, []))[0],
        "value": value,
        "adapter_parameters": n,
    }


def plan_workload(spec: ExperimentSpec, device: str, cache: Path | None, log: Any) -> Any:
    """The workload the plan counts parameters on. A causal LM is loaded once, on the device
    that trains it; for a cluster (device "remote") only its structure, on the meta device,
    so a head node with no GPU never holds the weights."""
    from argmap.training.datasets import workload

    if spec.task.name != "lm":
        return workload(spec.model, spec.task, cache, log)
    if device == "remote":
        from argmap.training.causal_lm import structure_workload

        return structure_workload(spec.model, spec.task)
    return workload(spec.model, spec.task, cache, log, device=device)


def method_problem(spec: ExperimentSpec, name: str, exc: Exception) -> Diagnostic:
    """T102 for a method whose settings peft (or the model's shapes) reject, found when the
    plan first attaches it, before any trial runs."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return spec.diagnostic(
        "T102",
        f"methods.{name}: {spec.methods[name].type} cannot be attached to this model: {reason}"[:500],
        ("methods", name),
        "check `options:` against the peft config of this method, `target_modules:` against the "
        "model's module names, and `r:` against its shapes",
    )


BUDGET_TOLERANCE = 0.5
"""A budget is unmeetable (T105) when the closest count of a method is off by more than
this fraction of the budget: the methods would not be compared at matched size."""


def budget_problem(spec: ExperimentSpec, name: str, budget: int, counts: dict[int, int]) -> Diagnostic | None:
    """T105 when no knob value of method `name` gives a count near `budget`, else None."""
    from argmap.training.methods import KNOBS
    from argmap.training.sizes import closest

    method = spec.methods[name]
    knob = KNOBS[method.type][0]
    if not counts:
        return spec.diagnostic(
            "T105",
            f"methods.{name}: budget {budget:,} parameters: no {knob} of {method.type} fits this model",
            ("methods", name),
            f"give {name} an explicit `r:` or use another method",
        )
    value = closest(counts, budget)
    if abs(counts[value] - budget) <= BUDGET_TOLERANCE * budget:
        return None
    low, high = min(counts.values()), max(counts.values())
    return spec.diagnostic(
        "T105",
        f"methods.{name}: budget {budget:,} parameters cannot be met by {method.type}: its closest "
        f"{knob} ({value}) has {counts[value]:,}; reachable counts are {low:,} to {high:,}",
        ("methods", name),
        f"set budget.params between {low:,} and {high:,}, or give {name} an explicit `r:` "
        f"(`argmap experiment methods --budget {budget}` lists every method's closest count)",
    )


def _environment() -> dict[str, Any]:
    """What the driver adds to each trial record it saves: where the numbers came from
    (kept with the trial, so a result built later from cached trials says the same)."""
    return {
        "executor": "local",
        "code_revision": code_revision(),
        "packages": package_versions(),
        "python": platform.python_version(),
    }


def _write_atomic(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _save_trial(folder: Path, record: dict[str, Any]) -> None:
    """The record as KEY.json, its curve as KEY.curve.jsonl (one JSON object per
    evaluation: step, train_loss, val_acc, val_loss) and, when the trial carried them,
    its adapter weights as KEY.adapter.safetensors. The record is written last: a trial
    counts as done only once everything it has is on disk."""
    folder.mkdir(parents=True, exist_ok=True)
    key = record["key"]
    adapter = record.pop("adapter_bytes", None)
    if adapter is not None:
        _write_atomic(folder / f"{key}.adapter.safetensors", adapter)
        record["adapter_file"] = f"{key}.adapter.safetensors"
    lines = "".join(json.dumps(point, sort_keys=True) + "\n" for point in record.get("curve", []))
    _write_atomic(folder / f"{key}.curve.jsonl", lines.encode())
    _write_atomic(folder / f"{key}.json", json.dumps(record, indent=1, sort_keys=True).encode())


def _load_trial(folder: Path, key: str, need_adapter: bool = False) -> dict[str, Any] | None:
    file = folder / f"{key}.json"
    if not file.exists() or (need_adapter and not (folder / f"{key}.adapter.safetensors").exists()):
        return None
    try:
        data: dict[str, Any] = json.loads(file.read_text())
    except (OSError, json.JSONDecodeError):
        return None  # a torn file from an interrupted run: run the trial again
    return data if data.get("key") == key else None


@dataclass
class Execution:
    """Where the trials run: this process (or one of several under `accelerate launch`), or
    a Ray cluster with `gpus_per_trial` GPUs per worker and `retries` re-runs of a failure."""

    use_ray: bool = False
    ray_address: str | None = None
    gpus_per_trial: float = 0.0
    retries: int = 1
    trial: Any = None  # the trial function (argmap.training.trial.run_trial unless a test injects one)

    @property
    def rank(self) -> int:
        """This process's rank under `accelerate launch`/torchrun (0 when launched alone)."""
        return int(os.environ.get("RANK", "0"))


def _pending(
    cells: list[Cell], folder: Path, save_adapters: bool
) -> tuple[dict[str, dict[str, Any]], list[Cell]]:
    """(the records already on disk, the cells still to run: one per key)."""
    records: dict[str, dict[str, Any]] = {}
    todo: dict[str, Cell] = {}
    for cell in cells:
        if cell.key in records or cell.key in todo:
            continue
        found = _load_trial(folder, cell.key, save_adapters)
        if found is not None:
            records[cell.key] = found
        else:
            todo[cell.key] = cell
    return records, list(todo.values())


def run_cells(
    cells: list[Cell],
    folder: Path,
    cache: Path | None,
    execution: Execution | None = None,
    show_progress: bool = True,
    progress_mode: str = "live",
    save_adapters: bool = False,
) -> tuple[dict[str, dict[str, Any]], int, int, list[Any]]:
    """Every cell's trial record (cached or run now): (records, run now, from cache, failures).
    Records are saved by rank 0 only (the other data-parallel processes train with it)."""
    run = execution or Execution()
    records, todo = _pending(cells, folder, save_adapters)
    cached = len(records)
    stamp = {**_environment(), "executor": "ray" if run.use_ray else "local"} if todo else {}
    main = run.rank == 0
    where = str(cache) if cache else None
    with Progress(len(records) + len(todo), cached, show_progress and main, mode=progress_mode) as progress:

        def keep(cell: Cell, record: dict[str, Any]) -> None:
            record = {**record, **stamp}
            if main:
                _save_trial(folder, record)
            else:
                record.pop("adapter_bytes", None)
            records[cell.key] = record
            progress.update(progress.running, 1, _describe(cell, float(record["seconds"])))

        if run.use_ray:
            from argmap.training.ray_cluster import connect, run_on_ray, worker_count

            connect(run.ray_address)
            progress.update(min(len(todo), worker_count(len(todo), run.gpus_per_trial)))
            failures = run_on_ray(
                todo, where, run.gpus_per_trial, run.retries, keep, run.trial, save_adapters
            )
        else:
            failures = _run_local(todo, where, run, keep, progress, save_adapters)
    return records, len(todo) - len(failures), cached, failures


def _run_local(
    todo: list[Cell],
    cache: str | None,
    run: Execution,
    keep: Callable[[Cell, dict[str, Any]], None],
    progress: Progress,
    save_adapters: bool,
) -> list[Any]:
    """The cells one after another in this process; a trial that raises is a failure (T109,
    with its cause) and the others go on."""
    from argmap.training.ray_cluster import TrialFailure
    from argmap.training.trial import run_trial

    trial = run.trial or run_trial
    failures: list[TrialFailure] = []
    for cell in todo:
        progress.update(1)
        began = time.perf_counter()
        try:
            record = trial(cell.settings, cache, save_adapters)
        except Exception as exc:  # reported with the cause; the other trials go on
            error = f"{type(exc).__name__}: {str(exc).strip()[:400]}"
            failures.append(TrialFailure(cell.key, cell.method, cell.lr, cell.seed, 1, error))
            seconds = time.perf_counter() - began
            progress.update(0, 1, f"{_describe(cell, seconds)} failed: {error}")  # done, not kept
            continue
        progress.update(0)
        keep(cell, record)
    return failures


def _describe(cell: Cell, seconds: float) -> str:
    budget = f" budget {cell.budget}" if cell.budget is not None else ""
    return f"{cell.method}{budget} lr {cell.lr:g} seed {cell.seed} ({seconds:.1f}s)"


def _slug(text: str) -> str:
    return "".join(ch.lower() if ch.isalnum() else "-" for ch in text).strip("-")[:60] or "claim"


class ExecutionError(RuntimeError):
    """The trials cannot run where they were sent (e.g. `--device cuda` on a cluster with no GPU)."""


def _devices(device: str, execution: Execution) -> tuple[str, str]:
    """(the device the trials run on, as keyed in their settings; where this process loads a
    model to plan). On a cluster the workers resolve the device, not the driver, which may
    be a head node with no GPU; it plans on the model's structure only ("remote")."""
    from argmap.training.trial import resolve_device

    if not execution.use_ray:
        resolved = resolve_device(device)
        if resolved == "cuda":  # one GPU per process under `accelerate launch`
            return resolved, f"cuda:{os.environ.get('LOCAL_RANK', '0')}"
        return resolved, resolved
    from argmap.training.ray_cluster import cluster_gpus, connect

    connect(execution.ray_address)
    gpus = cluster_gpus()
    if device == "auto":
        device = "cuda" if gpus > 0 else "cpu"
    if device == "cuda":
        if gpus <= 0:
            raise ExecutionError(
                "--device cuda: the Ray cluster has no GPU (ray.cluster_resources() lists none)"
            )
        execution.gpus_per_trial = execution.gpus_per_trial or 1.0
    return device, "remote"


def run_experiment(
    spec: ExperimentSpec,
    out: Path,
    device: str = "cpu",
    cache: Path | None = None,
    use_ray: bool = False,
    ray_address: str | None = None,
    show_progress: bool = True,
    log: Callable[[str], None] | None = None,
    execution: Execution | None = None,
    progress_mode: str = "live",
    save_adapters: bool = False,
) -> Outcome:
    """Plan, run (or take from the cache) and analyse; one results/*.json per comparison,
    written by rank 0 only. `progress_mode`: "live" (a terminal) or "log" (a line per
    trial, for CI and nohup)."""
    run = execution or Execution(use_ray=use_ray or ray_address is not None, ray_address=ray_address)
    started = datetime.now(UTC)
    wall = time.perf_counter()
    resolved, local = _devices(device, run)
    plan = make_plan(spec, resolved, cache, log, load_device=local)
    records, ran, cached, failures = run_cells(
        plan.cells, out / "trials", cache, run, show_progress, progress_mode, save_adapters
    )
    import argmap

    provenance: dict[str, Any] = {
        "tool": "argmap experiment",
        "tool_version": argmap.__version__,
        "spec": spec.name,
        "spec_digest": spec.digest(),
    }
    results: list[Result] = []
    paths: list[Path] = []
    selected: dict[str, dict[str, Any]] = {}
    warnings: list[dict[str, Any]] = []
    folder = out / "results"
    main = run.rank == 0
    for index, comparison in enumerate(spec.comparisons):
        arms = (comparison.method, comparison.baseline)
        if any(c.key not in records for c in plan.cells if c.method in arms):
            continue  # a trial of this comparison failed: reported, no result
        result, chosen, found = build_result(spec, comparison, plan, records, provenance)
        selected[f"{comparison.claim}: {comparison.method} vs {comparison.baseline}"] = chosen
        warnings += [w for w in found if w not in warnings]
        path = folder / f"{_slug(spec.name)}-{index + 1}-{_slug(comparison.claim)}.json"
        if main:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(result.model_dump_json(indent=2, exclude_none=True) + "\n")
            os.replace(tmp, path)
        results.append(result)
        paths.append(path)
    outcome = Outcome(results, paths, ran, cached, round(time.perf_counter() - wall, 2), selected, warnings)
    outcome.failures = failures
    if main:
        log_run(out, started, outcome, run.use_ray, resolved)
    return outcome


def log_run(out: Path, started: datetime, outcome: Outcome, use_ray: bool, device: str) -> None:
    """Append what this invocation did to OUT/runs.jsonl (its times are not in the results)."""
    out.mkdir(parents=True, exist_ok=True)
    line = {
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "wall_seconds": outcome.wall_seconds,
        "trials_run": outcome.trials_run,
        "trials_cached": outcome.trials_cached,
        "ray": use_ray,
        "device": device,
        "host": platform.node(),
        "code_revision": code_revision(),
        "results": {str(p.name): r.id for r, p in zip(outcome.results, outcome.paths, strict=True)},
        "failures": [vars(f) for f in outcome.failures],
    }
    with (out / "runs.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, sort_keys=True) + "\n")

"""Run an experiment: plan the (comparison x method x learning rate x seed) cells, run the
ones not in the trial cache (locally, or as Ray remote tasks), select each method's
learning rate on the validation split, and write one result per comparison in the
results format (argmap.results.model.Result).

Fairness: every method trains with its own learning-rate grid; for each comparison, each
arm's rate is the grid value with the best mean *validation* metric over the seeds, and
the result reports the *test* metric of those runs (the test split is never looked at
when choosing). The selected rates, the grids and the validation means go in `setup`.
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
from argmap.results.model import Comparison, Direction, Provenance, Result, Run, Setup
from argmap.training.spec import ComparisonSpec, ExperimentSpec

PACKAGES = ("argmap", "torch", "transformers", "peft", "safetensors", "ray", "numpy")


@dataclass(frozen=True)
class Cell:
    method: str
    lr: float
    seed: int
    settings: dict[str, Any]
    key: str


@dataclass
class Plan:
    cells: list[Cell]
    knobs: dict[str, dict[str, Any]]  # method -> {knob, value, adapter_parameters}
    workload: dict[str, Any]


@dataclass
class Outcome:
    results: list[Result]
    paths: list[Path]
    trials_run: int
    trials_cached: int
    wall_seconds: float
    selected: dict[str, dict[str, float]] = field(default_factory=dict)
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


def trial_settings(
    spec: ExperimentSpec, method: str, value: int | None, lr: float, seed: int, device: str
) -> dict[str, Any]:
    m = spec.methods[method]
    return {
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
    }


def make_plan(
    spec: ExperimentSpec,
    device: str,
    cache: Path | None,
    log: Callable[[str], None] | None = None,
    load_device: str | None = None,
) -> Plan:
    from argmap.training.methods import KNOBS, closest, count, knob_counts
    from argmap.training.spec import SpecError
    from argmap.training.trial import trial_key

    work = plan_workload(spec, load_device or device, cache, log)
    knobs: dict[str, dict[str, Any]] = {}
    problems = []
    budget = spec.budget.params
    for name in spec.used_methods():
        method = spec.methods[name]
        value: int | None
        if budget is not None and method.r is None and method.type in KNOBS:
            counts = knob_counts(work.base, method, work.classifier)
            problem = budget_problem(spec, name, budget, counts)
            if problem is not None:
                problems.append(problem)
                continue
            value = closest(counts, budget)
            n = counts[value]
        else:
            value = method.r if method.type in KNOBS else None
            try:
                n = count(work.base, method, value, work.classifier)
            except (TypeError, ValueError, RuntimeError) as exc:  # peft rejects the settings
                problems.append(method_problem(spec, name, exc))
                continue
        knobs[name] = {
            "type": method.type,
            "knob": KNOBS.get(method.type, (None, []))[0],
            "value": value,
            "adapter_parameters": n,
        }
    if problems:
        raise SpecError(problems)
    cells = []
    for name in spec.used_methods():
        for lr in spec.grid(name):
            for seed in spec.seeds:
                settings = trial_settings(spec, name, knobs[name]["value"], lr, seed, device)
                cells.append(Cell(name, lr, seed, settings, trial_key(settings)))
    return Plan(cells, knobs, {"name": work.name, **work.info})


def plan_workload(spec: ExperimentSpec, device: str, cache: Path | None, log: Any) -> Any:
    """The workload the plan counts parameters on. A causal LM is loaded once, on the device
    that trains it; for a cluster (device "remote") only its structure, on the meta device,
    so a head node with no GPU never holds the weights."""
    from argmap.training.trial import workload

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
    from argmap.training.methods import KNOBS, closest

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


def _save_trial(folder: Path, record: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{record['key']}.json"
    tmp = folder / f".{record['key']}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True))
    os.replace(tmp, target)


def _load_trial(folder: Path, key: str) -> dict[str, Any] | None:
    file = folder / f"{key}.json"
    if not file.exists():
        return None
    try:
        data: dict[str, Any] = json.loads(file.read_text())
    except (OSError, json.JSONDecodeError):
        return None  # a torn file from an interrupted run: run the trial again
    return data if data.get("key") == key else None


class Progress:
    """A rich progress display: trials done, running and left, elapsed and estimated time."""

    def __init__(self, total: int, cached: int, enabled: bool, console: Any = None) -> None:
        self.total, self.done, self.running = total, cached, 0
        self.enabled = enabled
        self.console = console  # a rich Console; default: standard error
        self.started = time.perf_counter()
        self.ran = 0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._progress = RichProgress(
                TextColumn("[bold]trials"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=self.console if self.console is not None else Console(stderr=True),
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(self._describe(), total=self.total, completed=self.done)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def _describe(self) -> str:
        left = self.total - self.done
        if self.ran:
            per = (time.perf_counter() - self.started) / self.ran
            eta = per * left / max(1, self.running)
            return f"done {self.done} running {self.running} left {left} ~{eta:.0f}s to go"
        return f"done {self.done} running {self.running} left {left}"

    def update(self, running: int, finished: int = 0) -> None:
        self.running = running
        self.done += finished
        self.ran += finished
        if self._progress is not None:
            self._progress.update(self._task, completed=self.done, description=self._describe())


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


def _pending(cells: list[Cell], folder: Path) -> tuple[dict[str, dict[str, Any]], list[Cell]]:
    records: dict[str, dict[str, Any]] = {}
    todo: dict[str, Cell] = {}
    for cell in cells:
        if cell.key in records or cell.key in todo:
            continue
        found = _load_trial(folder, cell.key)
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
) -> tuple[dict[str, dict[str, Any]], int, int, list[Any]]:
    """Every cell's trial record (cached or run now): (records, run now, from cache, failures).
    Records are saved by rank 0 only (the other data-parallel processes train with it)."""
    from argmap.training.ray_cluster import TrialFailure

    run = execution or Execution()
    records, todo = _pending(cells, folder)
    cached = len(records)
    stamp = {**_environment(), "executor": "ray" if run.use_ray else "local"} if todo else {}
    failures: list[TrialFailure] = []
    main = run.rank == 0
    with Progress(len(records) + len(todo), cached, show_progress and main) as progress:

        def keep(cell: Cell, record: dict[str, Any]) -> None:
            record = {**record, **stamp}
            if main:
                _save_trial(folder, record)
            records[cell.key] = record
            progress.update(progress.running, 1)

        if run.use_ray:
            from argmap.training.ray_cluster import connect, run_on_ray, worker_count

            connect(run.ray_address)
            progress.update(min(len(todo), worker_count(len(todo), run.gpus_per_trial)))
            failures = run_on_ray(
                todo, str(cache) if cache else None, run.gpus_per_trial, run.retries, keep, run.trial
            )
        else:
            from argmap.training.trial import run_trial

            trial = run.trial or run_trial
            for cell in todo:
                progress.update(1)
                try:
                    record = trial(cell.settings, str(cache) if cache else None)
                except Exception as exc:  # reported as T106 with the cause; the other trials go on
                    error = f"{type(exc).__name__}: {str(exc).strip()[:400]}"
                    failures.append(TrialFailure(cell.key, cell.method, cell.lr, cell.seed, 1, error))
                    progress.update(0)
                    continue
                keep(cell, record)
                progress.update(0)
    return records, len(todo) - len(failures), cached, failures


def _metric(record: dict[str, Any], split: str, metric: str) -> float | None:
    if record.get("diverged"):
        return None
    value = record[split].get(metric)
    return float(value) if value is not None else None


def select_lr(
    plan: Plan, records: dict[str, dict[str, Any]], method: str, metric: str, direction: str
) -> tuple[float, dict[str, float | None]]:
    """The rate with the best mean validation metric over seeds (rates with a diverged seed lose)."""
    by_lr: dict[float, list[float | None]] = {}
    for cell in plan.cells:
        if cell.method == method:
            by_lr.setdefault(cell.lr, []).append(_metric(records[cell.key], "validation", metric))
    means: dict[str, float | None] = {}
    best: tuple[float, float] | None = None
    for lr, values in by_lr.items():
        if any(v is None for v in values):
            means[repr(lr)] = None
            continue
        mean = sum(v for v in values if v is not None) / len(values)
        means[repr(lr)] = round(mean, 6)
        score = mean if direction == "higher" else -mean
        if best is None or score > best[0]:
            best = (score, lr)
    if best is None:
        raise RuntimeError(f"every learning rate of {method} diverged on some seed; lower the grid")
    return best[1], means


def build_result(
    spec: ExperimentSpec,
    comparison: ComparisonSpec,
    plan: Plan,
    records: dict[str, dict[str, Any]],
    provenance: dict[str, Any],
) -> tuple[Result, dict[str, float]]:
    direction = comparison.better
    runs: list[Run] = []
    selected: dict[str, float] = {}
    validation: dict[str, dict[str, float | None]] = {}
    for arm in (comparison.method, comparison.baseline):
        lr, means = select_lr(plan, records, arm, comparison.metric, direction)
        selected[arm] = lr
        validation[arm] = means
        for cell in plan.cells:
            if cell.method == arm and cell.lr == lr:
                record = records[cell.key]
                runs.append(
                    Run(seed=cell.seed, method=arm, metrics={k: float(v) for k, v in record["test"].items()})
                )
    arms = (comparison.method, comparison.baseline)
    cell_records = [records[c.key] for c in plan.cells if c.method in arms and c.lr == selected[c.method]]
    result = Result(
        claim=comparison.claim,
        comparison=Comparison(
            method=comparison.method,
            baseline=comparison.baseline,
            metric=comparison.metric,
            direction=Direction(direction),
            min_effect={comparison.metric: comparison.min_effect}
            if comparison.min_effect is not None
            else {},
        ),
        runs=runs,
        setup=Setup(
            model=plan.workload["name"].split("/")[0],
            dataset=plan.workload["name"].split("/", 1)[-1],
            steps=spec.steps,
            hyperparameters={
                "batch_size": spec.batch_size,
                "selected_learning_rates": selected,
                "learning_rate_grids": {arm: spec.grid(arm) for arm in arms},
                "selection": f"best mean validation {comparison.metric} over seeds; reported values are test",
                "validation_means": validation,
                "methods": {
                    arm: {
                        **plan.knobs[arm],
                        **spec.methods[arm].model_dump(mode="json", exclude={"learning_rates"}),
                    }
                    for arm in arms
                },
                "budget": spec.budget.model_dump(mode="json"),
                "seeds": spec.seeds,
            },
            task=spec.task.model_dump(mode="json"),
            base_model=spec.model.model_dump(mode="json"),
            base_metrics={
                k: plan.workload[k] for k in ("base_test_acc", "base_test_loss") if k in plan.workload
            },
            trials=[r["key"] for r in cell_records],
            steps_per_second={
                arm: _mean(
                    [
                        r["steps_per_second"]
                        for r in cell_records
                        if r["settings"]["method"]["type"] == spec.methods[arm].type
                    ]
                )
                for arm in arms
            },
        ),
        provenance=Provenance(**trial_provenance(provenance, cell_records)),
        weight=comparison.weight,
        note=f"argmap experiment {spec.name}: {comparison.method} vs {comparison.baseline}",
    )
    return result.with_id(), selected


def _one(values: list[Any]) -> Any:
    """The common value of a list, or the distinct values joined when they differ."""
    distinct = sorted({json.dumps(v, sort_keys=True) for v in values if v is not None})
    if not distinct:
        return None
    if len(distinct) == 1:
        return json.loads(distinct[0])
    return ", ".join(str(json.loads(v)) for v in distinct)


def trial_provenance(base: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """A result's provenance, from the trials its numbers come from (not from this
    invocation): the same trials give the same provenance, so re-running a spec whose
    trials are all cached gives the same result, with the same content-hash id, and
    `argmap attach` sees the duplicate (R106). `started`/`finished` span the trials;
    `wall_seconds` is that span, `trial_seconds` the trials' sum. What one invocation did
    (trials run and from cache, its own wall time) goes to OUT/runs.jsonl instead."""
    started = min(float(r["started"]) for r in records)
    finished = max(float(r["started"]) + float(r["seconds"]) for r in records)
    hosts = sorted({str(r["host"]) for r in records})
    packages = [r.get("packages") for r in records]
    return {
        **base,
        "code_revision": _one([r.get("code_revision") for r in records]),
        "host": ", ".join(hosts),
        "hosts": hosts,
        "device": ", ".join(sorted({str(r["device"]) for r in records})),
        "started": datetime.fromtimestamp(started, UTC),
        "finished": datetime.fromtimestamp(finished, UTC),
        "packages": packages[0] if packages and all(p == packages[0] for p in packages) else _one(packages),
        "python": _one([r.get("python") for r in records]),
        "ray": any(r.get("executor") == "ray" for r in records),
        "wall_seconds": round(finished - started, 2),
        "trial_seconds": round(sum(float(r["seconds"]) for r in records), 2),
        "trials": len(records),
    }


def _mean(values: list[Any]) -> float | None:
    numbers = [float(v) for v in values if v is not None]
    return round(sum(numbers) / len(numbers), 3) if numbers else None


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
) -> Outcome:
    """Plan, run (or take from the cache) and compare; write the results (rank 0 only)."""
    run = execution or Execution(use_ray=use_ray or ray_address is not None, ray_address=ray_address)
    started = datetime.now(UTC)
    wall = time.perf_counter()
    resolved, local = _devices(device, run)
    plan = make_plan(spec, resolved, cache, log, load_device=local)
    records, ran, cached, failures = run_cells(plan.cells, out / "trials", cache, run, show_progress)
    import argmap

    provenance: dict[str, Any] = {
        "tool": "argmap experiment",
        "tool_version": argmap.__version__,
        "spec": spec.name,
        "spec_digest": spec.digest(),
    }
    results, paths, selected = [], [], {}
    folder = out / "results"
    main = run.rank == 0
    for index, comparison in enumerate(spec.comparisons):
        arms = (comparison.method, comparison.baseline)
        if any(c.key not in records for c in plan.cells if c.method in arms):
            continue  # a trial of this comparison failed: reported, no result
        result, chosen = build_result(spec, comparison, plan, records, provenance)
        selected[f"{comparison.claim}: {comparison.method} vs {comparison.baseline}"] = chosen
        path = folder / f"{_slug(spec.name)}-{index + 1}-{_slug(comparison.claim)}.json"
        if main:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(result.model_dump_json(indent=2, exclude_none=True) + "\n")
            os.replace(tmp, path)
        results.append(result)
        paths.append(path)
    outcome = Outcome(results, paths, ran, cached, round(time.perf_counter() - wall, 2), selected)
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

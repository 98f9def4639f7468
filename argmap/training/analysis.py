"""From trial records to results: select each arm's learning rate on validation, read the
comparison's measurement per seed at that rate, flag what makes the number less trustworthy
(a rate at the edge of its grid, a curve still improving at the last step), and write the
result in the results format (argmap.results.model.Result).

Fairness: every method trains with its own grid; for each comparison, each arm's rate is
the grid value with the best mean *validation* score over the seeds (accuracy, or loss for
loss measurements; a rate with a diverged seed never wins), and the result reports the
measurement of those runs: test, out-of-distribution, source task or curve, never the data
that chose the rate. Runs are paired by seed: the seed fixes initialisation, data order and
training subsample for both arms alike. With a curve of budgets, the rate is selected at
each budget and the per-seed value is the mean over the budgets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from argmap.diagnostics import Diagnostic, Level
from argmap.results.model import Comparison, Direction, Provenance, Result, Run, Setup
from argmap.training.measures import MEASURES, curve_auc, steps_to_target, still_improving
from argmap.training.spec import ComparisonSpec, ExperimentSpec

Records = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Cell:
    method: str
    lr: float
    seed: int
    settings: dict[str, Any]
    key: str
    budget: int | None = None


@dataclass
class Plan:
    cells: list[Cell]
    knobs: dict[tuple[str, int | None], dict[str, Any]]  # (method, budget) -> knob, value, count
    workload: dict[str, Any]
    budgets: list[int | None] = field(default_factory=lambda: [None])


def _diverged(record: dict[str, Any]) -> bool:
    return bool(record.get("diverged"))


def select_lr(
    plan: Plan, records: Records, method: str, metric: str, direction: str, budget: int | None = None
) -> tuple[float, dict[str, float | None]]:
    """The rate with the best mean validation `metric` over seeds (rates with a diverged seed lose)."""
    by_lr: dict[float, list[float | None]] = {}
    for cell in plan.cells:
        if cell.method == method and cell.budget == budget:
            record = records[cell.key]
            value = None if _diverged(record) else record["validation"].get(metric)
            by_lr.setdefault(cell.lr, []).append(value)
    means: dict[str, float | None] = {}
    best: tuple[float, float] | None = None
    for lr, values in sorted(by_lr.items()):
        if any(v is None for v in values):
            means[repr(lr)] = None
            continue
        mean = sum(float(v) for v in values if v is not None) / len(values)
        means[repr(lr)] = round(mean, 6)
        score = mean if direction == "higher" else -mean
        if best is None or score > best[0]:
            best = (score, lr)
    if best is None:
        raise RuntimeError(f"every learning rate of {method} diverged on some seed; lower the grid")
    return best[1], means


SPLIT_MEASURES = (
    "test_acc",
    "eval_acc",
    "test_loss",
    "eval_loss",
    "ood_acc",
    "ood_loss",
    "test_ppl",
    "ood_ppl",
)


def measure_value(comparison: ComparisonSpec, record: dict[str, Any], grid: list[dict[str, Any]]) -> float:
    """The comparison's measurement for one seed: `record` is the seed's trial at the selected
    rate, `grid` the seed's trials at every rate of the grid."""
    name = comparison.measurement
    settings = record["settings"]
    if name in SPLIT_MEASURES:  # a split's section, the metric its suffix names
        split = "ood" if name.startswith("ood") else "test"
        return float(record[split]["eval_" + name.rpartition("_")[2]])
    if name == "retention":
        before = float(record["source_before"]["eval_acc"])
        return float(record["source"]["eval_acc"]) / before if before else 0.0
    if name == "forgetting":
        return float(record["source"]["eval_loss"]) - float(record["source_before"]["eval_loss"])
    if name == "steps_to_target":
        reached = steps_to_target(record["curve"], float(comparison.target or 0.0))
        # not reached within the run: censored at the first evaluation after the budget
        return reached if reached is not None else float(settings["steps"] + settings["eval_every"])
    if name == "val_auc":
        return float(curve_auc(record["curve"]) or 0.0)
    if name in ("lr_worst", "lr_spread"):
        accs = [0.0 if _diverged(r) else float(r["test"]["eval_acc"]) for r in grid]
        return min(accs) if name == "lr_worst" else max(accs) - min(accs)
    return float(record["update"][name])


def _side_metrics(record: dict[str, Any]) -> dict[str, float]:
    """The other numbers of a run worth keeping beside the measurement."""
    out = {f"test_{k[5:]}": float(v) for k, v in record["test"].items()}
    out.update(
        {"eval_acc": float(record["test"]["eval_acc"]), "eval_loss": float(record["test"]["eval_loss"])}
    )
    if "ood" in record:
        out.update({f"ood_{k[5:]}": float(v) for k, v in record["ood"].items()})
    if "source" in record and record.get("source_before", {}).get("eval_acc"):
        out["retention"] = float(record["source"]["eval_acc"]) / float(record["source_before"]["eval_acc"])
    if record.get("curve"):
        out["val_auc"] = float(curve_auc(record["curve"]) or 0.0)
    out.update({k: float(v) for k, v in record.get("update", {}).items() if k != "changed_weights"})
    return {k: v for k, v in out.items() if v == v and abs(v) != float("inf")}


@dataclass
class ArmOutcome:
    """One arm of one comparison: per-seed values, selected rates, warnings, curves."""

    values: dict[int, list[float]] = field(default_factory=dict)  # seed -> value per budget
    side: dict[int, dict[str, list[float]]] = field(default_factory=dict)
    selected: dict[str, float] = field(default_factory=dict)  # budget label -> rate
    validation: dict[str, dict[str, float | None]] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    curves: list[str] = field(default_factory=list)
    adapters: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    by_budget: dict[str, float] = field(default_factory=dict)


def _label(budget: int | None) -> str:
    return "none" if budget is None else str(budget)


def grid_warnings(arm: str, lr: float, grid: list[float], label: str) -> list[dict[str, Any]]:
    """T107 when the selected rate is the lowest or highest of its grid (the best rate may lie
    beyond it), or when the grid has a single rate (nothing was tuned)."""
    where = "" if label == "none" else f" at budget {label}"
    if len(grid) == 1:
        text = f"{arm}: a single learning rate ({lr:g}){where}: nothing was tuned"
    elif lr in (min(grid), max(grid)):
        edge = "lowest" if lr == min(grid) else "highest"
        text = f"{arm}: the selected learning rate {lr:g} is the {edge} of its grid {grid}{where}"
    else:
        return []
    return [{"code": "T107", "arm": arm, "budget": label, "message": text}]


def curve_warnings(arm: str, records: list[dict[str, Any]], metric: str, label: str) -> list[dict[str, Any]]:
    """T108 when validation curves at the selected rate were still improving at the last step."""
    key, better = ("val_acc", "higher") if metric == "eval_acc" else ("val_loss", "lower")
    improving = [r["settings"]["seed"] for r in records if still_improving(r.get("curve", []), key, better)]
    if not improving:
        return []
    where = "" if label == "none" else f" at budget {label}"
    text = (
        f"{arm}: validation {key} still improving at the last step for seed(s) "
        f"{', '.join(map(str, improving))} of {len(records)}{where}: more steps may change the outcome"
    )
    return [{"code": "T108", "arm": arm, "budget": label, "message": text, "seeds": improving}]


def arm_outcome(
    spec: ExperimentSpec, comparison: ComparisonSpec, plan: Plan, records: Records, arm: str
) -> ArmOutcome:
    measure = MEASURES[comparison.measurement]
    metric = measure.selects_on
    select_direction = "higher" if metric == "eval_acc" else "lower"
    out = ArmOutcome()
    for budget in plan.budgets:
        label = _label(budget)
        lr, means = select_lr(plan, records, arm, metric, select_direction, budget)
        out.selected[label], out.validation[label] = lr, means
        cells = [c for c in plan.cells if c.method == arm and c.budget == budget]
        chosen = [records[c.key] for c in cells if c.lr == lr]
        for record in chosen:
            seed = record["settings"]["seed"]
            grid = [records[c.key] for c in cells if c.seed == seed]
            out.values.setdefault(seed, []).append(measure_value(comparison, record, grid))
            for k, v in _side_metrics(record).items():
                out.side.setdefault(seed, {}).setdefault(k, []).append(v)
            out.curves.append(f"../trials/{record['key']}.curve.jsonl")
            if record.get("adapter_file"):
                out.adapters.append(f"../trials/{record['adapter_file']}")
        out.records.extend(chosen)
        out.by_budget[label] = round(sum(v[-1] for v in out.values.values()) / max(1, len(out.values)), 6)
        out.warnings += grid_warnings(arm, lr, spec.grid(arm), label)
        out.warnings += curve_warnings(arm, chosen, metric, label)
    return out


def _runs(arm: str, outcome: ArmOutcome, measurement: str) -> list[Run]:
    runs = []
    for seed in sorted(outcome.values):
        values = outcome.values[seed]
        metrics = {k: sum(v) / len(v) for k, v in outcome.side.get(seed, {}).items()}
        metrics[measurement] = sum(values) / len(values)
        runs.append(Run(seed=seed, method=arm, metrics=metrics))
    return runs


def build_result(
    spec: ExperimentSpec,
    comparison: ComparisonSpec,
    plan: Plan,
    records: Records,
    provenance: dict[str, Any],
) -> tuple[Result, dict[str, float], list[dict[str, Any]]]:
    """(the result, the selected rates by arm, the warnings)."""
    arms = (comparison.method, comparison.baseline)
    outcomes = {arm: arm_outcome(spec, comparison, plan, records, arm) for arm in arms}
    single = plan.budgets == [None] or len(plan.budgets) == 1
    selected: dict[str, Any] = {
        arm: (next(iter(o.selected.values())) if single else o.selected) for arm, o in outcomes.items()
    }
    warnings = [w for o in outcomes.values() for w in o.warnings]
    cell_records = [r for o in outcomes.values() for r in o.records]
    measure = comparison.measurement
    result = Result(
        claim=comparison.claim,
        comparison=Comparison(
            method=comparison.method,
            baseline=comparison.baseline,
            metric=measure,
            direction=Direction(comparison.better),
            min_effect={measure: comparison.min_effect} if comparison.min_effect is not None else {},
        ),
        runs=[run for arm in arms for run in _runs(arm, outcomes[arm], measure)],
        setup=Setup(
            model=plan.workload["name"].split("/")[0],
            dataset=plan.workload["name"].split("/", 1)[-1],
            steps=spec.steps,
            hyperparameters=_hyperparameters(spec, comparison, plan, outcomes, selected, warnings),
            task=spec.task.model_dump(mode="json"),
            base_model=spec.model.model_dump(mode="json"),
            base_metrics=_base_metrics(plan.workload),
            trials=[r["key"] for r in cell_records],
            steps_per_second={
                arm: _mean([r["steps_per_second"] for r in o.records]) for arm, o in outcomes.items()
            },
        ),
        provenance=Provenance(**trial_provenance(provenance, cell_records)),
        weight=comparison.weight,
        note=f"argmap experiment {spec.name}: {comparison.method} vs {comparison.baseline} on {measure}",
    )
    return result.with_id(), selected, warnings


def _base_metrics(workload: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: workload[k] for k in ("base_test_acc", "base_test_loss") if k in workload}
    if "source_before" in workload:
        out["base_source"] = workload["source_before"]
    if "base_ood" in workload:
        out["base_ood"] = workload["base_ood"]
    return out


def _hyperparameters(
    spec: ExperimentSpec,
    comparison: ComparisonSpec,
    plan: Plan,
    outcomes: dict[str, ArmOutcome],
    selected: dict[str, Any],
    warnings: list[dict[str, Any]],
) -> dict[str, Any]:
    measure = MEASURES[comparison.measurement]
    arms = list(outcomes)
    out: dict[str, Any] = {
        "measure": comparison.measurement,
        "measure_summary": measure.summary,
        "rationale": comparison.rationale,
        "batch_size": spec.batch_size,
        "selected_learning_rates": selected,
        "learning_rate_grids": {arm: spec.grid(arm) for arm in arms},
        "selection": f"best mean validation {measure.selects_on} over seeds; "
        f"reported: {measure.summary} at the selected rate",
        "validation_means": {arm: _single(o.validation) for arm, o in outcomes.items()},
        "per_seed": {arm: {str(s): v for s, v in o.values.items()} for arm, o in outcomes.items()},
        "methods": {arm: _method_settings(spec, plan, arm) for arm in arms},
        "budget": spec.budget.model_dump(mode="json"),
        "seeds": spec.seeds,
        "eval_every": spec.evaluate_every,
        "warnings": warnings,
        "curves": {arm: o.curves for arm, o in outcomes.items()},
    }
    if comparison.target is not None:
        out["target"] = comparison.target
    if len(plan.budgets) > 1:
        out["budget_curve"] = {arm: o.by_budget for arm, o in outcomes.items()}
    if any(o.adapters for o in outcomes.values()):
        out["adapters"] = {arm: o.adapters for arm, o in outcomes.items()}
    return out


def _single(by_budget: dict[str, Any]) -> Any:
    return next(iter(by_budget.values())) if len(by_budget) == 1 else by_budget


def _method_settings(spec: ExperimentSpec, plan: Plan, arm: str) -> dict[str, Any]:
    knobs = {_label(b): plan.knobs[(arm, b)] for b in plan.budgets}
    settings = spec.methods[arm].model_dump(mode="json", exclude={"learning_rates"})
    return {**settings, **_single(knobs)} if len(knobs) == 1 else {**settings, "by_budget": knobs}


def warning_diagnostics(spec: ExperimentSpec, warnings: list[dict[str, Any]]) -> list[Diagnostic]:
    """The warnings as diagnostics located at the method in the spec."""
    return [
        spec.diagnostic(
            w["code"],
            w["message"],
            ("methods", w["arm"]),
            "widen the grid past this rate" if w["code"] == "T107" else "raise `steps:`",
            Level.WARNING,
        )
        for w in warnings
    ]


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

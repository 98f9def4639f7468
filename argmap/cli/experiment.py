"""`argmap experiment run|methods`: adapter fine-tuning comparisons that test a map's claims.

Registered on the shared typer app by one line at the end of app.py. torch, transformers,
peft and ray are imported only inside the commands (and ray only with --ray), so
`argmap check`, `score` and `attach` never load them. See docs/training.md.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from argmap.cli.common import app, typer_app

if TYPE_CHECKING:
    from argmap.diagnostics import Diagnostic

experiment_app = typer_app(
    "experiment",
    "Run adapter fine-tuning comparisons that test a map's claims (needs the train extra).",
)
app.add_typer(experiment_app, name="experiment")


def _fail(diagnostics: list[Diagnostic], status: int = 1) -> typer.Exit:
    from argmap.render.diagnostics import render_human

    sys.stderr.write(render_human(diagnostics, {}, 1))
    return typer.Exit(status)


def _require(names: list[str] | None = None) -> None:
    from argmap.training import INSTALL_HINT, missing_packages

    missing = missing_packages(names)
    if missing:
        sys.stderr.write(f"argmap experiment needs {', '.join(missing)}: {INSTALL_HINT}\n")
        raise typer.Exit(2)


def _quiet() -> None:
    import logging
    import warnings

    warnings.filterwarnings("ignore", module="peft")
    warnings.filterwarnings("ignore", category=UserWarning)
    # transformers' deprecation notices are about its own API, not the user's run
    warnings.filterwarnings("ignore", category=FutureWarning)
    for name in ("transformers", "peft"):
        logging.getLogger(name).setLevel(logging.ERROR)


_Attach = Annotated[
    str | None, typer.Option("--attach", help="Attach the results to this map and show what moved.")
]
_Ray = Annotated[
    bool,
    typer.Option(
        "--ray",
        help="Run trials as Ray remote tasks: ray.init() starts a local cluster (or joins "
        "the one in $RAY_ADDRESS).",
    ),
]
_RayAddress = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        metavar="ADDRESS",
        help="Run trials on the Ray cluster at ADDRESS (implies --ray); 'auto' joins a running one.",
    ),
]
_Cache = Annotated[
    Path | None,
    typer.Option("--cache", help="Pre-trained model cache (default $ARGMAP_CACHE or ~/.cache/argmap)."),
]


@experiment_app.command("run")
def run_command(
    spec_file: Annotated[str, typer.Argument(help="The experiment spec (YAML).")],
    attach: _Attach = None,
    device: Annotated[str, typer.Option("--device", help="cpu, cuda or auto.")] = "cpu",
    ray: _Ray = False,
    ray_address: _RayAddress = None,
    retries: Annotated[
        int,
        typer.Option(
            "--retries",
            min=0,
            help="With --ray: run a trial that fails (or whose worker dies) again up to N times.",
        ),
    ] = 1,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (trials/ and results/).")] = None,
    cache: _Cache = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress display.")] = False,
    save_adapters: Annotated[
        bool,
        typer.Option(
            "--save-adapters", help="Keep each trial's adapter weights (trials/KEY.adapter.safetensors)."
        ),
    ] = False,
    threads: Annotated[int | None, typer.Option("--threads", min=1, help="torch CPU threads.")] = None,
) -> None:
    """Train every (method x learning rate x seed) cell the spec needs, select each method's rate
    on the validation split, and write one result per comparison (results/*.json).

    Finished trials are cached in OUT/trials by the hash of their settings: a re-run skips
    them and an interrupted run resumes. `--ray` runs them on a local Ray cluster,
    `--ray-address ADDRESS` on an existing one (one GPU per trial with --device cuda).
    Under `accelerate launch` (several GPUs) every process trains its share of each batch
    and the first writes the results. Exit status: 0; 1 for an invalid spec or claim
    (T101-T106) or a trial that failed (T109); 2 for a missing extra or I/O problems.
    """
    from argmap.training.spec import SpecError, load_spec

    if device not in ("cpu", "cuda", "auto"):
        raise typer.BadParameter("expected cpu, cuda or auto", param_hint="--device")
    try:
        spec = load_spec(spec_file)
    except SpecError as exc:
        raise _fail(exc.diagnostics) from None
    if attach is not None:
        _check_claims(spec, spec_file, attach)
    use_ray = ray or ray_address is not None
    _prepare(use_ray, threads)
    from argmap.training.runner import Execution

    execution = Execution(use_ray=use_ray, ray_address=ray_address or None, retries=retries)
    if use_ray and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        sys.stderr.write("argmap experiment: --ray and `accelerate launch` are alternatives; use one\n")
        raise typer.Exit(2)
    folder = out or Path("experiments") / spec.name
    outcome = _run(spec, folder, device, cache, execution, not no_progress, save_adapters)
    if execution.rank != 0:
        return  # a data-parallel helper process: rank 0 reports
    if outcome.warnings:
        from argmap.render.diagnostics import render_human
        from argmap.training.analysis import warning_diagnostics

        sys.stderr.write(render_human(warning_diagnostics(spec, outcome.warnings), {}, 1))
    sys.stdout.write(_summary(spec.name, outcome))
    if attach is not None:
        _attach_all(attach, outcome.paths)
    if outcome.failures:
        raise _fail([_failure(spec, f) for f in outcome.failures])


def _check_claims(spec: Any, spec_file: str, attach: str) -> None:
    """Every claim the spec names exists in the map it will be attached to (T104)."""
    from argmap.grammar import parse_file
    from argmap.training.spec import check_claims

    document = parse_file(attach)
    if any(d.code.startswith("F") for d in document.diagnostics):
        raise _fail(list(document.diagnostics), 2)
    problems = check_claims(spec, document.statements, spec_file, Path(spec_file).read_text("utf-8"))
    if problems:
        raise _fail(problems)


def _prepare(use_ray: bool, threads: int | None) -> None:
    """The train (and ray) extras present, their warnings quiet, torch's CPU threads set."""
    _require()
    if use_ray:
        _require(["ray"])
    _quiet()
    import torch

    if threads:
        torch.set_num_threads(threads)


def _run(
    spec: Any,
    folder: Path,
    device: str,
    cache: Path | None,
    execution: Any,
    progress: bool,
    save_adapters: bool,
) -> Any:
    """run_experiment, with the problems found once the model is loaded as diagnostics: an
    unmeetable budget (T105), a method peft rejects (T102); a dataset or model that is not
    there, or a device the cluster lacks, is exit 2."""
    from argmap.training.causal_lm import DataError
    from argmap.training.datasets import DatasetNotAvailable
    from argmap.training.models import ModelNotAvailable
    from argmap.training.runner import ExecutionError, run_experiment
    from argmap.training.spec import SpecError

    try:
        return run_experiment(
            spec,
            folder,
            device=device,
            cache=cache,
            show_progress=progress,
            log=_log,
            execution=execution,
            progress_mode="live" if sys.stderr.isatty() else "log",
            save_adapters=save_adapters,
        )
    except SpecError as exc:
        raise _fail(exc.diagnostics) from None
    except (ExecutionError, DatasetNotAvailable, ModelNotAvailable, DataError) as exc:
        sys.stderr.write(f"argmap experiment: {exc}\n")
        raise typer.Exit(2) from None


def _failure(spec: Any, failure: Any) -> Diagnostic:
    """T109 for a trial that failed on every attempt, located at its method in the spec."""
    return spec.diagnostic(  # type: ignore[no-any-return]
        "T109",
        f"trial {failure.method} lr {failure.lr:g} seed {failure.seed} failed "
        f"({failure.attempts} attempt{'s' if failure.attempts != 1 else ''}): {failure.error}",
        ("methods", failure.method),
        "fix the cause and run the same command again: finished trials come from the cache, "
        "only the failed ones run; comparisons that need this trial have no result yet",
    )


def _summary(name: str, outcome: Any) -> str:
    """One line for the run, one per result written."""
    lines = [
        f"{name}: {outcome.trials_run} trial(s) run, {outcome.trials_cached} from cache, "
        f"{outcome.wall_seconds:.1f}s"
    ]
    for result, path in zip(outcome.results, outcome.paths, strict=True):
        c = result.comparison
        method, baseline = result.arm(c.method), result.arm(c.baseline)
        lrs = result.setup.hyperparameters["selected_learning_rates"]
        lines.append(
            f"  [{result.claim}] {c.method} {_mean(method):.4f} vs {c.baseline} {_mean(baseline):.4f} "
            f"({c.metric}, {c.direction} is better; {len(method)} seeds; "
            f"lr {_rates(lrs[c.method])} / {_rates(lrs[c.baseline])}) -> {path}"
        )
    return "\n".join(lines) + "\n"


def _rates(value: Any) -> str:
    """A selected rate, or the rates per budget of a budget curve."""
    if isinstance(value, dict):
        return ", ".join(f"{rate:g}@{budget}" for budget, rate in value.items())
    return f"{value:g}"


def _log(line: str) -> None:
    sys.stderr.write(line + "\n")


def _mean(values: dict[int, float]) -> float:
    return sum(values.values()) / max(1, len(values))


def _attach_all(map_path: str, paths: list[Path]) -> None:
    """`argmap attach MAP RESULT` for each result: the same validation, storage and report."""
    from argmap.cli.results import attach as attach_command

    for path in paths:
        try:
            attach_command(path=map_path, result_file=str(path))  # every option at its default
        except typer.Exit as exc:
            if exc.exit_code:
                raise


@experiment_app.command("methods")
def methods_command(
    model: Annotated[
        str, typer.Option("--model", help="tiny, minilm, smollm2 or a local model folder.")
    ] = "tiny",
    budget: Annotated[
        int | None, typer.Option("--budget", help="Show the knob value matching this parameter budget.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="human or json.")] = "human",
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Unused: counts need a model's shapes, not its training.")
    ] = None,
) -> None:
    """List the methods with their trainable-parameter counts on a model (the tiny model
    is built untrained: the counts depend on its shapes only)."""
    _require()
    _quiet()
    from argmap.training.methods import DESCRIPTIONS, KNOBS, apply
    from argmap.training.sizes import match_budget
    from argmap.training.spec import METHOD_TYPES, MethodSpec, ModelSpec, TaskSpec

    if model in ("tiny", "minilm", "smollm2"):
        model_spec = ModelSpec(name=model)
    else:
        model_spec = ModelSpec(name="local", path=model)
    task = TaskSpec() if model == "tiny" else TaskSpec(name="local", path="-")
    if model == "tiny":
        from argmap.training.models import untrained_tiny

        base, classifier = untrained_tiny(model_spec, task), False
    else:
        from argmap.training.models import ModelNotAvailable, load_classifier

        try:
            base, _ = load_classifier(model_spec, 3)
        except ModelNotAvailable as exc:
            sys.stderr.write(f"{exc}\n")
            raise typer.Exit(2) from None
        classifier = True
    total = sum(p.numel() for p in base.parameters())
    rows: list[dict[str, Any]] = []
    for method in METHOD_TYPES:
        spec = MethodSpec(type=method)
        try:
            if budget is not None:
                value, n = match_budget(base, spec, budget, classifier)
            else:
                prepared = apply(base, spec, None, classifier)
                value, n = prepared.value, prepared.inference
        except Exception as exc:  # a method that does not fit this model's shapes
            rows.append({"method": method, "error": str(exc)[:120]})
            continue
        rows.append(
            {
                "method": method,
                "knob": KNOBS.get(method, (None, []))[0],
                "value": value,
                "trainable": n,
                "percent": round(100.0 * n / total, 3),
                "description": DESCRIPTIONS[method],
            }
        )
        if method == "lora_over":
            from argmap.training.overlora_report import method_report

            rows[-1].update(method_report(base, value or 8, classifier))
    if output_format == "json":
        sys.stdout.write(json.dumps({"model": model, "parameters": total, "methods": rows}, indent=2) + "\n")
        return
    lines = [f"{model}: {total:,} parameters" + (f"; budget {budget:,}" if budget else "")]
    for row in rows:
        if "error" in row:
            lines.append(f"  {row['method']:<16} (does not fit: {row['error']})")
            continue
        knob = f"{row['knob']}={row['value']}" if row["knob"] else "-"
        lines.append(
            f"  {row['method']:<16} {knob:<16} {row['trainable']:>10,} ({row['percent']:.2f}%)  "
            f"{row['description']}"
        )
    sys.stdout.write("\n".join(lines) + "\n")


@experiment_app.command("plan")
def plan_command(
    map_path: Annotated[str, typer.Argument(help="The argument map whose claims experiments would test.")],
    specs: Annotated[
        list[Path] | None,
        typer.Option("--specs", help="Spec files or folders (default: examples/experiments)."),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="human or json.")] = "human",
) -> None:
    """List the map's claims that experiments could bear on (the premises and conclusions of
    its arguments), which specs test each and with what measurement, and which have none.

    Needs no training extra. Exit status: 0; 1 when a spec is invalid or names a claim
    that is not in the map (diagnostics on stderr); 2 for an unreadable map.
    """
    from argmap.grammar import parse_file
    from argmap.training.plan import build_plan, render_plan

    if output_format not in ("human", "json"):
        raise typer.BadParameter("expected human or json", param_hint="--format")
    document = parse_file(map_path)
    if any(d.code.startswith("F") for d in document.diagnostics):
        raise _fail(list(document.diagnostics), 2)
    paths = list(specs) if specs else [Path("examples/experiments")]
    plan, problems = build_plan(document, paths)
    if output_format == "json":
        sys.stdout.write(json.dumps(plan, indent=2) + "\n")
    else:
        sys.stdout.write(render_plan(plan))
    if problems:
        raise _fail(problems)

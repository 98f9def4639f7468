"""`argmap score MAP|graph.bag`: the thesis's credence, its interval, why, and what matters.

Registered on the shared typer app; numpy and the engine are imported inside the
command, so `argmap --help` and `argmap check` never load them.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from argmap import jsonout
from argmap.cli.common import OutputFileOption, SeedOption, app, refuse_combination, write_output
from argmap.engine import DEFAULT_SEMANTICS

if TYPE_CHECKING:
    from argmap.engine.api import ScoreResult


class ScoreFormat(StrEnum):
    human = "human"
    json = "json"


_Path = Annotated[str, typer.Argument(help="An Argdown map, or a .bag QBAF (Uncertainpy's format).")]
_Semantics = Annotated[
    str,
    typer.Option("--semantics", "-s", help="logodds (default), dfquad, qe, euler, quad or vargdown-compat."),
]
_AllSemantics = Annotated[
    bool, typer.Option("--all-semantics", help="Every semantics side by side, with the spread between them.")
]
_Samples = Annotated[int, typer.Option("--samples", "-n", min=0, help="Monte Carlo samples (0: none).")]
_Concentration = Annotated[
    float,
    typer.Option(
        "--concentration", min=0.01, help="Beta concentration of every stated credence and inference."
    ),
]
_Thesis = Annotated[
    str | None, typer.Option("--thesis", help="Score this claim instead of the thesis argmap finds.")
]
_Explain = Annotated[bool, typer.Option("--explain", help="Show how the thesis's strength is made.")]
_Cruxes = Annotated[
    int, typer.Option("--cruxes", min=0, help="Show the K inputs and arguments that matter most.")
]
_Set = Annotated[
    list[str] | None,
    typer.Option("--set", help="What-if: NAME=VALUE (a premise's credence, <Argument>'s inference)."),
]
_Remove = Annotated[
    list[str] | None, typer.Option("--remove", help="What-if: drop an argument or claim (<A> or [C]).")
]
_Format = Annotated[ScoreFormat, typer.Option("--format", help="Output format.")]
_NoResults = Annotated[
    bool, typer.Option("--no-results", help="Leave the attached experimental results out.")
]
_Rho = Annotated[
    float,
    typer.Option(
        "--rho",
        min=0.0,
        max=1.0,
        help="Correlation among arguments bearing on one claim (0: independent; logodds, qe, euler).",
    ),
]
_RhoInterval = Annotated[
    str | None,
    typer.Option("--rho-interval", metavar="LO,HI", help="A 90% interval for --rho: sample it as an input."),
]


@app.command()
def score(
    path: _Path,
    semantics: _Semantics = DEFAULT_SEMANTICS,
    all_semantics: _AllSemantics = False,
    samples: _Samples = 10_000,
    seed: SeedOption = 0,
    concentration: _Concentration = 20.0,
    thesis: _Thesis = None,
    explain: _Explain = False,
    cruxes: _Cruxes = 0,
    set_values: _Set = None,
    remove: _Remove = None,
    output_format: _Format = ScoreFormat.human,
    output_file: OutputFileOption = None,
    no_results: _NoResults = False,
    rho: _Rho = 0.0,
    rho_interval: _RhoInterval = None,
) -> None:
    """Score a map: the thesis's credence under a gradual semantics, with a Monte Carlo interval.

    Exit status: 0; 1 when the map has errors (a score may still be printed) or cannot
    be scored (no thesis, no convergence); 2 for usage or I/O problems. See
    docs/scoring.md for the semantics and the JSON schema.
    """
    if all_semantics:
        per_semantics = {
            "--cruxes": cruxes > 0,
            "--explain": explain,
            "--set": bool(set_values),
            "--remove": bool(remove),
            "--semantics": semantics != DEFAULT_SEMANTICS,
        }
        refuse_combination("score", "--all-semantics", [name for name, on in per_semantics.items() if on])
    from argmap.engine.api import ScoreError, score_all
    from argmap.engine.api import score as run_score
    from argmap.engine.whatif import WhatIfError
    from argmap.render.diagnostics import render_human

    options: dict[str, Any] = {
        "rho": rho,
        "rho_interval": _rho_interval(rho, rho_interval),
        "bottom_line": True,
        "samples": samples,
        "seed": seed,
        "concentration": concentration,
        "explain": explain,
        "cruxes": cruxes,
        "set_values": set_values or None,
        "remove": remove or None,
    }
    if not no_results:
        from argmap.results.rescore import with_results

        score_all, run_score = with_results(path, score_all, run_score)
    try:
        if all_semantics:
            results = score_all(path, thesis=thesis, **options)
        else:
            results = {semantics: run_score(path, semantics=semantics, thesis=thesis, **options)}
    except ScoreError as exc:
        sys.stderr.write(render_human(exc.diagnostics, {}, 1))
        io = any(d.code.startswith("F") for d in exc.diagnostics)
        raise typer.Exit(2 if io else 1) from None
    except (WhatIfError, ValueError) as exc:
        sys.stderr.write(f"argmap score: {exc}\n")
        raise typer.Exit(2) from None
    first = next(iter(results.values()))
    # any error in the map (a syntax error too) is a finding, even when a score is printed
    errors = [d for d in first.diagnostics if d.level.value == "error"]
    moved = None
    if explain and not no_results and not all_semantics and first.converged:
        from argmap.results.rescore import results_table

        # what the attached results moved: scores without them (before) and with them (after)
        moved = results_table(path, first, semantics, thesis, set_values or None, remove or None)
    text = _output(results, first, moved, output_format, all_semantics, path)
    if write_output(text, output_file):
        raise typer.Exit(2)
    converged = all(r.converged for r in results.values())
    raise typer.Exit(1 if errors or not converged else 0)


def _output(
    results: dict[str, ScoreResult],
    first: ScoreResult,
    moved: Any,
    output_format: ScoreFormat,
    side_by_side: bool,
    path: str = "",
) -> str:
    """What `score` prints (diagnostics of the human form go to stderr here)."""
    from argmap.diagnostics import printable
    from argmap.render.diagnostics import render_human

    if output_format is ScoreFormat.json:
        if side_by_side:
            payload: dict[str, Any] = {
                "semantics": {name: r.to_json() for name, r in results.items()},
                "spread": _spread(results),
            }
        else:
            payload = first.to_json()
        if moved is not None:
            payload["attached_results"] = moved.to_json()
        return jsonout.dumps(payload)
    shown = [d for d in first.diagnostics if d.level.value != "info"]
    if shown:
        sys.stderr.write(render_human(shown, _sources(path), 1))
    text = render_table(results) if side_by_side else render_result(first)
    if moved is not None:
        from argmap.results.rescore import render_report

        text += "\nWhat the attached results moved (without -> with them):\n"
        text += render_report(moved, "attached")
    return printable(text)  # titles and results' names, never raw control characters


def _sources(path: str) -> dict[str, list[str]]:
    """The map's lines, so diagnostics on stderr show the same excerpt `check` does."""
    from argmap.grammar import parse_file

    return {path: parse_file(path).lines} if not path.endswith(".bag") else {}


def _rho_interval(rho: float, text: str | None) -> tuple[float, float] | None:
    """`--rho-interval LO,HI`: two numbers with 0 <= LO <= rho <= HI <= 1 (usage error otherwise)."""
    if text is None:
        return None
    try:
        lo, hi = (float(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(
            "give two numbers LO,HI, e.g. 0.1,0.5", param_hint="--rho-interval"
        ) from None
    if not 0.0 <= lo <= rho <= hi <= 1.0:
        raise typer.BadParameter(
            f"need 0 <= LO <= --rho ({rho:g}) <= HI <= 1, got {text}", param_hint="--rho-interval"
        )
    return (lo, hi)


def _spread(results: dict[str, ScoreResult]) -> float | None:
    values = [r.thesis.credence for r in results.values() if r.thesis.credence is not None]
    return round(max(values) - min(values), 6) if values else None


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _interval(result: ScoreResult) -> str:
    iv = result.thesis.interval
    return "" if iv is None else f"[{iv[0]:.3f}, {iv[1]:.3f}]"


def render_result(result: ScoreResult) -> str:
    t = result.thesis
    line = result.bottom_line
    span = ""
    if line is not None and line.model_range is not None:
        span = f"  model range {line.model_range[0]:.3f}-{line.model_range[1]:.3f} (over semantics and rho)"
    lines = [f"[{t.title}]  {_fmt(t.credence)}  ({result.semantics}){span}"]
    if t.interval is not None:
        lines.append(
            f"  90% interval {_interval(result)}, mean {_fmt(t.mean)}, median {_fmt(t.median)} "
            f"({result.samples} samples, seed {result.seed}, concentration {result.concentration:g})"
        )
    if not result.converged:
        lines.append("  did not converge: no value")
    lines.extend(_rests_on(result))
    if result.whatif is not None:
        w = result.whatif
        changes = [f"{k}={v:g}" for k, v in w.set.items()] + [f"without {r}" for r in w.removed]
        lines.append(
            f"  what if {', '.join(changes)}: {_fmt(w.before.credence)} -> {_fmt(w.after.credence)}"
            + (
                ""
                if w.before.interval is None or w.after.interval is None
                else f"  (interval [{w.before.interval[0]:.3f}, {w.before.interval[1]:.3f}] -> "
                f"[{w.after.interval[0]:.3f}, {w.after.interval[1]:.3f}])"
            )
        )
    if result.cruxes:
        lines.append("")
        lines.append("Cruxes (inputs, by swing across their 90% interval):")
        lines.append(f"  {'input':<48} {'value':>6} {'swing':>15} {'grad':>7} {'sobol':>6}  crosses 0.5 at")
        for c in result.cruxes:
            sobol, cross = c.shown()
            swing = f"{c.swing[0]:.3f}-{c.swing[1]:.3f}"
            lines.append(
                f"  {c.input[:48]:<48} {c.value:6.2f} {swing}{c.gradient:+8.3f} {sobol or '-':>6}  {cross}"
            )
    if result.contributions:
        lines.append("")
        lines.append("Contributions to the thesis (removal / Shapley):")
        for k in result.contributions:
            mark = "" if k.shapley_exact else " (sampled)"
            lines.append(f"  {k.removal:+.3f} / {k.shapley:+.3f}{mark}  {k.name}")
    if result.explanation is not None:
        from argmap.engine.explain import render_explanation

        lines.append("")
        lines.append(render_explanation(result.explanation).rstrip("\n"))
    return "\n".join(lines) + "\n"


def render_table(results: dict[str, ScoreResult]) -> str:
    first = next(iter(results.values()))
    lines = [f"[{first.thesis.title}]", f"  {'semantics':<16} {'credence':>8}  {'90% interval':<18}"]
    for name, r in results.items():
        lines.append(f"  {name:<16} {_fmt(r.thesis.credence):>8}  {_interval(r):<18}")
    spread = _spread(results)
    if spread is not None:
        lines.append(f"  spread between semantics: {spread:.3f} (model uncertainty, beyond the inputs')")
    lines.extend(_rests_on(first))
    return "\n".join(lines) + "\n"


def _rests_on(result: ScoreResult) -> list[str]:
    """What the number rests on: the semantics chosen and independence (the bottom line)."""
    from argmap.engine.types import describe_part

    line = result.bottom_line
    if line is None:
        return []
    out = ["  rests on:"]
    out += [f"    {sentence}" for sentence in line.sentences()]
    out += [f"    {describe_part(part)}" for part in line.cluster_parts]
    if result.rho:
        out.append(f"    scored at rho = {result.rho:g} (--rho)")
    return out

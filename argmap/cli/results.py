"""`argmap attach`, `argmap results schema|list|detach` and `argmap diff` (results/diff.py).

Registered on the shared typer app by one line at the end of app.py; numpy, scipy and
the engine are imported inside the commands, so `argmap check` never loads them.
"""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from argmap import jsonout
from argmap.cli.common import OutputFileOption, SeedOption, app, refuse_combination, typer_app, write_output
from argmap.engine import DEFAULT_SEMANTICS

if TYPE_CHECKING:
    from argmap.diagnostics import Diagnostic
    from argmap.model import Document

results_app = typer_app("results", "Experimental results attached to a map: schema, list, detach.")
app.add_typer(results_app, name="results")


class Format(StrEnum):
    human = "human"
    json = "json"


def _fail(diagnostics: Sequence[Diagnostic], status: int = 1) -> typer.Exit:
    from argmap.render.diagnostics import render_human

    sys.stderr.write(render_human(list(diagnostics), {}, 1))
    return typer.Exit(status)


_Claim = Annotated[str | None, typer.Option("--claim", help="CSV: the claim's title.")]
_Method = Annotated[str | None, typer.Option("--method", help="CSV: the method the claim favours.")]
_Baseline = Annotated[str | None, typer.Option("--baseline", help="CSV: the baseline.")]
_Metric = Annotated[str | None, typer.Option("--metric", help="CSV: the metric column.")]
_LowerIsBetter = Annotated[
    bool, typer.Option("--lower-is-better", help="CSV: lower values of the metric are better.")
]
_MinEffect = Annotated[
    float | None, typer.Option("--min-effect", min=0.0, help="CSV: smallest meaningful effect.")
]
_Weight = Annotated[
    float | None,
    typer.Option("--weight", min=0.0, max=1.0, help="Relevance weight w: the Bayes factor enters as BF^w."),
]
_DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would move; store nothing.")]
_IntoMap = Annotated[
    bool, typer.Option("--into-map", help="Also add an #experiment statement linking the result file.")
]


@app.command()
def attach(
    path: Annotated[str, typer.Argument(help="The Argdown map.")],
    result_file: Annotated[str, typer.Argument(help="A result JSON file, or a long-form CSV of runs.")],
    claim: _Claim = None,
    method: _Method = None,
    baseline: _Baseline = None,
    metric: _Metric = None,
    lower_is_better: _LowerIsBetter = False,
    min_effect: _MinEffect = None,
    weight: _Weight = None,
    semantics: Annotated[
        str, typer.Option("--semantics", "-s", help="Semantics of the report.")
    ] = DEFAULT_SEMANTICS,
    samples: Annotated[int, typer.Option("--samples", "-n", min=0, help="Monte Carlo samples.")] = 2000,
    seed: SeedOption = 0,
    dry_run: _DryRun = False,
    into_map: _IntoMap = False,
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.human,
    output_file: OutputFileOption = None,
) -> None:
    """Validate a result, store it next to the map, and show what moved and why.

    Exit status: 0; 1 when the result file is invalid (nothing is stored); 2 for usage
    or I/O problems. See docs/results.md.
    """
    from argmap.engine.api import ScoreError
    from argmap.results.evidence import assess
    from argmap.results.rescore import attach_report, attached_evidence, render_report
    from argmap.results.validate import CsvOptions, check_claim, load_result

    refuse_combination("attach", "--dry-run", ["--into-map"] if dry_run and into_map else [])
    options = CsvOptions(claim, method, baseline, metric, lower_is_better, min_effect)  # the fields' order
    loaded = load_result(result_file, options)
    if loaded.result is None:
        raise _fail(loaded.diagnostics, 2 if loaded.unreadable else 1)
    result = loaded.result
    if into_map:
        from argmap.results.mapfile import unsafe_text

        refused = unsafe_text(result, result_file)
        if refused is not None:
            raise _fail([refused])
    if weight is not None:
        result = result.model_copy(update={"weight": weight})
    from argmap.grammar import parse_file

    document = parse_file(path)
    if any(d.code.startswith("F") for d in document.diagnostics):
        raise _fail(list(document.diagnostics), 2)
    problem = check_claim(result, document.statements, result_file)
    if problem is not None:
        raise _fail([problem])
    _refuse_attached_twice(path, result.id, result_file)
    existing, warnings = attached_evidence(path, document)
    new = assess([*(e.result for e in existing), result])[-1:]
    try:
        report = attach_report(path, new, semantics, samples, seed, existing=existing)
    except ScoreError as exc:
        raise _fail(exc.diagnostics) from None
    if not dry_run:
        _store(path, result, new[0], into_map)
    if warnings:
        from argmap.render.diagnostics import render_human

        sys.stderr.write(render_human(warnings, {}, 1))
    from argmap.diagnostics import printable

    if output_format is Format.json:
        text = jsonout.dumps(report.to_json())
    else:
        text = printable(render_report(report, "would attach" if dry_run else "attached"))
    raise typer.Exit(write_output(text, output_file))


def _refuse_attached_twice(path: str, result_id: str, result_file: str) -> None:
    """R106 when the map already has this result."""
    from argmap.results import store

    try:
        target = store.result_path(path, result_id)
    except store.StoreError as exc:
        raise _fail(exc.diagnostics) from None
    if target.exists():
        raise _fail(
            [
                problem_of(
                    "R106",
                    f"result {result_id} is already attached ({target})",
                    result_file,
                    f"detach it first: argmap results detach {path} {result_id[:8]}",
                )
            ]
        )


def _store(path: str, result: Any, evidence: Any, into_map: bool) -> None:
    """Save the result next to the map (and, with --into-map, link it from the map)."""
    from argmap.cli.commands import unwritable
    from argmap.results import store

    target = store.result_path(path, result.id)
    try:
        saved = store.save(path, result)
    except store.StoreError as exc:
        raise _fail(exc.diagnostics) from None
    except (FileExistsError, NotADirectoryError):  # a file where the results folder goes
        in_the_way = OSError(errno.ENOTDIR, "a file is where the results folder must go")
        raise _fail([unwritable(target.parent, in_the_way)], 2) from None
    except OSError as exc:  # read-only, a full disk...
        raise _fail([unwritable(target, exc)], 2) from None
    if into_map:
        from argmap.results.mapfile import link_into_map

        try:
            link_into_map(path, saved, evidence)
        except OSError as exc:
            raise _fail([unwritable(path, exc)], 2) from None


def problem_of(code: str, message: str, file: str, hint: str | None = None) -> Diagnostic:
    from argmap.results.validate import diagnostic

    return diagnostic(code, message, file, hint=hint)


@results_app.command("schema")
def schema_command(
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print the JSON schema of a result file."""
    from argmap.results.schema import result_schema

    raise typer.Exit(write_output(jsonout.dumps(result_schema()), output_file))


@results_app.command("list")
def list_command(
    path: Annotated[str, typer.Argument(help="The Argdown map.")],
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.human,
) -> None:
    """List the results attached to a map, with their Bayes factors and applied factors."""
    from argmap.grammar import parse_file
    from argmap.results.rescore import attached_evidence
    from argmap.results.store import store_dir

    document = parse_file(path)
    evidence, warnings = attached_evidence(path, document)
    if warnings:
        from argmap.render.diagnostics import render_human

        sys.stderr.write(render_human(warnings, {}, 1))
    if output_format is Format.json:
        text = json.dumps({"results": [e.to_json() for e in evidence]}, indent=2) + "\n"
    elif not evidence:
        text = f"no results attached ({store_dir(path)} is empty or absent)\n"
    else:
        from argmap.diagnostics import printable

        lines = [f"{len(evidence)} result(s) in {store_dir(path)}"]
        for e in evidence:
            lines.append(printable(f"  {e.id}  [{e.claim}]  {e.describe()}"))
        text = "\n".join(lines) + "\n"
    sys.stdout.write(text)


@results_app.command("detach")
def detach_command(
    path: Annotated[str, typer.Argument(help="The Argdown map.")],
    result_id: Annotated[str, typer.Argument(help="The result's id (a unique prefix will do).")],
) -> None:
    """Remove an attached result; the map scores exactly as before it was attached."""
    from argmap.results import store

    try:
        removed = store.remove(path, result_id)
    except store.StoreError as exc:
        raise _fail(exc.diagnostics) from None
    sys.stdout.write(f"detached {removed.stem} ({removed})\n")


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The earlier map (or, with --rev, the map now).")],
    new: Annotated[str | None, typer.Argument(help="The later map (not with --rev).")] = None,
    rev: Annotated[
        str | None,
        typer.Option("--rev", help="Compare the map now with the map as committed at this git revision."),
    ] = None,
    semantics: Annotated[
        str, typer.Option("--semantics", "-s", help="Semantics of the scores.")
    ] = DEFAULT_SEMANTICS,
    samples: Annotated[int, typer.Option("--samples", "-n", min=0, help="Monte Carlo samples.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the samples.")] = 0,
    thesis: Annotated[str | None, typer.Option("--thesis", help="Score this claim as the thesis.")] = None,
    no_results: Annotated[
        bool, typer.Option("--no-results", help="Leave the attached results out of both versions.")
    ] = False,
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.human,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """What moved between two versions of a map: text edits and attached results.

    `argmap diff OLD NEW` compares two files (each with its own attached results);
    `argmap diff MAP --rev HEAD~1` compares the map now with the map (and its results
    folder) at a git revision. Prints every claim whose credence moved by more than
    0.005, largest move first, with the chain of reasons, and the thesis before and
    after. Exit status: 0; 1 when a version has syntax errors (printed as `check` does;
    what parsed is compared) or the map cannot be scored; 2 for usage problems or a
    version that cannot be read (R109). See docs/results.md.
    """
    from argmap.engine.api import ScoreError
    from argmap.results.diff import DiffError, diff_versions, file_version, git_version, render_diff

    if (new is None) == (rev is None):
        sys.stderr.write("argmap diff: give either OLD NEW or MAP --rev REV\n")
        raise typer.Exit(2)
    try:
        if rev is not None:
            later = file_version(old, results=not no_results)
            earlier = git_version(old, rev, results=not no_results)
        else:
            assert new is not None
            earlier = file_version(old, results=not no_results)
            later = file_version(new, results=not no_results)
    except DiffError as exc:
        raise _fail(exc.diagnostics, 2) from None
    try:
        report = diff_versions(earlier, later, semantics, samples, seed, thesis)
    except ScoreError as exc:
        raise _fail(exc.diagnostics) from None
    except ValueError as exc:
        sys.stderr.write(f"argmap diff: {exc}\n")
        raise typer.Exit(2) from None
    warnings = [d for d in report.diagnostics if d.level.value == "warning" and d.code.startswith("R")]
    syntax = _report_syntax_errors([earlier.document, later.document])
    if warnings:
        from argmap.render.diagnostics import render_human

        sys.stderr.write(render_human(warnings, {}, 1))
    from argmap.diagnostics import printable

    text = jsonout.dumps(report.to_json()) if output_format is Format.json else printable(render_diff(report))
    raise typer.Exit(write_output(text, output_file) or (1 if syntax else 0))


def _report_syntax_errors(documents: Sequence[Document]) -> bool:
    """Print the errors the parser found in `documents` (stderr, as `check` does);
    whether there were any. What parsed is still compared; the exit status is 1."""
    from argmap.render.diagnostics import render_human

    errors = [d for doc in documents for d in doc.diagnostics if d.level.value == "error"]
    if errors:
        sources = {doc.path: doc.lines for doc in documents}
        sys.stderr.write(render_human(errors, sources, len(sources)))
    return bool(errors)

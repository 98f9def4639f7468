"""Typer application: option parsing and output only; the work lives elsewhere."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import DiffOption, FixOption, app, refuse_combination, write_output

__all__ = ["app", "check", "export", "write_output"]  # `app` with every command registered


class CheckFormat(str, Enum):  # noqa: UP042 (typer reads the str mix-in)
    human = "human"
    json = "json"
    github = "github"
    sarif = "sarif"


class ExportFormat(str, Enum):  # noqa: UP042
    json = "json"
    dot = "dot"
    graphml = "graphml"


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Map files, or folders to search for *.argdown.")],
    output_format: Annotated[
        CheckFormat, typer.Option("--format", help="Output format.")
    ] = CheckFormat.human,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write the report to this file.")
    ] = None,
    no_evidence: Annotated[
        bool, typer.Option("--no-evidence", help="Skip the evidence (quote) checks.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only report these rule codes or prefixes.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Never report these rule codes or prefixes.")
    ] = None,
    fix: FixOption = False,
    diff: DiffOption = False,
) -> None:
    """Check maps: syntax, vargdown rules, graph defects (and, by default, evidence).

    `--fix` rewrites the `#La-Lb` ranges of moved quotes (atomically, every other byte
    unchanged) before checking; `--diff` prints the change as a unified diff and exits 0.
    Exit status: 0 when no finding is an error, 1 when one is, 2 for usage or I/O problems.
    """
    from argmap.checking import CheckOptions, check_paths

    refuse_combination("check", "--fix", ["--diff"] if fix and diff else [])
    options = CheckOptions(evidence=not no_evidence, select=_split(select), ignore=_split(ignore))
    if fix or diff:
        _fix(paths, options, no_evidence, write=not diff)
    report = check_paths(paths, options)
    if output_format is CheckFormat.human and output_file is None:
        # the human form is diagnostics: stderr, as every command writes them (docs/cli.md);
        # json, github and sarif are the command's results: stdout or --output-file
        sys.stderr.write(_render(report, output_format, True))
    else:
        write_output(_render(report, output_format, False), output_file)
    raise typer.Exit(report.exit_code)


def _fix(paths: list[str], options: object, no_evidence: bool, write: bool) -> None:
    """`check --fix` / `--diff` (the work is in `argmap.evidence.fix`)."""
    if no_evidence:
        sys.stderr.write(
            "argmap: --fix and --diff rewrite evidence ranges; they cannot be used with --no-evidence\n"
        )
        raise typer.Exit(2)
    from argmap.checking import discover
    from argmap.evidence.fix import fix_paths

    files, _ = discover(paths)
    outcome = fix_paths(files, options, write=write)
    if not write:
        sys.stdout.write(outcome.diff)
        raise typer.Exit(0)
    for name, count in outcome.edits.items():
        sys.stderr.write(f"argmap: rewrote {count} evidence line range(s) in {name}\n")


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _render(report: object, output_format: CheckFormat, to_terminal: bool) -> str:
    from argmap.checking import CheckReport

    assert isinstance(report, CheckReport)
    if output_format is CheckFormat.json:
        from argmap.render.diagnostics import render_json

        return render_json(report.diagnostics, report.files)
    if output_format is CheckFormat.github:
        from argmap.render.github import render_github

        return render_github(report.diagnostics)
    if output_format is CheckFormat.sarif:
        from argmap.render.sarif import render_sarif

        return render_sarif(report.diagnostics, report.files)
    from argmap.render.diagnostics import render_human

    sources = {name: doc.lines for name, doc in report.documents.items()}
    color = to_terminal and sys.stderr.isatty()
    from argmap.profile import describe

    profile = describe(list(report.profiles.values()))
    return render_human(report.diagnostics, sources, len(report.files), color=color, profile=profile)


@app.command()
def export(
    path: Annotated[str, typer.Argument(help="The map to export.")],
    to: Annotated[ExportFormat, typer.Option("--to", help="Target format.")] = ExportFormat.json,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Export the claim graph: `json` (the shape `@argdown/cli json` writes), `dot`, `graphml`.

    Syntax errors are reported on stderr; the export covers everything that parsed.
    Exit status: 0, 1 when the map has syntax errors, 2 for I/O problems.
    """
    from argmap.checking import IO_CODES
    from argmap.diagnostics import Level
    from argmap.grammar import parse_file
    from argmap.render.diagnostics import render_human

    document = parse_file(path)
    if any(d.code in IO_CODES for d in document.diagnostics):
        sys.stderr.write(render_human(document.diagnostics, {}, 1))
        raise typer.Exit(2)
    if to is ExportFormat.json:
        from argmap.render.argdown_json import export_json

        text = export_json(document)
    elif to is ExportFormat.dot:
        from argmap.render.dot import export_dot

        text = export_dot(document)
    else:
        from argmap.render.graphml import export_graphml

        text = export_graphml(document)
    errors = [d for d in document.diagnostics if d.level is Level.ERROR]
    if document.diagnostics:
        sys.stderr.write(render_human(document.diagnostics, {path: document.lines}, 1))
    write_output(text, output_file)
    raise typer.Exit(1 if errors else 0)


from argmap.cli import evidence as _evidence  # noqa: E402,F401
from argmap.cli import experiment as _experiment  # noqa: E402,F401
from argmap.cli import lsp as _lsp  # noqa: E402,F401  (registers `argmap lsp`)
from argmap.cli import render as _render_commands  # noqa: E402,F401  (`_render` is taken)
from argmap.cli import results as _results  # noqa: E402,F401
from argmap.cli import rule as _rule  # noqa: E402,F401  (registers `argmap rule`)
from argmap.cli import score as _score  # noqa: E402,F401

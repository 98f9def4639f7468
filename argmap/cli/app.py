"""Typer application: option parsing and output only; the work lives elsewhere."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import DiffOption, FixOption, app, help_when_bare, write_output

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


# `check` and `export` also run without typer (argmap/cli/fastpath.py reads their plain
# command lines): a new option is read by typer until it is added to fastpath's table, and a
# changed default must change in `argmap.cli.commands` too (tests/cli/test_fastpath.py).
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
    from argmap.cli.commands import run_check

    code = run_check(paths, output_format.value, output_file, no_evidence, select, ignore, fix, diff)
    raise typer.Exit(code)


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
    from argmap.cli.commands import run_export

    raise typer.Exit(run_export(path, to.value, output_file))


from argmap.cli import evidence as _evidence  # noqa: E402,F401
from argmap.cli import experiment as _experiment  # noqa: E402,F401
from argmap.cli import lsp as _lsp  # noqa: E402,F401  (registers `argmap lsp`)
from argmap.cli import render as _render_commands  # noqa: E402,F401  (`_render` is taken)
from argmap.cli import results as _results  # noqa: E402,F401
from argmap.cli import rule as _rule  # noqa: E402,F401  (registers `argmap rule`)
from argmap.cli import score as _score  # noqa: E402,F401

help_when_bare(app)  # after every command is registered

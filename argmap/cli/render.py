"""`argmap render`, `argmap report` and `argmap serve`: seeing the map.

Registered on the shared typer app; the renderers (and numpy, matplotlib, the
server) are imported inside the commands, so `argmap check` never loads them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import app, write_file
from argmap.engine import DEFAULT_SEMANTICS

if TYPE_CHECKING:
    from argmap.diagnostics import Diagnostic


class RenderFormat(StrEnum):
    html = "html"
    svg = "svg"
    png = "png"


def _load(path: str) -> object:
    from argmap.diagnostics import IO_CODES
    from argmap.grammar import parse_file
    from argmap.render.diagnostics import render_human

    document = parse_file(path)
    if any(d.code in IO_CODES for d in document.diagnostics):
        sys.stderr.write(render_human(document.diagnostics, {}, 1))
        raise typer.Exit(2)
    return document


def _config_problems(path: str) -> list[Diagnostic]:
    """F008 for a malformed argmap.toml (or `[tool.argmap]`): what `check` reports."""
    from argmap.config import settings_for

    return [d for d in settings_for(path).diagnostics if d.code == "F008"]


def _warn_config(path: str) -> None:
    """A malformed argmap.toml, said before the preview starts: it runs on the defaults."""
    from argmap.render.diagnostics import render_human

    problems = _config_problems(path)
    if problems:
        sys.stderr.write(render_human(problems, {}, 1))
        sys.stderr.write(
            "argmap serve: the configuration above is invalid; serving with the default settings\n"
        )


def _finish(command: str, document: object, target: Path, diagnostics: Sequence[object]) -> None:
    """Say what was written; when the map has errors (those the page's banner counts:
    syntax, rules, evidence), show them as `check` does (with the excerpt, on stderr),
    say how many, and exit 1, since the picture then shows what parsed."""
    from argmap.diagnostics import Diagnostic, Level
    from argmap.model import Document
    from argmap.render.diagnostics import render_human

    assert isinstance(document, Document)
    errors = [d for d in diagnostics if isinstance(d, Diagnostic) and d.level is Level.ERROR]
    errors += _config_problems(document.path)  # the page was drawn with the default settings
    if errors:
        sys.stderr.write(render_human(errors, {document.path: document.lines}, 1))
    sys.stderr.write(f"wrote {target}\n")
    if errors:
        first = errors[0]
        noun = "error" if len(errors) == 1 else "errors"
        sys.stderr.write(
            f"argmap {command}: the map has {len(errors)} {noun} (first: line {first.line}, "
            f"{first.code} {first.message})\n"
        )
    raise typer.Exit(1 if errors else 0)


ThesisOption = Annotated[
    str | None,
    typer.Option("--thesis", help="Draw and score this claim as the thesis instead of the map's own choice."),
]
SemanticsOption = Annotated[
    str,
    typer.Option(
        "--semantics", "-s", help="Semantics shown first: logodds, dfquad, qe, euler, quad, vargdown-compat."
    ),
]
SamplesOption = Annotated[
    int | None,
    typer.Option(
        "--samples",
        "-n",
        min=0,
        help="Monte Carlo samples for the intervals (default 1000; 0 on very large maps).",
    ),
]


@app.command()
def render(
    path: Annotated[str, typer.Argument(help="The map to draw.")],
    output_file: Annotated[
        Path | None,
        typer.Option("--output-file", "-o", help="Write here (default: MAP with the format's suffix)."),
    ] = None,
    to: Annotated[
        RenderFormat, typer.Option("--to", help="html (interactive), svg or png.")
    ] = RenderFormat.html,
    semantics: SemanticsOption = DEFAULT_SEMANTICS,
    thesis: ThesisOption = None,
    samples: SamplesOption = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the samples.")] = 0,
    no_evidence: Annotated[bool, typer.Option("--no-evidence", help="Skip checking the quotes.")] = False,
    scale: Annotated[
        float, typer.Option("--scale", min=0.25, max=4.0, help="PNG pixels per SVG unit.")
    ] = 1.0,
) -> None:
    """Draw the map: one self-contained interactive HTML file (no network needed), or SVG/PNG.

    Exit status: 0, 1 when the map has syntax errors (what parsed is drawn), 2 for I/O problems.
    """
    from argmap.model import Document
    from argmap.render.html_map import collect, render_html, render_svg

    document = _load(path)
    assert isinstance(document, Document)
    try:
        data = collect(
            document, semantics=semantics, samples=samples, seed=seed, evidence=not no_evidence, thesis=thesis
        )
    except ValueError as exc:
        sys.stderr.write(f"argmap render: {exc}\n")
        raise typer.Exit(2) from None
    target = output_file or Path(path).with_suffix("." + to.value)
    if to is RenderFormat.html:
        content: str | bytes = render_html(data)
    elif to is RenderFormat.svg:
        content = render_svg(data, standalone=True)
    else:
        from argmap.render.html_map import svg_to_png

        try:
            content = svg_to_png(render_svg(data, standalone=True), scale=scale)
        except RuntimeError as exc:
            sys.stderr.write(f"argmap render: {exc}\n")
            raise typer.Exit(2) from None
    if write_file(target, content):
        raise typer.Exit(2)
    _finish("render", document, target, data.diagnostics)


@app.command()
def serve(
    path: Annotated[str, typer.Argument(help="The map to preview.")],
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port (0: any free one).")
    ] = 8000,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote", help="Allow a non-loopback --host: anyone who can reach it sees the map."
        ),
    ] = False,
    semantics: SemanticsOption = DEFAULT_SEMANTICS,
    samples: SamplesOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every request.")] = False,
) -> None:
    """Live preview: serve the rendered map on 127.0.0.1 and re-render it on every save.

    The page updates itself; while the file has syntax errors it shows them above the last
    good map. Only the map and its own evidence files are served.
    """
    from argmap.serve.server import is_loopback
    from argmap.serve.server import serve as run

    if not Path(path).is_file():
        sys.stderr.write(f"argmap serve: no such file: {path}\n")
        raise typer.Exit(2)
    if not is_loopback(host):
        if not allow_remote:
            sys.stderr.write(
                f"argmap serve: {host} is not a loopback address; pass --allow-remote to serve the map "
                "to other machines\n"
            )
            raise typer.Exit(2)
        sys.stderr.write(
            f"argmap serve: WARNING: listening on {host}: anyone who can reach this address can read "
            "the map and its evidence files (no authentication, no TLS)\n"
        )
    _warn_config(path)
    try:
        run(path, host=host, port=port, semantics=semantics, samples=samples, verbose=verbose)
    except OSError as exc:
        sys.stderr.write(f"argmap serve: cannot listen on {host}:{port}: {exc}\n")
        raise typer.Exit(2) from None


@app.command()
def report(
    path: Annotated[
        str, typer.Argument(help="The map to report on, or an experiment's output folder (its curves).")
    ],
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output-file", "-o", help="Write here (default: MAP.report.html, FOLDER/report.html)."
        ),
    ] = None,
    semantics: SemanticsOption = DEFAULT_SEMANTICS,
    thesis: ThesisOption = None,
    samples: Annotated[int, typer.Option("--samples", "-n", min=0, help="Monte Carlo samples.")] = 5000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the samples.")] = 0,
    cruxes: Annotated[
        int, typer.Option("--cruxes", min=0, help="How many cruxes the tornado plot shows.")
    ] = 10,
    before: Annotated[
        Path | None,
        typer.Option("--before", help="A saved `argmap score --format json`: chart what moved since."),
    ] = None,
) -> None:
    """A printable HTML report: bottom line, cruxes (tornado plot), Monte Carlo distribution,
    what moved (attached results or --before), evidence table, diagnostics and the map.

    Given the output folder of `argmap experiment run` (with results/ and trials/), the
    report draws each result's curves per method instead: validation accuracy and loss and
    training loss over the steps, the mean over seeds with the spread (lowest to highest
    seed) as a band; with each result's measurement per seed, selected rates and warnings.

    Exit status: 0, 1 when the map has syntax errors, 2 for I/O problems.
    """
    from argmap.model import Document
    from argmap.render.report import build_report, render_curves_report, render_report

    if Path(path).is_dir():
        folder = Path(path)
        target = output_file or folder / "report.html"
        if write_file(target, render_curves_report(folder)):
            raise typer.Exit(2)
        sys.stderr.write(f"wrote {target}\n")
        raise typer.Exit(0 if (folder / "results").is_dir() else 2)

    document = _load(path)
    assert isinstance(document, Document)
    if before is not None and not before.is_file():
        sys.stderr.write(f"argmap report: no such file: {before}\n")
        raise typer.Exit(2)
    try:
        data = build_report(document, semantics, samples, seed, cruxes, before=before, thesis=thesis)
    except ValueError as exc:
        sys.stderr.write(f"argmap report: {exc}\n")
        raise typer.Exit(2) from None
    target = output_file or Path(path).with_suffix(".report.html")
    if write_file(target, render_report(data)):
        raise typer.Exit(2)
    _finish("report", document, target, data.map.diagnostics)

"""`argmap evidence FILE` (per-quote report, `--fix`, `--diff`) and
`argmap evidence fetch URL --to docs/`.

`evidence` is a group with two commands, `report` and `fetch`; `report` is the
default, so `argmap evidence map.argdown` means `argmap evidence report map.argdown`
and `argmap evidence fetch URL` fetches. Only a first argument that is exactly a
command name (`fetch`, `report`) or `--help` is taken as a command: a map file
literally named `fetch` must be written `./fetch` (or `argmap evidence report fetch`).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from argmap import jsonout
from argmap.cli.common import DiffOption, FixOption, app, refuse_combination


class _DefaultToReport(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["report", *args]
        return super().parse_args(ctx, args)


evidence_app = typer.Typer(
    cls=_DefaultToReport,
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "Check every quote of a map against its frozen source, or freeze a source.\n\n"
        "argmap evidence MAP [--format json] [--fix | --diff]  (the same as `report MAP`)\n\n"
        "argmap evidence fetch URL --to docs/\n\n"
        "A map file named `fetch` or `report` must be written ./fetch."
    ),
)
app.add_typer(evidence_app, name="evidence")


class ReportFormat(str, Enum):  # noqa: UP042 (same style as app.py)
    human = "human"
    json = "json"


@evidence_app.command("report")
def report(
    path: Annotated[str, typer.Argument(help="The map whose quotes to check.")],
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="Output format.")
    ] = ReportFormat.human,
    fix: FixOption = False,
    diff: DiffOption = False,
) -> None:
    """Report each quote: claim, file, cited range, status, actual range, score.

    Exit status: 0 when every quote is exact (or only moved and fixed), 1 otherwise or
    when the map has syntax errors (printed as `check` does; the quotes of what parsed
    are still reported), 2 when the map cannot be read.
    """
    from argmap.config import settings_for
    from argmap.diagnostics import IO_CODES

    refuse_combination("evidence", "--fix", ["--diff"] if fix and diff else [])
    from argmap.evidence.check import check_map_file
    from argmap.render.diagnostics import render_human

    settings = settings_for(path)
    thresholds = settings.evidence_thresholds()
    document, result = check_map_file(path, thresholds)
    unreadable = [d for d in document.diagnostics if d.code in IO_CODES]
    if unreadable:  # missing, not a regular file, binary, over the size limit
        sys.stderr.write(render_human(unreadable, {}, 1))
        raise typer.Exit(2)
    syntax = [d for d in document.diagnostics if d.level.value == "error"]
    # and what is wrong with the file itself (invalid UTF-8 read as U+FFFD, a byte
    # order mark): a quote may fail to match because of it
    file_warnings = [d for d in document.diagnostics if d.code.startswith("F") and d not in syntax]
    if syntax or file_warnings:
        shown = sorted(syntax + file_warnings, key=lambda d: (d.line, d.column))
        sys.stderr.write(render_human(shown, {document.path: document.lines}, 1))
    # a broken argmap.toml: the thresholds are the defaults, said aloud (exit 1, as check)
    bad_config = [d for d in settings.diagnostics if d.code == "F008"]
    if bad_config:
        sys.stderr.write(render_human(bad_config, {}, 1))
    quotes = result.results
    if fix or diff:
        from argmap.evidence.fix import fix_map

        try:
            count, patch = fix_map(path, quotes, write=fix and not diff)
        except OSError as exc:  # the map's folder is read-only, the disk full...
            from argmap.cli.commands import unwritable

            sys.stderr.write(render_human([unwritable(path, exc)], {}, 1))
            raise typer.Exit(2) from None
        if diff:
            sys.stdout.write(patch)
            raise typer.Exit(0)
        if count:
            sys.stderr.write(f"argmap evidence: rewrote {count} line range(s) in {path}\n")
            _, result = check_map_file(path, thresholds)
            quotes = result.results
    if output_format is ReportFormat.json:
        payload: dict[str, Any] = {"quotes": [q.to_json() for q in quotes]}
        sys.stdout.write(jsonout.dumps(payload))
    else:
        _print_table(quotes)
    bad = any(q.status != "exact" and not (q.status == "drift" and q.minor) for q in quotes)
    raise typer.Exit(1 if bad or syntax or bad_config else 0)


_20_MB = 20 * 1024 * 1024


@evidence_app.command("fetch")
def fetch(
    url: Annotated[str, typer.Argument(help="The http(s) URL of the source to freeze.")],
    to: Annotated[str, typer.Option("--to", help="Folder to write into (inside the project).")] = "docs",
    name: Annotated[
        str | None, typer.Option("--name", help="File name (default: from the URL, with .md).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per step and in all.")] = 20.0,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Largest page accepted.")] = _20_MB,
    max_redirects: Annotated[int, typer.Option("--max-redirects", min=0, help="Redirects followed.")] = 5,
) -> None:
    """Freeze a web page or text file as markdown with `Title:` / `URL Source:` headers.

    Prints the path written. Exit status: 0 written, 1 the download failed (HTTP
    error, timeout, too large, not HTML or text, too many redirects), 2 a usage
    problem (not an http(s) URL, a target outside the project root, an existing file
    without --force).
    """
    from argmap.evidence.fetch import FetchError, Limits, freeze

    limits = Limits(timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects)
    try:
        written = freeze(url, to=to, name=name, force=force, limits=limits)
    except FetchError as error:
        sys.stderr.write(f"argmap evidence fetch: {error}\n")
        raise typer.Exit(2 if error.usage else 1) from None
    except OSError as error:  # as every command reports an output it cannot write: F011
        from argmap.cli.commands import unwritable
        from argmap.render.diagnostics import render_human

        sys.stderr.write(render_human([unwritable(error.filename or to, error)], {}, 1))
        raise typer.Exit(2) from None
    sys.stdout.write(f"{os.path.relpath(written)}\n")


_STYLE = {
    "exact": "green",
    "moved": "yellow",
    "drift": "yellow",
    "not-found": "red",
    "missing-file": "red",
    "bad-range": "red",
    "unreadable-file": "red",
}


def _rng(value: tuple[int, int] | None) -> str:
    return f"L{value[0]}-L{value[1]}" if value else "-"


def _print_table(quotes: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    columns = ("line", "claim", "file", "cited", "status", "actual", "score")
    from argmap.diagnostics import printable

    rows = [
        (
            str(q.map_line),
            printable(q.claim),
            printable(q.file),
            _rng(q.cited),
            ", ".join(q.statuses) + (" (minor)" if q.minor else ""),
            _rng(q.actual),
            f"{q.score:.1f}",
        )
        for q in quotes
    ]
    if not sys.stdout.isatty():
        # to a pipe or file: tab-separated rows, nothing cut to a terminal's width
        sys.stdout.write("".join("\t".join(cells) + "\n" for cells in (columns, *rows)))
        console = Console(highlight=False, no_color=True, width=1_000_000, soft_wrap=True)
    else:
        console = Console(highlight=False)
        table = Table(show_lines=False)
        for column in columns:
            table.add_column(column)
        for cells, q in zip(rows, quotes, strict=True):
            table.add_row(*cells[:4], Text(cells[4], style=_STYLE.get(q.status, "")), *cells[5:])
        console.print(table)
    for q in quotes:
        if q.status == "exact":
            continue
        head = Text(f"line {q.map_line} [{printable(q.claim)}]: {', '.join(q.statuses)}", style="bold")
        console.print(head)
        if q.message:
            console.print(Text(f"  {printable(q.message)}"))  # a Text: no markup read from the map
        if q.dropped:
            console.print(Text("  dropped: ") + Text(printable(" ".join(q.dropped)), style="red strike"))
        for change in q.changed:
            old, _, new = printable(change).partition(" -> ")
            console.print(
                Text("  changed: ") + Text(old, style="red") + Text(" -> ") + Text(new, style="green")
            )
        if q.closest:
            console.print(f"  closest passage {_rng(q.closest_lines)} (score {q.closest['score']}):")
            console.print(_highlight(str(q.closest["text"]), str(q.closest["segment"])))


def _highlight(passage: str, segment: str) -> Any:
    """The passage with words that do not occur in the quote segment highlighted."""
    from rich.text import Text

    from argmap.evidence.normalize import skeleton

    quote_keys = {skeleton(w) for w in segment.split()}
    text = Text("    ")
    from argmap.diagnostics import printable

    for word in printable(passage[:2000]).split():
        text.append(word + " ", style="" if skeleton(word) in quote_keys else "reverse red")
    return text

"""Print diagnostics for people (`human`) and for programs (`json`).

The human format follows rustc and ruff: a header with level and code, the location,
the source line with a caret under the offending columns, and the hint. The json
format is a published interface: `JSON_SCHEMA` documents it and tests validate
against it, so never rename a field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from argmap.diagnostics import Diagnostic, Level, printable
from argmap.version import __version__

JSON_FORMAT_VERSION = 1

JSON_SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "argmap check --format json",
    "type": "object",
    "required": ["version", "tool", "files", "diagnostics", "summary"],
    "properties": {
        "version": {"const": JSON_FORMAT_VERSION},
        "tool": {
            "type": "object",
            "required": ["name", "version"],
            "properties": {"name": {"const": "argmap"}, "version": {"type": "string"}},
        },
        "files": {"type": "array", "items": {"type": "string"}},
        "diagnostics": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "code",
                    "level",
                    "message",
                    "file",
                    "line",
                    "column",
                    "end_line",
                    "end_column",
                    "hint",
                ],
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z]+[0-9]+$"},
                    "level": {"enum": ["error", "warning", "info"]},
                    "message": {"type": "string"},
                    "file": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "end_line": {"type": "integer", "minimum": 1},
                    "end_column": {"type": "integer", "minimum": 1},
                    "hint": {"type": ["string", "null"]},
                },
            },
        },
        "summary": {
            "type": "object",
            "required": ["errors", "warnings", "infos", "files"],
            "properties": {
                k: {"type": "integer", "minimum": 0} for k in ("errors", "warnings", "infos", "files")
            },
        },
    },
}


def summary_counts(diagnostics: Sequence[Diagnostic], files: int) -> dict[str, int]:
    return {
        "errors": sum(1 for d in diagnostics if d.level is Level.ERROR),
        "warnings": sum(1 for d in diagnostics if d.level is Level.WARNING),
        "infos": sum(1 for d in diagnostics if d.level is Level.INFO),
        "files": files,
    }


def render_json(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    from argmap import jsonout  # orjson (and, through it, json): not for the human report

    payload = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": "argmap", "version": __version__},
        "files": list(files),
        "diagnostics": [d.to_json() for d in diagnostics],
        "summary": summary_counts(diagnostics, len(files)),
    }
    return jsonout.dumps(payload)


_STYLE = {Level.ERROR: "bold red", Level.WARNING: "bold yellow", Level.INFO: "bold blue"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# The source line a finding quotes is cut to a window around its columns: a map may hold
# one 10 MB line with thousands of findings, and quoting it whole for each is quadratic.
EXCERPT_WIDTH = 120
_EXCERPT_BEFORE = 40  # characters kept before the finding's first column
# findings of one code on one line shown in full before one summary line stands for the rest
REPEATS_SHOWN = 3


def render_human(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, Sequence[str]],
    files: int,
    color: bool = False,
    profile: str | None = None,
) -> str:
    """Render for a terminal; `sources` maps a file to its lines (for the caret);
    `profile` is the line that says which profile the maps were checked with. Text from
    the map or the user is escaped (`printable`), a quoted line is cut to a window
    around the finding, and past `REPEATS_SHOWN` findings of one code on one line one
    summary line stands for the rest (the json, sarif and github formats keep them all)."""
    out: list[str] = []

    def paint(text: str, style: str) -> str:
        if not color:
            return text
        from rich.text import Text

        return _ansi(Text(text, style=style))

    seen: Counter[tuple[str, int, str]] = Counter()
    totals = Counter((d.file, d.line, d.code) for d in diagnostics)
    for d in diagnostics:
        key = (d.file, d.line, d.code)
        seen[key] += 1
        if seen[key] > REPEATS_SHOWN:
            if seen[key] == REPEATS_SHOWN + 1:
                more = totals[key] - REPEATS_SHOWN
                header = paint(f"{d.level.value}[{d.code}]", _STYLE[d.level])
                out.append(f"{header}: ... and {more} more on this line")
                out.append(f"  --> {printable(d.file)}:{d.line} (all of them: --format json)")
                out.append("")
            continue
        out.extend(_finding(d, sources.get(d.file), paint))
        out.append("")
    out.extend(_summary(diagnostics, files, profile, paint))
    return "\n".join(out) + "\n"


def _finding(d: Diagnostic, lines: Sequence[str] | None, paint: Callable[[str, str], str]) -> list[str]:
    """One finding: header, location, the quoted window with its caret, the hint."""
    out = [
        f"{paint(f'{d.level.value}[{d.code}]', _STYLE[d.level])}: {paint(printable(d.message), 'bold')}",
        f"  --> {printable(d.file)}:{d.line}:{d.column}",
    ]
    hint = printable(d.hint) if d.hint else None
    if lines is None or not 1 <= d.line <= len(lines):
        if hint:
            out.append(f"  = {paint('hint', 'bold cyan')}: {hint}")
        return out
    raw = lines[d.line - 1]
    end_col = d.end_column if d.end_line == d.line else len(raw) + 1
    text, start, width = excerpt(raw, d.column - 1, max(d.column - 1, end_col - 1))
    gutter = " " * len(str(d.line))
    out.append(f"{gutter} |")
    out.append(f"{d.line} | {text}")
    out.append(f"{gutter} | {' ' * start}{paint('^' * width, _STYLE[d.level])}")
    if hint:
        out.append(f"{gutter} = {paint('hint', 'bold cyan')}: {hint}")
    return out


def _shown(text: str) -> str:
    return printable(text).replace("\t", "    ")


def excerpt(line: str, start: int, end: int) -> tuple[str, int, int]:
    """The part of `line` to quote for characters `start`..`end` (0-based, end exclusive):
    at most about `EXCERPT_WIDTH` characters around them, cut ends marked with `...`,
    control characters escaped and tabs as four spaces; with the caret's offset and width
    in that text."""
    first = 0 if len(line) <= EXCERPT_WIDTH else max(0, start - _EXCERPT_BEFORE)
    last = min(len(line), max(first + EXCERPT_WIDTH, start + 1))
    head = "..." if first else ""
    tail = "..." if last < len(line) else ""
    before = head + _shown(line[first:start])
    marked = _shown(line[start : min(end, last)])
    return before + marked + _shown(line[min(end, last) : last]) + tail, len(before), max(1, len(marked))


def _summary(
    diagnostics: Sequence[Diagnostic], files: int, profile: str | None, paint: Callable[[str, str], str]
) -> list[str]:
    counts = summary_counts(diagnostics, files)
    out = [profile] if profile else []
    if not counts["errors"] and not counts["warnings"]:
        notes = f", {_plural(counts['infos'], 'note')}" if counts["infos"] else ""
        out.append(paint(f"All checks passed ({_plural(files, 'file')}{notes}).", "bold green"))
    else:
        out.append(
            f"Found {_plural(counts['errors'], 'error')}, {_plural(counts['warnings'], 'warning')}"
            + (f", {_plural(counts['infos'], 'note')}" if counts["infos"] else "")
            + f" in {_plural(files, 'file')}."
        )
    return out


def _ansi(text: object) -> str:
    from rich.console import Console

    console = Console(force_terminal=True, color_system="standard", width=10_000)
    with console.capture() as capture:
        console.print(text, end="")
    return capture.get()

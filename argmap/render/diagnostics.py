"""Print diagnostics for people (`human`) and for programs (`json`).

The human format follows rustc and ruff: a header with level and code, the location,
the source line with a caret under the offending columns, and the hint. The json
format is a published interface: `JSON_SCHEMA` documents it and tests validate
against it, so never rename a field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from argmap import jsonout
from argmap.diagnostics import Diagnostic, Level
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
    payload = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": "argmap", "version": __version__},
        "files": list(files),
        "diagnostics": [d.model_dump(mode="json") for d in diagnostics],
        "summary": summary_counts(diagnostics, len(files)),
    }
    return jsonout.dumps(payload)


_STYLE = {Level.ERROR: "bold red", Level.WARNING: "bold yellow", Level.INFO: "bold blue"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_human(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, Sequence[str]],
    files: int,
    color: bool = False,
    profile: str | None = None,
) -> str:
    """Render for a terminal; `sources` maps a file to its lines (for the caret);
    `profile` is the line that says which profile the maps were checked with."""
    out: list[str] = []

    def paint(text: str, style: str) -> str:
        if not color:
            return text
        from rich.text import Text

        return _ansi(Text(text, style=style))

    for d in diagnostics:
        out.append(f"{paint(f'{d.level.value}[{d.code}]', _STYLE[d.level])}: {paint(d.message, 'bold')}")
        out.append(f"  --> {d.file}:{d.line}:{d.column}")
        lines = sources.get(d.file)
        if lines is not None and 1 <= d.line <= len(lines):
            text = lines[d.line - 1].replace("\t", "    ")
            gutter = " " * len(str(d.line))
            raw = lines[d.line - 1]
            start = len(raw[: d.column - 1].expandtabs(4))
            end_col = d.end_column if d.end_line == d.line else len(raw) + 1
            width = max(1, len(raw[: max(d.column - 1, end_col - 1)].expandtabs(4)) - start)
            out.append(f"{gutter} |")
            out.append(f"{d.line} | {text}")
            out.append(f"{gutter} | {' ' * start}{paint('^' * width, _STYLE[d.level])}")
            if d.hint:
                out.append(f"{gutter} = {paint('hint', 'bold cyan')}: {d.hint}")
        elif d.hint:
            out.append(f"  = {paint('hint', 'bold cyan')}: {d.hint}")
        out.append("")
    counts = summary_counts(diagnostics, files)
    if profile:
        out.append(profile)
    if not counts["errors"] and not counts["warnings"]:
        notes = f", {_plural(counts['infos'], 'note')}" if counts["infos"] else ""
        out.append(paint(f"All checks passed ({_plural(files, 'file')}{notes}).", "bold green"))
    else:
        out.append(
            f"Found {_plural(counts['errors'], 'error')}, {_plural(counts['warnings'], 'warning')}"
            + (f", {_plural(counts['infos'], 'note')}" if counts["infos"] else "")
            + f" in {_plural(files, 'file')}."
        )
    return "\n".join(out) + "\n"


def _ansi(text: object) -> str:
    from rich.console import Console

    console = Console(force_terminal=True, color_system="standard", width=10_000)
    with console.capture() as capture:
        console.print(text, end="")
    return capture.get()

"""GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per
finding, which GitHub shows as an annotation on the file and line.

Format (from GitHub's workflow-commands documentation)::

    ::error file=maps/thesis.argdown,line=12,col=3,endLine=12,endColumn=9,title=V201::message

Property values escape `%`, CR, LF, `:` and `,`; the message escapes `%`, CR and LF
(so a hint can follow on its own line). Paths are made relative to the working
directory (the checkout) when they lie under it. Columns are 1-based; `endColumn`
is inclusive and only sent when the finding starts and ends on one line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from argmap.diagnostics import Diagnostic, Level

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path(path: str) -> str:
    if not os.path.isabs(path):
        return path.replace(os.sep, "/")
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """Workflow commands for every finding, one per line (empty output when clean)."""
    out: list[str] = []
    for d in diagnostics:
        properties = [f"file={escape_property(_path(d.file))}", f"line={d.line}", f"col={d.column}"]
        if d.end_line != d.line:
            properties.append(f"endLine={d.end_line}")
        else:
            properties.append(f"endLine={d.line}")
            properties.append(f"endColumn={max(d.column, d.end_column - 1)}")
        properties.append(f"title={escape_property(d.code)}")
        message = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
        out.append(f"::{_COMMAND[d.level]} {','.join(properties)}::{escape_data(f'[{d.code}] {message}')}")
    return "".join(line + "\n" for line in out)

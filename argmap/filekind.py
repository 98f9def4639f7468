"""Whether a file named as a map is an Argdown map at all.

Any text parses as Argdown (a paragraph is an untitled statement, a `- item` line a
relation), so `argmap check notes.txt` or `check README.md` would "check" a shopping
list and pass. A file is taken as a map when its name says so (`.argdown`, `.ad`) or,
whatever its name, when its text defines something the way only Argdown does: a line
starting `[Title]:`, `<Title>` or `<Title>:`, or a numbered premise `(1)`. Markdown's
fenced code blocks do not count (a README's Argdown examples do not make it a map).
"""

from __future__ import annotations

import os
import re

ARGDOWN_SUFFIXES = (".argdown", ".ad")

# compiled on first use (`re` keeps them): a map named .argdown never needs them
_DEFINITION = rb"^[ \t]*(?:\[[^\]\n]+\]:|<[^>\n]+>[ \t]*:?[ \t]*$|<[^>\n]+>:|\(\d+\)[ \t])"
_FENCE = rb"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$"


def not_argdown(path: str, data: bytes) -> str | None:
    """Why the file at `path` (holding `data`) is not a map, or None when it is one."""
    if os.fspath(path).lower().endswith(ARGDOWN_SUFFIXES):
        return None
    outside_fences = re.sub(_FENCE, b"", data, flags=re.MULTILINE | re.DOTALL)
    if re.search(_DEFINITION, outside_fences, flags=re.MULTILINE):
        return None
    suffix = os.path.splitext(path)[1] or "no extension"
    return (
        f"not an Argdown map: the name has {suffix} (not .argdown) and the text defines no "
        "statement `[Title]:`, argument `<Title>` or premise `(1)`"
    )

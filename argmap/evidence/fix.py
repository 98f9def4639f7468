"""`--fix`: rewrite the line ranges of moved quotes, touching nothing else.

For every quote found outside its cited lines (`moved`, or a `bad-range` whose text
was found) the link's fragment `#La-Lb` is replaced by the true range. The map is
edited as bytes: only the fragment's characters on the link's line change, every
other byte (line endings, encoding of other lines, trailing newline) is kept, and
the file is written atomically with `argmap.fileio.atomic_write_bytes`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from argmap.evidence.classify import BAD_RANGE, MOVED, QuoteResult
from argmap.fileio import atomic_write_bytes


@dataclass(frozen=True)
class Edit:
    line: int
    old: str
    new: str


def planned_edits(results: list[QuoteResult]) -> list[Edit]:
    edits: dict[tuple[int, str], Edit] = {}
    for result in results:
        if result.actual is None or not (MOVED in result.statuses or BAD_RANGE in result.statuses):
            continue
        old = f"{result.file}#{result.fragment}" if result.fragment is not None else result.file
        new = f"{result.file}#L{result.actual[0]}-L{result.actual[1]}"
        if old != new:
            edits[(result.link_line, old)] = Edit(result.link_line, old, new)
    return list(edits.values())


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    lines = data.splitlines(keepends=True)
    for edit in edits:
        index = edit.line - 1
        if not 0 <= index < len(lines):
            continue
        raw = lines[index]
        old = f"({edit.old})".encode()
        new = f"({edit.new})".encode()
        if old in raw:
            lines[index] = raw.replace(old, new, 1)
    return b"".join(lines)


def fix_map(path: str | Path, results: list[QuoteResult], write: bool = True) -> tuple[int, str]:
    """Apply the fixes to the map at `path`; returns (edits made, unified diff)."""
    target = Path(path)
    before = target.read_bytes()
    edits = planned_edits(results)
    after = apply_edits(before, edits)
    if after == before:
        return 0, ""
    diff = "".join(
        difflib.unified_diff(
            before.decode("utf-8", errors="replace").splitlines(keepends=True),
            after.decode("utf-8", errors="replace").splitlines(keepends=True),
            fromfile=f"a/{target.as_posix()}",
            tofile=f"b/{target.as_posix()}",
        )
    )
    if write:
        atomic_write_bytes(target, after)
    return len(edits), diff

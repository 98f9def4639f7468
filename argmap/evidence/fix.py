"""`--fix`: rewrite the line ranges of moved quotes, touching nothing else.

For every quote found outside its cited lines (`moved`, or a `bad-range` whose text
was found) the link's fragment `#La-Lb` is replaced by the true range. The map is
edited as bytes: only the fragment's characters on the link's line change, every
other byte (line endings, encoding of other lines, trailing newline) is kept, and
the file is written atomically with `argmap.fileio.atomic_write_bytes`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argmap.evidence.classify import BAD_RANGE, MOVED, QuoteResult
from argmap.fileio import atomic_write_bytes

FIXABLE = frozenset({MOVED, BAD_RANGE})


@dataclass(frozen=True)
class Edit:
    line: int
    old: str
    new: str


def planned_edits(results: list[QuoteResult], fixable: frozenset[str] = FIXABLE) -> list[Edit]:
    """One edit per evidence link that has a moved quote (or a bad range whose text
    was found). When several quotes share one link, the new range covers all of them."""
    groups: dict[tuple[int, int, str], list[QuoteResult]] = {}
    for result in results:
        old = f"{result.file}#{result.fragment}" if result.fragment is not None else result.file
        groups.setdefault((result.link_line, result.link_column, old), []).append(result)
    edits: list[Edit] = []
    for (line, _, old), group in groups.items():
        if not any(r.actual is not None and fixable & set(r.statuses) for r in group):
            continue
        found = [r.actual for r in group if r.actual is not None]
        new = f"{group[0].file}#L{min(a[0] for a in found)}-L{max(a[1] for a in found)}"
        if old != new:
            edits.append(Edit(line, old, new))
    return edits


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


def fix_map(
    path: str | Path, results: list[QuoteResult], write: bool = True, fixable: frozenset[str] = FIXABLE
) -> tuple[int, str]:
    """Apply the fixes to the map at `path`; returns (edits made, unified diff).
    `results` are all the quote results of the map (quotes that share a link with a
    moved one keep their place inside the new range); `fixable` the statuses fixed."""
    target = Path(path)
    before = target.read_bytes()
    edits = planned_edits(results, fixable)
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


@dataclass
class FixOutcome:
    """What `fix_paths` did: edits per map and one unified diff for all of them."""

    edits: dict[str, int] = field(default_factory=dict)
    diff: str = ""

    @property
    def count(self) -> int:
        return sum(self.edits.values())


def fix_paths(files: list[str], options: Any = None, write: bool = True) -> FixOutcome:
    """`argmap check --fix` / `--diff`: check the evidence of each map with its own
    settings (configuration file, then `options`) and rewrite the ranges of moved
    quotes. Maps whose settings turn evidence off, or that do not select `E405`
    (moved) / `E403` (bad range), are left alone."""
    from argmap.evidence.check import check_map_file
    from argmap.rules.registry import settings_for

    outcome = FixOutcome()
    for name in files:
        settings = settings_for(name, options)
        if not settings.evidence:
            continue
        wanted = {MOVED} if settings.is_enabled("E405") else set()
        if settings.is_enabled("E403") or settings.is_enabled("V213"):
            wanted.add(BAD_RANGE)
        if not wanted:
            continue
        _, report = check_map_file(name, settings.evidence_thresholds())
        count, diff = fix_map(name, report.results, write=write, fixable=frozenset(wanted))
        if count:
            outcome.edits[name] = count
            outcome.diff += diff
    return outcome

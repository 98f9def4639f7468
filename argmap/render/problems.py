"""The map's problems as the page shows them: which claims are missing, which node each
diagnostic is about, and the list in the order a reader needs it (errors first).

A statement named by a reference (`+> [X]`) but never defined (`[X]: text`, G301), or an
argument named (`+ <A>`) but never given a description or premises (G302), is *missing*:
the page draws it dashed and red, "not defined", never as an ordinary claim.
Each diagnostic is tied to the node it is about, so the problem list and the error banner
can jump to it: the missing node a reference on that line names; else the element written
on that line at or left of the diagnostic's column (a premise's statement, not its
argument, for a finding about the premise's title); else the source of a relation written
on that line; else the first element on it; else the element whose text the line belongs
to (the nearest one above it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

from argmap.diagnostics import Diagnostic, Level
from argmap.model import Document, ElementKind

_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
EXCERPT_WIDTH = 160  # characters of the source line shown with a problem


def missing_statements(document: Document) -> set[str]:
    """Statements used (in a relation, a tree or a PCS) but never defined (G301)."""
    return {title for title, ec in document.statements.items() if not ec.members and ec.references}


def missing_arguments(document: Document) -> set[str]:
    """Arguments named but never defined: no premises, no description of their own (G302)."""
    return {
        title
        for title, argument in document.arguments.items()
        if not argument.pcs and all(d.is_reference for d in argument.descriptions)
    }


def missing_nodes(document: Document) -> set[str]:
    """The missing statements and arguments as node keys (`s:Title`, `a:Title`)."""
    return {_key(ElementKind.STATEMENT, t) for t in missing_statements(document)} | {
        _key(ElementKind.ARGUMENT, t) for t in missing_arguments(document)
    }


def _key(kind: ElementKind | str, title: str) -> str:
    # the layout's node keys (argmap.render.layout.node_key), without importing the layout
    return ("a:" if kind == ElementKind.ARGUMENT else "s:") + title


class _Positions:
    """Where each element is written: (line, column, node key) of every occurrence."""

    def __init__(self, document: Document, known: set[str]) -> None:
        self.missing = missing_nodes(document)
        self.at: list[tuple[int, int, str]] = []
        for title, ec in document.statements.items():
            for statement in [*ec.members, *ec.references]:
                # where the title is written (a premise's `[Title]` is right of its `(1)`)
                where = statement.title_span or statement.span
                self._add(where.line, where.column, _key(ElementKind.STATEMENT, title))
        for title, argument in document.arguments.items():
            for description in argument.descriptions:
                self._add(description.span.line, description.span.column, _key(ElementKind.ARGUMENT, title))
            for member in argument.pcs:
                self._add(member.statement.span.line, 1, _key(ElementKind.ARGUMENT, title))
        self.at = [item for item in self.at if item[2] in known]
        self.at.sort()
        self.lines = [line for line, _, _ in self.at]
        self.relations: dict[int, str] = {}
        for relation in document.relations:
            source = _key(relation.source_kind, relation.source)
            if source in known:
                self.relations.setdefault(relation.span.line, source)

    def _add(self, line: int, column: int, key: str) -> None:
        self.at.append((line, column, key))

    def node_of(self, line: int, column: int) -> str | None:
        """The node a diagnostic at `line`:`column` is about (see the module docstring)."""
        start = bisect.bisect_left(self.lines, line)
        end = bisect.bisect_right(self.lines, line)
        here = self.at[start:end]
        missing = [key for _, _, key in here if key in self.missing]
        if missing:
            return missing[0]
        left = [(col, key) for _, col, key in here if col <= column]
        if left:
            return max(left, key=lambda item: item[0])[1]
        if line in self.relations:
            return self.relations[line]
        if here:
            return here[0][2]
        return self.at[start - 1][2] if start > 0 else None


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then warnings, then notes; by position within each level."""
    return sorted(diagnostics, key=lambda d: (_LEVEL_ORDER.get(d.level, 3), d.sort_key))


def excerpt(document: Document, line: int) -> str:
    """The source line a problem is on, trimmed (the page shows it under the message)."""
    if not 1 <= line <= len(document.lines):
        return ""
    text = document.lines[line - 1].rstrip()
    return text if len(text) <= EXCERPT_WIDTH else text[: EXCERPT_WIDTH - 1] + "…"


def problems_json(
    document: Document, diagnostics: Sequence[Diagnostic], index: dict[str, int]
) -> list[dict[str, Any]]:
    """Every diagnostic as the page lists it: errors first, each with the node it is about
    (`node`, an index into the page's nodes; absent when no element is near) and its line."""
    positions = _Positions(document, set(index))
    out: list[dict[str, Any]] = []
    for d in ordered(diagnostics):
        item: dict[str, Any] = {
            "code": d.code,
            "level": d.level.value,
            "line": d.line,
            "column": d.column,
            "message": d.message,
            "hint": d.hint,
        }
        node = positions.node_of(d.line, d.column) if d.file in ("", document.path) else None
        if node is not None:
            item["node"] = index[node]
        source = excerpt(document, d.line) if d.file in ("", document.path) else ""
        if source:
            item["source"] = source
        out.append(item)
    return out


def error_count(diagnostics: Iterable[Diagnostic]) -> int:
    return sum(1 for d in diagnostics if d.level is Level.ERROR)

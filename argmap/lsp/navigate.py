"""Go to definition, references and rename: all answered from the title index.

Rename edits only the title between the brackets of every occurrence (definitions,
references, relation ends, PCS lines and `@[...]` mentions), so everything else on
the line is kept byte for byte. A new name already used by another element of the
same kind, or one that cannot be written between brackets, is refused.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from argmap.lsp.analysis import DEFINITION, REFERENCE, Analysis, Occurrence
from argmap.lsp.positions import contains, span_range
from argmap.model import ElementKind, EvidenceLink, Span, Statement


class RenameRefused(ValueError):
    """A rename that would merge two elements or break the syntax."""


def definitions(analysis: Analysis, occurrence: Occurrence) -> list[Occurrence]:
    """Where the element is defined: statements with text, argument descriptions with
    text or a PCS below them. `[X]` with no statement X but an argument X (G301) goes
    to the argument, as the finding's hint suggests."""
    found = [o for o in analysis.all_of(occurrence.key) if o.role == DEFINITION]
    if occurrence.kind is ElementKind.ARGUMENT:
        found = _argument_definitions(analysis, occurrence.title, found)
    if not found and occurrence.kind is ElementKind.STATEMENT:
        other = (ElementKind.ARGUMENT, occurrence.title)
        found = _argument_definitions(
            analysis, occurrence.title, [o for o in analysis.all_of(other) if o.role == DEFINITION]
        )
    return found


def _argument_definitions(analysis: Analysis, title: str, described: list[Occurrence]) -> list[Occurrence]:
    argument = analysis.document.arguments.get(title)
    if argument is None:
        return described
    with_text = [d.title_span for d in argument.descriptions if d.text and d.title_span is not None]
    spans = set(with_text)
    if argument.pcs_span is not None:
        above = [
            d.title_span
            for d in argument.descriptions
            if d.title_span is not None and d.title_span.line < argument.pcs_span.line
        ]
        if above:
            spans.add(max(above, key=lambda s: s.line))
    every = analysis.all_of((ElementKind.ARGUMENT, title))
    chosen = [o for o in every if o.span in spans]
    return chosen or described or [o for o in every if o.role == REFERENCE][:1]


def location(uri: str, analysis: Analysis, span: Span) -> types.Location:
    return types.Location(uri=uri, range=span_range(analysis.lines, span))


def evidence_link_at(analysis: Analysis, line: int, column: int) -> EvidenceLink | None:
    for statement in _evidence_statements(analysis):
        for link in statement.evidence:
            if contains(link.span, line, column):
                return link
    return None


def _evidence_statements(analysis: Analysis) -> list[Statement]:
    from argmap.evidence.check import evidence_statements

    return evidence_statements(analysis.document)


def evidence_location(analysis: Analysis, link: EvidenceLink) -> types.Location | None:
    """The cited lines of the evidence file, resolved inside the project root as the
    checker does (a path that leaves the root has no location)."""
    from argmap.evidence.paths import project_root, resolve_evidence_path

    resolved = resolve_evidence_path(link.path, analysis.path, project_root(analysis.path))
    if resolved.path is None:
        return None
    start = max((link.line_start or 1) - 1, 0)
    end = max((link.line_end or link.line_start or 1) - 1, start)
    return types.Location(
        uri=Path(resolved.path).resolve().as_uri(),
        range=types.Range(
            start=types.Position(line=start, character=0), end=types.Position(line=end + 1, character=0)
        ),
    )


def title_range(analysis: Analysis, occurrence: Occurrence) -> types.Range | None:
    """The range of the title inside the brackets of `occurrence`."""
    span = occurrence.span
    if span.line != span.end_line or not 0 < span.line <= len(analysis.lines):
        return None
    text = analysis.lines[span.line - 1]
    start = text.find(occurrence.title, span.column - 1, span.end_column - 1)
    if start < 0:
        return None
    inner = Span(
        line=span.line, column=start + 1, end_line=span.line, end_column=start + 1 + len(occurrence.title)
    )
    return span_range(analysis.lines, inner)


def rename_edits(analysis: Analysis, occurrence: Occurrence, new_title: str) -> list[types.TextEdit]:
    """One edit per occurrence of the element; raises `RenameRefused`."""
    new_title = new_title.strip()
    if not new_title:
        raise RenameRefused("a title cannot be empty")
    if any(char in new_title for char in "[]<>\n\r") or new_title.startswith("@"):
        raise RenameRefused(f"{new_title!r} cannot be written between brackets")
    if new_title == occurrence.title:
        return []
    if new_title in analysis.titles(occurrence.kind):
        written = f"[{new_title}]" if occurrence.kind is ElementKind.STATEMENT else f"<{new_title}>"
        raise RenameRefused(f"{written} already exists; renaming would merge two elements")
    edits: list[types.TextEdit] = []
    for other in analysis.all_of(occurrence.key):
        where = title_range(analysis, other)
        if where is not None:
            edits.append(types.TextEdit(range=where, new_text=new_title))
    return edits

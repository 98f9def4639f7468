"""Document symbols (sections > arguments > statements) and folding ranges."""

from __future__ import annotations

from dataclasses import dataclass, field

from lsprotocol import types

from argmap.lsp.analysis import Analysis
from argmap.lsp.positions import span_range
from argmap.model import Argument, ArgumentDescription, Document, Span


@dataclass
class _Node:
    name: str
    kind: types.SymbolKind
    span: Span
    selection: Span
    detail: str = ""
    children: list[_Node] = field(default_factory=list)

    def symbol(self, lines: list[str]) -> types.DocumentSymbol:
        return types.DocumentSymbol(
            name=self.name or "(untitled)",
            detail=self.detail,
            kind=self.kind,
            range=span_range(lines, self.span),
            selection_range=span_range(lines, self.selection),
            children=[c.symbol(lines) for c in sorted(self.children, key=lambda n: n.span.line)],
        )


def _last_line(lines: list[str], line: int) -> tuple[int, int]:
    """The last non-blank line at or above `line`, with its end column."""
    while line > 1 and not lines[line - 1].strip():
        line -= 1
    return line, len(lines[line - 1]) + 1 if 0 < line <= len(lines) else 1


def _section_nodes(document: Document, lines: list[str]) -> list[_Node]:
    nodes = []
    sections = document.sections
    for index, section in enumerate(sections):
        end = len(lines)
        for later in sections[index + 1 :]:
            if later.level <= section.level:
                end = later.span.line - 1
                break
        end_line, end_column = _last_line(lines, max(end, section.span.line))
        span = Span(line=section.span.line, column=1, end_line=end_line, end_column=end_column)
        nodes.append(_Node(section.title, types.SymbolKind.Namespace, span, section.span))
    return nodes


def _heading_of_pcs(argument: Argument) -> ArgumentDescription | None:
    """The `<Title>` line written above the argument's PCS (the last one before it)."""
    if argument.pcs_span is None:
        return None
    above = [d for d in argument.descriptions if d.span.line < argument.pcs_span.line]
    return max(above, key=lambda d: d.span.line) if above else None


def _argument_node(argument: Argument) -> _Node | None:
    described = [d for d in argument.descriptions if not d.is_reference]
    heading = _heading_of_pcs(argument)
    if heading is not None and heading not in described:
        described.append(heading)
    defining = [d.span for d in described]
    if argument.pcs_span is not None:
        defining.append(argument.pcs_span)
    if not defining:
        return None
    start = min(defining, key=lambda s: (s.line, s.column))
    end = max(defining, key=lambda s: (s.end_line, s.end_column))
    span = Span(line=start.line, column=start.column, end_line=end.end_line, end_column=end.end_column)
    titles = sorted((d.title_span for d in described if d.title_span is not None), key=lambda t: t.line)
    selection = (
        titles[0]
        if titles
        else Span(line=start.line, column=start.column, end_line=start.line, end_column=start.column)
    )
    node = _Node(f"<{argument.title}>", types.SymbolKind.Class, span, selection)
    for member in argument.pcs:
        statement = member.statement
        node.children.append(
            _Node(
                f"({member.number}) [{statement.title}]"
                if not statement.is_untitled
                else f"({member.number})",
                types.SymbolKind.Property,
                statement.span,
                statement.title_span or statement.span,
                detail=member.role.value,
            )
        )
    return node


def _nodes(document: Document, lines: list[str]) -> list[_Node]:
    items: list[_Node] = []
    in_pcs = {id(m.statement) for a in document.arguments.values() for m in a.pcs}
    for argument in document.arguments.values():
        node = _argument_node(argument)
        if node is not None:
            items.append(node)
    for cls in document.statements.values():
        for member in cls.members:
            if id(member) in in_pcs or member.is_reference:
                continue
            name = f"[{cls.title}]" if not cls.is_untitled else member.text[:40]
            items.append(_Node(name, types.SymbolKind.String, member.span, member.title_span or member.span))
    return items


def document_symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    lines = analysis.lines
    sections = _section_nodes(analysis.document, lines)
    roots: list[_Node] = []
    # Nest each section in the nearest enclosing one, then each item in the innermost section.
    stack: list[_Node] = []
    for node in sections:
        while stack and stack[-1].span.end_line < node.span.line:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    for item in _nodes(analysis.document, lines):
        # the innermost section holding the item: the last one that starts above it
        holders = [s for s in sections if s.span.line <= item.span.line <= s.span.end_line]
        owner = max(holders, key=lambda s: s.span.line) if holders else None
        (owner.children if owner else roots).append(item)
    return [n.symbol(lines) for n in sorted(roots, key=lambda n: n.span.line)]


def folding_ranges(analysis: Analysis) -> list[types.FoldingRange]:
    ranges: dict[tuple[int, int], types.FoldingRange] = {}

    def add(span: Span, kind: str = types.FoldingRangeKind.Region) -> None:
        if span.end_line > span.line:
            ranges.setdefault(
                (span.line, span.end_line), types.FoldingRange(span.line - 1, span.end_line - 1, kind=kind)
            )

    lines = analysis.lines
    for node in _section_nodes(analysis.document, lines):
        add(node.span)
    for node in _nodes(analysis.document, lines):
        add(node.span)
        for child in node.children:
            add(child.span)
    return [ranges[key] for key in sorted(ranges)]

"""argmap's 1-based character columns <-> LSP positions (0-based, UTF-16 code units).

LSP clients count columns in UTF-16 code units unless both sides agree otherwise;
argmap counts characters. Only lines with characters outside the BMP differ.
"""

from __future__ import annotations

from lsprotocol import types

from argmap.model import Span


def _utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def position(lines: list[str], line: int, column: int) -> types.Position:
    """The LSP position of 1-based `line`, `column` (character count)."""
    index = max(line - 1, 0)
    text = lines[index] if index < len(lines) else ""
    return types.Position(line=index, character=_utf16_length(text[: max(column - 1, 0)]))


def span_range(lines: list[str], span: Span) -> types.Range:
    return types.Range(
        start=position(lines, span.line, span.column), end=position(lines, span.end_line, span.end_column)
    )


def line_column(lines: list[str], where: types.Position) -> tuple[int, int]:
    """The 1-based line and character column of an LSP position (clamped to the text)."""
    index = min(max(where.line, 0), max(len(lines) - 1, 0))
    text = lines[index] if lines else ""
    if text.isascii():
        return index + 1, min(max(where.character, 0), len(text)) + 1
    units = 0
    for offset, char in enumerate(text):
        if units >= where.character:
            return index + 1, offset + 1
        units += 2 if ord(char) > 0xFFFF else 1
    return index + 1, len(text) + 1


def contains(span: Span, line: int, column: int) -> bool:
    """Whether 1-based (`line`, `column`) lies in `span` (end inclusive, so a cursor
    just after `]` still counts)."""
    if line < span.line or line > span.end_line:
        return False
    if line == span.line and column < span.column:
        return False
    return not (line == span.end_line and column > span.end_column)

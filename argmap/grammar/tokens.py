"""Where things are in a line token: line, column and spans of offsets into it.

Lark's tokens carry the line and column where they start; a token may hold several
lines (an element and its continuation lines), so offsets into its text are turned
into positions here.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from lark import Token

from argmap.model import Span, make_span


def token_end(token: Token) -> tuple[int, int]:
    """Where a line token's text ends (tokens also carry the line break after them)."""
    value = token.value
    return position(token, len(value.rstrip()))


def span_of(first: Token, last: Token) -> Span:
    end_line, end_column = token_end(last)
    return make_span(first.line, first.column, end_line, end_column)  # type: ignore[arg-type]


def token_line(token: Token) -> int:
    return token.line  # type: ignore[return-value]  # always set by Lark's lexer


def token_column(token: Token) -> int:
    return token.column  # type: ignore[return-value]


def position(token: Token, offset: int) -> tuple[int, int]:
    """Line and column of `offset` characters into a (possibly multi-line) token."""
    if offset > _FAR:
        return _far_position(token, offset)
    value: str = token.value
    line: int = token.line  # type: ignore[assignment]  # read directly: this runs for every piece
    newline = value.rfind("\n", 0, offset)
    if newline == -1:
        return line, token.column + offset  # type: ignore[operator]
    return line + value.count("\n", 0, offset), offset - newline


# Far into a token (a statement wrapped over thousands of lines), counting its line
# breaks at every position asked for is quadratic when many are asked for (a finding
# on each line); the breaks of the last such token are listed once instead.
_FAR = 4096
_LINE_BREAK = re.compile("\n")
_last_far: tuple[object, list[int]] = (None, [])


def _far_position(token: Token, offset: int) -> tuple[int, int]:
    global _last_far
    known, breaks = _last_far  # one read: another thread may replace it
    if known is not token:
        value = token.value
        breaks = [match.start() for match in _LINE_BREAK.finditer(value)]
        _last_far = (token, breaks)
    before = bisect_left(breaks, offset)  # the line breaks before `offset`
    if before == 0:
        return token_line(token), token_column(token) + offset
    return token_line(token) + before, offset - breaks[before - 1]

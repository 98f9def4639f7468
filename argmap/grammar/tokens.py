"""Where things are in a line token: line, column and spans of offsets into it.

Lark's tokens carry the line and column where they start; a token may hold several
lines (an element and its continuation lines), so offsets into its text are turned
into positions here.
"""

from __future__ import annotations

from lark import Token

from argmap.model import Span, make_span


def token_end(token: Token) -> tuple[int, int]:
    """Where a line token's text ends (tokens also carry the line break after them)."""
    value = token.value
    return position(token, len(value.rstrip()))


def span_of(first: Token, last: Token) -> Span:
    end_line, end_column = token_end(last)
    return make_span(token_line(first), token_column(first), end_line, end_column)


def token_line(token: Token) -> int:
    return token.line  # type: ignore[return-value]  # always set by Lark's lexer


def token_column(token: Token) -> int:
    return token.column  # type: ignore[return-value]


def position(token: Token, offset: int) -> tuple[int, int]:
    """Line and column of `offset` characters into a (possibly multi-line) token."""
    value = token.value
    newline = value.rfind("\n", 0, offset)
    if newline == -1:
        return token_line(token), token_column(token) + offset
    return token_line(token) + value.count("\n", 0, offset), offset - newline

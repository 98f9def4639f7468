"""The post-lexer: turns Lark's line tokens into the block stream the grammar expects.

It decides what an empty line is (a line that held only a comment is not one), emits
one `_BLANK` per gap between blocks (and reports a heading or frontmatter that is
directly followed by another block, which Argdown rejects), reports indentation mixing tabs and
spaces, and can be told by the error handler to skip the rest of a broken block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lark import Token

from argmap.diagnostics import Region
from argmap.grammar.codes import diagnostic
from argmap.grammar.source import SourceText

_SELF_CLOSING = frozenset({"HEADING", "FRONTMATTER"})
# Markers the reference finds after apostrophes too (its indentation class is `[' '\t]*`)
_APOSTROPHE_INDENTED = frozenset({"RELATION", "INFERENCE", "PCS_ITEM", "LIST_ITEM"})
_APOSTROPHES = re.compile(r"'[' \t]*")
_INDENTS = re.compile(r"\n([ \t]*)")


class ArgdownPostLexer:
    always_accept: tuple[str, ...] = ()

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.skip_block = False

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        closing: str | None = None  # a heading or frontmatter not yet closed by a blank
        for token in stream:
            value = token.value
            content = value.rstrip()
            if "\t" in value:  # no tab, no mixed indentation (most tokens)
                self._report_mixed_indent(token, content, value[len(content) :])
            # does an empty line follow the token?
            newlines = value.count("\n", len(content))
            blank = newlines > 1 and self._gap_is_empty(token, newlines)
            kind = token.type
            if closing is not None:
                # A heading or frontmatter must be followed by an empty line; report
                # it where the fix goes (the parser reads on as if the line were
                # there). A relation here is reported as one with no element above.
                if kind != "RELATION":
                    self._missing_blank(token, closing)
                closing = None
            if self.skip_block:
                # Resume at the next block; the `_BLANK` closes the broken one.
                if blank:
                    self.skip_block = False
                    yield _blank_at(token)
                continue
            if value[:1] == "'" and kind in _APOSTROPHE_INDENTED:
                token = _past_apostrophes(token)
            yield token
            if blank or kind in _SELF_CLOSING:
                yield _blank_at(token)
                if not blank:
                    closing = kind

    def _gap_is_empty(self, token: Token, newlines: int) -> bool:
        """Are the lines strictly inside the gap after the token empty? A line that held
        only a comment is not."""
        comment_only = self.source.comment_only_lines
        if not comment_only:
            return True
        first = (token.end_line or 1) - newlines + 1
        if newlines == 2:  # the common gap: one line between
            return first not in comment_only
        return any(n not in comment_only for n in range(first, first + newlines - 1))

    def _report_mixed_indent(self, token: Token, content: str, gap: str) -> None:
        """Tabs and spaces mixed in the indentation after the token, or in that of the
        continuation lines folded into it."""
        indent = gap[gap.rfind("\n") + 1 :]
        if "\t" in indent and " " in indent:
            self._mixed_indent(token.end_line or 1, len(indent))
        if "\t" in content and "\n" in content:
            for match in _INDENTS.finditer(content):
                inner = match.group(1)
                if " " in inner and "\t" in inner:
                    line = (token.line or 1) + content.count("\n", 0, match.start()) + 1
                    self._mixed_indent(line, len(inner))

    def _missing_blank(self, token: Token, after: str) -> None:
        line = token.line or 1
        what = "the frontmatter" if after == "FRONTMATTER" else "a heading"
        width = len(str(token.value).split("\n", 1)[0].rstrip())
        where = Region.on_line(line, token.column or 1, width)
        self.source.diagnostics.append(diagnostic("P127", self.source.path, where, "after-block", what=what))

    def _mixed_indent(self, line: int, width: int) -> None:
        self.source.diagnostics.append(diagnostic("P109", self.source.path, Region(line, 1, line, width + 1)))


# Token(...) without its keyword-argument checks: one `_BLANK` per gap between blocks
_new_token: Callable[..., Token] = getattr(Token, "_future_new", Token)


def _blank_at(token: Token) -> Token:
    """A `_BLANK` with the token's position (as `Token.new_borrow_pos` makes it)."""
    where = (token.start_pos, token.line, token.column, token.end_line, token.end_column, token.end_pos)
    return _new_token("_BLANK", "", *where)


def _past_apostrophes(token: Token) -> Token:
    """The token from its marker on: the apostrophes before it are indentation, as the
    reference lexer reads them (so they count in its indentation, from the line's text)."""
    match = _APOSTROPHES.match(token.value)
    assert match is not None
    skip = match.end()
    return Token(
        token.type,
        token.value[skip:],
        (token.start_pos or 0) + skip,
        token.line,
        (token.column or 1) + skip,
        token.end_line,
        token.end_column,
        token.end_pos,
    )

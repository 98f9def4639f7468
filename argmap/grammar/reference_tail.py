"""What may follow a reference `[T]` or `<T>`, as the reference grammar reads it.

There a reference is its token, then any number of tag tokens, then an optional line
break, then an optional data block (and relations below). Tags are tokens of their
own, so they may be glued to each other or to the reference (`[c]#a#b`, `#(x y)#z`);
a comment between them is skipped. Anything else (text, a link, a mention, an
emphasis marker, a tag on a line below) ends the statement where the grammar wants an
empty line, and the reference rejects the map. This reads the inline scanner's pieces,
so a tag here is exactly what the scanner takes for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token

from argmap.grammar.inline import Scan
from argmap.grammar.tokens import position


@dataclass(frozen=True, slots=True)
class Stray:
    """The first thing after a reference that the reference grammar does not take."""

    token: Token
    offset: int  # into the token's value
    tag_below: bool  # a tag on a line below the reference's own (not text)


def stray_after_reference(
    lines: list[Token], scans: list[Scan], first_offset: int, last_line: int
) -> Stray | None:
    """The first piece of text, or tag below `last_line` (the last physical line of the
    reference's own line: a block comment can carry it over lines), after a reference
    whose element is `lines` (scanned into `scans`, the first from `first_offset`).
    None when only tags, then a data block, follow it (what follows a data block is
    P132's)."""
    for index, (token, scan) in enumerate(zip(lines, scans, strict=True)):
        value = token.value
        pos = first_offset if index == 0 else 0
        for piece in scan.pieces:
            text = _first_text(value, pos, piece.start)
            if text is not None:
                return Stray(token, text, False)
            if piece.kind in ("data", "unclosed-data"):
                return None  # a data block ends the element (an unclosed one is P102)
            if piece.kind != "tag":
                return Stray(token, piece.start, False)
            if position(token, piece.start)[0] > last_line:
                return Stray(token, piece.start, True)
            pos = piece.end
        text = _first_text(value, pos, len(value))
        if text is not None:
            return Stray(token, text, False)
    return None


def _first_text(value: str, start: int, end: int) -> int | None:
    """Offset of the first non-blank character of `value[start:end]`, if any."""
    gap = value[start:end]
    stripped = gap.lstrip()
    return None if not stripped else start + len(gap) - len(stripped)

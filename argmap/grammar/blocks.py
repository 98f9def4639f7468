"""Parse-tree callbacks: Lark calls these while it parses (no tree is ever built).

Each rule becomes a small record of the line tokens it covers; `builder.py` turns
those records into the typed model. Keeping this layer dumb keeps it fast: it runs
once per line of the map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lark import Token

from argmap.grammar.inline import LOGICAL_LINE


class Line:
    """One logical line of a multi-line token: what the builder reads (`value`,
    `line`, `column`, as on a Lark `Token`)."""

    __slots__ = ("column", "line", "type", "value")

    def __init__(self, kind: str, value: str, line: int, column: int) -> None:
        self.type = kind
        self.value = value
        self.line = line
        self.column = column


def split_lines(token: Token) -> list[Token]:
    """A token's logical lines: the token itself when it holds one line, else one
    `Line` per line (a data block spanning lines stays in its line)."""
    value = token.value
    content = value.rstrip()
    if "\n" not in content:
        return [token]
    lines: list[Token] = []
    number: int = token.line  # type: ignore[assignment]
    column: int = token.column  # type: ignore[assignment]
    pos = 0
    end = len(content)
    kind = token.type
    while pos < end:
        match = LOGICAL_LINE.match(content, pos)
        assert match is not None  # the pattern matches the empty string
        text = match.group()
        if pos + len(text) >= end and pos == 0 and text == content:
            return [token]  # one logical line holding a multi-line data block
        lines.append(Line(kind, text, number, column))  # type: ignore[arg-type]
        kind = "TEXT"
        number += text.count("\n")
        pos = match.end()
        if pos >= end:
            break
        # skip the line break and the next line's indentation
        next_start = pos + 1
        while next_start < end and content[next_start] in " \t":
            next_start += 1
        number += 1
        column = next_start - pos
        pos = next_start
    return lines


def _expand(tokens: list[Token]) -> list[Token]:
    if len(tokens) == 1:
        return split_lines(tokens[0])
    out: list[Token] = []
    for token in tokens:
        out.extend(split_lines(token))
    return out


@dataclass(slots=True)
class RawRelation:
    lines: list[Token]


@dataclass(slots=True)
class RawElement:
    """A statement or argument line with its continuation lines and relation tree."""

    lines: list[Token]
    tree: list[RawRelation] = field(default_factory=list)


@dataclass(slots=True)
class RawPcsLine:
    is_inference: bool
    lines: list[Token]
    tree: list[RawRelation] = field(default_factory=list)


@dataclass(slots=True)
class RawPcs:
    items: list[RawPcsLine]


@dataclass(slots=True)
class RawElementWithPcs:
    element: RawElement
    pcs: RawPcs


@dataclass(slots=True)
class RawHeading:
    token: Token


@dataclass(slots=True)
class RawFrontmatter:
    token: Token


@dataclass(slots=True)
class RawList:
    items: list[RawElement]


@dataclass(slots=True)
class RawOrphanTree:
    tree: list[RawRelation]


RawBlock = RawElement | RawElementWithPcs | RawPcs | RawHeading | RawFrontmatter | RawList | RawOrphanTree


def _split(children: list[Any]) -> tuple[list[Token], list[RawRelation]]:
    """A line rule's children: its line tokens, then its relation tree (a list) if any."""
    if children[-1].__class__ is list:
        return children[:-1], children[-1]
    return children, []


class BlockCollector:
    """Lark rule callbacks; method names are the grammar's rule names.

    Not a `lark.Transformer`: Lark routes a rule without a method through a
    transformer's `__default__` (two more calls per reduction), and here those are
    only the repetitions and `_block`, which the rule above inlines. Without one,
    Lark builds their short-lived trees directly (1% of the instructions of parsing
    a 28,000-line map)."""

    def start(self, children: list[RawBlock]) -> list[RawBlock]:
        return children

    def element(self, children: list[Any]) -> RawElement:
        return RawElement(*_split(children))

    def element_with_pcs(self, children: list[Any]) -> RawElementWithPcs:
        return RawElementWithPcs(children[0], children[1])

    def list_item(self, children: list[Any]) -> RawElement:
        return RawElement(*_split(children))

    def list_block(self, children: list[RawElement]) -> RawList:
        return RawList(children)

    def pcs(self, children: list[RawPcsLine]) -> RawPcs:
        return RawPcs(children)

    def pcs_item(self, children: list[Any]) -> RawPcsLine:
        return RawPcsLine(False, *_split(children))

    def inference(self, children: list[Any]) -> RawPcsLine:
        # an inference's rules and data sit on lines of their own: split them
        lines, tree = _split(children)
        return RawPcsLine(True, _expand(lines), tree)

    def tree(self, children: list[RawRelation]) -> list[RawRelation]:
        return children

    def relation(self, children: list[Token]) -> RawRelation:
        return RawRelation(children)

    def orphan_tree(self, children: list[list[RawRelation]]) -> RawOrphanTree:
        return RawOrphanTree(children[0])

    def heading(self, children: list[Token]) -> RawHeading:
        return RawHeading(children[0])

    def frontmatter(self, children: list[Token]) -> RawFrontmatter:
        return RawFrontmatter(children[0])

    def continuation(self, children: list[Token]) -> Token:
        token: Token = children[0]
        return token

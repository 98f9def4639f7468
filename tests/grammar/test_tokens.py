"""Positions inside multi-line tokens: far into a long token (where its line breaks
are listed once) they are what counting the breaks before the offset gives."""

from __future__ import annotations

import random

from lark import Token

from argmap.grammar import parse_text
from argmap.grammar.tokens import position


def _by_counting(token: Token, offset: int) -> tuple[int, int]:
    before = token.value[:offset]
    if "\n" not in before:
        return token.line, token.column + offset  # type: ignore[operator]
    return token.line + before.count("\n"), offset - before.rfind("\n")  # type: ignore[operator]


def test_positions_far_into_long_tokens() -> None:
    rng = random.Random(3)
    for _ in range(40):
        value = "".join(rng.choice(["a", " ", "\n", "bc"]) for _ in range(rng.randint(4000, 12000)))
        token = Token("TEXT", value, line=rng.randint(1, 50), column=rng.randint(1, 9))
        for offset in sorted(rng.sample(range(len(value) + 1), 60)):
            assert position(token, offset) == _by_counting(token, offset)


def test_findings_on_every_line_of_a_long_statement() -> None:
    # 3,000 lines each opening an italic range nothing closes (P133): each at its line
    text = "[A]: start\n" + "  *x\n" * 3000
    found = [d for d in parse_text(text).diagnostics if d.code == "P133"]
    assert [(d.line, d.column) for d in found] == [(line, 3) for line in range(2, 3002)]

"""The line terminals' possessive repetitions (`argdown.lark`) take what their
backtracking forms take: every parser state's lexer, at every offset of random text
made of the characters that matter to them, gives the same token (text and kind)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.grammar import _DISPATCH, GRAMMAR_PATH, _parser

_POSSESSIVE_TERMINALS = ("_CONT:", "_REST:", "TEXT.1:")
# what starts _CONT's block-marker test: the characters a marker can start with
_MARKER_GUARD = "(?=[-'(<+_>*#=\\d])"


def _backtracking(grammar: str) -> str:
    """The grammar with the three terminals' repetitions written plain and no guard
    before the marker test, as they were."""
    lines = []
    for line in grammar.split("\n"):
        if line.startswith(_POSSESSIVE_TERMINALS):
            line = line.replace(_MARKER_GUARD, "").replace("*+", "*")
            line = line.replace('[^"\\\\\\n]++', '[^"\\\\\\n]')
        lines.append(line)
    return "\n".join(lines)


def _scanners(parser: Any) -> dict[frozenset[str], Any]:
    lexer = parser.parser.lexer.lexer
    found = {frozenset(t.name for t in basic.terminals): basic.scanner for basic in lexer.lexers.values()}
    found[frozenset()] = lexer.root_lexer.scanner
    return found


@lru_cache(maxsize=1)
def _both() -> tuple[dict[frozenset[str], Any], dict[frozenset[str], Any]]:
    from lark import Lark

    plain_text = _backtracking(GRAMMAR_PATH.read_text(encoding="utf-8"))
    plain = Lark(plain_text, parser="lalr", lexer="contextual", postlex=_DISPATCH, maybe_placeholders=False)
    return _scanners(_parser()), _scanners(plain)


def _token(scanner: Any, text: str, pos: int) -> tuple[str, str] | None:
    for pattern in scanner._mres:
        found = pattern.match(text, pos)
        if found:
            return found.group(), found.lastgroup
    return None


def test_the_plain_form_differs_only_in_its_repetitions() -> None:
    grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
    plain = _backtracking(grammar)
    assert plain != grammar
    assert _MARKER_GUARD in grammar
    unguarded = grammar.replace(_MARKER_GUARD, "")
    assert plain.replace("*", "").replace("+", "") == unguarded.replace("*", "").replace("+", "")


def test_the_marker_guard_holds_the_first_character_of_every_marker() -> None:
    # the marker test (the negative lookahead of _CONT, after its guard), on a character
    # and each thing a marker may go on with: it matches only after a guard character
    import re

    grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
    start = grammar.index(_MARKER_GUARD) + len(_MARKER_GUARD)
    depth, end = 0, start
    while True:  # the group that follows the guard, to its closing parenthesis
        depth += {"(": 1, ")": -1}.get(grammar[end], 0) if grammar[end - 1] != "\\" else 0
        end += 1
        if depth == 0:
            break
    marker = re.compile(grammar[start:end])
    guard = re.compile(_MARKER_GUARD[3:-1])
    tails = ["", " ", "\n", "1) ", "1. ", "- ", "-", "+ ", "> ", "< ", "# ", "== ", "' - ", "\t"]
    starts = 0
    for code in range(0x3000):
        char = chr(code)
        if any(marker.match(char + tail) for tail in tails):
            assert guard.match(char), repr(char)
            starts += 1
    assert starts >= 20  # ' ( - < + _ > * # = and the digits


# data-block braces and quotes, escapes, line breaks and indentation, block markers
_PIECES = [*"{}\"\\\n \ta-+<>_*1.()#='[]:,x", "\n\n", '{a: "', '\\"', "---", "(1)", "  "]


@given(st.lists(st.sampled_from(_PIECES), max_size=24))
@settings(max_examples=400, deadline=None)
def test_each_state_lexer_takes_what_the_backtracking_one_takes(pieces: list[str]) -> None:
    text = "".join(pieces) + "\n"  # the decoded text always ends with a line break
    fast, plain = _both()
    assert fast.keys() == plain.keys()
    for key, scanner in fast.items():
        for pos in range(len(text)):
            assert _token(scanner, text, pos) == _token(plain[key], text, pos), (key, text, pos)


def test_a_quoted_string_in_a_data_block_across_lines() -> None:
    fast, plain = _both()
    text = '[A]: a {k: "x\\"y", l: [1,\n  - 2], m: {n: "}"}}\n  more\n\n'
    for key, scanner in fast.items():
        assert _token(scanner, text, 0) == _token(plain[key], text, 0)

"""Shortcodes in plain text: replaced where the reference lexer's special-character
token finds one, as a step-by-step reading of that token finds them (checked on random
punctuation soup and on the reference's own output), and what that token hides."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.grammar import inline
from argmap.grammar.inline import SHORTCODES, plain_text, scan_inline


def _token_end(text: str, at: int) -> int | None:
    """Where the reference lexer's special-character token starting at `at` ends: at
    the next same character (`.` or `:`) after at least one other, no blank between."""
    end = at + 1
    while end < len(text) and text[end] not in " \t\n":
        if text[end] == text[at] and end > at + 1:
            return end + 1
        end += 1
    return None


def _by_hand(text: str) -> str:
    """The reference lexer's reading, one position at a time: a token that is a code
    becomes its character, any other token stays text, and reading goes on after it."""
    out, at = [], 0
    while at < len(text):
        stop = _token_end(text, at) if text[at] in ".:" else None
        if stop is None:
            out.append(text[at])
            at += 1
        else:
            out.append(SHORTCODES.get(text[at:stop], text[at:stop]))
            at = stop
    return " ".join("".join(out).split())


def test_known_codes() -> None:
    assert plain_text("a .->. b :<->: c .<>. d .[]. e") == "a → b ↔ c ◇ d ◻ e"
    assert plain_text(":smile: .smile. :happy:") == "☺️ ☺ 😀"
    assert plain_text("mixed .happy: and :happy. stay") == "mixed .happy: and :happy. stay"


def test_random_text_matches_the_table() -> None:
    rng = random.Random(14)
    alphabet = [".", ":", "-", ">", "<", "_", "v", "^", "[", "]", "~", "A", "E", "y", "n", " ", "x"]
    words = [*SHORTCODES, "smile", "happy", "+1", "-1"]
    for _ in range(3000):
        parts = [rng.choice(alphabet) if rng.random() < 0.7 else rng.choice(words) for _ in range(12)]
        text = "".join(parts)
        assert plain_text(text) == _by_hand(text), text


# @argdown/cli 1.7.5 on these texts (golden document 60_shortcode_tokens): a code is
# replaced only where the lexer's special-character token (from a `.` or `:` lazily to
# the next) is exactly that code
SHORTCODE_TOKENS = [
    ("a.b.up. and x:y:+1: z", "a.b.up. and x✔+1: z"),
    ("time 10:30:+1: and ..up.. and .up.. end", "time 10:30:+1: and ..up.. and 👍. end"),
    (":up::up: and .up.up. x and a.up.b", "👍👍 and 👍up. x and a👍b"),
]


@pytest.mark.parametrize(("text", "expected"), SHORTCODE_TOKENS)
def test_shortcodes_as_the_reference_lexer_tokenises(text: str, expected: str) -> None:
    assert plain_text(text) == expected


def test_special_character_tokens_hide_what_they_hold() -> None:
    # @argdown/cli 1.7.5 (golden document 62): no tag, mention or link inside `.x.`
    scan = scan_inline("a.#tag. x.@[A]. Fig.[1](https://x.org/p.pdf) e.g.[Smith](https://x.org) #real")
    assert [(p.kind, p.value) for p in scan.pieces if p.kind != "special"] == [
        ("link", "Smith"),
        ("tag", "real"),
    ]
    assert scan.text == "a.#tag. x.@[A]. Fig.[1](https://x.org/p.pdf) e.g.Smith #real"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 \\:+1: 2", "1 :+1: 2"),  # the escape token comes first: no shortcode starts at `:`
        ("\\.A. and .A.", ".A. and ∀"),
        ("\\::+1:", ":👍"),  # after the escaped `:`, a code starts at the next one
        ("a\\.b.A.", "a.b∀"),
        ("2\\.0 and \\*not\\* \\_emph\\_", "2.0 and *not* _emph_"),
    ],
)
def test_an_escaped_character_starts_no_shortcode(raw: str, expected: str) -> None:
    # expected: the text `argdown json` (@argdown/cli 1.7.5) gives each as a statement
    assert plain_text(scan_inline(raw).text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("see [to:+1:ng](#x) and :+1: here", "see to:+1:ng and 👍 here"),  # a link's label
        ("a #(x :+1: y) b .A. c", "a #(x :+1: y) b ∀ c"),  # a bracketed tag
        ("a @[B .A. c] d :y:", "a @[B .A. c] d ✔"),  # a mention
        ("a [l:happy:](u) :happy: #(t .v.)", "a l:happy: 😀 #(t .v.)"),
        ("a #a.b. c", "a #a.b. c"),  # `#a`, then `.b.`: a special-character token, no code
    ],
)
def test_no_shortcode_inside_a_link_tag_or_mention(raw: str, expected: str) -> None:
    # expected: the text `argdown json` (@argdown/cli 1.7.5) gives each as a statement: a
    # special-character token starts only where a token starts, never inside another
    assert plain_text(scan_inline(raw).text) == expected


def test_a_bracketed_tag_runs_to_its_parenthesis_on_a_later_line() -> None:
    # the reference's tag token is `#(` up to the first `)`, over line breaks too; its
    # name keeps the break (`argdown json` lists the tag "public\ntransport")
    scan = scan_inline("riders #(public\ntransport) and #(cost #1)\n#(never closed")
    assert [(p.kind, p.value) for p in scan.pieces] == [("tag", "public\ntransport"), ("tag", "cost #1")]
    assert plain_text(scan.text) == "riders #(public transport) and #(cost #1) #(never closed"


@pytest.mark.parametrize(
    "text",
    [
        "[A]: a [Spaced](: text\n",
        "[A]: see [x](y and more\n",
        "[A]: a\n\n[Spaced](: Escaped\\ spaces\n    + [Quote]: q\n",
    ],
)
def test_a_link_opener_with_no_closing_parenthesis_anywhere_is_a_reference(text: str) -> None:
    # no `)` on the line and no link token over lines: the reference reads `[x]` as a
    # reference token there and rejects the map (`argdown json`: "found '[x]'" / "found '('")
    from argmap.grammar import parse_text

    codes = [d.code for d in parse_text(text).diagnostics if d.level.value == "error"]
    assert "P126" in codes


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[A]: a\n[-B]: b\n", ("P127", 2)),  # a definition under a statement, no empty line
        ("[A]: a [-B]: b\n", ("P126", 1)),
        ("[A]: a <-B>: b\n", ("P126", 1)),
        ("[A]: a [-x] and y]: z\n", ("P126", 1)),  # lazily up to the first `]:`
    ],
)
def test_a_definition_token_with_a_title_starting_with_a_hyphen(text: str, where: tuple[str, int]) -> None:
    # the reference's reference token needs `[^-]` after the opener, its definition token
    # (tried first) takes any title: each of these is rejected by `argdown json`
    from argmap.grammar import parse_text

    found = [(d.code, d.line) for d in parse_text(text).diagnostics if d.level.value == "error"]
    assert found == [where]
    assert [d.code for d in parse_text("[A]: a [-B] b\n").diagnostics if d.level.value == "error"] == []


# The scanner's fast patterns against the plain patterns they stand for (written as
# they were before: an alternation, and the general data-block pattern).
_CANDIDATE_AS_ALTERNATION = re.compile(r"[\[@#{\\<]|[.:](?=[^\s])")
_PATTERN_TEXT = st.text(alphabet=".: \n\t\u00a0[@#{\\<ab", max_size=16)


def _read_alike(fast: re.Pattern[str], plain: re.Pattern[str], text: str, how: str) -> None:
    """`fast` finds what `plain` finds (`how`: "search" or "match") at every offset."""
    for pos in range(len(text) + 1):
        found, expected = getattr(fast, how)(text, pos), getattr(plain, how)(text, pos)
        assert (found and (found.span(), found.groupdict(), found.group())) == (
            expected and (expected.span(), expected.groupdict(), expected.group())
        ), (text, pos)


@given(_PATTERN_TEXT)
@settings(max_examples=500, deadline=None)
def test_the_candidate_search_finds_what_the_alternation_finds(text: str) -> None:
    _read_alike(inline._ANY_INLINE, _CANDIDATE_AS_ALTERNATION, text, "search")


@given(st.text(alphabet='{}"\\\n ab:,', max_size=16))
@settings(max_examples=1000, deadline=None)
def test_a_flat_data_block_ends_where_the_general_pattern_ends(rest: str) -> None:
    block = "{" + rest
    flat = inline._FLAT_DATA_BLOCK.match(block)
    if flat is not None:
        general = inline.DATA_BLOCK.match(block)
        assert general is not None and general.end() == flat.end()


def test_the_flat_data_block_pattern_takes_the_usual_block() -> None:
    block = '{reason: "indirect evidence, from ablations", credence: 0.47} #tag'
    flat = inline._FLAT_DATA_BLOCK.match(block)
    assert flat is not None and flat.group() == block[: block.index("}") + 1]
    # nesting, escapes and line breaks are the general pattern's
    for other in ("{a: {b: 1}}", '{a: "x\\"y"}', "{a: 1,\n b: 2}"):
        assert inline._FLAT_DATA_BLOCK.match(other) is None
        assert inline.DATA_BLOCK.match(other) is not None


_LINK_AS_LAZY = re.compile(r"\[(?P<label>[^\]\n]+?)\]\((?P<url>[^)\n]+?)\)")


@given(st.text(alphabet="[]()\n a", max_size=14))
@settings(max_examples=500, deadline=None)
def test_the_link_pattern_takes_what_the_lazy_pattern_takes(text: str) -> None:
    _read_alike(inline.LINK, _LINK_AS_LAZY, text, "match")


@given(st.text(alphabet="[]()\n a", max_size=16))
@settings(max_examples=500, deadline=None)
def test_a_link_read_in_its_window_is_what_the_closers_read(text: str) -> None:
    for start in (i for i, char in enumerate(text) if char == "["):
        fast, general = inline._Scanner(text, 0, False), inline._Scanner(text, 0, False)
        assert fast.bracket(start, 0) == general.bracket_by_closers(start, 0)
        assert (fast.pieces, fast.out) == (general.pieces, general.out)


def test_a_link_longer_than_the_window_is_read_by_the_closers() -> None:
    url = "https://example.org/" + "a" * inline._LINK_WINDOW
    (piece,) = scan_inline(f"see [paper]({url}) here").pieces
    assert (piece.kind, piece.value, piece.extra) == ("link", "paper", url)


def test_a_link_whose_label_is_longer_than_its_window_is_read_by_the_closers() -> None:
    label = "A paper title " * (inline._LABEL_WINDOW // 10)
    (piece,) = scan_inline(f"see [{label}](https://example.org/p) here").pieces
    assert (piece.kind, piece.value, piece.extra) == ("link", label, "https://example.org/p")

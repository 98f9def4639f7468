"""Shortcodes in plain text: replaced exactly as a left-to-right, longest-code-first
reading of Argdown's table replaces them (checked on random punctuation soup)."""

from __future__ import annotations

import random

from argmap.grammar.inline import SHORTCODES, plain_text


def _by_hand(text: str) -> str:
    """At each position, the longest code that starts there, else the character."""
    codes = sorted(SHORTCODES, key=len, reverse=True)
    out, at = [], 0
    while at < len(text):
        code = next((c for c in codes if text.startswith(c, at)), None)
        if code is None:
            out.append(text[at])
            at += 1
        else:
            out.append(SHORTCODES[code])
            at += len(code)
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

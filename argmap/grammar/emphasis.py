"""Emphasis ranges as the reference lexer reads them, to find the ones left open.

@argdown/core 1.7.5 reads `*`, `**`, `_` and `__` in running text as emphasis markers
and rejects a map in which a range is opened and never closed ("Incomplete italic text
range"). That is what happens to `snake_case`, `x_1` or `2*3` written without a
backslash. argmap reads such a character literally (it is what the author meant) but
reports the map as the reference would reject it (P133), at the marker, where the fix
goes (`snake\\_case`), so both tools accept and reject the same maps. The markers of
ranges that do close are dropped from the text, as the reference drops them
(`x_y_ z` reads `xy z`); no other `_` or `*` is.

The reference's rules, reproduced here and measured against it case by case
(tests/grammar/test_emphasis.py):

- at a marker, a range of the kind open innermost closes when its marker is followed
  by a space, a tab, the end of the text or one of `) } _ . , ! ? ; : - *`;
- otherwise `**`, `__`, `*`, `_` (in that order) opens a range when the next
  character is not whitespace, or when the map ends right after it (no line break);
- otherwise the character is plain text.

Links, tags, data blocks, mentions and references are whole tokens to the reference (a
marker inside them is not one), and so are `\\x` escapes and `.name.`/`:name:` special
characters. Tokens are read left to right: one that starts earlier takes the start of
a later one (`1.5[a_b](url)` is the special character `.5[a_b](url.`, then text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from argmap.grammar.patterns import TAG_CHAR

_OPENERS = ("**", "__", "*", "_")
_CLOSE_BEFORE = frozenset(" \t\n\r)}_.,!?;:-*")
_SPECIAL = re.compile(r"\.[^\s]+?\.|:[^\s]+?:")
# The reference's tag token, tried wherever a token starts (`A-z` takes `_` too).
_TAG = re.compile(rf"#(?:\([^)]+\)|{TAG_CHAR}+)")
_CANDIDATE = re.compile(r"[*_\\.:#]")


class OpenRanges:
    """The emphasis ranges open so far in one element's text, fed piece by piece."""

    __slots__ = ("closed", "stack")

    def __init__(self) -> None:
        self.stack: list[tuple[str, int, int]] = []  # (marker, part, offset)
        self.closed: list[tuple[int, int, int]] = []  # markers of closed ranges: (part, offset, length)

    def feed(self, text: str, tokens: Iterable[tuple[int, int]], where: int = 0) -> None:
        """Read `text` (part `where` of an element), skipping the `[start, end)` ranges
        other tokens take; markers are remembered by part and offset into `text`."""
        skips = iter(sorted(tokens))
        skip = next(skips, None)
        found = _CANDIDATE.search(text)
        while found is not None:
            at = found.start()
            while skip is not None and skip[1] <= at:
                skip = next(skips, None)
            if skip is not None and skip[0] <= at:
                found = _CANDIDATE.search(text, skip[1])
                continue
            after = self._step(text, at, where)
            while skip is not None and skip[0] < after:  # a token begun before it took its start
                skip = next(skips, None)
            found = _CANDIDATE.search(text, after)

    def _step(self, text: str, at: int, where: int) -> int:
        """Read the token at `at`; where reading goes on."""
        char = text[at]
        if char == "\\":
            return at + 2
        if char in ".:#":
            token = (_TAG if char == "#" else _SPECIAL).match(text, at)
            return at + 1 if token is None else token.end()
        if self.stack:
            marker = self.stack[-1][0]
            after = at + len(marker)
            if text.startswith(marker, at) and (after >= len(text) or text[after] in _CLOSE_BEFORE):
                _, opened_where, opened_at = self.stack.pop()
                self.closed += [(opened_where, opened_at, len(marker)), (where, at, len(marker))]
                return after
        for marker in _OPENERS:
            after = at + len(marker)
            # (the end of the text is the end of the map: a line break would be in `text`)
            if text.startswith(marker, at) and (after == len(text) or not text[after].isspace()):
                self.stack.append((marker, where, at))
                return after
        return at + 1

    def left_open(self) -> list[tuple[str, int, int]]:
        """The ranges never closed, outermost first."""
        return list(self.stack)

"""Emphasis ranges as the reference lexer reads them, to find the ones left open.

@argdown/core 1.7.5 reads `*`, `**`, `_` and `__` in running text as emphasis markers
and rejects a map in which a range is opened and never closed ("Incomplete italic text
range"). That is what happens to `snake_case`, `x_1` or `2*3` written without a
backslash. argmap reads such a character literally (it is what the author meant) but
reports the map as the reference would reject it (P133), at the marker, where the fix
goes (`snake\\_case`), so both tools accept and reject the same maps.

The reference's rules, reproduced here and measured against it case by case
(tests/grammar/test_emphasis.py):

- at a marker, a range of the kind open innermost closes when its marker is followed
  by a space, a tab, the end of the text or one of `) } _ . , ! ? ; : - *`;
- otherwise `**`, `__`, `*`, `_` (in that order) opens a range when the next
  character is not whitespace;
- otherwise the character is plain text.

Links, tags, data blocks, mentions and references are whole tokens to the reference (a
marker inside them is not one), and so are `\\x` escapes and `.name.`/`:name:` special
characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_OPENERS = ("**", "__", "*", "_")
_CLOSE_BEFORE = frozenset(" \t\n\r)}_.,!?;:-*")
_SPECIAL = re.compile(r"\.[^\s]+?\.|:[^\s]+?:")
_CANDIDATE = re.compile(r"[*_\\.:]")


class OpenRanges:
    """The emphasis ranges open so far in one element's text, fed piece by piece."""

    __slots__ = ("stack",)

    def __init__(self) -> None:
        self.stack: list[tuple[str, object, int]] = []  # (marker, where, offset)

    def feed(self, text: str, tokens: Iterable[tuple[int, int]], where: object = None) -> None:
        """Read `text`, skipping the `[start, end)` ranges other tokens take (in order);
        ranges opened are remembered with `where` and their offset into `text`."""
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
            found = _CANDIDATE.search(text, self._step(text, at, where))

    def _step(self, text: str, at: int, where: object) -> int:
        """Read the token at `at`; where reading goes on."""
        char = text[at]
        if char == "\\":
            return at + 2
        if char in ".:":
            special = _SPECIAL.match(text, at)
            return at + 1 if special is None else special.end()
        if self.stack:
            marker = self.stack[-1][0]
            after = at + len(marker)
            if text.startswith(marker, at) and (after >= len(text) or text[after] in _CLOSE_BEFORE):
                self.stack.pop()
                return after
        for marker in _OPENERS:
            after = at + len(marker)
            if text.startswith(marker, at) and after < len(text) and not text[after].isspace():
                self.stack.append((marker, where, at))
                return after
        return at + 1

    def left_open(self) -> list[tuple[str, object, int]]:
        """The ranges never closed, outermost first."""
        return list(self.stack)

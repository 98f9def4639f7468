"""Is an inference line (one-line or expanded) one the reference parser can read?

The reference lexes everything after the opening `--` in an inference mode of its own
and then expects, in this order: optionally a line break and the rules (one line of
comma-separated text), optionally a line break, optionally a data block and a line
break, the closing `--` (two or more hyphens) and a line break. So the rules fit on
one line, come before the data block, and nothing follows the closing hyphens.
`reference_problem` walks that sequence over the inference's text and says where it
breaks; the common `----` never gets here (see `pcs.py`).
"""

from __future__ import annotations

import re

from argmap.grammar.inline import DATA_BLOCK

# One token of the reference's inference mode: a line break (with the spaces before
# it), the closing hyphens, a data block's opening brace, a comma, spaces, or text
# (an escape, or a run of anything else; a lone `-` is text).
_TOKEN = re.compile(
    r"(?P<nl>[ \t]*\n)|(?P<end>-{2,})|(?P<data>\{)|(?P<comma>,)|(?P<sp>[ \t]+)|(?P<text>\\.|-|[^\n,{\\ \t-]+)"
)


def _tokens(text: str, pos: int) -> list[tuple[str, int]]:
    """(kind, offset) of each token from `pos`; consecutive text and the spaces inside
    it make one `text` token, and spaces between other tokens are dropped."""
    found: list[tuple[str, int]] = []  # (kind, offset)
    length = len(text)
    while pos < length:
        match = _TOKEN.match(text, pos)
        if match is None:  # a backslash at the very end: text
            kind, end = "text", length
        else:
            kind, end = str(match.lastgroup), match.end()
        if kind == "data":
            block = DATA_BLOCK.match(text, pos)
            kind, end = ("data", block.end()) if block is not None else ("text", pos + 1)
        if kind != "sp" and not (kind == "text" and found and found[-1][0] == "text"):
            found.append((kind, pos))
        pos = end
    return found


def reference_problem(text: str) -> tuple[int, str] | None:
    """Where (offset into `text`, which starts with the opening `--`) and how the
    reference parser fails on this inference: "after-end" for text after the closing
    hyphens, "" for anything else; None when it reads it."""
    text = text.rstrip()
    tokens = [*_tokens(text, 2), ("eof", len(text))]
    at = 0

    def kind() -> str:
        return tokens[at][0]

    if kind() == "nl" and tokens[at + 1][0] == "text":
        at += 1
    if kind() == "text":
        at += 1
        while kind() == "comma" and tokens[at + 1][0] == "text":
            at += 2
    if kind() == "nl":
        at += 1
    if kind() == "data":
        at += 1
        if kind() == "nl":
            at += 1
    if kind() != "end":
        return tokens[at][1], ""
    at += 1
    if kind() != "eof":
        return tokens[at][1], "after-end"
    return None

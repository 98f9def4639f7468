"""Where the reference lexer's bracket tokens lie on a line, for the comment pass.

@argdown/core 1.7.5 reads a title, a reference, a mention or a bracketed tag as one
token (`[See https://doi.org/x]: ...`, `<A /* draft */>`, `@[B // C]`, `#(a // b)`), so a comment opener
inside one is part of the title, not a comment: a comment is only found where a
token starts. This reads a line's tokens from its start as that lexer does, far
enough to tell which bracket tokens it holds. Each closer is searched for once per
line (`inline.Closers`), so a line of thousands of `[` costs linear time.
"""

from __future__ import annotations

import re

from argmap.grammar.inline import DATA_BLOCK, Closers

# where a token that matters here can start: a bracket, a mention, a comment, an
# escape, a data block or a bracketed tag
_START = re.compile(r"[\[<@\\{]|/[/*]|#\(")
_COMMENT_END = {"/*": "*/", "<!--": "-->"}
_MENTION_CLOSER = {"[": "]", "<": ">"}


def bracket_tokens(line: str) -> list[tuple[int, int]]:
    """The [start, end) offsets of the titles, references, mentions, links and
    bracketed tags (`#(...)`) on `line` (one line, no line break), in order."""
    spans: list[tuple[int, int]] = []
    closers = Closers(line)
    found = _START.search(line)
    while found is not None:
        at = found.start()
        end = _token_end(line, at, closers)
        if end is None:
            break  # a `//` comment, or a comment that runs past the line
        if end > at + 1 and line[at] in "[<@#" and not line.startswith("<!--", at):
            spans.append((at, end))
        found = _START.search(line, end)
    return spans


def _token_end(line: str, at: int, closers: Closers) -> int | None:
    """Where the token starting at `at` ends (at + 1 for a character that starts none),
    or None when the rest of the line is a comment."""
    char = line[at]
    if char == "\\":
        return at + 2
    if char == "[":
        return _square(line, at, closers)
    if line.startswith("//", at):
        return None
    for opener, closer in _COMMENT_END.items():
        if line.startswith(opener, at):
            close = closers.find(closer, at + len(opener))
            return None if close == -1 else close + len(closer)
    if char == "<":
        return _ends_at(closers, ">:", at + 2, 2) or _reference(line, at, ">", closers) or at + 1
    if char == "@":
        mention = _MENTION_CLOSER.get(line[at + 1 : at + 2])
        return (mention is not None and _ends_at(closers, mention, at + 3, 1)) or at + 1
    if char == "{":
        block = DATA_BLOCK.match(line, at) if closers.find("}", at) != -1 else None
        return at + 1 if block is None else block.end()
    close = closers.find(")", at + 2)  # `#(tag)`: one character or more inside
    return close + 1 if close > at + 2 else at + 1


def _square(line: str, at: int, closers: Closers) -> int:
    """`[label](url)`, else `[Title]:`, else `[Title]`, as the reference tries them."""
    close = closers.find("]", at + 1)  # a link's label: one character or more, no `]`
    if close > at + 1 and line.startswith("](", close):
        paren = closers.find(")", close + 2)
        if paren > close + 2:
            return paren + 1
    return _ends_at(closers, "]:", at + 2, 2) or _reference(line, at, "]", closers) or at + 1


def _reference(line: str, at: int, closer: str, closers: Closers) -> int:
    """`[Title]` / `<Title>`: a character other than `-`, then lazily up to the closer."""
    if at + 1 >= len(line) or line[at + 1] == "-":
        return 0
    return _ends_at(closers, closer, at + 2, 1)


def _ends_at(closers: Closers, closer: str, start: int, width: int) -> int:
    """The offset after the first `closer` at or after `start`, or 0 when there is none."""
    found = closers.find(closer, start)
    return 0 if found == -1 else found + width

"""Inline Argdown inside one block element: titles, tags, data, links, mentions.

The block grammar hands over logical lines; this module scans their text with a few
compiled regular expressions (one pass per line, C speed) and returns the pieces with
exact offsets. Emphasis markers and escapes are kept out of the plain `text`, as the
reference parser does; data blocks and tags are kept out of it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A YAML flow block with up to three levels of nesting (same shape as the grammar's).
_STR = r'"(?:[^"\\\n]|\\.)*"'
_CH = r'[^{}"\n]++|\n(?![ \t]*\n)'
_D1 = rf"\{{(?:{_CH}|{_STR})*\}}"
_D2 = rf"\{{(?:{_CH}|{_STR}|{_D1})*\}}"
_D3 = rf"\{{(?:{_CH}|{_STR}|{_D2})*\}}"
DATA_BLOCK = re.compile(_D3)
# One logical line: text and whole data blocks (which may span lines), or a line whose
# data block never closes.
LOGICAL_LINE = re.compile(rf"(?:[^\n{{]++|{_D3})*(?:\{{[^\n]*)?")

_TITLE_BODY = r"(?:[^\]\\\n]|\\.)+"
_ARG_BODY = r"(?:[^>\\\n]|\\.)+"

# Head of an element: `[Title]: text`, `[Title]`, `<Title>: text`, `<Title>`.
HEAD = re.compile(rf"(?P<kind>\[(?P<st>{_TITLE_BODY})\]|<(?P<at>{_ARG_BODY})>)(?P<colon>:)?(?=\s|$|:|#|\{{)")

INLINE = re.compile(
    r"(?P<link>\[(?P<label>(?:[^\]\\\n]|\\.)*)\]\((?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\))"
    rf"|(?P<mention>@(?:\[(?P<ms>{_TITLE_BODY})\]|<(?P<ma>{_ARG_BODY})>))"
    r"|(?P<tag>(?<![^\s(])#(?:\((?P<tagb>[^)\n]+)\)|(?P<tagh>[\w\-]+)))"
    r"|(?P<data>\{)"
    r"|(?P<esc>\\[^A-Za-z0-9\s])"
)

_ANY_INLINE = re.compile(r"[\[@#{\\]")
_EMPHASIS = re.compile(
    r"\*\*|__|(?<![^\W_])\*(?!\s)|(?<=\S)\*(?![^\W_])|(?<![^\W_])_(?!\s)|(?<=\S)_(?![^\W_])"
)
# Escaped emphasis characters hide in private-use code points until emphasis is gone.
_PROTECT = {"*": "\ue000", "_": "\ue001"}

# Argdown's special-character shortcodes: each name works as `.name.` and `:name:`
# (the same table as @argdown/core 1.7.5, which `:smile:`/`.smile.` differ in).
_SHORTCODE_NAMES = {
    "A": "∀",
    "E": "∃",
    "O": "𝗢",
    "P": "𝗣",
    "->": "→",
    "<->": "↔",
    "~": "¬",
    "^": "∧",
    "v": "∨",
    "v_": "⊻",
    "<>": "◇",
    "[]": "◻",
    "happy": "😀",
    "smiley": "☺",
    "laugh": "😆",
    "lol": "😆",
    "rofl": "🤣",
    "joy": "😂",
    "heart": "❤",
    "?": "❓",
    "question": "❓",
    "love": "😍",
    "wink": "😉",
    "shush": "🤫",
    "meh": "😐",
    "eye-roll": "🙄",
    "sad": "😢",
    "disappointed": "😞",
    "scream": "😱",
    "+1": "👍",
    "up": "👍",
    "-1": "👎",
    "down": "👎",
    "think": "🤔",
    "star": "⭐",
    "y": "✔",
    "agree": "✔",
    "n": "❌",
    "disagree": "❌",
}
SHORTCODES = {f"{d}{name}{d}": char for name, char in _SHORTCODE_NAMES.items() for d in ".:"}
SHORTCODES[".smile."] = "☺"
SHORTCODES[":smile:"] = "☺️"
_SHORTCODE = re.compile("|".join(re.escape(k) for k in sorted(SHORTCODES, key=len, reverse=True)))


@dataclass(slots=True)
class Piece:
    """An inline element found at `start`..`end` (offsets into the scanned string)."""

    kind: str  # link, mention-statement, mention-argument, tag, data, unclosed-data
    start: int
    end: int
    value: str = ""
    extra: str = ""


@dataclass(slots=True)
class Scan:
    text: str
    pieces: list[Piece] = field(default_factory=list)


def unescape_title(title: str) -> str:
    return re.sub(r"\\(.)", r"\1", title).strip()


def scan_inline(line: str, base: int = 0) -> Scan:
    """Find inline elements in `line`; offsets are `base` + index into `line`.

    Returns the text as the reference parser reports it: links become their label,
    escapes their character, data blocks disappear; tags and mentions stay.
    Candidate positions are found with a one-character class first, so long plain
    text (quotes) costs one C-level scan.
    """
    candidate = _ANY_INLINE.search(line)
    if candidate is None:
        return Scan(line, [])
    pieces: list[Piece] = []
    out: list[str] = []
    pos = 0
    while candidate is not None:
        start = candidate.start()
        match = INLINE.match(line, start)
        if match is None:
            candidate = _ANY_INLINE.search(line, start + 1)
            continue
        end = match.end()
        if match.group("data") is not None:
            out.append(line[pos:start])
            block = DATA_BLOCK.match(line, start)
            if block is None:
                # an unclosed brace takes the rest of its line; scanning goes on after it
                stop = line.find("\n", start)
                stop = len(line) if stop == -1 else stop
                pieces.append(Piece("unclosed-data", base + start, base + stop, line[start:stop]))
                end = stop
            else:
                pieces.append(Piece("data", base + start, base + block.end(), block.group()))
                end = block.end()
        elif match.group("link") is not None:
            out.append(line[pos:start])
            label = match.group("label")
            pieces.append(Piece("link", base + start, base + end, label, match.group("url")))
            out.append(label)
        elif match.group("mention") is not None:
            out.append(line[pos:end])
            if match.group("ms") is not None:
                title, kind = match.group("ms"), "mention-statement"
            else:
                title, kind = match.group("ma"), "mention-argument"
            pieces.append(Piece(kind, base + start, base + end, unescape_title(title)))
        elif match.group("tag") is not None:
            # The reference parser keeps tags in the statement text; so do we.
            out.append(line[pos:end])
            name = match.group("tagb") if match.group("tagb") is not None else match.group("tagh")
            pieces.append(Piece("tag", base + start, base + end, name.strip()))
        else:  # escape: keep the character, drop the backslash
            out.append(line[pos:start])
            char = match.group()[1]
            out.append(_PROTECT.get(char, char))
        pos = end
        candidate = _ANY_INLINE.search(line, pos)
    out.append(line[pos:])
    return Scan("".join(out), pieces)


def plain_text(raw: str) -> str:
    """Collapse whitespace, drop emphasis markers, apply shortcodes."""
    text = raw
    if "." in text or ":" in text:
        text = _SHORTCODE.sub(lambda m: SHORTCODES[m.group()], text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "\ue000" in text or "\ue001" in text:
        text = text.replace("\ue000", "*").replace("\ue001", "_")
    return " ".join(text.split())

"""Inline Argdown inside one block element: titles, tags, data, links, mentions.

The block grammar hands over logical lines; this module scans their text with a few
compiled regular expressions (one pass per line, C speed) and returns the pieces with
exact offsets. Emphasis markers and escapes are kept out of the plain `text`, as the
reference parser does; data blocks and tags are kept out of it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from argmap.grammar.patterns import TAG_CHAR

# A YAML flow block with up to three levels of nesting (same shape as the grammar's).
_STR = r'"(?:[^"\\\n]|\\.)*"'
_CH = r'[^{}"\n]++|\n'
_D1 = rf"\{{(?:{_CH}|{_STR})*\}}"
_D2 = rf"\{{(?:{_CH}|{_STR}|{_D1})*\}}"
_D3 = rf"\{{(?:{_CH}|{_STR}|{_D2})*\}}"
DATA_BLOCK = re.compile(_D3)
# The usual block (one line, no nesting, strings without escapes), read in one pass: it
# ends where DATA_BLOCK would (the first `}` outside a string), and the general pattern,
# which tries its alternatives at every character, reads only the rest.
_FLAT_DATA_BLOCK = re.compile(r'\{[^{}"\n\\]*+(?:"[^"\\\n]*+"[^{}"\n\\]*+)*+\}')
# One logical line: text and whole data blocks (which may span lines), or a line whose
# data block never closes. An escaped character is text (`\{` opens no data block), as
# in the block grammar's terminals.
LOGICAL_LINE = re.compile(rf"(?:[^\n{{\\]++|\\.?+|{_D3})*(?:\{{[^\n]*)?")

_TITLE_BODY = r"(?:[^\]\\\n]|\\.)+"
_ARG_BODY = r"(?:[^>\\\n]|\\.)+"

# Head of an element: `[Title]: text`, `[Title]`, `<Title>: text`, `<Title>`.
# (A reference's title does not start with `-`: `[-x]` and `<-x>` are text to the reference.)
HEAD = re.compile(
    rf"(?P<kind>\[(?P<st>(?!-){_TITLE_BODY})\]|<(?P<at>(?!-){_ARG_BODY})>)(?P<colon>:)?(?=\s|$|:|#|\{{)"
)
# A definition as the reference lexer reads one: `[` or `<`, then lazily anything on the
# line up to the first `]:` or `>:` (so `[W]hy]: text` defines "W]hy", as it does there).
HEAD_DEFINITION = re.compile(r"\[(?P<st>[^\n]+?)\]:|<(?P<at>[^\n]+?)>:")

# As the reference lexer reads a link: a label of one or more characters up to the
# first `]`, then a URL up to the first `)` (spaces allowed, no nested parentheses).
# (Written possessive: neither class holds its closer, so lazy and possessive take the
# same text, and possessive does not test the closer after every character.)
# Characters a link is first looked for in, and its label's `](` (`_Scanner.bracket`):
# a link past them is read the general way
_LINK_WINDOW = 512
_LABEL_WINDOW = 160
LINK = _LINK = re.compile(r"\[(?P<label>[^\]\n]++)\]\((?P<url>[^)\n]++)\)")
_MENTION = re.compile(rf"@(?:\[(?P<ms>{_TITLE_BODY})\]|<(?P<ma>{_ARG_BODY})>)")
# (`#(...)` runs to the first `)`, on a later line too: the reference's tag token does)
_TAG = re.compile(rf"#(?:\((?P<tagb>[^)]+)\)|(?P<tagh>{TAG_CHAR}+))")

# Where an inline element can start. `<` is one too: as in the reference lexer, a
# `[...]` or `<...>` inside running text is a statement or argument reference token
# (an error there), not text.
# (One character class first, the `.`/`:` condition after it: the regex engine then skips
# to candidates at C speed; as an alternation it tried both branches at every position,
# three times slower on a long statement.)
_ANY_INLINE = re.compile(r"[\[@#{\\<.:](?:(?<=[.:])(?=\S)|(?<![.:]))")
# The reference lexer's special-character token (`.name.`, `:name:`, or any other text
# from a `.` or `:` lazily to the next one, no blank between: `.b.` in `a.b.up.`, which
# is no code and leaves `up.` as text): it hides what it holds, so `a.#tag.` has no tag
# and `x:<B>:` no reference; which code it is, `plain_text` reads.
_SPECIAL_TOKEN = re.compile(r"\.[^\s][^\s.]*\.|:[^\s][^\s:]*:")
# Escaped characters that emphasis or a shortcode would read (`\*`, `\_`, `\:+1:`,
# `\.A.`) hide in private-use code points until both are done with the text.
_PROTECT = {"*": "\ue000", "_": "\ue001", ".": "\ue004", ":": "\ue005"}
_UNPROTECT = str.maketrans({hidden: char for char, hidden in _PROTECT.items()})
# Inside a link, tag or mention token the reference starts no special-character token:
# their `.` and `:` hide the same way (`[to:+1:](#x)` keeps its `:+1:`)
_HIDE_SPECIAL = str.maketrans({".": _PROTECT["."], ":": _PROTECT[":"]})


def _hide_special(text: str) -> str:
    return text.translate(_HIDE_SPECIAL) if "." in text or ":" in text else text


# What the markers of a closed emphasis range become before scanning (one character
# each, so offsets hold); `plain_text` drops it (argmap/grammar/emphasis.py).
DROPPED = "\ue002"
# A `{` that nothing closes is text, as in the reference lexer; the source pre-pass
# hides it here so no scanner takes it for a data block (`plain_text` restores it).
BRACE_TEXT = "\ue003"

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
    """A title as the reference keeps it: exactly as written between the brackets
    (`[ A ]` is not `[A]`, `[A\\_B]` keeps its backslash)."""
    if BRACE_TEXT in title:
        title = title.replace(BRACE_TEXT, "{")
    return title


class Closers:
    """The next closing character on the same physical line, cached: openers that
    share one closer (or have none) cost one search in all, so scanning stays linear
    in the line length however many `[`, `@[`, `#(` or `<` a line holds."""

    __slots__ = ("found", "line")

    def __init__(self, line: str) -> None:
        self.line = line
        self.found: dict[str, tuple[int, int]] = {}  # char -> (searched from, result)

    def find(self, char: str, at: int) -> int:
        """`line.find(char, at)`, answered from the last search for `char` when it can be."""
        known = self.found.get(char)
        if known is not None and known[0] <= at and (known[1] == -1 or known[1] >= at):
            return known[1]
        result = self.line.find(char, at)
        self.found[char] = (at, result)
        return result

    def close(self, char: str, at: int) -> int:
        """Index of the first `char` at or after `at` before the line ends, or -1."""
        # (`find` written out for both characters: every link and reference asks this)
        found_by_char = self.found
        known = found_by_char.get(char)
        if known is not None and known[0] <= at and (known[1] == -1 or known[1] >= at):
            found = known[1]
        else:
            found = self.line.find(char, at)
            found_by_char[char] = (at, found)
        if found == -1:
            return -1
        known = found_by_char.get("\n")
        if known is not None and known[0] <= at and (known[1] == -1 or known[1] >= at):
            newline = known[1]
        else:
            newline = self.line.find("\n", at)
            found_by_char["\n"] = (at, newline)
        return -1 if newline != -1 and newline < found else found


class _Scanner:
    def __init__(self, line: str, base: int, drop_tags: bool) -> None:
        self.line = line
        self.base = base
        self.drop_tags = drop_tags
        self.closers = Closers(line)
        self.read_links: dict[tuple[int, int], tuple[str, str] | None] = {}  # `_link_in_token`
        self.pieces: list[Piece] = []
        self.out: list[str] = []

    def piece(self, kind: str, start: int, end: int, value: str = "", extra: str = "") -> None:
        self.pieces.append(Piece(kind, self.base + start, self.base + end, value, extra))

    # Each handler takes the inline element starting at `start` (`line[pos:start]` is
    # plain text not yet copied) and returns where scanning goes on, or None for plain text.

    def angle(self, start: int, pos: int) -> int | None:
        return self.reference(start, pos, ">", "argument-reference")

    def special(self, start: int, pos: int) -> int | None:
        token = _SPECIAL_TOKEN.match(self.line, start)
        if token is None:
            return None
        self.out.append(self.line[pos : token.end()])
        self.piece("special", start, token.end())  # emphasis markers inside are none
        return token.end()

    def bracket(self, start: int, pos: int) -> int | None:
        # The usual link, read within a bounded window: a match there is the match the
        # reads below end in (the label runs to the first `]`, the URL to the first `)`,
        # both on the line); the window keeps a line of many `[` linear.
        line = self.line
        # (a `](` first, found at C speed a short label away: a line of many `[` holds none)
        if line.find("](", start + 2, start + _LABEL_WINDOW) != -1:
            match = _LINK.match(line, start, start + _LINK_WINDOW)
            if match is not None:
                return self.link(start, pos, match.end(), match.group("label"), match.group("url"))
        return self.bracket_by_closers(start, pos)

    def bracket_by_closers(self, start: int, pos: int) -> int | None:
        """A `[` read from the closers on its line: a link, a link over lines, or a
        reference."""
        line = self.line
        close = self.closers.close("]", start + 1)
        if close == -1:  # the first `]` is on a later line, if anywhere
            return self.over_lines(start, pos)
        # A link's label ends at the first `]` and its URL at the first `)` after `](`
        # on the line; with no `)` left the pattern could only fail, after reading to
        # the end of the line (quadratic on a line of `[x](`).
        if line.startswith("](", close):
            if self.closers.close(")", close + 2) == -1:  # the URL runs on, if anywhere
                # (no link token over lines either: `[T](` then text is a reference there)
                over = self.over_lines(start, pos)
                return over if over is not None else self.reference(start, pos, "]", "statement-reference")
            match = _LINK.match(line, start)
            if match is not None:
                return self.link(start, pos, match.end(), match.group("label"), match.group("url"))
        return self.reference(start, pos, "]", "statement-reference")

    def link(self, start: int, pos: int, end: int, label: str, url: str) -> int:
        """A link token `line[start:end]`: its label is its text (no shortcode in it)."""
        self.out.append(self.line[pos:start])
        self.piece("link", start, end, label, url)
        self.out.append(_hide_special(label))
        return end

    def over_lines(self, start: int, pos: int) -> int | None:
        """A link token over a line break at `start`, if the reference lexer reads one."""
        token = self.link_over_lines(start)
        if token is None:
            return None
        end, link = token
        line = self.line
        if link is None:  # the reference stops there: kept as text, the finding says why
            self.piece("link-over-lines", start, end, line[start:end])
            self.out.append(line[pos:end])
            return end
        return self.link(start, pos, end, *link)  # what the reference reads of the token

    def link_over_lines(self, start: int) -> tuple[int, tuple[str, str] | None] | None:
        """The reference lexer's link token at `start` when it runs over a line break:
        where it ends, and the (label, URL) the reference reads in it, or None when
        it reads none; None when there is no such token.

        That token is `\\[[^\\]]+?\\]\\([^)]+?\\)`: lazily to the first `]`, wherever it
        is, `(`, lazily to the first `)`. The reference then reads label and URL with
        `\\[(.+)\\]\\((.+)\\)`, whose `.` stops at a line break, and stops the whole
        export when that finds nothing in the token ("Could not match link")."""
        line, closers = self.line, self.closers
        if line[start + 1 : start + 2] in ("]", ""):
            return None
        close = closers.find("]", start + 1)
        if close == -1 or not line.startswith("](", close) or line[close + 2 : close + 3] in (")", ""):
            return None
        paren = closers.find(")", close + 2)
        newline = closers.find("\n", start)
        if paren == -1 or newline == -1 or newline > paren:
            return None
        return paren + 1, self._link_in_token(start, paren)

    def _link_in_token(self, start: int, paren: int) -> tuple[str, str] | None:
        """What `\\[(.+)\\]\\((.+)\\)` finds in `line[start : paren + 1]`. Its only `)`
        after a `](` is the last character, so a link lies on the token's last line:
        from the first `[` there to the last `](` at least two characters on and three
        before the end (the label's `.+` is greedy)."""
        line = self.line
        first = max(start, line.rfind("\n", start, paren) + 1)
        key = (first, paren)
        if key not in self.read_links:  # the same for every `[` before that line
            opener = line.find("[", first, paren)
            close = -1 if opener == -1 else line.rfind("](", opener + 2, paren - 1)
            found = None if close == -1 else (line[opener + 1 : close], line[close + 2 : paren])
            self.read_links[key] = found
        return self.read_links[key]

    def reference(self, start: int, pos: int, closer: str, kind: str) -> int | None:
        """`[...]` / `<...>` in running text: the reference lexer reads a reference or
        definition token there (`[^-]` after the opener, lazily up to the closer)."""
        line = self.line
        if start + 1 >= len(line) or line[start + 1] == "\n":
            return None
        if line[start + 1] == "-":
            # no reference token (`[^-]`), but the definition token, tried first, takes
            # any title: `[-x]: ...` inside text is one
            close = self.closers.close(closer + ":", start + 2)
            if close == -1:
                return None
            end = close + 2
        else:
            close = self.closers.close(closer, start + 2)
            if close == -1:
                return None
            end = close + 1
            if end < len(line) and line[end] == ":":
                end += 1
        self.out.append(line[pos:end])
        self.piece(kind, start, end, line[start:end])
        return end

    def mention(self, start: int, pos: int) -> int | None:
        line = self.line
        opener = line[start + 1 : start + 2]
        if opener not in ("[", "<") or self.closers.close("]" if opener == "[" else ">", start + 2) == -1:
            return None
        match = _MENTION.match(line, start)
        if match is None:
            return None
        self.out.append(line[pos:start])
        self.out.append(_hide_special(line[start : match.end()]))
        if match.group("ms") is not None:
            title, kind = match.group("ms"), "mention-statement"
        else:
            title, kind = match.group("ma"), "mention-argument"
        self.piece(kind, start, match.end(), unescape_title(title))
        return match.end()

    def tag(self, start: int, pos: int) -> int | None:
        line = self.line
        # as in the reference lexer, a tag starts at any `#` outside another token
        # (`word#tag` and `x)#tag` are tags too); `#(` reads to the first `)`, over the
        # element's later lines too
        if line.startswith("#(", start) and self.closers.find(")", start + 2) == -1:
            return None
        match = _TAG.match(line, start)
        if match is None:
            return None
        name = match.group("tagb") if match.group("tagb") is not None else match.group("tagh")
        self.piece("tag", start, match.end(), name)  # `#( a )` is the tag " a ", as there
        if not self.drop_tags:
            # The reference parser keeps tags in the statement text; so do we.
            self.out.append(line[pos:start])
            self.out.append(_hide_special(line[start : match.end()]))
            return match.end()
        # `removeTagsFromText`: the tag's token leaves the text, with the one blank
        # the reference lexer reads as part of it (`word#tag end` is "wordend")
        self.out.append(line[pos:start])
        end = match.end()
        return end + 1 if line[end : end + 1] in (" ", "\t") else end

    def data(self, start: int, pos: int) -> int:
        line = self.line
        self.out.append(line[pos:start])
        block = _FLAT_DATA_BLOCK.match(line, start) or DATA_BLOCK.match(line, start)
        if block is None:
            # an unclosed brace takes the rest of its line; scanning goes on after it
            stop = line.find("\n", start)
            stop = len(line) if stop == -1 else stop
            self.piece("unclosed-data", start, stop, line[start:stop])
            return stop
        self.piece("data", start, block.end(), block.group())
        return block.end()

    def escape(self, start: int, pos: int) -> int | None:
        line = self.line
        char = line[start + 1 : start + 2]
        if not char or char == "\n":
            return None  # a backslash before a line break (P136, from the source pass)
        # keep the character (any, as in the reference lexer), drop the backslash
        self.out.append(line[pos:start])
        self.out.append(_PROTECT.get(char, char))
        return start + 2


# the scanner's handler for each character `_ANY_INLINE` finds
_HANDLERS: dict[str, Callable[[_Scanner, int, int], int | None]] = {
    "[": _Scanner.bracket,
    "<": _Scanner.angle,
    "@": _Scanner.mention,
    "#": _Scanner.tag,
    "{": _Scanner.data,
    ".": _Scanner.special,
    ":": _Scanner.special,
    "\\": _Scanner.escape,
}


def scan_inline(line: str, base: int = 0, drop_tags: bool = False) -> Scan:
    """Find inline elements in `line`; offsets are `base` + index into `line`.

    Returns the text as the reference parser reports it: links become their label,
    escapes their character, data blocks disappear; tags and mentions stay (tags
    leave it with `drop_tags`, the frontmatter's `model.removeTagsFromText`).
    Candidate positions are found with a one-character class first, so long plain
    text (quotes) costs one C-level scan; each candidate costs work up to its own
    closer, found once (see `Closers`), so the scan is linear in the line length.
    """
    candidate = _ANY_INLINE.search(line)
    if candidate is None:
        return Scan(line, [])
    scanner = _Scanner(line, base, drop_tags)
    search = _ANY_INLINE.search
    pos = 0
    while candidate is not None:
        start = candidate.start()
        end = _HANDLERS[candidate.group()](scanner, start, pos)
        if end is None:
            candidate = search(line, start + 1)
            continue
        pos = end
        candidate = search(line, pos)
    scanner.out.append(line[pos:])
    return Scan("".join(scanner.out), scanner.pieces)


def custom_shortcodes(setting: object) -> dict[str, str]:
    """The shortcodes of a map whose frontmatter sets `model: shortcodes:`. The
    reference merges a mapping into its table (a new code, or a new character for one
    it has: `":bomb:": {unicode: "💣"}`); anything else replaces the table, and then no
    code is replaced. An entry without a `unicode` stops the reference with a
    TypeError; here it is left out (its code stays text)."""
    if not isinstance(setting, dict):
        return {}
    table = dict(SHORTCODES)
    for code, entry in setting.items():
        if isinstance(code, str) and isinstance(entry, dict) and "unicode" in entry:
            table[code] = _js_text(entry["unicode"])
    return table


def _js_text(value: object) -> str:
    """`String(value)` in JavaScript, for what YAML gives."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plain_text(raw: str, shortcodes: dict[str, str] = SHORTCODES) -> str:
    """Collapse whitespace, drop emphasis markers, apply shortcodes (where the
    reference's special-character token finds one: every token is looked up, so a
    frontmatter's table of any size costs the same)."""
    text = raw
    if shortcodes and ("." in text or ":" in text):
        text = _SPECIAL_TOKEN.sub(lambda match: shortcodes.get(match.group(), match.group()), text)
    if DROPPED in text:
        text = text.replace(DROPPED, "")
    if "\ue000" in text or "\ue001" in text or "\ue004" in text or "\ue005" in text:
        text = text.translate(_UNPROTECT)
    if BRACE_TEXT in text:
        text = text.replace(BRACE_TEXT, "{")
    return " ".join(text.split())

"""Turn raw bytes into text the grammar can lex, reporting every problem on the way.

Steps, each with its own diagnostic: refuse binary files and files over the size
limit; decode UTF-8 (invalid bytes are reported at their line and column, then
replaced so the rest of the file is still checked); keep a BOM, which the reference
reads as text (F012); normalise CRLF and
lone CR to LF; blank out comments (`//`, `/* */`, `<!-- -->`) with spaces so every
other character keeps its line and column; collect `// argmap: ignore[...]`; mark the
braces that nothing closes as text; report backslashes at the end of a line.

What the reference lexer reads as plain text stays text here: a `/*` or `<!--` that is
never closed, a `//` on the last line when no line break follows it, a `{` with no `}`
after it anywhere (each with a warning, P103 / P135).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from argmap.diagnostics import Diagnostic, Region
from argmap.grammar.brackets import bracket_tokens
from argmap.grammar.codes import diagnostic
from argmap.grammar.inline import BRACE_TEXT
from argmap.grammar.patterns import FRONTMATTER_TOKEN, TAG_CHAR_ASCII_LETTERS
from argmap.model import IgnoreDirective

MAX_BYTES_DEFAULT = 32 * 1024 * 1024

# As in the reference parser, `//` starts a comment anywhere (even in a bare URL)
# except inside a markdown link or a data block (see `_Protection`).
_OPENER = re.compile(r"//|/\*|<!--")
# Without `<!--` in the text: the alternatives share their first character, which the
# regex engine then finds at memchr speed (seven times faster over a large map)
_SLASH_OPENER = re.compile(r"//|/\*")
_IGNORE = re.compile(r"argmap:\s*ignore\[([^\]]*)\]")
_NON_NEWLINE = re.compile(r"[^\n]")
# The frontmatter at the start (its YAML is read as a whole; nothing in it is masked).
_FRONTMATTER = re.compile(r"[ \t\n]*===+[\s\S]*?===+[^\n]*\n")
# A comment before the frontmatter (the reference skips them; its frontmatter token follows)
_LEADING_COMMENT = re.compile(r"[ \t\n]*(?://[^\n]*(?=\n)|/\*[\s\S]*?\*/|<!--[\s\S]*?-->)")
# Where the reference lexer starts a new token: after one of these characters (its
# "control characters", a relation's `+`), after a tag, after an escaped character.
_TOKEN_END = frozenset("\\@#*_[],.:;</>-(){}+")
_TAG_BEFORE = re.compile(rf"#(?:\([^)\n]*\)|{TAG_CHAR_ASCII_LETTERS}+)[ \t]*\Z")


@dataclass
class SourceText:
    """Decoded, normalised text plus what the pre-pass learned about it."""

    path: str
    text: str  # comments masked, LF only, ends with "\n"
    lines: list[str]  # the original lines (comments kept) for carets in reports
    comment_only_lines: set[int] = field(default_factory=set)
    # a line whose block comment starts after text and spans lines -> the line it ends on
    line_runs_to: dict[int, int] = field(default_factory=dict)
    final_newline: bool = True  # did the file end with a line break (before one was added)?
    ignores: list[IgnoreDirective] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fatal: bool = False


def _diag(
    path: str, code: str, line: int, column: int, end_column: int | None = None, **fields: object
) -> Diagnostic:
    width = 1 if end_column is None else end_column - column
    return diagnostic(code, path, Region(line, column, line, column + width), "", **fields)


def too_large(path: str, size: int, max_bytes: int = MAX_BYTES_DEFAULT) -> SourceText:
    """The F004 refusal of a file of `size` bytes (its real size, from `stat`, so a
    caller refuses it before reading a byte)."""
    return SourceText(
        path,
        "\n",
        [""],
        diagnostics=[_diag(path, "F004", 1, 1, size=f"{size:,}", limit=f"{max_bytes:,}")],
        fatal=True,
    )


def decode_source(data: bytes, path: str, max_bytes: int = MAX_BYTES_DEFAULT) -> SourceText:
    """Decode and normalise `data`; never raises on user input."""
    if len(data) > max_bytes:
        return too_large(path, len(data), max_bytes)
    if b"\x00" in data:  # anywhere in the file (a memchr, cheap even at the size limit)
        return SourceText(
            path,
            "\n",
            [""],
            diagnostics=[_diag(path, "F002", 1, 1)],
            fatal=True,
        )
    diagnostics: list[Diagnostic] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        diagnostics.append(_diag(path, "F003", line, column, byte=f"{data[exc.start]:02x}"))
    if text.startswith("\ufeff"):  # a character of text to the reference (F012 says so)
        diagnostics.append(_diag(path, "F012", 1, 1))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    final_newline = text.endswith("\n")
    if not final_newline:
        text += "\n"
    lines = text.split("\n")
    lines.pop()  # the empty piece after the final line break (in place: no copy of the list)
    source = SourceText(path, text, lines, diagnostics=diagnostics, final_newline=final_newline)
    if text.isspace():  # nothing but blanks (`strip` would copy the whole text to tell)
        diagnostics.append(_diag(path, "F005", 1, 1))
        return source
    last_close = text.rfind("}")
    if "/" in text or "<!--" in text:
        _mask_comments(source, final_newline, last_close)
    if "{" in text[last_close + 1 :] or "\\" in text or "=" in text:  # one-character scans: memchr speed
        _scan_text_marks(source, last_close)
    return source


class _Protection:
    """Is a comment opener inside a markdown link's URL, a data block or a title? The
    reference lexer reads links, data blocks, titles, references and mentions as single
    tokens, so a `//` there (as in `[paper](https://...)`, `{url: "https://..."}` or
    `[See https://x.org]: ...`) is not a comment. A `{` after the document's last `}`
    opens no data block (it is text).

    Each opener is answered by reading its line (and, without a `{` on it, its block)
    while the reading stays within twice the text's length; past that (a line of
    16,000 `/*`, a long block of them) the marks that decide it (`](`, `)`, `{`, `}`,
    line breaks, empty lines) are listed once, and each opener costs a few binary
    searches, so the pass stays linear. Braces inside the comments found so far open
    and close nothing: each comment's are counted once (`comment`), and a range's
    total is two binary searches away."""

    def __init__(self, text: str, last_close: int) -> None:
        self.text = text
        self.last_close = last_close
        self.budget = 2 * len(text) + 4096
        self.marks: dict[str, list[int]] | None = None
        # the comments found so far, in order: starts, ends, and running totals of the
        # `{` and `}` inside them
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.opens: list[int] = [0]
        self.closes: list[int] = [0]
        # the bracket tokens of the last line asked about: (its start, their spans)
        self.titles: tuple[int, list[tuple[int, int]]] = (-1, [])

    def comment(self, body: str, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.opens.append(self.opens[-1] + body.count("{"))
        self.closes.append(self.closes[-1] + body.count("}"))

    def _in_comments(self, start: int, end: int) -> tuple[int, int]:
        """The `{` and `}` of [start, end) that lie inside comments found so far."""
        first = bisect_right(self.ends, start)  # the first comment that ends after `start`
        last = bisect_left(self.starts, end)  # and past the last that starts before `end`
        if last <= first:
            return 0, 0
        opens = self.opens[last] - self.opens[first]
        closes = self.closes[last] - self.closes[first]
        # a comment that runs across either end of the range counts only its part inside
        outside = []
        if self.starts[first] < start:
            outside.append((self.starts[first], start))
        if self.ends[last - 1] > end:
            outside.append((end, self.ends[last - 1]))
        for left, right in outside:
            opens -= self._braces("{", left, right)
            closes -= self._braces("}", left, right)
        return opens, closes

    def _braces(self, brace: str, start: int, end: int) -> int:
        if self.marks is not None:
            return _count(self.marks[brace], start, end)
        self.budget -= end - start
        return self.text.count(brace, start, end)

    def __call__(self, line_start: int, at: int) -> bool:
        return self._in_link_or_data(line_start, at) or self._in_title(line_start, at)

    def _in_title(self, line_start: int, at: int) -> bool:
        """Inside a title, reference or mention (`[See https://x.org]: ...`)?"""
        known_start, spans = self.titles
        if known_start != line_start:  # each line is read once, however many openers it holds
            line_end = self.text.find("\n", line_start)
            line = self.text[line_start : len(self.text) if line_end == -1 else line_end]
            spans = bracket_tokens(line) if "[" in line or "<" in line or "#(" in line else []
            self.titles = (line_start, spans)
        index = bisect_right(spans, (at - line_start, len(self.text))) - 1
        return index >= 0 and spans[index][1] > at - line_start

    def _in_link_or_data(self, line_start: int, at: int) -> bool:
        if self.marks is None and self.budget > 0:
            return self._by_reading(line_start, at)
        if self.marks is None:
            text = self.text
            patterns = {
                "link": r"\]\(",
                "[": r"\[",
                "]": r"\]",
                ")": r"\)",
                "{": r"\{",
                "}": r"\}",
                "\n": r"\n",
                "blank": r"(?=\n\n)",
            }
            self.marks = {name: [m.start() for m in re.finditer(p, text)] for name, p in patterns.items()}
        return self._by_marks(self.marks, line_start, at)

    def _by_reading(self, line_start: int, at: int) -> bool:
        text = self.text
        prefix = text[line_start:at]
        self.budget -= len(prefix)
        link = prefix.rfind("](")
        if link != -1 and ")" not in prefix[link + 2 :] and self._label_before(line_start + link):
            # inside a link's URL (the reference's link token runs to the next `)`)
            line_end = text.find("\n", at)
            line_end = len(text) if line_end == -1 else line_end
            self.budget -= line_end - at
            if text.find(")", at, line_end) != -1:
                return True
        block_start = line_start
        if "{" not in prefix or prefix.count("{") == self._in_comments(line_start, at)[0]:
            # a data block opened on an earlier line of the block (YAML block style)
            block_start = max(text.rfind("\n\n", 0, line_start) + 1, 0)
            self.budget -= line_start - block_start
            if text.rfind("{", block_start, line_start) == -1:
                return False
            prefix = text[block_start:at]
        live_end = max(self.last_close + 1, block_start)
        live = prefix[: live_end - block_start]
        commented_opens, _ = self._in_comments(block_start, min(at, live_end))
        _, commented_closes = self._in_comments(block_start, at)
        return live.count("{") - commented_opens > prefix.count("}") - commented_closes

    def _label_before(self, close: int) -> bool:
        """Does the `]` at `close` end a link's label? The reference's link token reads
        from a `[` lazily to the first `]`: a `[` earlier in the block, at least two
        characters before, with no `]` between (`Models](https://x)` whose `[` is on no
        line above is no link, and its `//` opens a comment there)."""
        text = self.text
        block = text.rfind("\n\n", 0, close) + 1
        self.budget -= close - block
        opener = text.rfind("[", block, max(close - 1, block))
        return opener != -1 and text.find("]", opener, close) == -1

    def _by_marks(self, marks: dict[str, list[int]], line_start: int, at: int) -> bool:
        if self._in_link(marks, line_start, at):
            return True
        opens = marks["{"]
        block_start = line_start
        if _count(opens, line_start, at) == self._in_comments(line_start, at)[0]:
            blanks = marks["blank"]
            blank = bisect_right(blanks, line_start - 2) - 1
            block_start = blanks[blank] + 1 if blank >= 0 else 0
            if not _count(opens, block_start, line_start):
                return False
        live_end = min(at, max(self.last_close + 1, block_start))
        commented_opens, _ = self._in_comments(block_start, live_end)
        _, commented_closes = self._in_comments(block_start, at)
        open_count = _count(opens, block_start, live_end) - commented_opens
        return open_count > _count(marks["}"], block_start, at) - commented_closes

    @staticmethod
    def _in_link(marks: dict[str, list[int]], line_start: int, at: int) -> bool:
        """After a `](` on the line with no `)` since, and a `)` later on the line."""
        links, parens, breaks = marks["link"], marks[")"], marks["\n"]
        index = bisect_left(links, at) - 1
        if index < 0 or links[index] < line_start or not _labelled(marks, links[index]):
            return False
        after = bisect_left(parens, links[index] + 2)
        if after == len(parens) or parens[after] < at:
            return False
        line_break = bisect_left(breaks, at)
        return line_break == len(breaks) or parens[after] < breaks[line_break]


def _labelled(marks: dict[str, list[int]], close: int) -> bool:
    """`_Protection._label_before` from the listed marks: the last `[` before `close - 1`
    inside the block, and no `]` from it to `close`."""
    openers, blanks = marks["["], marks["blank"]
    index = bisect_left(openers, close - 1) - 1
    if index < 0:
        return False
    opener = openers[index]
    blank = bisect_left(blanks, close) - 1
    if blank >= 0 and blanks[blank] + 1 > opener:
        return False
    return _count(marks["]"], opener, close) == 0


def _count(marks: list[int], start: int, end: int) -> int:
    """How many of the sorted offsets `marks` lie in [start, end)."""
    return max(bisect_left(marks, end) - bisect_left(marks, start), 0)


def _mask_comments(source: SourceText, final_newline: bool, last_close: int) -> None:
    text = source.text
    pieces: list[str] = []
    last = 0  # text[:last] is already copied to `pieces`
    head = _frontmatter_after_comments(text)
    pos = 0
    protected = _Protection(text, last_close)
    unclosed_from: dict[str, int] = {}  # closer -> an offset after which the text never holds it
    lines = _Lines(text)
    openers = _OPENER if "<!--" in text else _SLASH_OPENER
    while True:
        match = openers.search(text, pos)
        if match is None:
            break
        start = match.start()
        skip = _skip_to(text, start, head)
        if skip:
            pos = skip
            continue
        line, column = lines.of(start)
        line_start = start - column + 1
        if protected(line_start, start):
            pos = start + 2
            continue
        opener = match.group()
        if opener == "//":
            end = text.find("\n", start)
            if end == len(text) - 1 and not final_newline:
                break  # the reference needs a line break after `//` to read a comment
        else:
            closer = "*/" if opener == "/*" else "-->"
            # once a closer is missing from the rest of the text, later openers need no
            # search of their own (each would read to the end: quadratic)
            never = unclosed_from.get(closer, len(text) + 1) <= start
            close_at = -1 if never else text.find(closer, start + len(opener))
            if close_at == -1:
                unclosed_from[closer] = min(unclosed_from.get(closer, start), start)
                # never closed: the reference reads the opener as text
                where = (line, column, column + len(opener))
                source.diagnostics.append(_diag(source.path, "P103", *where, opener=opener, closer=closer))
                pos = start + 1
                continue
            end = close_at + len(closer)
        body = text[start:end]
        protected.comment(body, start, end)
        _record_comment(source, body, (start, end), line, lines)
        pieces.append(text[last:start])
        pieces.append(_NON_NEWLINE.sub(" ", body))
        last = pos = end
    if pieces:
        pieces.append(text[last:])
        source.text = "".join(pieces)


def _skip_to(text: str, start: int, head: tuple[int, int] | None) -> int:
    """Where to search on when the opener at `start` plainly opens no comment (0 when
    it takes reading its line to tell)."""
    if head is not None and head[0] <= start < head[1]:
        return head[1]  # the frontmatter is one token to the reference: its YAML keeps `//`
    if start and text[start - 1] == "\\" and _escaped(text, start):
        return start + 1  # `\//`: the escape token takes the first `/`, so no comment starts
    if text.startswith("//", start) and _plainly_in_link_url(text, start):
        return start + 2  # the usual `[label](https://...)`, without reading the line
    return 0


def _plainly_in_link_url(text: str, at: int) -> bool:
    """Is the `//` at `at` inside a link's URL, `[label](https://x.org)`, all within a
    few hundred characters of one line? True only where `_Protection` answers True by its
    first test: a `](` at most 8 characters before (so the last one on the line before
    `at`), no `)` after it, the label's `[` on the line (so the last one in the block
    before it) with no `]` after it, and a `)` later on the line. False: ask
    `_Protection`. Each search is bounded, so a long line costs no more per opener."""
    close = text.rfind("](", max(at - 8, 0), at)
    if close < 2 or ")" in text[close + 2 : at] or "\n" in text[close + 2 : at]:
        return False
    opener = text.rfind("[", max(close - 256, 0), close - 1)
    if opener == -1 or "]" in text[opener:close] or "\n" in text[opener:close]:
        return False
    paren = text.find(")", at, at + 256)
    return paren != -1 and "\n" not in text[at:paren]


def _frontmatter_after_comments(text: str) -> tuple[int, int] | None:
    """Where the frontmatter the reference reads at the top of a map starts and ends:
    after any blanks and comments (which its lexer skips), `===` up to the next `===`."""
    pos = 0
    while (comment := _LEADING_COMMENT.match(text, pos)) is not None:
        pos = comment.end()
    head = _FRONTMATTER.match(text, pos)
    return None if head is None else (text.index("===", pos), head.end())


def _escaped(text: str, at: int) -> bool:
    """Is `text[at]` escaped (an odd run of backslashes before it)?"""
    run = at
    while run > 0 and text[run - 1] == "\\":
        run -= 1
    return (at - run) % 2 == 1


# The first character that is not a blank, or a line break (`str.strip`'s whitespace).
_TEXT_OR_BREAK = re.compile(r"[^\s]|\n")


def _record_comment(
    source: SourceText, body: str, where: tuple[int, int], first_line: int, lines: _Lines
) -> None:
    start, end = where
    newlines = body.count("\n")
    before_blank = lines.blank_before(start)
    if body.startswith("//"):
        directive = _IGNORE.search(body)
        if directive:
            codes = [c.strip() for c in directive.group(1).split(",") if c.strip()]
            applies = [first_line, first_line + 1] if before_blank else [first_line]
            source.ignores.append(IgnoreDirective(codes=codes, line=first_line, applies_to=applies))
    # Lines that held only comment must not read as empty lines (which end blocks).
    tail_blank = lines.blank_after(end)
    if before_blank:
        if tail_blank:
            source.comment_only_lines.update(range(first_line, first_line + newlines + 1))
        elif newlines:
            source.comment_only_lines.update(range(first_line, first_line + newlines))
    elif newlines:
        # a block comment that starts after text: its inner lines are comment only, and
        # the text's line runs on to where it ends (no line break between them to the reference)
        stop = first_line + newlines + (1 if tail_blank else 0)
        source.comment_only_lines.update(range(first_line + 1, stop))
        source.line_runs_to[first_line] = first_line + newlines


def _scan_text_marks(source: SourceText, last_close: int) -> None:
    """Outside the frontmatter: braces after the last `}` become text (P135), a
    backslash before a line break is an error (P136), and so is a `===` that the
    reference reads as a frontmatter token inside the map (P110)."""
    text = source.text
    head = _FRONTMATTER.match(text)
    begin = head.end() if head else 0
    where = _Lines(text)
    if text.find("=", begin) != -1:
        _fences_in_text(source, begin, where)
    at = text.find("\\\n", begin) if text.find("\\", begin) != -1 else -1  # memchr first
    while at != -1:
        run = at  # an odd run of backslashes before the line break: the last escapes nothing
        while run > begin and text[run - 1] == "\\":
            run -= 1
        if (at - run) % 2 == 0:
            source.diagnostics.append(_diag(source.path, "P136", *where.of(at)))
        at = text.find("\\\n", at + 2)
    cut = max(begin, last_close + 1)
    at = text.find("{", cut)
    if at == -1:
        return
    while at != -1:
        source.diagnostics.append(_diag(source.path, "P135", *where.of(at)))
        at = text.find("{", at + 1)
    source.text = text[:cut] + text[cut:].replace("{", BRACE_TEXT)


def _fences_in_text(source: SourceText, begin: int, where: _Lines) -> None:
    """The reference lexer reads `===` up to the next `===` as a frontmatter token
    wherever a token starts (a line start, after a control character, a tag or an
    escape; not inside a run of plain text), and rejects one that is not the first
    thing in the map. At the start of a block the grammar's own frontmatter terminal
    catches it (P110); this finds the others."""
    text = source.text
    raw: str | None = None  # the text with its comments, built only if needed
    at = text.find("===", begin)
    while at != -1:
        run = at + 3
        while run < len(text) and text[run] == "=":
            run += 1
        line_start = text.rfind("\n", 0, at) + 1
        before = text[line_start:at].rstrip(" \t")
        if text[line_start:at].endswith("\\") and (len(before) - len(before.rstrip("\\"))) % 2:
            at += 1  # `\=` is an escaped character; a token starts after it
            before = "\\="
        starts = run - at >= 3 and _starts_token(text, line_start, before)
        if starts and not _rules_line(text, line_start, at):
            # the token runs on to the next `===` even inside a comment (`// =====`)
            raw = raw if raw is not None else "\n".join(source.lines) + "\n"
            token = FRONTMATTER_TOKEN.match(raw, at)
            if token is not None:
                line, column = where.of(at)
                width = min(token.end(), text.find("\n", at)) - at
                region = Region(line, column, line, column + width)
                source.diagnostics.append(diagnostic("P110", source.path, region, "in-text"))
                run = token.end()
        at = text.find("===", run)


def _rules_line(text: str, line_start: int, at: int) -> bool:
    """Is `at` the start of the line right under a bare `--` that opens an inference?
    The reference lexes that line in its inference mode, where `===` is rules text (the
    `--` opens one when the line above it holds text, else it is a relation sign)."""
    if at != line_start or line_start < 2:
        return False
    above = text.rfind("\n", 0, line_start - 1) + 1
    if text[above : line_start - 1].lstrip(" \t'").rstrip(" \t") != "--":
        return False
    if above == 0:
        return True
    return bool(text[text.rfind("\n", 0, above - 1) + 1 : above - 1].strip())


def _starts_token(text: str, line_start: int, before: str) -> bool:
    if not before:
        # a line start; at the start of a block the grammar reads the frontmatter itself
        previous = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        return line_start > 0 and bool(text[previous : line_start - 1].strip())
    if before.lstrip().startswith("--"):
        return False  # an inference line: the reference lexes it in another mode
    return before[-1] in _TOKEN_END or before[-2:-1] == "\\" or _TAG_BEFORE.search(before) is not None


class _Lines:
    """Line and column of offsets met in increasing order, and whether only blanks
    stand before or after one on its line: each part of the text is read once, so a
    line of thousands of comments or findings costs linear time (an offset before
    the last one starts the count over)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0  # text[:offset] has been read for line breaks
        self.line = 1
        self.line_start = 0
        self.first_text = -1  # offset of the line's first non-blank character (-1: not yet read)

    def of(self, at: int) -> tuple[int, int]:
        if at < self.offset:
            self.offset, self.line, self.line_start, self.first_text = 0, 1, 0, -1
        newline = self.text.rfind("\n", self.offset, at)
        if newline != -1:
            self.line += self.text.count("\n", self.offset, newline + 1)
            self.line_start, self.first_text = newline + 1, -1
        self.offset = at
        return self.line, at - self.line_start + 1

    def blank_before(self, at: int) -> bool:
        """Only blanks between the start of the line last asked about and `at`?"""
        if self.first_text == -1:
            found = _TEXT_OR_BREAK.search(self.text, self.line_start)
            self.first_text = found.start() if found is not None else len(self.text)
        return self.first_text >= at

    def blank_after(self, at: int) -> bool:
        """Only blanks from `at` to the end of its line?"""
        found = _TEXT_OR_BREAK.search(self.text, at)
        return found is None or found.group() == "\n"

"""Statements and arguments: an element's head (`[T]:`, `<T>`), its text and inline
content (tags, data, links, evidence, quotes, mentions), and the model objects it
becomes."""

from __future__ import annotations

import re

from lark import Token

from argmap.grammar import inline
from argmap.grammar.patterns import (
    EVIDENCE_FRAGMENT as _EVIDENCE_FRAGMENT,
)
from argmap.grammar.patterns import (
    HEADING_MARK as _HEADING_MARK,
)
from argmap.grammar.patterns import (
    INFERENCE_MARK as _INFERENCE_MARK,
)
from argmap.grammar.patterns import (
    LIST_OR_PCS_MARK as _LIST_OR_PCS_MARK,
)
from argmap.grammar.patterns import (
    QUOTE_LINE as _QUOTE_LINE,
)
from argmap.grammar.patterns import (
    QUOTE_START as _QUOTE_START,
)
from argmap.grammar.patterns import (
    REFERENCE_PIECES as _REFERENCE_PIECES,
)
from argmap.grammar.reference_tail import Stray, stray_after_reference
from argmap.grammar.state import BuilderState
from argmap.grammar.tokens import position, span_of, token_column, token_line
from argmap.model import (
    ArgumentDescription,
    DataBlock,
    ElementKind,
    EquivalenceClass,
    EvidenceLink,
    Link,
    Mention,
    Quote,
    SourceLink,
    Span,
    Statement,
    make_span,
)

# the first character after a head or marker on its line, if any
_FIRST_ON_LINE = re.compile(r"[ \t]*([^ \t\n])")

Node = tuple[ElementKind, str, bool]  # kind, title, is it an inference (undercut target)


class Head:
    __slots__ = ("is_definition", "kind", "rest_offset", "title", "title_end")

    def __init__(
        self,
        kind: ElementKind | None,
        title: str | None,
        is_definition: bool,
        rest_offset: int,
        title_end: int,
    ) -> None:
        self.kind = kind
        self.title = title
        self.is_definition = is_definition
        self.rest_offset = rest_offset
        self.title_end = title_end


def parse_head(value: str, offset: int) -> Head:
    definition = inline.HEAD_DEFINITION.match(value, offset)
    if definition is not None and not _link_at(value, offset, definition):
        if definition.group("st") is not None:
            kind, title = ElementKind.STATEMENT, inline.unescape_title(definition.group("st"))
        else:
            kind, title = ElementKind.ARGUMENT, inline.unescape_title(definition.group("at"))
        return Head(kind, title, True, definition.end(), definition.end() - 1)
    match = inline.HEAD.match(value, offset)
    if match is None:
        return Head(None, None, True, offset, offset)
    if match.group("st") is not None:
        kind, title = ElementKind.STATEMENT, inline.unescape_title(match.group("st"))
    else:
        kind, title = ElementKind.ARGUMENT, inline.unescape_title(match.group("at"))
    return Head(kind, title, match.group("colon") is not None, match.end(), match.end("kind"))


def _link_at(value: str, offset: int, definition: re.Match[str]) -> bool:
    """A markdown link `[label](url)` comes first in the reference lexer."""
    return "](" in definition.group() and inline.LINK.match(value, offset) is not None


class Content:
    """What an element's text holds, scanned once: the pieces a `Statement` or an
    `ArgumentDescription` is made of. (A plain slotted class: one is made for every
    element, and a dataclass's default factories cost more than these lines.)"""

    __slots__ = (
        "data",
        "data_end",
        "evidence",
        "links",
        "mentions",
        "quotes",
        "sources",
        "stray",
        "tags",
        "texts",
    )

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.tags: list[str] = []
        self.data: DataBlock | None = None
        self.links: list[Link] = []
        self.sources: list[SourceLink] = []
        self.evidence: list[EvidenceLink] = []
        self.quotes: list[Quote] = []
        self.mentions: list[Mention] = []
        self.data_end: tuple[int, int] | None = None  # (line index, offset) where the first data block ends
        self.stray: Stray | None = None  # after a reference: the first thing besides its tags and data

    def text(self, shortcodes: dict[str, str]) -> str:
        return inline.plain_text(" ".join(self.texts), shortcodes)

    def add_link(self, token: Token, piece: inline.Piece) -> None:
        line, column = position(token, piece.start)
        if token.value.find("\n", piece.start, piece.end) == -1:
            span = make_span(line, column, line, column + piece.end - piece.start)
        else:  # a token over lines that the reference reads a link in (inline.py)
            span = make_span(line, column, *position(token, piece.end))
        label, url = piece.value, piece.extra
        if label.strip().lower() == "evidence":
            self.evidence.append(_evidence_link(label, url, span))
        elif url.startswith(("http://", "https://")):
            self.sources.append(SourceLink(label=label, url=url, span=span))
        else:
            self.links.append(Link(label=label, url=url, span=span))


class ElementBuilder(BuilderState):
    def _content(self, lines: list[Token], first_offset: int, reference: bool = False) -> Content:
        """Scan the text of an element's tokens (the first from `first_offset`).

        A token holds a line and its continuation lines, so each is scanned in one
        pass; `> ...` lines inside it become `Quote`s and carry no tags or mentions.
        After a `reference`, what the reference grammar does not take is noted too."""
        content = Content()
        if len(lines) == 1:  # nearly every element: its continuation lines are in its token
            scans = self.scan_text([(lines[0], first_offset)])
        else:
            scans = self.scan_text([(lines[0], first_offset), *((token, 0) for token in lines[1:])])
        if reference:
            last_line = self._logical_line_end(token_line(lines[0]))
            content.stray = stray_after_reference(lines, scans, first_offset, last_line)
        for index, (token, scan) in enumerate(zip(lines, scans, strict=True)):
            if index > 0:
                self._misplaced_marker(token)
            quote_lines = self._quotes(token, index > 0, content.quotes) if ">" in token.value else []
            content.texts.append(scan.text)
            for piece in scan.pieces:
                if piece.kind == "link":  # the usual piece (a source or evidence), added here
                    content.add_link(token, piece)
                else:
                    self._piece(content, token, index, piece, quote_lines)
        if content.data_end is not None:
            self._after_data(lines, *content.data_end)
        return content

    def _piece(
        self, content: Content, token: Token, index: int, piece: inline.Piece, quotes: list[tuple[int, int]]
    ) -> None:
        """Add one inline piece to `content`; a tag or mention inside one of the `quotes`
        (offset ranges of `> ...` lines) is the quoted paper's, not the element's."""
        kind = piece.kind
        if kind == "tag":
            # listed once, as the reference lists it
            if piece.value not in content.tags and not (quotes and _inside(piece.start, quotes)):
                content.tags.append(piece.value)
        elif kind == "data":
            block = self._data(token, piece, piece.start)
            if block is not None:
                content.data = block if content.data is None else self._merge_data(content.data, block)
            content.data_end = content.data_end or (index, piece.end)
        elif kind == "unclosed-data":
            self._unclosed(token, piece.start)
        elif kind in _REFERENCE_PIECES:
            self._reference_in_text(token, piece)
        elif kind == "link":
            content.add_link(token, piece)
        elif kind == "link-over-lines":
            self._link_over_lines(token, piece)
        elif kind == "special":
            return  # a special-character token: text (its code is read with the text)
        elif not (quotes and _inside(piece.start, quotes)):
            line, column = position(token, piece.start)
            end_line, end_column = position(token, piece.end)
            element = ElementKind.STATEMENT if kind == "mention-statement" else ElementKind.ARGUMENT
            span = make_span(line, column, end_line, end_column)
            content.mentions.append(Mention(title=piece.value, kind=element, span=span))

    def _quotes(self, token: Token, first_line_too: bool, quotes: list[Quote]) -> list[tuple[int, int]]:
        """Collect the `> ...` lines of a token; returns their offset ranges."""
        value = token.value
        ranges: list[tuple[int, int]] = []
        matches = list(_QUOTE_LINE.finditer(value))
        # the element's own first line is never a quote; a continuation line can be one
        if first_line_too and (first := _QUOTE_START.match(value)) is not None:
            matches.insert(0, first)
        for match in matches:
            marker = match.start("gt")
            end = value.find("\n", marker)
            end = len(value) if end == -1 else end
            body = value[marker + 1 : end]
            line, column = position(token, marker)  # a quote is one line: it ends where it starts
            span = make_span(line, column, line, column + 1 + len(body.rstrip()))
            quotes.append(Quote(text=body.strip(), span=span))
            ranges.append((marker, end))
        return ranges

    def _misplaced_marker(self, token: Token) -> None:
        """Block markers that the contextual lexer read as text because a block was
        still open: almost always a missing empty line."""
        first = token.value[:1]
        if first not in "#-*(0123456789" or not first:
            return
        value = token.value.rstrip()
        mark = _LIST_OR_PCS_MARK.match(value)
        if mark and first != "(" and mark.end() == len(value) and self._ends_text(token, mark.end()):
            return  # `*` / `2.` ending a map, nothing after it (not even a blank): no item
        if mark:
            kind = "a numbered statement" if first == "(" else "a list item"
            self.error("P127", token, "element", kind=kind)
        elif _HEADING_MARK.match(token.value):  # unstripped: `## ` with no text is one too
            self.error("P122", token)
        elif value.startswith("--") and _INFERENCE_MARK.match(value):
            self.error("P123", token, "under-title")

    # ---- elements -------------------------------------------------------------------

    def _statement(self, lines: list[Token], head: Head, top_level: bool) -> Statement:
        first = lines[0]
        if head.is_definition:
            self.missing_text(lines, head.rest_offset)
        untitled = head.title is None
        is_reference = not untitled and not head.is_definition
        content = self._content(lines, head.rest_offset, is_reference)
        title = head.title if head.title is not None else self._new_untitled()
        text = content.text(self.shortcodes)
        if content.stray is not None:
            # `[Title] some words`: read as a definition, but the reference rejects it.
            self._text_after_reference(first, head, content.stray)
            is_reference = content.stray.tag_below
        title_span = None
        if not untitled:
            # the title is on the token's first line (titles never span lines)
            line, column = token_line(first), token_column(first)
            title_span = make_span(
                line, column + _head_start(first.value, head), line, column + head.title_end
            )
        statement = Statement(
            title=title,
            is_reference=is_reference,
            is_untitled=untitled,
            section=self.section,
            span=span_of(first, lines[-1]),
            title_span=title_span,
            text=text,
            tags=content.tags,
            data=content.data,
            links=content.links,
            sources=content.sources,
            evidence=content.evidence,
            quotes=content.quotes,
            mentions=content.mentions,
        )
        ec = self.doc.statements.get(title)
        if ec is None:
            ec = EquivalenceClass(
                title=title,
                members=[],
                references=[],
                is_untitled=untitled,
                is_top_level=False,
            )
            self.doc.statements[title] = ec
        (ec.references if is_reference else ec.members).append(statement)
        if top_level:
            ec.is_top_level = True
        return statement

    def _argument(self, lines: list[Token], head: Head) -> ArgumentDescription:
        first = lines[0]
        if head.is_definition:
            self.missing_text(lines, head.rest_offset)
        content = self._content(lines, head.rest_offset, not head.is_definition)
        assert head.title is not None
        start_line, start_column = position(first, _head_start(first.value, head))
        end_line, end_column = position(first, head.title_end)
        text = content.text(self.shortcodes)
        has_text = content.stray is not None and not content.stray.tag_below
        if content.stray is not None:
            self._text_after_reference(first, head, content.stray)
        description = ArgumentDescription(
            text=text,
            is_reference=not head.is_definition and not has_text,
            tags=content.tags,
            data=content.data,
            links=[*content.links, *content.sources],
            mentions=content.mentions,
            section=self.section,
            span=span_of(first, lines[-1]),
            title_span=make_span(start_line, start_column, end_line, end_column),
        )
        argument = self._ensure_argument(head.title)
        argument.descriptions.append(description)
        if argument.section is None:
            argument.section = self.section
        return description

    def missing_text(self, lines: list[Token], offset: int) -> None:
        """The reference parser needs text (or a line break into more of the element)
        right after a definition's colon, a PCS number, a list or relation sign or a
        heading's `#`: a data block there, or nothing before an empty line, is
        rejected ("Missing text content")."""
        first = lines[0]
        value = first.value
        found = _FIRST_ON_LINE.match(value, offset)
        if found is not None:
            at = found.start(1)
            if found.group(1) == "{" and inline.DATA_BLOCK.match(value, at) is not None:
                self.error("P139", first, "data-first", start=at, end=at + 1)
            return
        end = len(value.split("\n", 1)[0].rstrip())
        if len(lines) > 1 or len(value.rstrip()) > end or not self._blank_after(first):
            return  # more lines of the element follow
        what, start = value[:end].strip(), max(min(offset, end) - 1, 0)
        if what.endswith(":"):
            self.error("P139", first, start=start, end=end, what=what)
        else:  # a number, list or relation sign, or `#`: no colon to drop
            self.error("P139", first, "marker", start=start, end=end, what=what)

    def _ends_text(self, token: Token, offset: int) -> bool:
        """Does the map's text end `offset` characters into the token, with no line break
        or blank after (the reference's list markers need one: `(?=\\s)`)?"""
        start = getattr(token, "start_pos", None)
        text = self.source.text
        return not self.source.final_newline and start is not None and start + offset == len(text) - 1

    def _blank_after(self, token: Token) -> bool:
        """Does an empty line (or the end of the map) follow the token's one line?"""
        value = token.value
        gap = value[len(value.rstrip()) :]
        # a block comment from the token's line on holds the line breaks it spans: count
        # the breaks after the line it ends on
        line = self._logical_line_end(token_line(token))
        breaks: int = gap.count("\n") - (line - token_line(token))
        if self.ends_map(token):
            # the map ends without a line break: the source pass added the last one. On the
            # token's own line the reference sees the end (no text: "Missing text content");
            # one real break, then blanks to the end, is a line break and no empty line there
            breaks -= 1
            if breaks <= 1:
                return breaks == 0
        if breaks >= 2:
            return (line + 1) not in self.source.comment_only_lines
        return False

    def _logical_line_end(self, line: int) -> int:
        """The physical line where `line` ends to the reference lexer: a block comment
        from the line on holds the line breaks it spans."""
        runs_to = self.source.line_runs_to
        while line in runs_to:
            line = runs_to[line]
        return line

    def _text_after_reference(self, token: Token, head: Head, stray: Stray) -> None:
        opener, closer = ("[", "]") if head.kind is ElementKind.STATEMENT else ("<", ">")
        reference = f"{opener}{head.title}{closer}"
        if stray.tag_below:
            at = stray.offset
            self.error("P128", stray.token, "tag-below", start=at, end=at + 1, reference=reference)
            return
        self.error("P128", token, start=head.title_end, end=head.title_end + 1, reference=reference)

    def _member(self, lines: list[Token], offset: int, top_level: bool) -> Node:
        head = parse_head(lines[0].value, offset)
        if head.kind is ElementKind.ARGUMENT:
            description = self._argument(lines, head)
            del description
            assert head.title is not None
            return (ElementKind.ARGUMENT, head.title, False)
        statement = self._statement(lines, head, top_level)
        return (ElementKind.STATEMENT, statement.title, False)


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def _head_start(value: str, head: Head) -> int:
    """Offset of the `[` or `<` that opens the head's title."""
    opener = "[" if head.kind is ElementKind.STATEMENT else "<"
    return value.rfind(opener, 0, head.title_end)


def _evidence_link(label: str, url: str, span: Span) -> EvidenceLink:
    path, _, fragment = url.partition("#")
    start = end = None
    match = _EVIDENCE_FRAGMENT.fullmatch(fragment) if fragment else None
    if match:
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
    return EvidenceLink(
        label=label,
        url=url,
        span=span,
        path=path,
        fragment=fragment or None,
        line_start=start,
        line_end=end,
    )

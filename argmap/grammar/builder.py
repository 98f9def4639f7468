"""Build the typed model from the block records, in one pass over the document.

This is where Argdown's meaning lives: which element a relation tree hangs from
(by indentation), what a relation symbol means between which kinds of element (and
in which mode), which argument a PCS belongs to, what is premise and conclusion.
Structural mistakes are reported here, where the fix goes: a conclusion without
its `----` is reported at that conclusion, not where a later line notices it.
"""

from __future__ import annotations

import re
from typing import Any

from lark import Token

from argmap.diagnostics import Diagnostic, Level
from argmap.grammar import inline
from argmap.grammar.blocks import (
    RawBlock,
    RawElement,
    RawElementWithPcs,
    RawFrontmatter,
    RawHeading,
    RawList,
    RawOrphanTree,
    RawPcs,
    RawPcsLine,
    RawRelation,
)
from argmap.grammar.data import DataError, parse_data_block, parse_frontmatter
from argmap.grammar.options import apply_frontmatter_options
from argmap.grammar.source import SourceText
from argmap.model import (
    Argument,
    ArgumentDescription,
    DataBlock,
    Document,
    ElementKind,
    EquivalenceClass,
    EvidenceLink,
    Inference,
    Link,
    Mention,
    Mode,
    PcsMember,
    PcsRole,
    Quote,
    Relation,
    RelationKind,
    Section,
    SourceLink,
    Span,
    Statement,
    construct,
    make_span,
)

_RELATION_SYMBOL = re.compile(r"(<\+|<-|<_|\+>|->|_>|><|\+|-|_)[ \t]+")
_PCS_NUMBER = re.compile(r"\((\d+)\)[ \t]*")
_FENCE = re.compile(r"-{2,3}[ \t]*$")
_COLLAPSED = re.compile(r"-{4,}")
_EVIDENCE_FRAGMENT = re.compile(r"L(\d+)(?:-L?(\d+))?")
_QUOTE_LINE = re.compile(r"(?:\A|\n)[ \t]*(?P<gt>>)(?=[ \t]|\n|\Z)")
_HEADING_MARK = re.compile(r"#{1,6}[ \t]")
_INFERENCE_MARK = re.compile(r"-{4,}[ \t]*$|--[ \t]*\S.*--[ \t]*$")
_TAG_TEXT = re.compile(r"(?<![^\s(])#(?:\([^)\n]+\)|[\w\-]+)")
_REFERENCE_PIECES = frozenset({"statement-reference", "argument-reference"})
_LIST_OR_PCS_MARK = re.compile(r"(?:\*|\d+\.|\(\d+\))[ \t]")

# (symbol) -> (child is source?, kind for arguments or loose statements)
_SYMBOLS: dict[str, tuple[bool, RelationKind]] = {
    "+": (True, RelationKind.SUPPORT),
    "<+": (True, RelationKind.SUPPORT),
    "-": (True, RelationKind.ATTACK),
    "<-": (True, RelationKind.ATTACK),
    "_": (True, RelationKind.UNDERCUT),
    "<_": (True, RelationKind.UNDERCUT),
    "+>": (False, RelationKind.SUPPORT),
    "->": (False, RelationKind.ATTACK),
    "_>": (False, RelationKind.UNDERCUT),
    "><": (False, RelationKind.CONTRADICTION),
}

Node = tuple[ElementKind, str, bool]  # kind, title, is it an inference (undercut target)


def _end(token: Token) -> tuple[int, int]:
    """Where a line token's text ends (tokens also carry the line break after them)."""
    value = token.value
    return _position(token, len(value.rstrip()))


def _span_of(first: Token, last: Token) -> Span:
    end_line, end_column = _end(last)
    return make_span(_line(first), _column(first), end_line, end_column)


def _line(token: Token) -> int:
    return token.line  # type: ignore[return-value]  # always set by Lark's lexer


def _column(token: Token) -> int:
    return token.column  # type: ignore[return-value]


def _position(token: Token, offset: int) -> tuple[int, int]:
    """Line and column of `offset` characters into a (possibly multi-line) token."""
    value = token.value
    newline = value.rfind("\n", 0, offset)
    if newline == -1:
        return _line(token), _column(token) + offset
    return _line(token) + value.count("\n", 0, offset), offset - newline


class _Head:
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


def _parse_head(value: str, offset: int) -> _Head:
    match = inline.HEAD.match(value, offset)
    if match is None:
        return _Head(None, None, True, offset, offset)
    if match.group("st") is not None:
        kind, title = ElementKind.STATEMENT, inline.unescape_title(match.group("st"))
    else:
        kind, title = ElementKind.ARGUMENT, inline.unescape_title(match.group("at"))
    return _Head(kind, title, match.group("colon") is not None, match.end(), match.end("kind"))


class DocumentBuilder:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.path = source.path
        self.diagnostics = source.diagnostics
        self.doc = construct(
            Document,
            path=source.path,
            frontmatter={},
            mode=Mode.LOOSE,
            sections=[],
            statements={},
            arguments={},
            relations=[],
            ignores=source.ignores,
            lines=source.lines,
            diagnostics=[],
        )
        self.section_stack: list[Section] = []
        # One counter for statements and arguments, as the reference numbers them.
        self.untitled = 0
        self.previous_argument: str | None = None
        self.seen_block = False
        self.frontmatter_span: Span | None = None
        self.closed_targets: set[tuple[str, ElementKind, RelationKind]] = set()
        self.dropped_relations: set[int] = set()

    # ---- diagnostics ------------------------------------------------------------

    def error(
        self,
        code: str,
        message: str,
        token: Token,
        hint: str | None = None,
        level: Level = Level.ERROR,
        start: int = 0,
        end: int | None = None,
    ) -> None:
        line, column = _position(token, start)
        if end is None:
            first_line = token.value.split("\n", 1)[0]
            end_line, end_column = _line(token), _column(token) + len(first_line.rstrip())
            if end_line == line and end_column <= column:
                end_column = column + 1
        else:
            end_line, end_column = _position(token, end)
        self.diagnostics.append(
            Diagnostic(
                code=code,
                level=level,
                message=message,
                file=self.path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                hint=hint,
            )
        )

    # ---- entry point --------------------------------------------------------------

    def build(self, blocks: list[RawBlock]) -> Document:
        for block in blocks:
            self.block(block)
        if self.dropped_relations:
            dropped = self.dropped_relations
            self.doc.relations = [r for r in self.doc.relations if id(r) not in dropped]
        apply_frontmatter_options(self.doc, self.frontmatter_span)
        self.diagnostics.sort(key=lambda d: (d.line, d.column))
        self.doc.diagnostics = self.diagnostics
        return self.doc

    def block(self, block: RawBlock) -> None:
        if isinstance(block, RawElement):
            self.previous_argument = self.element(block)
        elif isinstance(block, RawElementWithPcs):
            owner = self.element(block.element)
            self.error(
                "P127",
                "a premise-conclusion structure starts here, but there is no empty line above it",
                block.pcs.items[0].lines[0],
                "leave an empty line between the argument's title and its first premise",
            )
            self.pcs(block.pcs, owner)
            self.previous_argument = None
        elif isinstance(block, RawPcs):
            self.pcs(block, self.previous_argument)
            self.previous_argument = None
        elif isinstance(block, RawHeading):
            self.heading(block.token)
            self.previous_argument = None
        elif isinstance(block, RawFrontmatter):
            self.frontmatter(block.token)
            self.previous_argument = None
        elif isinstance(block, RawList):
            first_indent = self._indent(block.items[0].lines[0])
            for item in block.items:
                if self._indent(item.lines[0]) != first_indent:
                    self.error(
                        "P129",
                        "list item indented differently from the first item (Argdown lists do not nest)",
                        item.lines[0],
                        f"indent it by {first_indent} columns like the first item, or make it a relation",
                    )
                self.element(item, offset_marker=True)
            self.previous_argument = None
        elif isinstance(block, RawOrphanTree):
            first = block.tree[0].lines[0]
            self.error(
                "P108",
                "relation has no element above it to attach to",
                first,
                "a relation must follow its parent line directly: remove the empty line above it",
            )
            self.previous_argument = None
        self.seen_block = True

    # ---- frontmatter and headings ---------------------------------------------------

    def frontmatter(self, token: Token) -> None:
        if self.seen_block:
            self.error(
                "P110",
                "frontmatter must come first in the document",
                token,
                "move this `===` block to the top of the file",
            )
            return
        content = token.value.rstrip()
        closing = content.rsplit("\n", 1)[1]
        if closing.rstrip("=").strip():
            at = len(content) - len(closing) + len(closing) - len(closing.lstrip("="))
            self.error(
                "P131",
                "text after the `===` that closes the frontmatter",
                token,
                "end the frontmatter with a line holding only `===`, then an empty line",
                start=at,
                end=len(content),
            )
        body = content.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
        self.frontmatter_span = _span_of(token, token)
        try:
            self.doc.frontmatter = parse_frontmatter(body)
        except DataError as exc:
            start = len(token.value.split("\n", 1)[0]) + 1 + exc.offset
            self.error(
                "P105",
                f"frontmatter is not valid YAML: {exc}",
                token,
                "frontmatter holds YAML key: value lines",
                start=start,
                end=start + 1,
            )
            return
        model = self.doc.frontmatter.get("model")
        if isinstance(model, dict) and model.get("mode") is not None:
            mode = str(model.get("mode")).lower()
            if mode in ("strict", "loose"):
                self.doc.mode = Mode(mode)
            else:
                self.error(
                    "P115",
                    f"unknown model mode {mode!r}",
                    token,
                    "use `mode: strict` or `mode: loose`",
                    level=Level.WARNING,
                )

    def heading(self, token: Token) -> None:
        value = token.value
        level = len(value) - len(value.lstrip("#"))
        scan = inline.scan_inline(value[level:], level)
        tags, data = self._tags_and_data(token, scan)
        title = inline.plain_text(scan.text)
        while self.section_stack and self.section_stack[-1].level >= level:
            self.section_stack.pop()
        parent = self.section_stack[-1].id if self.section_stack else None
        section = construct(
            Section,
            id=f"s{len(self.doc.sections) + 1}",
            title=title,
            level=level,
            parent=parent,
            tags=tags,
            data=data,
            span=_span_of(token, token),
        )
        self.doc.sections.append(section)
        self.section_stack.append(section)

    @property
    def section(self) -> str | None:
        return self.section_stack[-1].id if self.section_stack else None

    # ---- inline content -------------------------------------------------------------

    def _data(self, token: Token, piece: inline.Piece, start_in_token: int) -> DataBlock | None:
        block = piece.value
        line, column = _position(token, start_in_token)
        end_line, end_column = _position(token, start_in_token + len(block))
        span = make_span(line, column, end_line, end_column)
        try:
            values = parse_data_block(block)
        except DataError as exc:
            at = start_in_token + exc.offset
            self.error(
                "P105",
                f"data block is not valid: {exc}",
                token,
                'write YAML flow style, e.g. {reason: "...", credence: 0.7}; '
                "put a space after each colon and quote text with commas or colons",
                start=at,
                end=at + 1,
            )
            return None
        return construct(DataBlock, values=values, span=span, raw=block)

    def _tags_and_data(self, token: Token, scan: inline.Scan) -> tuple[list[str], DataBlock | None]:
        tags: list[str] = []
        data: DataBlock | None = None
        for piece in scan.pieces:
            if piece.kind == "tag":
                tags.append(piece.value)
            elif piece.kind == "data":
                if data is None:
                    self._after_data([token], 0, piece.end)
                block = self._data(token, piece, piece.start)
                if block is not None:
                    data = block if data is None else self._merge_data(data, block)
            elif piece.kind == "unclosed-data":
                self._unclosed(token, piece.start)
            elif piece.kind in _REFERENCE_PIECES:
                self._reference_in_text(token, piece)
        return tags, data

    def _after_data(self, lines: list[Token], index: int, end: int) -> None:
        """A data block ends its element (only relations may follow it), as the
        reference grammar has it: text, tags or a second block after it are errors."""
        token, rest = lines[index], lines[index].value[end:]
        at = end + len(rest) - len(rest.lstrip())
        if not rest.strip():
            later = next((t for t in lines[index + 1 :] if t.value.strip()), None)
            if later is None:
                return
            token, at = later, 0
        self.error(
            "P132",
            "text after a data block; a data block `{...}` ends its element",
            token,
            "move the data block to the end of the element",
            start=at,
            end=at + 1,
        )

    def _reference_in_text(self, token: Token, piece: inline.Piece) -> None:
        """`[T]` / `<T>` in running text: the reference lexer reads a reference or
        definition token there, which only starts an element."""
        value = token.value
        line_start = value.rfind("\n", 0, piece.start) + 1
        if line_start > 0 and not value[line_start : piece.start].strip():
            self.error(
                "P127",
                f"`{piece.value}` starts a new element, but there is no empty line above it",
                token,
                "leave an empty line above this line",
                start=piece.start,
                end=piece.end,
            )
            return
        if re.match(r"\(\d+\)", value[piece.end : piece.end + 8]):
            self.error(
                "P126",
                f"`{piece.value}(n)`: Argdown has no reference to a premise by its number",
                token,
                "refer to the premise by its statement title, e.g. `[Title]`",
                start=piece.start,
                end=piece.end,
            )
            return
        mention = "@" + piece.value.rstrip(":")
        self.error(
            "P126",
            f"`{piece.value}` inside text reads as a reference, which only starts an element",
            token,
            f"write `{mention}` to mention it, or escape the opening bracket with a backslash",
            start=piece.start,
            end=piece.end,
        )

    @staticmethod
    def _merge_data(first: DataBlock, second: DataBlock) -> DataBlock:
        return construct(DataBlock, values={**first.values, **second.values}, span=first.span, raw=first.raw)

    def _unclosed(self, token: Token, start: int) -> None:
        self.error(
            "P102",
            "data block is never closed",
            token,
            "add the closing `}` (a data block may span lines, but not an empty line)",
            start=start,
            end=start + 1,
        )

    def _content(self, lines: list[Token], first_offset: int) -> dict[str, Any]:
        """Scan the text of an element's tokens (the first from `first_offset`).

        A token holds a line and its continuation lines, so each is scanned in one
        pass; `> ...` lines inside it become `Quote`s and carry no tags or mentions."""
        texts: list[str] = []
        tags: list[str] = []
        data: DataBlock | None = None
        links: list[Link] = []
        sources: list[SourceLink] = []
        evidence: list[EvidenceLink] = []
        quotes: list[Quote] = []
        mentions: list[Mention] = []
        data_end: tuple[int, int] | None = None  # (line index, offset) where the first data block ends
        for index, token in enumerate(lines):
            value = token.value
            offset = first_offset if index == 0 else 0
            if index > 0:
                self._misplaced_marker(token)
            quote_lines = self._quotes(token, index > 0, quotes) if ">" in value else ()
            scan = inline.scan_inline(value[offset:], offset)
            texts.append(scan.text)
            for piece in scan.pieces:
                kind = piece.kind
                if kind == "tag":
                    if not quote_lines or not _inside(piece.start, quote_lines):
                        tags.append(piece.value)
                elif kind == "data":
                    block = self._data(token, piece, piece.start)
                    if block is not None:
                        data = block if data is None else self._merge_data(data, block)
                    data_end = data_end or (index, piece.end)
                elif kind == "unclosed-data":
                    self._unclosed(token, piece.start)
                elif kind in _REFERENCE_PIECES:
                    self._reference_in_text(token, piece)
                elif kind == "link":
                    line, column = _position(token, piece.start)
                    span = make_span(line, column, line, column + piece.end - piece.start)
                    label, url = piece.value, piece.extra
                    if label.strip().lower() == "evidence":
                        evidence.append(_evidence_link(label, url, span))
                    elif url.startswith(("http://", "https://")):
                        sources.append(construct(SourceLink, label=label, url=url, span=span))
                    else:
                        links.append(construct(Link, label=label, url=url, span=span))
                elif not quote_lines or not _inside(piece.start, quote_lines):
                    line, column = _position(token, piece.start)
                    end_line, end_column = _position(token, piece.end)
                    mentions.append(
                        construct(
                            Mention,
                            title=piece.value,
                            kind=ElementKind.STATEMENT
                            if kind == "mention-statement"
                            else ElementKind.ARGUMENT,
                            span=make_span(line, column, end_line, end_column),
                        )
                    )
        if data_end is not None:
            self._after_data(lines, *data_end)
        return {
            "text": inline.plain_text(" ".join(texts)),
            "tags": tags,
            "data": data,
            "links": links,
            "sources": sources,
            "evidence": evidence,
            "quotes": quotes,
            "mentions": mentions,
        }

    def _quotes(self, token: Token, first_line_too: bool, quotes: list[Quote]) -> list[tuple[int, int]]:
        """Collect the `> ...` lines of a token; returns their offset ranges."""
        value = token.value
        first_break = value.find("\n")
        ranges: list[tuple[int, int]] = []
        for match in _QUOTE_LINE.finditer(value):
            marker = match.start("gt")
            if not first_line_too and (first_break == -1 or marker < first_break):
                continue  # the element's own first line is never a quote
            end = value.find("\n", marker)
            end = len(value) if end == -1 else end
            body = value[marker + 1 : end]
            line, column = _position(token, marker)
            end_line, end_column = _position(token, marker + 1 + len(body.rstrip()))
            quotes.append(
                construct(Quote, text=body.strip(), span=make_span(line, column, end_line, end_column))
            )
            ranges.append((marker, end))
        return ranges

    def _misplaced_marker(self, token: Token) -> None:
        """Block markers that the contextual lexer read as text because a block was
        still open: almost always a missing empty line."""
        first = token.value[:1]
        if first not in "#-*(0123456789" or not first:
            return
        value = token.value.rstrip()
        if _LIST_OR_PCS_MARK.match(value):
            kind = "a numbered statement" if first == "(" else "a list item"
            self.error(
                "P127",
                f"{kind} starts here, but there is no empty line above it",
                token,
                "leave an empty line above this line",
            )
        elif _HEADING_MARK.match(value):
            self.error("P122", "heading inside a block", token, "leave an empty line before the heading")
        elif value.startswith("--") and _INFERENCE_MARK.match(value):
            self.error(
                "P123",
                "inference line without premises above it",
                token,
                "an inference line `----` goes between the premises `(1) ...` and the conclusion; "
                "leave an empty line between an argument's title and its premises",
            )

    # ---- elements -------------------------------------------------------------------

    def _new_untitled(self) -> str:
        self.untitled += 1
        return f"Untitled {self.untitled}"

    def _statement(self, lines: list[Token], head: _Head, top_level: bool) -> Statement:
        first = lines[0]
        content = self._content(lines, head.rest_offset)
        untitled = head.title is None
        title = head.title if head.title is not None else self._new_untitled()
        is_reference = not untitled and not head.is_definition
        if is_reference and _TAG_TEXT.sub("", content["text"]).strip():
            # `[Title] some words`: read as a definition, but the reference rejects it.
            self._text_after_reference(first, head)
            is_reference = False
        title_span = None
        if not untitled:
            # the title is on the token's first line (titles never span lines)
            line, column = _line(first), _column(first)
            title_span = make_span(
                line, column + _head_start(first.value, head), line, column + head.title_end
            )
        statement = construct(
            Statement,
            title=title,
            is_reference=is_reference,
            is_untitled=untitled,
            section=self.section,
            span=_span_of(first, lines[-1]),
            title_span=title_span,
            **content,
        )
        ec = self.doc.statements.get(title)
        if ec is None:
            ec = construct(
                EquivalenceClass,
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

    def _argument(self, lines: list[Token], head: _Head) -> ArgumentDescription:
        first = lines[0]
        content = self._content(lines, head.rest_offset)
        assert head.title is not None
        start_line, start_column = _position(first, _head_start(first.value, head))
        end_line, end_column = _position(first, head.title_end)
        has_text = bool(_TAG_TEXT.sub("", content["text"]).strip())
        if has_text and not head.is_definition:
            self._text_after_reference(first, head)
        description = construct(
            ArgumentDescription,
            text=content["text"],
            is_reference=not head.is_definition and not has_text,
            tags=content["tags"],
            data=content["data"],
            links=content["links"] + content["sources"],
            mentions=content["mentions"],
            section=self.section,
            span=_span_of(first, lines[-1]),
            title_span=make_span(start_line, start_column, end_line, end_column),
        )
        argument = self._ensure_argument(head.title)
        argument.descriptions.append(description)
        if argument.section is None:
            argument.section = self.section
        return description

    def _text_after_reference(self, token: Token, head: _Head) -> None:
        opener, closer = ("[", "]") if head.kind is ElementKind.STATEMENT else ("<", ">")
        self.error(
            "P128",
            f"text after the reference {opener}{head.title}{closer}; only tags and data may follow one",
            token,
            f"add a colon to make it a definition: `{opener}{head.title}{closer}: ...`",
            start=head.title_end,
            end=head.title_end + 1,
        )

    def _ensure_argument(self, title: str) -> Argument:
        argument = self.doc.arguments.get(title)
        if argument is None:
            argument = construct(
                Argument, title=title, descriptions=[], pcs=[], pcs_span=None, is_untitled=False, section=None
            )
            self.doc.arguments[title] = argument
        return argument

    def _member(self, lines: list[Token], offset: int, top_level: bool) -> Node:
        head = _parse_head(lines[0].value, offset)
        if head.kind is ElementKind.ARGUMENT:
            description = self._argument(lines, head)
            del description
            assert head.title is not None
            return (ElementKind.ARGUMENT, head.title, False)
        statement = self._statement(lines, head, top_level)
        return (ElementKind.STATEMENT, statement.title, False)

    def element(self, raw: RawElement, offset_marker: bool = False) -> str | None:
        """A top-level statement or argument (or list item) with its relation tree.
        Returns the argument's title when the element is an argument."""
        first = raw.lines[0]
        offset = 0
        if offset_marker:
            marker = re.match(r"(?:\*|\d+\.)[ \t]+", first.value)
            offset = marker.end() if marker else 0
        node = self._member(raw.lines, offset, top_level=not offset_marker)
        self.tree(node, raw.tree, base=self._indent(first) + 1 if offset_marker else 0)
        return node[1] if node[0] is ElementKind.ARGUMENT else None

    # ---- relations --------------------------------------------------------------------

    def _indent(self, token: Token) -> int:
        number, column = _line(token), _column(token)
        line = self.source.lines[number - 1] if number - 1 < len(self.source.lines) else ""
        prefix = line[: column - 1]
        return len(prefix.expandtabs(4)) if "\t" in prefix else column - 1

    def tree(
        self,
        root: Node,
        relations: list[RawRelation],
        base: int = 0,
        pcs_member: bool = False,
        conclusion_index: int | None = None,
    ) -> None:
        """Attach a relation tree by indentation, as the reference lexer reads it.

        An indent deeper than the innermost open level opens the children of the line
        above; a shallower one closes levels while it is shallower than the open one
        (an unmatched level is never opened, so the relation joins the element of the
        level it stopped at). `base` is the level of the root line itself: 0, or one
        past a list item's indentation."""
        levels = [base]
        parents: list[Node] = []
        last = root
        open_relations: list[tuple[int, Relation]] = []  # (depth, relation) not yet closed
        for raw in relations:
            token = raw.lines[0]
            indent = self._indent(token)
            if indent > levels[-1]:
                levels.append(indent)
                parents.append(last)
            elif indent < levels[-1]:
                while len(levels) > 1 and indent < levels[-1]:
                    levels.pop()
                    parents.pop()
                if parents and indent != levels[-1]:
                    self.error(
                        "P113",
                        "relation is dedented to a level no line above it has",
                        token,
                        f"indent it by {levels[-1]} columns; it is attached to the relations at that level",
                        level=Level.WARNING,
                    )
            if not parents:
                self.error(
                    "P130",
                    "relation is not indented under any element above it",
                    token,
                    "indent the relation further than the line it relates to",
                )
                levels, parents = [indent - 1, indent], [root]
            symbol_match = _RELATION_SYMBOL.match(token.value)
            if symbol_match is None:  # the grammar guarantees a symbol; be defensive
                continue
            child = self._member(raw.lines, symbol_match.end(), top_level=False)
            direct = len(parents) == 1
            while open_relations and open_relations[-1][0] >= len(parents):
                self._close_relation(open_relations.pop()[1])
            relation = self.relation(
                parents[-1],
                child,
                symbol_match.group(1),
                token,
                pcs_member and direct,
                conclusion_index if direct else None,
            )
            open_relations.append((len(parents), relation))
            last = child
        while open_relations:
            self._close_relation(open_relations.pop()[1])

    def _close_relation(self, relation: Relation) -> None:
        """The reference adds a relation to its model when the relation's subtree is
        finished, and drops it when its source already has a relation of that type to
        that target: for a relation of an element with itself, that is any earlier
        relation of that type *to* it. Drop those self-relations as it does."""
        key = (relation.target, relation.target_kind, relation.kind)
        if (relation.source, relation.source_kind) == (relation.target, relation.target_kind):
            if key in self.closed_targets:
                self.dropped_relations.add(id(relation))
        self.closed_targets.add(key)

    def relation(
        self,
        parent: Node,
        child: Node,
        symbol: str,
        token: Token,
        under_pcs: bool,
        conclusion_index: int | None = None,
    ) -> Relation:
        child_is_source, kind = _SYMBOLS[symbol]
        source, target = (child, parent) if child_is_source else (parent, child)
        via_inference = target[2] and kind is RelationKind.UNDERCUT
        if source[0] is ElementKind.STATEMENT and target[0] is ElementKind.STATEMENT and not target[2]:
            if self.doc.mode is Mode.STRICT:
                if kind is RelationKind.SUPPORT:
                    kind = RelationKind.ENTAILS
                elif kind is RelationKind.ATTACK:
                    kind = RelationKind.CONTRARY
        elif kind is RelationKind.CONTRADICTION:
            self.error(
                "P116",
                "`><` (contradiction) relates two statements, not an argument",
                token,
                "use `-` or `->` for an attack on or by an argument",
            )
            kind = RelationKind.ATTACK
        relation: Relation = construct(
            Relation,
            source=source[1],
            source_kind=source[0],
            target=target[1],
            target_kind=target[0],
            kind=kind,
            symbol=symbol,
            span=_span_of(token, token),
            parent_is_pcs_member=under_pcs,
            via_inference=via_inference,
            conclusion_index=conclusion_index if via_inference else None,
        )
        self.doc.relations.append(relation)
        return relation

    # ---- premise-conclusion structures -----------------------------------------------

    def pcs(self, raw: RawPcs, owner: str | None) -> None:
        if owner is None:
            owner = self._new_untitled()
            argument = self._ensure_argument(owner)
            argument.is_untitled = True
            argument.section = self.section
        argument = self._ensure_argument(owner)
        items = self._merge_expanded_inferences(raw.items)
        first_token = raw.items[0].lines[0]
        last_token = raw.items[-1].lines[-1]
        if argument.pcs:
            self.error(
                "P117",
                f"argument <{owner}> already has a premise-conclusion structure",
                first_token,
                "an argument is reconstructed once; give this one its own title",
            )
            return
        argument.pcs_span = _span_of(first_token, last_token)
        members: list[PcsMember] = []
        pending: Inference | None = None
        pending_token: Token | None = None
        expected = 1
        starts_with_inference = False
        for item, inference in items:
            token = item.lines[0]
            if inference is not None:
                if not members:
                    starts_with_inference = True
                    self.error(
                        "P114",
                        "premise-conclusion structure starts with an inference line",
                        token,
                        "put the premises `(1) ...` above the `----` line",
                    )
                elif pending is not None:
                    self.error(
                        "P118",
                        "two inference lines in a row",
                        token,
                        "remove one of them, or put a conclusion between them",
                    )
                pending, pending_token = inference, token
                node: Node = (ElementKind.ARGUMENT, owner, True)
                self.tree(node, item.tree, conclusion_index=len(members))
                continue
            number_match = _PCS_NUMBER.match(token.value)
            assert number_match is not None
            number = int(number_match.group(1))
            if number != expected:
                self.error(
                    "P107",
                    f"premise-conclusion statement is numbered ({number}), expected ({expected})",
                    token,
                    f"renumber it ({expected})",
                    level=Level.WARNING,
                    start=0,
                    end=len(number_match.group(0).rstrip()),
                )
            expected = number + 1
            head = _parse_head(token.value, number_match.end())
            if head.kind is ElementKind.ARGUMENT:
                self.error(
                    "P119",
                    "a premise-conclusion statement must be a statement, not an argument",
                    token,
                    "write a statement `[Title]: text`; refer to arguments in relations",
                )
                head = _Head(None, None, True, number_match.end(), number_match.end())
            statement = self._statement(item.lines, head, top_level=False)
            role = PcsRole.PREMISE if pending is None else PcsRole.INTERMEDIARY_CONCLUSION
            members.append(
                construct(PcsMember, number=number, role=role, statement=statement, inference=pending)
            )
            pending, pending_token = None, None
            self.tree((ElementKind.STATEMENT, statement.title, False), item.tree, pcs_member=True)
        dangling = pending is not None and pending_token is not None
        if dangling:
            assert pending_token is not None
            self.error(
                "P111",
                "inference line is not followed by a conclusion",
                pending_token,
                "add the conclusion `(n) ...` below the inference line",
            )
        if members and not dangling:
            last = members[-1]
            if last.inference is None:
                conclusion_token = self._last_statement_token(items)
                premise_number = members[-2].number if len(members) > 1 else last.number
                self.error(
                    "P106",
                    f"conclusion ({last.number}) has no inference line `----` above it",
                    conclusion_token,
                    f"insert a line `----` between ({premise_number}) and ({last.number}) "
                    f"(above line {conclusion_token.line})",
                    start=0,
                    end=len(conclusion_token.value.split("\n", 1)[0].rstrip()),
                )
            if len(members) < 2 and not starts_with_inference:
                self.error(
                    "P112",
                    "premise-conclusion structure needs at least one premise and a conclusion",
                    first_token,
                    "add the premises above the inference line",
                )
        if members and (not dangling or members[-1].inference is not None):
            members[-1] = members[-1].model_copy(update={"role": PcsRole.MAIN_CONCLUSION})
        argument.pcs = members

    @staticmethod
    def _last_statement_token(items: list[tuple[RawPcsLine, Inference | None]]) -> Token:
        for item, inference in reversed(items):
            if inference is None:
                return item.lines[0]
        return items[-1][0].lines[0]

    def _merge_expanded_inferences(
        self, lines: list[RawPcsLine]
    ) -> list[tuple[RawPcsLine, Inference | None]]:
        """Pair each PCS line with its parsed inference (None for statements), merging
        an expanded inference (`--` / rules / data / `--`) into one entry."""
        result: list[tuple[RawPcsLine, Inference | None]] = []
        index = 0
        while index < len(lines):
            item = lines[index]
            index += 1
            if not item.is_inference:
                result.append((item, None))
                continue
            token = item.lines[0]
            value = token.value.rstrip()
            if _FENCE.fullmatch(value):
                content_lines = item.lines[1:]
                closing = lines[index] if index < len(lines) else None
                if (
                    closing is not None
                    and closing.is_inference
                    and _FENCE.fullmatch(closing.lines[0].value.rstrip())
                    and len(closing.lines) == 1
                ):
                    index += 1
                    tree = item.tree + closing.tree
                    last = closing.lines[0]
                else:
                    self.error(
                        "P120",
                        "expanded inference is never closed",
                        token,
                        "end the inference rules with a second `--` line",
                    )
                    tree, last = item.tree, item.lines[-1]
                rules, data = self._inference_content(content_lines)
                merged = RawPcsLine(True, item.lines, tree)
                result.append(
                    (merged, construct(Inference, rules=rules, data=data, span=_span_of(token, last)))
                )
                continue
            body = value
            if _COLLAPSED.match(body):
                body = _COLLAPSED.sub("", body, count=1)
            else:
                body = body[2:]
                body = re.sub(r"-{2,}\s*$", "", body)
            scan = inline.scan_inline(body, 0)
            rule_text = inline.plain_text(scan.text)
            data = None
            shift = len(value) - len(body) if _COLLAPSED.match(value) else 2
            for piece in scan.pieces:
                if piece.kind == "data":
                    data = self._data(token, piece, piece.start + shift)
                elif piece.kind == "unclosed-data":
                    self._unclosed(token, piece.start + shift)
            rules = [r.strip() for r in rule_text.split(",") if r.strip()]
            for extra in item.lines[1:]:
                self.error(
                    "P121",
                    "text under an inference line",
                    extra,
                    "write inference rules between two `--` lines, or start the conclusion with `(n)`",
                )
            result.append((item, construct(Inference, rules=rules, data=data, span=_span_of(token, token))))
        return result

    def _inference_content(self, lines: list[Token]) -> tuple[list[str], DataBlock | None]:
        rules: list[str] = []
        data: DataBlock | None = None
        for token in lines:
            scan = inline.scan_inline(token.value, 0)
            text = inline.plain_text(scan.text)
            rules.extend(r.strip() for r in text.split(",") if r.strip())
            for piece in scan.pieces:
                if piece.kind == "data":
                    block = self._data(token, piece, piece.start)
                    if block is not None:
                        data = block if data is None else self._merge_data(data, block)
                elif piece.kind == "unclosed-data":
                    self._unclosed(token, piece.start)
        return rules, data


def _inside(offset: int, ranges: list[tuple[int, int]] | tuple[()]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def _head_start(value: str, head: _Head) -> int:
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
    return construct(
        EvidenceLink,
        label=label,
        url=url,
        span=span,
        path=path,
        fragment=fragment or None,
        line_start=start,
        line_end=end,
    )

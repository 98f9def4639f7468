"""What every part of the model builder shares: the document being built, the
diagnostics, the current section, data blocks, and the errors that several
constructs report (data in the wrong place, references inside text)."""

from __future__ import annotations

import re

from lark import Token

from argmap.diagnostics import Region
from argmap.grammar import inline
from argmap.grammar.codes import diagnostic
from argmap.grammar.data import DataError, NotAMapping, parse_data_block
from argmap.grammar.emphasis import OpenRanges
from argmap.grammar.source import SourceText
from argmap.grammar.tokens import position, token_column, token_line
from argmap.model import (
    Argument,
    DataBlock,
    Document,
    ElementKind,
    Mode,
    RelationKind,
    Section,
    Span,
    make_span,
)

# An empty line inside a data block: the reference reads a block up to its `}` across one.
_EMPTY_LINE = re.compile(r"\n[ \t]*\n")
_TEXT = re.compile(r"\S")


class BuilderState:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.path = source.path
        self.diagnostics = source.diagnostics
        self.doc = Document(
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
        # the frontmatter's `model.removeTagsFromText`: tags leave the text they are in
        self.drop_tags = False
        # the frontmatter's `model.shortcodes`, merged into the reference's own table
        self.shortcodes = inline.SHORTCODES

    # ---- diagnostics ------------------------------------------------------------

    def error(
        self,
        code: str,
        token: Token,
        case: str = "",
        start: int = 0,
        end: int | None = None,
        **fields: object,
    ) -> None:
        """Report `code` (its message and hint for `case` are in `codes.CODES`, filled in
        from `fields`) from `start` to `end` characters into `token` (to the end of its
        first line when `end` is None)."""
        line, column = position(token, start)
        if end is None:
            first_line = token.value.split("\n", 1)[0]
            end_line, end_column = token_line(token), token_column(token) + len(first_line.rstrip())
            if end_line == line and end_column <= column:
                end_column = column + 1
        else:
            end_line, end_column = position(token, end)
        self.diagnostics.append(
            diagnostic(code, self.path, Region(line, column, end_line, end_column), case, **fields)
        )

    def scan_text(self, parts: list[tuple[Token, int]]) -> list[inline.Scan]:
        """Scan one element's text (its tokens, each from an offset) as the reference
        reads it: emphasis markers of closed ranges dropped from the text, an unclosed
        range reported (P133) and its marker kept as a literal character."""
        drop = self.drop_tags
        if len(parts) == 1:  # nearly every element: one token
            token, offset = parts[0]
            scan = inline.scan_inline(token.value[offset:], offset, drop)
            if "_" not in scan.text and "*" not in scan.text:
                return [scan]
            scans = [scan]
        else:
            scans = [inline.scan_inline(token.value[offset:], offset, drop) for token, offset in parts]
            if not any("_" in scan.text or "*" in scan.text for scan in scans):
                return scans
        ranges = OpenRanges()
        for index, ((token, offset), scan) in enumerate(zip(parts, scans, strict=True)):
            text = token.value[offset:]
            if self.ends_map(token):
                text = text[:-1]  # the line break the source pass added: the map ends here
            ranges.feed(text, [(p.start - offset, p.end - offset) for p in scan.pieces], index)
        for marker, index, at in ranges.left_open():
            token, offset = parts[index]
            self._unclosed_emphasis(token, offset + at, marker)
        dropped: dict[int, list[tuple[int, int]]] = {}
        for index, at, length in ranges.closed:
            dropped.setdefault(index, []).append((at, length))
        for index, spots in dropped.items():
            token, offset = parts[index]
            chars = list(token.value[offset:])
            for at, length in spots:
                chars[at : at + length] = inline.DROPPED * length
            scans[index] = inline.scan_inline("".join(chars), offset, drop)
        return scans

    def _unclosed_emphasis(self, token: Token, start: int, marker: str) -> None:
        kind = "bold" if len(marker) == 2 else "italics"
        escaped = "".join("\\" + char for char in marker)
        end = start + len(marker)
        if self.ends_map(token) and end == len(token.value) - 1:  # the map's last characters
            self.error(
                "P133", token, "end-of-map", start=start, end=end, marker=marker, kind=kind, escaped=escaped
            )
        else:
            self.error("P133", token, start=start, end=end, marker=marker, kind=kind, escaped=escaped)

    def ends_map(self, token: Token) -> bool:
        """Is `token` the end of a map whose last line has no line break? (The source
        pass adds one; the reference's lexer sees the end of the text there.)"""
        end = getattr(token, "end_pos", None)
        return not self.source.final_newline and end is not None and end >= len(self.source.text)

    # ---- entry point --------------------------------------------------------------

    @property
    def section(self) -> str | None:
        return self.section_stack[-1].id if self.section_stack else None

    # ---- inline content -------------------------------------------------------------

    def _new_untitled(self) -> str:
        self.untitled += 1
        return f"Untitled {self.untitled}"

    def _indent(self, token: Token) -> int:
        number, column = token_line(token), token_column(token)
        line = self.source.lines[number - 1] if number - 1 < len(self.source.lines) else ""
        prefix = line[: column - 1]
        return len(prefix.expandtabs(4)) if "\t" in prefix else column - 1

    def _ensure_argument(self, title: str) -> Argument:
        argument = self.doc.arguments.get(title)
        if argument is None:
            argument = Argument(
                title=title, descriptions=[], pcs=[], pcs_span=None, is_untitled=False, section=None
            )
            self.doc.arguments[title] = argument
        return argument

    def _data(self, token: Token, piece: inline.Piece, start_in_token: int) -> DataBlock | None:
        block = piece.value
        line, column = position(token, start_in_token)
        if "\n" in block:
            end_line, end_column = position(token, start_in_token + len(block))
        else:  # nearly every block: on one line
            end_line, end_column = line, column + len(block)
        span = make_span(line, column, end_line, end_column)
        try:
            values = parse_data_block(block)
        except NotAMapping as exc:
            self.error("P142", token, start=start_in_token, end=start_in_token + 1, kind=exc.kind)
            return None
        except DataError as exc:
            if _EMPTY_LINE.search(block):
                # read across an empty line up to a later `}`: most likely never closed
                self._unclosed(token, start_in_token)
                return None
            at = start_in_token + exc.offset
            self.error("P105", token, "data", start=at, end=at + 1, error=exc)
            return None
        return DataBlock(values=values, span=span, raw=block)

    def _after_data(self, lines: list[Token], index: int, end: int) -> None:
        """A data block ends its element (only relations may follow it), as the
        reference grammar has it: text, tags or a second block after it are errors."""
        token, rest = lines[index], lines[index].value[end:]
        if index + 1 == len(lines) and rest.isspace():
            return  # nearly every block: only the line break after it
        at = end + len(rest) - len(rest.lstrip())
        if not rest.strip():
            later = next((t for t in lines[index + 1 :] if t.value.strip()), None)
            if later is None:
                return
            token, at = later, 0
        self.error("P132", token, start=at, end=at + 1)

    def _link_over_lines(self, token: Token, piece: inline.Piece) -> None:
        """A link token over a line break: the reference stops the export (P141),
        located on the link's first line."""
        first_line_end = piece.value.find("\n")
        self.error("P141", token, start=piece.start, end=piece.start + first_line_end)

    def _reference_in_text(self, token: Token, piece: inline.Piece) -> None:
        """`[T]` / `<T>` in running text: the reference lexer reads a reference or
        definition token there, which only starts an element."""
        value = token.value
        line, column = position(token, piece.start)  # (no search back through a long line)
        line_start = piece.start - column + 1
        if line > token_line(token) and _TEXT.search(value, line_start, piece.start) is None:
            self.error("P127", token, "reference", start=piece.start, end=piece.end, reference=piece.value)
            return
        if re.match(r"\(\d+\)", value[piece.end : piece.end + 8]):
            self.error("P126", token, "number", start=piece.start, end=piece.end, reference=piece.value)
            return
        mention = "@" + piece.value.rstrip(":")
        self.error(
            "P126", token, "in-text", start=piece.start, end=piece.end, reference=piece.value, mention=mention
        )

    @staticmethod
    def _merge_data(first: DataBlock, second: DataBlock) -> DataBlock:
        return DataBlock(values={**first.values, **second.values}, span=first.span, raw=first.raw)

    def _unclosed(self, token: Token, start: int) -> None:
        self.error("P102", token, start=start, end=start + 1)

"""Build the typed model from the block records, in one pass over the document.

This is where Argdown's meaning lives: which element a relation tree hangs from
(by indentation), what a relation symbol means between which kinds of element (and
in which mode), which argument a PCS belongs to, what is premise and conclusion.
Structural mistakes are reported here, where the fix goes: a conclusion without
its `----` is reported at that conclusion, not where a later line notices it.
"""

from __future__ import annotations

from lark import Token

from argmap.diagnostics import Region
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
)
from argmap.grammar.codes import diagnostic
from argmap.grammar.data import DataError, NotAMapping, parse_frontmatter
from argmap.grammar.options import apply_frontmatter_options, js_truthy
from argmap.grammar.patterns import FRONTMATTER_CLOSE, FRONTMATTER_TOKEN
from argmap.grammar.patterns import (
    REFERENCE_PIECES as _REFERENCE_PIECES,
)
from argmap.grammar.pcs import PcsBuilder
from argmap.grammar.tokens import span_of
from argmap.model import (
    DataBlock,
    Document,
    Mode,
    Section,
)


class DocumentBuilder(PcsBuilder):
    """Builds the `Document` from the block records, in one pass over the document;
    each construct's part lives in its own module (state, elements, relations, pcs)."""

    def build(self, blocks: list[RawBlock]) -> Document:
        for block in blocks:
            self.block(block)
        if self.dropped_relations:
            dropped = self.dropped_relations
            self.doc.relations = [r for r in self.doc.relations if id(r) not in dropped]
        apply_frontmatter_options(self.doc, self.frontmatter_span)
        self._empty_map()
        self.diagnostics.sort(key=lambda d: (d.line, d.column))
        self.doc.diagnostics = self.diagnostics
        return self.doc

    def _empty_map(self) -> None:
        """P134 for a map with no heading, statement or argument (the reference rejects
        it: "expecting at least one" element), reported at its end, where one goes."""
        doc = self.doc
        if self.source.fatal or self.diagnostics or doc.statements or doc.arguments or doc.sections:
            return
        lines = self.source.text.rstrip("\n").split("\n")
        end = Region.on_line(len(lines), len(lines[-1]) + 1)
        self.diagnostics.append(diagnostic("P134", self.path, end))

    def block(self, block: RawBlock) -> None:
        if isinstance(block, RawElement):
            self.previous_argument = self.element(block)
        elif isinstance(block, RawElementWithPcs):
            owner = self.element(block.element)
            self.error("P127", block.pcs.items[0].lines[0], "pcs")
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
            ordered = _ordered(block.items[0].lines[0])
            for item in block.items:
                if self._indent(item.lines[0]) != first_indent:
                    self.error("P129", item.lines[0], columns=first_indent)
                elif _ordered(item.lines[0]) != ordered:
                    # one list is one kind: the other kind needs an empty line above it
                    ordered = not ordered
                    kind = "an ordered list" if ordered else "an unordered list"
                    self.error("P127", item.lines[0], "element", kind=kind)
                self.element(item, offset_marker=True)
            self.previous_argument = None
        elif isinstance(block, RawOrphanTree):
            first = block.tree[0].lines[0]
            if self.seen_block:
                self.error("P108", first, "after-empty-line")
            else:
                self.error("P108", first, "first-block")
            self.previous_argument = None
        self.seen_block = True

    # ---- frontmatter and headings ---------------------------------------------------

    def frontmatter(self, token: Token) -> None:
        if self.seen_block:
            self.error("P110", token)
            return
        # what the reference reads: its token runs from `===` to the next `===`; the
        # YAML is that token without the fences
        value = token.value
        image = FRONTMATTER_TOKEN.match(value)
        end = image.end() if image is not None else len(value.rstrip())
        line_end = value.find("\n", end)
        rest = value[end : len(value) if line_end == -1 else line_end].rstrip()
        if rest.strip():
            at = end + len(rest) - len(rest.lstrip())
            self.error("P131", token, start=at, end=end + len(rest))
        opening = len(value) - len(value.lstrip().lstrip("="))
        body = FRONTMATTER_CLOSE.sub("", value[opening:end])
        self.frontmatter_span = span_of(token, token)
        try:
            self.doc.frontmatter = parse_frontmatter(body)
        except NotAMapping as exc:
            self.error("P137", token, start=0, end=len(value.split("\n", 1)[0]), kind=exc.kind)
            return
        except DataError as exc:
            start = opening + exc.offset
            self.error("P105", token, "frontmatter", start=start, end=start + 1, error=exc)
            return
        model = self.doc.frontmatter.get("model")
        self.drop_tags = isinstance(model, dict) and js_truthy(model.get("removeTagsFromText"))
        if isinstance(model, dict) and "shortcodes" in model:
            self.shortcodes = inline.custom_shortcodes(model["shortcodes"])
        if isinstance(model, dict) and model.get("mode") is not None:
            mode = str(model.get("mode")).lower()
            if mode in ("strict", "loose"):
                self.doc.mode = Mode(mode)
            else:
                self.error("P115", token, mode=repr(mode))

    def heading(self, token: Token) -> None:
        value = token.value
        level = len(value) - len(value.lstrip("#"))
        self.missing_text([token], level)
        (scan,) = self.scan_text([(token, level)])
        tags, data = self._tags_and_data(token, scan)
        title = inline.plain_text(scan.text, self.shortcodes)
        while self.section_stack and self.section_stack[-1].level >= level:
            self.section_stack.pop()
        parent = self.section_stack[-1].id if self.section_stack else None
        section = Section(
            id=f"s{len(self.doc.sections) + 1}",
            title=title,
            level=level,
            parent=parent,
            tags=tags,
            data=data,
            span=span_of(token, token),
        )
        self.doc.sections.append(section)
        self.section_stack.append(section)

    def _tags_and_data(self, token: Token, scan: inline.Scan) -> tuple[list[str], DataBlock | None]:
        tags: list[str] = []
        data: DataBlock | None = None
        for piece in scan.pieces:
            if piece.kind == "tag":
                if piece.value not in tags:  # listed once, as the reference lists it
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
            elif piece.kind == "link-over-lines":
                self._link_over_lines(token, piece)
        return tags, data


def _ordered(token: Token) -> bool:
    """Is this list item numbered (`1.`) rather than bulleted (`*`)?"""
    return not token.value.lstrip(" \t").startswith("*")

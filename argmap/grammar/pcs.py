"""Premise-conclusion structures: numbered statements, inference lines (one-line and
expanded), roles, and the mistakes reported where the fix goes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lark import Token

from argmap.grammar import inline
from argmap.grammar.blocks import (
    Line,
    RawPcs,
    RawPcsLine,
    RawRelation,
)
from argmap.grammar.elements import Head, Node, parse_head
from argmap.grammar.inferences import reference_problem
from argmap.grammar.patterns import (
    COLLAPSED as _COLLAPSED,
)
from argmap.grammar.patterns import (
    FENCE as _FENCE,
)
from argmap.grammar.patterns import (
    PCS_NUMBER as _PCS_NUMBER,
)
from argmap.grammar.patterns import (
    RELATION_SYMBOL as _RELATION_SYMBOL,
)
from argmap.grammar.relations import RelationBuilder
from argmap.grammar.tokens import span_of, token_column, token_line
from argmap.model import (
    DataBlock,
    ElementKind,
    Inference,
    PcsMember,
    PcsRole,
    Span,
)

_COLLAPSED_ONLY = re.compile(r"-{4,}[ \t]*")
# what the reference parser lets hang from an inference line: an incoming undercut
_UNDERCUTS = frozenset({"<_", "_", "><"})  # `><` there is P116 already
_CLOSING = re.compile(r"-{2,}[ \t]*")


def _closes(item: RawPcsLine) -> bool:
    """Is this PCS line a bare run of hyphens that can close an expanded inference?"""
    return (
        item.is_inference
        and len(item.lines) == 1
        and _CLOSING.fullmatch(item.lines[0].value.rstrip()) is not None
    )


@dataclass(slots=True)
class _PcsWalk:
    """Where a walk over one premise-conclusion structure stands."""

    members: list[PcsMember] = field(default_factory=list)
    pending: Inference | None = None  # an inference line still waiting for its conclusion
    pending_token: Token | None = None
    expected: int = 1
    starts_with_inference: bool = False


class PcsBuilder(RelationBuilder):
    def pcs(self, raw: RawPcs, owner: str | None) -> None:
        if owner is None:
            owner = self._new_untitled()
            argument = self._ensure_argument(owner)
            argument.is_untitled = True
            argument.section = self.section
        argument = self._ensure_argument(owner)
        items = self._merge_expanded_inferences(raw.items)
        first_token = raw.items[0].lines[0]
        if argument.pcs:
            self.error("P117", first_token, title=owner)
            return
        argument.pcs_span = span_of(first_token, raw.items[-1].lines[-1])
        walk = _PcsWalk()
        for item, inference in items:
            if inference is not None:
                self._pcs_inference(walk, item, inference, owner)
            else:
                self._pcs_statement(walk, item, owner)
        self._pcs_end(walk, items, first_token)
        argument.pcs = walk.members

    def _pcs_inference(self, walk: _PcsWalk, item: RawPcsLine, inference: Inference, owner: str) -> None:
        token = item.lines[0]
        if not walk.members:
            walk.starts_with_inference = True
            self.error("P114", token)
        elif walk.pending is not None:
            self.error("P118", token)
        walk.pending, walk.pending_token = inference, token
        self._undercuts_only(item.tree)
        node: Node = (ElementKind.ARGUMENT, owner, True)
        self.tree(node, item.tree, conclusion_index=len(walk.members))

    def _undercuts_only(self, tree: list[RawRelation]) -> None:
        """P140 for a relation directly under an inference line that is no undercut
        (the reference parser rejects it; the model keeps it, read as it is written)."""
        if not tree:
            return
        level = min(self._indent(raw.lines[0]) for raw in tree)
        for raw in tree:
            token = raw.lines[0]
            symbol = _RELATION_SYMBOL.match(token.value)
            if symbol is not None and symbol.group(1) not in _UNDERCUTS and self._indent(token) == level:
                self.error("P140", token, start=0, end=len(symbol.group(1)), symbol=symbol.group(1))

    def _pcs_statement(self, walk: _PcsWalk, item: RawPcsLine, owner: str) -> None:
        token = item.lines[0]
        number_match = _PCS_NUMBER.match(token.value)
        assert number_match is not None
        number = int(number_match.group(1))
        if number != walk.expected:
            self.error(
                "P107",
                token,
                start=0,
                end=len(number_match.group(0).rstrip()),
                number=number,
                expected=walk.expected,
            )
        walk.expected = number + 1
        head = parse_head(token.value, number_match.end())
        if head.kind is ElementKind.ARGUMENT:
            self.error("P119", token)
            head = Head(None, None, True, number_match.end(), number_match.end())
        statement = self._statement(item.lines, head, top_level=False)
        role = PcsRole.PREMISE if walk.pending is None else PcsRole.INTERMEDIARY_CONCLUSION
        inference: Node | None = None if walk.pending is None else (ElementKind.ARGUMENT, owner, True)
        walk.members.append(PcsMember(number=number, role=role, statement=statement, inference=walk.pending))
        walk.pending, walk.pending_token = None, None
        if not item.tree:  # most premises: nothing hangs from them
            return
        self.tree(
            (ElementKind.STATEMENT, statement.title, False),
            item.tree,
            pcs_member=True,
            conclusion_index=len(walk.members) - 1 if inference is not None else None,
            inference=inference,
        )

    def _pcs_end(
        self, walk: _PcsWalk, items: list[tuple[RawPcsLine, Inference | None]], first_token: Token
    ) -> None:
        """Mistakes only the whole structure shows, and the main conclusion's role."""
        members = walk.members
        dangling = walk.pending_token is not None
        if walk.pending_token is not None:
            self.error("P111", walk.pending_token)
        elif members and members[-1].inference is None:
            last = members[-1]
            conclusion_token = self._last_statement_token(items)
            premise_number = members[-2].number if len(members) > 1 else last.number
            self.error(
                "P106",
                conclusion_token,
                start=0,
                end=len(conclusion_token.value.split("\n", 1)[0].rstrip()),
                number=last.number,
                premise=premise_number,
                line=conclusion_token.line,
            )
        if members and not dangling and len(members) < 2 and not walk.starts_with_inference:
            self.error("P112", first_token)
        if members and (not dangling or members[-1].inference is not None):
            members[-1].role = PcsRole.MAIN_CONCLUSION  # (the walk's own object: no copy)

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
            if len(item.lines) > 1 and "--" in item.lines[-1].value:
                result.append((item, self._closed_inference(item.lines)))
                continue
            token = item.lines[0]
            value = token.value.rstrip()
            if _FENCE.fullmatch(value):
                content_lines = item.lines[1:]
                closing = lines[index] if index < len(lines) else None
                if closing is not None and _closes(closing):
                    index += 1
                    tree = item.tree + closing.tree
                    last = closing.lines[0]
                    self._check_inference([*item.lines, last])
                else:
                    self.error("P120", token)
                    tree, last = item.tree, item.lines[-1]
                rules, data = self._inference_content(content_lines)
                merged = RawPcsLine(True, item.lines, tree)
                result.append((merged, Inference(rules=rules, data=data, span=span_of(token, last))))
                continue
            closing = lines[index] if index < len(lines) else None
            if not _COLLAPSED_ONLY.fullmatch(value):
                problem = reference_problem(value)
                closed_below = len(item.lines) == 1 and closing is not None and _closes(closing)
                if problem is not None and problem[0] >= len(value) and closed_below:
                    assert closing is not None
                    # `-- rules` with the closing hyphens on the next line
                    index += 1
                    inference = self._one_line_inference(token, value, span_of(token, closing.lines[0]))
                    result.append((RawPcsLine(True, item.lines, item.tree + closing.tree), inference))
                    continue
                if problem is not None:
                    self._unreadable_inference(token, *problem)
            for extra in item.lines[1:]:
                self.error("P121", extra)
            result.append((item, self._one_line_inference(token, value, span_of(token, token))))
        return result

    def _closed_inference(self, lines: list[Token]) -> Inference:
        """An inference the lexer read up to its closing hyphens on a later line
        (`-- rules` / `--`, or `--` / rules / data / `--`), as the reference reads it.
        A line that held only a comment is skipped there; a line of blanks is not."""
        comment_only = self.source.comment_only_lines
        lines = [line for line in lines if line.value.strip() or token_line(line) not in comment_only]
        self._check_inference(lines)
        first, last = lines[0], lines[-1]
        span = span_of(first, last)
        if not _FENCE.fullmatch(first.value.rstrip()):
            return self._one_line_inference(first, first.value.rstrip(), span)
        content = lines[1:-1]
        before = last.value[: last.value.index("--")]  # rules the closing hyphens end
        if before.strip():
            rest = Line("TEXT", before, token_line(last), token_column(last))
            content = [*content, rest]  # type: ignore[list-item]  # a Line reads as a Token
        rules, data = self._inference_content(content)
        return Inference(rules=rules, data=data, span=span)

    def _one_line_inference(self, token: Token, value: str, span: Span) -> Inference:
        """The rules and data of `-- rules {data} --` (or of `----`)."""
        if _COLLAPSED_ONLY.fullmatch(value):  # `----`, nearly every inference: nothing in it
            return Inference(rules=[], data=None, span=span)
        body = value
        if _COLLAPSED.match(body):
            body = _COLLAPSED.sub("", body, count=1)
        else:
            body = body[2:]
            body = re.sub(r"-{2,}\s*$", "", body)
        scan = inline.scan_inline(body, 0)
        rule_text = inline.plain_text(scan.text, self.shortcodes)
        data = None
        shift = len(value) - len(body) if _COLLAPSED.match(value) else 2
        for piece in scan.pieces:
            if piece.kind == "data":
                data = self._data(token, piece, piece.start + shift)
            elif piece.kind == "unclosed-data":
                self._unclosed(token, piece.start + shift)
        rules = [r.strip() for r in rule_text.split(",") if r.strip()]
        return Inference(rules=rules, data=data, span=span)

    def _check_inference(self, lines: list[Token]) -> None:
        """Report an expanded inference the reference parser cannot read (rules over
        two lines, data before the rules, text after the closing hyphens)."""
        values = [line.value.split("\n", 1)[0].rstrip() for line in lines]
        problem = reference_problem("\n".join(values))
        if problem is None:
            return
        offset, case = problem
        for line, value in zip(lines, values, strict=True):
            if offset <= len(value):
                self._unreadable_inference(line, offset, case)
                return
            offset -= len(value) + 1

    def _unreadable_inference(self, token: Token, offset: int, case: str) -> None:
        end = len(token.value.split("\n", 1)[0].rstrip())
        start = min(offset, max(end - 1, 0))
        if case == "after-end":
            self.error("P138", token, "after-end", start=start, end=end)
        else:
            self.error("P138", token, start=start, end=end)

    def _inference_content(self, lines: list[Token]) -> tuple[list[str], DataBlock | None]:
        rules: list[str] = []
        data: DataBlock | None = None
        for token in lines:
            # the reference lexes an inference in a mode of its own: no emphasis there
            scan = inline.scan_inline(token.value, 0)
            text = inline.plain_text(scan.text, self.shortcodes)
            rules.extend(r.strip() for r in text.split(",") if r.strip())
            for piece in scan.pieces:
                if piece.kind == "data":
                    block = self._data(token, piece, piece.start)
                    if block is not None:
                        data = block if data is None else self._merge_data(data, block)
                elif piece.kind == "unclosed-data":
                    self._unclosed(token, piece.start)
        return rules, data

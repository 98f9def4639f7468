"""Relation trees: which element a relation hangs from (by indentation, as the
reference lexer reads it) and what its symbol means between which kinds of element."""

from __future__ import annotations

from lark import Token

from argmap.grammar.blocks import (
    RawElement,
    RawRelation,
)
from argmap.grammar.elements import ElementBuilder, Node
from argmap.grammar.patterns import LIST_MARKER
from argmap.grammar.patterns import (
    RELATION_SYMBOL as _RELATION_SYMBOL,
)
from argmap.grammar.tokens import span_of
from argmap.model import (
    ElementKind,
    Mode,
    Relation,
    RelationKind,
)

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


class RelationBuilder(ElementBuilder):
    def element(self, raw: RawElement, offset_marker: bool = False) -> str | None:
        """A top-level statement or argument (or list item) with its relation tree.
        Returns the argument's title when the element is an argument."""
        first = raw.lines[0]
        offset = 0
        if offset_marker:
            marker = LIST_MARKER.match(first.value)
            offset = marker.end() if marker else 0
            if marker and len(raw.lines) == 1 and self._number_ends_map(first, marker.group()):
                offset_marker, offset = False, 0  # `2.` as the map's last characters: text there
        node = self._member(raw.lines, offset, top_level=not offset_marker)
        self.tree(node, raw.tree, base=self._indent(first) + 1 if offset_marker else 0)
        return node[1] if node[0] is ElementKind.ARGUMENT else None

    def _number_ends_map(self, token: Token, marker: str) -> bool:
        """Is `marker` a number (`2.`) that is the map's last characters, with no line break
        after it? The reference's ordered-list marker needs a blank after it, so there it
        is text (an untitled statement); a `*` there opens emphasis instead."""
        return marker[:1].isdigit() and marker == token.value.rstrip() and self._ends_text(token, len(marker))

    # ---- relations --------------------------------------------------------------------

    def tree(
        self,
        root: Node,
        relations: list[RawRelation],
        base: int = 0,
        pcs_member: bool = False,
        conclusion_index: int | None = None,
        inference: Node | None = None,
    ) -> None:
        """Attach a relation tree by indentation, as the reference lexer reads it.

        An indent deeper than the innermost open level opens the children of the line
        above; a shallower one closes levels while it is shallower than the open one
        (an unmatched level is never opened, so the relation joins the element of the
        level it stopped at). `base` is the level of the root line itself: 0, or one
        past a list item's indentation."""
        if not relations:  # most elements and premises: nothing hangs from them
            return
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
                    self.error("P113", token, columns=levels[-1])
            if not parents:
                self.error("P130", token)
                levels, parents = [indent - 1, indent], [root]
            symbol_match = _RELATION_SYMBOL.match(token.value)
            if symbol_match is None:  # the grammar guarantees a symbol; be defensive
                continue
            child = self._member(raw.lines, symbol_match.end(), top_level=False)
            direct = len(parents) == 1
            while open_relations and open_relations[-1][0] >= len(parents):
                self._close_relation(open_relations.pop()[1])
            symbol = symbol_match.group(1)
            parent = parents[-1]
            under_pcs = pcs_member and direct
            if direct and inference is not None and symbol in ("_", "<_"):
                # an undercut written under a conclusion undercuts the inference above it
                parent, under_pcs = inference, False
            relation = self.relation(
                parent, child, symbol, token, under_pcs, conclusion_index if direct else None
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
        same_ends = (relation.source, relation.source_kind) == (relation.target, relation.target_kind)
        if same_ends and key in self.closed_targets:
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
            self.error("P116", token)
            kind = RelationKind.ATTACK
        relation: Relation = Relation(
            source=source[1],
            source_kind=source[0],
            target=target[1],
            target_kind=target[0],
            kind=kind,
            symbol=symbol,
            span=span_of(token, token),
            parent_is_pcs_member=under_pcs,
            via_inference=via_inference,
            conclusion_index=conclusion_index if via_inference else None,
        )
        self.doc.relations.append(relation)
        return relation

    # ---- premise-conclusion structures -----------------------------------------------

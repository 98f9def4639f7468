"""The layout of an argument with many premises does work linear in the premises
(issue 16, group 4: 1,200 premises took 31 s). Counted, not timed: grandalf's vertex-set
comparisons and in-edge listings were what grew with the square of the premise count."""

from __future__ import annotations

from typing import Any

import pytest

from argmap.grammar import parse_text
from argmap.render.layout import build_layout, node_key
from tests.maps import premises_map, support_chain_map


def counted_layout(n: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    from grandalf.graphs import Vertex
    from grandalf.utils.poset import Poset

    counts = {"poset_compare": 0, "in_edges_listed": 0}
    original_eq, original_ne, original_e_in = Poset.__eq__, Poset.__ne__, Vertex.e_in

    def eq(self: Any, other: Any) -> bool:
        counts["poset_compare"] += len(self)
        return bool(original_eq(self, other))

    def ne(self: Any, other: Any) -> bool:
        counts["poset_compare"] += len(self)
        return bool(original_ne(self, other))

    def e_in(self: Any) -> list[Any]:
        result: list[Any] = original_e_in(self)
        counts["in_edges_listed"] += len(self.e)
        return result

    monkeypatch.setattr(Poset, "__eq__", eq)
    monkeypatch.setattr(Poset, "__ne__", ne)
    monkeypatch.setattr(Vertex, "e_in", e_in)
    document = parse_text(premises_map(n), "m.argdown")
    layout = build_layout(document)
    assert len(layout.nodes) >= n
    monkeypatch.undo()
    return counts


def test_layout_work_grows_linearly_with_the_premises(monkeypatch: pytest.MonkeyPatch) -> None:
    small = counted_layout(100, monkeypatch)
    large = counted_layout(400, monkeypatch)
    assert large["poset_compare"] == small["poset_compare"] == 0
    # four times the premises, about four times the edge listings (16 times before)
    assert large["in_edges_listed"] <= 5 * max(small["in_edges_listed"], 1)


def test_layering_a_support_chain_compares_no_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each of grandalf's layers looked up its own rank with `list.index`, comparing it
    element by element with every layer above: a chain of n statements has n layers, so
    n * n / 2 comparisons (issue 16, F3: 5 million at 3,200 statements)."""
    from grandalf.layouts import Layer

    compared = {"layers": 0}
    original = Layer.__eq__

    def eq(self: Any, other: Any) -> bool:
        compared["layers"] += 1
        return bool(original(self, other))

    monkeypatch.setattr(Layer, "__eq__", eq)
    for n in (100, 400):
        layout = build_layout(parse_text(support_chain_map(n), "m.argdown"))
        assert len({round(node.y) for node in layout.nodes.values()}) == n + 1  # one layer each
    assert compared["layers"] == 0


def test_many_roots_are_ranked_without_scanning_the_roots(monkeypatch: pytest.MonkeyPatch) -> None:
    """One statement supporting n claims: n roots on top, one row below them, and no
    vertex looked up in the list of roots (grandalf scanned it for every vertex)."""
    text = "[S]: The shared reason.\n\n" + "".join(f"[T{i}]: Claim {i}.\n  + [S]\n\n" for i in range(300))
    layout = build_layout(parse_text(text, "m.argdown"))
    tops = {round(layout.nodes[key].y) for key in layout.nodes if key != node_key("statement", "S")}
    assert len(tops) == 1
    assert layout.nodes[node_key("statement", "S")].y > tops.pop()

"""The edges the layered layout turns round (issue 16, F3): found without recursion, and
the same edges grandalf's recursive search marks."""

from __future__ import annotations

import random
import sys
from typing import Any

import pytest

from argmap.grammar import parse_text
from argmap.render.feedback import feedback_edges
from argmap.render.layout import build_layout
from tests.maps import nested_map, support_chain_map, support_cycle_map


def _graph(count: int, pairs: list[tuple[int, int]]) -> tuple[Any, list[Any]]:
    from grandalf.graphs import Edge, Vertex, graph_core

    vertices = [Vertex(i) for i in range(count)]
    edges = [Edge(vertices[a], vertices[b]) for a, b in pairs]
    return graph_core(vertices, edges), vertices


def test_feedback_edges_are_grandalfs_on_random_graphs() -> None:
    rng = random.Random(16)
    for _ in range(200):
        count = rng.randint(2, 12)
        pairs = [(i, rng.randrange(i)) for i in range(1, count)]  # connected
        pairs += [(rng.randrange(count), rng.randrange(count)) for _ in range(rng.randint(0, 2 * count))]
        core, vertices = _graph(count, pairs)
        roots = [v for v in vertices if not v.e_in()]
        ours = {id(e) for e in feedback_edges(core.sV, roots)}
        core.get_scs_with_feedback(roots)
        theirs = {id(e) for e in core.sE if e.feedback}
        assert ours == theirs, pairs


def test_a_cycle_has_one_feedback_edge_a_self_loop_is_one() -> None:
    core, _vertices = _graph(4, [(0, 1), (1, 2), (2, 3), (3, 0), (2, 2)])
    back = feedback_edges(core.sV, [])
    assert sorted((e.v[0].data, e.v[1].data) for e in back) == [(2, 2), (3, 0)]


@pytest.mark.parametrize(
    "text",
    [support_chain_map(1200), nested_map(1200), support_cycle_map(1200)],
    ids=["support-chain", "nesting", "cycle"],
)
def test_long_paths_lay_out_within_the_default_recursion_limit(text: str) -> None:
    limit = sys.getrecursionlimit()
    layout = build_layout(parse_text(text, "m.argdown"))
    assert len(layout.nodes) >= 1200
    assert sys.getrecursionlimit() == limit

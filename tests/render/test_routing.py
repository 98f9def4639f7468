"""Edges at busy claims: each edge has its own port and arrowhead, supports and attacks are
grouped along the side they meet, no drawn edge runs through a box, and no two routed edges
share a stretch of line (so each can be followed from its source to its arrowhead).

Measured on the real map (skipped without the corpus), the bundled example and the
busy test maps of tests/render/busy_maps.py (a 24-argument hub with undercuts, long
edges across sections and cycles)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from argmap.grammar import parse_file, parse_text
from argmap.render.geometry import EdgeLine, Node, arrowheads, edges_through_boxes
from argmap.render.layout import Layout, build_layout
from argmap.render.routing import PORT_GAP, kind_rank, port_positions, row_gaps
from tests.conftest import EXAMPLE
from tests.render.busy_maps import hub_map

ARROWHEAD_WIDTH = 14.0  # the support arrow: markerWidth 7 x stroke width 2 (map.svg.css)


def _shared_runs(layout: Layout) -> list[tuple[int, int]]:
    """Pairs of routed edges with a common stretch (over 2 px) of horizontal or vertical line."""
    runs: list[tuple[int, str, float, float, float]] = []
    for i, edge in enumerate(layout.edges):
        if not edge.routed:
            continue
        for (ax, ay), (bx, by) in itertools.pairwise(edge.points):
            if abs(ay - by) < 0.05:
                runs.append((i, "h", round(ay, 1), min(ax, bx), max(ax, bx)))
            elif abs(ax - bx) < 0.05:
                runs.append((i, "v", round(ax, 1), min(ay, by), max(ay, by)))
    runs.sort(key=lambda r: (r[1], r[2], r[3]))
    shared: set[tuple[int, int]] = set()
    for a, b in itertools.combinations(runs, 2):
        if a[0] != b[0] and a[1:3] == b[1:3] and min(a[4], b[4]) - max(a[3], b[3]) > 2.0:
            shared.add((min(a[0], b[0]), max(a[0], b[0])))
    return sorted(shared)


def _assert_readable_hub(layout: Layout, hub: str, expected_edges: int) -> None:
    heads = arrowheads(layout.edges, hub)
    assert len(heads) == expected_edges
    node = layout.nodes[hub]
    # Every arrowhead on the hub's bottom side, each at its own place, an arrowhead apart.
    assert all(abs(y - (node.y + node.h)) < 0.5 and node.x <= x <= node.x + node.w for x, y in heads)
    gaps = [abs(a[0] - b[0]) for a, b in itertools.combinations(heads, 2)]
    assert min(gaps) >= ARROWHEAD_WIDTH
    # Supports together on the left, attacks together on the right.
    into = [e for e in layout.edges if e.target == hub]
    supports = [e.points[-1][0] for e in into if kind_rank(e.kind) == 0]
    attacks = [e.points[-1][0] for e in into if kind_rank(e.kind) == 2]
    assert supports and attacks
    assert max(supports) < min(attacks)


def test_real_map_thesis_edges_each_have_their_own_arrowhead(corpus_map: Path) -> None:
    layout = build_layout(parse_file(str(corpus_map)))
    assert layout.thesis == "s:Natural Manifold"
    _assert_readable_hub(layout, layout.thesis, 15)  # 11 supports, 4 attacks (issue 18)
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []


def test_fixed_real_map_has_no_edge_through_a_box(fixed_corpus_map: Path) -> None:
    layout = build_layout(parse_file(str(fixed_corpus_map)))
    assert layout.thesis is not None
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []


def test_busy_hub_map() -> None:
    layout = build_layout(parse_text(hub_map(), "hub.argdown"))
    assert layout.thesis == "s:Hub"
    into = [e for e in layout.edges if e.target == "s:Hub"]
    assert sum(kind_rank(e.kind) == 0 for e in into) >= 15  # 14 supports and the local hub
    assert sum(kind_rank(e.kind) == 2 for e in into) == 10
    _assert_readable_hub(layout, "s:Hub", 25)
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []
    # The undercuts, the cycles and the edges up two sections are drawn, and routed.
    kinds = {(e.source, e.target): e for e in layout.edges}
    assert kinds[("a:Undercut 2", "a:Arg 2")].kind == "undercut"
    assert ("s:Loop A", "s:Loop B") in kinds and ("s:Loop B", "s:Loop A") in kinds
    assert kinds[("s:Far Support 4", "s:Claim 2")].routed


@pytest.mark.parametrize("sections", [1, 3, 12])
def test_hub_map_in_other_shapes(sections: int) -> None:
    """The same property with everything in few or many sections (one row or several)."""
    layout = build_layout(parse_text(hub_map(18, 12, sections), "hub.argdown"))
    _assert_readable_hub(layout, "s:Hub", 31)
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []


def test_example_map_has_no_edge_through_a_box() -> None:
    layout = build_layout(parse_file(str(EXAMPLE)))
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []


def test_the_check_finds_an_edge_through_a_box() -> None:
    """The measure itself: a straight edge across a third box is found, one beside it is not."""
    nodes = {
        "a": Node("a", "statement", "a", ["a"], "_top", 100, 40, x=0, y=200),
        "b": Node("b", "statement", "b", ["b"], "_top", 100, 40, x=0, y=0),
        "c": Node("c", "statement", "c", ["c"], "_top", 100, 40, x=0, y=100),
    }
    through = EdgeLine("a", "b", "support", [(50, 200), (50, 40)], routed=True)
    beside = EdgeLine(
        "a", "b", "support", [(50, 200), (50, 170), (120, 170), (120, 60), (50, 60), (50, 40)], True
    )
    assert edges_through_boxes(nodes, [through, beside]) == [(0, "c")]


def test_ports_are_spread_and_grouped_by_kind() -> None:
    node = Node("t", "statement", "t", ["t"], "_top", 300, 50, x=100, y=0)
    xs = port_positions(node, [0, 0, 0, 2, 2])
    assert xs == sorted(xs)
    assert xs[1] - xs[0] == PORT_GAP
    assert xs[3] - xs[2] > PORT_GAP  # the space between supports and attacks
    assert abs((xs[0] + xs[-1]) / 2 - node.cx) < 1e-9  # centred
    assert port_positions(node, [0]) == [node.cx]
    # A side too short for its edges: closer, never outside the box.
    crowded = port_positions(node, [0] * 40)
    assert node.x < crowded[0] and crowded[-1] < node.x + node.w


def test_row_gaps_grow_with_the_edges_running_in_them() -> None:
    rows = [["_top"], ["s1", "s2"], ["s3"]]
    pairs = [("s3", "_top")] * 20 + [("s1", "_top")]
    gaps = row_gaps(rows, pairs, [0.0, 90.0, 40.0])
    assert gaps[0] == 0.0
    assert gaps[1] > 90.0  # 21 edges run sideways above the first row of sections
    assert gaps[2] > 40.0  # 20 above the second
    assert row_gaps(rows, [], [0.0, 90.0, 40.0]) == [0.0, 90.0, 40.0]


def _realstyle(statements: int, seed: int) -> str:
    """A generated map shaped like large real debate maps (bench/gen_realstyle.py): nested
    headings, relation trees, references back to earlier claims (cycles among them)."""
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("gen_realstyle", ROOT / "bench" / "gen_realstyle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.generate(statements, seed)[0]
    return text


@pytest.mark.parametrize("seed", [3, 5])
def test_generated_real_style_map_has_no_overlap_and_no_edge_through_a_box(seed: int) -> None:
    """On the first map grandalf once let boxes of one layer overlap (layout._separate_layers);
    on the second, lanes of aligned layers met (routing._untangle, the side columns)."""
    layout = build_layout(parse_text(_realstyle(300, seed), "real_style.argdown"))
    nodes = list(layout.nodes.values())
    assert len(nodes) > 300
    overlapping = [
        (a.id, b.id)
        for a, b in itertools.combinations(nodes, 2)
        if a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h
    ]
    assert overlapping == []
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []


def test_a_thesis_met_by_sixty_edges_still_gives_each_its_arrowhead() -> None:
    """The thesis box grows (up to layout.MAX_THESIS_WIDTH) so 61 arrowheads stay apart."""
    layout = build_layout(parse_text(hub_map(40, 20, 6), "big_hub.argdown"))
    _assert_readable_hub(layout, "s:Hub", 61)
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []


def test_real_map_with_the_thesis_bracket_deleted_keeps_edges_clear_of_boxes(corpus_map: Path) -> None:
    """Issue 18: deleting one `]` of [Natural Manifold] made the routed edges collapse into
    diagonals through boxes. Whatever the map now takes for its thesis, no edge crosses a box."""
    text = corpus_map.read_text(encoding="utf-8").replace("[Natural Manifold]:", "[Natural Manifold:", 1)
    layout = build_layout(parse_text(text, str(corpus_map)))
    assert edges_through_boxes(layout.nodes, layout.edges) == []
    assert _shared_runs(layout) == []

"""Where every claim of a map goes on the page: a layered layout, section by section.

The map drawn is the whole claim graph: statements and arguments are nodes; a
premise sits below its argument, the argument below its conclusion, and a claim
below what it supports or attacks, so reasoning flows upwards to the thesis.

The thesis (and every statement outside a section) forms the top group. Each
section of the document is a group of its own, laid out with Sugiyama's layered
method from `grandalf` (a pure-Python implementation: crossing reduction by
barycentres, Brandes-Koepf coordinates, dummy nodes for long edges), one
connected component at a time. Components are packed into rows inside their
section box and section boxes into rows below the top group, so nothing overlaps
and the layout cost grows linearly with the number of sections. Edges between
groups are drawn as curves from the top of their source to the bottom of their
target; edges inside a group follow grandalf's routing points.

Node sizes come from the wrapped title (`wrap_title`), so labels always fit
their boxes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from argmap.graph import argument_graph
from argmap.memory import paused_gc
from argmap.model import Document, ElementKind, PcsRole
from argmap.render.feedback import feedback_edges
from argmap.render.geometry import EdgeLine, Group, Node
from argmap.render.routing import Router, Row, kind_rank, row_gaps, side_width

__all__ = ["EdgeLine", "Group", "Layout", "Node", "build_layout"]

NODE_WIDTH = 184.0
ARG_WIDTH = 168.0
LINE_HEIGHT = 15.0
CHARS_PER_LINE = 24
MAX_TITLE_LINES = 3
X_SPACE = 18.0
Y_SPACE = 46.0
COMPONENT_GAP = 30.0
SECTION_PAD = 16.0
SECTION_HEADER = 30.0
SECTION_GAP = 40.0
GROUP_ROW_GAP = 90.0
MAX_SECTION_WIDTH = 1500.0
MAX_ROW_WIDTH = 2400.0
MAX_PORT_WIDTH = 3 * NODE_WIDTH  # a busier claim's edges share its ports more closely
MAX_THESIS_WIDTH = 1600.0  # the thesis may grow wider: it is alone on top and most edges meet it

REASONING_KINDS = frozenset({"support", "attack", "undercut", "contradiction", "entails", "contrary"})


@dataclass
class Layout:
    nodes: dict[str, Node]
    edges: list[EdgeLine]
    groups: list[Group]
    width: float
    height: float
    thesis: str | None


def wrap_title(title: str, kind: str) -> list[str]:
    label = f"<{title}>" if kind == "argument" else title
    width = CHARS_PER_LINE if kind == "statement" else CHARS_PER_LINE - 2
    lines = _wrap(label, width)
    if len(lines) > MAX_TITLE_LINES:
        lines = lines[:MAX_TITLE_LINES]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap (textwrap's behaviour for plain titles, at a fraction of its cost)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [text]


def node_size(kind: str, lines: list[str], thesis: bool = False) -> tuple[float, float]:
    if kind == "argument":
        return ARG_WIDTH, 14.0 + LINE_HEIGHT * len(lines)
    width = NODE_WIDTH * (1.25 if thesis else 1.0)
    # title lines + the credence bar and badges row
    return width, 16.0 + LINE_HEIGHT * len(lines) + 22.0


def node_key(kind: ElementKind | str, title: str) -> str:
    value = kind.value if isinstance(kind, ElementKind) else kind
    return ("a:" if value == "argument" else "s:") + title


def thesis_key(document: Document, requested: str | None = None) -> str | None:
    """The thesis's node key here: the argument graph's one decision (argmap/graph.py),
    the claim `score` scores; `requested` is `--thesis`."""
    key = argument_graph(document).thesis_of(requested).key
    return None if key is None else node_key(key.kind, key.title)


def statement_sections(document: Document) -> dict[str, str | None]:
    """Each statement's group: the section of its first definition, the section of the
    first argument that uses it in its PCS, else none (the top group)."""
    found: dict[str, str | None] = {}
    for argument in document.arguments.values():
        for member in argument.pcs:
            found.setdefault(member.statement.title, argument.section)
    for cls in document.statements.values():
        if cls.title in found:
            continue
        found[cls.title] = cls.members[0].section if cls.members else None
    return found


def build_layout(document: Document, thesis: str | None = None) -> Layout:
    """Lay out every statement and argument of `document` (see the module docstring);
    `thesis` is `--thesis` (a title), the map's own decision when None."""
    with paused_gc():  # many small objects, none cyclic garbage: collections would only cost time
        return _build_layout(document, thesis)


def _build_layout(document: Document, thesis: str | None) -> Layout:
    thesis = thesis_key(document, thesis)
    sections = {s.id: s for s in document.sections}
    nodes = _nodes(document, thesis, sections)
    edges = _pcs_edges(document) + _relation_edges(document, nodes)
    _widen_busy_nodes(nodes, edges)
    # Groups in document order: the top group first, then each section that holds nodes.
    members: dict[str, list[str]] = {}
    for key, node in nodes.items():
        members.setdefault(node.group, []).append(key)
    order = ["_top"] + [s.id for s in document.sections]
    groups = [
        Group(gid, _section_title(gid, sections), nodes=members[gid]) for gid in order if gid in members
    ]
    inner: dict[str, list[EdgeLine]] = {}
    cross: list[EdgeLine] = []
    for edge in edges:
        a, b = nodes[edge.source], nodes[edge.target]
        if a.group == b.group:
            inner.setdefault(a.group, []).append(edge)
        else:
            cross.append(edge)
    cache: dict[Any, _Placement] = {}
    for each in groups:
        _layout_group(each, nodes, inner.get(each.id, []), cache)
    pairs = [(nodes[e.source].group, nodes[e.target].group) for e in cross]
    _width, _height, rows = _place_groups(groups, nodes, inner, pairs)
    Router(nodes, groups, rows).route(cross, [e for group in inner.values() for e in group])
    width, height = _normalise(nodes, groups, edges)
    return Layout(nodes, edges, groups, width, height, thesis)


def _widen_busy_nodes(nodes: dict[str, Node], edges: list[EdgeLine]) -> None:
    """A claim met by many edges on one side gets a wider box, so that every edge has its
    own port (routing.PORT_GAP apart), up to MAX_PORT_WIDTH (MAX_THESIS_WIDTH for the thesis)."""
    into: dict[str, list[int]] = {}
    out_of: dict[str, list[int]] = {}
    for edge in edges:
        into.setdefault(edge.target, []).append(kind_rank(edge.kind))
        out_of.setdefault(edge.source, []).append(kind_rank(edge.kind))
    for key, node in nodes.items():
        busiest = max(into.get(key, []), out_of.get(key, []), key=len)
        node.w = side_width(node.w, sorted(busiest), MAX_THESIS_WIDTH if node.thesis else MAX_PORT_WIDTH)


def _normalise(nodes: dict[str, Node], groups: list[Group], edges: list[EdgeLine]) -> tuple[float, float]:
    """Shift everything so that the routes running outside the boxes stay on the page;
    returns the page's width and height."""
    xs = [n.x for n in nodes.values()] + [g.x for g in groups] + [p[0] for e in edges for p in e.points]
    ys = [n.y for n in nodes.values()] + [g.y for g in groups] + [p[1] for e in edges for p in e.points]
    dx, dy = -min([0.0, *xs]), -min([0.0, *ys])
    for node in nodes.values():
        node.x, node.y = node.x + dx, node.y + dy
    for group in groups:
        group.x, group.y = group.x + dx, group.y + dy
    for edge in edges:
        edge.points = [(x + dx, y + dy) for x, y in edge.points]
    right = [n.x + n.w for n in nodes.values()] + [g.x + g.w for g in groups]
    bottom = [n.y + n.h for n in nodes.values()] + [g.y + g.h for g in groups]
    right += [p[0] for e in edges for p in e.points]
    bottom += [p[1] for e in edges for p in e.points]
    return max([0.0, *right]), max([0.0, *bottom])


def _nodes(document: Document, thesis: str | None, sections: dict[str, Any]) -> dict[str, Node]:
    """Every statement and argument as a sized node in its group (the thesis on top)."""
    stmt_group = statement_sections(document)
    nodes: dict[str, Node] = {}

    def group_of(section: str | None) -> str:
        return section if section is not None and section in sections else "_top"

    for cls in document.statements.values():
        key = node_key("statement", cls.title)
        is_thesis = key == thesis
        lines = wrap_title(cls.title, "statement")
        w, h = node_size("statement", lines, is_thesis)
        group = "_top" if is_thesis else group_of(stmt_group.get(cls.title))
        nodes[key] = Node(key, "statement", cls.title, lines, group, w, h, thesis=is_thesis)
    for argument in document.arguments.values():
        key = node_key("argument", argument.title)
        lines = wrap_title(argument.title, "argument")
        w, h = node_size("argument", lines)
        nodes[key] = Node(key, "argument", argument.title, lines, group_of(argument.section), w, h)
    return nodes


_PCS_EDGE = {PcsRole.PREMISE: "premise", PcsRole.MAIN_CONCLUSION: "conclusion"}


def _pcs_edges(document: Document) -> list[EdgeLine]:
    """Premise -> argument, argument -> (intermediary or main) conclusion."""
    edges: list[EdgeLine] = []
    for argument in document.arguments.values():
        here = node_key("argument", argument.title)
        for member in argument.pcs:
            other = node_key("statement", member.statement.title)
            kind = _PCS_EDGE.get(member.role, "intermediary")
            edges.append(EdgeLine(other, here, kind) if kind == "premise" else EdgeLine(here, other, kind))
    return edges


def _relation_edges(document: Document, nodes: dict[str, Node]) -> list[EdgeLine]:
    """One line per written relation (the argument graph's unique edges), but
    `[T] + <A>` and `<A>`'s conclusion `+> [T]` say the same thing twice: drawn once,
    from the conclusion (the argument already leads to its conclusion)."""
    relations = argument_graph(document).unique_edges
    concluded: dict[str, set[str]] = {}
    for relation in relations:
        if relation.source_kind is ElementKind.STATEMENT:
            concluded.setdefault(node_key("statement", relation.source), set()).add(
                node_key(relation.target_kind, relation.target)
            )
    conclusion_of = {
        node_key("argument", a.title): node_key("statement", a.conclusion.statement.title)
        for a in document.arguments.values()
        if a.conclusion is not None
    }
    seen: set[tuple[str, str, str]] = set()
    edges: list[EdgeLine] = []
    for relation in relations:
        source = node_key(relation.source_kind, relation.source)
        target = node_key(relation.target_kind, relation.target)
        if source not in nodes or target not in nodes or source == target:
            continue
        if (source, target, relation.kind.value) in seen:
            continue
        if source in conclusion_of and target in concluded.get(conclusion_of[source], ()):
            continue
        seen.add((source, target, relation.kind.value))
        edges.append(EdgeLine(source, target, relation.kind.value))
    return edges


def _section_title(gid: str, sections: dict[str, Any]) -> str:
    if gid == "_top":
        return ""
    parts = []
    current = sections.get(gid)
    while current is not None:
        parts.append(current.title)
        current = sections.get(current.parent) if current.parent else None
    return " › ".join(reversed(parts))


class _View:
    """What grandalf needs to know about a vertex: its size; it writes `xy` back."""

    def __init__(self, w: float, h: float) -> None:
        self.w = w
        self.h = h
        self.xy: tuple[float, float] = (0.0, 0.0)


class _EdgeView:
    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]


_Placement = tuple[float, float, list[tuple[float, float]], list[list[tuple[float, float]]]]


def _components(keys: list[str], pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Connected components of a group (union-find), each in document order."""
    parent = {key: key for key in keys}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    found: dict[str, list[str]] = {}
    for key in keys:
        found.setdefault(find(key), []).append(key)
    return list(found.values())


def _merge_order(count: int, pairs: list[tuple[int, int]]) -> list[int]:
    """The vertex order grandalf's `Graph` gives a component (each edge appends the
    second vertex's set to the first's), in linear time: union-find over ropes."""
    parent = list(range(count))
    rope: dict[int, Any] = {i: i for i in range(count)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            rope[ra] = (rope[ra], rope.pop(rb))
            parent[rb] = ra
    order: list[int] = []
    stack = [rope[find(0)]]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend((node[1], node[0]))
        else:
            order.append(node)
    return order


def _connected_core(vertices: list[Any], edges: list[Any]) -> Any:
    """A grandalf `graph_core` of one connected component, built in linear time.

    `Graph(V, E)` and `graph_core(V, E)` compare vertex sets with `Poset.__eq__`, which
    copies both sets on every comparison: quadratic in the component (an argument with
    1,200 premises took 31 s to lay out). The component is known to be connected
    (`_components`), so the core is filled directly, in the order `Graph` would give."""
    from grandalf.graphs import graph_core

    index = {id(v): i for i, v in enumerate(vertices)}
    pairs = [(index[id(e.v[0])], index[id(e.v[1])]) for e in edges]
    core = graph_core()
    for i in _merge_order(len(vertices), pairs):
        core.sV.add(vertices[i])
        vertices[i].c = core
    for edge in edges:
        # what Edge.attach() does, without its list-membership scans (quadratic in a
        # vertex's degree); each edge is new, so none is attached yet
        tail, head = edge.v
        tail.e.append(edge)
        if head is not tail:
            head.e.append(edge)
        core.sE.add(edge)
        if edge.deg == 0:
            core.degenerated_edges.add(edge)
    return core


class _LayersByIdentity(list[Any]):
    """grandalf's list of layers, where `Layer.setup` finds its own rank with `index`. A
    layer is a list, so `list.index` compared it with every layer before it, element by
    element: quadratic in the number of layers (a support chain of 3,200 statements made
    5 million comparisons). Layers are distinct, so the first equal one is the same one."""

    def __init__(self, layers: list[Any]) -> None:
        super().__init__(layers)
        self._ranks: dict[int, int] = {}

    def index(self, item: Any, *bounds: Any) -> int:
        if not bounds:
            rank = self._ranks.get(id(item))
            if rank is None or rank >= len(self) or self[rank] is not item:
                self._ranks = {id(layer): r for r, layer in enumerate(self)}
                rank = self._ranks.get(id(item))
            if rank is not None:
                return rank
        return super().index(item, *bounds)


@lru_cache(maxsize=1)
def _linear_sugiyama() -> Any:
    """grandalf's SugiyamaLayout with a ranking linear in the edges.

    `_rank_init` checks, for every parent of a vertex, whether all the vertex's
    in-edges are scanned by listing them again: quadratic in the in-degree (one
    conclusion with 1,200 premises: 1.4 million checks). Here each vertex keeps a count
    of its unscanned in-edges; the ranks and layer orders are the ones grandalf gives."""
    from grandalf.layouts import SugiyamaLayout

    class LinearRankSugiyama(SugiyamaLayout):  # type: ignore[misc]
        def rank_all(self, roots: list[Any], optimize: bool = False) -> None:
            # grandalf's, with the roots in a set (it scanned the list for every vertex)
            # and the layers found by identity (`_LayersByIdentity`)
            self._edge_inverter()
            given = {id(v) for v in roots}
            self._rank_init(roots + [v for v in self.g.sV if not v.e_in() and id(v) not in given])
            if optimize:
                self._rank_optimize()
            self._edge_inverter()
            self.layers = _LayersByIdentity(self.layers)  # type: ignore[has-type]

        def _rank_init(self, unranked: list[Any]) -> None:
            waiting: dict[Any, int] = {}
            scanned: set[Any] = set()
            while unranked:
                ready: list[Any] = []
                queued: set[Any] = set()
                for vertex in unranked:
                    self.setrank(vertex)
                    outs = vertex.e_out()
                    for edge in outs:
                        if edge in scanned:
                            continue
                        scanned.add(edge)
                        child = edge.v[1]
                        if child not in waiting:
                            waiting[child] = len(child.e_in())
                        waiting[child] -= 1
                    for edge in outs:
                        child = edge.v[1]
                        if waiting[child] == 0 and child not in queued:
                            queued.add(child)
                            ready.append(child)
                unranked = ready

    return LinearRankSugiyama


def _sugiyama(sizes: list[tuple[float, float]], pairs: list[tuple[int, int]]) -> _Placement:
    """grandalf's Sugiyama layout of one connected component: (width, height, top-left
    corners by vertex index, routing points by edge index, each from the first vertex
    of the pair to the second)."""
    from grandalf.graphs import Edge, Vertex

    vertices = [Vertex(i) for i in range(len(sizes))]
    for vertex, (w, h) in zip(vertices, sizes, strict=True):
        vertex.view = _View(w, h)
    if len(vertices) == 1:
        w, h = sizes[0]
        return w, h, [(0.0, 0.0)], []
    g_edges = []
    for a, b in pairs:
        edge = Edge(vertices[a], vertices[b])
        edge.view = _EdgeView()
        g_edges.append(edge)
    component = _connected_core(vertices, g_edges)
    sugiyama = _linear_sugiyama()(component)
    sugiyama.xspace = X_SPACE
    sugiyama.yspace = Y_SPACE
    roots = [v for v in vertices if not v.e_in()]
    back = {id(e) for e in feedback_edges(component.sV, roots)}
    sugiyama.init_all(roots=roots or None, inverted_edges=[e for e in component.sE if id(e) in back])
    sugiyama.draw(3)
    _separate_layers(vertices)
    x0 = min(v.view.xy[0] - v.view.w / 2 for v in vertices)
    y0 = min(v.view.xy[1] - v.view.h / 2 for v in vertices)
    corners = [(v.view.xy[0] - v.view.w / 2 - x0, v.view.xy[1] - v.view.h / 2 - y0) for v in vertices]
    routes: list[list[tuple[float, float]]] = []
    for edge in g_edges:
        a, b = edge.v
        points = edge.view.points or [a.view.xy, b.view.xy]
        ax, ay = a.view.xy
        if (points[0][0] - ax) ** 2 + (points[0][1] - ay) ** 2 > (points[-1][0] - ax) ** 2 + (
            points[-1][1] - ay
        ) ** 2:
            points = list(reversed(points))
        routes.append([(x - x0, y - y0) for x, y in points])
    width = max(c[0] + s[0] for c, s in zip(corners, sizes, strict=True))
    height = max(c[1] + s[1] for c, s in zip(corners, sizes, strict=True))
    return width, height, corners, routes


def _separate_layers(vertices: list[Any]) -> None:
    """Push apart boxes of one layer that grandalf's coordinates let overlap (seen on maps
    with cycles inside a section): left to right, each box at least X_SPACE right of the
    one before. Long edges are routed afterwards through the slots left free
    (routing.py), so moving a box never puts it on an edge."""
    layers: dict[float, list[Any]] = {}
    for vertex in vertices:
        layers.setdefault(round(vertex.view.xy[1], 1), []).append(vertex)
    for layer in layers.values():
        layer.sort(key=lambda v: v.view.xy[0])
        for left, right in itertools.pairwise(layer):
            need = left.view.xy[0] + left.view.w / 2 + X_SPACE + right.view.w / 2
            if right.view.xy[0] < need:
                right.view.xy = (need, right.view.xy[1])


def _layout_group(
    group: Group, nodes: dict[str, Node], edges: list[EdgeLine], cache: dict[Any, _Placement]
) -> None:
    """Lay out one group: each connected component with grandalf, components packed
    into rows no wider than MAX_SECTION_WIDTH. Node positions become relative to the
    group's content origin; routing points are stored on the edges (relative too).
    Components of the same shape (sizes and edges, in document order) share one layout
    through `cache`: large maps repeat shapes, and Sugiyama is the expensive part."""
    by_pair: dict[tuple[str, str], list[EdgeLine]] = {}
    layout_pairs: list[tuple[str, str]] = []
    for edge in edges:
        # Layout direction: the conclusion-side end goes on top, so a layout edge runs
        # from the target of the reasoning down to its source.
        top, bottom = edge.target, edge.source
        known = (top, bottom) in by_pair or (bottom, top) in by_pair
        by_pair.setdefault((top, bottom), []).append(edge)
        if not known:
            layout_pairs.append((top, bottom))
    components = _components(group.nodes, layout_pairs)
    where = {key: (c, i) for c, keys in enumerate(components) for i, key in enumerate(keys)}
    comp_pairs: list[list[tuple[str, str]]] = [[] for _ in components]
    for top, bottom in layout_pairs:
        comp_pairs[where[top][0]].append((top, bottom))
    placements: list[_Placement] = []
    for keys, pairs in zip(components, comp_pairs, strict=True):
        sizes = [(nodes[k].w, nodes[k].h) for k in keys]
        index_pairs = [(where[a][1], where[b][1]) for a, b in pairs]
        signature = (tuple(sizes), tuple(index_pairs))
        placement = cache.get(signature)
        if placement is None:
            placement = _sugiyama(sizes, index_pairs)
            cache[signature] = placement
        placements.append(placement)

    offsets, total_w, height = _pack_components(placements, keep_order=group.id == "_top")
    for c, (keys, pairs) in enumerate(zip(components, comp_pairs, strict=True)):
        dx, dy = offsets[c]
        _w, _h, corners, routes = placements[c]
        for key, (cx, cy) in zip(keys, corners, strict=True):
            nodes[key].x, nodes[key].y = cx + dx, cy + dy
        for (top, bottom), route in zip(pairs, routes, strict=True):
            points = [(px + dx, py + dy) for px, py in route]
            for edge in by_pair.get((top, bottom), []):
                edge.points = list(reversed(points))  # reasoning direction: bottom (source) to top
            for edge in by_pair.get((bottom, top), []):
                edge.points = list(points)
    group.w, group.h = total_w, height


def _pack_components(
    placements: list[_Placement], keep_order: bool
) -> tuple[dict[int, tuple[float, float]], float, float]:
    """Pack components into rows no wider than MAX_SECTION_WIDTH, each row centred
    (tallest first keeps rows even; the top group keeps its order). Returns each
    component's offset, the total width and the total height."""
    limit = max(MAX_SECTION_WIDTH, max((p[0] for p in placements), default=0.0))
    x = y = row_h = total_w = 0.0
    offsets: dict[int, tuple[float, float]] = {}
    order = list(range(len(placements)))
    if not keep_order:
        order.sort(key=lambda i: -placements[i][1])
    rows: list[list[int]] = [[]]
    for i in order:
        w, h = placements[i][0], placements[i][1]
        if x > 0 and x + w > limit:
            x, y, row_h = 0.0, y + row_h + COMPONENT_GAP, 0.0
            rows.append([])
        offsets[i] = (x, y)
        rows[-1].append(i)
        x += w + COMPONENT_GAP
        row_h = max(row_h, h)
        total_w = max(total_w, x - COMPONENT_GAP)
    for row in rows:  # centre each row
        if row:
            row_w = offsets[row[-1]][0] + placements[row[-1]][0]
            shift = (total_w - row_w) / 2
            for i in row:
                offsets[i] = (offsets[i][0] + shift, offsets[i][1])
    return offsets, total_w, y + row_h


_Sized = tuple[Group, float, float, float]  # group, outer width, outer height, header height


def _place_groups(
    groups: list[Group],
    nodes: dict[str, Node],
    inner: dict[str, list[EdgeLine]],
    pairs: list[tuple[str, str]],
) -> tuple[float, float, list[Row]]:
    """The top group centred on top; section boxes in rows below it. The space above a
    row grows with the routed edges running sideways in it (`routing.row_gaps`)."""
    sized: list[_Sized] = []
    for group in groups:
        pad_top = SECTION_HEADER if group.id != "_top" else 0.0
        sized.append((group, group.w + 2 * SECTION_PAD, group.h + 2 * SECTION_PAD + pad_top, pad_top))
    rows = [row for row in _rows_of(sized) if row]
    base = [0.0] + [GROUP_ROW_GAP if row[0][0].id == "_top" else SECTION_GAP for row in rows[:-1]]
    gaps = row_gaps([[item[0].id for item in row] for row in rows], pairs, base)
    row_widths = [sum(i[1] for i in row) + SECTION_GAP * max(len(row) - 1, 0) for row in rows]
    width = max([*row_widths, 0.0])
    y = 0.0
    placed_rows: list[Row] = []
    for r, (row, row_w) in enumerate(zip(rows, row_widths, strict=True)):
        y += gaps[r]
        x = (width - row_w) / 2
        row_h = max(i[2] for i in row)
        spans = []
        for group, w, h, pad_top in row:
            _place_group(group, nodes, inner.get(group.id, []), (x, y, w, h, pad_top))
            spans.append((x, x + w))
            x += w + SECTION_GAP
        placed_rows.append(Row(y, y + row_h, spans, [i[0].id for i in row], 0.0))
        y += row_h
    return width, y, placed_rows


def _rows_of(sized: list[_Sized]) -> list[list[_Sized]]:
    """The top group as the first row, then the sections in rows no wider than the limit."""
    sections = [s for s in sized if s[0].id != "_top"]
    widest = max((s[1] for s in sized), default=0.0)
    area = sum(s[1] * s[2] for s in sized)
    limit = max(MAX_ROW_WIDTH, widest, 1.5 * area**0.5)  # large maps: closer to a landscape page
    rows: list[list[_Sized]] = [[s for s in sized if s[0].id == "_top"], []]
    x = 0.0
    for item in sections:
        if x > 0 and x + item[1] > limit:
            rows.append([])
            x = 0.0
        rows[-1].append(item)
        x += item[1] + SECTION_GAP
    return rows


def _place_group(
    group: Group, nodes: dict[str, Node], edges: list[EdgeLine], box: tuple[float, float, float, float, float]
) -> None:
    """Move a laid-out group (content relative to its origin) to its box on the page."""
    gx, gy, w, h, pad_top = box
    ox, oy = gx + SECTION_PAD, gy + SECTION_PAD + pad_top
    for key in group.nodes:
        nodes[key].x += ox
        nodes[key].y += oy
    for edge in edges:
        edge.points = [(px + ox, py + oy) for px, py in edge.points]
    group.x, group.y, group.w, group.h = gx, gy, w, h

"""Edges between groups, routed orthogonally around every box, with their own ports.

The page is a stack of horizontal *bands* (a layer of boxes inside a group, or a row of
section boxes) separated by *channels* (the free strips between them). An edge between
two groups climbs from its source's port through the bands in between, each time
through a free slot between the boxes, and runs sideways only inside channels. Three
assignments keep edges apart so each can be followed from its source to its own arrowhead:

- ports: the edges meeting one side of a box are spread along it, supports first,
  then premise and conclusion lines, then attacks, each group ordered by where its
  edges come from (`assign_ports`);
- lanes: the edges passing one slot of a band run side by side, LANE apart;
- tracks: the sideways runs in one channel each get their own height, TRACK apart,
  in the order that keeps a run from crossing the others' turns into their ports
  (the "staircase").

Each step is a sort per slot, side or channel: the work grows linearly with the
edges times the bands they pass (bench/bench_hostile_growth.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from argmap.render.geometry import EdgeLine, Group, Node, Point

LANE = 6.0  # between vertical runs sharing a slot
TRACK = 6.0  # between horizontal runs sharing a channel
CHANNEL_MARGIN = 8.0
PORT_GAP = 16.0  # between neighbouring ports on a side (an arrowhead is about 14 px wide)
PORT_PAD = 10.0  # from a box's corner to its outermost port
KIND_BREAK = 0.75  # extra space, in ports, between supports, premise lines and attacks
KIND_RANK = {"support": 0, "entails": 0, "premise": 1, "conclusion": 1, "intermediary": 1}
SLOT_MARGIN = 3.0
SECTION_PAD = 16.0  # layout.SECTION_PAD: the free margin inside a group's box
MAX_PASSED = 4  # layers or rows passed one by one; past more, a route takes the side column
MAX_FAN = 240.0  # the widest a fan of parallel lanes outside the boxes grows
MAX_EXTRA_GAP = 400.0  # the most a row's gap grows for its tracks


BANDS = ("rb", "gb", "rc", "gc")  # step kinds that are bands (the others are channels)


def kind_rank(kind: str) -> int:
    """Supports first, then premise and conclusion lines, then attacks of every kind."""
    return KIND_RANK.get(kind, 2)


@dataclass
class Row:
    """A row of group boxes: its top and bottom, the boxes' x extents left to right, and
    the space below it (to the next row)."""

    top: float
    bottom: float
    spans: list[tuple[float, float]]
    groups: list[str]
    gap: float


@dataclass
class _Slot:
    lo: float
    hi: float
    side: str  # "in" (bounded), "left" (lanes grow leftwards from hi), "right" (from lo)
    users: list[tuple[float, int, int]] = field(default_factory=list)  # (sort key, route, step)
    shift: float = 0.0  # lanes of every other band sit half a lane aside (see Router.route)


@dataclass
class _Band:
    top: float
    bottom: float
    slots: list[_Slot]


@dataclass
class _Route:
    edge: EdgeLine
    lower: Node  # the end whose top side the route leaves or enters
    upper: Node
    upper_side: str  # "bottom" (the usual) or "top" (both ends in one row of groups)
    steps: list[tuple[str, ...]]  # channel, band, channel, ..., channel
    reverse: bool  # the edge runs from `upper` down to `lower`
    xs: dict[int, float] = field(default_factory=dict)  # step index of a band -> its lane x
    ys: dict[int, float] = field(default_factory=dict)  # step index of a channel -> its track y
    ports: list[float] = field(default_factory=lambda: [0.0, 0.0])  # lower port x, upper port x
    hints: list[Point] = field(default_factory=list)  # grandalf's free points inside a group


def row_gaps(rows: list[list[str]], pairs: list[tuple[str, str]], base: list[float]) -> list[float]:
    """The space above each row of groups: at least `base`, more where many routed edges
    run sideways in it (each needs its own track)."""
    row_of = {gid: r for r, row in enumerate(rows) for gid in row}
    load = [0] * (len(rows) + 1)
    for a, b in pairs:
        low, high = max(row_of[a], row_of[b]), min(row_of[a], row_of[b])
        for r in range(high + 1, low + 1):
            load[r] += 1
        if low == high:
            load[low] += 1
    wanted = [load[r] * TRACK + 2 * CHANNEL_MARGIN + 10.0 for r in range(len(base))]
    grown = [min(max(base[r], wanted[r]), base[r] + MAX_EXTRA_GAP) for r in range(1, len(base))]
    return base[:1] + grown  # nothing runs above the first row


class Router:
    """Routes the edges between groups of a placed layout (see the module docstring)."""

    def __init__(self, nodes: dict[str, Node], groups: list[Group], rows: list[Row]) -> None:
        self.nodes = nodes
        self.groups = {group.id: group for group in groups}
        self.rows = rows
        self.row_of = {gid: r for r, row in enumerate(rows) for gid in row.groups}
        self.bands: dict[tuple[str, ...], _Band] = {}
        self.channels: dict[tuple[str, ...], tuple[float, float]] = {}
        self.band_of: dict[str, int] = {}
        self.band_count: dict[str, int] = {}
        for group in groups:
            self._group_bands(group)
        for r, row in enumerate(rows):
            self.bands[("rb", str(r))] = _Band(row.top, row.bottom, _row_slots(row.spans))
            if r > 0:
                self.channels[("r", str(r))] = (rows[r - 1].bottom, row.top)

    def _group_bands(self, group: Group) -> None:
        """A group's layers of boxes (overlapping vertical extents merge), top to bottom."""
        keys = sorted(group.nodes, key=lambda k: self.nodes[k].y)
        layers: list[list[str]] = []
        bottom = -1e18
        for key in keys:
            node = self.nodes[key]
            if not layers or node.y >= bottom:
                layers.append([])
                bottom = node.y + node.h
            else:
                bottom = max(bottom, node.y + node.h)
            layers[-1].append(key)
        self.band_count[group.id] = len(layers)
        previous: _Band | None = None
        for k, layer in enumerate(layers):
            boxes = [self.nodes[key] for key in layer]
            spans = _merge([(n.x, n.x + n.w) for n in boxes])
            # The group's side margins up to SECTION_PAD - SLOT_MARGIN are its column
            # (`_group_column`): a layer's own outer slots start beyond it.
            inset = SECTION_PAD - SLOT_MARGIN + 1
            slots = _group_slots(spans, group.x + inset, group.x + group.w - inset)
            band = _Band(min(n.y for n in boxes), max(n.y + n.h for n in boxes), slots)
            self.bands[("gb", group.id, str(k))] = band
            if previous is not None:
                self.channels[("g", group.id, str(k - 1))] = (previous.bottom, band.top)
            previous = band
            for key in layer:
                self.band_of[key] = k

    # --- which bands and channels a route passes ---------------------------------------

    def _up(self, node: Node) -> list[tuple[str, ...]]:
        """From a box's top out of its group: the channels and bands above it, up to the
        channel above its row (past more than MAX_PASSED layers: up the group's side)."""
        k = self.band_of[node.id]
        if k > MAX_PASSED:
            return [
                ("g", node.group, str(k - 1)),
                self._group_column(node.group),
                ("r", str(self.row_of[node.group])),
            ]
        steps: list[tuple[str, ...]] = []
        for j in range(k - 1, -1, -1):
            steps += [("g", node.group, str(j)), ("gb", node.group, str(j))]
        return [*steps, ("r", str(self.row_of[node.group]))]

    def _down(self, node: Node) -> list[tuple[str, ...]]:
        """From a box's bottom out of its group, down to the channel below its row."""
        k, count = self.band_of[node.id], self.band_count[node.group]
        below = ("r", str(self.row_of[node.group] + 1))
        if count - 1 - k > MAX_PASSED:
            return [("g", node.group, str(k)), self._group_column(node.group), below]
        steps: list[tuple[str, ...]] = []
        for j in range(k + 1, count):
            steps += [("g", node.group, str(j - 1)), ("gb", node.group, str(j))]
        return [*steps, below]

    def _group_column(self, gid: str) -> tuple[str, ...]:
        """A band standing for all of a group's layers: its free columns are the group's
        padding on either side (so a route past many layers costs one step)."""
        key = ("gc", gid)
        if key not in self.bands:
            group = self.groups[gid]
            left, right = group.x + SLOT_MARGIN, group.x + group.w - SLOT_MARGIN
            pad = SECTION_PAD - 2 * SLOT_MARGIN
            slots = [_Slot(left, left + pad, "in"), _Slot(right - pad, right, "in")]
            self.bands[key] = _Band(group.y, group.y + group.h, slots)
        return key

    def _row_column(self, first: int, last: int) -> tuple[str, ...]:
        """A band standing for the rows `first` to `last`: free on their far left and right."""
        key = ("rc", str(first), str(last))
        if key not in self.bands:
            rows = self.rows[first : last + 1]
            # beyond the widest fan of any row's own outer lanes, so the two never meet
            left = min(row.spans[0][0] for row in rows) - 20.0 - MAX_FAN - LANE
            right = max(row.spans[-1][1] for row in rows) + 20.0 + MAX_FAN + LANE
            self.bands[key] = _Band(
                rows[0].top, rows[-1].bottom, [_Slot(left, left, "left"), _Slot(right, right, "right")]
            )
        return key

    def plan(self, edge: EdgeLine) -> _Route | None:
        source, target = self.nodes[edge.source], self.nodes[edge.target]
        if source.group == target.group:
            return self._plan_inside(edge, source, target)
        rs, rt = self.row_of[source.group], self.row_of[target.group]
        reverse = rs < rt or (rs == rt and source.cy < target.cy)
        lower, upper = (target, source) if reverse else (source, target)
        low, high = max(rs, rt), min(rs, rt)
        if low == high:  # side by side: over the top of the row, into the other box's top
            steps = self._up(lower) + list(reversed(self._up(upper)))[1:]
            return _Route(edge, lower, upper, "top", steps, reverse)
        steps = self._up(lower)
        if low - high - 1 > MAX_PASSED:
            steps += [self._row_column(high + 1, low - 1), ("r", str(high + 1))]
        else:
            for r in range(low - 1, high, -1):
                steps += [("rb", str(r)), ("r", str(r))]
        steps += list(reversed(self._down(upper)))[1:]
        return _Route(edge, lower, upper, "bottom", steps, reverse)

    def _plan_inside(self, edge: EdgeLine, source: Node, target: Node) -> _Route | None:
        """A long edge inside a group (grandalf's, through dummy points): the same kind of
        route, through the slots grandalf kept free for it."""
        reverse = self.band_of[source.id] < self.band_of[target.id]
        lower, upper = (target, source) if reverse else (source, target)
        low, high = self.band_of[lower.id], self.band_of[upper.id]
        if low <= high:
            return None
        steps: list[tuple[str, ...]] = [("g", lower.group, str(low - 1))]
        for k in range(low - 1, high, -1):
            steps += [("gb", lower.group, str(k)), ("g", lower.group, str(k - 1))]
        return _Route(edge, lower, upper, "bottom", steps, reverse, hints=edge.points[1:-1])

    # --- lanes, ports, tracks -----------------------------------------------------------

    def route(self, edges: list[EdgeLine], inner: list[EdgeLine]) -> None:
        """Route `edges` (between groups) and `inner`'s long edges (grandalf's, inside
        groups, through dummy points), and spread the ports of every edge."""
        known = self.band_of
        routes: list[_Route] = []
        for edge in edges + [e for e in inner if len(e.points) > 2]:
            planned = self.plan(edge) if edge.source in known and edge.target in known else None
            if planned is not None:
                routes.append(planned)
        routed = {id(route.edge) for route in routes}
        for i, route in enumerate(routes):
            self._choose_slots(i, route)
        slots = [slot for band in self.bands.values() for slot in band.slots if slot.users]
        for k, band in enumerate(self.bands.values()):
            # Neighbouring bands are made one after the other: shifting every other one's
            # lanes keeps a lane below a channel from meeting one above it at the same x.
            for slot in band.slots:
                slot.shift = LANE / 2 if k % 2 else 0.0
        for slot in slots:  # provisional lanes: where each route meets its ports
            _place_lanes(slot, routes)
        assign_ports(self.nodes, routes, [e for e in inner if id(e) not in routed])
        for slot in slots:  # lanes in the order of the ports they lead to
            slot.users = [(routes[i].ports[1], i, j) for _key, i, j in slot.users]
            _place_lanes(slot, routes)
        self._place_tracks(routes)
        for route in routes:
            route.edge.points = _points(route)
            route.edge.routed = True

    def _choose_slots(self, i: int, route: _Route) -> None:
        """Each band's free slot nearest to the straight line between the two ends, among
        those with room for one more lane (the nearest of all when none has)."""
        (x0, y0), (x1, y1) = (route.lower.cx, route.lower.y), (route.upper.cx, route.upper.y + route.upper.h)
        for j, step in enumerate(route.steps):
            if step not in self.bands:
                continue
            band = self.bands[step]
            t = (y0 - (band.top + band.bottom) / 2) / max(y0 - y1, 1.0)
            want = x0 + (x1 - x0) * min(max(t, 0.0), 1.0)
            inside = [p for p in route.hints if band.top <= p[1] <= band.bottom]
            if inside:
                want = inside[0][0]
            slot = min(band.slots, key=lambda s: (_full(s), _distance(s, want)))
            slot.users.append((route.upper.cx, i, j))

    def _place_tracks(self, routes: list[_Route]) -> None:
        """Each sideways run in a channel gets its own height: runs going right in order of
        where they turn up (further right runs lower), runs going left mirrored."""
        runs: dict[tuple[str, ...], list[tuple[float, float, int, int]]] = {}
        for i, route in enumerate(routes):
            for j, step in enumerate(route.steps):
                if step[0] in BANDS:
                    continue
                before = route.xs.get(j - 1, route.ports[0])
                after = route.xs.get(j + 1, route.ports[1])
                runs.setdefault(step, []).append((before, after, i, j))
        for channel, items in runs.items():
            top, bottom = self.channels.get(channel, (0.0, 0.0))
            right = sorted((r for r in items if r[1] > r[0] + 0.5), key=lambda r: (r[1], r[0]))
            left = sorted((r for r in items if r[1] < r[0] - 0.5), key=lambda r: (-r[1], -r[0]))
            ranked = [((k + 0.5) / len(right), r) for k, r in enumerate(right)]
            ranked += [((k + 0.5) / len(left), r) for k, r in enumerate(left)]
            ranked.sort(key=lambda item: item[0])
            order = _untangle([run for _rank, run in ranked])
            n = len(order)
            mid = (top + bottom) / 2
            spacing = min(TRACK, max(bottom - top - 2 * CHANNEL_MARGIN, 0.0) / max(n - 1, 1))
            for k, (_b, _a, i, j) in enumerate(order):
                routes[i].ys[j] = mid + (k - (n - 1) / 2) * spacing
            for _b, _a, i, j in items:
                routes[i].ys.setdefault(j, mid)


MAX_UNTANGLE = 50  # moves per channel (each fixes one pair; real channels need a few)


def _untangle(order: list[tuple[float, float, int, int]]) -> list[tuple[float, float, int, int]]:
    """Runs (before x, after x, route, step), top to bottom. A run that turns up at the x
    where another comes in from below must lie above it, or the two vertical stretches
    would overlap between their tracks (aligned boxes give such pairs: one's top port
    under the other's bottom port): move it just above."""
    for _ in range(MAX_UNTANGLE):
        coming_in = {round(run[0], 1): k for k, run in enumerate(order)}
        for k, run in enumerate(order):
            below = coming_in.get(round(run[1], 1))
            if below is not None and below < k:
                order.insert(below, order.pop(k))
                break
        else:
            break
    return order


def _place_lanes(slot: _Slot, routes: list[_Route]) -> None:
    """The x of each route passing `slot`, in the order of the slot's sort keys."""
    users = sorted(slot.users)
    n = len(users)
    for k, (_key, i, j) in enumerate(users):
        fan = min(LANE, MAX_FAN / n)
        if slot.side == "left":
            x = slot.hi - (n - 1 - k) * fan - slot.shift
        elif slot.side == "right":
            x = slot.lo + k * fan + slot.shift
        else:
            step = min(LANE, (slot.hi - slot.lo) / max(n - 1, 1))
            room = (slot.hi - slot.lo - (n - 1) * step) / 2 + SLOT_MARGIN - 1  # stays 1 px clear of boxes
            mid = (slot.lo + slot.hi) / 2 + min(slot.shift, room)
            x = mid + (k - (n - 1) / 2) * step
        routes[i].xs[j] = x


def assign_ports(nodes: dict[str, Node], routes: list[_Route], inner: list[EdgeLine]) -> None:
    """Spread the edges meeting each side of each box along it (module docstring)."""
    sides: dict[tuple[str, str], list[tuple[int, float, int, object]]] = {}
    for route in routes:
        near_lower = route.xs.get(1, route.upper.cx)
        near_upper = route.xs.get(len(route.steps) - 2, route.lower.cx)
        rank = kind_rank(route.edge.kind)
        sides.setdefault((route.lower.id, "top"), []).append((rank, near_lower, 0, route))
        sides.setdefault((route.upper.id, route.upper_side), []).append((rank, near_upper, 1, route))
    for edge in inner:
        if len(edge.points) < 2:
            continue
        src, dst = nodes[edge.source], nodes[edge.target]
        upward = src.cy >= dst.cy
        edge.points[0] = (edge.points[0][0], src.y if upward else src.y + src.h)
        edge.points[-1] = (edge.points[-1][0], dst.y + dst.h if upward else dst.y)
        rank = kind_rank(edge.kind)
        near_src = edge.points[1][0] if len(edge.points) > 2 else dst.cx
        near_dst = edge.points[-2][0] if len(edge.points) > 2 else src.cx
        sides.setdefault((edge.source, "top" if upward else "bottom"), []).append((rank, near_src, 0, edge))
        sides.setdefault((edge.target, "bottom" if upward else "top"), []).append((rank, near_dst, -1, edge))
    for (key, _side), items in sides.items():
        items.sort(key=lambda item: (item[0], item[1]))
        positions = port_positions(nodes[key], [i[0] for i in items])
        for x, (_rank, _near, end, owner) in zip(positions, items, strict=True):
            if isinstance(owner, _Route):
                owner.ports[end] = x
            elif isinstance(owner, EdgeLine):
                owner.points[end] = (x, owner.points[end][1])


def port_positions(node: Node, ranks: list[int]) -> list[float]:
    """Where n edges (sorted, with their kind ranks) meet a side of `node`: PORT_GAP apart
    (closer only when the side is too short), a little more between kinds, centred."""
    offsets: list[float] = []
    extra = 0.0
    for k, rank in enumerate(ranks):
        if k and rank != ranks[k - 1]:
            extra += KIND_BREAK
        offsets.append(k + extra)
    span = offsets[-1] if offsets else 0.0
    if span == 0:
        return [node.cx] * len(ranks)
    step = min(PORT_GAP, (node.w - 2 * PORT_PAD) / span)
    return [node.cx + (t - span / 2) * step for t in offsets]


def side_width(base: float, ranks: list[int], limit: float) -> float:
    """How wide a box must be to give `ranks` (its busiest side's edges) PORT_GAP each."""
    if len(ranks) < 2:
        return base
    kinds = len(set(ranks))
    needed = (len(ranks) - 1 + KIND_BREAK * (kinds - 1)) * PORT_GAP + 2 * PORT_PAD
    return min(max(base, needed), max(base, limit))


def _points(route: _Route) -> list[Point]:
    """The route as a polyline, from the edge's source to its target."""
    lower, upper = route.lower, route.upper
    points: list[Point] = [(route.ports[0], lower.y)]
    x = route.ports[0]
    for j, step in enumerate(route.steps):
        if step[0] in BANDS:
            x = route.xs[j]
            continue
        y = route.ys[j]
        points.append((x, y))
        x = route.xs.get(j + 1, route.ports[1])
        points.append((x, y))
    points.append((route.ports[1], upper.y + upper.h if route.upper_side == "bottom" else upper.y))
    points = _simplify(points)
    return list(reversed(points)) if route.reverse else points


def _simplify(points: list[Point]) -> list[Point]:
    """Without repeated points and without middle points of straight runs."""
    out: list[Point] = []
    for p in points:
        if out and abs(p[0] - out[-1][0]) < 0.05 and abs(p[1] - out[-1][1]) < 0.05:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            vertical = abs(ax - bx) < 0.05 and abs(bx - p[0]) < 0.05
            if vertical or (abs(ay - by) < 0.05 and abs(by - p[1]) < 0.05):
                out[-1] = p
                continue
        out.append(p)
    return out


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _group_slots(spans: list[tuple[float, float]], left: float, right: float) -> list[_Slot]:
    """The free x intervals of a layer of boxes inside its group's box."""
    slots = [_Slot(left, spans[0][0] - SLOT_MARGIN, "in")]
    slots += [_Slot(a[1] + SLOT_MARGIN, b[0] - SLOT_MARGIN, "in") for a, b in itertools.pairwise(spans)]
    slots.append(_Slot(spans[-1][1] + SLOT_MARGIN, right, "in"))
    return [s for s in slots if s.hi >= s.lo]


def _row_slots(spans: list[tuple[float, float]]) -> list[_Slot]:
    """The free x intervals of a row of section boxes; the outer ones are unbounded."""
    half = 20.0
    slots = [_Slot(spans[0][0] - half, spans[0][0] - half, "left")]
    margin = SLOT_MARGIN + 1
    slots += [_Slot(a[1] + margin, b[0] - margin, "in") for a, b in itertools.pairwise(spans)]
    slots.append(_Slot(spans[-1][1] + half, spans[-1][1] + half, "right"))
    return slots


def _full(slot: _Slot) -> bool:
    """Whether one more lane would squeeze the slot's lanes closer than LANE (the outer
    slots of a row of sections are never full: their lanes fan outwards)."""
    return slot.side == "in" and len(slot.users) * LANE > slot.hi - slot.lo


def _distance(slot: _Slot, x: float) -> float:
    if slot.side == "left":
        return max(x - slot.hi, 0.0)
    if slot.side == "right":
        return max(slot.lo - x, 0.0)
    return max(slot.lo - x, 0.0, x - slot.hi)

"""The shapes a map is drawn with: boxes, edges as curves, and the checks the drawing keeps.

An edge is stored as routing points; it is drawn as cubic Bezier segments (`segments`):
an S-curve between two points, Catmull-Rom through grandalf's points, or, for a routed
edge, an orthogonal polyline with rounded corners. The page script (assets/map.js) and
the static SVG (html_map.py) draw the same segments, and the checks below
(`edges_through_boxes`, `arrowheads`) sample exactly those curves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

ROUTE_RADIUS = 14.0

Point = tuple[float, float]
Cubic = tuple[float, float, float, float, float, float, float, float]  # start, control, control, end


@dataclass
class Node:
    id: str  # "s:Title" or "a:Title"
    kind: str  # statement | argument
    title: str
    lines: list[str]
    group: str
    w: float
    h: float
    x: float = 0.0  # top-left corner
    y: float = 0.0
    thesis: bool = False

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class EdgeLine:
    source: str  # reasoning direction: source supports / attacks / is premise of target
    target: str
    kind: str  # support | attack | undercut | contradiction | entails | contrary | premise | conclusion ...
    points: list[Point] = field(default_factory=list)
    routed: bool = False  # an orthogonal route (drawn with rounded corners)


@dataclass
class Group:
    id: str
    title: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    nodes: list[str] = field(default_factory=list)


def segments(points: list[Point], routed: bool = False) -> list[Cubic]:
    """The cubic Bezier segments an edge is drawn with."""
    (x0, y0), (x1, y1) = points[0], points[-1]
    if routed:
        return rounded(points)
    if len(points) == 2:
        dy = (y1 - y0) * 0.5
        return [(x0, y0, x0, y0 + dy, x1, y1 - dy, x1, y1)]
    # Catmull-Rom through the routing points, as cubic Bezier segments.
    out: list[Cubic] = []
    pts = [points[0], *points, points[-1]]
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        out.append((p1[0], p1[1], c1[0], c1[1], c2[0], c2[1], p2[0], p2[1]))
    return out


def rounded(points: list[Point]) -> list[Cubic]:
    """A polyline with rounded corners as cubic Bezier segments: the straight runs as
    cubics too, so the page script draws (and clips) them all alike."""
    out: list[Cubic] = []
    cx, cy = points[0]

    def line(x: float, y: float) -> None:
        nonlocal cx, cy
        dx, dy = (x - cx) / 3, (y - cy) / 3
        out.append((cx, cy, cx + dx, cy + dy, cx + 2 * dx, cy + 2 * dy, x, y))
        cx, cy = x, y

    for i in range(1, len(points) - 1):
        (px, py), (qx, qy), (nx, ny) = points[i - 1], points[i], points[i + 1]
        d_in, d_out = math.hypot(qx - px, qy - py), math.hypot(nx - qx, ny - qy)
        r = min(ROUTE_RADIUS, d_in / 2, d_out / 2)
        if r <= 0:
            continue
        ax, ay = qx + (px - qx) * r / d_in, qy + (py - qy) * r / d_in
        bx, by = qx + (nx - qx) * r / d_out, qy + (ny - qy) * r / d_out
        line(ax, ay)
        c1 = (ax + 2 * (qx - ax) / 3, ay + 2 * (qy - ay) / 3)
        c2 = (bx + 2 * (qx - bx) / 3, by + 2 * (qy - by) / 3)
        out.append((ax, ay, c1[0], c1[1], c2[0], c2[1], bx, by))
        cx, cy = bx, by
    line(*points[-1])
    return out


def sample(points: list[Point], routed: bool, steps: int = 24) -> list[Point]:
    """Points along the drawn curve of an edge (each segment at `steps` parameters)."""
    found: list[Point] = []
    for s in segments(points, routed):
        for j in range(steps + 1):
            t = j / steps
            u = 1 - t
            a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            x = a * s[0] + b * s[2] + c * s[4] + d * s[6]
            found.append((x, a * s[1] + b * s[3] + c * s[5] + d * s[7]))
    return found


def edges_through_boxes(
    nodes: dict[str, Node], edges: list[EdgeLine], inset: float = 1.0
) -> list[tuple[int, str]]:
    """Every (edge index, node key) where the drawn edge runs inside a box other than its
    own two ends' (the box shrunk by `inset` on each side, so touching is no crossing)."""
    boxes = [
        (key, n.x + inset, n.y + inset, n.x + n.w - inset, n.y + n.h - inset) for key, n in nodes.items()
    ]
    cell = 200.0
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (_key, x0, y0, x1, y1) in enumerate(boxes):
        for gx in range(int(x0 // cell), int(x1 // cell) + 1):
            for gy in range(int(y0 // cell), int(y1 // cell) + 1):
                grid.setdefault((gx, gy), []).append(i)
    found: list[tuple[int, str]] = []
    for e, edge in enumerate(edges):
        if len(edge.points) < 2:
            continue
        hit: set[str] = set()
        for px, py in sample(edge.points, edge.routed):
            for i in grid.get((int(px // cell), int(py // cell)), ()):
                key, x0, y0, x1, y1 = boxes[i]
                if key in (edge.source, edge.target) or key in hit:
                    continue
                if x0 < px < x1 and y0 < py < y1:
                    hit.add(key)
                    found.append((e, key))
    return found


def arrowheads(edges: list[EdgeLine], target: str) -> list[Point]:
    """Where the edges into `target` end (their arrowheads), in edge order."""
    return [edge.points[-1] for edge in edges if edge.target == target and edge.points]

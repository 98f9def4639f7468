"""The section-level map a large map shows when zoomed out: one card per section.

For each group of the layout (a section of the document; the top group aside) the page
gets its numbers of claims and arguments and its strongest support and strongest attack
toward the thesis. A claim of the section counts when it has an edge leaving the section
(what the section tells the rest of the map) and a path of edges to the thesis; it is a
support when that path carries an even number of attacks, an attack otherwise (the first
path found going back from the thesis, breadth first); the strongest is the one with the
highest credence (computed under the page's default semantics, else stated).

The page sums the cards up to the deepest heading level whose cards fit the screen
(assets/map.js), so each card also carries its section's ancestors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from argmap.graph import NEGATIVE
from argmap.model import Document
from argmap.render.layout import Layout

NEGATIVE_KINDS = frozenset(kind.value for kind in NEGATIVE)


def polarity(layout: Layout) -> dict[str, int]:
    """+1 for the claims whose path to the thesis supports it, -1 for those attacking it."""
    if layout.thesis is None:
        return {}
    into: dict[str, list[tuple[str, int]]] = {}
    for edge in layout.edges:
        sign = -1 if edge.kind in NEGATIVE_KINDS else 1
        into.setdefault(edge.target, []).append((edge.source, sign))
    found = {layout.thesis: 1}
    queue = deque([layout.thesis])
    while queue:
        key = queue.popleft()
        for source, sign in into.get(key, ()):
            if source not in found:
                found[source] = found[key] * sign
                queue.append(source)
    return found


def section_cards(
    document: Document, layout: Layout, index: dict[str, int], credence: Callable[[str], float | None]
) -> dict[str, Any]:
    """The page's `sections` data: each section's title and parent, and one card per group
    (its group index, section path, counts, strongest support and attack as [node index,
    credence])."""
    sections = {s.id: s for s in document.sections}
    signs = polarity(layout)
    exports: set[str] = set()
    for edge in layout.edges:
        if layout.nodes[edge.source].group != layout.nodes[edge.target].group:
            exports.add(edge.source)
    cards: list[dict[str, Any]] = []
    for g, group in enumerate(layout.groups):
        if group.id not in sections:
            continue
        best: dict[int, tuple[float, str]] = {}
        for key in group.nodes:
            node = layout.nodes[key]
            sign = signs.get(key)
            if node.kind != "statement" or key not in exports or sign is None:
                continue
            value = credence(node.title)
            if value is not None and (sign not in best or value > best[sign][0]):
                best[sign] = (value, key)
        card: dict[str, Any] = {"g": g, "path": _path(group.id, sections)}
        card["claims"] = sum(layout.nodes[k].kind == "statement" for k in group.nodes)
        card["args"] = len(group.nodes) - card["claims"]
        for sign, name in ((1, "sup"), (-1, "att")):
            if sign in best:
                card[name] = [index[best[sign][1]], round(best[sign][0], 3)]
        cards.append(card)
    titles = {s.id: {"title": s.title, "parent": s.parent} for s in document.sections}
    return {"titles": titles, "cards": cards}


def _path(section: str, sections: dict[str, Any]) -> list[str]:
    """The section's ancestors from the top level down, ending with itself."""
    path: list[str] = []
    current = sections.get(section)
    while current is not None and current.id not in path:
        path.append(current.id)
        current = sections.get(current.parent) if current.parent else None
    return list(reversed(path))

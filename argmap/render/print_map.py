"""The map in the printed report: legible on paper, one figure per section.

Scaled down to a page's width the whole real map prints its labels at about 4 pt, so the
report carries the whole map once (shown on screen) and, for print, one figure per
section of the document (the thesis and what stays with it first): each a view of the same
drawing (`<use>` of the whole map, cropped with a viewBox, so the file does not grow by a
second copy of the map) at PRINT_SCALE or less, on landscape pages. What leaves a section
(an edge to a claim in another section, mostly to the thesis) is cut at the figure's edge,
so each figure lists those links in words under it.
"""

from __future__ import annotations

import html
from typing import Any

from argmap.render.html_map import MapData, render_svg, section_label

# CSS px per layout unit: the claims' 12 px labels print at 7.4 px, 5.6 pt (the whole map at
# a page's width prints them at 4 pt); two landscape pages hold the real map's sections
PRINT_SCALE = 0.62
# what a landscape A4 page holds between its 8 mm margins, in CSS px (96 per inch)
PAGE_WIDTH_PX = (297 - 16) / 25.4 * 96
CROP_PAD = 6.0
WHOLE_MAP_ID = "whole-map"
_VERB = {
    "support": "supports",
    "entails": "supports",
    "attack": "attacks",
    "contrary": "is contrary to",
    "contradiction": "contradicts",
    "undercut": "undercuts",
}


def _name(node: Any) -> str:
    return f"<{node.title}>" if node.kind == "argument" else f"[{node.title}]"


def _links_out(data: MapData, group: str) -> list[str]:
    """Relations from a node of this section to a node of another, in words."""
    layout = data.layout
    titles = {g.id: section_label(g.title) for g in layout.groups}
    out = []
    for edge in layout.edges:
        source, target = layout.nodes[edge.source], layout.nodes[edge.target]
        if source.group != group or target.group == group or edge.kind not in _VERB:
            continue
        where = "the thesis" if edge.target == layout.thesis else titles.get(target.group) or "top"
        out.append(f"{_name(source)} {_VERB[edge.kind]} {_name(target)} ({where})")
    return out


def _crop(data: MapData, group: Any) -> tuple[float, float, float, float]:
    """The part of the drawing a group's figure shows: its box, or (the thesis's group,
    which has none drawn) the box around its nodes."""
    if group.id != "_top":
        return group.x - CROP_PAD, group.y - CROP_PAD, group.w + 2 * CROP_PAD, group.h + 2 * CROP_PAD
    nodes = [data.layout.nodes[key] for key in group.nodes]
    x0, y0 = min(n.x for n in nodes), min(n.y for n in nodes)
    x1, y1 = max(n.x + n.w for n in nodes), max(n.y + n.h for n in nodes)
    return x0 - 3 * CROP_PAD, y0 - 3 * CROP_PAD, x1 - x0 + 6 * CROP_PAD, y1 - y0 + 6 * CROP_PAD


def section_figures(data: MapData) -> str:
    """One figure per group: a cropped view of the whole drawing, and its links out."""
    out = ['<div class="map-sections">']
    for group in data.layout.groups:
        if not group.nodes:
            continue
        x, y, w, h = _crop(data, group)
        scale = min(PRINT_SCALE, PAGE_WIDTH_PX / w)
        title = section_label(group.title) if group.id != "_top" else "The thesis"
        # a section's title is drawn in its box; the thesis's group has none
        caption = "<figcaption>The thesis</figcaption>" if group.id == "_top" else ""
        links = _links_out(data, group.id)
        listed = (
            '<p class="links">Out of this section: ' + "; ".join(html.escape(t) for t in links) + ".</p>"
            if links
            else ""
        )
        out.append(
            f'<figure class="map-part" data-scale="{scale:.3f}">{caption}'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x:.1f} {y:.1f} {w:.1f} {h:.1f}" '
            f'width="{w * scale:.0f}" height="{h * scale:.0f}" role="img" aria-label="{html.escape(title)}">'
            f'<use href="#{WHOLE_MAP_ID}"/></svg>{listed}</figure>'
        )
    out.append("</div>")
    return "".join(out)


def map_section(data: MapData) -> str:
    """The report's map: the whole drawing (on screen) and its sections (in print)."""
    picture = render_svg(data, standalone=False).replace(' id="map"', "", 1)
    picture = picture.replace('<g id="vp">', f'<g id="{WHOLE_MAP_ID}">', 1)
    return (
        '<section id="map"><h2>The map</h2>\n'
        f'<figure class="map">{picture}</figure>\n'
        f"{section_figures(data)}\n</section>"
    )

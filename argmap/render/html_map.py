"""`argmap render`: the map as one self-contained HTML page (or an SVG picture).

`collect` gathers what the picture shows: the layout (`layout.py`), every claim's
computed credence under every scoring semantics (with Monte Carlo intervals on maps
small enough to sample quickly), the verdict on every quote (`argmap.evidence`) and
the map's diagnostics. `render_svg` draws the static picture; `render_html` wraps
it with the page's stylesheet and script (`assets/`), inlined, and the data as JSON,
so the file works from `file://` and asks the network for nothing (a
Content-Security-Policy forbids it, too).
"""

from __future__ import annotations

import html
import itertools
import math
import os
import re
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from argmap import jsonout
from argmap.diagnostics import Diagnostic, Level
from argmap.engine import DEFAULT_SEMANTICS
from argmap.memory import paused_gc
from argmap.model import Document, PcsRole
from argmap.render.geometry import segments
from argmap.render.layout import Layout, Node, build_layout
from argmap.render.markers import first_marker
from argmap.render.overview import section_cards

AUTO_SAMPLE_LIMIT = 2000  # nodes; above this, intervals are skipped unless asked for
DEFAULT_SAMPLES = 1000

EVIDENCE_BADGES: dict[str, tuple[str, str]] = {
    # status -> (symbol, label)
    "exact": ("✓", "exact"),
    "moved": ("↕", "moved"),
    "drift": ("≈", "drift"),
    "not-found": ("✗", "not found"),
    "missing-file": ("✗", "file missing"),
    "unreadable-file": ("✗", "file unreadable"),
    "bad-range": ("!", "bad range"),
}
_SEVERITY = ["exact", "moved", "drift", "bad-range", "unreadable-file", "missing-file", "not-found"]

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
)


@dataclass
class MapData:
    document: Document
    layout: Layout
    semantics: list[str]
    default_semantics: str
    # semantics -> claim title -> (credence, low, high)
    scores: dict[str, dict[str, tuple[float | None, float | None, float | None]]]
    evidence: dict[str, list[dict[str, Any]]]  # statement title -> quote verdicts
    diagnostics: list[Diagnostic]
    samples: int
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # claim -> attached results
    bottom_line: dict[str, Any] = field(default_factory=dict)  # what the thesis rests on (page header)

    @property
    def title(self) -> str:
        value = self.document.frontmatter.get("title")
        return str(value) if value else os.path.basename(self.document.path)


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


no_gc = paused_gc  # rendering makes many small objects and no cyclic garbage


def collect(
    document: Document,
    semantics: str = DEFAULT_SEMANTICS,
    samples: int | None = None,
    seed: int = 0,
    evidence: bool = True,
    rules: bool = True,
    thesis: str | None = None,
) -> MapData:
    """Everything the map shows, computed once (the page only looks values up). `thesis`
    is `--thesis`; None leaves the choice to the map (argmap/graph.py decides, for the
    layout and the scores alike)."""
    with no_gc():
        return _collect(document, semantics, samples, seed, evidence, rules, thesis)


def _collect(
    document: Document,
    semantics: str,
    samples: int | None,
    seed: int,
    evidence: bool,
    rules: bool,
    thesis: str | None = None,
) -> MapData:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    layout = build_layout(document, thesis)
    timings["layout"] = time.perf_counter() - start
    notes: list[str] = []
    if samples is None:
        samples = DEFAULT_SAMPLES if len(layout.nodes) <= AUTO_SAMPLE_LIMIT else 0
        if samples == 0:
            notes.append(
                f"Intervals omitted: the map has {len(layout.nodes)} claims and arguments "
                "(render with --samples N to compute them)."
            )
    start = time.perf_counter()
    attached, result_problems = attached_results(document)
    bottom: dict[str, Any] = {}
    scores, names, score_diagnostics, default = _scores(
        document, semantics, samples, seed, notes, attached, thesis, bottom
    )
    results: dict[str, list[dict[str, Any]]] = {}
    for item in attached:
        summary = result_summary(item)
        results.setdefault(summary["claim"], []).append(summary)
    if attached:
        notes.append(f"{len(attached)} attached result(s) count in these credences (argmap attach).")
    timings["score"] = time.perf_counter() - start
    start = time.perf_counter()
    verdicts: dict[str, list[dict[str, Any]]] = {}
    diagnostics: list[Diagnostic] = list(document.diagnostics) + result_problems
    if evidence:
        verdicts, found = _evidence(document)
        diagnostics.extend(found)
    timings["evidence"] = time.perf_counter() - start
    start = time.perf_counter()
    if rules and len(layout.nodes) <= AUTO_SAMPLE_LIMIT:
        diagnostics.extend(_rule_findings(document))
    elif rules:
        notes.append("Rule findings omitted on a map this large: run `argmap check` for them.")
    timings["rules"] = time.perf_counter() - start
    diagnostics.extend(d for d in score_diagnostics if d.code.startswith("C"))
    unique: dict[tuple[str, int, int, str], Diagnostic] = {}
    for d in diagnostics:
        unique.setdefault((d.code, d.line, d.column, d.message), d)
    ordered = sorted(unique.values(), key=lambda d: d.sort_key)
    return MapData(
        document,
        layout,
        names,
        default,
        scores,
        verdicts,
        ordered,
        samples,
        notes,
        timings,
        results,
        bottom_line=bottom,
    )


def bottom_line_json(line: Any) -> dict[str, Any]:
    """The bottom line as the page header and panel show it."""
    from argmap.engine.types import describe_part

    return {
        "range": list(line.model_range) if line.model_range is not None else None,
        "rests": line.sentences(),
        "clusters": [
            {"members": part.members, "target": part.target, "text": describe_part(part)}
            for part in line.cluster_parts
        ],
    }


def attached_results(document: Document) -> tuple[list[Any], list[Diagnostic]]:
    """The experiments attached to the map (`argmap attach`), assessed; none when the
    results store is absent or unreadable (its problems come back as diagnostics)."""
    try:
        from argmap.results.rescore import attached_evidence
    except ImportError:  # pragma: no cover - results ship with argmap
        return [], []
    try:
        evidence, problems = attached_evidence(document.path, document)
    except Exception as exc:  # a broken store must not stop the picture
        return [], [
            Diagnostic.at("R101", Level.WARNING, f"attached results unreadable: {exc}", document.path)
        ]
    return list(evidence), list(problems)


def result_summary(evidence: Any) -> dict[str, Any]:
    """One attached result as the page shows it."""
    result = evidence.result
    comparison = result.comparison
    low, high = evidence.ci
    return {
        "id": result.id,
        "claim": result.claim,
        "text": f"{comparison.method} vs {comparison.baseline} on {comparison.metric}: "
        f"effect {evidence.effect_size:+.3g} (95% CI {low:+.3g} to {high:+.3g}), "
        f"BF+0 {evidence.bf_plus0:.3g}, {evidence.n_method}+{evidence.n_baseline} runs",
        "bf": evidence.bf_plus0,
    }


def _scores(
    document: Document,
    semantics: str,
    samples: int,
    seed: int,
    notes: list[str],
    evidence: list[Any] | None = None,
    thesis: str | None = None,
    bottom: dict[str, Any] | None = None,
) -> tuple[
    dict[str, dict[str, tuple[float | None, float | None, float | None]]], list[str], list[Diagnostic], str
]:
    """Every claim's score under every semantics; `bottom` receives the default
    semantics' bottom line (what the thesis rests on) as the page shows it."""
    from argmap.engine import semantics as registry
    from argmap.engine.api import ScoreError, load_graph, score

    names = list(registry.names())
    if semantics not in names:
        raise ValueError(f"unknown semantics {semantics!r}: one of {', '.join(names)}")
    try:
        graph, diagnostics = load_graph(document, thesis)
    except ScoreError as exc:
        notes.append("Not scored: " + str(exc))
        return {}, [], exc.diagnostics, semantics
    if graph.thesis is None:
        notes.append("Not scored: argmap found no thesis in this map.")
        return {}, [], diagnostics, semantics
    out: dict[str, dict[str, tuple[float | None, float | None, float | None]]] = {}
    for name in names:
        try:
            if evidence:
                from argmap.results.rescore import graph_for

                graph, _ = graph_for(document, evidence, name, thesis)
            wanted = bottom is not None and name == semantics
            result = score(
                document, semantics=name, samples=samples, seed=seed, graph=graph, bottom_line=wanted
            )
        except ScoreError:
            continue
        if wanted and bottom is not None and result.bottom_line is not None:
            bottom.update(bottom_line_json(result.bottom_line))
        values: dict[str, tuple[float | None, float | None, float | None]] = {}
        for key, claim in result.claims.items():
            if key.startswith("#"):
                continue
            low, high = claim.interval if claim.interval is not None else (None, None)
            values[claim.title if not key.startswith("<") else key] = (claim.credence, low, high)
        out[name] = values
        if not result.converged:
            notes.append(f"{name} did not converge on this map: its values are missing.")
    return out, [n for n in names if n in out], diagnostics, semantics


def _evidence(document: Document) -> tuple[dict[str, list[dict[str, Any]]], list[Diagnostic]]:
    from argmap.evidence.check import check_document, diagnostics
    from argmap.render.quotes import quote_html

    report = check_document(document)
    verdicts: dict[str, list[dict[str, Any]]] = {}
    for result in report.results:
        verdicts.setdefault(result.claim, []).append(
            {
                "quote": result.quote,
                "html": quote_html(result.quote),
                "status": result.status,
                "statuses": list(result.statuses or [result.status]),
                "file": result.file,
                "fragment": result.fragment,
                "cited": list(result.cited) if result.cited else None,
                "actual": list(result.actual) if result.actual else None,
                "score": round(float(result.score), 1) if result.score else None,
                "message": getattr(result, "message", "") or "",
                "line": result.map_line,
            }
        )
    return verdicts, diagnostics(report)


def _rule_findings(document: Document) -> list[Diagnostic]:
    from argmap.checking import CheckOptions, apply_ignores
    from argmap.rules.registry import run_rules, settings_for

    settings = settings_for(document.path, CheckOptions(evidence=False))
    found = [kept for d in document.diagnostics if (kept := settings.apply(d)) is not None]
    found.extend(run_rules(document, settings))
    parsed = set(document.diagnostics)  # frozen, so hashable: a list here made this quadratic
    return apply_ignores(document, [d for d in found if d not in parsed])


def worst_status(verdicts: list[dict[str, Any]]) -> str | None:
    statuses = [s for v in verdicts for s in v["statuses"]]
    if not statuses:
        return None
    worst: str = max(statuses, key=lambda s: _SEVERITY.index(s) if s in _SEVERITY else len(_SEVERITY))
    return worst


# --- colours -----------------------------------------------------------------------------------

_STOPS = ((0.0, (0xC9, 0x8B, 0x3C)), (0.5, (0xF4, 0xF1, 0xEA)), (1.0, (0x3F, 0xA3, 0x97)))


def credence_colour(value: float | None) -> str:
    """A light diverging colour: brown for doubted claims, off-white at 0.5, teal for believed
    ones (ColorBrewer BrBG, lightened so black text stays readable)."""
    if value is None:
        return "#ffffff"
    v = min(max(value, 0.0), 1.0)
    for (a, ca), (b, cb) in itertools.pairwise(_STOPS):
        if v <= b:
            t = (v - a) / (b - a)
            rgb = [round(ca[i] + (cb[i] - ca[i]) * t) for i in range(3)]
            mixed = [round(c + (255 - c) * 0.25) for c in rgb]
            return "#{:02x}{:02x}{:02x}".format(*mixed)
    return "#ffffff"


# --- data for the page -------------------------------------------------------------------------


def page_data(data: MapData) -> dict[str, Any]:
    """The JSON the page script reads and draws the map from: nodes in layout order (index =
    DOM id) with their boxes and wrapped title lines (`l`, left out where the title fits one
    line), edges with their routing points (flat x, y list; a fifth item 1 when the points are an
    orthogonal route around section boxes), section boxes, scores."""
    document = data.document
    layout = data.layout
    keys = list(layout.nodes)
    index = {key: i for i, key in enumerate(keys)}
    nodes: list[dict[str, Any]] = []
    for key in keys:
        node = layout.nodes[key]
        nodes.append(_node_json(document, node, data))
    edges = [
        [index[e.source], index[e.target], e.kind, [round(c, 1) for point in e.points for c in point]]
        + ([1] if e.routed else [])
        for e in layout.edges
    ]
    payload: dict[str, Any] = {
        "title": data.title,
        "path": os.path.basename(document.path),
        "semantics": data.semantics,
        "default": data.default_semantics,
        "samples": data.samples,
        "thesis": index.get(layout.thesis) if layout.thesis else None,
        "nodes": nodes,
        "edges": edges,
        "groups": [
            {
                "id": g.id,
                "title": section_label(g.title),
                "box": [round(g.x, 1), round(g.y, 1), round(g.w, 1), round(g.h, 1)],
            }
            for g in layout.groups
        ],
        "size": [round(layout.width, 1), round(layout.height, 1)],
        "notes": data.notes,
        "bottom": data.bottom_line or None,
        **_problems_json(data, index),
    }
    payload["sections"] = _section_data(data, index)
    return payload


def _section_data(data: MapData, index: dict[str, int]) -> dict[str, Any]:
    """The section-level map's cards (argmap/render/overview.py)."""
    scores = data.scores.get(data.default_semantics, {})
    statements = data.document.statements

    def credence(title: str) -> float | None:
        computed = scores.get(title)
        if computed is not None and computed[0] is not None:
            return computed[0]
        return _float(statements[title].data.get("credence")) if title in statements else None

    cards = section_cards(data.document, data.layout, index, credence)
    for entry in cards.get("titles", {}).values():  # the cards print titles as the map does
        entry["title"] = section_label(entry["title"])
    return cards


def _problems_json(data: MapData, index: dict[str, int]) -> dict[str, Any]:
    """The problem list (errors first, each tied to its node), the error count the banner
    shows, and the missing nodes (used, never defined: G301, G302), drawn as such."""
    from argmap.render.problems import error_count, missing_nodes, problems_json

    return {
        "diagnostics": problems_json(data.document, data.diagnostics, index),
        "errors": error_count(data.diagnostics),
        "missing": sorted(index[key] for key in missing_nodes(data.document) if key in index),
    }


# A tag as the parser reads one (`#tag`, `#(tag with spaces)`), but not a bare number:
# `# Step #2` keeps its number.
_SECTION_TAG = re.compile(r"(?<![^\s(])#(?:\(([^)\n]+)\)|(?!\d+\b)([\w\-]+))")


def section_label(title: str) -> str:
    """A section's title as the map prints it: without its tags (`# Part 35 #(part 35)` is
    "Part 35"), each level of a nested title (`A › B`) alike; a heading that is only tags
    keeps their words."""

    def label(part: str) -> str:
        plain = " ".join(_SECTION_TAG.sub("", part).split())
        return plain or " ".join(_SECTION_TAG.sub(lambda m: m.group(1) or m.group(2), part).split())

    return " › ".join(label(part) for part in title.split(" › "))


def display_text(cls: Any) -> str:
    """A statement's claim without what follows it in the text: tags, the source link's
    label, the evidence link and the quote (the panel shows those on their own)."""
    text: str = cls.text
    markers = [" #" + tag for tag in cls.tags] + [" evidence >", " > "]
    for member in cls.members:
        markers.extend(" " + link.label for link in member.sources if link.label)
    cut = first_marker(text, markers)  # one pass: a find per marker was quadratic in the tags
    return text[: len(text) if cut is None else cut].rstrip()


def _node_json(document: Document, node: Node, data: MapData) -> dict[str, Any]:
    item: dict[str, Any] = {"k": node.kind[0], "title": node.title, "group": node.group}
    if node.thesis:
        item["thesis"] = True
    item["box"] = [round(node.x, 1), round(node.y, 1), round(node.w, 1), round(node.h, 1)]
    if node.lines != [f"<{node.title}>" if node.kind == "argument" else node.title]:
        item["l"] = node.lines
    if node.kind == "statement":
        item.update(_statement_json(document.statements[node.title], data))
    else:
        item.update(_argument_json(document.arguments[node.title]))
    return item


def _present(**values: Any) -> dict[str, Any]:
    """The keys whose value is set (not None, not empty): the page reads absent as none."""
    return {key: value for key, value in values.items() if value is not None and value != [] and value != ""}


def _statement_json(cls: Any, data: MapData) -> dict[str, Any]:
    values = cls.data
    sources: list[dict[str, str]] = []
    links: list[dict[str, str]] = []
    for member in cls.members:
        sources.extend({"label": s.label, "url": s.url} for s in member.sources)
        links.extend(
            {"label": e.label, "path": e.path, "fragment": e.fragment or ""} for e in member.evidence
        )
    verdicts = data.evidence.get(cls.title)
    attached = data.results.get(cls.title)
    return {
        "text": display_text(cls),
        "line": cls.span.line,
        **_present(
            tags=cls.tags,
            reason=str(values["reason"]) if "reason" in values else None,
            stated=_float(values.get("credence")),
            inference=_float(values.get("inference")),
        ),
        "scores": {
            name: list(by_title[cls.title]) for name, by_title in data.scores.items() if cls.title in by_title
        },
        **_present(
            sources=sources,
            links=links,
            evidence=verdicts or None,
            worst=worst_status(verdicts) if verdicts else None,
            results=[r["text"] for r in attached] if attached else None,
        ),
    }


def _argument_json(argument: Any) -> dict[str, Any]:
    conclusion = argument.conclusion
    values = conclusion.statement.data.values if conclusion is not None and conclusion.statement.data else {}
    return {
        "text": next((d.text for d in argument.descriptions if d.text), ""),
        "line": argument.span.line,
        **_present(
            tags=argument.tags,
            inference=_float(values.get("inference")),
            reason=str(values["reason"]) if "reason" in values else None,
        ),
        "premises": [m.statement.title for m in argument.pcs if m.role is PcsRole.PREMISE],
        **_present(conclusion=conclusion.statement.title if conclusion is not None else None),
    }


# --- SVG ---------------------------------------------------------------------------------------

_EDGE_CLASS = {
    "support": "sup",
    "entails": "sup",
    "attack": "att",
    "contrary": "att",
    "contradiction": "con",
    "undercut": "und",
    "premise": "pcs",
    "conclusion": "pcs",
    "intermediary": "pcs",
}
_MARKER = {"sup": "arrow-sup", "att": "bar-att", "con": "bar-att", "und": "bar-att", "pcs": "arrow-pcs"}


def _path(points: list[tuple[float, float]], routed: bool = False) -> str:
    """An edge's SVG path: the cubic segments `geometry.segments` draws it with."""
    parts = segments(points, routed)
    return f"M{parts[0][0]:.1f},{parts[0][1]:.1f}" + "".join(
        f"C{s[2]:.1f},{s[3]:.1f} {s[4]:.1f},{s[5]:.1f} {s[6]:.1f},{s[7]:.1f}" for s in parts
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _credence_of(data: MapData, node: Node, semantics: str) -> tuple[float | None, str]:
    """The value a node shows: computed credence when scored, else the stated one."""
    if node.kind != "statement":
        return None, ""
    computed = data.scores.get(semantics, {}).get(node.title)
    if computed is not None and computed[0] is not None:
        return computed[0], "computed"
    stated = _float(data.document.statements[node.title].data.get("credence"))
    return stated, "stated" if stated is not None else ""


def render_svg(data: MapData, standalone: bool = True, semantics: str | None = None) -> str:
    """The map as SVG. Standalone adds the XML header, styles and a white background so
    the file reads the same in a browser, an editor or a slide."""
    from argmap.render.problems import missing_nodes

    semantics = semantics or data.default_semantics
    layout = data.layout
    missing = missing_nodes(data.document)
    pad = 24.0
    width, height = layout.width + 2 * pad, layout.height + 2 * pad
    out: list[str] = []
    attrs = f'viewBox="{-pad} {-pad} {width:.0f} {height:.0f}"'
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" {attrs} width="{width:.0f}" height="{height:.0f}" '
            f'font-family="Helvetica, Arial, sans-serif">'
        )
        out.append(f"<style>{_asset('map.svg.css')}</style>")
        out.append(f'<rect x="{-pad}" y="{-pad}" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>')
    else:
        out.append(
            f'<svg id="map" xmlns="http://www.w3.org/2000/svg" {attrs} role="img" '
            f'aria-label="{_esc(data.title)}">'
        )
    out.append(_DEFS)
    out.append('<g id="vp">')
    out.append('<g class="groups">')
    for group in layout.groups:
        if group.id == "_top":
            continue
        out.append(
            f'<g class="grp"><rect x="{group.x:.1f}" y="{group.y:.1f}" width="{group.w:.1f}" '
            f'height="{group.h:.1f}" rx="10"/><text x="{group.x + 14:.1f}" y="{group.y + 26:.1f}">'
            f"{_esc(section_label(group.title))}</text></g>"
        )
    out.append("</g>")
    index = {key: i for i, key in enumerate(layout.nodes)}
    out.append('<g class="edges">')
    for i, edge in enumerate(layout.edges):
        cls = _EDGE_CLASS.get(edge.kind, "pcs")
        start = ' marker-start="url(#bar-att-start)"' if edge.kind == "contradiction" else ""
        out.append(
            f'<path id="e{i}" class="e {cls}" data-s="{index[edge.source]}" data-t="{index[edge.target]}" '
            f'd="{_path(edge.points, edge.routed)}" marker-end="url(#{_MARKER[cls]})"{start}/>'
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for key, node in layout.nodes.items():
        draw = (
            _missing_svg(node, index[key]) if key in missing else _node_svg(data, node, index[key], semantics)
        )
        out.append(draw)
    out.append("</g></g></svg>")
    return "".join(out)


_DEFS = (
    "<defs>"
    '<marker id="arrow-sup" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
    'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#1a9850"/></marker>'
    '<marker id="arrow-pcs" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
    'orient="auto-start-reverse"><path d="M0,1L9,5L0,9" fill="none" stroke="#8a9099" stroke-width="1.6"/>'
    "</marker>"
    '<marker id="bar-att" viewBox="0 0 10 12" refX="8" refY="6" markerWidth="8" markerHeight="9" '
    'orient="auto"><path d="M0,1L8,6L0,11z" fill="#d73027"/><path d="M9,0V12" stroke="#d73027" '
    'stroke-width="2"/></marker>'
    '<marker id="bar-att-start" viewBox="0 0 10 12" refX="2" refY="6" markerWidth="8" markerHeight="9" '
    'orient="auto"><path d="M1,0V12" stroke="#d73027" stroke-width="2"/></marker>'
    "</defs>"
)


BAR_WIDTH = 52.0  # the credence bar on a claim's box
VALUE_END = 100.0  # x where a claim's credence number ends: badges start right of it
# a node's badge says these shorter words, so that it fits beside the credence
NODE_BADGE_WORDS = {"missing-file": "no file", "unreadable-file": "unreadable"}


def _badge_svg(worst: str, w: float, bar_y: float) -> str:
    """The quotes' worst verdict, right-aligned on the credence row; where its words would
    reach the credence's number, only its symbol (the words are its tooltip)."""
    symbol, text = EVIDENCE_BADGES.get(worst, ("?", worst))
    short = NODE_BADGE_WORDS.get(worst, text)
    bw, word = 14 + 6.2 * len(short), " " + _esc(short)
    if w - bw - 8 < VALUE_END:
        bw, word = 20.0, ""
    return (
        f'<g class="bd ev-{worst}" transform="translate({w - bw - 8:.1f},{bar_y - 5:.1f})">'
        f"<title>quotes: {_esc(text)}</title>"
        f'<rect width="{bw:.1f}" height="15" rx="7.5"/><text x="{bw / 2:.1f}" y="11">'
        f"{symbol}{word}</text></g>"
    )


def _missing_svg(node: Node, i: int) -> str:
    """A statement or argument used but never defined (G301, G302): dashed red, no
    credence; a statement's box says "not defined" (an argument's pill is too small)."""
    w, h = node.w, node.h
    statement = node.kind == "statement"
    x, y0 = (10.0, 20) if statement else (w / 2, 19)
    lines = "".join(
        f'<text class="t" x="{x:.1f}" y="{y0 + 15 * j}">{_esc(line)}</text>'
        for j, line in enumerate(node.lines)
    )
    name = f"[{node.title}]" if statement else f"<{node.title}>"
    rx = 6 if statement else (h / 2 if h < 40 else 14)
    note = f'<text class="nd" x="10" y="{h - 10:.1f}">not defined</text>' if statement else ""
    return (
        f'<g id="n{i}" class="n {"st" if statement else "ar"} miss{" th" if node.thesis else ""}" '
        f'transform="translate({node.x:.1f},{node.y:.1f})" tabindex="-1">'
        f"<title>{_esc(name)} is used but never defined</title>"
        f'<rect class="box" width="{w:.1f}" height="{h:.1f}" rx="{rx:.1f}"/>{lines}{note}</g>'
    )


def _node_svg(data: MapData, node: Node, i: int, semantics: str) -> str:
    x, y, w, h = node.x, node.y, node.w, node.h
    parts = [
        f'<g id="n{i}" class="n {"st" if node.kind == "statement" else "ar"}{" th" if node.thesis else ""}" '
        f'transform="translate({x:.1f},{y:.1f})" tabindex="-1">'
    ]
    if node.kind == "argument":
        parts.append(
            f'<rect class="box" width="{w:.1f}" height="{h:.1f}" rx="{h / 2 if h < 40 else 14:.1f}"/>'
        )
        for j, line in enumerate(node.lines):
            parts.append(f'<text class="t" x="{w / 2:.1f}" y="{19 + 15 * j}">{_esc(line)}</text>')
        parts.append("</g>")
        return "".join(parts)
    value, origin = _credence_of(data, node, semantics)
    fill = credence_colour(value)
    parts.append(
        f'<rect class="box{" nv" if value is None else ""}" width="{w:.1f}" height="{h:.1f}" rx="6" '
        f'fill="{fill}"/>'
    )
    for j, line in enumerate(node.lines):
        parts.append(f'<text class="t" x="10" y="{20 + 15 * j}">{_esc(line)}</text>')
    bar_y = h - 17
    bar_w = BAR_WIDTH
    filled = 0.0 if value is None else bar_w * min(max(value, 0.0), 1.0)
    label = "–" if value is None else f"{value:.2f}"
    parts.append(f'<rect class="bb" x="10" y="{bar_y:.1f}" width="{bar_w}" height="6" rx="3"/>')
    parts.append(f'<rect class="bf" x="10" y="{bar_y:.1f}" width="{filled:.1f}" height="6" rx="3"/>')
    parts.append(
        f'<text class="v{" st" if origin == "stated" else ""}" x="{bar_w + 16}" y="{bar_y + 7:.1f}">'
        f"{label}</text>"
    )
    verdicts = data.evidence.get(node.title)
    if verdicts:
        parts.append(_badge_svg(worst_status(verdicts) or "exact", w, bar_y))
    attached = data.results.get(node.title)
    if attached:
        label = f"⚗ {len(attached)}"
        parts.append(
            f'<g class="bd rs" transform="translate({w - 34:.1f},-7)"><title>{len(attached)} attached '
            f'result(s)</title><rect width="30" height="15" rx="7.5"/><text x="15" y="11">{label}</text></g>'
        )
    parts.append("</g>")
    return "".join(parts)


# --- HTML --------------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("argmap.render").joinpath("assets", name).read_text(encoding="utf-8")


def _json_for_script(value: Any) -> str:
    text = jsonout.dumps(value, indent=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def render_html(
    data: MapData, live: bool = False, banner: str = "", notice: dict[str, Any] | None = None
) -> str:
    """The interactive page. `live` adds the preview script's server connection (serve);
    `notice` is what serve's banner says changed since the last version (the thesis,
    new errors)."""
    with no_gc():
        return _render_html(data, live, banner, notice)


def _render_html(data: MapData, live: bool, banner: str, notice: dict[str, Any] | None = None) -> str:
    payload = page_data(data)
    payload["live"] = live
    if notice:
        payload["notice"] = notice
    semantics_options = "".join(
        f'<option value="{_esc(n)}"{" selected" if n == data.default_semantics else ""}>{_esc(n)}</option>'
        for n in data.semantics
    )
    return _PAGE.format(
        csp=CSP,
        title=_esc(data.title),
        css=_asset("map.css"),
        svg_css=_asset("map.svg.css"),
        svg=_svg_shell(data),
        options=semantics_options or '<option value="">not scored</option>',
        data=_json_for_script(payload),
        js=_asset("map.js"),
        banner=banner,
        count=len(data.layout.nodes),
    )


def _svg_shell(data: MapData) -> str:
    """The page's SVG: markers and empty layers that the page script fills with what is in
    view (the map itself travels as data). The viewBox gives the script the map's extent."""
    pad = 24.0
    width, height = data.layout.width + 2 * pad, data.layout.height + 2 * pad
    return (
        '<canvas id="overview" aria-hidden="true"></canvas>'
        '<div id="sections" aria-label="Sections" hidden></div>'
        f'<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="{-pad} {-pad} {width:.0f} {height:.0f}" '
        f'role="img" aria-label="{_esc(data.title)}">{_DEFS}<g id="vp">'
        '<g id="layer-groups" class="groups"></g><g id="layer-edges" class="edges"></g>'
        '<g id="layer-nodes" class="nodes"></g></g></svg>'
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="argmap">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{css}
{svg_css}</style>
</head>
<body>
<header id="bar">
  <h1 id="map-title" title="{title}">{title}</h1>
  <div id="bottom-line" aria-live="polite"></div>
  <div class="tools">
    <div id="search-wrap"><input id="search" type="search" placeholder="Search claims  ( / )"
      autocomplete="off" aria-label="Search claims"><ol id="results" role="listbox"></ol></div>
    <label>semantics <select id="semantics" aria-label="Scoring semantics">{options}</select></label>
    <button id="zoom-in" title="Zoom in (+)">+</button><button id="zoom-out" title="Zoom out (-)">−</button>
    <button id="zoom-fit" title="Fit the map (0)">fit</button>
    <button id="show-diags" title="Diagnostics">0 problems</button>
    <button id="show-help" title="Keys (?)">?</button>
  </div>
</header>
<div id="banner" role="alert">{banner}</div>
<main id="stage" tabindex="0" aria-label="Argument map with {count} claims and arguments">
{svg}
</main>
<aside id="panel" aria-live="polite" hidden></aside>
<aside id="diags" hidden></aside>
<div id="legend">
  <div><svg width="34" height="10"><path d="M2,5H28" stroke="#1a9850" stroke-width="2"
    marker-end="url(#arrow-sup)"/></svg> supports</div>
  <div><svg width="34" height="10"><path d="M2,5H28" stroke="#d73027" stroke-width="2"
    stroke-dasharray="6 3" marker-end="url(#bar-att)"/></svg> attacks</div>
  <div><svg width="34" height="10"><path d="M6,5H28" stroke="#d73027" stroke-width="1.8"
    marker-start="url(#bar-att-start)" marker-end="url(#bar-att)"/></svg> contradicts</div>
  <div><svg width="34" height="10"><path d="M2,5H28" stroke="#d73027" stroke-width="2"
    stroke-dasharray="2 3" marker-end="url(#bar-att)"/></svg> undercuts (an inference)</div>
  <div><svg width="34" height="10"><path d="M2,5H28" stroke="#8a9099" stroke-width="1.3"
    stroke-dasharray="2 3" marker-end="url(#arrow-pcs)"/></svg> premise / conclusion</div>
  <div><i class="miss"></i> not defined (used, never written)</div>
  <div class="scale"><span>0</span><i></i><span>1</span> credence</div>
  <div class="ev"><b class="ev-exact">✓</b> exact <b class="ev-moved">↕</b> moved
    <b class="ev-drift">≈</b> drift <b class="ev-not-found">✗</b> not found</div>
</div>
<div id="help" hidden>
  <b>Keys</b>: <kbd>/</kbd> search · <kbd>←↑→↓</kbd> move between claims (pan when none is selected) ·
  <kbd>t</kbd> thesis · <kbd>+</kbd>/<kbd>-</kbd> zoom · <kbd>0</kbd> fit ·
  <kbd>s</kbd> next semantics · <kbd>Esc</kbd> close. Drag to pan, wheel to zoom, click a claim for details.
</div>
<script id="argmap-data" type="application/json">{data}</script>
<script>{js}</script>
</body>
</html>
"""


# --- PNG ---------------------------------------------------------------------------------------


def svg_to_png(svg: str, scale: float = 1.0, timeout: float = 120.0) -> bytes:
    """Rasterise a standalone SVG with headless Chromium (the browser the map is made
    for, so the PNG looks exactly like the page), else with CairoSVG when installed."""
    import re
    import subprocess
    import tempfile

    from argmap.render.chromium import SCREENSHOT_FLAGS, find_chromium

    match = re.search(r'<svg[^>]*\bwidth="([0-9.]+)"[^>]*\bheight="([0-9.]+)"', svg)
    width, height = (float(match.group(1)), float(match.group(2))) if match else (1600.0, 1200.0)
    chromium = find_chromium()
    if chromium is None:
        try:
            import cairosvg  # type: ignore[import-not-found]
        except ImportError:
            raise RuntimeError(
                "PNG needs headless Chromium (apt-get install chromium; or set ARGMAP_CHROMIUM) "
                "or the cairosvg package; `--to svg` works without either"
            ) from None
        return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale))
    with tempfile.TemporaryDirectory(prefix="argmap-png-") as folder:
        page = os.path.join(folder, "map.html")
        with open(page, "w", encoding="utf-8") as handle:
            body = svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg
            handle.write(
                '<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff}'
                f"</style></head><body>{body}</body></html>"
            )
        out = os.path.join(folder, "map.png")
        command = [
            chromium,
            *SCREENSHOT_FLAGS,
            f"--user-data-dir={os.path.join(folder, 'profile')}",
            f"--window-size={math.ceil(width)},{math.ceil(height)}",
            f"--force-device-scale-factor={scale}",
            f"--screenshot={out}",
            "file://" + page,
        ]
        completed = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        if not os.path.exists(out):
            raise RuntimeError(
                f"{chromium} made no screenshot (exit {completed.returncode}): "
                + completed.stderr.decode("utf-8", "replace")[-500:]
            )
        with open(out, "rb") as handle:
            return handle.read()

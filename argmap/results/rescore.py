"""Scores before and after results, and the table of what moved and why.

`attach_report(...)` is what `argmap attach` prints: each result's statistics, every
claim whose credence moved by more than 0.005 (largest move first) with the chain of
reasons, and the thesis before and after with its interval. `score_attached(...)` is
`argmap score` with the stored results taken into account.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from argmap.diagnostics import Diagnostic
from argmap.engine import DEFAULT_SEMANTICS
from argmap.model import Document
from argmap.results.evidence import Evidence

if TYPE_CHECKING:
    from argmap.engine.api import ScoreResult
    from argmap.engine.qbaf import ScoreGraph

THRESHOLD = 0.005


@dataclass
class Moved:
    title: str
    before: float | None
    after: float | None
    why: list[str] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "before": self.before,
            "after": self.after,
            "delta": round(self.delta, 6),
            "why": self.why,
        }


@dataclass
class Report:
    evidence: list[Evidence]
    moved: list[Moved]
    thesis_title: str
    thesis_before: float | None
    thesis_after: float | None
    interval: tuple[float, float] | None
    semantics: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "results": [e.to_json() for e in self.evidence],
            "moved": [m.to_json() for m in self.moved],
            "thesis": {
                "title": self.thesis_title,
                "before": self.thesis_before,
                "after": self.thesis_after,
                "interval": list(self.interval) if self.interval else None,
            },
        }


def graph_for(
    document: Document, evidence: list[Evidence], semantics: str, thesis: str | None = None
) -> tuple[ScoreGraph, list[Diagnostic]]:
    """The map's scoring graph with the attached results added as result nodes, after
    the mapping (argmap/results/engine.py): the engine knows nothing of results."""
    from argmap.engine.mapping import document_to_graph
    from argmap.results.engine import add_result_nodes

    graph, diagnostics = document_to_graph(document, thesis)
    if evidence:
        add_result_nodes(graph, evidence, semantics)
    return graph, diagnostics


def _parse(path: str | os.PathLike[str]) -> Document:
    from argmap.engine.api import ScoreError
    from argmap.grammar import parse_file

    document = parse_file(path)
    if any(d.code.startswith("F") and d.level.value == "error" for d in document.diagnostics):
        raise ScoreError(list(document.diagnostics))
    return document


def score_attached(
    path: str | os.PathLike[str],
    semantics: str = DEFAULT_SEMANTICS,
    thesis: str | None = None,
    evidence: list[Evidence] | None = None,
    **options: Any,
) -> ScoreResult:
    """`argmap.score` with the map's attached results (or `evidence`) as extra inputs."""
    from argmap.engine.api import score

    document = _parse(path)
    diagnostics: list[Diagnostic] = []
    if evidence is None:
        evidence, diagnostics = attached_evidence(path, document)
    graph, graph_diagnostics = graph_for(document, evidence, semantics, thesis)
    result = score(path, semantics=semantics, graph=graph, **options)
    result.diagnostics = list(document.diagnostics) + graph_diagnostics + diagnostics + result.diagnostics
    return result


def score_all_attached(path: str | os.PathLike[str], **options: Any) -> dict[str, ScoreResult]:
    from argmap.engine import semantics as registry

    document = _parse(path)
    evidence, diagnostics = attached_evidence(path, document)
    out = {}
    for name in registry.names():
        out[name] = score_attached(path, semantics=name, evidence=evidence, **options)
        out[name].diagnostics = diagnostics + out[name].diagnostics
    return out


def attached_evidence(
    path: str | os.PathLike[str], document: Document, weight: float | None = None
) -> tuple[list[Evidence], list[Diagnostic]]:
    """Evidence from the stored results; unreadable files or unknown claims are warnings."""
    from argmap.diagnostics import Level
    from argmap.results.evidence import assess
    from argmap.results.store import load_attached
    from argmap.results.validate import check_claim

    results, problems = load_attached(path)
    usable = []
    for result in results:
        problem = check_claim(result, document.statements, str(path))
        if problem is None:
            usable.append(result)
        else:
            problems.append(problem)
    warnings = [p.with_level(Level.WARNING) for p in problems]
    return assess(usable, weight=weight), warnings


def _reach(graph: ScoreGraph) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for e in graph.edges:
        children.setdefault(e.source, []).append(e.target)
    for d in graph.derivations:
        for p in d.premises:
            children.setdefault(p, []).append(d.node)
    for u in graph.undercuts:
        children.setdefault(u.source, []).append(graph.derivations[u.target].node)
    return children


def reasons_from(graph: ScoreGraph, sources: dict[int, str]) -> dict[int, list[str]]:
    """For every node downstream of a source node, one chain per source:
    '<source reason> -> [A] -> [B]' (shortest path)."""
    children = _reach(graph)
    out: dict[int, list[str]] = {}
    for start, reason in sources.items():
        parent: dict[int, int] = {start: -1}
        queue = [start]
        while queue:
            nxt = []
            for i in queue:
                for j in children.get(i, []):
                    if j not in parent:
                        parent[j] = i
                        nxt.append(j)
            queue = nxt
        for node in parent:
            chain = []
            j = node
            while j != start:
                chain.append(graph.nodes[j].label)
                j = parent[j]
            text = reason if not chain else reason + " -> " + " -> ".join(reversed(chain))
            out.setdefault(node, []).append(text)
    return out


def moved_claims(
    before: ScoreResult, after: ScoreResult, reasons: dict[str, list[str]], threshold: float = THRESHOLD
) -> list[Moved]:
    moved: list[Moved] = []
    for key, claim in after.claims.items():
        if key.startswith("#result"):
            continue
        old = before.claims.get(key)
        b = old.credence if old is not None else None
        a = claim.credence
        if b is None or a is None:
            if b != a:
                moved.append(Moved(key, b, a, reasons.get(key, [])))
            continue
        if abs(a - b) > threshold:
            moved.append(Moved(key, b, a, reasons.get(key, [])))
    for key, claim in before.claims.items():
        # a claim only the earlier version has (argmap diff): removed from the map
        if key not in after.claims and not key.startswith("#result") and claim.credence is not None:
            moved.append(Moved(key, claim.credence, None, reasons.get(key, ["removed from the map"])))
    moved.sort(key=lambda m: (-abs(m.delta), m.title))
    return moved


def result_reasons(graph: ScoreGraph, evidence: list[Evidence]) -> dict[str, list[str]]:
    """Claim title (or <Argument> key) -> the chains from each result to it."""
    index = graph.index()
    sources: dict[int, str] = {}
    for item in evidence:
        node = index.get(f"[{item.claim}]")
        if node is None:
            node = index.get(f"<{item.claim}>")
        if node is not None:
            label = item.reason()
            sources[node] = label if node not in sources else sources[node] + "; " + label
    by_node = reasons_from(graph, sources)
    reasons = {}
    for i, graph_node in enumerate(graph.nodes):
        if i in by_node:
            reasons[graph_node.title if graph_node.kind != "argument" else graph_node.key] = by_node[i]
    return reasons


def results_table(
    path: str | os.PathLike[str],
    after: ScoreResult,
    semantics: str = DEFAULT_SEMANTICS,
    thesis: str | None = None,
    set_values: list[str] | None = None,
    remove: list[str] | None = None,
) -> Report | None:
    """What the attached results moved, for `argmap score --explain`: the map scored
    without them (before) against `after`, the score `argmap score` computed with them
    (same what-if changes). None when the map has no results attached."""
    from argmap.engine.api import score
    from argmap.results.store import has_attached

    if os.fspath(path).lower().endswith(".bag") or not has_attached(path):
        return None
    document = _parse(path)
    evidence, diagnostics = attached_evidence(path, document)
    if not evidence:
        return None
    graph_before, _ = graph_for(document, [], semantics, thesis)
    before = score(
        path, semantics=semantics, graph=graph_before, samples=0, set_values=set_values, remove=remove
    )
    graph_after, _ = graph_for(document, evidence, semantics, thesis)
    return _report(evidence, before, after, graph_after, semantics, diagnostics)


def attach_report(
    path: str | os.PathLike[str],
    new: list[Evidence],
    semantics: str = DEFAULT_SEMANTICS,
    samples: int = 2000,
    seed: int = 0,
    thesis: str | None = None,
    existing: list[Evidence] | None = None,
) -> Report:
    """Scores with `existing` evidence (before) and with `existing + new` (after)."""
    from argmap.engine.api import ScoreError, score

    document = _parse(path)
    existing = existing or []
    graph_before, diagnostics = graph_for(document, existing, semantics, thesis)
    if graph_before.thesis is None:
        raise ScoreError([d for d in diagnostics if d.code == "C590"] or diagnostics)
    before = score(path, semantics=semantics, graph=graph_before, samples=0, seed=seed)
    graph_after, _ = graph_for(document, existing + new, semantics, thesis)
    after = score(path, semantics=semantics, graph=graph_after, samples=samples, seed=seed)
    return _report(new, before, after, graph_after, semantics, list(document.diagnostics) + diagnostics)


def _report(
    evidence: list[Evidence],
    before: ScoreResult,
    after: ScoreResult,
    graph_after: ScoreGraph,
    semantics: str,
    diagnostics: Any,
) -> Report:
    """What moved from `before` to `after` (the graph with the results), and the thesis."""
    return Report(
        evidence=evidence,
        moved=moved_claims(before, after, result_reasons(graph_after, evidence)),
        thesis_title=after.thesis.title,
        thesis_before=before.thesis.credence,
        thesis_after=after.thesis.credence,
        interval=after.thesis.interval,
        semantics=semantics,
        diagnostics=diagnostics,
    )


def render_report(report: Report, verb: str = "attached") -> str:
    lines: list[str] = []
    for item in report.evidence:
        lines.append(f"{verb} {item.id} to [{item.claim}]")
        lines.append(f"  {item.describe()}")
    lines.append("")
    lines.append(render_moved(report.moved))
    lines.append(thesis_line(report))
    return "\n".join(lines) + "\n"


def thesis_line(report: Any) -> str:
    """`thesis [T]: before -> after  90% interval [lo, hi]  (semantics)`."""
    tb, ta = report.thesis_before, report.thesis_after
    interval = (
        ""
        if report.interval is None
        else f"  90% interval [{report.interval[0]:.3f}, {report.interval[1]:.3f}]"
    )
    return f"thesis [{report.thesis_title}]: {_f(tb)} -> {_f(ta)}{interval}  ({report.semantics})"


def render_moved(moved: list[Moved]) -> str:
    if not moved:
        return "no claim moved by more than 0.005\n"
    width = min(48, max(len(m.title) for m in moved) + 2)
    lines = [f"{'claim':<{width}} {'before':>7} {'after':>7} {'delta':>7}  why"]
    for m in moved:
        title = f"[{m.title}]" if not m.title.startswith("<") else m.title
        why = m.why[0] if m.why else ""
        lines.append(f"{title[:width]:<{width}} {_f(m.before):>7} {_f(m.after):>7} {m.delta:+7.3f}  {why}")
        for extra in m.why[1:]:
            lines.append(f"{'':<{width}} {'':>7} {'':>7} {'':>7}  {extra}")
    return "\n".join(lines) + "\n"


def _f(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def with_results(path: str, score_all: Any, score_one: Any) -> tuple[Any, Any]:
    """The scoring functions `argmap score` should use: the attached-results versions
    when the map has results stored (and is not a .bag), else the plain ones."""
    from argmap.results.store import has_attached

    if path.lower().endswith(".bag") or not has_attached(path):
        return score_all, score_one
    return score_all_attached, score_attached

"""`argmap report`: a printable HTML report of one map, with plots as inline SVG.

Sections: the bottom line (the thesis's credence, interval and semantics, and every
semantics side by side), a tornado plot of the cruxes, the Monte Carlo distribution
of the thesis's credence, what moved (attached results, or a saved `argmap score
--format json` given with `--before`), the evidence table and the diagnostics.
Plots come from matplotlib's object API (no pyplot, no global state, Agg-free SVG
backend), with text kept as text so the file stays small and searchable.
"""

from __future__ import annotations

import html
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argmap.diagnostics import Diagnostic
from argmap.engine import DEFAULT_SEMANTICS
from argmap.model import Document
from argmap.render.html_map import (
    CSP,
    EVIDENCE_BADGES,
    MapData,
    _asset,
    attached_results,
    collect,
)

SUPPORT = "#1a9850"
ATTACK = "#d73027"
INK = "#1f2937"
MUTED = "#6b7280"


@dataclass
class Moved:
    title: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)


@dataclass
class ReportData:
    map: MapData
    semantics: str
    samples: int
    thesis_title: str | None = None  # the headline's fields stay None when the map has no thesis
    credence: float | None = None
    interval: tuple[float, float] | None = None
    mean: float | None = None
    all_semantics: dict[str, tuple[float | None, tuple[float, float] | None]] = field(default_factory=dict)
    cruxes: list[Any] = field(default_factory=list)
    thesis_samples: list[float] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    moved_source: str = ""
    bottom_line: Any = None  # argmap.engine.correlation.BottomLine: semantics range, rho sweep


def _headline(report: ReportData, result: Any, data: MapData) -> None:
    """The bottom line's numbers, and every semantics' row (the chosen one from `result`)."""
    report.thesis_title = result.thesis.title
    report.credence = result.thesis.credence
    report.interval = result.thesis.interval
    report.mean = result.thesis.mean
    report.cruxes = list(result.cruxes)
    report.bottom_line = result.bottom_line
    for name in data.semantics:
        value = data.scores[name].get(result.thesis.title)
        if value is not None:
            interval = (value[1], value[2]) if value[1] is not None and value[2] is not None else None
            report.all_semantics[name] = (value[0], interval)
    # the chosen semantics' row is the bottom line itself (same samples, same seed)
    report.all_semantics[report.semantics] = (result.thesis.credence, result.thesis.interval)


def _thesis_samples(graph: Any, semantics: str, samples: int, seed: int, concentration: float) -> list[float]:
    """The thesis over the Monte Carlo samples (the same draws as the headline interval)."""
    import numpy as np

    from argmap.engine import montecarlo
    from argmap.engine import semantics as registry
    from argmap.engine.evaluate import Compiled, point_params

    compiled = Compiled(graph)
    means = point_params(compiled, {})[:, 0]
    mc = montecarlo.propagate(
        compiled,
        registry.get(semantics),
        samples,
        seed,
        concentration,
        graph.thesis,
        None,
        means,
        keep_claims=False,
    )
    return [float(v) for v in np.asarray(mc.thesis) if np.isfinite(v)]


def build_report(
    document: Document,
    semantics: str = DEFAULT_SEMANTICS,
    samples: int = 5000,
    seed: int = 0,
    cruxes: int = 10,
    before: str | os.PathLike[str] | None = None,
    thesis: str | None = None,
) -> ReportData:
    """Score the map (with its attached results) and gather what the report shows;
    `thesis` is `--thesis` (None: the map's own decision, argmap/graph.py)."""
    from argmap.engine.api import load_graph, score

    data = collect(document, semantics=semantics, samples=min(samples, 1000), thesis=thesis)
    evidence, _problems = attached_results(document)
    graph, _ = load_graph(document, thesis)
    plain_graph = graph
    if evidence:
        from argmap.results.rescore import graph_for

        graph, _ = graph_for(document, evidence, semantics, thesis)
    report = ReportData(map=data, semantics=semantics, samples=samples)
    if graph.thesis is None:
        return report
    result = score(document, semantics, samples, seed, cruxes=cruxes, graph=graph, bottom_line=True)
    _headline(report, result, data)
    if samples > 0 and result.converged:
        report.thesis_samples = _thesis_samples(graph, semantics, samples, seed, result.concentration)
    if before is not None:
        report.moved = _moved_from_file(before, result)
        report.moved_source = f"before: {os.path.basename(os.fspath(before))}"
    elif evidence:
        baseline = score(document, semantics=semantics, samples=0, graph=plain_graph)
        report.moved = _moved(
            {k: c.credence for k, c in baseline.claims.items()},
            {k: c.credence for k, c in result.claims.items()},
        )
        report.moved_source = f"before: without the {len(evidence)} attached result(s); after: with them"
    return report


def _moved(
    before: dict[str, float | None], after: dict[str, float | None], threshold: float = 0.005
) -> list[Moved]:
    moved = []
    for key, value in after.items():
        if key.startswith("#"):
            continue
        old = before.get(key)
        if old is None and value is None:
            continue
        if old is None or value is None or abs(value - old) > threshold:
            moved.append(Moved(key.strip("[]"), old, value))
    moved.sort(key=lambda m: (-abs(m.delta), m.title))
    return moved


def _moved_from_file(path: str | os.PathLike[str], result: Any) -> list[Moved]:
    """What moved since a saved `argmap score --format json` (one semantics or --all-semantics)."""
    saved = json.loads(Path(path).read_text(encoding="utf-8"))
    if "semantics" in saved and isinstance(saved["semantics"], dict):
        saved = saved["semantics"].get(result.semantics) or next(iter(saved["semantics"].values()))
    claims = saved.get("claims") or {}
    before = {k: (v or {}).get("credence") for k, v in claims.items()}
    return _moved(before, {k: c.credence for k, c in result.claims.items()})


# --- plots ---------------------------------------------------------------------------------------


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    return figure


def _svg(figure: Any) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "argmap", "font.size": 10}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def _style(axes: Any) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.spines["left"].set_color("#9ca3af")
    axes.spines["bottom"].set_color("#9ca3af")
    axes.tick_params(colors=INK, labelsize=9)


MODEL = "#7c3aed"  # bars of model choices (semantics, rho) in the crux plot


def model_rows(bottom_line: Any) -> list[tuple[str, float, float]]:
    """The model choices as crux-plot rows: (label, lowest thesis, highest thesis)."""
    if bottom_line is None:
        return []
    rows = []
    if bottom_line.semantics_range is not None:
        rows.append(("model: semantics (every one)", *bottom_line.semantics_range))
    sweep = [p.credence for p in bottom_line.rho_sweep if p.credence is not None]
    if sweep:
        rows.append(("model: correlation rho 0 to 1", min(sweep), max(sweep)))
    return rows


def tornado_svg(cruxes: list[Any], base: float, bottom_line: Any = None) -> str:
    """Each input swung across its 90% interval, and each model choice across its range:
    the thesis's credence at both ends, every bar on one axis so each is seen at its scale."""
    rows = sorted(cruxes, key=lambda c: abs(c.swing[1] - c.swing[0]))
    models = model_rows(bottom_line)
    figure = _figure(8.0, 0.42 * (len(rows) + len(models)) + 1.5)
    axes = figure.add_subplot()
    for y, crux in enumerate(rows):
        low, high = crux.swing
        # the end reached at the input's low value is drawn in the attack colour
        axes.barh(y, low - base, left=base, color=ATTACK if low < base else SUPPORT, alpha=0.85, height=0.62)
        axes.barh(
            y, high - base, left=base, color=SUPPORT if high > base else ATTACK, alpha=0.85, height=0.62
        )
    for k, (_label, low, high) in enumerate(models):
        axes.barh(len(rows) + k, high - low, left=low, color=MODEL, alpha=0.85, height=0.62)
    axes.axvline(base, color=INK, linewidth=1)
    labels = [_short(c.input, 60) for c in rows] + [label for label, _, _ in models]
    axes.set_yticks(range(len(labels)))
    axes.set_yticklabels(labels)
    axes.set_xlabel(
        "thesis credence: inputs at the ends of their 90% interval; model choices over their range"
    )
    from matplotlib.patches import Patch

    key = [
        Patch(color=SUPPORT, label="input raises the thesis"),
        Patch(color=ATTACK, label="input lowers the thesis"),
        Patch(color=MODEL, label="model choice (semantics, rho)"),
    ]
    axes.legend(
        handles=key if models else key[:2],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    _style(axes)
    return _svg(figure)


def distribution_svg(
    values: list[float], credence: float | None, interval: tuple[float, float] | None
) -> str:
    import numpy as np

    figure = _figure(8.0, 2.8)
    axes = figure.add_subplot()
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = max(0.01, (hi - lo) * 0.05)
    bins = np.linspace(max(0.0, lo - pad), min(1.0, hi + pad), 60)
    axes.hist(values, bins=bins, color="#6fbab1", edgecolor="#3f8f86", linewidth=0.4)
    if interval is not None:
        axes.axvspan(interval[0], interval[1], color="#3fa397", alpha=0.12, label="90% interval")
    if credence is not None:
        axes.axvline(credence, color=INK, linewidth=1.4, label=f"credence {credence:.3f}")
    axes.set_xlabel("thesis credence over the Monte Carlo samples")
    axes.set_ylabel("samples")
    axes.legend(frameon=False, fontsize=9)
    _style(axes)
    return _svg(figure)


def moved_svg(moved: list[Moved], limit: int = 25) -> str:
    rows = list(reversed(moved[:limit]))
    figure = _figure(8.0, 0.36 * len(rows) + 1.1)
    axes = figure.add_subplot()
    for y, item in enumerate(rows):
        if item.before is None or item.after is None:
            continue
        colour = SUPPORT if item.after >= item.before else ATTACK
        axes.annotate(
            "",
            xy=(item.after, y),
            xytext=(item.before, y),
            arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.6},
        )
        axes.plot([item.before], [y], "o", color=MUTED, markersize=4)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([_short(m.title, 50) for m in rows])
    axes.set_xlim(0, 1)
    axes.set_xlabel("credence: before (dot) → after (arrow)")
    _style(axes)
    return _svg(figure)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- HTML ----------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _rests_on(line: Any) -> list[str]:
    """The bottom line's model range and what the number rests on, in plain words."""
    if line is None:
        return []
    from argmap.engine.types import describe_part

    e = html.escape
    out = []
    if line.model_range is not None:
        lo, hi = line.model_range
        out.append(
            f'<p class="rests"><b>Model range {lo:.3f}–{hi:.3f}</b> over every semantics and every '
            "correlation rho between the arguments (0: independent, 1: fully correlated).</p>"
        )
    items = "".join(f"<li>{e(sentence)}</li>" for sentence in line.sentences())
    items += "".join(f"<li>{e(describe_part(part))}</li>" for part in line.cluster_parts)
    out.append(f'<p>The number rests on:</p><ul class="rests">{items}</ul>')
    return out


def render_report(report: ReportData) -> str:
    data = report.map
    e = html.escape
    out: list[str] = [
        f"<h1>{e(data.title)}</h1>",
        f'<p class="meta">{e(os.path.basename(data.document.path))} · {len(data.document.statements)} '
        f"claims · {len(data.document.arguments)} arguments · generated by argmap</p>",
        _bottom_line_section(report),
        _cruxes_section(report),
        _distribution_section(report),
        _moved_section(report),
        _evidence_section(data),
        _diagnostics_section(data.diagnostics),
    ]
    from argmap.render.print_map import map_section

    out.append(map_section(data))
    return _PAGE.format(
        csp=CSP,
        title=e(data.title),
        body="\n".join(part for part in out if part),
        css=_asset("report.css"),
        svg_css=_asset("map.svg.css"),
    )


def _bottom_line_section(report: ReportData) -> str:
    e = html.escape
    out = ['<section id="bottom-line"><h2>Bottom line</h2>']
    if report.thesis_title is None:
        out.append("<p>argmap found no thesis to score in this map.</p>")
    else:
        interval = (
            f"90% interval [{report.interval[0]:.3f}, {report.interval[1]:.3f}]"
            if report.interval
            else "no interval"
        )
        out.append(
            f'<p class="big"><b>[{e(report.thesis_title)}]</b> '
            f'<span class="value">{_fmt(report.credence)}</span>'
            f" <span>{e(interval)} · {e(report.semantics)} semantics · {report.samples} samples</span></p>"
        )
        out.extend(_rests_on(report.bottom_line))
        out.extend(_semantics_table(report))
    out.extend(f'<p class="note">{e(note)}</p>' for note in report.map.notes)
    out.append("</section>")
    return "\n".join(out)


def _semantics_table(report: ReportData) -> list[str]:
    if not report.all_semantics:
        return []
    e = html.escape
    out = ["<table><tr><th>semantics</th><th>credence</th><th>90% interval</th></tr>"]
    for name, (value, iv) in report.all_semantics.items():
        iv_text = f"[{iv[0]:.3f}, {iv[1]:.3f}]" if iv else ""
        cur = ' class="cur"' if name == report.semantics else ""
        out.append(
            f"<tr{cur}><td>{e(name)}</td><td class=num>{_fmt(value)}</td><td class=num>{iv_text}</td></tr>"
        )
    out.append("</table>")
    values = [v for v, _ in report.all_semantics.values() if v is not None]
    if values:
        out.append(
            f"<p>Spread between semantics: {max(values) - min(values):.3f} "
            "(model uncertainty, beyond the inputs').</p>"
        )
    return out


def _cruxes_section(report: ReportData) -> str:
    if not report.cruxes or report.credence is None:
        return ""
    e = html.escape
    out = [
        '<section id="cruxes"><h2>Cruxes</h2><p>The inputs whose uncertainty moves the thesis most: '
        "each bar spans the thesis's credence with that input at the two ends of its 90% interval, "
        "the others held at their stated values. The purple bars are the model choices on the same "
        "axis: the thesis under every semantics, and over the correlation rho from 0 to 1.</p>",
        f'<figure class="plot">{tornado_svg(report.cruxes, report.credence, report.bottom_line)}</figure>',
        "<table><tr><th>input</th><th>value</th><th>thesis swing</th><th>Sobol</th>"
        "<th>crosses 0.5 at</th></tr>",
    ]
    for c in report.cruxes:
        sobol, cross = c.shown()
        out.append(
            f"<tr><td>{e(c.input)}</td><td class=num>{c.value:.2f}</td>"
            f"<td class=num>{c.swing[0]:.3f} – {c.swing[1]:.3f}</td><td class=num>{sobol}</td>"
            f"<td class=num>{cross}</td></tr>"
        )
    out.append("</table></section>")
    return "\n".join(out)


def _distribution_section(report: ReportData) -> str:
    if not report.thesis_samples:
        return ""
    plot = distribution_svg(report.thesis_samples, report.credence, report.interval)
    return (
        '<section id="distribution"><h2>Uncertainty of the thesis</h2><p>Every stated credence and '
        "inference strength drawn from a Beta distribution around its value; the thesis "
        f"re-scored {len(report.thesis_samples)} times.</p>\n"
        f'<figure class="plot">{plot}</figure></section>'
    )


def _moved_section(report: ReportData) -> str:
    if not report.moved_source:
        return ""
    e = html.escape
    out = [f'<section id="moved"><h2>What moved</h2><p>{e(report.moved_source)}.</p>']
    if report.moved:
        out.append(f'<figure class="plot">{moved_svg(report.moved)}</figure>')
        out.append("<table><tr><th>claim</th><th>before</th><th>after</th><th>change</th></tr>")
        for m in report.moved[:50]:
            out.append(
                f"<tr><td>{e(m.title)}</td><td class=num>{_fmt(m.before)}</td>"
                f"<td class=num>{_fmt(m.after)}</td><td class=num>{m.delta:+.3f}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>No claim moved by more than 0.005.</p>")
    out.append("</section>")
    return "\n".join(out)


def _evidence_section(data: MapData) -> str:
    e = html.escape
    rows = [(claim, v) for claim, verdicts in data.evidence.items() for v in verdicts]
    if not rows:
        return '<section id="evidence"><h2>Evidence</h2><p>No quotes to check.</p></section>'
    counts: dict[str, int] = {}
    for _, v in rows:
        counts[v["status"]] = counts.get(v["status"], 0) + 1
    summary = ", ".join(f"{n} {EVIDENCE_BADGES.get(s, ('', s))[1]}" for s, n in sorted(counts.items()))
    out = [
        f'<section id="evidence"><h2>Evidence</h2><p>{len(rows)} quotes: {e(summary)}.</p>',
        '<table class="evidence"><colgroup><col style="width:5%"><col style="width:21%">'
        '<col style="width:35%"><col style="width:11%"><col style="width:28%"></colgroup>'
        "<tr><th>line</th><th>claim</th><th>source</th><th>verdict</th><th>detail</th></tr>",
    ]
    for claim, v in sorted(rows, key=lambda r: r[1]["line"]):
        where = v["file"] + (f"#{v['fragment']}" if v["fragment"] else "")
        detail = []
        if v.get("actual") and v["status"] != "exact":
            detail.append(f"found at L{v['actual'][0]}-L{v['actual'][1]}")
        if v.get("score") and v["status"] != "exact":
            detail.append(f"score {v['score']}")
        if v.get("message"):
            detail.append(v["message"])
        label = EVIDENCE_BADGES.get(v["status"], ("?", v["status"]))
        out.append(
            f"<tr><td class=num>{v['line']}</td><td>{e(claim)}</td><td><code>{e(where)}</code></td>"
            f'<td><span class="verdict ev-{e(v["status"])}">{e(label[0] + " " + label[1])}</span></td>'
            f"<td>{e('; '.join(detail))}</td></tr>"
        )
    out.append("</table></section>")
    return "".join(out)


def _diagnostics_section(diagnostics: list[Diagnostic]) -> str:
    e = html.escape
    if not diagnostics:
        return '<section id="diagnostics"><h2>Diagnostics</h2><p>No findings.</p></section>'
    out = [
        '<section id="diagnostics"><h2>Diagnostics</h2>',
        "<table><tr><th>line</th><th>code</th><th>level</th><th>message</th></tr>",
    ]
    for d in diagnostics:
        hint = f"<br><small>{e(d.hint)}</small>" if d.hint else ""
        out.append(
            f"<tr><td class=num>{d.line}</td><td><code>{e(d.code)}</code></td>"
            f'<td class="lv-{d.level.value}">{d.level.value}</td><td>{e(d.message)}{hint}</td></tr>'
        )
    out.append("</table></section>")
    return "".join(out)


_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
    '<meta name="generator" content="argmap">\n<title>{title} - argmap report</title>\n'
    '<link rel="icon" href="data:,">\n<style>'
    + "{css}\n{svg_css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
)


# --- experiment curves (`argmap report RESULTS_FOLDER`) -----------------------------------------

ARM_COLOURS = ("#2563eb", "#d97706", "#059669", "#7c3aed", "#dc2626", "#0891b2")


@dataclass
class CurveSet:
    """The curves of one arm of one result: step -> values over the seeds, per key."""

    arm: str
    points: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    seeds: int = 0

    def band(self, key: str) -> tuple[list[int], list[float], list[float], list[float]]:
        """(steps, mean, low, high) over the seeds at each step: the mean and the spread
        (lowest and highest seed)."""
        by_step = self.points.get(key, {})
        steps = sorted(by_step)
        means = [sum(by_step[s]) / len(by_step[s]) for s in steps]
        return steps, means, [min(by_step[s]) for s in steps], [max(by_step[s]) for s in steps]


def read_curve(path: Path) -> list[dict[str, Any]]:
    """A trial's curve file (JSON lines); lines that do not parse are skipped."""
    points = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict) and isinstance(value.get("step"), int):
            points.append(value)
    return points


def result_curves(result_path: Path, result: dict[str, Any]) -> list[CurveSet]:
    """The curves a result links to (setup.hyperparameters.curves, relative to the result
    file), grouped by arm. Links that leave the results folder's parent are ignored."""
    root = result_path.parent.parent.resolve()
    links = result.get("setup", {}).get("hyperparameters", {}).get("curves", {})
    sets = []
    for arm, paths in links.items() if isinstance(links, dict) else []:
        curve_set = CurveSet(arm)
        for link in paths if isinstance(paths, list) else []:
            target = (result_path.parent / str(link)).resolve()
            if not target.is_relative_to(root) or not target.is_file():
                continue
            curve_set.seeds += 1
            for point in read_curve(target):
                for key, value in point.items():
                    if key != "step" and isinstance(value, (int, float)):
                        curve_set.points.setdefault(key, {}).setdefault(point["step"], []).append(
                            float(value)
                        )
        sets.append(curve_set)
    return sets


def curves_svg(sets: list[CurveSet], key: str, label: str) -> str:
    """Mean over seeds per arm as a line, the spread (lowest to highest seed) as a band."""
    figure = _figure(5.2, 3.0)
    axes = figure.add_subplot()
    for index, curve_set in enumerate(sets):
        steps, mean, low, high = curve_set.band(key)
        if not steps:
            continue
        colour = ARM_COLOURS[index % len(ARM_COLOURS)]
        axes.fill_between(steps, low, high, color=colour, alpha=0.18, linewidth=0)
        axes.plot(
            steps, mean, color=colour, linewidth=1.8, label=f"{curve_set.arm} ({curve_set.seeds} seeds)"
        )
    axes.set_xlabel("step", color=INK)
    axes.set_ylabel(label, color=INK)
    _style(axes)
    axes.legend(frameon=False, fontsize=8)
    return _svg(figure)


def render_curves_report(folder: Path) -> str:
    """An HTML page for an experiment's output folder: per result, its measurement per seed,
    the selected rates, the warnings and the validation and training-loss curves per arm."""
    e = html.escape
    out = [f"<h1>Experiment curves: {e(folder.name)}</h1>"]
    files = sorted((folder / "results").glob("*.json")) if (folder / "results").is_dir() else []
    if not files:
        out.append("<p>No results/*.json in this folder: run <code>argmap experiment run</code> first.</p>")
    for path in files:
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            out.append(f"<p>{e(path.name)}: unreadable ({e(str(exc))})</p>")
            continue
        out.append(_result_section(path, result))
    return _PAGE.format(
        csp=CSP, title=e(folder.name), body="\n".join(out), css=_asset("report.css"), svg_css=""
    )


def _result_section(path: Path, result: dict[str, Any]) -> str:
    e = html.escape
    comparison = result.get("comparison", {})
    hyper = result.get("setup", {}).get("hyperparameters", {})
    measure = str(comparison.get("metric", ""))
    out = [
        f"<section><h2>[{e(str(result.get('claim', '')))}]</h2>",
        f'<p class="meta">{e(path.name)} · {e(str(comparison.get("method")))} vs '
        f"{e(str(comparison.get('baseline')))} on <b>{e(measure)}</b> "
        f"({e(str(comparison.get('direction', '')))} is better)</p>",
    ]
    if hyper.get("rationale"):
        out.append(f"<p>Why this measurement: {e(str(hyper['rationale']))}</p>")
    out.append("<table><tr><th>arm</th><th>selected rate</th><th>per seed</th><th>mean</th></tr>")
    for arm, values in (hyper.get("per_seed") or {}).items():
        numbers = [sum(v) / len(v) for v in values.values() if v]
        shown = ", ".join(f"{s}: {sum(v) / len(v):.4g}" for s, v in values.items() if v)
        mean = sum(numbers) / len(numbers) if numbers else float("nan")
        rate = hyper.get("selected_learning_rates", {}).get(arm)
        out.append(
            f"<tr><td>{e(arm)}</td><td class=num>{e(str(rate))}</td><td>{e(shown)}</td>"
            f"<td class=num>{mean:.4g}</td></tr>"
        )
    out.append("</table>")
    for warning in hyper.get("warnings") or []:
        out.append(f"<p class=warn>{e(str(warning.get('code')))}: {e(str(warning.get('message')))}</p>")
    sets = result_curves(path, result)
    plots = [
        ("val_acc", "validation accuracy"),
        ("val_loss", "validation loss"),
        ("train_loss", "training loss"),
    ]
    for key, label in plots:
        if any(s.points.get(key) for s in sets):
            out.append(f'<figure class="plot">{curves_svg(sets, key, label)}</figure>')
    out.append("</section>")
    return "\n".join(out)

"""`argmap.score(...)`: the whole scoring pipeline as typed objects, for notebooks and the CLI.

`score` returns a `ScoreResult` (a pydantic model): `thesis` and each of `claims` are
`ClaimScore`s (`credence`, `interval`, `mean`, `median`, `base`), `cruxes` a list of
`Crux`, `contributions` a list of `Contribution`, `whatif` a `WhatIf`, `explanation`
an `ExplainNode` tree::

    >>> import argmap
    >>> result = argmap.score("examples/picnic/thesis.argdown", samples=2000, cruxes=3)
    >>> result.thesis.credence                  # float, at the stated values
    0.727938
    >>> lo, hi = result.thesis.interval         # 90% Monte Carlo interval
    >>> result.cruxes[0].input, result.cruxes[0].swing

`ScoreResult.to_json()` is exactly what `argmap score --format json` prints (the
schema is documented in docs/scoring.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from argmap.diagnostics import Diagnostic, Level
from argmap.engine.correlation import BottomLine
from argmap.model import Document


class ClaimScore(BaseModel):
    """One claim: `credence` is its strength at the stated inputs; `interval` the 5th-95th
    percentile over the Monte Carlo samples (None without samples)."""

    title: str
    key: str
    credence: float | None
    interval: tuple[float, float] | None = None
    mean: float | None = None
    median: float | None = None
    base: float | None = None


class Crux(BaseModel):
    """An input that matters: the tornado swing across its interval and friends."""

    input: str
    kind: str
    claim: str
    value: float
    interval: tuple[float, float]
    gradient: float
    swing: tuple[float, float]
    sobol: float | None = None
    crosses_half_at: float | None = None


class Contribution(BaseModel):
    """An argument's (or claim's) share of the thesis: removal and Shapley (Kampik et al. 2024)."""

    name: str
    removal: float
    shapley: float
    shapley_exact: bool = True


class WhatIf(BaseModel):
    set: dict[str, float] = Field(default_factory=dict)
    removed: list[str] = Field(default_factory=list)
    before: ClaimScore
    after: ClaimScore


class ExplainNode(BaseModel):
    key: str
    label: str
    relation: str = "thesis"  # thesis | support | attack | premise | undercut
    contribution: float | None = None
    base: float
    aggregate: float | None = None
    strength: float
    detail: str = ""
    children: list[ExplainNode] = Field(default_factory=list)
    repeated: bool = False


class ScoreResult(BaseModel):
    semantics: str
    path: str
    thesis: ClaimScore
    claims: dict[str, ClaimScore]
    cruxes: list[Crux] = Field(default_factory=list)
    contributions: list[Contribution] = Field(default_factory=list)
    samples: int = 0
    seed: int = 0
    concentration: float = 20.0
    converged: bool = True
    iterations: int = 0
    whatif: WhatIf | None = None
    explanation: ExplainNode | None = None
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    rho: float = 0.0
    bottom_line: BottomLine | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "semantics": self.semantics,
            "thesis": {
                "title": self.thesis.title,
                "credence": self.thesis.credence,
                "interval": list(self.thesis.interval) if self.thesis.interval else None,
                "mean": self.thesis.mean,
                "median": self.thesis.median,
            },
            "claims": {
                key: {"credence": c.credence, "interval": list(c.interval) if c.interval else None}
                for key, c in self.claims.items()
            },
            "cruxes": [c.model_dump(mode="json") for c in self.cruxes],
            "contributions": [c.model_dump(mode="json") for c in self.contributions],
            "samples": self.samples,
            "seed": self.seed,
            "concentration": self.concentration,
            "converged": self.converged,
            "diagnostics": [d.model_dump(mode="json") for d in self.diagnostics],
        }
        if self.whatif is not None:
            data["whatif"] = self.whatif.model_dump(mode="json")
        if self.explanation is not None:
            data["explanation"] = self.explanation.model_dump(mode="json")
        data["rho"] = self.rho
        if self.bottom_line is not None:
            data["bottom_line"] = self.bottom_line.model_dump(mode="json")
        return data


class ScoreError(Exception):
    """Scoring could not start (unreadable file, no thesis, bad --set): carries diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic], message: str = "") -> None:
        super().__init__(message or "; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def load_graph(
    source: str | os.PathLike[str] | Document, thesis: str | None = None
) -> tuple[Any, list[Diagnostic]]:
    """A ScoreGraph from a map path, a `.bag` path or a parsed Document."""
    from argmap.engine.mapping import document_to_graph

    if isinstance(source, Document):
        graph, diagnostics = document_to_graph(source, thesis)
        return graph, list(source.diagnostics) + diagnostics
    path = os.fspath(source)
    if Path(path).suffix.lower() == ".bag":
        from argmap.engine.qbaf import read_bag

        qbaf, diagnostics = read_bag(path)
        if any(d.level is Level.ERROR for d in diagnostics):
            raise ScoreError(diagnostics)
        return qbaf.to_graph(path, thesis), diagnostics
    from argmap.grammar import parse_file

    document = parse_file(path)
    if any(d.code.startswith("F") and d.level is Level.ERROR for d in document.diagnostics):
        raise ScoreError(list(document.diagnostics))
    graph, diagnostics = document_to_graph(document, thesis)
    return graph, list(document.diagnostics) + diagnostics


def _round(value: float | None) -> float | None:
    import math

    if value is None or not math.isfinite(value):
        return None
    return round(value, 6)


def score(
    source: str | os.PathLike[str] | Document,
    semantics: str = "logodds",
    samples: int = 10_000,
    seed: int = 0,
    concentration: float = 20.0,
    thesis: str | None = None,
    explain: bool = False,
    cruxes: int = 0,
    set_values: dict[str, float] | list[str] | None = None,
    remove: list[str] | None = None,
    graph: Any = None,
    rho: float = 0.0,
    rho_interval: tuple[float, float] | None = None,
    bottom_line: bool = False,
) -> ScoreResult:
    """Score a map (path, `.bag` path or Document) under one semantics; a typed `ScoreResult`.

    `result.thesis.credence` is the thesis's strength at the stated values (None when a
    cyclic map did not converge: then `result.diagnostics` holds C591),
    `result.thesis.interval` its 90% interval over `samples` seeded Monte Carlo draws
    (None with `samples=0`), `result.claims[title]` the same for every claim,
    `result.cruxes` / `result.contributions` the top `cruxes` inputs and arguments.
    `set_values` ({"Forecast": 0.5} or ["Forecast=0.5"]) and `remove` (["<Clear Sky Now>"])
    fill `result.whatif` with before and after. `rho` (with an optional 90% `rho_interval`)
    is the correlation among co-target arguments (argmap/engine/correlation.py);
    `bottom_line=True` fills `result.bottom_line` (every semantics, the rho sweep).
    Raises `ScoreError` (with diagnostics) when there is nothing to score. See docs/scoring.md.
    """
    import numpy as np

    from argmap.engine import montecarlo, whatif
    from argmap.engine import semantics as registry
    from argmap.engine.evaluate import Compiled, evaluate, point_params

    sem = registry.get(semantics)
    diagnostics: list[Diagnostic] = []
    if graph is None:
        graph, diagnostics = load_graph(source, thesis)
    if graph.thesis is None:
        raise ScoreError([d for d in diagnostics if d.code == "C590"] or diagnostics)
    from argmap.engine.correlation import set_rho

    set_rho(graph, rho, rho_interval)
    compiled = Compiled(graph)
    t = graph.thesis

    assignments: dict[str, float] = {}
    for item in (
        set_values.items()
        if isinstance(set_values, dict)
        else (whatif.parse_assignment(s) for s in set_values or [])
    ):
        assignments[item[0]] = item[1]
    overrides = {whatif.resolve_set(graph, name): value for name, value in assignments.items()}
    removed_edges = sorted({i for name in remove or [] for i in whatif.resolve_remove(graph, name)})
    mask = None
    if removed_edges:
        mask = np.ones((compiled.n_edges, 1))
        mask[removed_edges] = 0.0
    means = point_params(compiled, overrides)[:, 0]

    point = evaluate(compiled, sem, means[:, None], mask)
    strengths = point.strengths[:, 0]
    if not point.converged:
        diagnostics.append(
            Diagnostic(
                code="C591",
                level=Level.ERROR,
                file=graph.path,
                line=1,
                column=1,
                end_line=1,
                end_column=2,
                message=f"{semantics} did not converge on this cyclic map ({point.iterations} iterations, "
                f"last change {point.residual:.2g})",
                hint="try another --semantics (logodds and qe converge on most cycles) or break the cycle",
            )
        )
    mc = None
    if samples > 0 and point.converged:
        mc = montecarlo.propagate(compiled, sem, samples, seed, concentration, t, mask, means)
    bases = compiled.bases(means[:, None], point.strengths, mask)[:, 0]

    def claim(i: int) -> ClaimScore:
        node = graph.nodes[i]
        interval = mean = median = None
        values = None
        if mc is not None:
            values = mc.thesis if i == t else (mc.claims[i] if mc.claims is not None else None)
        if values is not None:
            m, med, lo, hi = montecarlo.summary(values)
            interval, mean, median = (round(lo, 6), round(hi, 6)), _round(m), _round(med)
        title = node.title
        return ClaimScore(
            title=title,
            key=node.key,
            credence=_round(float(strengths[i])),
            interval=interval,
            mean=mean,
            median=median,
            base=_round(float(bases[i])),
        )

    claims = {(n.title if n.kind != "argument" else n.key): claim(i) for i, n in enumerate(graph.nodes)}
    result = ScoreResult(
        semantics=sem.name,
        path=graph.path,
        thesis=claim(t),
        claims=claims,
        samples=samples if mc is not None else 0,
        seed=seed,
        concentration=concentration,
        converged=point.converged,
        iterations=point.iterations,
        diagnostics=diagnostics,
        rho=rho,
    )
    if bottom_line and point.converged:
        from argmap.engine.correlation import bottom_line as make_bottom_line

        thesis_score = result.thesis
        result.bottom_line = make_bottom_line(
            compiled, sem.name, means, mask, thesis_score.credence, thesis_score.interval
        )
    if assignments or removed_edges:
        before = score(
            source,
            semantics,
            samples,
            seed,
            concentration,
            thesis,
            graph=graph,
            rho=rho,
            rho_interval=rho_interval,
        )
        result.whatif = WhatIf(
            set=assignments, removed=list(remove or []), before=before.thesis, after=result.thesis
        )
    if point.converged and cruxes > 0:
        from argmap.engine import cruxes as crux_module

        result.cruxes = crux_module.rank_inputs(compiled, sem, means, mask, cruxes, concentration, mc)
        result.contributions = crux_module.contributions(compiled, sem, means, mask, cruxes, seed)
    if point.converged and explain:
        from argmap.engine.explain import explain_tree

        result.explanation = explain_tree(compiled, sem, means, mask)
    return result


def score_all(source: str | os.PathLike[str] | Document, **options: Any) -> dict[str, ScoreResult]:
    """Every semantics side by side (the model uncertainty)."""
    from argmap.engine import semantics as registry

    graph, diagnostics = (
        load_graph(source, options.pop("thesis", None))
        if options.get("graph") is None
        else (options.pop("graph"), [])
    )
    results = {}
    for name in registry.NAMES:
        result = score(source, semantics=name, graph=graph, **options)
        result.diagnostics = diagnostics + result.diagnostics
        results[name] = result
    return results

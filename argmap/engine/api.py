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

from argmap.diagnostics import Diagnostic, Level
from argmap.engine.types import (
    ClaimScore,
    Contribution,
    Crux,
    ExplainNode,
    ScoreError,
    ScoreResult,
    WhatIf,
)
from argmap.model import Document

__all__ = [
    "ClaimScore",
    "Contribution",
    "Crux",
    "ExplainNode",
    "ScoreError",
    "ScoreResult",
    "WhatIf",
    "load_graph",
    "score",
    "score_all",
]


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
) -> ScoreResult:
    """Score a map (path, `.bag` path or Document) under one semantics; a typed `ScoreResult`.

    `result.thesis.credence` is the thesis's strength at the stated values (None when a
    cyclic map did not converge: then `result.diagnostics` holds C591),
    `result.thesis.interval` its 90% interval over `samples` seeded Monte Carlo draws
    (None with `samples=0`), `result.claims[title]` the same for every claim,
    `result.cruxes` / `result.contributions` the top `cruxes` inputs and arguments.
    `set_values` ({"Forecast": 0.5} or ["Forecast=0.5"]) and `remove` (["<Clear Sky Now>"])
    fill `result.whatif` with before and after. Raises `ScoreError` (with diagnostics)
    when there is nothing to score. See docs/scoring.md.
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
    )
    if assignments or removed_edges:
        before = score(source, semantics, samples, seed, concentration, thesis, graph=graph)
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
    for name in registry.names():
        result = score(source, semantics=name, graph=graph, **options)
        result.diagnostics = diagnostics + result.diagnostics
        results[name] = result
    return results

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
from argmap.engine import DEFAULT_SEMANTICS
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
    # a file-stage error stops scoring (invalid UTF-8, F003, is a warning: that text was
    # read with U+FFFD in place of the bad bytes and is scored, as `check` checks it)
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
    semantics: str = DEFAULT_SEMANTICS,
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
    fill `result.whatif`. `rho` (optional 90% `rho_interval`) is the correlation among co-target
    arguments (engine/correlation.py); `bottom_line=True` fills `result.bottom_line` (every
    semantics, the rho sweep). Raises `ScoreError` when there is nothing to score (docs/scoring.md).
    """
    from argmap.engine import semantics as registry
    from argmap.engine.correlation import set_rho
    from argmap.engine.evaluate import Compiled, evaluate, point_params

    sem = registry.get(semantics)
    diagnostics: list[Diagnostic] = []
    if graph is None:
        graph, diagnostics = load_graph(source, thesis)
    if graph.thesis is None:
        raise ScoreError([d for d in diagnostics if d.code == "C590"] or diagnostics)
    set_rho(graph, rho, rho_interval)
    compiled = Compiled(graph)
    assignments, mask = _what_if(graph, compiled, set_values, remove)
    means = point_params(compiled, {_resolve(graph, n): v for n, v in assignments.items()})[:, 0]
    point = evaluate(compiled, sem, means[:, None], mask)
    if not point.converged:
        diagnostics.append(_not_converged(graph.path, semantics, point))
    mc = _monte_carlo(compiled, sem, samples, seed, concentration, mask, means) if point.converged else None
    claim = _claim_scores(graph, compiled, point, means, mask, mc)
    result = ScoreResult(
        semantics=sem.name,
        path=graph.path,
        thesis=claim(graph.thesis),
        claims={(n.title if n.kind != "argument" else n.key): claim(i) for i, n in enumerate(graph.nodes)},
        samples=samples if mc is not None else 0,
        seed=seed,
        concentration=concentration,
        converged=point.converged,
        iterations=point.iterations,
        diagnostics=diagnostics,
        rho=rho,
    )
    if bottom_line and point.converged:
        result.bottom_line = _bottom_line(result, compiled, means, mask)
    if assignments or mask is not None:
        again = (source, semantics, samples, seed, concentration, thesis)
        before = score(*again, graph=graph, rho=rho, rho_interval=rho_interval)
        result.whatif = WhatIf(
            set=assignments, removed=list(remove or []), before=before.thesis, after=result.thesis
        )
    if point.converged:
        _analyses(result, compiled, sem, means, mask, mc, cruxes, explain, seed)
    return result


def _monte_carlo(
    compiled: Any, sem: Any, samples: int, seed: int, concentration: float, mask: Any, means: Any
) -> Any:
    """The seeded Monte Carlo propagation (None without samples)."""
    if samples <= 0:
        return None
    from argmap.engine import montecarlo

    return montecarlo.propagate(
        compiled, sem, samples, seed, concentration, compiled.graph.thesis, mask, means
    )


def _bottom_line(result: ScoreResult, compiled: Any, means: Any, mask: Any) -> Any:
    from argmap.engine.correlation import bottom_line

    return bottom_line(
        compiled, result.semantics, means, mask, result.thesis.credence, result.thesis.interval
    )


def _resolve(graph: Any, name: str) -> int:
    from argmap.engine import whatif

    return whatif.resolve_set(graph, name)


def _what_if(
    graph: Any, compiled: Any, set_values: dict[str, float] | list[str] | None, remove: list[str] | None
) -> tuple[dict[str, float], Any]:
    """`--set` as {name: value}, and `--remove` as an edge mask (None when nothing is removed)."""
    import numpy as np

    from argmap.engine import whatif

    if isinstance(set_values, dict):
        assignments = dict(set_values)
    else:
        assignments = dict(whatif.parse_assignment(s) for s in set_values or [])
    removed_edges = sorted({i for name in remove or [] for i in whatif.resolve_remove(graph, name)})
    mask = None
    if removed_edges:
        mask = np.ones((compiled.n_edges, 1))
        mask[removed_edges] = 0.0
    return assignments, mask


def _not_converged(path: str, semantics: str, point: Any) -> Diagnostic:
    return Diagnostic.at(
        "C591",
        Level.ERROR,
        f"{semantics} did not converge on this cyclic map ({point.iterations} iterations, "
        f"last change {point.residual:.2g})",
        path,
        None,
        "try another --semantics (logodds and qe converge on most cycles) or break the cycle",
    )


def _claim_scores(graph: Any, compiled: Any, point: Any, means: Any, mask: Any, mc: Any) -> Any:
    """A function from a node to its `ClaimScore` (value, interval, mean, median, base)."""
    from argmap.engine import montecarlo

    strengths = point.strengths[:, 0]
    bases = compiled.bases(means[:, None], point.strengths, mask)[:, 0]

    def claim(i: int) -> ClaimScore:
        node = graph.nodes[i]
        interval = mean = median = None
        values = None
        if mc is not None:
            values = mc.thesis if i == graph.thesis else (mc.claims[i] if mc.claims is not None else None)
        if values is not None:
            m, med, lo, hi = montecarlo.summary(values)
            interval, mean, median = (round(lo, 6), round(hi, 6)), _round(m), _round(med)
        return ClaimScore(
            title=node.title,
            key=node.key,
            credence=_round(float(strengths[i])),
            interval=interval,
            mean=mean,
            median=median,
            base=_round(float(bases[i])),
        )

    return claim


def _analyses(
    result: ScoreResult,
    compiled: Any,
    sem: Any,
    means: Any,
    mask: Any,
    mc: Any,
    cruxes: int,
    explain: bool,
    seed: int,
) -> None:
    """`--cruxes K` and `--explain`, on a converged map."""
    if cruxes > 0:
        from argmap.engine import cruxes as crux_module

        result.cruxes = crux_module.rank_inputs(compiled, sem, means, mask, cruxes, result.concentration, mc)
        result.contributions = crux_module.contributions(compiled, sem, means, mask, cruxes, seed)
    if explain:
        from argmap.engine.explain import explain_tree

        result.explanation = explain_tree(compiled, sem, means, mask)


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

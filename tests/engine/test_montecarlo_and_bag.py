"""Monte Carlo against analytic values; the .bag reader's diagnostics; cruxes sanity."""

from __future__ import annotations

import numpy as np
import pytest

from argmap.engine.api import score
from argmap.engine.evaluate import Compiled
from argmap.engine.montecarlo import propagate
from argmap.engine.qbaf import parse_bag
from argmap.engine.semantics import get
from argmap.grammar import parse_text

CHAIN = """[T]: thesis.
  + <A>

<A>

(1) [P]: p. {credence: 0.8}
(2) [Q]: q. {credence: 0.6}
----
(3) [C]: c. {inference: 0.7}
  +> [T]
"""


def test_product_of_independent_betas_has_the_product_mean() -> None:
    # E[P Q I] = E[P] E[Q] E[I] = 0.8 * 0.6 * 0.7 = 0.336 for independent Betas
    result = score(parse_text(CHAIN), samples=20_000, seed=1)
    c = result.claims["C"]
    assert c.mean == pytest.approx(0.336, abs=0.004)  # SE ~ 0.0008; 5 SE
    assert c.credence == pytest.approx(0.336, abs=1e-6)


def test_beta_mean_and_variance_of_an_input() -> None:
    # a single premise with concentration k: Var = m (1 - m) / (k + 1)
    graph_result = score(parse_text("[T]: t.\n  + [P]\n\n[P]: p. {credence: 0.7}\n"), samples=0)
    assert graph_result.thesis.credence is not None
    from argmap.engine.api import load_graph

    graph, _ = load_graph(parse_text("[T]: t.\n  + [P]\n\n[P]: p. {credence: 0.7}\n"))
    compiled = Compiled(graph)
    mc = propagate(compiled, get("logodds"), 40_000, 3, 20.0, graph.thesis)
    assert mc.params[0].mean() == pytest.approx(0.7, abs=0.003)
    assert mc.params[0].var() == pytest.approx(0.7 * 0.3 / 21, rel=0.05)


def test_interval_sets_the_spread() -> None:
    text = "[T]: t.\n  + [P]\n\n[P]: p. {credence: 0.7, interval: [0.6, 0.8]}\n"
    result = score(parse_text(text), samples=20_000, seed=2)
    lo, hi = result.claims["P"].interval  # type: ignore[misc]
    assert lo == pytest.approx(0.6, abs=0.015) and hi == pytest.approx(0.8, abs=0.015)


def test_seeded_samples_repeat() -> None:
    a = score(parse_text(CHAIN), samples=1000, seed=5)
    b = score(parse_text(CHAIN), samples=1000, seed=5)
    assert a.thesis.interval == b.thesis.interval


def test_bag_diagnostics() -> None:
    text = "arg(a, 0.5).\narg(a, 0.4).\narg(b, 1.5).\natt(c, a).\nfoo(a).\nsup(a b).\nnot a fact\n"
    _, diagnostics = parse_bag(text, "x.bag")
    codes = [(d.code, d.line) for d in diagnostics]
    assert ("B104", 2) in codes
    assert ("B103", 3) in codes
    assert ("B102", 5) in codes
    assert ("B101", 6) in codes
    assert ("B101", 7) in codes
    assert ("B105", 4) in codes


def test_bag_forward_references_and_comments() -> None:
    qbaf, diagnostics = parse_bag("att(b, a). % b attacks a\narg(a, 0.5). arg(b, 0.25)\n")
    assert diagnostics == []
    assert qbaf.attacks == [("b", "a")] and qbaf.arguments == {"a": 0.5, "b": 0.25}


def test_cruxes_and_shapley_on_independent_supporters() -> None:
    # Shapley values are efficient: they sum to thesis(all players) - thesis(no player),
    # and with no player the thesis is its prior, 0.5.
    text = (
        "[T]: t.\n  + [P]\n  + [Q]\n  - [R]\n\n[P]: p. {credence: 0.7}\n\n[Q]: q. {credence: 0.4}\n"
        "\n[R]: r. {credence: 0.6}\n"
    )
    result = score(parse_text(text), samples=2000, cruxes=3)
    total = sum(c.shapley for c in result.contributions)
    assert result.thesis.credence is not None
    assert total == pytest.approx(result.thesis.credence - 0.5, abs=1e-5)
    assert {c.input for c in result.cruxes} == {"[P]", "[Q]", "[R]"}
    first = result.cruxes[0]
    assert first.swing[0] <= first.swing[1] or first.gradient < 0
    assert all(c.sobol is None or 0.0 <= c.sobol <= 1.0 for c in result.cruxes)
    assert np.isfinite(first.gradient)

"""Cycles (converging and not) and `{uses: [...]}` on an inference."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from argmap.engine import evaluate as evaluate_module
from argmap.engine import semantics as registry
from argmap.engine.api import score
from argmap.engine.evaluate import Aggregates, Array, Compiled, evaluate, point_params
from argmap.engine.qbaf import parse_bag
from argmap.grammar import parse_text

RING = "arg(a, 0.9). arg(b, 0.5). arg(c, 0.1).\natt(a, b). att(b, c). att(c, a).\n"


class SteepInverter:
    """A test-only semantics with a limit cycle: strength = sigmoid(40 (0.5 - attack)).
    Three such inverters in a ring are a ring oscillator (loop gain 10^3 >> 8, the
    secant condition for a 3-loop), so neither Jacobi steps nor the continuous
    dynamics settle from an asymmetric start: the symmetric fixpoint 0.5 is unstable."""

    name = "steep"
    title = "steep inverter (test only)"

    def combine(self, base: Array, agg: Aggregates) -> Array:
        out: Array = 1.0 / (1.0 + np.exp(-40.0 * (0.5 - agg.sum_attack)))
        return out


def test_non_converging_cycle_gives_no_number() -> None:
    qbaf, _ = parse_bag(RING)
    compiled = Compiled(qbaf.to_graph())
    assert not compiled.acyclic
    result = evaluate(compiled, SteepInverter(), point_params(compiled), max_iterations=50)
    assert not result.converged
    assert np.isnan(result.strengths).all()  # no wrong number


def test_non_converging_cycle_is_diagnostic_c591(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bag = tmp_path / "ring.bag"
    bag.write_text(RING, encoding="utf-8")
    monkeypatch.setattr(evaluate_module, "MAX_ITERATIONS", 50)  # keep the test fast
    monkeypatch.setattr(registry, "get", lambda name: SteepInverter())
    result = score(bag, semantics="steep", samples=100)
    assert not result.converged
    assert result.thesis.credence is None and result.thesis.interval is None
    assert [d.code for d in result.diagnostics] == ["C591"]
    from argmap.cli.app import app

    cli = CliRunner().invoke(app, ["score", str(bag), "--samples", "0"])
    assert cli.exit_code == 1
    assert "C591" in cli.output and "did not converge" in cli.output


MUTUAL = """[A]: a. {credence: 0.6}
  + [B]

[B]: b.
  + [A]
"""


def test_cyclic_map_converges_dfquad_closed_form() -> None:
    # DF-QuAD (Rago et al. 2016), supporters only: s = b + (1 - b) v_s with v_s the one
    # supporter's strength. a = 0.6 + 0.4 b, b = 0.5 + 0.5 a  =>  a = 0.8 + 0.2 a  =>  a = b = 1.
    result = score(parse_text(MUTUAL), semantics="dfquad", samples=0, thesis="A")
    assert result.converged
    assert result.claims["A"].credence == pytest.approx(1.0, abs=1e-6)
    assert result.claims["B"].credence == pytest.approx(1.0, abs=1e-6)


def test_cyclic_map_converges_logodds_fixpoint() -> None:
    # logodds (Potyka 2021): a = sigmoid(logit 0.6 + b), b = sigmoid(0 + a). The fixpoint
    # is the root of g(a) = sigmoid(logit 0.6 + sigmoid(a)) - a, found here by bisection
    # on that scalar equation (not by the engine's iteration).
    def g(a: float) -> float:
        return 1 / (1 + math.exp(-(math.log(1.5) + 1 / (1 + math.exp(-a))))) - a

    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if g(mid) > 0 else (lo, mid)
    a = lo
    b = 1 / (1 + math.exp(-a))
    result = score(parse_text(MUTUAL), samples=500, thesis="A")
    assert result.converged and result.iterations > 1
    assert result.claims["A"].credence == pytest.approx(a, abs=1e-6)
    assert result.claims["B"].credence == pytest.approx(b, abs=1e-6)
    # check: b = sigmoid(0.74726) = 1 / (1 + 0.47366) = 0.67858;
    # sigmoid(0.405465 + 0.67858) = 1 / (1 + e^-1.08405) = 1 / 1.33821 = 0.74727
    assert a == pytest.approx(0.74727, abs=1e-4)
    assert result.thesis.interval is not None


USES = """[T]: thesis.
  + <A>

<A>

(1) [P]: p. {{credence: 0.9}}
(2) [Q]: q. {{credence: 0.5}}
{inference}
(3) [C]: c. {{inference: 0.8}}
  +> [T]
"""


def test_uses_selects_the_premises_of_an_inference() -> None:
    # default: every line above: 0.9 x 0.5 x 0.8 = 0.36; `{uses: [1]}`: 0.9 x 0.8 = 0.72
    plain = score(parse_text(USES.format(inference="----")), samples=0)
    assert plain.claims["C"].credence == pytest.approx(0.36, abs=1e-9)
    used = score(parse_text(USES.format(inference="-- by the bulletin {uses: [1]} --")), samples=0)
    assert used.claims["C"].credence == pytest.approx(0.72, abs=1e-9)
    # Q is no longer an input of anything: it does not become a claim of the graph
    assert "Q" in plain.claims and "Q" not in used.claims

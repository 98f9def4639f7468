"""Coherence rules C501-C504: each fires on a bad map and stays silent on a fixed one.

Expected numbers are derived by hand with the default semantics (logodds, Potyka
2021): strength = sigmoid(logit(base) + sum(supporters) - sum(attackers)), a claim
without a number starting from prior 0.5 (logit 0).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from argmap.config import Settings, find_config, load_settings
from argmap.engine.mapping import document_to_graph
from argmap.engine.pointvalue import logodds_strengths
from argmap.grammar import parse_text
from argmap.rules import get_rule
from tests.maps import UNDERCUT
from tests.rules.helpers import findings

STRICT = "===\nmodel:\n    mode: strict\n===\n\n"


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def coded(text: str, code: str, settings: Settings | None = None) -> list[str]:
    return [d.message for d in findings(text, settings) if d.code == code]


# ---- C501: A entails B, B scores below A ----------------------------------------------------


def entails(a: float) -> str:
    return STRICT + f"[A]: a. {{credence: {a}}}\n  +> [B]\n\n[B]: b.\n"


def test_c501_fires_when_the_entailed_claim_scores_lower() -> None:
    # B = sigmoid(0 + 0.8) = 0.689974 < 0.8 - 0.05
    messages = coded(entails(0.8), "C501")
    assert messages == ["[A] entails [B], but [B] scores 0.690, below [A]'s 0.800"]
    assert sigmoid(0.8) == pytest.approx(0.689974, abs=1e-6)


def test_c501_silent_when_coherent_or_within_tolerance() -> None:
    # B = sigmoid(0.6) = 0.645656 >= 0.6 - 0.05
    assert coded(entails(0.6), "C501") == []
    # the 0.110 shortfall of 0.8 / 0.690 is inside a tolerance of 0.15
    assert coded(entails(0.8), "C501", Settings(evidence=False, coherence_tolerance=0.15)) == []


# ---- C502: contraries above 1 -----------------------------------------------------------------


def contrary(b: float) -> str:
    return STRICT + f"[A]: a. {{credence: 0.7}}\n  - [B]: b. {{credence: {b}}}\n"


def test_c502_fires_when_contraries_sum_above_one() -> None:
    # B (0.6) attacks A: A = sigmoid(logit 0.7 - 0.6) = sigmoid(0.247298) = 0.561511;
    # 0.561511 + 0.6 = 1.161511 > 1.05
    assert sigmoid(logit(0.7) - 0.6) == pytest.approx(0.561511, abs=1e-6)
    messages = coded(contrary(0.6), "C502")
    assert len(messages) == 1
    assert "sum to 1.162 (0.600 + 0.562)" in messages[0] or "sum to 1.162 (0.562 + 0.600)" in messages[0]


def test_c502_silent_when_contraries_leave_room() -> None:
    # A = sigmoid(0.847298 - 0.3) = 0.633504; 0.633504 + 0.3 = 0.93 <= 1.05
    assert coded(contrary(0.3), "C502") == []


# ---- C503: contradictories not summing to 1 ---------------------------------------------------


def contradiction(a: float, b: float) -> str:
    return f"[A]: a. {{credence: {a}}}\n  >< [B]: b. {{credence: {b}}}\n"


def test_c503_fires_when_contradictories_leave_room_for_neither() -> None:
    # the picnic's old slip: 0.5 + 0.3 = 0.8 (the attack standing in for `><` is undone)
    messages = coded(contradiction(0.5, 0.3), "C503")
    assert len(messages) == 1 and "sum to 0.800" in messages[0]
    assert coded(contradiction(0.9, 0.6), "C503") != []  # 1.5: both rated too high


def test_c503_silent_on_coherent_contradictories() -> None:
    # 0.7 + 0.3 = 1. The engine's attack pushes the target to sigmoid(logit 0.3 - 0.7)
    # = 0.175; comparing that would report 0.875 - the rule compares the credences
    # before the attack that only stands in for the constraint.
    assert coded(contradiction(0.7, 0.3), "C503") == []
    assert coded(contradiction(0.72, 0.3), "C503") == []  # 1.02: within 0.05


# ---- C504: a stated credence on a computed claim ----------------------------------------------

COMPUTED = """[T]: thesis.
  + <A>

<A>

(1) [P]: p. {{credence: 0.9}}
----
(2) [C]: c. {{inference: 0.8}}
  +> [T]

[C]: c.{extra}
"""


def test_c504_fires_on_a_credence_elsewhere_on_a_concluded_claim() -> None:
    found = [d for d in findings(COMPUTED.format(extra=" {credence: 0.7}")) if d.code == "C504"]
    assert [d.message for d in found] == [
        "[C] states credence 0.7, but its credence is computed from <A>; the stated number is ignored"
    ]
    assert found[0].line == 11


def test_c504_silent_without_it_and_leaves_the_conclusion_line_to_v207() -> None:
    assert coded(COMPUTED.format(extra=""), "C504") == []
    on_conclusion = COMPUTED.format(extra="").replace("{inference: 0.8}", "{credence: 0.7}")
    codes = [d.code for d in findings(on_conclusion)]
    assert "V207" in codes and "C504" not in codes


def test_c504_covers_intermediate_conclusions_and_names_the_first_argument() -> None:
    text = """[T]: thesis.

<A>

(1) [P]: p. {credence: 0.9}
----
(2) [M]: an intermediate step. {inference: 0.9}
(3) [Q]: q. {credence: 0.8}
----
(4) [C]: c. {inference: 0.8}
  +> [T]

<B>

(1) [M] {credence: 0.6}
----
(2) [C] {inference: 0.7}

[C]: c. {credence: 0.5}
"""
    found = [d for d in findings(text) if d.code == "C504"]
    assert [(d.line, d.message) for d in found] == [
        (15, "[M] states credence 0.6, but its credence is computed from <A>; the stated number is ignored"),
        (19, "[C] states credence 0.5, but its credence is computed from <A>; the stated number is ignored"),
    ]


# ---- the numbers, configuration, documentation ------------------------------------------------


def _strengths(text: str) -> dict[str, float]:
    """Each claim's pure-Python strength, by node key."""
    graph, _ = document_to_graph(parse_text(text))
    values = logodds_strengths(graph)
    assert values is not None
    return {node.key: v for node, v in zip(graph.nodes, values, strict=True)}


def test_pure_python_strengths_by_hand() -> None:
    # P = 0.9, inference 0.8, undercut by D = 0.7 x 0.9 = 0.63:
    # C = 0.9 x 0.8 x (1 - 0.63) = 0.2664; T = sigmoid(0 + 0.2664) = 0.566209
    s = _strengths(UNDERCUT)
    assert s["[C]"] == pytest.approx(0.2664, abs=1e-9)
    assert s["[D]"] == pytest.approx(0.63, abs=1e-9)
    assert s["[T]"] == pytest.approx(0.566209, abs=1e-6)


def test_pure_python_strengths_on_a_cycle_reach_the_fixpoint() -> None:
    # A and B attack each other, both from prior 0.5: a = sigmoid(-b), b = sigmoid(-a);
    # the symmetric fixpoint x = 1 / (1 + e^x) is x = 0.401058 (bisection by hand:
    # f(0.4) = 0.4013 > 0.4, f(0.402) = 0.4008 < 0.402).
    graph, _ = document_to_graph(parse_text("[A]: a.\n  - [B]\n\n[B]: b.\n  - [A]\n"))
    values = logodds_strengths(graph)
    assert values is not None
    assert values == pytest.approx([0.401058, 0.401058], abs=1e-6)


CHAINS = (
    STRICT
    + """[T]: thesis.
  + [E]: entailed claim.
    - [X]: attacker. {credence: 0.7}
      - [Y]: attacks the attacker. {credence: 0.4}
        + [Z]: supports that. {credence: 0.9}
  >< [N]: its negation. {credence: 0.35}

<A>

(1) [P1]: p1. {credence: 0.8}
(2) [P2]: p2. {credence: 0.6}
----
(3) [E]
  +> [T]

<B>

(1) [Q1]: q1. {credence: 0.5}
----
(2) [E]

<U>

(1) [U1]: u1. {credence: 0.3}
----
(2) [U2]: u2. {inference: 0.9}
  _> <A>
"""
)


CLUSTER = (
    STRICT
    + """[T]: thesis. {credence: 0.5}
  +> [U]: above it. {credence: 0.5}

<A>: first. #cluster-x
  +> [T]

(1) [PA]: pa. {credence: 0.8}
----
(2) [CA]: ca. {inference: 0.9}

<B>: second. #cluster-x
  +> [T]

(1) [PB]: pb. {credence: 0.7}
----
(2) [CB]: cb. {inference: 0.9}

<C>: alone.
  -> [U]

(1) [PC]: pc. {credence: 0.5}
----
(2) [CC]: cc. {inference: 0.4}
"""
)


def test_pure_python_strengths_combine_a_cluster_first() -> None:
    # <A> and <B> share #cluster-x: one supporter of [T] of strength
    # 1 - (1 - 0.72)(1 - 0.63) = 0.8964, not 0.72 + 0.63; T = sigmoid(0.8964) = 0.710209;
    # U = sigmoid(0.710209 - 0.2) = sigmoid(0.510209) = 0.624856 (<C>: 0.5 x 0.4 = 0.2).
    s = _strengths(CLUSTER)
    assert s["[T]"] == pytest.approx(0.710209, abs=1e-6)
    assert s["[U]"] == pytest.approx(0.624856, abs=1e-6)


@pytest.mark.parametrize("text", [CHAINS, UNDERCUT, CLUSTER, "[A]: a.\n  - [B]\n\n[B]: b.\n  - [A]\n"])
def test_pure_python_strengths_equal_the_engine(text: str) -> None:
    # C501-C503 must read the numbers `argmap score` computes: the engine's logodds
    # evaluation (numpy) at the stated values, on chains of attacks, two arguments
    # concluding one claim (noisy-or), an undercut, a contradiction and a cycle.
    from argmap.engine import semantics
    from argmap.engine.evaluate import Compiled, evaluate, point_params

    graph, _ = document_to_graph(parse_text(text))
    values = logodds_strengths(graph)
    compiled = Compiled(graph)
    engine = evaluate(compiled, semantics.get("logodds"), point_params(compiled))
    assert values is not None and engine.converged
    assert values == pytest.approx(list(engine.strengths[:, 0]), abs=1e-9)


def test_tolerance_from_configuration(tmp_path: Path) -> None:
    (tmp_path / "argmap.toml").write_text("[coherence]\ntolerance = 0.2\n", encoding="utf-8")
    settings = load_settings(find_config(tmp_path))
    assert settings.diagnostics == [] and settings.coherence_tolerance == 0.2
    settings.evidence = False
    assert coded(contradiction(0.5, 0.3), "C503", settings) == []
    (tmp_path / "argmap.toml").write_text('[coherence]\ntolerance = "wide"\n', encoding="utf-8")
    bad = load_settings(find_config(tmp_path))
    assert [d.code for d in bad.diagnostics] == ["F008"]


@pytest.mark.parametrize("code", ["C501", "C502", "C503", "C504", "C590", "C591", "B101", "B105"])
def test_codes_are_explained(code: str) -> None:
    entry = get_rule(code)
    assert entry is not None and entry.summary and entry.explanation

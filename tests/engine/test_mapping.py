"""Document -> ScoreGraph: the mapping rules, vargdown-compat by hand, and the real map."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from argmap.engine.api import score
from argmap.engine.evaluate import Compiled, evaluate, point_params
from argmap.engine.mapping import document_to_graph, strength_inputs
from argmap.engine.pointvalue import logodds_strengths
from argmap.engine.semantics import NAMES, get
from argmap.grammar import parse_file, parse_text
from argmap.model import Document
from tests.maps import ONE_SUPPORT, UNDERCUT

ROOT = Path(__file__).resolve().parents[2]
PICNIC = ROOT / "examples" / "picnic" / "thesis.argdown"
CORPUS = ROOT.parent / "shared" / "corpus" / "adapters" / "adapters_vargdown.argdown"


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_picnic_edges_counted_once() -> None:
    graph, diagnostics = document_to_graph(parse_file(PICNIC))
    assert diagnostics == []
    assert graph.thesis is not None and graph.nodes[graph.thesis].key == "[Picnic Stays Dry]"
    into_thesis = [e for e in graph.edges if e.target == graph.thesis]
    # six arguments relate to the thesis twice each (tree + conclusion's own relation): six edges
    assert len(into_thesis) == 6
    # <Front Stalls> - <Front Brings Rain> is the same thing as [Front Misses Picnic] >< [Front Reaches Coast]
    owners = [e.owner for e in graph.edges if e.owner == "<Front Stalls>"]
    assert owners == ["<Front Stalls>"]
    assert len(graph.undercuts) == 1


def test_picnic_vargdown_compat_by_hand() -> None:
    # Source: vargdown's verify.mjs (wassname/vargdown), as described in
    # argmap/engine/semantics/vargdown_compat.py; hand arithmetic on the picnic's numbers.
    # conclusions: product of stated premise credences x inference, rounded to 4 decimals
    forecast = round(0.9 * 0.85 * 0.8, 4)  # 0.612
    clear_sky = round(0.95 * 0.95 * 0.6 * 0.7, 4)  # 0.37905 -> 0.3791 (or 0.379)
    pressure = round(0.9 * 0.7 * 0.55, 4)  # 0.3465
    base_rate = round(0.9 * 0.5 * 0.6, 4)  # 0.27
    sea_breeze = round(0.9 * 0.75 * 0.45, 4)  # 0.30375 -> 0.3038 (or 0.3037)
    front = round(0.85 * 0.5 * 0.85 * 0.85, 4)  # 0.30706 -> 0.3071
    expected = sigmoid(
        logit(forecast)
        + logit(clear_sky)
        + logit(pressure)
        + logit(base_rate)
        - logit(sea_breeze)
        - logit(front)
    )
    result = score(PICNIC, semantics="vargdown-compat", samples=0)
    # 4-decimal rounding of the two half-way products may go either way: 2e-4 covers it
    assert result.thesis.credence == pytest.approx(expected, abs=2e-4)
    # the sign defect: both attacks have credence below 0.5, so both *raise* the thesis
    assert expected > sigmoid(logit(forecast) + logit(clear_sky) + logit(pressure) + logit(base_rate))


def test_undercut_weakens_the_argument_and_reaches_the_thesis() -> None:
    document = parse_text(UNDERCUT)
    for name in ("logodds", "dfquad", "qe", "euler", "quad"):
        with_undercut = score(document, semantics=name, samples=0)
        without = score(document, semantics=name, samples=0, remove=["<U>"])
        assert with_undercut.claims["C"].credence == pytest.approx(0.9 * 0.8 * (1 - 0.63), abs=1e-6)
        assert without.claims["C"].credence == pytest.approx(0.72, abs=1e-6)
        assert with_undercut.thesis.credence is not None and without.thesis.credence is not None
        assert with_undercut.thesis.credence < without.thesis.credence


def test_chain_propagates_past_one_hop() -> None:
    attacker = "\n<B>\n\n(1) [R]: r. {credence: 0.9}\n----\n(2) [S]: s. {inference: 0.9}\n  -> [P]\n"
    plain = score(parse_text(ONE_SUPPORT), samples=0)
    attacked = score(parse_text(ONE_SUPPORT + attacker), samples=0)
    assert attacked.thesis.credence is not None and plain.thesis.credence is not None
    assert attacked.thesis.credence < plain.thesis.credence


def test_prior_on_thesis() -> None:
    text = "[T]: thesis. {prior: 0.2}\n  + [P]\n\n[P]: p. {credence: 0.5}\n"
    result = score(parse_text(text), samples=0)
    assert result.thesis.credence == pytest.approx(sigmoid(logit(0.2) + 0.5), abs=1e-6)


@pytest.mark.corpus
def test_real_map_scores_under_every_semantics(tmp_path: Path) -> None:
    if not CORPUS.exists():
        pytest.skip("shared corpus not available")
    lines = CORPUS.read_text(encoding="utf-8").splitlines(keepends=True)
    # the corpus map lacks `----` before <AntiPaSTO OOD Transfer>'s conclusion (2)
    start = next(i for i, line in enumerate(lines) if line.startswith("<AntiPaSTO OOD Transfer>"))
    conclusion = next(i for i in range(start, len(lines)) if lines[i].startswith("(2)"))
    fixed = tmp_path / "adapters.argdown"
    fixed.write_text("".join([*lines[:conclusion], "----\n", *lines[conclusion:]]), encoding="utf-8")
    document = parse_file(fixed)
    assert not [d for d in document.diagnostics if d.level.value == "error"]
    graph, diagnostics = document_to_graph(document)
    assert diagnostics == []
    assert graph.thesis is not None and graph.nodes[graph.thesis].title == "Natural Manifold"
    compiled = Compiled(graph)
    for name in NAMES:
        result = evaluate(compiled, get(name), point_params(compiled))
        assert result.converged
        value = float(result.strengths[graph.thesis, 0])
        assert 0.0 < value < 1.0, name
    full = score(document, samples=2000, cruxes=3)
    assert full.thesis.interval is not None
    assert full.thesis.interval[0] <= full.thesis.credence <= full.thesis.interval[1]  # type: ignore[operator]
    assert len(full.cruxes) == 3


@pytest.mark.parametrize(
    ("written", "mean", "fixed"),
    [
        ("credence: 0.25", 0.25, None),
        ("credence: 1", 1.0, None),  # an int is a probability too
        ("credence: 0", 0.0, None),
        ("credence: 1.5", None, 0.5),  # out of range: the prior, 0.5
        ("credence: -0.1", None, 0.5),
        ("credence: .nan", None, 0.5),
        ("credence: true", None, 0.5),  # a boolean is no number
        ('credence: "0.5"', None, 0.5),
        ("credence: 1.5, prior: 0.2", None, 0.2),
    ],
)
def test_which_credences_are_numbers(written: str, mean: float | None, fixed: float | None) -> None:
    graph, _ = document_to_graph(parse_text(f"[T]: t.\n  + [P]: p. {{{written}}}\n"))
    node = next(n for n in graph.nodes if n.key == "[P]")
    if mean is None:
        assert node.base_param is None and node.fixed_base == fixed
    else:
        assert node.base_param is not None and graph.params[node.base_param].mean == mean


def test_a_claims_data_merges_over_its_occurrences_in_document_order() -> None:
    # [P] is defined in the tree (credence 0.3), then used as a premise with its own
    # block (credence 0.6, interval): the later occurrence's keys win, the rest stay.
    text = (
        "[T]: t.\n  + [P]: p. {credence: 0.3, concentration: 40}\n\n"
        "<A>\n\n(1) [P] {credence: 0.6, interval: [0.5, 0.7]}\n----\n(2) [C]: c. {inference: 0.9}\n  +> [T]\n"
    )
    graph, _ = document_to_graph(parse_text(text))
    node = next(n for n in graph.nodes if n.key == "[P]")
    assert node.base_param is not None
    param = graph.params[node.base_param]
    assert (param.mean, param.interval, param.concentration) == (0.6, (0.5, 0.7), 40.0)


# An undercut written under the first of two inference lines: `conclusion_index` is the
# conclusion's position in the PCS (1 here, the line `(2) [M]`), not its number.
CHAIN_UNDERCUT = """===
model:
    mode: strict
===

<Chain>

(1) [P]: Premise. {credence: 0.9}
----
  <_ [U]: Undercutter. {credence: 0.25}
(2) [M]: Middle. {inference: 0.8}
(3) [Q]: Second premise. {credence: 0.6}
----
(4) [C]: Conclusion. {inference: 0.5}
"""


@pytest.mark.parametrize("name", ["logodds", "dfquad", "qe", "euler", "quad"])
def test_an_undercut_under_an_inner_inference_weakens_that_step(name: str) -> None:
    result = score(parse_text(CHAIN_UNDERCUT), semantics=name, samples=0, thesis="C")
    # by hand: the first step's inference 0.8 is undercut by 0.25, the second's 0.5 is not
    middle = 0.9 * 0.8 * (1 - 0.25)
    assert result.claims["M"].credence == pytest.approx(middle, abs=1e-6)
    assert result.claims["C"].credence == pytest.approx(middle * 0.6 * 0.5, abs=1e-6)


def test_an_undercut_under_the_last_inference_weakens_the_last_step() -> None:
    text = CHAIN_UNDERCUT.replace("----\n  <_ [U]: Undercutter. {credence: 0.25}\n", "----\n", 1)
    text = text.replace("----\n(4)", "----\n  <_ [U]: Undercutter. {credence: 0.25}\n(4)", 1)
    result = score(parse_text(text), semantics="logodds", samples=0, thesis="C")
    assert result.claims["M"].credence == pytest.approx(0.9 * 0.8, abs=1e-6)
    assert result.claims["C"].credence == pytest.approx(0.72 * 0.6 * 0.5 * (1 - 0.25), abs=1e-6)


_PRIORS_AND_ARGUMENTS = """[T]: t. {prior: 0.3}
  + <Bare>: an argument without a PCS. {credence: 0.8}
  - [Loose]: a claim with neither credence nor prior.
  + <A>

<A>

(1) [P]: p. {credence: 0.9}
(2) [Q]: q. {credence: 2}
----
(3) [C]: c. {inference: 0.7}
"""


@pytest.mark.parametrize(
    "document",
    [
        parse_text(UNDERCUT),
        parse_text(ONE_SUPPORT),
        parse_text(_PRIORS_AND_ARGUMENTS),
        parse_text("[A]: a.\n  - [B]\n\n[B]: b.\n  - [A]\n"),
        *(parse_file(path) for path in sorted((ROOT / "examples").rglob("*.argdown"))),
        *([parse_file(CORPUS)] if CORPUS.exists() else []),
    ],
)
def test_strength_inputs_give_the_score_graphs_strengths(document: Document) -> None:
    # the coherence rules' reduced mapping must be the score graph's, number for number
    graph, _ = document_to_graph(document)
    reduced, titles, base, index = strength_inputs(document)
    assert titles == [node.title if node.kind == "statement" else None for node in graph.nodes]
    assert index == {node.title: i for i, node in enumerate(graph.nodes) if node.kind == "statement"}
    assert logodds_strengths(reduced, base=base) == logodds_strengths(graph)
    assert [(e.source, e.target, e.polarity, e.cluster) for e in reduced.edges] == [
        (e.source, e.target, e.polarity, e.cluster) for e in graph.edges
    ]

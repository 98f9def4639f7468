"""Clusters and the correlation rho, against values derived by hand (issue 13).

The map: thesis [T] (no prior: 0.5) and arguments whose conclusions bear on it with
strengths 0.5 (credence 0.8 x inference 0.625), 0.4 (0.8 x 0.5) and 0.3 (0.6 x 0.5).
Every expected number below is computed from the semantics' published formula by
hand (math, not argmap), step by step in the comments.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from argmap.engine.api import score


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def h(x: float) -> float:  # the quadratic-energy influence
    m = max(x, 0.0) ** 2
    return m / (1.0 + m)


ARG = """<{name}>: Argument {name}.{tag}

(1) [P{name}]: Premise of {name}. {{credence: {credence}, reason: "r"}}
----
(2) [C{name}]: Conclusion of {name}. {{inference: {inference}}}
    {relation} [{target}]
"""


def argument(
    name: str, credence: float, inference: float, target: str = "T", relation: str = "+>", tag: str = ""
) -> str:
    return ARG.format(
        name=name, credence=credence, inference=inference, target=target, relation=relation, tag=tag
    )


def write(tmp_path: Path, *parts: str, head: str = "[T]: The thesis. #thesis\n") -> Path:
    path = tmp_path / "map.argdown"
    path.write_text(head + "\n" + "\n".join(parts), encoding="utf-8")
    return path


def three(tmp_path: Path, tagged: bool) -> Path:
    tag = " #cluster-x" if tagged else ""
    return write(
        tmp_path,
        argument("A1", 0.8, 0.625, tag=tag),
        argument("A2", 0.8, 0.5, tag=tag),
        argument("A3", 0.6, 0.5),
    )


# -- the issue's four values (logodds) ------------------------------------------------------


@pytest.mark.parametrize(
    ("tagged", "rho", "expected"),
    [
        (False, 0.0, sigmoid(0.5 + 0.4 + 0.3)),  # 0.768525
        (True, 0.0, sigmoid((1 - 0.5 * 0.6) + 0.3)),  # cluster 0.7; 0.731059
        (False, 0.5, sigmoid(1.2 / (1 + 2 * 0.5))),  # k = 3: 0.6; 0.645656
        (True, 0.5, sigmoid((0.7 + 0.3) / (1 + 1 * 0.5))),  # k = 2 (a cluster counts once); 0.660756
    ],
)
def test_logodds_clusters_and_rho(tmp_path: Path, tagged: bool, rho: float, expected: float) -> None:
    result = score(three(tmp_path, tagged), samples=0, rho=rho)
    assert result.thesis.credence == pytest.approx(expected, abs=1e-6)


def test_the_issue_values_as_printed(tmp_path: Path) -> None:
    assert score(three(tmp_path, False), samples=0).thesis.credence == pytest.approx(0.768525, abs=1e-6)
    assert score(three(tmp_path, True), samples=0).thesis.credence == pytest.approx(0.731059, abs=1e-6)
    assert score(three(tmp_path, False), samples=0, rho=0.5).thesis.credence == pytest.approx(
        0.645656, abs=1e-6
    )
    assert score(three(tmp_path, True), samples=0, rho=0.5).thesis.credence == pytest.approx(
        0.660756, abs=1e-6
    )


# -- qe and euler ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("semantics", "tagged", "rho", "expected"),
    [
        # qe: strength = b - b h(-E) + (1 - b) h(E), b = 0.5
        ("qe", False, 0.0, 0.5 + 0.5 * h(1.2)),  # E = 1.2: 0.5 + 0.5 * 1.44/2.44 = 0.795082
        ("qe", True, 0.0, 0.5 + 0.5 * h(1.0)),  # E = 0.7 + 0.3 = 1.0: 0.75
        ("qe", False, 0.5, 0.5 + 0.5 * h(0.6)),  # E = 1.2 / 2 = 0.6: 0.5 + 0.5 * 0.36/1.36 = 0.632353
        ("qe", True, 0.5, 0.5 + 0.5 * h(1.0 / 1.5)),  # E = 0.666667: 0.653846
        # euler: strength = 1 - (1 - b^2) / (1 + b e^E)
        ("euler", False, 0.0, 1 - 0.75 / (1 + 0.5 * math.exp(1.2))),  # 0.718051
        ("euler", True, 0.0, 1 - 0.75 / (1 + 0.5 * math.exp(1.0))),  # 0.682088
        ("euler", False, 0.5, 1 - 0.75 / (1 + 0.5 * math.exp(0.6))),  # 0.607548
        ("euler", True, 0.5, 1 - 0.75 / (1 + 0.5 * math.exp(1.0 / 1.5))),  # 0.620035
    ],
)
def test_qe_and_euler(tmp_path: Path, semantics: str, tagged: bool, rho: float, expected: float) -> None:
    result = score(three(tmp_path, tagged), semantics=semantics, samples=0, rho=rho)
    assert result.thesis.credence == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("semantics", ["dfquad", "quad"])
@pytest.mark.parametrize("rho", [0.0, 0.5])
def test_probabilistic_sum_semantics_unchanged_by_clusters_and_rho(
    tmp_path: Path, semantics: str, rho: float
) -> None:
    """DF-QuAD and QuAD combine supporters by 1 - prod(1 - s) already: a cluster (the same
    product taken first) and rho (which divides sums) leave them where they were:
    v_s = 1 - 0.5 * 0.6 * 0.7 = 0.79; strength = 0.5 + 0.5 * 0.79 = 0.895."""
    plain = score(three(tmp_path, False), semantics=semantics, samples=0, rho=rho)
    tagged = score(three(tmp_path, True), semantics=semantics, samples=0, rho=rho)
    assert plain.thesis.credence == pytest.approx(0.895, abs=1e-6)
    assert tagged.thesis.credence == pytest.approx(0.895, abs=1e-6)


def test_vargdown_compat_enters_a_cluster_once(tmp_path: Path) -> None:
    """vargdown's log-odds sum: untagged logit(0.5) + logit(0.4) + logit(0.3) = -1.252763
    (its sign defect: weak supports lower the thesis); tagged, the cluster's 0.7 enters once:
    logit(0.7) + logit(0.3) = 0, so 0.5."""

    def logit(p: float) -> float:
        return math.log(p / (1 - p))

    plain = score(three(tmp_path, False), semantics="vargdown-compat", samples=0)
    assert plain.thesis.credence == pytest.approx(sigmoid(logit(0.5) + logit(0.4) + logit(0.3)), abs=1e-6)
    tagged = score(three(tmp_path, True), semantics="vargdown-compat", samples=0)
    assert tagged.thesis.credence == pytest.approx(0.5, abs=1e-6)


# -- an attack cluster ----------------------------------------------------------------------


def attacks(tmp_path: Path, tagged: bool) -> Path:
    tag = " #cluster-y" if tagged else ""
    return write(
        tmp_path,
        argument("S", 0.8, 0.625),  # supporter 0.5
        argument("B1", 0.8, 0.5, relation="->", tag=tag),  # attacker 0.4
        argument("B2", 0.6, 0.5, relation="->", tag=tag),  # attacker 0.3
    )


@pytest.mark.parametrize(
    ("tagged", "rho", "expected"),
    [
        (False, 0.0, sigmoid(0.5 - (0.4 + 0.3))),  # E = -0.2: 0.450166
        (True, 0.0, sigmoid(0.5 - (1 - 0.6 * 0.7))),  # the attack cluster 0.58: E = -0.08: 0.480011
        (False, 0.5, sigmoid(0.5 - 0.7 / 1.5)),  # attackers k = 2, supporter k = 1: 0.508333
        (True, 0.5, sigmoid(0.5 - 0.58)),  # one attacker group, k = 1: rho changes nothing: 0.480011
    ],
)
def test_attack_cluster(tmp_path: Path, tagged: bool, rho: float, expected: float) -> None:
    result = score(attacks(tmp_path, tagged), samples=0, rho=rho)
    assert result.thesis.credence == pytest.approx(expected, abs=1e-6)


# -- a cluster whose members reach the thesis through a chain --------------------------------


def chain(tmp_path: Path, tagged: bool) -> Path:
    """A1 and A2 support the intermediate claim [M]; [M] supports [T]; A3 supports [T]."""
    tag = " #cluster-x" if tagged else ""
    return write(
        tmp_path,
        argument("A1", 0.8, 0.625, target="M", tag=tag),
        argument("A2", 0.8, 0.5, target="M", tag=tag),
        argument("A3", 0.6, 0.5),
        head="[T]: The thesis. #thesis\n    <+ [M]: An intermediate claim.\n",
    )


@pytest.mark.parametrize(
    ("tagged", "rho", "m"),
    [
        (False, 0.0, sigmoid(0.5 + 0.4)),  # [M] = 0.710950
        (True, 0.0, sigmoid(0.7)),  # [M] = 0.668188 (the cluster enters [M] once)
        (False, 0.5, sigmoid(0.9 / 1.5)),  # [M] = 0.645656
        (True, 0.5, sigmoid(0.7)),  # one group at [M]: 0.668188
    ],
)
def test_cluster_through_a_chain(tmp_path: Path, tagged: bool, rho: float, m: float) -> None:
    """[M]'s strength flows on: [T] = sigmoid((m + 0.3) / (1 + (2 - 1) rho)), k = 2 at [T]
    ([M] and A3). Untagged rho = 0: sigmoid(0.710950 + 0.3) = 0.733258."""
    result = score(chain(tmp_path, tagged), samples=0, rho=rho)
    assert result.claims["M"].credence == pytest.approx(m, abs=1e-6)
    assert result.thesis.credence == pytest.approx(sigmoid((m + 0.3) / (1 + rho)), abs=1e-6)


# -- the bottom line -----------------------------------------------------------------------


def test_bottom_line_sweep_and_range(tmp_path: Path) -> None:
    result = score(three(tmp_path, False), samples=0, bottom_line=True)
    line = result.bottom_line
    assert line is not None
    sweep = {p.rho: p.credence for p in line.rho_sweep}
    assert sweep[0.0] == pytest.approx(sigmoid(1.2), abs=1e-6)
    assert sweep[0.25] == pytest.approx(sigmoid(1.2 / 1.5), abs=1e-6)  # k = 3: 1 + 2 * 0.25
    assert sweep[0.5] == pytest.approx(sigmoid(0.6), abs=1e-6)
    assert sweep[1.0] == pytest.approx(sigmoid(0.4), abs=1e-6)  # the average of 0.5, 0.4, 0.3
    assert line.rho_crosses_half_at is None  # supports only: never below 0.5
    assert line.semantics_range == (
        pytest.approx(min(line.by_semantics.values())),  # type: ignore[type-var]
        pytest.approx(max(line.by_semantics.values())),  # type: ignore[type-var]
    )
    assert line.by_semantics["dfquad"] == pytest.approx(0.895, abs=1e-6)
    assert (line.supporters, line.attackers) == (3, 0)


def test_rho_crossing_found_where_the_thesis_meets_half(tmp_path: Path) -> None:
    """One supporter 0.5 against two attackers 0.3 and 0.3: E(rho) = 0.5 - 0.6 / (1 + rho),
    zero at rho = 0.2, where the thesis crosses 0.5."""
    path = write(
        tmp_path,
        argument("S", 0.8, 0.625),
        argument("B1", 0.6, 0.5, relation="->"),
        argument("B2", 0.6, 0.5, relation="->"),
    )
    line = score(path, samples=0, bottom_line=True).bottom_line
    assert line is not None and line.rho_crosses_half_at == pytest.approx(0.2, abs=2e-3)


def test_bottom_line_says_rho_does_not_apply_to_dfquad(tmp_path: Path) -> None:
    line = score(three(tmp_path, False), semantics="dfquad", samples=0, bottom_line=True).bottom_line
    assert line is not None and not line.rho_applies and line.rho_sweep == []
    assert any("does not apply" in s for s in line.sentences())


def test_uncertain_rho_is_sampled_and_widens_the_interval(tmp_path: Path) -> None:
    path = three(tmp_path, False)
    fixed = score(path, samples=4000, rho=0.25)
    uncertain = score(path, samples=4000, rho=0.25, rho_interval=(0.05, 0.6))
    assert fixed.thesis.credence == uncertain.thesis.credence  # same point value
    assert fixed.thesis.interval is not None and uncertain.thesis.interval is not None
    width = lambda iv: iv[1] - iv[0]  # noqa: E731
    assert width(uncertain.thesis.interval) > width(fixed.thesis.interval)


# -- the command line and the report ----------------------------------------------------------


def test_cli_rho_json_and_human(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from argmap.cli.app import app

    path = three(tmp_path, True)
    result = CliRunner().invoke(
        app, ["score", str(path), "--rho", "0.5", "--samples", "0", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["thesis"]["credence"] == pytest.approx(0.660756, abs=1e-6) and data["rho"] == 0.5
    line = data["bottom_line"]
    assert {p["rho"]: p["credence"] for p in line["rho_sweep"]}[0.0] == pytest.approx(0.731059, abs=1e-6)
    assert line["semantics_range"][1] == pytest.approx(0.895, abs=1e-6) and line["clusters"] == {
        "x": ["<A1>", "<A2>"]
    }
    human = CliRunner().invoke(app, ["score", str(path), "--samples", "0"])
    assert human.exit_code == 0
    first = human.stdout.splitlines()[0]
    assert "0.731" in first and "model range 0.500-0.895" in first
    assert "rho 0 -> 0.731, 0.25 -> 0.690, 0.5 -> 0.661, 1 -> 0.622; never crosses 0.5" in human.stdout
    assert (
        "#cluster-x into [T]: <A1> 0.50, <A2> 0.40 -> 1 - (1 - 0.50)(1 - 0.40) = 0.700, one supporter"
        in human.stdout
    )


@pytest.mark.parametrize("bad", ["0.1", "0.6,0.9", "a,b", "0.9,0.1"])
def test_cli_rho_interval_must_hold_rho(tmp_path: Path, bad: str) -> None:
    from typer.testing import CliRunner

    from argmap.cli.app import app

    result = CliRunner().invoke(
        app, ["score", str(three(tmp_path, False)), "--rho", "0.5", "--rho-interval", bad]
    )
    assert result.exit_code == 2


def test_report_shows_the_bottom_line_and_model_bars(tmp_path: Path) -> None:
    from argmap.grammar import parse_file
    from argmap.render.report import build_report, render_report

    report = build_report(parse_file(str(three(tmp_path, True))), samples=500, cruxes=3)
    page = render_report(report)
    assert "Model range 0.500–0.895" in page
    assert "model: semantics (every one)" in page and "model: correlation rho 0 to 1" in page
    assert "#cluster-x into [T]: &lt;A1&gt; 0.50, &lt;A2&gt; 0.40" in page
    # the chosen semantics' row is the headline's own interval
    assert report.interval is not None
    assert report.all_semantics["logodds"] == (report.credence, report.interval)


def test_cluster_parts_only_where_members_combine(tmp_path: Path) -> None:
    """A1 supports [T] and attacks [U]; A2 supports [T] only: the cluster combines at [T]
    (1 - 0.5 x 0.6 = 0.7) and nowhere else, so only that part is reported."""
    path = write(
        tmp_path,
        argument("A1", 0.8, 0.625, tag=" #cluster-x").replace("    +> [T]\n", "    +> [T]\n    -> [U]\n"),
        argument("A2", 0.8, 0.5, tag=" #cluster-x"),
        head="[T]: The thesis. #thesis\n\n[U]: Another claim.\n",
    )
    line = score(path, samples=0, bottom_line=True).bottom_line
    assert line is not None
    assert [(p.target, p.relation, p.combined) for p in line.cluster_parts] == [("[T]", "support", 0.7)]

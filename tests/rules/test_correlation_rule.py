"""G311: arguments sharing a premise or a passage, bearing on one claim, in no common cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.checking import CheckOptions, check_paths


def findings(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "map.argdown"
    path.write_text(text, encoding="utf-8")
    report = check_paths([str(path)], CheckOptions(evidence=False))
    return [d.message for d in report.diagnostics if d.code == "G311"]


def arg(
    name: str, premise: str, *, link: str = "", tag: str = "", relation: str = "+>", target: str = "T"
) -> str:
    evidence = f"\n    [evidence]({link})\n    > quoted" if link else ""
    return (
        f"<{name}>: Argument {name}.{tag}\n\n"
        f'(1) [{premise}]: Premise {premise}. #assumption {{reason: "r", credence: 0.8}}{evidence}\n'
        f"----\n"
        f'(2) [C{name}]: Conclusion {name}. {{reason: "r", inference: 0.6}}\n'
        f"    {relation} [{target}]\n"
    )


HEAD = "[T]: The thesis. #thesis\n\n[U]: Another claim.\n\n"


def test_shared_premise_statement(tmp_path: Path) -> None:
    text = HEAD + arg("A", "Shared") + "\n" + arg("B", "Shared")
    [message] = findings(tmp_path, text)
    assert "<B> and <A> share premise [Shared]" in message and "[T]" in message


def test_overlapping_passages_fire_and_a_common_cluster_silences(tmp_path: Path) -> None:
    text = HEAD + arg("A", "P1", link="docs/p.md#L10-L20") + "\n" + arg("B", "P2", link="docs/p.md#L20-L25")
    [message] = findings(tmp_path, text)
    assert "docs/p.md" in message
    tagged = (
        HEAD
        + arg("A", "P1", link="docs/p.md#L10-L20", tag=" #cluster-lit")
        + "\n"
        + arg("B", "P2", link="docs/p.md#L20-L25", tag=" #cluster-lit")
    )
    assert findings(tmp_path, tagged) == []


def test_cluster_by_data_silences_too(tmp_path: Path) -> None:
    text = HEAD + arg("A", "Shared", tag=" {cluster: lit}") + "\n" + arg("B", "Shared", tag=" {cluster: lit}")
    assert findings(tmp_path, text) == []


@pytest.mark.parametrize(
    "second",
    [
        arg("B", "P2", link="docs/p.md#L21-L25"),  # adjacent, not overlapping
        arg("B", "P2", link="docs/q.md#L10-L20"),  # another file
        arg("B", "Shared", target="U"),  # another claim
        arg("B", "Shared", relation="->"),  # the other direction
    ],
)
def test_no_finding_without_a_shared_input_on_one_claim(tmp_path: Path, second: str) -> None:
    first = arg("A", "Shared", link="docs/p.md#L10-L20")
    assert findings(tmp_path, HEAD + first + "\n" + second) == []


def test_different_clusters_still_fire(tmp_path: Path) -> None:
    text = HEAD + arg("A", "Shared", tag=" #cluster-x") + "\n" + arg("B", "Shared", tag=" #cluster-y")
    assert len(findings(tmp_path, text)) == 1


def test_many_arguments_one_finding_each_linear(tmp_path: Path) -> None:
    """300 arguments sharing one premise: one finding per later argument (not per pair)."""
    text = HEAD + "\n".join(arg(f"A{i}", "Shared") for i in range(300))
    assert len(findings(tmp_path, text)) == 299


def test_plain_argdown_is_quiet(tmp_path: Path) -> None:
    """No credences or inferences anywhere: nothing is added up, nothing counted twice."""
    plain = (
        "[T]: The thesis.\n\n<A>: First.\n\n(1) [Shared]: A premise.\n----\n(2) [CA]: A.\n    +> [T]\n\n"
        "<B>: Second.\n\n(1) [Shared]\n----\n(2) [CB]: B.\n    +> [T]\n"
    )
    assert findings(tmp_path, plain) == []
    numbered = plain.replace(
        "(1) [Shared]: A premise.", '(1) [Shared]: A premise. {credence: 0.7, reason: "r"}'
    )
    assert len(findings(tmp_path, numbered)) == 1


def test_the_earlier_argument_named_is_the_first_to_cite_the_first_shared_line(tmp_path: Path) -> None:
    # A cites 10-20, B 30-40 (no overlap), C 15-35: C's first shared line is 15, A's.
    text = (
        HEAD
        + arg("A", "P1", link="docs/p.md#L10-L20")
        + "\n"
        + arg("B", "P2", link="docs/p.md#L30-L40")
        + "\n"
        + arg("C", "P3", link="docs/p.md#L15-L35")
        + "\n"
        + arg("D", "P4", link="docs/p.md#L21-L29")  # only the lines C took first
    )
    assert findings(tmp_path, text) == [
        "<C> and <A> share lines of docs/p.md (#L15-L35) and both bear on [T]: "
        "scored as independent arguments, that is counted twice",
        "<D> and <C> share lines of docs/p.md (#L21-L29) and both bear on [T]: "
        "scored as independent arguments, that is counted twice",
    ]


def _per_line(ranges: list[tuple[int, int, str, str | None]]) -> list[str | None]:
    """Who each range shares a line with, by recording every line (the definition)."""
    owner: dict[int, tuple[str, str | None]] = {}
    found: list[str | None] = []
    for first, last, name, cluster in ranges:
        hit = None
        for n in range(first, last + 1):
            earlier = owner.setdefault(n, (name, cluster))
            foreign = earlier[0] != name and (cluster is None or earlier[1] != cluster)
            if hit is None and foreign:
                hit = earlier[0]
        found.append(hit)
    return found


def test_line_intervals_agree_with_recording_every_line() -> None:
    import itertools
    import random

    from argmap.rules.correlation import LineOwners, _Use

    for trial in range(300):
        rng = random.Random(trial)
        ranges = []
        for _ in range(rng.randint(1, 12)):
            first = rng.randint(1, 60)
            name = rng.choice("ABCDE")
            ranges.append((first, first + rng.randint(0, 15), name, {"A": "x", "B": "x"}.get(name)))
        owners, uses = LineOwners(), {n: _Use(n, c) for _, _, n, c in ranges}
        got = []
        for first, last, name, _ in ranges:
            earlier = owners.record(first, last, uses[name])
            got.append(None if earlier is None else earlier.argument)
        assert got == _per_line(ranges), trial
        starts = [(a, b) for a, b, _ in owners.intervals]
        assert all(a <= b for a, b in starts) and all(b < c for (_, b), (c, _) in itertools.pairwise(starts))

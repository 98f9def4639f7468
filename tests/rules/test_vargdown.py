"""Each vargdown rule fires on a small broken map and stays silent on the fixed one."""

from __future__ import annotations

import pytest

from argmap.config import Settings
from tests.rules.helpers import CLEAN, codes, only


def test_clean_map_has_no_findings() -> None:
    assert codes(CLEAN) == []


# (code, broken text, (line, text the finding starts at on that line))
FIRING = [
    ("V201", CLEAN.replace(' {reason: "Plausible.", credence: 0.6}', ""), (11, "[P2]")),
    ("V202", CLEAN.replace(' {reason: "Follows.", inference: 0.8}', ""), (13, "[C]")),
    ("V203", CLEAN.replace("credence: 0.6", 'credence: "high"'), (11, "credence")),
    ("V204", CLEAN.replace("credence: 0.6", "credence: 60"), (11, "credence")),
    ("V205", CLEAN.replace('{reason: "Plausible.", credence: 0.6}', "{credence: 0.6}"), (11, "credence")),
    (
        "V206",
        CLEAN.replace('{reason: "Plausible.", credence: 0.6}', '{credence: 0.6, reason: "x"}'),
        (11, "reason"),
    ),
    ("V207", CLEAN.replace("inference: 0.8}", "inference: 0.8, credence: 0.7}"), (13, "credence")),
    ("V208", CLEAN.replace("credence: 0.6", "credence: 0.6, inference: 0.5"), (11, "inference")),
    (
        "V209",
        CLEAN.replace("[Thesis]: The thesis.", "[Thesis]: The thesis. {credence: 0.7}"),
        (1, "credence"),
    ),
    ("V210", CLEAN.replace("    [Source 2024](https://example.org/paper)\n", ""), (6, "[P1]")),
    ("V211", CLEAN.replace("    [evidence](docs/paper.md#L1-L2)\n", ""), (6, "[P1]")),
    ("V212", CLEAN.replace("    > quoted words\n", ""), (6, "[P1]")),
    ("V213", CLEAN.replace("#L1-L2", "#L20-L3"), (8, "[evidence]")),
    (
        "V214",
        CLEAN.replace("(3) [C]: Conclusion.", "(3) Conclusion.").replace("  +> [Thesis]\n", ""),
        (13, "(3)"),
    ),
    ("V215", CLEAN.replace(" #assumption", ""), (11, "[P2]")),
    (
        "V216",
        CLEAN.replace("[Thesis]: The thesis.", '[Thesis]: The thesis. {math: "12 / 40 == 0.35"}'),
        (1, "math"),
    ),
    ("V217", CLEAN.replace("[Thesis]: The thesis.", '[Thesis]: The thesis. {math: "12 / 40"}'), (1, "math")),
    (
        "V218",
        CLEAN.replace("[Thesis]: The thesis.", "[Thesis]: The thesis. {math: \"__import__('os')\"}"),
        (1, "math"),
    ),
]


@pytest.mark.parametrize(("code", "text", "where"), FIRING, ids=[c for c, _, _ in FIRING])
def test_rule_fires_at_the_right_place(code: str, text: str, where: tuple[int, str]) -> None:
    found = only(text, code)
    assert len(found) == 1, codes(text)
    line, needle = where
    column = text.splitlines()[line - 1].index(needle) + 1
    assert (found[0].line, found[0].column) == (line, column)
    assert found[0].hint


@pytest.mark.parametrize("code", [c for c, _, _ in FIRING])
def test_rule_is_silent_on_the_clean_map(code: str) -> None:
    assert only(CLEAN, code) == []


def test_only_the_mutated_rule_fires() -> None:
    for code, text, _ in FIRING:
        assert set(codes(text)) <= {code, "V205", "G305", "G307", "G310"}, (code, codes(text))


def test_premise_that_is_another_arguments_conclusion_needs_no_credence_or_kind() -> None:
    chained = CLEAN + (
        '\n<B>\n\n(1) [Q]: Q. #assumption {reason: "r", credence: 0.5}\n----\n'
        '(2) [P2]: Premise two. {reason: "r", inference: 0.7}\n'
    )
    chained = chained.replace(' #assumption {reason: "Plausible.", credence: 0.6}', "")
    assert codes(chained) == []


def test_inference_on_the_inference_line_counts() -> None:
    text = CLEAN.replace(' {reason: "Follows.", inference: 0.8}', "").replace(
        "----\n", '-- {reason: "Follows.", inference: 0.8} --\n'
    )
    assert "V202" not in codes(text)


def test_percent_hint() -> None:
    (finding,) = only(CLEAN.replace("credence: 0.6", "credence: 60"), "V204")
    assert finding.hint == "write credence: 0.6 for 60 percent"


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ("docs/paper.md#L0", "line 0"),
        ("docs/paper.md#L20-L3", "reversed"),
        ("docs/paper.md", "no line range"),
        ("docs/paper.md#intro", "malformed"),
        ("#L1-L2", "names no file"),
    ],
)
def test_evidence_range_problems(fragment: str, problem: str) -> None:
    (finding,) = only(CLEAN.replace("docs/paper.md#L1-L2", fragment), "V213")
    assert problem in finding.message


@pytest.mark.parametrize("fragment", ["docs/paper.md#L5", "docs/paper.md#L3-5", "docs/paper.md#L7-L7"])
def test_well_formed_evidence_ranges_are_quiet(fragment: str) -> None:
    assert "V213" not in codes(CLEAN.replace("docs/paper.md#L1-L2", fragment))


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ("docs/paper.md#L0-L2", "line 0"),
        ("docs/paper.md#L2-L0", "line 0"),
        ("docs/paper.md#L9-8", "reversed"),
    ],
)
def test_evidence_range_problems_the_parser_reads(fragment: str, problem: str) -> None:
    (finding,) = only(CLEAN.replace("docs/paper.md#L1-L2", fragment), "V213")
    assert problem in finding.message


def test_kind_tags_are_configurable() -> None:
    text = CLEAN.replace("#assumption", "#guess")
    assert "V215" in codes(text)
    assert "V215" not in codes(text, Settings(kind_tags=("observation", "guess")))


def test_unnamed_conclusion_message_names_the_argument() -> None:
    text = CLEAN.replace("(3) [C]: Conclusion.", "(3) Conclusion.").replace("  +> [Thesis]\n", "")
    (finding,) = only(text, "V214")
    assert finding.message == "conclusion (3) of <A> has no title"


@pytest.mark.parametrize(
    ("claim", "code"),
    [
        ("0.1 + 0.2 == 0.3", None),
        ("0.9 * 0.85 > 0.7 and not 1 > 2", None),
        ("12 / 40 == 0.35", "V216"),
        ("2 ** 10", "V217"),
        ("__import__('os').system('echo hacked')", "V218"),
        ("10 ** 10 ** 10", "V218"),
        ("1 / 0 == 1", "V218"),
        ("open('x')", "V218"),
    ],
)
def test_math_claims(claim: str, code: str | None) -> None:
    text = CLEAN.replace(
        "[Thesis]: The thesis.", "[Thesis]: The thesis. {math: " + repr(claim).replace("'", '"') + "}"
    )
    if '"' in claim or "'" in claim:
        text = CLEAN.replace("[Thesis]: The thesis.", '[Thesis]: The thesis. {math: "' + claim + '"}')
    found = [c for c in codes(text) if c.startswith("V21") and c >= "V216"]
    assert found == ([code] if code else [])


def test_math_in_a_list_and_non_string() -> None:
    text = CLEAN.replace("[Thesis]: The thesis.", '[Thesis]: The thesis. {math: ["1 < 2", "3 < 2"]}')
    assert [c for c in codes(text) if c >= "V216"] == ["V216"]
    text = CLEAN.replace("[Thesis]: The thesis.", "[Thesis]: The thesis. {math: 3}")
    assert [c for c in codes(text) if c >= "V216"] == ["V218"]


def test_p106_is_not_reported_twice() -> None:
    text = CLEAN.replace("----\n", "")
    found = codes(text)
    assert "V208" not in found and "V202" not in found


def test_statement_findings_keep_the_order_of_first_appearance() -> None:
    # The index checks PCS lines while it walks the arguments, but reports every
    # statement's findings in the order its title first appears: [Late] (a premise
    # of the argument below) comes after [Early] and before [Last], though the
    # arguments are walked first. Two findings per line, to see that a statement's
    # own findings stay together.
    text = """\
[Early]: Early. {credence: 60, inference: 70}
  + [Late]

<A>

(1) [Late]: Late. #assumption {credence: 61, inference: 71}
----
(2) [C]: C. {reason: "r", inference: 0.8}

[Last]: Last. {credence: 62, inference: 72}
  + [C]
"""
    lines = text.splitlines()
    expected = [(n, lines[n - 1].index(key) + 1) for n in (1, 6, 10) for key in ("credence", "inference")]
    assert [(d.line, d.column) for d in only(text, "V204")] == expected

"""Each graph rule fires on a small broken map and stays silent on the fixed one."""

from __future__ import annotations

import random

import pytest

from argmap.grammar import parse_text
from argmap.graph import NodeKey, argument_graph, strong_components
from argmap.rules._graph import _support_steps, support_cycles
from tests.rules.helpers import CLEAN, codes, only

ARG_B = """
<B>

(1) [Q]: Q holds. #assumption {reason: "r", credence: 0.5}
----
(2) [D]: D follows. {reason: "r", inference: 0.7}
  +> [Thesis]
"""


def test_graph_rules_silent_on_clean_map() -> None:
    assert [c for c in codes(CLEAN) if c.startswith("G")] == []


def test_g301_undefined_statement_suggests_the_argument_across_brackets() -> None:
    text = CLEAN.replace("  +> [Thesis]", "  +> [A]")
    (finding,) = only(text, "G301")
    assert finding.message == "statement [A] is never defined (used at line 14)"
    assert "did you mean the argument <A>?" in (finding.hint or "")
    assert (finding.line, finding.column) == (14, 6)


def test_g301_suggests_close_titles() -> None:
    text = CLEAN.replace("  +> [Thesis]", "  +> [Thesys]")
    (finding,) = only(text, "G301")
    assert "[Thesis]" in (finding.hint or "")


def test_g302_undefined_argument_suggests_the_statement_across_brackets() -> None:
    text = CLEAN.replace("  + <A>\n", "  + <A>\n  + <Thesis>\n")
    (finding,) = only(text, "G302")
    assert "did you mean the statement [Thesis]?" in (finding.hint or "")
    assert only(CLEAN, "G302") == []


def test_g302_typo_in_tree() -> None:
    text = CLEAN.replace("  + <A>\n", "  + <Aa>\n  + <A>\n")
    (finding,) = only(text, "G302")
    assert (finding.line, finding.column) == (2, 5)


def test_g303_conflicting_definitions_strict_is_error_loose_is_warning() -> None:
    text = CLEAN + "\n[P2]: Something else entirely.\n  +> [Thesis]\n"
    (loose,) = only(text, "G303")
    assert loose.level.value == "warning"
    strict = "===\nmodel:\n    mode: strict\n===\n\n" + text
    (finding,) = only(strict, "G303")
    assert finding.level.value == "error"
    assert "first at line" in finding.message
    same = CLEAN + "\n[P2]:   Premise   two.\n  +> [Thesis]\n"
    assert only(same, "G303") == []


def test_g304_support_cycle() -> None:
    text = CLEAN + "\n[Thesis]\n  +> [P2]\n"
    (finding,) = only(text, "G304")
    assert finding.message.startswith("support cycle: ")
    assert "[P2]" in finding.message and "<A>" in finding.message and "[Thesis]" in finding.message
    assert only(CLEAN, "G304") == []


def test_g304_statement_cycle_points_at_a_relation() -> None:
    text = "[X]: x.\n  + [Y]: y.\n    + [X]\n"
    (finding,) = only(text, "G304")
    assert finding.line in (2, 3)


def test_g304_each_cycle_once_a_self_support_too_and_nothing_off_a_cycle() -> None:
    # [Start] supports into the first cycle but is on none; [Self] supports itself;
    # [Tail] hangs off the second cycle. One finding per cycle, in the order the
    # search from the first statements with a supporter finds them.
    text = (
        "[Start]: s.\n  +> [A]\n\n"
        "[A]: a.\n  +> [B]: b.\n    +> [A]\n\n"
        "[Self]: self.\n  +> [Self]\n\n"
        "[C]: c.\n  +> [D]: d.\n    +> [E]: e.\n      +> [C]\n  +> [Tail]: t.\n"
    )
    messages = [d.message for d in only(text, "G304")]
    assert messages == [
        "support cycle: [A] -> [B] -> [A]",
        "support cycle: [Self] -> [Self]",
        "support cycle: [C] -> [D] -> [E] -> [C]",
    ]


def _every_node_cycles(text: str) -> list[list[NodeKey]]:
    """`support_cycles` as it was written first: every node of the support graph
    numbered (premises nothing enters included), searched in the same order."""
    document = parse_text(text)
    graph = argument_graph(document)
    ids: dict[NodeKey, int] = {}
    successors: list[list[int]] = []
    sources: list[int] = []
    for source, target, _ in _support_steps(graph):
        i = ids.setdefault(source, len(ids))
        j = ids.setdefault(target, len(ids))
        successors.extend([] for _ in range(len(ids) - len(successors)))
        if not successors[i]:
            sources.append(i)
        successors[i].append(j)
    entered = {j for out in successors for j in out}
    nodes = list(ids)
    return [
        [nodes[i] for i in members]
        for members in strong_components(successors, [i for i in sources if i in entered])
        if len(members) > 1 or members[-1] in successors[members[-1]]
    ]


def _random_support_map(rng: random.Random) -> str:
    """Arguments whose premises and conclusions share a few titles, and supports
    between statements and arguments: support cycles through PCSs, or none."""
    titles = [f"S{i}" for i in range(rng.randint(3, 9))]
    parts = []
    for a in range(rng.randint(1, 6)):
        premises = rng.sample(titles, rng.randint(1, 3))
        lines = [f"({n}) [{t}]: {t}." for n, t in enumerate(premises, 1)]
        conclusion = f"({len(lines) + 1}) [{rng.choice(titles)}]: c."
        parts.append(f"<A{a}>\n\n" + "\n".join(lines) + f"\n----\n{conclusion}\n")
    for _ in range(rng.randint(0, 5)):
        source, target = rng.choice(titles), rng.choice([*titles, "<A0>"])
        target = target if target.startswith("<") else f"[{target}]"
        parts.append(f"[{source}]\n  +> {target}\n")
    return "\n".join(parts)


def test_g304_premises_left_out_of_the_search_change_nothing() -> None:
    rng = random.Random(304)
    found = 0
    for _ in range(300):
        text = _random_support_map(rng)
        expected = _every_node_cycles(text)
        document = parse_text(text)
        assert list(support_cycles(argument_graph(document))) == expected, text
        found += bool(expected)
    assert found > 30  # the maps hold cycles often enough to compare the orders


def test_g304_a_self_support_alone_is_a_cycle() -> None:
    # the only cycle of the map: no two claims are mutually dependent
    text = "[T]: t.\n  + [S]: s.\n\n[S]\n  +> [S]\n"
    assert [d.message for d in only(text, "G304")] == ["support cycle: [S] -> [S]"]


def test_g305_isolated_statement() -> None:
    text = CLEAN + "\n[Lonely]: Nobody relates to me.\n"
    (finding,) = only(text, "G305")
    assert (finding.line, finding.column) == (16, 1)
    assert only(CLEAN, "G305") == []


def test_g306_argument_missing_from_thesis_tree() -> None:
    text = CLEAN + ARG_B
    (finding,) = only(text, "G306")
    assert finding.message == "<B> supports [Thesis] through its conclusion but is missing from its tree"
    assert finding.hint == "add `  + <B>` to the tree under [Thesis] (line 2)"
    fixed = text.replace("  + <A>\n", "  + <A>\n  + <B>\n")
    assert only(fixed, "G306") == []


def test_g306_not_checked_without_a_thesis_tree() -> None:
    text = (CLEAN + ARG_B).replace("  + <A>\n", "")
    assert only(text, "G306") == []


def test_g307_tree_entry_but_conclusion_points_elsewhere() -> None:
    text = CLEAN.replace("  +> [Thesis]", "  +> [Other]") + "\n[Other]: Another claim.\n"
    (finding,) = only(text, "G307")
    assert finding.line == 2
    assert "points to [Other]" in finding.message


def test_g307_silent_when_conclusion_points_nowhere() -> None:
    text = CLEAN.replace("  +> [Thesis]\n", "")
    assert only(text, "G307") == []


def test_g308_sign_disagreement() -> None:
    text = CLEAN.replace("  +> [Thesis]", "  -> [Thesis]")
    (finding,) = only(text, "G308")
    assert finding.message == "<A> is listed as supporting (+) [Thesis], but its conclusion [C] attacks it"
    assert only(CLEAN, "G308") == []


def test_g308_undercut_and_contradiction_agree_with_attack_entries() -> None:
    text = CLEAN.replace("  + <A>\n", "  + <A>\n    _ <U>\n    - <K>\n") + (
        '\n<U>\n\n(1) [U1]: u. #assumption {reason: "r", credence: 0.5}\n----\n'
        '(2) [U2]: u2. {reason: "r", inference: 0.5}\n  _> <A>\n'
        '\n<K>\n\n(1) [K1]: k. #assumption {reason: "r", credence: 0.5}\n----\n'
        '(2) [K2]: k2. {reason: "r", inference: 0.5}\n  >< [P2]\n'
    )
    found = codes(text)
    assert not {"G306", "G307", "G308", "G310"} & set(found), found


def test_g309_argument_without_pcs() -> None:
    text = CLEAN + "\n<Lazy>: Only described.\n  +> [Thesis]\n"
    (finding,) = only(text, "G309")
    assert finding.message == "argument <Lazy> has no premises and no conclusion"
    assert only(CLEAN, "G309") == []


def test_g310_unused_argument() -> None:
    text = CLEAN + ARG_B.replace("  +> [Thesis]\n", "")
    (finding,) = only(text, "G310")
    assert finding.message == "argument <B> is not connected to the map"
    assert only(CLEAN + ARG_B, "G310") == []


def test_g310_argument_concluding_a_top_level_statement_is_used() -> None:
    text = (
        '[T]: The thesis.\n\n<A>\n\n(1) [P]: p. #prior {reason: "r", credence: 0.5}\n----\n'
        '(2) [T]: The thesis. {reason: "r", inference: 0.5}\n'
    )
    assert "G310" not in codes(text)


@pytest.mark.parametrize(
    "code", ["G301", "G302", "G303", "G304", "G305", "G306", "G307", "G308", "G309", "G310"]
)
def test_graph_rule_silent_on_clean(code: str) -> None:
    assert only(CLEAN, code) == []


LONE_ARGUMENT = """<Externality>: Emissions impose costs on others.

(1) Emissions harm third parties.
(2) [Pricing]: Harms to third parties should be priced.
----
(3) We should tax carbon.
"""


def test_g310_not_for_a_map_that_is_one_argument() -> None:
    assert only(LONE_ARGUMENT, "G310") == []
    # a misnumbered premise in it is the one finding (the parser's P107)
    misnumbered = LONE_ARGUMENT.replace("(2) [Pricing]", "(3) [Pricing]").replace("(3) We", "(4) We")
    assert [d.code for d in parse_text(misnumbered).diagnostics] == ["P107"]
    assert codes(misnumbered) == []


def test_g310_for_a_second_argument_or_a_statement_beside_it() -> None:
    second = LONE_ARGUMENT + "\n<Jobs>\n\n(1) A tax costs jobs.\n----\n(2) We should not tax carbon.\n"
    assert sorted(f.message for f in only(second, "G310")) == [
        "argument <Externality> is not connected to the map",
        "argument <Jobs> is not connected to the map",
    ]
    beside = LONE_ARGUMENT + "\n[Other]: A statement outside the argument.\n"
    assert [f.message for f in only(beside, "G310")] == ["argument <Externality> is not connected to the map"]


def test_g310_a_top_level_statement_used_in_the_argument_keeps_it_alone() -> None:
    text = "[Pricing]: Harms should be priced.\n\n" + LONE_ARGUMENT
    assert only(text, "G310") == []


def test_g305_not_for_a_map_that_is_one_statement() -> None:
    assert only("[Lonely]: The only statement of this map.\n", "G305") == []
    assert only("An untitled lone statement.\n", "G305") == []
    two = "[One]: First.\n\n[Two]: Second.\n"
    assert [f.message for f in only(two, "G305")] == [
        "[One] is not connected to anything",
        "[Two] is not connected to anything",
    ]

"""E410's lookup of earlier overlapping passages by line bucket finds what comparing
a link with every earlier link of the file finds (the definition), in the same order."""

from __future__ import annotations

import random

from argmap.evidence.doublecount import _overlap, _passage_hit, _Passages
from argmap.graph import NodeKey, argument_key, statement_key
from argmap.model import EvidenceLink, Span

SPAN = Span(line=1, column=1, end_line=1, end_column=2)


def _link(start: int | None, end: int | None) -> EvidenceLink:
    return EvidenceLink(
        label="evidence", url="docs/p.md", span=SPAN, path="docs/p.md", line_start=start, line_end=end
    )


def _by_scanning(title: str, link: EvidenceLink, earlier: list[tuple[str, EvidenceLink]]) -> list[str]:
    return [other for other, other_link in earlier if other != title and _overlap(other_link, link)]


def test_candidates_hold_every_overlapping_earlier_link_in_order() -> None:
    for trial in range(200):
        rng = random.Random(trial)
        passages = _Passages()
        earlier: list[tuple[str, EvidenceLink]] = []
        for _ in range(rng.randint(1, 40)):
            kind = rng.random()
            if kind < 0.1:
                link = _link(None, None)
            else:
                start = rng.randint(0, 20_000)
                length = rng.choice([0, 3, 60, 200, 5_000]) if kind < 0.9 else -rng.randint(1, 300)
                link = _link(start, max(0, start + length))
            title = rng.choice("ABCDEF")
            found = [
                other
                for other, other_link in passages.candidates(link)
                if other != title and _overlap(other_link, link)
            ]
            assert found == _by_scanning(title, link, earlier), trial
            passages.add(title, link)
            earlier.append((title, link))


def test_the_first_earlier_argument_with_a_common_target_is_named() -> None:
    reach: dict[str, tuple[list[NodeKey], set[NodeKey]]] = {
        "A": ([statement_key("X")], {statement_key("X")}),
        "B": ([statement_key("T")], {statement_key("T")}),
        "C": ([statement_key("T")], {statement_key("T")}),
    }
    passages = _Passages()
    passages.add("A", _link(10, 20))  # overlaps, but reaches nothing C reaches
    passages.add("B", _link(500, 520))  # does not overlap
    passages.add("B", _link(15, 15))  # overlaps and reaches [T]
    hit = _passage_hit("C", _link(12, 18), passages, reach["C"][0], lambda title: reach[title])
    assert hit == ("E410", "B", statement_key("T"))
    assert argument_key("B") not in reach["C"][1]

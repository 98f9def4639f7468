"""The first marker in a statement's text, found in one pass (issue 16, F5: one
statement with 100,000 tags was searched once per tag)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

from argmap.grammar import parse_text
from argmap.render.html_map import display_text
from argmap.render.markers import first_marker
from tests.maps import tags_map


def _by_finds(text: str, wanted: list[str]) -> int | None:
    """The definition: the least index >= 1 where a marker occurs (a find per marker)."""
    hits = [i for m in wanted if m for i in range(1, len(text)) if text.startswith(m, i)]
    return min(hits, default=None)


def test_first_marker_matches_the_definition_on_random_texts() -> None:
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(" #ab>") for _ in range(rng.randint(0, 30)))
        wanted = ["".join(rng.choice(" #ab>") for _ in range(rng.randint(0, 4))) for _ in range(4)]
        assert first_marker(text, wanted) == _by_finds(text, wanted), (text, wanted)


def test_a_marker_at_the_start_does_not_cut_and_prefixes_of_others_count() -> None:
    assert first_marker(" #a claim #a", [" #a"]) == 9
    assert first_marker("claim #tag10 #tag1", [" #tag1"]) == 5
    assert first_marker("claim", []) is None


def test_display_text_cuts_before_tags_sources_and_quotes() -> None:
    document = parse_text("[T]: The claim [src](https://e.org) #one #two\n", "m.argdown")
    assert display_text(document.statements["T"]) == "The claim"


class _CountedText(str):
    """A text that counts the characters its searches look at (a find scans up to the whole
    text, an index looks at one character)."""

    looked = 0

    def find(self, sub: str, *bounds: int) -> int:  # type: ignore[override]
        _CountedText.looked += len(self)
        return super().find(sub, *bounds)

    def __getitem__(self, key: int | slice) -> str:  # type: ignore[override]
        _CountedText.looked += 1 if isinstance(key, int) else 0
        return super().__getitem__(key)


@dataclass
class _Claim:
    text: str
    tags: list[str]
    members: list[object] = field(default_factory=list)


@pytest.mark.parametrize("n", [500, 2000])
def test_display_text_looks_at_each_character_a_bounded_number_of_times(n: int) -> None:
    statement = parse_text(tags_map(n), "m.argdown").statements["T"]
    assert len(statement.tags) == n
    claim = _Claim(_CountedText(statement.text), statement.tags)
    _CountedText.looked = 0
    assert display_text(claim) == "The thesis."
    assert _CountedText.looked <= 2 * len(claim.text)  # a find per tag: n times the text

"""The section-level map's cards (argmap/render/overview.py), against values worked out by
hand from a small map: counts, the side each claim takes toward the thesis, the strongest
support and attack of each section."""

from __future__ import annotations

from typing import Any

from argmap.grammar import parse_text
from argmap.render.layout import build_layout
from argmap.render.overview import polarity, section_cards

MAP = """[T]: The thesis.

# Alpha

[A1]: Strong support. {credence: 0.8}
  +> [T]

[A2]: Weaker support. {credence: 0.6}
  +> [T]

# Beta

[B1]: An attack. {credence: 0.7}
  -> [T]

[B2]: Supports the attack, inside the section only. {credence: 0.9}
  +> [B1]

## Beta inner

[C1]: Attacks the attack from a subsection: on the thesis's side. {credence: 0.5}
  -> [B1]
"""


def _cards() -> tuple[dict[str, dict[str, Any]], list[str]]:
    document = parse_text(MAP, "m.argdown")
    layout = build_layout(document, "T")
    keys = list(layout.nodes)
    stated = {t: s.data.get("credence") for t, s in document.statements.items()}
    data = section_cards(document, layout, {k: i for i, k in enumerate(keys)}, lambda t: stated.get(t))
    by_title = {data["titles"][c["path"][-1]]["title"]: c for c in data["cards"]}
    return by_title, keys


def test_polarity_follows_the_signs_along_the_path() -> None:
    layout = build_layout(parse_text(MAP, "m.argdown"), "T")
    signs = polarity(layout)
    assert signs["s:T"] == 1
    assert signs["s:A1"] == signs["s:A2"] == 1
    assert signs["s:B1"] == -1
    assert signs["s:B2"] == -1  # supports an attack
    assert signs["s:C1"] == 1  # attacks an attack


def test_cards_count_and_name_the_strongest() -> None:
    cards, keys = _cards()
    alpha, beta, inner = cards["Alpha"], cards["Beta"], cards["Beta inner"]
    assert (alpha["claims"], alpha["args"]) == (2, 0)
    assert alpha["sup"] == [keys.index("s:A1"), 0.8]
    assert "att" not in alpha
    # B2 (0.9) is on the attacking side but tells nothing outside its section: B1 is named.
    assert beta["att"] == [keys.index("s:B1"), 0.7]
    assert "sup" not in beta
    assert inner["sup"] == [keys.index("s:C1"), 0.5]
    # The subsection's path runs through its parent: the page can sum it into Beta's card.
    assert len(inner["path"]) == 2 and inner["path"][0] == beta["path"][0]

"""Busy claims and large maps in a real browser (headless Chromium), measured on the drawn
page: every edge into the thesis ends at its own arrowhead and no drawn edge runs through
a box (the bundled hub test map always, the real map when the corpus is present); hovering
an edge lights its whole path and its two ends; zoomed out on a 2,000-argument map, the
section-level map fits the screen with text of at least 11 screen pixels."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import parse_file
from argmap.render.html_map import collect, render_html
from tests.browser.conftest import console_errors, wait_until
from tests.render.busy_maps import hub_map

ARROWHEAD_WIDTH = 14.0
MIN_SCREEN_FONT = 11.0

# Sample every drawn edge path (in map coordinates) and every drawn box; report the edges
# running inside a box other than their two ends', and where the edges into the thesis end.
MEASURE = """
var D = JSON.parse(document.getElementById('argmap-data').textContent), boxes = [], through = [], heads = [];
document.querySelectorAll('#map .n').forEach(function (g) {
  var i = +g.id.slice(1), m = g.transform.baseVal.consolidate().matrix, r = g.querySelector('.box');
  boxes.push([i, m.e + 1, m.f + 1, m.e + r.width.baseVal.value - 1, m.f + r.height.baseVal.value - 1]);
});
document.querySelectorAll('#map .e').forEach(function (p) {
  var i = +p.id.slice(1), e = D.edges[i], len = p.getTotalLength(), hit = {};
  for (var s = 0; s <= len; s += 3) {
    var q = p.getPointAtLength(s);
    boxes.forEach(function (b) {
      var inside = q.x > b[1] && q.x < b[3] && q.y > b[2] && q.y < b[4];
      if (inside && b[0] !== e[0] && b[0] !== e[1] && !hit[b[0]]) {
        hit[b[0]] = true; through.push([i, b[0]]);
      }
    });
  }
  if (e[1] === D.thesis) { var end = p.getPointAtLength(len); heads.push([end.x, end.y]); }
});
var t = D.nodes[D.thesis].box;
return {through: through, heads: heads, thesis: t, boxes: boxes.length, nodes: D.nodes.length};
"""


# Hover the first attack on the thesis: what is lit, how wide the lit path, how faint the rest.
HOVER = """
var D = JSON.parse(document.getElementById('argmap-data').textContent);
var i = D.edges.findIndex(function (e) { return e[1] === D.thesis && e[2] === 'attack'; });
var p = document.getElementById('e' + i);
p.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
var lit = Array.prototype.map.call(document.querySelectorAll('#map .hl'), function (x) { return x.id; });
var other = document.querySelector('#map .e:not(.hl)');
return [i, lit, getComputedStyle(p).strokeWidth, getComputedStyle(other).opacity];
"""

# The section-level map's cards: how many, inside the stage or not, and every text's size
# in screen pixels (CSS pixels times the page zoom).
CARDS = """
var s = document.getElementById('sections'), st = document.getElementById('stage').getBoundingClientRect();
var cards = s.querySelectorAll('.card'), zoom = window.visualViewport ? window.visualViewport.scale : 1;
var out = {hidden: s.hidden, cards: cards.length, scrolls: s.scrollHeight > s.clientHeight + 1,
           outside: 0, fonts: [], empty: 0};
cards.forEach(function (c) {
  var r = c.getBoundingClientRect();
  if (r.left < st.left || r.right > st.right || r.top < st.top || r.bottom > st.bottom) out.outside++;
  c.querySelectorAll('b, i, span.sup, span.att').forEach(function (t) {
    out.fonts.push(parseFloat(getComputedStyle(t).fontSize) * zoom);
    if (!t.getClientRects().length) out.empty++;
  });
});
return out;
"""


def _open(driver: Any, page: Path) -> None:
    driver.get(page.as_uri())
    wait_until(driver, lambda d: d.execute_script("return document.documentElement.dataset.ready") == "1")
    assert console_errors(driver) == []


def _page(source: Path, folder: Path) -> Path:
    page = folder / "map.html"
    page.write_text(render_html(collect(parse_file(str(source)), samples=0)), encoding="utf-8")
    return page


def _assert_hub_drawn_apart(driver: Any, expected: int) -> None:
    found = driver.execute_script(MEASURE)
    assert found["boxes"] == found["nodes"]  # a small map: every box is drawn
    assert found["through"] == []
    heads = found["heads"]
    assert len(heads) == expected
    x, y, w, h = found["thesis"]
    assert all(abs(hy - (y + h)) < 1.0 and x <= hx <= x + w for hx, hy in heads)
    assert min(abs(a[0] - b[0]) for a, b in itertools.combinations(heads, 2)) >= ARROWHEAD_WIDTH


def test_hub_map_edges_have_their_own_arrowheads(browser: Any, tmp_path: Path) -> None:
    source = tmp_path / "hub.argdown"
    source.write_text(hub_map(), encoding="utf-8")
    _open(browser, _page(source, tmp_path))
    _assert_hub_drawn_apart(browser, 25)
    # Hovering an edge lights the whole path and both its ends, and dims the rest.
    lit = browser.execute_script(HOVER)
    index, ids, width, dimmed = lit
    edge = browser.execute_script(
        f"return JSON.parse(document.getElementById('argmap-data').textContent).edges[{index}]"
    )
    assert sorted(ids) == sorted([f"e{index}", f"n{edge[0]}", f"n{edge[1]}"])
    assert float(width.rstrip("px")) >= 4
    assert float(dimmed) < 0.5


def test_real_map_thesis_edges_are_apart_and_clear_of_boxes(
    browser: Any, corpus_map: Path, tmp_path: Path
) -> None:
    _open(browser, _page(corpus_map, tmp_path))
    _assert_hub_drawn_apart(browser, 15)


def test_large_map_overview_is_legible_at_fit(browser: Any, large_page: tuple[Path, dict[str, Any]]) -> None:
    page, data = large_page
    assert sum(1 for n in data["nodes"] if n["k"] == "a") >= 1900
    _open(browser, page)
    parts = {card["path"][0] for card in data["sections"]["cards"]}
    shown = browser.execute_script(CARDS)
    assert shown["hidden"] is False
    assert shown["cards"] == len(parts) == 90  # one card per part, all on one screen
    assert not shown["scrolls"] and shown["outside"] == 0
    assert shown["fonts"] and min(shown["fonts"]) >= MIN_SCREEN_FONT and shown["empty"] == 0
    # Each card names its strongest support and attack toward the thesis, with credences.
    first = browser.find_element("css selector", "#sections .card")
    assert "claims" in first.text and "▲" in first.text and "▼" in first.text
    # Clicking a card zooms to that part: the section map gives way to its claims.
    first.click()
    wait_until(browser, lambda d: d.execute_script("return document.getElementById('sections').hidden"))
    wait_until(browser, lambda d: d.execute_script("return document.querySelectorAll('#map .n').length") > 0)
    assert console_errors(browser) == []


@pytest.mark.parametrize("width", [1024])
def test_section_map_scrolls_rather_than_shrinks_on_a_small_screen(
    browser: Any, large_page: tuple[Path, dict[str, Any]], width: int
) -> None:
    browser.set_window_size(width, 700)
    page, _ = large_page
    _open(browser, page)
    fonts = browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('#sections .card b'),"
        " function (t) { return parseFloat(getComputedStyle(t).fontSize); });"
    )
    assert fonts and min(fonts) >= MIN_SCREEN_FONT

"""The bottom line in the HTML map (issue 13): the header shows the model range with what the
thesis rests on, and the panel of a clustered argument shows what its cluster contributed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from argmap.grammar import parse_file
from argmap.render.html_map import collect, page_data, render_html
from tests.browser.conftest import console_errors, wait_until
from tests.browser.test_html_browser import _ready

MAP = """[T]: The thesis. #thesis

<A1>: First argument. #cluster-x

(1) [P1]: Premise one. #assumption {reason: "r", credence: 0.8}
----
(2) [C1]: Conclusion one. {reason: "r", inference: 0.625}
    +> [T]

<A2>: Second argument. #cluster-x

(1) [P2]: Premise two. #assumption {reason: "r", credence: 0.8}
----
(2) [C2]: Conclusion two. {reason: "r", inference: 0.5}
    +> [T]

<A3>: Third argument.

(1) [P3]: Premise three. #assumption {reason: "r", credence: 0.6}
----
(2) [C3]: Conclusion three. {reason: "r", inference: 0.5}
    +> [T]
"""


def test_header_range_and_cluster_panel(browser: Any, tmp_path: Path) -> None:
    source = tmp_path / "map.argdown"
    source.write_text(MAP, encoding="utf-8")
    data = collect(parse_file(str(source)), samples=200)
    page = tmp_path / "map.html"
    page.write_text(render_html(data), encoding="utf-8")
    payload = page_data(data)
    browser.get(page.as_uri())
    _ready(browser)
    header = browser.find_element("id", "model-range")
    assert header.text == "model range 0.50–0.90"  # vargdown-compat 0.500 to dfquad 0.895
    assert "rho 0 -> 0.731" in header.get_attribute("title")
    index = next(i for i, n in enumerate(payload["nodes"]) if n["k"] == "a" and n["title"] == "A1")
    browser.find_element("id", f"n{index}").click()
    line = wait_until(browser, lambda d: d.find_element("css selector", "#panel .cluster"))
    assert "#cluster-x into [T]" in line.text and "= 0.700, one supporter" in line.text
    assert console_errors(browser) == []

"""The report printed by headless Chromium (print to PDF, A4): few pages, sections that flow,
tables that fit, and map labels of a legible size."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import parse_file
from argmap.render.report import build_report, render_report
from tests.conftest import EXAMPLE

LABEL_PX = 12.0  # a claim's label in the drawing (map.svg.css `.n text`)
MIN_LABEL_PT = 5.5  # the whole real map at a page's width prints them at about 4 pt


def _pdf_pages(browser: Any, page: Path) -> int:
    browser.get(page.as_uri())
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    return len(re.findall(rb"/Type\s*/Page\b", base64.b64decode(pdf["data"])))


PRINT_MEASURES = """
const parts = [...document.querySelectorAll('.map-part svg')].map(svg => {
  const vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
  return r.width / vb.width * arguments[0] * 0.75;
});
const table = document.querySelector('table.evidence');
const detail = table && table.querySelector('tr:nth-child(2) td:last-child');
const share = detail ? detail.getBoundingClientRect().width / table.getBoundingClientRect().width : null;
return {labels: parts, detail: share, overflow: document.documentElement.scrollWidth - innerWidth};
"""


def _print_measures(browser: Any, page: Path) -> dict[str, Any]:
    browser.get(page.as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        measures: dict[str, Any] = browser.execute_script(PRINT_MEASURES, LABEL_PX)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    return measures


def _report(source: Path, target: Path) -> Path:
    target.write_text(render_report(build_report(parse_file(str(source)), samples=500)), encoding="utf-8")
    return target


@pytest.mark.parametrize("name", ["picnic", "real"])
def test_report_prints_on_four_pages_with_legible_map_labels(
    browser: Any, tmp_path: Path, request: pytest.FixtureRequest, name: str
) -> None:
    source = EXAMPLE if name == "picnic" else request.getfixturevalue("corpus_map")
    page = _report(source, tmp_path / f"{name}.report.html")
    assert _pdf_pages(browser, page) <= 4
    measures = _print_measures(browser, page)
    assert measures["labels"] and min(measures["labels"]) >= MIN_LABEL_PT
    assert measures["detail"] >= 0.25  # the detail column keeps a quarter of the width
    assert measures["overflow"] <= 0  # nothing wider than the page

#!/usr/bin/env python3
"""The screenshots of docs/render.md about errors, quotes and the printed report, taken with
headless Chromium (Debian's `chromium` and `chromium-driver`, as the browser tests use):

    python scripts/problem_screenshots.py ../shared/corpus/adapters/adapters_vargdown.argdown -o docs/img

The map is used as shipped (with its syntax error):

- `real-map-banner.png`: the page at fit, 1280 x 800: the error banner, and the two
  statements named by `+>` but never defined, drawn missing beside the thesis;
- `real-map-jump.png`: the same page at 1024 x 768 after clicking the banner's first error:
  the argument it is about ringed and centred, the panel starting with the error and its
  source line;
- `real-map-panel.png`: the side panel of a claim whose quote drifted (quotes as Markdown);
- `report-pages.png`: `argmap report MAP` printed to PDF (A4) by Chromium, its pages side
  by side (needs `pdftoppm`, Debian's `poppler-utils`, to turn the pages into pictures).
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screenshot_browser import browser, open_when_drawn  # noqa: E402

from argmap.grammar import parse_file  # noqa: E402
from argmap.render.html_map import collect, render_html  # noqa: E402
from argmap.render.report import build_report, render_report  # noqa: E402

TO_QUOTES = (
    "var h = [...document.querySelectorAll('#panel h3')].find(x => x.textContent === 'Evidence');"
    "if (h) h.scrollIntoView()"
)
CLICK = "document.getElementById(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true}))"


def _open(driver: Any, page: Path, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    open_when_drawn(driver, page)
    time.sleep(0.3)


def _report_pages(driver: Any, report: Path, out: Path) -> None:
    from PIL import Image

    driver.get(report.as_uri())
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    folder = report.parent
    (folder / "report.pdf").write_bytes(base64.b64decode(pdf["data"]))
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(folder / "report.pdf"), str(folder / "page")], check=True
    )
    pages = [Image.open(p) for p in sorted(folder.glob("page-*.png"))]
    gap = 16
    sheet = Image.new(
        "RGB",
        (sum(p.width for p in pages) + gap * (len(pages) + 1), max(p.height for p in pages) + 2 * gap),
        "#9ca3af",
    )
    x = gap
    for page in pages:
        sheet.paste(page, (x, gap))
        x += page.width + gap
    sheet.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("map")
    parser.add_argument("-o", "--output", default="docs/img")
    args = parser.parse_args()
    out = Path(args.output)
    document = parse_file(args.map)
    data = collect(document)
    drifted = next(
        title for title, quotes in data.evidence.items() if any(q["status"] == "drift" for q in quotes)
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        page = work / "real.html"
        page.write_text(render_html(data), encoding="utf-8")
        report = work / "report.html"
        report.write_text(render_report(build_report(document)), encoding="utf-8")
        driver = browser(str(work / "profile"))
        try:
            _open(driver, page, 1280, 800)
            driver.save_screenshot(str(out / "real-map-banner.png"))
            _open(driver, page, 1024, 768)
            driver.find_element("id", "banner-first").click()
            time.sleep(0.3)
            driver.save_screenshot(str(out / "real-map-jump.png"))
            _open(driver, page, 1280, 800)
            index = next(
                i
                for i, n in enumerate(
                    driver.execute_script(
                        "return JSON.parse(document.getElementById('argmap-data').textContent).nodes"
                    )
                )
                if n["title"] == drifted
            )
            driver.execute_script(CLICK, f"n{index}")
            time.sleep(0.3)
            # the panel scrolled to the claim's quotes (rendered from their Markdown)
            driver.execute_script(TO_QUOTES)
            driver.save_screenshot(str(out / "real-map-panel.png"))
            _report_pages(driver, report, out / "report-pages.png")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()

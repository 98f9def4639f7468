#!/usr/bin/env python3
"""The map screenshots of docs/render.md, taken with headless Chromium (Debian's
`chromium` and `chromium-driver`, as the browser tests use):

    python scripts/map_screenshots.py ../shared/corpus/adapters/adapters_vargdown.argdown -o docs/img

- `real-map.png`: `argmap render MAP --to png` (the static picture);
- `real-map-trace.png`: the page zoomed on the thesis with one attack on it hovered
  (its whole path lit, the rest dimmed);
- `large-map-sections.png`: a generated map of about 2,000 arguments
  (`bench/gen_synthetic.py --lines 52000 --seed 2`) zoomed out: the section-level map.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screenshot_browser import browser, open_when_drawn  # noqa: E402

from argmap.grammar import parse_file  # noqa: E402
from argmap.render.html_map import collect, render_html, render_svg, svg_to_png  # noqa: E402

HOVER_ATTACK = """
var D = JSON.parse(document.getElementById('argmap-data').textContent);
var i = D.edges.findIndex(function (e) {
  return e[1] === D.thesis && (e[2] === 'contrary' || e[2] === 'attack');
});
document.getElementById('e' + i).dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("map")
    parser.add_argument("-o", "--output", default="docs/img")
    args = parser.parse_args()
    out = Path(args.output)
    data = collect(parse_file(args.map))
    (out / "real-map.png").write_bytes(svg_to_png(render_svg(data)))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "real.html").write_text(render_html(data), encoding="utf-8")
        large = work / "large.argdown"
        generator = str(ROOT / "bench" / "gen_synthetic.py")
        command = [sys.executable, generator, "--lines", "52000", "--seed", "2", "-o", str(large)]
        subprocess.run(command, check=True)
        large_page = collect(parse_file(str(large)), samples=0, evidence=False)
        (work / "large.html").write_text(render_html(large_page), encoding="utf-8")
        driver = browser(str(work / "profile"), "--window-size=1500,900")
        try:
            open_when_drawn(driver, work / "real.html")
            driver.find_element("id", "stage").send_keys("t")  # the thesis, centred and zoomed in
            driver.find_element("id", "stage").send_keys("\ue00c")  # Esc: close the panel, keep the view
            driver.find_element("id", "stage").send_keys("\ue015" * 3)  # arrow down: the thesis near the top
            driver.execute_script(HOVER_ATTACK)
            driver.save_screenshot(str(out / "real-map-trace.png"))
            open_when_drawn(driver, work / "large.html")
            driver.save_screenshot(str(out / "large-map-sections.png"))
        finally:
            driver.quit()


if __name__ == "__main__":
    main()

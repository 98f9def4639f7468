"""Rendering benchmark: `argmap render` wall time, page size, and the page in headless Chromium.

    .venv/bin/python bench/bench_render.py MAP.argdown [MAP...] [--browser] [--repeat N]

For each map: end-to-end `argmap render` time (best of N, start-up included), the stages
inside it (parse, layout, scores, evidence, rules, HTML), the file size; with --browser,
the page loaded from file:// in headless Chromium (Debian's chromium + chromium-driver,
through Selenium): first contentful paint, DOMContentLoaded, the first drawing of the map
(`argmap-first-draw` mark) and the time until the script has wired everything
(`argmap-ready` mark, `data-ready`), how many boxes the first view draws (and whether it
is the overview), and how long a search, a semantics switch, a zoom step, a click on a claim
(zoomed in at the thesis) and a pan across the view take, each until the next frame.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cli_time(path: str, out: str, repeat: int) -> float:
    argmap = str(Path(sys.executable).with_name("argmap"))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([argmap, "render", path, "-o", out], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def stages(path: str) -> dict[str, float]:
    from argmap.grammar import parse_file
    from argmap.render.html_map import collect, render_html

    gc.collect()
    start = time.perf_counter()
    document = parse_file(path)
    parsed = time.perf_counter()
    data = collect(document)
    collected = time.perf_counter()
    render_html(data)
    done = time.perf_counter()
    return {
        "parse": parsed - start,
        **data.timings,
        "html": done - collected,
        "nodes": len(data.layout.nodes),
    }


def browser(page: str) -> dict[str, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    from argmap.render.chromium import HEADLESS_FLAGS, find_chromium

    profile = tempfile.mkdtemp(prefix="argmap-bench-")
    options = webdriver.ChromeOptions()
    options.binary_location = find_chromium() or "/usr/bin/chromium"
    for flag in (*HEADLESS_FLAGS, "--window-size=1400,900", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(
        service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options
    )
    driver.set_page_load_timeout(300)
    driver.set_script_timeout(120)
    try:
        driver.get(Path(page).resolve().as_uri())
        WebDriverWait(driver, 300).until(
            lambda d: d.execute_script("return document.documentElement.dataset.ready") == "1"
        )
        timing = driver.execute_script(
            "var m = function (n) { var e = performance.getEntriesByName(n)[0]; return e ? e.startTime : null; };"
            "var nav = performance.getEntriesByType('navigation')[0];"
            "return {first_paint_ms: m('first-contentful-paint'), dom_ready_ms: nav ? nav.domContentLoadedEventEnd : null,"
            " map_drawn_ms: m('argmap-first-draw'), interactive_ms: m('argmap-ready'),"
            " drawn_nodes: document.querySelectorAll('#map .n').length,"
            " overview: document.getElementById('stage').classList.contains('overview') ? 1 : 0};"
        )
        # Each interaction is timed until the frame after it (style, layout and paint included).
        frame = (
            "var done = arguments[arguments.length - 1], t = performance.now(); %s;"
            "requestAnimationFrame(function () { setTimeout(function () { done(performance.now() - t); }, 0); });"
        )
        search = driver.execute_async_script(
            frame
            % "var s = document.getElementById('search'); s.value = 'premise 1'; s.dispatchEvent(new Event('input'))"
        )
        driver.execute_script(
            "var s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'));"
        )
        switch = driver.execute_async_script(
            frame
            % "var s = document.getElementById('semantics'); s.value = 'dfquad'; s.dispatchEvent(new Event('change'))"
        )
        zoom = driver.execute_async_script(frame % "document.getElementById('zoom-in').click()")
        # Go to the thesis (zoomed in: full boxes), then click a drawn claim and pan.
        driver.execute_script("document.dispatchEvent(new KeyboardEvent('keydown', {key: 't'}))")
        click = driver.execute_async_script(
            frame % "var n = document.querySelectorAll('#map .n.st'); n[n.length - 1].dispatchEvent("
            "new MouseEvent('click', {bubbles: true}))"
        )
        pan = driver.execute_async_script(
            frame % "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}));"
            "for (var i = 0; i < 15; i++) document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'}))"
        )
        return {
            **timing,
            "search_ms": search,
            "semantics_ms": switch,
            "zoom_ms": zoom,
            "click_ms": click,
            "pan_ms": pan,
        }
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("maps", nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    for path in args.maps:
        out = os.path.join(tempfile.mkdtemp(prefix="argmap-render-"), Path(path).stem + ".html")
        wall = cli_time(path, out, args.repeat)
        parts = stages(path)
        print(
            f"{Path(path).name}: {int(parts.pop('nodes'))} nodes, argmap render {wall:.2f} s end-to-end, "
            f"{os.path.getsize(out) / 1e6:.1f} MB"
        )
        print("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))
        if args.browser:
            result = browser(out)
            print("  browser: " + ", ".join(f"{k} {v:.0f}" for k, v in result.items() if v is not None))


if __name__ == "__main__":
    main()

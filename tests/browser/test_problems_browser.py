"""Errors you cannot miss, in a real browser (headless Chromium): the banner with the error
count and the first error, the jump from a problem to its node, the missing nodes, the
header and legend at 1024 px, quotes as Markdown, and serve's banner after a save that
changes the thesis."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import parse_file
from argmap.render.html_map import collect, page_data, render_html
from argmap.serve.server import Preview, PreviewServer, make_server, start_watching
from tests.browser.conftest import console_errors, wait_until
from tests.conftest import EXAMPLE, picnic_copy
from tests.problem_maps import CATS, QUOTED_EVIDENCE, QUOTED_MAP, TEA, ProblemMap


def _open(driver: Any, url: str, width: int = 1400, height: int = 900) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.get(url)
    wait_until(driver, lambda d: d.execute_script("return document.documentElement.dataset.ready") == "1")


def _page(
    folder: Path, text: str, name: str = "map.argdown", evidence: bool = False
) -> tuple[Path, dict[str, Any]]:
    source = folder / name
    source.write_text(text, encoding="utf-8")
    data = collect(parse_file(str(source)), samples=0, evidence=evidence)
    page = source.with_suffix(".html")
    page.write_text(render_html(data), encoding="utf-8")
    return page, page_data(data)


def _index(data: dict[str, Any], key: str) -> int:
    return next(i for i, n in enumerate(data["nodes"]) if f"{n['k']}:{n['title']}" == key)


# the node's box on screen, inside the map's stage (not under the header, banner or panel)
IN_VIEW = """
const el = document.getElementById(arguments[0]); if (!el) return false;
const r = el.querySelector('.box').getBoundingClientRect();
const s = document.getElementById('stage').getBoundingClientRect();
const p = document.getElementById('panel'), right = p.hidden ? s.right : p.getBoundingClientRect().left;
return r.left >= s.left && r.right <= right && r.top >= s.top && r.bottom <= s.bottom;
"""


def _check_banner_and_jump(
    browser: Any, data: dict[str, Any], errors: int, first: tuple[str, int], node: int
) -> None:
    banner = browser.find_element("id", "banner")
    assert banner.is_displayed()
    noun = "error" if errors == 1 else "errors"
    assert browser.find_element("id", "banner-count").text == f"{errors} {noun}"
    link = browser.find_element("id", "banner-first")
    assert f"{first[0]} line {first[1]}:" in link.text
    # the banner sits above the map: the map's stage starts below it
    stage_top = browser.execute_script("return document.getElementById('stage').getBoundingClientRect().top")
    assert stage_top >= banner.rect["y"] + banner.rect["height"] - 1
    link.click()
    wait_until(
        browser,
        lambda d: (
            d.execute_script("return document.querySelector('.n.sel') && document.querySelector('.n.sel').id")
            == f"n{node}"
        ),
    )
    assert "prob" in browser.find_element("id", f"n{node}").get_attribute("class").split()
    assert browser.execute_script(IN_VIEW, f"n{node}")
    problems = browser.find_element("css selector", "#panel .probs")
    assert f"{first[0]} line {first[1]}:" in problems.text
    assert f"{first[1]} |" in problems.text  # the source line itself


@pytest.mark.parametrize("case", [CATS, TEA], ids=["cats", "tea"])
def test_banner_and_jump_on_bundled_broken_maps(browser: Any, tmp_path: Path, case: ProblemMap) -> None:
    page, data = _page(tmp_path, case.text)
    _open(browser, page.as_uri())
    assert console_errors(browser) == []
    _check_banner_and_jump(browser, data, case.errors, case.first, _index(data, case.first_node))
    for key in case.missing:
        i = _index(data, key)
        classes = browser.execute_script(f"return document.getElementById('n{i}').getAttribute('class')")
        assert "miss" in classes.split()
        if key.startswith("s:"):
            assert browser.find_element("css selector", f"#n{i} .nd").text == "not defined"
    # the problem list: errors first; its last error jumps to its own node
    browser.find_element("id", "show-diags").click()
    items = browser.find_elements("css selector", "#diags li")
    levels = [d["level"] for d in data["diagnostics"]]
    assert len(items) == len(levels) and levels[: case.errors] == ["error"] * case.errors
    last = data["diagnostics"][case.errors - 1]
    items[case.errors - 1].click()
    wait_until(
        browser,
        lambda d: d.execute_script("return document.querySelector('.n.sel').id") == f"n{last['node']}",
    )
    assert browser.execute_script(IN_VIEW, f"n{last['node']}")


def test_banner_and_jump_on_the_unfixed_real_map(browser: Any, corpus_map: Path, tmp_path: Path) -> None:
    data = collect(parse_file(str(corpus_map)), samples=0)
    page = tmp_path / "real.html"
    page.write_text(render_html(data), encoding="utf-8")
    payload = page_data(data)
    _open(browser, page.as_uri())
    node = _index(payload, "a:AntiPaSTO OOD Transfer")
    _check_banner_and_jump(browser, payload, 3, ("P106", 117), node)
    # the two statements named only by `+>` are drawn missing, not as ordinary claims
    for title in ("Orthogonal Preservation", "Direction Magnitude Decoupling"):
        i = _index(payload, f"s:{title}")
        assert browser.find_element("css selector", f"#n{i} .nd").text == "not defined"
        assert browser.find_elements("css selector", f"#n{i} .bf") == []
    # the syntax error heads the problem list (it was 9th of 28)
    browser.find_element("id", "show-diags").click()
    assert browser.find_element("css selector", "#diags li").text.startswith("P106 line 117:")


NOTHING_COVERED = """
const bad = [], boxes = ['bar', 'banner', 'legend'].map(id => document.getElementById(id))
  .filter(el => el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0)
  .map(el => [el.id, el.getBoundingClientRect()]);
for (const n of document.querySelectorAll('#map .n')) {
  const r = n.getBoundingClientRect();
  for (const [id, b] of boxes) {
    const meets = r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top;
    if (meets) bad.push(n.id + ' under ' + id);
  }
}
const h1 = document.getElementById('map-title');
if (h1.scrollHeight > h1.clientHeight + 1) bad.push('title clipped');
for (const b of document.querySelectorAll('#bar button, #bar select, #bar input')) {
  const r = b.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
  const hidden = r.right > innerWidth || r.left < 0 || document.elementFromPoint(x, y) !== b;
  if (hidden) bad.push((b.id || b.tagName) + ' hidden');
}
return bad;
"""


def test_at_1024_px_the_header_and_legend_leave_the_map_clear(browser: Any, tmp_path: Path) -> None:
    """At fit, no box lies under the header, the banner or the legend; the title is whole
    and every control can be clicked."""
    long_title = (
        "===\ntitle: " + "A Long Title About Adapters, Manifolds and Interventions " * 2 + "\n===\n\n"
    )
    page, _ = _page(tmp_path, long_title + CATS.text)
    _open(browser, page.as_uri(), 1024, 768)
    assert browser.execute_script(NOTHING_COVERED) == []
    picnic = tmp_path / "picnic.html"
    picnic.write_text(render_html(collect(parse_file(str(EXAMPLE)), samples=0)), encoding="utf-8")
    _open(browser, picnic.as_uri(), 1024, 768)
    assert browser.execute_script(NOTHING_COVERED) == []


def test_real_map_at_1024_px(browser: Any, corpus_map: Path, tmp_path: Path) -> None:
    page = tmp_path / "real.html"
    page.write_text(render_html(collect(parse_file(str(corpus_map)), samples=0)), encoding="utf-8")
    _open(browser, page.as_uri(), 1024, 768)
    assert browser.execute_script(NOTHING_COVERED) == []


def _click(browser: Any, i: int) -> None:
    browser.execute_script(
        f"document.getElementById('n{i}').dispatchEvent(new MouseEvent('click', {{bubbles: true}}))"
    )


def test_quotes_show_as_markdown_and_raw_html_as_text(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "study.md").write_text(QUOTED_EVIDENCE, encoding="utf-8")
    page, data = _page(tmp_path, QUOTED_MAP, evidence=True)
    _open(browser, page.as_uri())
    _click(browser, _index(data, "s:Heart Rate Drops"))
    quotes = wait_until(browser, lambda d: d.find_elements("css selector", "#panel blockquote"))
    html = " ".join(q.get_attribute("innerHTML") for q in quotes)
    assert "<strong>regular walking</strong>" in html and "<em>resting</em>" in html
    assert "<li>after <code>12</code> weeks.</li>" in html
    assert "**" not in " ".join(q.text for q in quotes)
    _click(browser, _index(data, "s:Raw Html Quote"))
    wait_until(browser, lambda d: "Raw Html Quote" in d.find_element("id", "panel-title").text)
    quote = browser.find_element("css selector", "#panel blockquote")
    assert '<script>alert("x")</script>' in quote.text and "<img src=x onerror=alert(1)>" in quote.text
    assert browser.execute_script("return document.querySelectorAll('#panel script, #panel img').length") == 0
    link = quote.find_element("css selector", "a")
    assert (
        link.get_attribute("href") == "https://example.org/trial"
        and link.get_attribute("rel") == "noopener noreferrer"
    )
    assert console_errors(browser) == []


@pytest.fixture
def served_picnic(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    yield from _serve(picnic_copy(tmp_path))


def _serve(map_file: Path) -> Iterator[tuple[PreviewServer, Path]]:
    preview = Preview(str(map_file), samples=0)
    preview.rebuild()
    srv = make_server(preview, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    _, stop = start_watching(preview)
    try:
        yield srv, map_file
    finally:
        stop.set()
        srv.shutdown()
        srv.server_close()


def test_serve_banner_when_a_bracket_is_deleted(
    browser: Any, served_picnic: tuple[PreviewServer, Path]
) -> None:
    srv, map_file = served_picnic
    _open(browser, f"http://127.0.0.1:{srv.server_address[1]}/")
    assert browser.find_element("id", "banner").text == ""
    text = map_file.read_text(encoding="utf-8")
    map_file.write_text(
        text.replace("[Picnic Stays Dry]: The picnic", "[Picnic Stays Dry: The picnic", 1), "utf-8"
    )
    notice = wait_until(browser, lambda d: d.find_elements("id", "banner-notice"))[0]
    assert "The thesis changed since the last version: [Picnic Stays Dry] → [Untitled 1]." in notice.text
    assert "new errors since the last version" in notice.text
    assert "errors in this map" in browser.find_element("id", "banner").text
    assert console_errors(browser) == []


def test_serve_banner_on_the_real_map(browser: Any, corpus_map: Path, tmp_path: Path) -> None:
    map_file = tmp_path / corpus_map.name
    map_file.write_text(corpus_map.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(corpus_map.parent / "docs", tmp_path / "docs")
    for srv, _ in _serve(map_file):
        _open(browser, f"http://127.0.0.1:{srv.server_address[1]}/")
        assert browser.find_element("id", "banner-count").text == "3 errors"
        text = map_file.read_text(encoding="utf-8")
        map_file.write_text(text.replace("[Natural Manifold]: The", "[Natural Manifold: The", 1), "utf-8")
        notice = wait_until(browser, lambda d: d.find_elements("id", "banner-notice"))[0]
        assert "new errors since the last version" in notice.text
        banner = browser.find_element("id", "banner").text
        assert "The thesis [Natural Manifold] is not defined" in banner
        assert browser.find_element("id", "banner-count").text == "13 errors"

"""The rendered map in a real browser (headless Chromium): loads clean and offline, the
thesis, search, badges and semantics switch work, and the live preview updates itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import parse_file
from argmap.render.html_map import collect, page_data, render_html
from argmap.serve.server import PreviewServer
from tests.browser.conftest import console_errors, requested_urls, wait_until
from tests.conftest import picnic_copy
from tests.serve.running import running_preview

BROWSER_INTERNAL = ("chrome://", "chrome-untrusted://", "devtools://", "about:", "data:")


def _ready(driver: Any) -> None:
    wait_until(driver, lambda d: d.execute_script("return document.documentElement.dataset.ready") == "1")


@pytest.fixture(scope="module")
def picnic_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    map_file = picnic_copy(tmp_path_factory.mktemp("page"))
    folder = map_file.parent
    # One quote that is not in its source, so a failed verdict shows.
    text = map_file.read_text(encoding="utf-8").replace(
        "> 07:50 Visible satellite: no cloud over the bay or the park",
        "> 07:50 Visible satellite: thick fog rolled in over the harbour at dawn",
    )
    map_file.write_text(text, encoding="utf-8")
    data = collect(parse_file(str(map_file)), samples=300)
    page = folder / "map.html"
    page.write_text(render_html(data), encoding="utf-8")
    return page, page_data(data)


def test_page_loads_offline_without_console_errors(
    browser: Any, picnic_page: tuple[Path, dict[str, Any]]
) -> None:
    page, _ = picnic_page
    browser.get(page.as_uri())
    _ready(browser)
    assert console_errors(browser) == []
    # What the page asked for (the browser's own chrome:// pages aside): itself, nothing else.
    urls = [u for u in requested_urls(browser) if not u.startswith(BROWSER_INTERNAL)]
    assert urls == [page.as_uri()], urls
    assert browser.execute_script("return document.querySelectorAll('#map .n').length") == len(
        picnic_page[1]["nodes"]
    )


def test_clicking_the_thesis_shows_its_computed_credence(
    browser: Any, picnic_page: tuple[Path, dict[str, Any]]
) -> None:
    page, data = picnic_page
    browser.get(page.as_uri())
    _ready(browser)
    thesis = data["thesis"]
    browser.find_element("id", f"n{thesis}").click()
    panel = wait_until(browser, lambda d: d.find_element("id", "panel-credence"))
    value, low, high = data["nodes"][thesis]["scores"]["logodds"]
    assert panel.text == f"{value:.2f}"
    assert browser.find_element("id", "panel-interval").text == f"[{low:.2f}, {high:.2f}]"
    assert "Picnic Stays Dry" in browser.find_element("id", "panel-title").text
    # The semantics switch changes the value shown.
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "semantics")).select_by_value("dfquad")
    expected = data["nodes"][thesis]["scores"]["dfquad"][0]
    wait_until(browser, lambda d: d.find_element("id", "panel-credence").text == f"{expected:.2f}")
    assert console_errors(browser) == []


def test_search_finds_a_claim(browser: Any, picnic_page: tuple[Path, dict[str, Any]]) -> None:
    from selenium.webdriver.common.keys import Keys

    page, _ = picnic_page
    browser.get(page.as_uri())
    _ready(browser)
    box = browser.find_element("id", "search")
    box.send_keys("sea breeze trig")
    first = wait_until(browser, lambda d: d.find_element("css selector", "#results li[data-i]"))
    assert first.text.startswith("Sea Breeze Trigger")
    assert browser.execute_script("return document.querySelectorAll('#map .n.hit').length") >= 1
    box.send_keys(Keys.ENTER)
    wait_until(browser, lambda d: "Sea Breeze Trigger" in d.find_element("id", "panel-title").text)


def test_failed_quote_shows_its_badge(browser: Any, picnic_page: tuple[Path, dict[str, Any]]) -> None:
    page, data = picnic_page
    browser.get(page.as_uri())
    _ready(browser)
    index = next(i for i, n in enumerate(data["nodes"]) if n["title"] == "Clear Satellite")
    badge = browser.find_element("css selector", f"#n{index} .bd")
    assert "ev-not-found" in badge.get_attribute("class")
    assert "not found" in badge.text
    browser.execute_script(
        f"document.getElementById('n{index}').dispatchEvent(new MouseEvent('click', {{bubbles: true}}))"
    )
    verdict = wait_until(browser, lambda d: d.find_element("css selector", "#panel .verdict"))
    assert "not found" in verdict.text


def test_keyboard_navigation(browser: Any, picnic_page: tuple[Path, dict[str, Any]]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    page, _ = picnic_page
    browser.get(page.as_uri())
    _ready(browser)
    browser.find_element("id", "stage").click()
    ActionChains(browser).send_keys("t").perform()
    wait_until(browser, lambda d: "Picnic Stays Dry" in d.find_element("id", "panel-title").text)
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()
    wait_until(browser, lambda d: "Picnic Stays Dry" not in d.find_element("id", "panel-title").text)
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    wait_until(browser, lambda d: not d.find_element("id", "panel").is_displayed())


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    map_file = picnic_copy(tmp_path)
    with running_preview(map_file) as (srv, _):
        yield srv, map_file


def test_served_page_follows_edits_without_a_manual_reload(
    browser: Any, live: tuple[PreviewServer, Path]
) -> None:
    srv, map_file = live
    base = f"http://127.0.0.1:{srv.server_address[1]}/"
    browser.get(base)
    _ready(browser)
    assert console_errors(browser) == []
    browser.execute_script("window.__marker = 1")  # gone after a reload: proves the page reloaded itself
    text = map_file.read_text(encoding="utf-8")
    map_file.write_text(text.replace("[Ordinary Day]:", "[Perfectly Ordinary Day]:"), encoding="utf-8")
    wait_until(browser, lambda d: "Perfectly Ordinary Day" in d.find_element("id", "map").text)
    # Broken file: the diagnostics appear above the last good map.
    map_file.write_text(
        text + "\n<Broken>\n\n(1) [P]: premise.\n(2) [Q]: no inference line.\n", encoding="utf-8"
    )
    wait_until(browser, lambda d: "last good version" in d.find_element("id", "banner").text)
    wait_until(browser, lambda d: "Perfectly Ordinary Day" in d.find_element("id", "map").text)
    # A request outside the folder is refused, in the browser too.
    browser.get(base + "%2e%2e/%2e%2e/%2e%2e/etc/passwd")
    assert "root:" not in browser.page_source
    assert "403" in browser.page_source or "404" in browser.page_source


def test_large_map_search_and_click(browser: Any, large_page: tuple[Path, dict[str, Any]]) -> None:
    from selenium.webdriver.common.keys import Keys

    page, data = large_page
    assert sum(1 for n in data["nodes"] if n["k"] == "a") >= 1900
    browser.get(page.as_uri())
    _ready(browser)
    assert console_errors(browser) == []
    # Zoomed out on some 10,000 boxes: the overview, not one SVG group per box.
    assert browser.execute_script("return document.getElementById('stage').classList.contains('overview')")
    assert browser.execute_script("return document.querySelectorAll('#map .n').length") < 1000
    # The search finds a claim deep in the map; choosing it opens its panel.
    target = "A1500 Premise 2"
    browser.find_element("id", "search").send_keys(target.lower())
    wait_until(
        browser,
        lambda d: any(
            li.text.startswith(target) for li in d.find_elements("css selector", "#results li[data-i]")
        ),
    )
    assert browser.find_element("css selector", "#results li[data-i]").text.startswith(target)
    browser.find_element("id", "search").send_keys(Keys.ENTER)
    wait_until(browser, lambda d: f"[{target}]" in d.find_element("id", "panel-title").text)
    index = next(i for i, n in enumerate(data["nodes"]) if n["title"] == target)
    assert "sel" in browser.find_element("id", f"n{index}").get_attribute("class")
    # Zoomed in there: a few hundred boxes drawn at most; clicking another one shows its panel.
    drawn = browser.execute_script("return document.querySelectorAll('#map .n').length")
    assert 0 < drawn < 1500
    other = browser.execute_script(
        "var s = document.getElementById('stage').getBoundingClientRect(),"
        " p = document.getElementById('panel').getBoundingClientRect(),"
        " l = document.getElementById('legend').getBoundingClientRect();"
        "var all = document.querySelectorAll('#map .n.st:not(.sel)');"
        "for (var i = 0; i < all.length; i++) { var r = all[i].getBoundingClientRect();"
        " if (r.left > l.right + 5 && r.right < p.left - 5 && r.top > s.top + 5 && r.bottom < s.bottom - 5)"
        "  return +all[i].id.slice(1); }"
        "return null;"
    )
    assert other is not None
    browser.find_element("id", f"n{other}").click()
    title = data["nodes"][other]["title"]
    wait_until(browser, lambda d: f"[{title}]" in d.find_element("id", "panel-title").text)
    assert console_errors(browser) == []

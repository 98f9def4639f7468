"""Headless Chromium for the browser tests, through Selenium and Debian's chromium-driver.

The browser is never downloaded: the tests use `chromium` and `chromedriver` from the
system (`apt-get install -y chromium chromium-driver`, see docs/render.md), or the
paths in `$ARGMAP_CHROMIUM` / `$ARGMAP_CHROMEDRIVER`, and skip with that message
where neither is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from argmap.render.chromium import HEADLESS_FLAGS, find_chromium, find_program

INSTALL_HINT = (
    "no headless Chromium: install Debian's `chromium` and `chromium-driver` packages "
    "(apt-get install -y chromium chromium-driver) or set ARGMAP_CHROMIUM and ARGMAP_CHROMEDRIVER"
)


@pytest.fixture(scope="session")
def chromium_paths() -> tuple[str, str]:
    browser = find_chromium()
    driver = find_program("ARGMAP_CHROMEDRIVER", ("chromedriver",))
    if browser is None or driver is None:
        pytest.skip(INSTALL_HINT)
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    return browser, driver


@pytest.fixture(scope="module")
def chromium(chromium_paths: tuple[str, str]) -> Iterator[Any]:
    """One headless Chromium per test module (starting one costs about a second of CPU);
    each test gets a fresh tab of it through `browser`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser_path, driver_path = chromium_paths
    profile = tempfile.mkdtemp(prefix="argmap-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for flag in (
        *HEADLESS_FLAGS,
        "--disable-dev-shm-usage",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


WINDOW = (1400, 900)


@pytest.fixture
def browser(chromium: Any) -> Any:
    """The module's Chromium in a new tab, as a test would find a fresh browser: the
    tabs of earlier tests closed (with their session storage and emulated screen or
    media), the window at its starting size, and their console and network logs read
    away, so that `console_errors` and `requested_urls` see only this test's page."""
    earlier = chromium.window_handles
    chromium.switch_to.new_window("tab")
    fresh = chromium.current_window_handle
    for handle in earlier:
        chromium.switch_to.window(handle)
        chromium.close()
    chromium.switch_to.window(fresh)
    chromium.set_window_size(*WINDOW)
    chromium.get_log("browser")
    chromium.get_log("performance")
    return chromium


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked for since the last call (CDP performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.fixture(scope="session")
def large_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    """A generated map of about 2,000 arguments (some 10,000 boxes, 90 parts of 4 sections):
    the page draws an overview first and only what is in view once zoomed in. Shared by the
    browser tests of large maps (building it costs seconds): built once per run, also under
    pytest-xdist, where the first worker to ask builds it in the folder all workers share
    and the others wait on a lock and read it."""
    import fcntl
    import subprocess
    import sys

    from argmap.grammar import parse_file
    from argmap.render.html_map import collect, page_data, render_html
    from tests.conftest import ROOT

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder; each worker's own is inside it
    folder = shared / "large-map"
    page, data_file = folder / "large.html", folder / "large.page-data.json"
    with open(shared / "large-map.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not data_file.exists():  # written last: its presence means the page is complete
            folder.mkdir(exist_ok=True)
            map_file = folder / "large.argdown"
            generator = str(ROOT / "bench" / "gen_synthetic.py")
            command = [sys.executable, generator, "--lines", "52000", "--seed", "2", "-o", str(map_file)]
            subprocess.run(command, check=True)
            data = collect(parse_file(str(map_file)), samples=0, evidence=False)
            page.write_text(render_html(data), encoding="utf-8")
            data_file.write_text(json.dumps(page_data(data)), encoding="utf-8")
    return page, json.loads(data_file.read_text(encoding="utf-8"))


WAIT = 30  # seconds: a loaded 2-core machine draws the large page in a few


def wait_until(driver: Any, condition: Any, timeout: float = WAIT) -> Any:
    """What `condition(driver)` returns once it is truthy. An element that goes stale (the
    live preview reloaded the page between finding it and reading it) or is not there yet
    is retried, not a failure: the condition is read again on the next poll."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=ignored).until(condition)

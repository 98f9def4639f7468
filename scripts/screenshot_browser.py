"""The headless Chromium that the screenshot scripts (map_screenshots.py,
problem_screenshots.py) drive through selenium: one place for how it starts and how a
page is known to be drawn."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from argmap.render.chromium import SCREENSHOT_FLAGS, find_chromium, find_program


def browser(profile: str, *flags: str) -> Any:
    """A selenium Chrome driver on the local Chromium and chromedriver (never downloaded),
    with the screenshot flags, its own profile folder and any `flags` more."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = find_chromium() or "/usr/bin/chromium"
    for flag in (*SCREENSHOT_FLAGS, *flags, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver_path = find_program("ARGMAP_CHROMEDRIVER", ("chromedriver",)) or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def open_when_drawn(driver: Any, page: Path, timeout: float = 30.0) -> None:
    """Load `page` and wait until its script marks it drawn (`<html data-ready="1">`)."""
    driver.get(page.as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script("return document.documentElement.dataset.ready") == "1":
            return
        time.sleep(0.05)

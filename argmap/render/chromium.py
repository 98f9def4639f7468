"""Headless Chromium: where it is and how argmap starts it.

`argmap render --to png` rasterises the map with it, and the browser tests and the
render bench drive it (through Selenium); all of them start it with the same flags.
"""

from __future__ import annotations

import os
import shutil

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# A screenshot: no scroll bars, and no host name resolves (the page may not fetch anything).
SCREENSHOT_FLAGS = (*HEADLESS_FLAGS, "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND")


def find_program(env: str, names: tuple[str, ...]) -> str | None:
    """`$env` (a path or a name on PATH), else the first of `names` on PATH or in /usr/bin."""
    explicit = os.environ.get(env)
    if explicit:
        return explicit if os.path.exists(explicit) else shutil.which(explicit)
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if found:
            return found
    return None


def find_chromium() -> str | None:
    """A headless-capable Chromium: `$ARGMAP_CHROMIUM`, else the first of the usual names."""
    return find_program("ARGMAP_CHROMIUM", CHROMIUM_NAMES)

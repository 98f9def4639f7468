from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.maps import observation_argument

MapMaker = Callable[..., Path]


@pytest.fixture
def make_map(tmp_path: Path) -> MapMaker:
    """Write `docs/<name>` files and a one-observation-per-quote map; returns the map path."""

    def make(
        quotes: list[tuple[str, str]],
        docs: dict[str, str | bytes] | None = None,
        source_url: str = "https://example.org/paper",
    ) -> Path:
        (tmp_path / "argmap.toml").write_text("")
        for name, content in (docs or {}).items():
            path = tmp_path / "docs" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        lines = ["[Thesis]: Something holds.", ""]
        for number, (link, quote) in enumerate(quotes, start=1):
            lines += observation_argument(number, f"[Paper]({source_url})", link, quote)
        path = tmp_path / "map.argdown"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    return make

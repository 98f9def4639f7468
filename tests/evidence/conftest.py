from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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
            lines += [
                f"<Arg {number}>",
                "",
                f"(1) [Obs {number}]: An observation. #observation",
                f"    [Paper]({source_url})",
                f"    [evidence]({link})",
                f"    > {quote}",
                '    {reason: "Seen.", credence: 0.9}',  # a data block ends its element
                "----",
                f'(2) [Conclusion {number}]: It follows. {{reason: "Read.", inference: 0.8}}',
                "  +> [Thesis]",
                "",
            ]
        path = tmp_path / "map.argdown"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    return make

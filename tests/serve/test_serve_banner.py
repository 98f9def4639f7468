"""`argmap serve` tells the page what the reader must not miss after a save: the thesis
changed, or errors appeared; and a map whose errors are not new is still redrawn."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from argmap.serve.server import Preview
from tests.conftest import picnic_copy
from tests.problem_maps import TEA


def _payload(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="argmap-data" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1).replace("<\\/", "</"))
    return data


def _picnic(tmp_path: Path) -> Path:
    return picnic_copy(tmp_path)


def test_deleting_a_bracket_changes_the_thesis_and_the_page_says_so(tmp_path: Path) -> None:
    path = _picnic(tmp_path)
    preview = Preview(str(path), samples=0)
    preview.rebuild()
    first = _payload(preview.current_page())
    assert "notice" not in first and first["errors"] == 0
    text = path.read_text(encoding="utf-8")
    # `[Picnic Stays Dry]:` loses its `]`: the definition becomes an untitled statement
    path.write_text(
        text.replace("[Picnic Stays Dry]: The picnic", "[Picnic Stays Dry: The picnic", 1), "utf-8"
    )
    preview.rebuild()
    assert preview.broken is None and preview.version == 2  # drawn, not held back
    page = _payload(preview.current_page())
    assert page["notice"]["thesis"] == ["Picnic Stays Dry", "Untitled 1"]
    assert page["notice"]["new_errors"] == page["errors"] > 0
    # saving it back: the thesis returns, and the page says that too
    path.write_text(text, encoding="utf-8")
    preview.rebuild()
    page = _payload(preview.current_page())
    assert page["notice"] == {"thesis": ["Untitled 1", "Picnic Stays Dry"]}
    assert page["errors"] == 0


def test_a_new_graph_error_is_announced(tmp_path: Path) -> None:
    path = tmp_path / "tea.argdown"
    path.write_text(TEA.text, encoding="utf-8")
    preview = Preview(str(path), samples=0)
    preview.rebuild()
    assert _payload(preview.current_page())["errors"] == 2
    path.write_text(TEA.text + "\n[Sleep Quality]: Sleep is worse.\n  +> [Nowhere Claim]\n", "utf-8")
    preview.rebuild()
    page = _payload(preview.current_page())
    assert page["errors"] == 3 and page["notice"] == {"new_errors": 1}
    assert "Nowhere Claim" in {page["nodes"][i]["title"] for i in page["missing"]}
    # a save that changes nothing the reader must know about: no notice
    path.write_text(path.read_text(encoding="utf-8") + "\n", "utf-8")
    preview.rebuild()
    assert "notice" not in _payload(preview.current_page())


def test_a_map_with_old_syntax_errors_is_still_redrawn(corpus_map: Path, tmp_path: Path) -> None:
    """The corpus map as shipped has a syntax error (P106). Edits elsewhere are drawn; only a
    save that brings a new syntax error keeps the last good page."""
    path = tmp_path / "adapters_vargdown.argdown"
    path.write_text(corpus_map.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(corpus_map.parent / "docs", tmp_path / "docs")  # a real copy, as the checker wants
    preview = Preview(str(path), samples=0)
    preview.rebuild()
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("[Natural Manifold]: The model's own", "[Natural Manifold: The model's own", 1), "utf-8"
    )
    preview.rebuild()
    assert preview.broken is None and preview.version == 2
    page = _payload(preview.current_page())
    thesis = page["nodes"][page["thesis"]]["title"]
    # the thesis is now named only by references, so the page draws it as missing,
    # and the banner has the new errors (the tree's G307s and the thesis's own G301)
    assert thesis == "Natural Manifold" and page["thesis"] in page["missing"]
    assert page["notice"]["new_errors"] == page["errors"] - 3
    path.write_text(text + "\n<Broken>\n\n(1) [P]: premise.\n(2) [Q]: no inference line.\n", "utf-8")
    preview.rebuild()
    assert preview.broken is not None and preview.version == 2
    assert "showing the last good version" in preview.current_page()

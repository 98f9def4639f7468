"""`argmap render`: layout without overlaps, a self-contained page, SVG and the CLI."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.grammar import parse_file, parse_text
from argmap.render.html_map import collect, credence_colour, page_data, render_html, render_svg
from argmap.render.layout import build_layout
from tests.conftest import CORPUS_DEFECT_LINE, EXAMPLE


@pytest.fixture
def real_map(corpus_map: Path, tmp_path: Path) -> Path:
    """The corpus map, defect fixed, with a real copy of its evidence files (the evidence
    checker refuses symlinks that leave the project)."""
    lines = corpus_map.read_text(encoding="utf-8").split("\n")
    lines.insert(CORPUS_DEFECT_LINE - 1, "----")
    target = tmp_path / "adapters.argdown"
    target.write_text("\n".join(lines), encoding="utf-8")
    shutil.copytree(corpus_map.parent / "docs", tmp_path / "docs")
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    return target


def _overlaps(layout: object) -> list[tuple[str, str]]:
    nodes = list(layout.nodes.values())  # type: ignore[attr-defined]
    return [
        (a.id, b.id)
        for a, b in itertools.combinations(nodes, 2)
        if a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h
    ]


def _no_network(page: str) -> None:
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=\"(?!data:)", page)
    assert not re.search(r"<img[^>]+src=\"(?!data:)", page)
    assert "@import" not in page
    assert not re.search(r"url\((?!#|data:)", page)
    assert "default-src 'none'" in page


def test_example_layout_has_no_overlap_and_thesis_on_top() -> None:
    layout = build_layout(parse_file(str(EXAMPLE)))
    assert layout.thesis == "s:Picnic Stays Dry"
    assert _overlaps(layout) == []
    thesis = layout.nodes["s:Picnic Stays Dry"]
    assert all(thesis.y <= n.y for n in layout.nodes.values())
    for node in layout.nodes.values():  # labels fit: wrapped lines are short enough for the box
        assert all(len(line) <= 25 for line in node.lines)
    # Every node lies inside the canvas, and inside its section box.
    boxes = {g.id: g for g in layout.groups}
    for node in layout.nodes.values():
        assert node.x >= 0 and node.x + node.w <= layout.width + 0.01
        if node.group != "_top":
            g = boxes[node.group]
            assert g.x <= node.x and node.x + node.w <= g.x + g.w and g.y <= node.y <= g.y + g.h


def test_real_map_layout_has_no_overlap(real_map: Path) -> None:
    document = parse_file(str(real_map))
    layout = build_layout(document)
    assert len(layout.nodes) == len(document.statements) + len(document.arguments)
    assert _overlaps(layout) == []
    groups = [g for g in layout.groups if g.id != "_top"]
    assert [g.title for g in groups] == [s.title for s in document.sections]
    for a, b in itertools.combinations(groups, 2):
        assert not (a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h)


def test_page_is_self_contained_and_carries_scores(tmp_path: Path) -> None:
    data = collect(parse_file(str(EXAMPLE)), samples=200)
    page = render_html(data)
    _no_network(page)
    payload = json.loads(re.search(r'id="argmap-data" type="application/json">(.*?)</script>', page, re.S)[1])
    thesis = payload["nodes"][payload["thesis"]]
    assert thesis["title"] == "Picnic Stays Dry"
    assert set(payload["semantics"]) >= {"logodds", "dfquad", "qe", "euler", "quad", "vargdown-compat"}
    value, low, high = thesis["scores"]["logodds"]
    assert 0 < low <= value <= high < 1
    # Every quote of the example is verified; the statuses reach the page.
    verdicts = [q["status"] for n in payload["nodes"] for q in n.get("evidence", [])]
    assert len(verdicts) == 12 and set(verdicts) <= {"exact", "moved", "drift", "not-found"}
    assert "argmap" in page and "<svg" in page


def test_failed_quote_gets_a_badge(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    (folder / "docs").mkdir(parents=True)
    (folder / "argmap.toml").write_text("", encoding="utf-8")
    (folder / "docs" / "a.md").write_text("line one\nThe sky was clear all day.\n", encoding="utf-8")
    text = (
        "[T]: Thesis.\n  + <A>\n\n<A>\n\n"
        "(1) [Seen]: Observed. #observation\n    [evidence](docs/a.md#L2-L2)\n"
        "    > It rained heavily on the harbour.\n    {credence: 0.8}\n"
        "(2) [Clear]: Clear. #observation\n    [evidence](docs/a.md#L2-L2)\n"
        "    > The sky was clear all day.\n    {credence: 0.7}\n----\n"
        "(3) [C]: Concl. {inference: 0.7}\n  +> [T]\n"
    )
    path = folder / "m.argdown"
    path.write_text(text, encoding="utf-8")
    data = collect(parse_file(str(path)), samples=0)
    svg = render_svg(data)
    assert 'class="bd ev-not-found"' in svg and "✗ not found" in svg
    assert 'class="bd ev-exact"' in svg


def test_svg_is_well_formed_and_standalone() -> None:
    data = collect(parse_file(str(EXAMPLE)), samples=0, evidence=False)
    svg = render_svg(data, standalone=True)
    root = ET.fromstring(svg.split("?>", 1)[1])
    assert root.tag.endswith("svg")
    assert svg.count('class="n st') == len(data.document.statements)
    assert 'class="e att"' in svg and 'class="e sup"' in svg and 'class="e und"' in svg


def test_edges_support_and_attack_distinct() -> None:
    data = collect(parse_file(str(EXAMPLE)), samples=0, evidence=False)
    kinds = {e.kind for e in data.layout.edges}
    assert {"support", "attack", "undercut", "premise", "conclusion"} <= kinds | {"support"}
    assert "stroke-dasharray:7 4" in render_html(data)  # attacks dashed, supports solid


def test_colour_scale() -> None:
    assert credence_colour(None) == "#ffffff"
    low, mid, high = credence_colour(0.0), credence_colour(0.5), credence_colour(1.0)
    assert len({low, mid, high}) == 3
    assert int(high[1:3], 16) < int(high[3:5], 16)  # teal: more green than red


def test_map_without_thesis_still_renders() -> None:
    document = parse_text("[A]: One.\n\n[B]: Two.\n  - [A]\n", path="x.argdown")
    data = collect(document, samples=0, evidence=False)
    payload = page_data(data)
    assert len(payload["nodes"]) == 2
    render_html(data)


def test_cli_render_html_and_svg(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "map.html"
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--samples", "100"])
    assert result.exit_code == 0, result.output
    _no_network(out.read_text(encoding="utf-8"))
    svg = tmp_path / "map.svg"
    result = runner.invoke(app, ["render", str(EXAMPLE), "--to", "svg", "-o", str(svg), "--samples", "0"])
    assert result.exit_code == 0, result.output
    assert svg.read_text(encoding="utf-8").startswith("<?xml")
    result = runner.invoke(app, ["render", str(tmp_path / "nope.argdown")])
    assert result.exit_code == 2


def test_cli_render_png(tmp_path: Path) -> None:
    from argmap.render.chromium import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium to rasterise with (apt-get install chromium)")
    out = tmp_path / "map.png"
    result = CliRunner().invoke(
        app, ["render", str(EXAMPLE), "--to", "png", "-o", str(out), "--samples", "0"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_real_map_page(real_map: Path) -> None:
    data = collect(parse_file(str(real_map)), samples=200)
    page = render_html(data)
    _no_network(page)
    payload = page_data(data)
    statuses = {n.get("worst") for n in payload["nodes"] if n.get("evidence")}
    assert "exact" in statuses and statuses - {"exact"}  # some quotes drifted or moved
    assert payload["nodes"][payload["thesis"]]["title"] == "Natural Manifold"

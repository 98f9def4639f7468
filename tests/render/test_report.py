"""`argmap report`: bottom line, plots as inline SVG, evidence, diagnostics, what moved."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.grammar import parse_file
from argmap.render.report import build_report, render_report
from tests.conftest import picnic_copy

runner = CliRunner()


def _copy(tmp_path: Path) -> Path:
    return picnic_copy(tmp_path, "pyproject.toml")


def test_report_sections_and_plots(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    report = build_report(parse_file(str(path)), samples=800, cruxes=5)
    assert report.thesis_title == "Picnic Stays Dry"
    assert report.interval is not None and report.credence is not None
    assert report.interval[0] <= report.credence <= report.interval[1]
    assert len(report.cruxes) == 5 and len(report.thesis_samples) == 800
    page = render_report(report)
    for section in ("bottom-line", "cruxes", "distribution", "evidence", "diagnostics", "map"):
        assert f'id="{section}"' in page
    assert page.count("<svg") >= 3  # tornado, distribution, map
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=\"(?!data:)", page)
    assert "default-src 'none'" in page
    assert "Picnic Stays Dry" in page and "logodds" in page


def test_report_before_after_from_a_saved_score(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    saved = tmp_path / "before.json"
    out = runner.invoke(app, ["score", str(path), "--samples", "0", "--format", "json", "-o", str(saved)])
    assert out.exit_code == 0, out.output
    text = path.read_text(encoding="utf-8").replace("credence: 0.3}", "credence: 0.9}")
    path.write_text(text, encoding="utf-8")
    target = tmp_path / "report.html"
    out = runner.invoke(
        app, ["report", str(path), "-o", str(target), "--samples", "200", "--before", str(saved)]
    )
    assert out.exit_code == 0, out.output
    page = target.read_text(encoding="utf-8")
    assert 'id="moved"' in page and "Front Reaches Coast" in page
    assert json.loads(saved.read_text(encoding="utf-8"))["claims"]


def test_report_before_after_with_an_attached_result(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    runs = []
    for seed, (a, b) in enumerate(
        zip([0.74, 0.70, 0.75, 0.69, 0.73], [0.71, 0.70, 0.72, 0.70, 0.70], strict=True)
    ):
        runs.append({"seed": seed, "method": "new", "metrics": {"acc": a}})
        runs.append({"seed": seed, "method": "old", "metrics": {"acc": b}})
    result = tmp_path / "r.json"
    result.write_text(
        json.dumps(
            {
                "claim": "Clear Morning Persists",
                "comparison": {"method": "new", "baseline": "old", "metric": "acc"},
                "runs": runs,
            }
        ),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["attach", str(path), str(result)])
    assert out.exit_code == 0, out.output
    report = build_report(parse_file(str(path)), samples=200, cruxes=3)
    assert "attached result" in report.moved_source
    assert any(m.title == "Clear Morning Persists" for m in report.moved)
    from argmap.render.html_map import page_data

    node = next(n for n in page_data(report.map)["nodes"] if n["title"] == "Clear Morning Persists")
    assert node["results"] and "new vs old on acc" in node["results"][0]
    assert "⚗ 1" in render_report(report)


def test_cli_report_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["report", str(tmp_path / "missing.argdown")]).exit_code == 2
    path = _copy(tmp_path)
    out = runner.invoke(app, ["report", str(path), "--before", str(tmp_path / "nope.json")])
    assert out.exit_code == 2


def test_report_prints_the_map_section_by_section(tmp_path: Path) -> None:
    """For print, one figure per group (the thesis's, then each section), each a cropped
    view of the one drawing at a legible scale that fits a landscape page, with the links
    that leave it in words (hand-derived from the picnic map)."""
    from argmap.render.print_map import PAGE_WIDTH_PX, PRINT_SCALE, WHOLE_MAP_ID

    report = build_report(parse_file(str(_copy(tmp_path))), samples=100, cruxes=3)
    page = render_report(report)
    layout = report.map.layout
    figures = re.findall(r'<figure class="map-part" data-scale="([0-9.]+)">(.*?)</figure>', page, re.S)
    assert len(figures) == len([g for g in layout.groups if g.nodes])
    assert page.count(f'<g id="{WHOLE_MAP_ID}">') == 1
    for scale, body in figures:
        assert f'<use href="#{WHOLE_MAP_ID}"/>' in body
        width = float(re.search(r'<svg[^>]* width="([0-9.]+)"', body).group(1))  # type: ignore[union-attr]
        assert float(scale) <= PRINT_SCALE and width <= PAGE_WIDTH_PX + 1
    forecast = next(body for _, body in figures if "Rain Unlikely Per Forecast" in body)
    assert "[Rain Unlikely Per Forecast] supports [Picnic Stays Dry] (the thesis)" in forecast
    # the evidence table has fixed column widths: its detail column cannot be squeezed
    assert '<table class="evidence"><colgroup>' in page
    css = page[page.index("<style>") : page.index("</style>")]
    assert "avoid-page" not in css and "break-before:page" not in css

"""One thesis decision: `score`, `render`, `report`, `serve` and `check` name the same claim
for each way a map chooses its thesis (frontmatter, `#thesis`, automatic).

Each map has two candidate theses, `Alpha` written first and `Beta` second, so a command
that decided on its own (the first top-level statement, say) would disagree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.grammar import parse_file
from argmap.render.report import build_report
from argmap.serve.server import Preview

BODY = """
[Alpha]: The first claim written. {credence: 0.7}
  + <A1>: One reason for alpha.
  + <A2>: Another reason for alpha.
  + <A3>: A third reason for alpha.

[Beta]: The second claim written.{tag} {credence: 0.4}
  + <B1>: The one reason for beta.
"""

FRONTMATTER = "===\nthesis: Beta\n===\n" + BODY.replace("{tag}", "")
TAGGED = BODY.replace("{tag}", " #thesis")
# automatic: the claim with the most upstream wins, here Beta (written second)
AUTOMATIC = """
[Alpha]: The first claim written. {credence: 0.7}
  + <A1>: One reason for alpha.

[Beta]: The second claim written. {credence: 0.4}
  + <B1>: One reason for beta.
  + <B2>: Another reason for beta.
  - <B3>: A reason against beta.
"""

CASES = {"frontmatter": (FRONTMATTER, "Beta"), "tag": (TAGGED, "Beta"), "automatic": (AUTOMATIC, "Beta")}
runner = CliRunner()


def _page_thesis(page: str) -> str:
    found = re.search(r'id="argmap-data" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    payload = json.loads(found[1])
    return str(payload["nodes"][payload["thesis"]]["title"])


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    text, expected = CASES[request.param]
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    path = tmp_path / "map.argdown"
    path.write_text(text, encoding="utf-8")
    return path, expected


def test_score_names_the_thesis(case: tuple[Path, str]) -> None:
    path, expected = case
    result = runner.invoke(app, ["score", str(path), "--samples", "0", "--format", "json"])
    assert json.loads(result.stdout)["thesis"]["title"] == expected


def test_render_highlights_the_thesis(case: tuple[Path, str], tmp_path: Path) -> None:
    path, expected = case
    out = tmp_path / "map.html"
    result = runner.invoke(app, ["render", str(path), "--samples", "0", "--no-evidence", "-o", str(out)])
    assert out.exists(), result.output
    assert _page_thesis(out.read_text(encoding="utf-8")) == expected


def test_report_reports_the_thesis(case: tuple[Path, str]) -> None:
    path, expected = case
    report = build_report(parse_file(str(path)), samples=50, cruxes=1)
    assert report.thesis_title == expected
    assert _page_thesis_of_map(report) == expected


def _page_thesis_of_map(report: object) -> str:
    data = report.map  # type: ignore[attr-defined]
    return str(data.layout.nodes[data.layout.thesis].title)


def test_serve_highlights_the_thesis(case: tuple[Path, str]) -> None:
    path, expected = case
    preview = Preview(str(path), samples=0)
    preview.rebuild()
    assert _page_thesis(preview.page) == expected


def test_check_treats_only_the_thesis_as_thesis(case: tuple[Path, str]) -> None:
    """V209 (a stated credence on the thesis): both candidates state one; only the
    decided thesis is reported."""
    path, expected = case
    result = runner.invoke(app, ["check", str(path), "--format", "json", "--no-evidence"])
    found = json.loads(result.stdout)
    messages = [d["message"] for d in found["diagnostics"] if d["code"] == "V209"]
    assert messages == [f"thesis [{expected}] has a stated credence"]


def test_thesis_option_is_the_same_in_score_render_and_report(tmp_path: Path) -> None:
    """`--thesis Alpha` overrides the map's own choice (Beta) alike in all three commands."""
    path = tmp_path / "map.argdown"
    path.write_text(TAGGED, encoding="utf-8")
    scored = runner.invoke(
        app, ["score", str(path), "--thesis", "Alpha", "--samples", "0", "--format", "json"]
    )
    assert json.loads(scored.stdout)["thesis"]["title"] == "Alpha"
    page = tmp_path / "map.html"
    runner.invoke(
        app, ["render", str(path), "--thesis", "Alpha", "--samples", "0", "--no-evidence", "-o", str(page)]
    )
    assert _page_thesis(page.read_text(encoding="utf-8")) == "Alpha"
    report = tmp_path / "map.report.html"
    runner.invoke(app, ["report", str(path), "--thesis", "Alpha", "--samples", "0", "-o", str(report)])
    assert "<b>[Alpha]</b>" in report.read_text(encoding="utf-8")

"""`--into-map` and `argmap check`, symlinks out of the project root (R107), the Monte
Carlo spread of a result, and `argmap score --explain` with results attached."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
PICNIC = ROOT / "examples" / "picnic"
CLAIM = "Clear Morning Persists"  # premise (3) of <Clear Sky Now>, credence 0.6
runner = CliRunner()

FOR = ([0.74, 0.70, 0.75, 0.69, 0.73], [0.71, 0.70, 0.72, 0.70, 0.70])


def make_project(folder: Path) -> Path:
    """A copy of the picnic example (map and its evidence documents) as a project."""
    shutil.copytree(PICNIC, folder)
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    return folder / "thesis.argdown"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def result_file(folder: Path, method: list[float], baseline: list[float], name: str = "r.json") -> Path:
    runs = []
    for seed, (a, b) in enumerate(zip(method, baseline, strict=True)):
        runs.append({"seed": seed, "method": "new", "metrics": {"acc": a}})
        runs.append({"seed": seed, "method": "old", "metrics": {"acc": b}})
    data = {"claim": CLAIM, "comparison": {"method": "new", "baseline": "old", "metric": "acc"}, "runs": runs}
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def score_json(map_path: Path, *extra: str) -> dict[str, Any]:
    out = invoke("score", str(map_path), "-n", "300", "--format", "json", *extra)
    assert out.exit_code == 0, out.output
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def check_json(map_path: Path) -> list[dict[str, Any]]:
    out = invoke("check", str(map_path), "--format", "json")
    assert out.exit_code == 0, out.output
    diagnostics: list[dict[str, Any]] = json.loads(out.stdout)["diagnostics"]
    return diagnostics


# ---- --into-map and argmap check -----------------------------------------------------------


@pytest.mark.parametrize("direction", ["for", "against"])
def test_check_after_into_map_finds_nothing_new(project: Path, tmp_path: Path, direction: str) -> None:
    method, baseline = FOR if direction == "for" else (FOR[1], FOR[0])
    r = result_file(project.parent, method, baseline)
    # the same result attached to a twin project without --into-map: the reference scores
    twin = make_project(tmp_path / "twin")
    assert invoke("attach", str(twin), str(r), "-n", "0").exit_code == 0
    before_check = check_json(project)
    before_text = score_json(project)
    original = project.read_bytes()
    out = invoke("attach", str(project), str(r), "--into-map", "-n", "0")
    assert out.exit_code == 0, out.output
    added = project.read_bytes()[len(original) :].decode("utf-8")
    relation = "+>" if direction == "for" else "->"
    (stored,) = (project.parent / "thesis.results").glob("*.json")
    assert added.endswith(f"#experiment\n  [result](thesis.results/{stored.name})\n  {relation} [{CLAIM}]\n")
    # no new finding: the experiment statement is related to its claim (no G305 isolated
    # statement), and no rule objects to it
    after_check = check_json(project)
    assert [d["code"] for d in after_check] == [d["code"] for d in before_check]
    assert not any(d["code"] == "G305" for d in after_check)
    # the relation is documentation: the result counts once, through the results folder
    assert score_json(project, "--no-results") == before_text
    assert score_json(project)["claims"] == score_json(twin)["claims"]


def test_into_map_keeps_crlf_and_every_byte(project: Path) -> None:
    crlf = project.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    project.write_bytes(crlf)
    r = result_file(project.parent, *FOR)
    assert invoke("attach", str(project), str(r), "--into-map", "-n", "0").exit_code == 0
    data = project.read_bytes()
    assert data.startswith(crlf)
    added = data[len(crlf) :]
    assert added.startswith(b"\r\n[Experiment ") and added.endswith(b"\r\n")
    assert b"\n" not in added.replace(b"\r\n", b"")


def test_into_map_link_survives_a_map_name_with_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    make_project(folder)
    spaced = folder / "my map.argdown"
    (folder / "thesis.argdown").rename(spaced)
    r = result_file(folder, *FOR)
    before = score_json(spaced, "--no-results")
    assert invoke("attach", str(spaced), str(r), "--into-map", "-n", "0").exit_code == 0
    assert "[result](my%20map.results/" in spaced.read_text(encoding="utf-8")
    assert score_json(spaced, "--no-results") == before
    assert not any(d["code"] == "G305" for d in check_json(spaced))


# ---- R107 through symbolic links -----------------------------------------------------------


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symlinks")


@needs_symlinks
def test_results_folder_symlinked_outside_the_root_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (project.parent / "thesis.results").symlink_to(outside, target_is_directory=True)
    r = result_file(project.parent, *FOR)
    out = invoke("attach", str(project), str(r), "-n", "0")
    assert out.exit_code == 1
    assert "error[R107]" in out.output and "outside the project root" in out.output
    assert list(outside.iterdir()) == []


@needs_symlinks
def test_stored_result_symlinked_outside_the_root_is_not_read(project: Path, tmp_path: Path) -> None:
    plain = score_json(project)
    r = result_file(project.parent, *FOR)
    assert invoke("attach", str(project), str(r), "-n", "0").exit_code == 0
    (stored,) = (project.parent / "thesis.results").glob("*.json")
    outside = tmp_path / "outside"
    outside.mkdir()
    moved = outside / stored.name
    stored.rename(moved)
    stored.symlink_to(moved)
    # the score ignores it (with an R107 warning) and detach refuses to follow it
    out = invoke("score", str(project), "-n", "300", "--format", "json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["claims"] == plain["claims"]
    assert "R107" in out.output
    listed = invoke("results", "list", str(project))
    assert "R107" in listed.output
    out = invoke("results", "detach", str(project), stored.stem[:8])
    assert out.exit_code == 1 and "error[R107]" in out.output
    assert moved.is_file()


# ---- the Bayes factor's sampling spread widens the thesis interval ---------------------------


SMALL_TO_LARGE = """[Method Works]: The method works at scale.
  + <Small Runs>

<Small Runs>

(1) [Beats Baseline]: The method beats the baseline on small models. {credence: 0.6}
(2) [Small Predicts Large]: Small-model wins carry over to large models. {credence: 0.9}
----
(3) [Works Small]: The method works on small models. {inference: 0.95}
  +> [Method Works]
"""


def test_result_spread_widens_the_thesis_interval(tmp_path: Path) -> None:
    """The Bayes factor's own sampling uncertainty (t redrawn from the effect's posterior)
    is a random input of the Monte Carlo layer: the premise's interval and, through
    <Small Runs>, the thesis's interval widen with it; the point values do not move."""
    from argmap.grammar import parse_file
    from argmap.results.rescore import attached_evidence, score_attached

    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    thesis = tmp_path / "thesis.argdown"
    thesis.write_text(SMALL_TO_LARGE, encoding="utf-8")
    data = json.loads(result_file(tmp_path, *FOR).read_text(encoding="utf-8"))
    data["claim"] = "Beats Baseline"
    r = tmp_path / "r.json"
    r.write_text(json.dumps(data), encoding="utf-8")
    assert invoke("attach", str(thesis), str(r), "-n", "0").exit_code == 0
    evidence, _ = attached_evidence(thesis, parse_file(thesis))
    (item,) = evidence
    # t = 1.835 on 4 degrees of freedom: the log factor (1.145) is far from certain
    assert item.log_sd > 0.3

    def widths(spread: float, seed: int) -> tuple[float, float, float | None]:
        e = dataclasses.replace(item, log_sd=spread)
        result = score_attached(thesis, evidence=[e], samples=4000, seed=seed)
        premise = result.claims["Beats Baseline"]
        assert premise.interval is not None and result.thesis.interval is not None
        lo, hi = premise.interval
        tlo, thi = result.thesis.interval
        return hi - lo, thi - tlo, result.thesis.credence

    for seed in (7, 8):
        fixed_premise, fixed_thesis, fixed_point = widths(0.0, seed)
        real_premise, real_thesis, real_point = widths(item.log_sd, seed)
        assert real_point == fixed_point
        # about 0.22 -> 0.33 for the premise, 0.061 -> 0.078 for the thesis
        assert real_premise > 1.3 * fixed_premise
        assert real_thesis > 1.15 * fixed_thesis


# ---- argmap score --explain -----------------------------------------------------------------


def test_score_explain_prints_what_the_results_moved(project: Path) -> None:
    plain = invoke("score", str(project), "--explain", "-n", "0")
    assert plain.exit_code == 0 and "What the attached results moved" not in plain.output
    r = result_file(project.parent, *FOR)
    attached = invoke("attach", str(project), str(r), "--format", "json", "-n", "0")
    report = json.loads(attached.stdout)
    out = invoke("score", str(project), "--explain", "-n", "300")
    assert out.exit_code == 0, out.output
    text = out.stdout
    assert "What the attached results moved (without -> with them):" in text
    table = text.split("What the attached results moved")[1]
    assert f"[{CLAIM}]" in table and "0.600" in table and "BF+-" in table and "90% interval" in table
    data = json.loads(invoke("score", str(project), "--explain", "-n", "0", "--format", "json").stdout)
    assert data["attached_results"]["moved"] == report["moved"]
    assert data["attached_results"]["results"] == report["results"]
    assert data["attached_results"]["thesis"]["before"] == report["thesis"]["before"]
    assert data["attached_results"]["thesis"]["after"] == data["thesis"]["credence"]
    # --no-results, or no --explain: no table
    assert "attached_results" not in json.loads(
        invoke("score", str(project), "--explain", "-n", "0", "--format", "json", "--no-results").stdout
    )
    assert "What the attached results moved" not in invoke("score", str(project), "-n", "0").stdout

"""`argmap diff OLD NEW` and `argmap diff MAP --rev REV` in a temporary git repository."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
PICNIC = ROOT / "examples" / "picnic" / "thesis.argdown"
CLAIM = "Clear Morning Persists"  # premise (3) of <Clear Sky Now>, credence 0.6
THESIS = "Picnic Stays Dry"
runner = CliRunner()

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EXTRA = """
<Sunday Sun>

(1) [Sunny Sunday]: The weekend outlook is sunny. {credence: 0.9}
----
(2) [Sun Holds]: The sun holds through the picnic. {inference: 0.9}
  +> [Picnic Stays Dry]
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    shutil.copy(PICNIC, tmp_path / "thesis.argdown")
    commit(tmp_path, "first")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def diff_json(*args: str) -> dict[str, Any]:
    out = runner.invoke(app, ["diff", *args, "--format", "json", "-n", "0"])
    assert out.exit_code == 0, out.output
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def score_of(path: Path, *extra: str) -> dict[str, Any]:
    out = runner.invoke(app, ["score", str(path), "-n", "0", "--format", "json", *extra])
    assert out.exit_code == 0, out.output
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def check_table(data: dict[str, Any]) -> None:
    assert set(data) == {"results", "moved", "thesis"}
    assert set(data["thesis"]) == {"title", "before", "after", "interval"}
    deltas = [abs(m["delta"]) for m in data["moved"]]
    assert deltas == sorted(deltas, reverse=True) and all(d > 0.005 for d in deltas)
    for m in data["moved"]:
        assert set(m) == {"title", "before", "after", "delta", "why"}
        assert m["why"], m


def test_rev_diff_of_a_credence_edit(repo: Path) -> None:
    thesis = repo / "thesis.argdown"
    old_scores = score_of(thesis)
    edit(thesis, "credence: 0.6}", "credence: 0.8}")
    commit(repo, "second")
    new_scores = score_of(thesis)
    data = diff_json(str(thesis), "--rev", "HEAD~1")
    check_table(data)
    moved = {m["title"]: m for m in data["moved"]}
    assert moved[CLAIM]["before"] == pytest.approx(0.6) and moved[CLAIM]["after"] == pytest.approx(0.8)
    assert moved[CLAIM]["delta"] == pytest.approx(0.2)
    assert moved[CLAIM]["why"] == [f"[{CLAIM}]: credence 0.6 -> 0.8"]
    # every claim that moved, and only those, with the scores `argmap score` gives each version
    for title, claim in new_scores["claims"].items():
        before = old_scores["claims"][title]["credence"]
        if abs(claim["credence"] - before) > 0.005:
            assert moved[title]["before"] == pytest.approx(before)
            assert moved[title]["after"] == pytest.approx(claim["credence"])
            assert moved[title]["why"][0].startswith(f"[{CLAIM}]: credence 0.6 -> 0.8")
        else:
            assert title not in moved
    assert data["thesis"]["title"] == THESIS
    assert data["thesis"]["before"] == old_scores["thesis"]["credence"]
    assert data["thesis"]["after"] == new_scores["thesis"]["credence"]
    assert moved[THESIS]["why"][0].endswith("-> <Clear Sky Now> -> [Picnic Stays Dry]")
    # HEAD is the same text as now: nothing moved
    same = diff_json(str(thesis), "--rev", "HEAD")
    assert same["moved"] == [] and same["thesis"]["before"] == same["thesis"]["after"]


def test_two_files_diff_matches_rev_diff(repo: Path) -> None:
    thesis = repo / "thesis.argdown"
    edit(thesis, "credence: 0.6}", "credence: 0.8}")
    old = repo / "old.argdown"
    old.write_text(git(repo, "show", "HEAD:thesis.argdown"), encoding="utf-8")
    by_files = diff_json(str(old), str(thesis))
    by_rev = diff_json(str(thesis), "--rev", "HEAD")
    assert by_files == by_rev
    human = runner.invoke(app, ["diff", str(old), str(thesis), "-n", "200"])
    assert human.exit_code == 0, human.output
    assert "old.argdown -> " in human.output and f"[{CLAIM}]" in human.output
    assert "90% interval" in human.output


def test_added_argument_and_removed_relation(repo: Path) -> None:
    thesis = repo / "thesis.argdown"
    with thesis.open("a", encoding="utf-8") as handle:
        handle.write(EXTRA)
    # drop the inference of <Clear Sky Now> from 0.7 to 0.5 as well
    edit(thesis, "inference: 0.7}", "inference: 0.5}")
    commit(repo, "second")
    data = diff_json(str(thesis), "--rev", "HEAD~1")
    check_table(data)
    moved = {m["title"]: m for m in data["moved"]}
    # new claims: no before
    assert moved["Sunny Sunday"]["before"] is None and moved["Sunny Sunday"]["after"] == pytest.approx(0.9)
    assert "added to the map" in moved["Sun Holds"]["why"][0]
    assert moved["Nothing Brewing"]["why"] == ["<Clear Sky Now> inference (4): 0.7 -> 0.5"]
    why = " | ".join(moved[THESIS]["why"])
    assert "<Sunday Sun> +> [Picnic Stays Dry]" in why and "inference (4): 0.7 -> 0.5" in why
    # and back: the argument removed, the inference restored
    git(repo, "revert", "--no-edit", "HEAD")
    back = diff_json(str(thesis), "--rev", "HEAD~1")
    moved_back = {m["title"]: m for m in back["moved"]}
    assert moved_back["Sunny Sunday"]["after"] is None
    assert moved_back["Sunny Sunday"]["why"] == ["removed from the map"]
    assert "removed <Sunday Sun> +> [Picnic Stays Dry]" in " | ".join(moved_back[THESIS]["why"])
    assert back["thesis"]["before"] == data["thesis"]["after"]
    assert back["thesis"]["after"] == data["thesis"]["before"]


def result_file(repo: Path, method: list[float], baseline: list[float]) -> Path:
    runs = []
    for seed, (a, b) in enumerate(zip(method, baseline, strict=True)):
        runs.append({"seed": seed, "method": "new", "metrics": {"acc": a}})
        runs.append({"seed": seed, "method": "old", "metrics": {"acc": b}})
    data = {"claim": CLAIM, "comparison": {"method": "new", "baseline": "old", "metric": "acc"}, "runs": runs}
    path = repo / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_attached_and_detached_results(repo: Path) -> None:
    thesis = repo / "thesis.argdown"
    r = result_file(repo, [0.74, 0.70, 0.75, 0.69, 0.73], [0.71, 0.70, 0.72, 0.70, 0.70])
    attached = runner.invoke(app, ["attach", str(thesis), str(r), "--format", "json", "-n", "0"])
    assert attached.exit_code == 0, attached.output
    report = json.loads(attached.stdout)
    r.unlink()
    commit(repo, "attach")
    data = diff_json(str(thesis), "--rev", "HEAD~1")
    check_table(data)
    # the same table `argmap attach` printed
    assert data["moved"] == report["moved"] and data["results"] == report["results"]
    (item,) = data["results"]
    moved = {m["title"]: m for m in data["moved"]}
    assert moved[CLAIM]["why"][0].startswith(f"result {item['id'][:8]} on [{CLAIM}]: BF+- ")
    # hand: premise odds 0.6/0.4 x applied (3.14360, see test_attach) = 4.71540 -> 0.825034
    assert moved[CLAIM]["after"] == pytest.approx(0.825034, abs=2e-5)
    # --no-results compares the texts only: identical
    assert diff_json(str(thesis), "--rev", "HEAD~1", "--no-results")["moved"] == []
    # detach: the diff against the attach commit shows it gone, with the scores restored
    out = runner.invoke(app, ["results", "detach", str(thesis), item["id"][:8]])
    assert out.exit_code == 0, out.output
    gone = diff_json(str(thesis), "--rev", "HEAD")
    moved_back = {m["title"]: m for m in gone["moved"]}
    assert moved_back[CLAIM]["after"] == pytest.approx(0.6)
    assert moved_back[CLAIM]["why"][0].startswith(f"result {item['id'][:8]} detached from [{CLAIM}]")
    assert gone["results"] == []


def test_odd_paths_are_passed_to_git_safely(repo: Path) -> None:
    folder = repo / "maps; echo pwned" / "sub dir"
    folder.mkdir(parents=True)
    odd = folder / '-it\'s "odd" $(x) ünï.argdown'
    shutil.copy(PICNIC, odd)
    commit(repo, "odd")
    edit(odd, "credence: 0.6}", "credence: 0.7}")
    data = diff_json(str(odd), "--rev", "HEAD")
    assert {m["title"] for m in data["moved"]} >= {CLAIM}
    assert not (repo / "pwned").exists()


@pytest.mark.parametrize("rev", ["--output=/tmp/argmap-pwned", "-p", "HEAD:thesis.argdown", ""])
def test_revisions_that_read_as_options_or_paths_are_refused(repo: Path, rev: str) -> None:
    out = runner.invoke(app, ["diff", str(repo / "thesis.argdown"), f"--rev={rev}"])
    assert out.exit_code == 2
    assert "error[R109]" in out.output
    assert not Path("/tmp/argmap-pwned").exists()


def test_diagnostics_for_missing_repo_revision_and_path(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    thesis = repo / "thesis.argdown"
    # a revision the repository does not have
    out = runner.invoke(app, ["diff", str(thesis), "--rev", "HEAD~5"])
    assert out.exit_code == 2 and "error[R109]" in out.output and "unknown revision `HEAD~5`" in out.output
    # a file added after the revision
    later = repo / "later.argdown"
    shutil.copy(PICNIC, later)
    commit(repo, "later")
    out = runner.invoke(app, ["diff", str(later), "--rev", "HEAD~1"])
    assert out.exit_code == 2 and "later.argdown does not exist at HEAD~1" in out.output
    # not a git repository
    plain = tmp_path_factory.mktemp("plain")
    shutil.copy(PICNIC, plain / "thesis.argdown")
    out = runner.invoke(app, ["diff", str(plain / "thesis.argdown"), "--rev", "HEAD"])
    assert out.exit_code == 2 and "is not in a git repository" in out.output
    # a map that does not exist now
    out = runner.invoke(app, ["diff", str(repo / "nothing.argdown"), "--rev", "HEAD"])
    assert out.exit_code == 2 and "error[R109]" in out.output
    # usage: both or neither of NEW and --rev
    assert runner.invoke(app, ["diff", str(thesis)]).exit_code == 2
    assert runner.invoke(app, ["diff", str(thesis), str(later), "--rev", "HEAD"]).exit_code == 2


def test_interval_comes_with_samples(repo: Path) -> None:
    thesis = repo / "thesis.argdown"
    edit(thesis, "credence: 0.6}", "credence: 0.8}")
    out = runner.invoke(app, ["diff", str(thesis), "--rev", "HEAD", "--format", "json", "-n", "300"])
    assert out.exit_code == 0, out.output
    lo, hi = json.loads(out.stdout)["thesis"]["interval"]
    after = json.loads(out.stdout)["thesis"]["after"]
    assert lo < after < hi and math.isfinite(lo)


def test_a_committed_results_file_over_the_cap_is_not_read(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argmap.results.validate as validate

    thesis = repo / "thesis.argdown"
    r = result_file(repo, [0.74, 0.70, 0.75, 0.69, 0.73], [0.71, 0.70, 0.72, 0.70, 0.70])
    assert runner.invoke(app, ["attach", str(thesis), str(r), "-n", "0"]).exit_code == 0
    r.unlink()
    commit(repo, "attach")
    # what `attach` refuses to read from a file (over MAX_RESULT_BYTES) is not read from history
    monkeypatch.setattr(validate, "MAX_RESULT_BYTES", 100)
    out = runner.invoke(app, ["diff", str(thesis), "--rev", "HEAD", "-n", "0"])
    assert "R101" in out.stderr and "larger than 100 bytes" in out.stderr, out.output
    assert "Traceback" not in out.output

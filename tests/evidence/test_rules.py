"""The evidence rules inside `argmap check`: on by default, `--no-evidence`, config."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from argmap.checking import CheckOptions, check_paths
from argmap.cli.app import app
from argmap.evidence import sources
from argmap.evidence.check import CODES
from argmap.rules.registry import get_rule
from tests.evidence.test_statuses import PAPER

runner = CliRunner()
GOOD = "Results show the method beats the baseline by 3 points."


def _codes(path: Path, **options: object) -> list[str]:
    report = check_paths([str(path)], CheckOptions(**options))  # type: ignore[arg-type]
    return [d.code for d in report.diagnostics if d.code.startswith("E")]


def test_every_status_code_is_a_registered_rule_with_the_same_level() -> None:
    for code, level in CODES.values():
        entry = get_rule(code)
        assert entry is not None and entry.runnable and entry.when == "evidence", code
        assert entry.level is level, code


def test_check_runs_evidence_by_default_and_no_evidence_skips(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/p.md#L1-L2", GOOD), ("docs/none.md#L1-L1", GOOD)], {"p.md": PAPER})
    assert sorted(_codes(path)) == ["E401", "E405"]
    assert _codes(path, evidence=False) == []
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    codes = sorted(d["code"] for d in json.loads(result.stdout)["diagnostics"])
    assert codes == ["E401", "E405"]
    result = runner.invoke(app, ["check", str(path), "--no-evidence"])
    assert result.exit_code == 0, result.output


def test_levels_select_and_ignore_apply_to_evidence_codes(make_map, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/none.md#L1-L1", GOOD)], {"p.md": PAPER})
    assert check_paths([str(path)]).exit_code == 1
    (tmp_path / "argmap.toml").write_text('[levels]\nE401 = "warning"\n')
    assert check_paths([str(path)]).exit_code == 0
    (tmp_path / "argmap.toml").write_text('ignore = ["E4"]\n')
    assert _codes(path) == []


def test_thresholds_come_from_the_configuration(make_map, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    quote = "Results show the method beats the baseline by 5 points."  # one changed word: drift
    path = make_map([("docs/p.md#L10-L10", quote)], {"p.md": PAPER})
    assert _codes(path) == ["E406"]
    (tmp_path / "argmap.toml").write_text("[evidence]\nfound = 99.5\n")
    assert _codes(path) == ["E404"]
    (tmp_path / "argmap.toml").write_text("[evidence]\nmax-bytes = 100\n")
    assert _codes(path) == ["E402"]
    (tmp_path / "argmap.toml").write_text('[evidence]\nfound = "high"\nmax-bytes = -1\nspeed = 1\n')
    report = check_paths([str(path)])
    assert [d.code for d in report.diagnostics if d.code == "F008"] == ["F008"] * 3


def test_pyproject_evidence_table(make_map, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/p.md#L10-L10", GOOD)], {"p.md": PAPER})
    (tmp_path / "argmap.toml").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool.argmap.evidence]\nmax-bytes = 100\n")
    assert _codes(path) == ["E402"]


def test_malformed_range_is_v213_not_also_e403(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/p.md#L11-L10", GOOD)], {"p.md": PAPER})
    codes = [d.code for d in check_paths([str(path)]).diagnostics]
    assert "V213" in codes and "E403" not in codes
    codes = [d.code for d in check_paths([str(path)], CheckOptions(ignore=["V213"])).diagnostics]
    assert "E403" in codes
    path = make_map([("docs/p.md#L10-L99", GOOD)], {"p.md": PAPER})
    assert _codes(path) == ["E403"]


def test_each_source_read_once_per_run_for_many_maps(make_map, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sources, "_RUN_CACHES", {})
    make_map([("docs/p.md#L10-L10", GOOD)] * 4, {"p.md": PAPER})
    for name in ("a", "b"):
        (tmp_path / f"{name}.argdown").write_text((tmp_path / "map.argdown").read_text())
    report = check_paths([str(tmp_path)])
    assert len(report.files) == 3
    assert sources.run_cache().reads == 1


def test_ignore_comment_silences_an_evidence_finding(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/p.md#L1-L2", GOOD)], {"p.md": PAPER})
    text = path.read_text().replace("(docs/p.md#L1-L2)", "(docs/p.md#L1-L2) // argmap: ignore[E405]")
    path.write_text(text)
    assert _codes(path) == []


def test_picnic_example_checks_clean_with_evidence_on() -> None:
    from tests.conftest import EXAMPLE

    report = check_paths([str(EXAMPLE)])
    assert report.exit_code == 0
    # every quote exact, and no source file behind two arguments: no finding at all
    assert report.diagnostics == []


def _escape_map(tmp_path: Path, links: list[str]) -> Path:
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    body = "".join(f"    [evidence]({link}#L1-L1)\n    > quote {i}\n" for i, link in enumerate(links))
    path = tmp_path / "escape.argdown"
    text = f"[T]: A thesis.\n  + <A>\n\n<A>\n\n(1) [P]: premise. #observation\n{body}    {{credence: 0.7}}\n"
    path.write_text(text + "----\n(2) [C]: conclusion.\n  +> [T]\n", encoding="utf-8")
    return path


def test_each_unusable_evidence_link_is_reported_once_at_its_own_place(tmp_path: Path) -> None:
    """Issue 16, F15: three links out of the root, three findings at three lines."""
    links = ["../../../../etc/passwd", "/etc/shadow", "file:///etc/passwd"]
    path = _escape_map(tmp_path, links)
    report = check_paths([str(path)], CheckOptions(select=["E"]))
    found = sorted((d.line, d.code) for d in report.diagnostics if d.code in ("E401", "E402"))
    assert [line for line, _ in found] == [7, 9, 11]


def test_one_unusable_link_with_several_quotes_is_reported_once(tmp_path: Path) -> None:
    path = _escape_map(tmp_path, ["../../../../etc/passwd"])
    three_quotes = "> quote 0\n    > quote 1\n\n    > quote 2\n"
    text = path.read_text(encoding="utf-8").replace("> quote 0\n", three_quotes)
    path.write_text(text, encoding="utf-8")
    report = check_paths([str(path)], CheckOptions(select=["E"]))
    assert [(d.code, d.line) for d in report.diagnostics if d.code == "E402"] == [("E402", 7)]


def _modules_after_check(path: Path) -> tuple[str, list[str]]:
    """`argmap check --format json` in a fresh process: its output, and which of the
    evidence checker's optional modules it imported."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from argmap.cli import fastpath\n"
        f"fastpath.run(*fastpath.parse(['check', '--format', 'json', {str(path)!r}]))\n"
        "sys.stdout.flush()\n"
        "import json\n"
        "optional = ('argmap.evidence.check', 'rapidfuzz')\n"
        "print(json.dumps([m for m in optional if m in sys.modules]), file=sys.stderr)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return done.stdout, loaded


def test_the_checker_is_loaded_only_as_far_as_the_quotes_need(make_map, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/p.md#L10-L10", GOOD)], {"p.md": PAPER})
    output, loaded = _modules_after_check(path)
    assert json.loads(output)["diagnostics"] == [] and loaded == ["argmap.evidence.check"]  # no rapidfuzz
    path.write_text(path.read_text(encoding="utf-8").replace("3 points", "5 points"), encoding="utf-8")
    output, loaded = _modules_after_check(path)
    assert [d["code"] for d in json.loads(output)["diagnostics"]] == ["E406"]
    assert loaded == ["argmap.evidence.check", "rapidfuzz"]
    bare = tmp_path / "bare.argdown"
    bare.write_text("[Thesis]: Something holds.\n  + <Reason>: Because.\n", encoding="utf-8")
    output, loaded = _modules_after_check(bare)
    assert json.loads(output)["diagnostics"] == [] and loaded == []

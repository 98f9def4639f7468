"""Configuration files: discovery, selection, levels, kind tags, bad codes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.checking import CheckOptions, check_paths
from argmap.cli.app import app
from argmap.config import Settings, find_config, load_settings, settings_for
from argmap.diagnostics import Diagnostic, Level
from tests.rules.helpers import CLEAN

UNTAGGED = CLEAN.replace(" #assumption", "")  # one V215 error


def _map(folder: Path, text: str = UNTAGGED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docs").mkdir(exist_ok=True)
    # the map's evidence, so that the evidence checks (on by default) find the quote
    (folder / "docs" / "paper.md").write_text("quoted words\nmore\n", encoding="utf-8")
    path = folder / "m.argdown"
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_config_wins_and_argmap_toml_beats_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.argmap]\nignore = ["V215"]\n')
    path = _map(tmp_path / "a" / "b")
    found = find_config(path)
    assert found is not None and found[0] == (tmp_path / "pyproject.toml").resolve()
    (tmp_path / "a" / "argmap.toml").write_text('select = ["G"]\n')
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.argmap]\nselect = ["V"]\n')
    found = find_config(path)
    assert found is not None and found[0].name == "argmap.toml"


def test_pyproject_without_tool_argmap_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.argmap]\nignore = ["V215"]\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    found = find_config(_map(tmp_path / "sub"))
    assert found is not None and found[0] == (tmp_path / "pyproject.toml").resolve()


def test_ignore_in_config_silences_the_rule(tmp_path: Path) -> None:
    path = _map(tmp_path)
    assert check_paths([str(path)]).exit_code == 1
    (tmp_path / "argmap.toml").write_text('ignore = ["V215"]\n')
    report = check_paths([str(path)])
    assert report.diagnostics == [] and report.exit_code == 0


def test_level_in_config_changes_exit_code(tmp_path: Path) -> None:
    path = _map(tmp_path)
    (tmp_path / "argmap.toml").write_text('[levels]\nV215 = "warning"\n')
    report = check_paths([str(path)])
    assert [(d.code, d.level) for d in report.diagnostics] == [("V215", Level.WARNING)]
    assert report.exit_code == 0


def test_select_prefix_and_extend_select(tmp_path: Path) -> None:
    settings = load_settings((tmp_path / "argmap.toml", {"select": ["G"], "extend-select": ["V215"]}))
    assert settings.is_enabled("G301") and settings.is_enabled("V215") and not settings.is_enabled("V201")


def test_more_specific_selector_wins() -> None:
    settings = Settings(select=["V215"], ignore=["V"])
    assert settings.is_enabled("V215") and not settings.is_enabled("V201")


def test_cli_select_and_ignore_override_the_file(tmp_path: Path) -> None:
    path = _map(tmp_path)
    (tmp_path / "argmap.toml").write_text('ignore = ["V215"]\n')
    assert check_paths([str(path)], CheckOptions(select=["V215"])).exit_code == 1
    assert check_paths([str(path)], CheckOptions(ignore=["V2"])).exit_code == 0


def test_unknown_code_in_config_points_at_its_line(tmp_path: Path) -> None:
    path = _map(tmp_path, CLEAN)
    (tmp_path / "argmap.toml").write_text('# comment\nignore = [\n  "G310",\n  "V2O1",\n]\n')
    report = check_paths([str(path)])
    (finding,) = report.diagnostics
    assert finding.code == "F007"
    assert finding.file == str((tmp_path / "argmap.toml").resolve())
    assert (finding.line, finding.column) == (4, 3)
    assert "V201" in (finding.hint or "")
    assert report.exit_code == 1


def test_config_problem_reported_once_for_many_maps(tmp_path: Path) -> None:
    _map(tmp_path / "x", CLEAN)
    _map(tmp_path / "y", CLEAN)
    (tmp_path / "argmap.toml").write_text('select = ["NOPE"]\n')
    report = check_paths([str(tmp_path)])
    assert [d.code for d in report.diagnostics] == ["F007"]


def test_invalid_toml_and_bad_values(tmp_path: Path) -> None:
    (tmp_path / "argmap.toml").write_text("select = [\n")
    settings = settings_for(str(_map(tmp_path, CLEAN)))
    assert [d.code for d in settings.diagnostics] == ["F008"]
    (tmp_path / "argmap.toml").write_text('[levels]\nV215 = "loud"\n[math]\ntolerance = "x"\n')
    settings = settings_for(str(tmp_path / "m.argdown"))
    assert [d.code for d in settings.diagnostics] == ["F008", "F008"]
    assert settings.diagnostics[0].line == 2


def test_kind_tags_and_levels_off(tmp_path: Path) -> None:
    path = _map(tmp_path, CLEAN.replace("#assumption", "#hunch"))
    (tmp_path / "argmap.toml").write_text('kind-tags = ["observation", "#hunch"]\n')
    assert check_paths([str(path)]).diagnostics == []
    (tmp_path / "argmap.toml").write_text('[levels]\nV215 = "off"\n')
    assert check_paths([str(path)]).diagnostics == []


def test_parser_errors_cannot_be_ignored_but_warnings_can() -> None:
    settings = Settings(ignore=["P"])
    error = Diagnostic(
        code="P106", level=Level.ERROR, message="m", file="f", line=1, column=1, end_line=1, end_column=2
    )
    warning = replace(error, code="P113", level=Level.WARNING)
    assert settings.apply(error) is error
    assert settings.apply(warning) is None


def test_unknown_cli_code_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(_map(tmp_path, CLEAN)), "--select", "V999"])
    assert result.exit_code == 2
    assert "F009" in result.output


def test_unknown_key_is_reported(tmp_path: Path) -> None:
    settings = load_settings((tmp_path / "argmap.toml", {"selekt": ["V"]}))
    assert [d.code for d in settings.diagnostics] == ["F008"]


def test_every_bad_value_is_located_and_the_rest_applies(tmp_path: Path) -> None:
    """The file is validated by pydantic models; each problem is an F008 at its line, and
    the keys that are fine still apply."""
    (tmp_path / "argmap.toml").write_text(
        'select = "V"\n'  # one code is as good as a list of one
        "kind-tags = []\n"  # line 2: must be non-empty
        "[math]\n"
        "tolerance = 1\n"  # line 4: out of [0, 1)
        "[evidence]\n"
        "max-bytes = 1.5\n"  # line 6: not a whole number
        "found = 90\n"
        "[coherence]\n"
        "slack = 0.1\n",  # line 9: unknown key
        encoding="utf-8",
    )
    settings = settings_for(str(_map(tmp_path, CLEAN)))
    found = sorted((d.code, d.line) for d in settings.diagnostics)
    assert found == [("F008", 2), ("F008", 4), ("F008", 6), ("F008", 9)]
    assert settings.select == ["V"] and settings.evidence_found == 90.0
    assert settings.math_tolerance == 1e-9 and settings.evidence_max_bytes == 20 * 1024 * 1024
    assert any("unknown key 'slack' in `coherence`" in d.message for d in settings.diagnostics)


def test_config_module_imports_no_rules() -> None:
    """Settings are a leaf: the rule registry reads them, never the reverse."""
    import ast

    import argmap.config

    tree = ast.parse(Path(argmap.config.__file__).read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert not any(name.startswith("argmap.rules") for name in imported)


HOSTILE_CONFIGS = {
    # tomllib recurses per level: RecursionError before (campaign F8)
    "array nested 10,000 deep": ("x = " + "[" * 10_000 + "]" * 10_000 + "\n", 1, "too deep"),
    "table of inline tables 5,000 deep": ("x = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n", 1, "too deep"),
    # int() past the 4,300-digit limit: ValueError before
    "100,000-digit integer": ('select = ["ALL"]\nx = ' + "9" * 100_000 + "\n", 2, "cannot read"),
    "over a megabyte": ("# " + "x" * (1024 * 1024) + "\n", 1, "more than the 1,048,576"),
}


@pytest.mark.parametrize("name", list(HOSTILE_CONFIGS))
def test_a_hostile_config_is_a_located_f008_in_check(tmp_path: Path, name: str) -> None:
    text, line, words = HOSTILE_CONFIGS[name]
    (tmp_path / "argmap.toml").write_text(text, encoding="utf-8")
    path = _map(tmp_path)
    result = CliRunner().invoke(app, ["check", "--no-evidence", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    (found,) = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "F008"]
    assert found["file"].endswith("argmap.toml") and found["line"] == line
    assert words in found["message"]


@pytest.mark.parametrize("text", ["[math]\ntolerance = nan\n", "x = " + "[" * 10_000 + "]" * 10_000 + "\n"])
def test_evidence_reports_a_bad_config_instead_of_ignoring_it(tmp_path: Path, text: str) -> None:
    (tmp_path / "argmap.toml").write_text(text, encoding="utf-8")
    path = _map(tmp_path, CLEAN)
    result = CliRunner().invoke(app, ["evidence", str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "F008" in result.output and "argmap.toml" in result.output


@pytest.mark.parametrize("command", ["render", "report"])
def test_render_and_report_report_a_bad_config(tmp_path: Path, command: str) -> None:
    (tmp_path / "argmap.toml").write_text("x = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    path = _map(tmp_path, CLEAN)
    result = CliRunner().invoke(app, [command, str(path), "-o", str(tmp_path / "page.html")])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "F008" in result.output and "too deep" in result.output
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    assert CliRunner().invoke(app, [command, str(path), "-o", str(tmp_path / "page.html")]).exit_code == 0


def test_serve_says_the_config_is_invalid_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argmap.serve.server as server

    started: list[str] = []
    monkeypatch.setattr(server, "serve", lambda map_path, **_options: started.append(map_path))
    (tmp_path / "argmap.toml").write_text("x = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    path = _map(tmp_path, CLEAN)
    result = CliRunner().invoke(app, ["serve", str(path), "--port", "0"])
    assert started == [str(path)], result.output  # it still serves, on the default settings
    assert (
        "F008" in result.stderr
        and "too deep" in result.stderr
        and "serving with the default settings" in result.stderr
    )
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    assert "F008" not in CliRunner().invoke(app, ["serve", str(path), "--port", "0"]).stderr

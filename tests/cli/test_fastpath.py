"""The start-up fast path (argmap/cli/fastpath.py) reads the plain forms of `check` and
`export` as typer does, hands everything else to typer, and answers the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.cli.fastpath import parse

runner = CliRunner()
CLEAN = "[Claim]: Cats purr.\n  + <Reason>: They are content.\n"
BROKEN = "[Claim]: Cats purr.\n  + [Other]\n\n<A>\n\n(1) a premise\n(2) b\n----\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "m.argdown"], ("check", {"paths": ["m.argdown"]})),
        (
            ["check", "--no-evidence", "a.argdown", "dir", "--format", "json"],
            ("check", {"paths": ["a.argdown", "dir"], "no_evidence": True, "output_format": "json"}),
        ),
        (
            ["check", "--format=sarif", "-o", "out.sarif", "--select", "G,V2", "--select=P1", "x"],
            (
                "check",
                {
                    "paths": ["x"],
                    "output_format": "sarif",
                    "output_file": Path("out.sarif"),
                    "select": ["G,V2", "P1"],
                },
            ),
        ),
        (
            ["check", "--ignore", "G310", "--fix", "x"],
            ("check", {"paths": ["x"], "ignore": ["G310"], "fix": True}),
        ),
        (["export", "m.argdown"], ("export", {"path": "m.argdown"})),
        (
            ["export", "--to", "dot", "m.argdown", "--output-file", "g.dot"],
            ("export", {"path": "m.argdown", "to": "dot", "output_file": Path("g.dot")}),
        ),
    ],
)
def test_plain_forms_are_read(argv: list[str], expected: tuple[str, dict[str, Any]]) -> None:
    assert parse(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["score", "m.argdown"],
        ["check"],  # no path: typer says so
        ["check", "--help", "m"],
        ["check", "-h"],
        ["--version"],
        ["check", "--format", "xml", "m"],  # not a choice
        ["check", "--format", "JSON", "m"],  # choices are case-sensitive in typer
        ["check", "--format", "json", "--format", "human", "m"],  # repeated single option
        ["check", "--no-evidence", "--no-evidence", "m"],
        ["check", "--no-evidence=1", "m"],
        ["check", "--format"],  # value missing
        ["check", "-o", "-x", "m"],  # a value that looks like an option
        ["check", "-ofile", "m"],
        ["check", "-o=file", "m"],
        ["check", "--output-file=", "m"],
        ["check", "--", "-m.argdown"],
        ["check", "-", "m"],
        ["check", "--formt", "json", "m"],  # typer suggests the right name
        ["check", "--to", "json", "m"],  # export's option
        ["export", "a", "b"],
        ["export"],
        ["export", "--to", "svg", "m"],
        ["export", "--no-evidence", "m"],
    ],
)
def test_everything_else_goes_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None


def _as_user(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "argmap", *argv], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--no-evidence", "clean.argdown"],
        ["check", "--no-evidence", "broken.argdown"],
        ["check", "--no-evidence", "--format", "json", "broken.argdown", "clean.argdown"],
        ["check", "--no-evidence", "--select", "P", "--format=github", "broken.argdown"],
        ["check", "missing.argdown"],
        ["check", "--fix", "--diff", "clean.argdown"],
        ["export", "clean.argdown"],
        ["export", "--to", "dot", "broken.argdown"],
        ["export", "missing.argdown"],
    ],
)
def test_the_fast_path_answers_as_typer_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    (tmp_path / "clean.argdown").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "broken.argdown").write_text(BROKEN, encoding="utf-8")
    assert parse(argv) is not None
    fast = _as_user(argv, tmp_path)  # `python -m argmap` takes the fast path
    monkeypatch.chdir(tmp_path)
    typer_result = runner.invoke(app, argv)  # the typer command, same folder
    assert fast.returncode == typer_result.exit_code
    assert fast.stdout == typer_result.stdout
    assert fast.stderr == typer_result.stderr


def test_the_fast_path_leaves_the_regex_module_alone(tmp_path: Path) -> None:
    """Lark imports the third-party `regex` whenever it is installed; the fast path
    imports Lark without it (argmap never asks Lark for it), and a later import of
    `regex` (a rule plugin's) still works where it is installed."""
    (tmp_path / "clean.argdown").write_text(CLEAN, encoding="utf-8")
    code = (
        "import importlib.util, io, sys, contextlib\n"
        "from argmap.cli.fastpath import run\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        "    code = run('check', {'paths': ['clean.argdown'], 'no_evidence': True})\n"
        "import lark\n"
        "print(code, 'regex' in sys.modules, end=' ')\n"
        "if importlib.util.find_spec('regex') is not None:\n"
        "    import regex\n"
        "print(regex.compile('a+').match('aa') is not None if 'regex' in sys.modules else 'absent')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    exit_code, loaded_by_check, later_import = result.stdout.split()
    assert (exit_code, loaded_by_check) == ("0", "False")
    assert later_import in ("True", "absent")


@pytest.mark.parametrize(
    ("argv", "with_config"),
    [
        (["check", "broken.argdown"], False),
        (["check", "--no-evidence", "--format", "json", "clean.argdown"], False),
        (["export", "--to", "json", "clean.argdown"], False),
        (["check", "clean.argdown"], True),
    ],
)
def test_check_and_export_never_import_pydantic(tmp_path: Path, argv: list[str], with_config: bool) -> None:
    """The model, the findings and the settings are plain dataclasses: pydantic (a fifth
    of checking a small map) is imported only to validate a configuration file."""
    (tmp_path / "clean.argdown").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "broken.argdown").write_text(BROKEN, encoding="utf-8")
    if with_config:
        (tmp_path / "argmap.toml").write_text('ignore = ["G310"]\n', encoding="utf-8")
    code = (
        "import io, sys, contextlib\n"
        "from argmap.cli.fastpath import parse, run\n"
        f"with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    code = run(*parse({argv!r}))\n"
        "print(code, 'pydantic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    exit_code, imported = result.stdout.split()
    assert exit_code in ("0", "1")
    assert imported == str(with_config)

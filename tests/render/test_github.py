"""`--format github`: workflow commands GitHub turns into annotations."""

from __future__ import annotations

import os
from pathlib import Path

from argmap.diagnostics import Diagnostic, Level
from argmap.render.github import escape_data, escape_property, render_github


def _d(**changes: object) -> Diagnostic:
    base = dict(
        code="V201",
        level=Level.ERROR,
        message="premise [P] has no credence",
        file="maps/m.argdown",
        line=12,
        column=5,
        end_line=12,
        end_column=8,
        hint=None,
    )
    base.update(changes)
    return Diagnostic(**base)  # type: ignore[arg-type]


def test_error_line() -> None:
    assert render_github([_d()]) == (
        "::error file=maps/m.argdown,line=12,col=5,endLine=12,endColumn=7,title=V201::"
        "[V201] premise [P] has no credence\n"
    )


def test_levels_and_multiline_span() -> None:
    out = render_github([_d(level=Level.WARNING), _d(level=Level.INFO, end_line=14, end_column=2)])
    first, second = out.splitlines()
    assert first.startswith("::warning ")
    assert second.startswith("::notice ") and "endLine=14" in second and "endColumn" not in second


def test_escaping_of_message_hint_and_properties() -> None:
    out = render_github([_d(message="100% sure, really\r\nyes", hint="a: b", file="dir,x/a:b.argdown")])
    assert "file=dir%2Cx/a%3Ab.argdown" in out
    assert out.endswith("::[V201] 100%25 sure, really%0D%0Ayes%0Ahint: a: b\n")
    assert out.count("\n") == 1
    assert escape_data("%\n") == "%25%0A" and escape_property("a,b:c") == "a%2Cb%3Ac"


def test_absolute_paths_under_cwd_become_relative(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.chdir(tmp_path)
    path = os.path.join(str(tmp_path), "sub", "m.argdown")
    assert "file=sub/m.argdown," in render_github([_d(file=path)])


def test_clean_run_prints_nothing() -> None:
    assert render_github([]) == ""

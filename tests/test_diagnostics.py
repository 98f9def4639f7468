"""`Diagnostic.at` builds the finding its constructor builds, `to_json` writes every
field in declaration order, and a finding is frozen."""

from __future__ import annotations

import dataclasses

import pytest

from argmap.diagnostics import WHOLE_FILE, Diagnostic, Level, Region


@pytest.mark.parametrize(
    ("level", "where", "hint"),
    [
        (Level.ERROR, Region(3, 5, 3, 9), "fix it"),
        ("warning", Region.on_line(7, 2, 4), None),
        ("info", WHOLE_FILE, "ünïcode hint"),
        (Level.WARNING, None, None),
    ],
)
def test_at_builds_the_finding_validation_builds(
    level: Level | str, where: Region | None, hint: str | None
) -> None:
    built = Diagnostic.at("G301", level, "a message", "maps/a.argdown", where, hint)
    box = where or Region(1, 1, 1, 2)
    validated = Diagnostic(
        code="G301",
        level=Level(level),
        message="a message",
        file="maps/a.argdown",
        line=box.line,
        column=box.column,
        end_line=box.end_line,
        end_column=box.end_column,
        hint=hint,
    )
    assert built == validated
    assert hash(built) == hash(validated)
    assert built.to_json() == {
        "code": "G301",
        "level": Level(level).value,
        "message": "a message",
        "file": "maps/a.argdown",
        "line": box.line,
        "column": box.column,
        "end_line": box.end_line,
        "end_column": box.end_column,
        "hint": hint,
    }
    assert list(built.to_json()) == [field.name for field in dataclasses.fields(Diagnostic)]


def test_at_rejects_an_unknown_level() -> None:
    with pytest.raises(ValueError):
        Diagnostic.at("G301", "fatal", "m", "a.argdown")


def test_a_built_finding_stays_frozen_and_copies_apart() -> None:
    built = Diagnostic.at("G301", Level.ERROR, "m", "a.argdown")
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.line = 2  # type: ignore[misc]
    copy = built.with_level(Level.INFO)
    assert (copy.level, built.level) == (Level.INFO, Level.ERROR)
    assert copy == dataclasses.replace(built, level=Level.INFO)


def test_a_level_given_by_name_becomes_the_level() -> None:
    fields = dict(code="X900", message="m", file="a.argdown", line=1, column=1, end_line=1, end_column=2)
    assert Diagnostic(level="warning", **fields).level is Level.WARNING  # type: ignore[arg-type]
    assert Diagnostic(level=Level.INFO, **fields).level is Level.INFO  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Diagnostic(level="fatal", **fields)  # type: ignore[arg-type]

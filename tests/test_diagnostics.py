"""`Diagnostic.at` builds findings without pydantic's validation; they must be the
findings validation would build, and `to_json` what pydantic would write for them."""

from __future__ import annotations

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
    assert built.model_fields_set == validated.model_fields_set
    assert built.to_json() == validated.model_dump(mode="json")
    assert list(built.to_json()) == list(Diagnostic.model_fields)


def test_at_rejects_an_unknown_level() -> None:
    with pytest.raises(ValueError):
        Diagnostic.at("G301", "fatal", "m", "a.argdown")


def test_a_built_finding_stays_frozen_and_copies_apart() -> None:
    built = Diagnostic.at("G301", Level.ERROR, "m", "a.argdown")
    with pytest.raises(ValueError):
        built.line = 2  # type: ignore[misc]
    copy = built.model_copy(update={"level": Level.INFO})
    assert (copy.level, built.level) == (Level.INFO, Level.ERROR)
    other = Diagnostic.at("G302", Level.ERROR, "m", "a.argdown")
    assert other.model_fields_set == set(Diagnostic.model_fields)

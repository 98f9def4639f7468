"""Golden files for parser diagnostics: `tests/golden/parse/NAME.argdown` and the
human report next to it (`NAME.expected.txt`).

Regenerate on purpose only, after reading the diff:
    ARGMAP_REGEN=1 pytest tests/grammar/test_golden_parse.py
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from argmap.grammar import parse_file
from argmap.render.diagnostics import render_human

GOLDEN = Path(__file__).parents[1] / "golden" / "parse"
CASES = sorted(GOLDEN.glob("*.argdown"))


def report(path: Path) -> str:
    document = parse_file(path)
    name = path.name
    diagnostics = [replace(d, file=name) for d in document.diagnostics]
    return render_human(diagnostics, {name: document.lines}, 1)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_parse_diagnostics_golden(path: Path) -> None:
    expected_path = path.with_suffix(".expected.txt")
    actual = report(path)
    if os.environ.get("ARGMAP_REGEN") == "1":
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"no golden output for {path.name}; run with ARGMAP_REGEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")


def test_every_golden_has_a_finding() -> None:
    for path in CASES:
        assert parse_file(path).diagnostics, path.name

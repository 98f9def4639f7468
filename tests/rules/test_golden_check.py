"""Golden files: `argmap check` human and json output for the maps in tests/golden/check.

Regenerate on purpose only, after checking the diff:

    ARGMAP_REGEN=1 .venv/bin/pytest tests/rules/test_golden_check.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from argmap.checking import CheckOptions, check_paths
from argmap.render.diagnostics import render_human, render_json

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "check"
CASES = sorted(p.name for p in GOLDEN.glob("*.argdown"))
REGEN = os.environ.get("ARGMAP_REGEN") == "1"


def _outputs(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.chdir(ROOT)
    relative = f"tests/golden/check/{name}"
    report = check_paths([relative], CheckOptions(evidence=False))
    sources = {n: d.lines for n, d in report.documents.items()}
    human = render_human(report.diagnostics, sources, len(report.files), color=False)
    payload = json.loads(render_json(report.diagnostics, report.files))
    payload["tool"]["version"] = "<version>"
    return human, json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    human, data = _outputs(name, monkeypatch)
    stem = name.removesuffix(".argdown")
    text_file, json_file = GOLDEN / f"{stem}.expected.txt", GOLDEN / f"{stem}.expected.json"
    if REGEN:
        text_file.write_text(human, encoding="utf-8")
        json_file.write_text(data, encoding="utf-8")
    assert human == text_file.read_text(encoding="utf-8")
    assert data == json_file.read_text(encoding="utf-8")


def test_picnic_example_checks_clean() -> None:
    report = check_paths([str(ROOT / "examples" / "picnic" / "thesis.argdown")], CheckOptions(evidence=False))
    assert report.diagnostics == []

"""The map page's rule findings leave out the parser's own diagnostics by hash, not by
a scan of the list (issue 16, F4: 2,500 inference lines in a row gave 2,500 parser
errors, and each was compared with every other: 3 million comparisons)."""

from __future__ import annotations

from typing import Any

import pytest

from argmap.diagnostics import Diagnostic
from argmap.grammar import parse_text
from argmap.render.html_map import _rule_findings
from tests.maps import inference_lines_map


def _comparisons(n: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int]:
    document = parse_text(inference_lines_map(n), "m.argdown")
    counted = {"eq": 0}
    original = Diagnostic.__eq__

    def eq(self: Diagnostic, other: Any) -> bool:
        counted["eq"] += 1
        return bool(original(self, other))

    monkeypatch.setattr(Diagnostic, "__eq__", eq)
    found = _rule_findings(document)
    monkeypatch.undo()
    parsed = sum(d.code == "P118" for d in document.diagnostics)
    return counted["eq"], parsed, sum(d.code == "P118" for d in found)


def test_rule_findings_compare_diagnostics_a_linear_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    for n in (200, 800):
        comparisons, parsed, repeated = _comparisons(n, monkeypatch)
        assert parsed == n - 1  # one "two inference lines in a row" per extra line
        assert repeated == 0  # the parser's findings are shown once, not again as rule findings
        assert comparisons <= 2 * n  # a list scan made n * n / 2

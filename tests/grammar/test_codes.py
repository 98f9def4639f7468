"""The parser's code table (argmap/grammar/codes.py) holds every message and hint the
parser reports: each report in argmap/grammar names a code, a case of it that the table
has, and exactly the details that case's message and hint ask for."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from string import Template

import pytest

import argmap.grammar
from argmap.diagnostics import WHOLE_FILE, Level, Region
from argmap.grammar import parse_text
from argmap.grammar.codes import CODES, diagnostic

GRAMMAR = Path(argmap.grammar.__file__).parent
BY_CODE = {entry.code: entry for entry in CODES}
# the reporting helpers and the position of their `case` argument (after the code)
REPORTERS = {"error": 2, "diagnostic": 3, "_diag": None}


def _reporting_modules() -> list[Path]:
    """The parser's modules, and every other module that reports a code of its table
    (the file stage's codes are reported where files are opened, e.g. argmap/cli)."""
    others = [
        path
        for path in sorted(GRAMMAR.parent.rglob("*.py"))
        if path.parent != GRAMMAR and "from argmap.grammar.codes import" in path.read_text(encoding="utf-8")
    ]
    return sorted(GRAMMAR.glob("*.py")) + others


def _reports() -> list[tuple[str, int, str, str, set[str]]]:
    """(file, line, code, case, detail names) of every report with a literal code."""
    found = []
    for path in _reporting_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in REPORTERS:
                continue
            literals = [
                str(a.value) for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            codes = [value for value in literals if re.fullmatch(r"[PF]\d{3}", value)]
            if not codes:
                continue
            position = REPORTERS[name]
            case_arg = node.args[position] if position is not None and len(node.args) > position else None
            case = str(case_arg.value) if isinstance(case_arg, ast.Constant) else ""
            details = {k.arg for k in node.keywords if k.arg not in ("start", "end", None)}
            found.append((path.name, node.lineno, codes[0], case, details))
    return found


def _names(template: str) -> set[str]:
    return set(Template(template).get_identifiers())


def test_every_report_names_a_case_the_table_has_with_the_details_it_needs() -> None:
    reports = _reports()
    assert len(reports) >= 35  # the scan finds the parser's reports
    for file, line, code, case, details in reports:
        entry = BY_CODE[code]
        assert case in entry.messages, f"{file}:{line}: {code} has no case {case!r}"
        message, hint = entry.messages[case]
        assert details == _names(message) | _names(hint), f"{file}:{line}: {code}/{case!r}"


def test_every_case_in_the_table_is_reported_somewhere() -> None:
    reported = {(code, case) for _, _, code, case, _ in _reports()}
    # the cases Lark's error recovery reports (grammar/__init__.py maps token kinds to codes)
    reported |= {(code, "") for code in ("P101", "P108", "P110", "P122", "P123", "P124", "P125")}
    table = {(entry.code, case) for entry in CODES for case in entry.messages}
    assert table == reported


def test_a_report_fills_in_its_details_and_takes_its_level_from_the_table() -> None:
    found = diagnostic("P107", "m.argdown", Region(3, 1, 3, 4), number=3, expected=2)
    assert found.message == "premise-conclusion statement is numbered (3), expected (2)"
    assert found.hint == "renumber it (2)"
    assert found.level is Level.WARNING
    assert (found.line, found.column, found.end_column) == (3, 1, 4)
    odd = diagnostic("F001", "x", WHOLE_FILE, reason="no such file: $HOME {x}")
    assert odd.message == "cannot read file: no such file: $HOME {x}"  # details are not templates
    with pytest.raises(KeyError):
        diagnostic("P107", "m.argdown", WHOLE_FILE, number=3)


@pytest.mark.parametrize(
    ("text", "code", "message", "hint"),
    [
        (
            "<A>\n\n(1) p\n(2) c\n",
            "P106",
            "conclusion (2) has no inference line `----` above it",
            "insert a line `----` between (1) and (2) (above line 4)",
        ),
        (
            "===\nmodel:\n  mode: Weird\n===\n\n[A]: a\n",
            "P115",
            "unknown model mode 'weird'",
            "use `mode: strict` or `mode: loose`",
        ),
        (
            "[A]: see <B> here\n",
            "P126",
            "`<B>` inside text reads as a reference, which only starts an element",
            "write `@<B>` to mention it, or escape the opening bracket with a backslash",
        ),
    ],
)
def test_reports_read_as_written_in_the_table(text: str, code: str, message: str, hint: str) -> None:
    found = [d for d in parse_text(text).diagnostics if d.code == code]
    assert [(d.message, d.hint) for d in found] == [(message, hint)]

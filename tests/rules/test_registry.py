"""The registry: every code is registered once, explained, and the docs are current."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.diagnostics import Diagnostic
from argmap.rules import registry
from argmap.rules.registry import Context, all_rules, document_code, get_rule, rule

ROOT = Path(__file__).resolve().parents[2]


def test_every_code_the_parser_emits_is_registered() -> None:
    emitted: set[str] = set()
    for path in [
        *(ROOT / "argmap" / "grammar").glob("*.py"),
        ROOT / "argmap" / "checking.py",
        ROOT / "argmap" / "config.py",
    ]:
        emitted |= set(re.findall(r'"([PF]\d{3})"', path.read_text(encoding="utf-8")))
    assert emitted
    missing = sorted(code for code in emitted if get_rule(code) is None)
    assert missing == []


def test_every_runnable_rule_is_documented_with_examples() -> None:
    for entry in all_rules():
        assert entry.summary, entry.code
        if entry.runnable:
            assert "```argdown" in entry.explanation, entry.code
            assert "Fixed" in entry.explanation, entry.code
            assert "**What it checks.**" in entry.explanation and "**Why it matters.**" in entry.explanation


def test_rule_names_are_unique_and_codes_sorted() -> None:
    rules = all_rules()
    names = [r.name for r in rules]
    assert len(names) == len(set(names))
    assert [r.code for r in rules] == sorted(r.code for r in rules)
    assert {r.family for r in rules} >= {"vargdown", "graph", "syntax", "file"}


def test_registering_from_another_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_RULES", dict(registry._RULES))

    @rule(code="E999", name="test-only-rule", level="warning")
    def check(ctx: Context) -> Iterator[Diagnostic]:
        """A test rule.

        Fires once per document.
        """
        yield ctx.diagnostic("E999", None, "hello")

    entry = get_rule("E999")
    assert entry is not None and entry.family == "evidence" and entry.summary == "A test rule."
    from argmap.config import Settings
    from argmap.grammar import parse_text

    found = list(registry.run_rules(parse_text("[A]: a\n"), Settings(select=["E999"])))
    assert [(d.code, d.level.value) for d in found] == [("E999", "warning")]
    with pytest.raises(ValueError, match="already registered"):
        document_code("E999", "other-name", "error", "Doc.")
    with pytest.raises(ValueError, match="capital letter"):
        document_code("e9", "bad", "error", "Doc.")


def test_when_option_skips_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_RULES", dict(registry._RULES))

    @rule(code="E998", name="needs-evidence", when="evidence")
    def check(ctx: Context) -> Iterator[Diagnostic]:
        """Needs evidence."""
        yield ctx.diagnostic("E998", None, "ran")

    from argmap.config import Settings
    from argmap.grammar import parse_text

    document = parse_text("[A]: a\n")
    assert [d.code for d in registry.run_rules(document, Settings(select=["E998"]))] == ["E998"]
    assert list(registry.run_rules(document, Settings(select=["E998"], evidence=False))) == []


def test_docs_rules_md_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_rules_doc.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr

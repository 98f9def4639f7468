"""Every rule's documented examples behave as documented: each bad example (the
`argdown` blocks before "Fixed") raises the rule's code, each fixed one (after it) does
not. The examples run as `argmap check` runs them, in a project that holds the picnic
example's evidence files (docs/*.md), so the evidence rules' examples are real too.

Codes that another stage reports (the parser's, files', results', training specs') are
tested where their stage is; here: every rule argmap runs in `check` must document at
least one bad and one fixed example."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from argmap.checking import CheckOptions, check_paths
from argmap.profile import applies
from argmap.rules.registry import Rule, all_rules
from tests.conftest import EXAMPLE

BLOCK = re.compile(r"```argdown\n(.*?)```", re.S)
FIXED = re.compile(r"^Fixed\b[^\n]*$", re.M)
RUN_IN_CHECK = ("V", "G", "C", "E")


def examples(rule: Rule) -> tuple[list[str], list[str]]:
    """(bad, fixed) example maps of a rule's documentation."""
    split = FIXED.search(rule.explanation)
    if split is None:
        return BLOCK.findall(rule.explanation), []
    return BLOCK.findall(rule.explanation[: split.start()]), BLOCK.findall(rule.explanation[split.end() :])


DOCUMENTED = [r for r in all_rules() if any(examples(r))]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    shutil.copytree(EXAMPLE.parent / "docs", folder / "docs")
    (folder / "argmap.toml").write_text("", encoding="utf-8")
    # the two files the E407 and E409 examples describe
    paper = [
        "Title: Wide Nets",
        "",
        "a naïve baseline",
        "",
        "Markdown Content:",
        "",
        "Drawing on Weight Normalization (Salimans & Kingma, 2016), which achieves faster convergence, we",
        "",
    ]
    (folder / "docs" / "paper.md").write_text("\n".join(paper), encoding="utf-8")
    (folder / "docs" / "latin1-note.md").write_bytes("\n".join(paper[:4]).encode("latin-1"))
    return folder


def _codes(project: Path, text: str, name: str) -> list[str]:
    folder = project
    if not applies("argdown", name.split("-")[0]):
        # a vargdown rule's example is checked as vargdown even where it has no credences
        folder = project / "vargdown"
        folder.mkdir(exist_ok=True)
        (folder / "argmap.toml").write_text('profile = "vargdown"\n', encoding="utf-8")
    path = folder / f"{name}.argdown"
    path.write_text(text, encoding="utf-8")
    return [d.code for d in check_paths([str(path)], CheckOptions()).diagnostics]


def test_every_rule_run_by_check_documents_a_bad_and_a_fixed_example() -> None:
    missing = [
        r.code for r in all_rules() if r.code[0] in RUN_IN_CHECK and r.runnable and not all(examples(r))
    ]
    assert missing == []


@pytest.mark.parametrize("rule", DOCUMENTED, ids=[r.code for r in DOCUMENTED])
def test_documented_examples_behave_as_documented(rule: Rule, project: Path) -> None:
    bad, fixed = examples(rule)
    for i, text in enumerate(bad):
        assert rule.code in _codes(project, text, f"{rule.code}-bad{i}"), f"bad example {i + 1}:\n{text}"
    for i, text in enumerate(fixed):
        assert rule.code not in _codes(project, text, f"{rule.code}-fixed{i}"), (
            f"fixed example {i + 1}:\n{text}"
        )

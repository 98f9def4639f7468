"""A bounded fuzz test (issue 16): mutated results files, experiment specs and maps
never raise anything but the documented errors, and the commands keep the exit-code
contract (0, 1 or 2, never a traceback).

Each input is a valid document with random edits from a hostile alphabet (brackets,
YAML anchors and aliases, huge numbers, NaN, NUL, line breaks, deep nesting).
Hypothesis runs derandomized (the same examples on every run, so CI is stable) and a
few thousand examples in all, in seconds; the campaign of issue 16 runs the same kind
of inputs by the ten thousand outside the suite.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.diagnostics import printable
from argmap.grammar import parse_text
from argmap.render.diagnostics import EXCERPT_WIDTH, render_human
from argmap.rules.registry import run_rules
from tests.conftest import EXAMPLE

FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TOKENS = [
    "{",
    "}",
    "[",
    "]",
    "<",
    ">",
    ":",
    ",",
    '"',
    "'",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\x00",
    "\\",
    "&a ",
    "*a",
    "&b [*a, *a, *a]",
    "<<: *a",
    "!!python/object:os.system",
    "---",
    "...",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "9" * 5000,
    "-0",
    "0.5",
    "true",
    "null",
    '"0.7"',
    "[" * 200,
    "{" * 200,
    "]" * 200,
    "#",
    "//",
    "/*",
    "*/",
    "----",
    "===",
    "+>",
    "->",
    "_>",
    "(1)",
    "[X]:",
    "<A>:",
    "> quote",
    "#L1-L2",
    "\u202e",
    "\x1b[2J\x07",  # a terminal escape: human output must show it escaped
    "1e308",  # finite, but a difference of two overflows
    "-1e308",
    "[a] " * 50,  # many findings on one line: the human report stays bounded
    "\ufeff",
    "é",
    "\U0001f600",
]


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> str:
    """`seed` with up to eight edits: insert, replace or delete around random places."""
    text = seed
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        token = draw(st.sampled_from(TOKENS) | st.text(max_size=12))
        kind = draw(st.sampled_from(["insert", "replace", "delete"]))
        if kind == "insert":
            text = text[:at] + token + text[at:]
        elif kind == "replace":
            text = text[:at] + token + text[at + len(token) :]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
    return text


RESULT = json.dumps(
    {
        "claim": "Clear Morning Persists",
        "comparison": {"method": "new", "baseline": "old", "metric": "acc", "min_effect": {"acc": 0.01}},
        "runs": [
            {"seed": s, "method": m, "metrics": {"acc": 0.7 + 0.01 * s + (0.02 if m == "new" else 0)}}
            for s in range(3)
            for m in ("new", "old")
        ],
        "setup": {"model": "tiny", "dataset": "shift"},
    },
    indent=1,
)
CSV = "seed,method,acc,loss\n0,new,0.72,1.1\n0,old,0.70,1.2\n1,new,0.74,1.0\n1,old,0.71,1.3\n"
SPEC = (Path(__file__).resolve().parents[1] / "examples" / "experiments" / "svd_init.yaml").read_text(
    encoding="utf-8"
)
MAP = EXAMPLE.read_text(encoding="utf-8")[:2500]


@FUZZ
@given(mutated(RESULT))
def test_results_json_gives_a_result_or_diagnostics(text: str) -> None:
    from argmap.results.evidence import assess
    from argmap.results.validate import parse_result_json

    loaded = parse_result_json(text, "r.json")
    assert (loaded.result is None) == bool(loaded.diagnostics)
    assert all(d.code.startswith("R1") and len(d.message) < 2000 for d in loaded.diagnostics)
    if loaded.result is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no overflow reaches numpy
            assess([loaded.result])  # the statistics of whatever validated


@FUZZ
@given(mutated(CSV))
def test_results_csv_gives_runs_or_a_csv_error(text: str) -> None:
    from argmap.results.csv import CsvError, parse_runs_csv

    try:
        parse_runs_csv(text)
    except CsvError as exc:
        assert exc.code in ("R101", "R102", "R103") and len(str(exc)) < 500


@FUZZ
@given(mutated(SPEC))
def test_specs_give_a_spec_or_located_diagnostics(text: str) -> None:
    from argmap.training.spec import SpecError, parse_spec

    try:
        parse_spec(text, "spec.yaml")
    except SpecError as exc:
        assert exc.diagnostics
        assert all(d.code.startswith("T1") and d.line >= 1 for d in exc.diagnostics)


@FUZZ
@given(mutated(MAP))
def test_maps_parse_and_check_without_an_exception(text: str) -> None:
    document = parse_text(text, "m.argdown")
    found = list(run_rules(document))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 2
    for d in [*document.diagnostics, *found]:
        assert 1 <= d.line <= lines and len(d.message) < 2000, d
    report = render_human([*document.diagnostics, *found], {document.path: document.lines}, 1)
    assert printable(report) == report  # no control character from the map reaches a terminal
    assert all(len(line) < EXCERPT_WIDTH + 20 for line in report.splitlines() if " | " in line)


runner = CliRunner()
CLI = settings(FUZZ, max_examples=60)


@CLI
@given(text=mutated(MAP))
def test_check_and_score_keep_the_exit_code_contract(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "m.argdown"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for args in (["check", "--no-evidence"], ["score", "--samples", "0", "--no-results"], ["export"]):
        result = runner.invoke(app, [*args, str(path)])
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@CLI
@given(text=mutated(RESULT))
def test_attach_keeps_the_exit_code_contract(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    (folder / "thesis.argdown").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = (folder / "thesis.argdown").read_bytes()
    (folder / "r.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    result = runner.invoke(
        app,
        ["attach", str(folder / "thesis.argdown"), str(folder / "r.json"), "--samples", "0", "--into-map"],
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    after = (folder / "thesis.argdown").read_bytes()
    assert after == before or after.startswith(before)  # only an appended #experiment block
    added = after[len(before) :].decode("utf-8")
    assert added.count("\n[") <= 1 and "===" not in added

"""The lean parse loop (`grammar.driver`) gives what Lark's own loop gives: the same block
records with the same tokens (type, text and every position), the same post-lexer
findings; and a text Lark would reject is handed back (None), so Lark's error recovery
stays the only one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import _DISPATCH, _parser, _Recovery, _tables, driver, parse_text
from argmap.grammar.blocks import BlockCollector
from argmap.grammar.lexing import ArgdownPostLexer
from argmap.grammar.source import decode_source

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

# Each shape the grammar knows, with the post-lexer's findings (P109 mixed indentation,
# P127 a heading with no empty line after it) and the contexts where a marker line is
# read as text (a heading under a statement, a relation sign inside braces).
DOCUMENTS = [
    "[A]: a\n",
    "===\ntitle: t\n===\n\n# Head\n\n[A]: a\n  + [B]: b\n    - <C>: c\n  -> [D]\n",
    "<Arg>\n\n(1) [P]: p\n    more of p\n(2) q #tag\n----\n(3) c\n  +> [A]\n",
    "<Arg>: gist\n\n(1) p\n-- modus ponens {uses: [1]} --\n(2) c\n",
    "(1) p\n--\nrules\n--\n(2) c\n",
    "* one\n* two\n  + [A]\n1. three\n",
    "# H\n[A]: right under the heading\n",
    "[A]: a\n# not a heading here\n\n[B]: b {x: 1,\n  - y: 2}\n",
    "[A]: a\n \t+ [B]: mixed\n\t  - [C]: mixed\n",
    "+ [A]: orphan\n- [B]: tree\n\n\n\n[C]: c\n// a comment\n\n'+ [D]\n",
    "[A]: {a: 1}\n\n\n",
]


def _shape(value: Any) -> Any:
    """Records and tokens as comparable data: every slot, every token position."""
    if isinstance(value, list):
        return [_shape(item) for item in value]
    if isinstance(value, str) and hasattr(value, "type"):
        fields = ("type", "start_pos", "line", "column", "end_line", "end_column", "end_pos")
        return (str(value), *(getattr(value, name, None) for name in fields))
    slots = getattr(type(value), "__slots__", None)
    if slots:
        return (type(value).__name__, *(_shape(getattr(value, name)) for name in slots))
    return value


def _fast(text: str, postlexer: ArgdownPostLexer) -> Any:
    tables = _tables()
    assert tables is not None
    return driver.parse(tables, text, postlexer)


def _both(text: str) -> tuple[Any, Any]:
    """(the driver's records and findings, Lark's records and findings) for `text`."""
    source = decode_source(text.encode("utf-8"), "<test>")
    before = len(source.diagnostics)
    fast = _fast(source.text, ArgdownPostLexer(source))
    fast_found = list(source.diagnostics[before:])
    del source.diagnostics[before:]
    postlexer = ArgdownPostLexer(source)
    _DISPATCH.local.current = postlexer
    slow = list(_parser().parse(source.text, on_error=_Recovery(source, postlexer)) or [])
    slow_found = list(source.diagnostics[before:])
    return (None if fast is None else _shape(fast), fast_found), (_shape(slow), slow_found)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_loop_gives_what_lark_gives(text: str) -> None:
    fast, slow = _both(text)
    assert fast[0] is not None
    assert fast == slow


def test_every_golden_map_that_parses_cleanly_gives_what_lark_gives() -> None:
    compared = 0
    for path in sorted(GOLDEN.rglob("*.argdown")):
        fast, slow = _both(path.read_text(encoding="utf-8"))
        if fast[0] is not None:
            compared += 1
            assert fast == slow, path
    assert compared > 100


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("[A]: a\n  + [B]: b\n*\n", ["P125"]),  # a list marker under a tree
        ("<+ [R]\n(1) P.\n----\n(2) C.\n", ["P108", "P124", "P123", "P124"]),
    ],
)
def test_a_syntax_error_is_left_to_lark(text: str, codes: list[str]) -> None:
    source = decode_source(text.encode("utf-8"), "<test>")
    assert _fast(source.text, ArgdownPostLexer(source)) is None
    assert [d.code for d in parse_text(text).diagnostics] == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("[A]: a\n \t+ [B]: b\n*\n\n[C]: c\n", ["P109", "P125", "P101"]),
        ("# H\n[A]\n\t + [B]\n*\n", ["P127", "P109", "P108", "P125"]),
    ],
)
def test_findings_before_a_syntax_error_are_reported_once(text: str, codes: list[str]) -> None:
    # the post-lexer's findings (P127, P109) before the error are made by the driver's
    # post-lexer, then again by Lark's: each appears once, in Lark's order
    assert [d.code for d in parse_text(text).diagnostics] == codes


def test_the_kept_tables_are_lark_s(tmp_path: Path) -> None:
    path = str(tmp_path / "tables.pickle")
    tables = driver.load_tables(path, BlockCollector(), _parser)
    assert tables is not None and Path(path).is_file()
    lark_table = _parser().parser.parser.parser.parse_table
    assert (tables.start, tables.end) == (lark_table.start_states["start"], lark_table.end_states["start"])
    for state, row in lark_table.states.items():
        for kind, (_action, target) in row.items():
            kept = tables.actions[state][kind]
            if isinstance(kept, int):
                assert target == kept
            else:
                assert (kept[0], kept[2]) == (len(target.expansion), target.origin.name)
    again = driver.load_tables(path, BlockCollector(), _no_lark)  # read back, Lark not asked
    assert again is not None and again.actions.keys() == tables.actions.keys()


def _no_lark() -> Any:
    raise AssertionError("the kept tables should have been read")


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x04K\x01."])
def test_an_unreadable_tables_file_is_written_again(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tables.pickle"
    path.write_bytes(content)
    tables = driver.load_tables(str(path), BlockCollector(), _parser)
    assert tables is not None
    source = decode_source(b"[A]: a\n  + [B]: b\n", "<test>")
    assert driver.parse(tables, source.text, ArgdownPostLexer(source)) is not None
    assert path.read_bytes() != content


def test_an_unwritable_cache_still_parses(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "tables.pickle"
    assert driver.load_tables(str(path), BlockCollector(), _parser) is not None
    assert not path.exists()


def test_a_lark_whose_insides_moved_is_left_to_lark(tmp_path: Path) -> None:
    # what a future Lark without the tables or lexers this loop reads would give: no tables
    path = str(tmp_path / "tables.pickle")
    assert driver.load_tables(path, BlockCollector(), object) is None

"""`argmap.jsonout.dumps` writes exactly what `json.dumps` writes."""

from __future__ import annotations

import json
from collections import OrderedDict, namedtuple
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, IntEnum, StrEnum
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.jsonout import _scan, _scan_blocks, dumps, dumps_bytes, orjson_bytes


class Colour(StrEnum):
    RED = "red"


CASES: list[Any] = [
    {"a": [1, 2.5, None, True, False], "b": {}, "c": [], "ü": "naïve → ✓"},
    {"x": 0.1, "y": 1e-05, "z": 1e16, "n": float("nan"), "i": float("inf")},
    {"big": 2**70, "neg": -(2**63), "keys": {1: "one", 2.5: "x"}},
    {"nested": [[[{"k": "v"}]]], "tuple": (1, 2), "enum": Colour.RED},
    {"quote": 'a "b" \\ c\n\t\u2028', "zero": 0.0, "negzero": -0.0, "third": 1 / 3},
    1e-05,  # a number alone
    ["text", {"deep": ["more text", {"deeper": [2.5e-07, "x"]}]}],  # one odd float under strings
]


@pytest.mark.parametrize("value", CASES)
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    assert dumps(value, indent=False) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    expected = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert dumps(value, sort_keys=True) == expected


def test_default_is_used_for_unknown_objects() -> None:
    value = {"path": __import__("pathlib").PurePosixPath("a/b"), "n": 1}
    assert dumps(value, default=str) == json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"


# Corner cases where orjson's own text differs from the standard library's (each one
# seen written differently by orjson alone): they must still come out as json.dumps
# writes them.
class Half(float):
    """A float subclass (numpy's float64 is one): orjson sends it to `default`."""


class Plain(Enum):
    A = "a"


class Number(IntEnum):
    ONE = 1


Point = namedtuple("Point", "x y")  # a plain named tuple is the case


@dataclass
class Pair:
    left: int
    right: str


CORNERS: list[Any] = [
    {"exponent": [1e-05, 2.5e-07, -1e-07, 9.99e-05, 5e-324, 1e16, 1.5e22, -1e300]},
    {"boundary": [1e-04, 0.0001, 9999999999999998.0, 0.0, -0.0]},
    {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")},
    {"over 64 bits": [2**64, 2**64 - 1, -(2**63), -(2**63) - 1, 10**30]},
    {"keys": {1: "int", 2.5: "float", False: "bool", None: "none", -7: "negative"}},
    {"odd keys": {1e-05: "exponent", float("nan"): "nan", float("inf"): "inf"}},
    {"big key": {2**70: "over 64 bits"}},
    {"float subclass": Half(0.5), "list": [Half(1e-05)]},
    {"named tuple": Point(1, "two"), "in list": [Point(1.5, None)]},
    {"enums": [Plain.A, Number.ONE, Colour.RED], "keys": {Number.ONE: 1, Colour.RED: 2}},
    {"dates": [date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, 5)], "id": UUID(int=7)},
    {"dataclass": Pair(1, "x")},
    {"ordered": OrderedDict(n=float("nan"))},
    {"deep": [[{"x": [1e-05]}]]},
]


@pytest.mark.parametrize("value", CORNERS)
def test_corner_cases_written_as_the_standard_library_writes_them(value: Any) -> None:
    for sort_keys in (False, True):
        try:
            expected = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys, default=str)
        except TypeError:  # sorting keys of mixed types: the standard library refuses too
            with pytest.raises(TypeError):
                dumps(value, sort_keys=sort_keys, default=str)
            continue
        assert dumps(value, sort_keys=sort_keys, default=str) == expected + "\n"
        assert dumps_bytes(value, sort_keys=sort_keys, default=str) == (expected + "\n").encode()
        compact = json.dumps(
            value, ensure_ascii=False, sort_keys=sort_keys, default=str, separators=(",", ":")
        )
        assert dumps(value, indent=False, sort_keys=sort_keys, default=str) == compact


@pytest.mark.parametrize("value", CORNERS)
def test_corner_cases_found_inside_the_user_values(value: Any) -> None:
    """A caller that names the parts holding user data gets the same text: the odd
    value is looked for there alone."""
    document = {"title": "map", "members": [{"text": "a", "data": value}], "count": 3}
    expected = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    assert dumps(document, default=str, user_values=[value]) == expected


def test_non_str_keys_left_out_of_the_user_values_still_come_out_right() -> None:
    # orjson refuses keys that are not strings unless a checked part had one
    document = {"data": {"x": 1}, "index": {1: "one", 2.5: "two and a half"}}
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert dumps(document, user_values=[document["data"]]) == expected


def test_lone_surrogates() -> None:
    value = {"text": "a\ud800b", "\udfffkey": ["\udc00"]}
    expected = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    assert dumps(value) == expected
    # UTF-8 cannot hold a lone surrogate: the bytes carry its JSON escape, which reads
    # back as the same value
    written = dumps_bytes(value)
    assert written == expected.encode("utf-8", "backslashreplace")
    assert json.loads(written) == value


def test_keys_the_standard_library_refuses_go_through_default() -> None:
    # A date under a YAML data block becomes a key json.dumps refuses; with `default`
    # it is written as default(key), with a NaN elsewhere (the standard library's path)
    # or without (orjson's path).
    for value in ({date(2024, 1, 2): "x", "n": float("nan")}, {date(2024, 1, 2): "x", "n": 1}):
        expected = {"2024-01-02": "x", "n": value["n"]}
        assert dumps(value, default=str) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    stamp = {"at": {datetime(2024, 1, 2, 3, 4): 1}}
    assert dumps(stamp, default=str) == dumps({"at": {"2024-01-02 03:04:00": 1}})
    with pytest.raises(TypeError):  # without `default`, refused as the standard library does
        dumps({date(2024, 1, 2): "x"})


def test_a_default_that_returns_an_odd_value() -> None:
    value = {"when": date(2024, 1, 2), "set": {1}}
    for default in (lambda _: 1e-05, lambda _: float("nan"), lambda _: {"k": [2**70]}):
        expected = json.dumps(value, indent=2, ensure_ascii=False, default=default) + "\n"
        assert dumps(value, default=default) == expected


@pytest.mark.parametrize("value", CASES + CORNERS)
def test_orjson_bytes_is_dumps_bytes_or_none(value: Any) -> None:
    """orjson's text where it is the standard library's, None where it is not; never
    the standard library's `NaN` or `Infinity` (a caller that maps them to null looks
    for them only after None)."""
    text = orjson_bytes(value, default=str)
    if text is not None:
        assert text == dumps_bytes(value, default=str)
        assert b"NaN" not in text and b"Infinity" not in text


def test_orjson_bytes_declines_non_finite_and_exponent_floats() -> None:
    for number in (float("nan"), float("inf"), float("-inf"), 1e-05, 1e16):
        document = {"title": "map", "data": {"x": number}}
        assert orjson_bytes(document) is None
        assert orjson_bytes(document, user_values=[document["data"]]) is None
    assert orjson_bytes({"data": {"x": 0.5}}) == dumps_bytes({"data": {"x": 0.5}})


_FLOATS = st.floats() | st.sampled_from(
    [0.0, -0.0, 1e-4, 9.99e-5, -1e-4, 1e16, 9999999999999998.0, -1e16, 5e-324, float("nan"), float("-inf")]
)
_FLAT = st.none() | st.booleans() | st.integers() | st.sampled_from(["", "x", "ü"]) | _FLOATS
_ODD = st.sampled_from([Colour.RED, date(2024, 1, 2), (1, 2), [1e-05], {"k": 1}, 2.5])
_KEYS = st.sampled_from(["a", "b", "c", "d"])
_ODD_KEYS = st.sampled_from([1, 2.5, True, None, date(2024, 1, 2)])
# mostly what the passes take (flat str-keyed dicts), now and then what they hand on
_BLOCK = st.dictionaries(_KEYS, _FLAT, max_size=4) | st.dictionaries(
    _KEYS | _ODD_KEYS, _FLAT | _ODD, max_size=3
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_BLOCK, max_size=6) | st.lists(_BLOCK | _FLAT | _ODD, max_size=3))
def test_blocks_scanned_at_c_speed_as_one_by_one(blocks: list[Any]) -> None:
    """The passes over a list of flat data blocks decide as the general walk does
    (which other tests hold to json.dumps' text)."""
    assert _scan_blocks(blocks) == _scan(blocks)
    assert _scan_blocks(blocks, sort_keys=True) == _scan(blocks, sort_keys=True)

"""`argmap.jsonout.dumps` writes exactly what `json.dumps` writes."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import pytest

from argmap.jsonout import dumps


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

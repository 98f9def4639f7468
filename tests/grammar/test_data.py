"""The data-block fast path gives exactly what the YAML loader gives, or steps aside."""

from __future__ import annotations

import pytest

from argmap import yamlsafe
from argmap.grammar.data import DataError, _fast, parse_data_block

# blocks a real map holds, and near misses where YAML 1.1 reads a scalar differently
BLOCKS = [
    '{reason: "indirect evidence", credence: 0.47}',
    "{isGroup: true, order: 1}",
    "{isGroup: false, order: 12}",
    "{isGroup: True, order: -3}",
    "{flag: TRUE, other: FALSE}",
    "{empty: null, tilde: ~, cap: Null, up: NULL}",
    "{yes_word: yes, no_word: no, on_word: on, off_word: Off}",
    "{octal: 010, zero: 0, neg: -0}",
    "{under: 1_000, plus: +5, hex: 0x1F}",
    "{mixed: tRUE, word: truth, n: nulls}",
    "{f: 1.5e3, g: .5, h: 1., inf: .inf}",
    '{s: "with \\"escape\\"", t: plain words}',
    "{a: 1, a: 2}",
    "{key-name: true, _private: false}",
    "{ spaced :  true ,  order:   2 }",
    "{trailing: true,}",
    "{x: true y: 1}",
    "{}",
    "{n: 123456789012345}",
    "{n: 9007199254740993}",  # past 2**53: a double to js-yaml, not this integer
    "{n: -12345678901234567890}",
    "{x: 1" + "0" * 400 + ".5}",  # overflows a double: text to js-yaml
]


@pytest.mark.parametrize("block", BLOCKS)
def test_fast_path_agrees_with_yaml(block: str) -> None:
    fast = _fast(block[1:-1])
    if fast is None:
        return  # stepped aside: the YAML loader decides
    expected = yamlsafe.load(block, unique_keys=True)
    assert fast == expected
    assert [type(v) for v in fast.values()] == [type(v) for v in expected.values()]


def test_numbers_a_double_cannot_hold_exactly_go_to_yaml() -> None:
    assert _fast("n: 123456789012345") == {"n": 123456789012345}
    assert _fast("n: 9007199254740993") is None
    assert parse_data_block("{n: 9007199254740993}") == {"n": 9007199254740992.0}
    assert parse_data_block("{x: 1" + "0" * 400 + ".5}") == {"x": "1" + "0" * 400 + ".5"}


def test_booleans_and_null_take_the_fast_path() -> None:
    assert _fast("isGroup: true, order: 1") == {"isGroup": True, "order": 1}
    assert _fast("a: False, b: null, c: ~") == {"a": False, "b": None, "c": None}


# what @argdown/cli 1.7.5 (js-yaml 4) exports for `{x: SCALAR}`
ODDITIES = [
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("off", "off"),
    ("Yes", "Yes"),
    ("tRUE", "tRUE"),
    ("010", 10),
    ("1_000", "1_000"),
    ("+5", 5),
]


@pytest.mark.parametrize(("scalar", "expected"), ODDITIES)
def test_yaml_1_1_oddities_step_aside(scalar: str, expected: object) -> None:
    assert _fast(f"x: {scalar}") is None
    assert parse_data_block(f"{{x: {scalar}}}") == {"x": expected}


def test_keys_that_are_not_strings_are_written_as_the_reference_writes_them() -> None:
    # @argdown/cli 1.7.5 on `{null: x, true: y, false: z, 1.5: w, 7: v}`
    assert parse_data_block("{null: x, true: y, false: z, 1.5: w, 7: v}") == {
        "null": "x",
        "true": "y",
        "false": "z",
        "1.5": "w",
        "7": "v",
    }


@pytest.mark.parametrize("block", ["{null: x, ~: y}", "{1: x, 1.0: y}", "{true: x, True: y}"])
def test_keys_the_reference_reads_as_one_are_duplicates(block: str) -> None:
    # @argdown/cli 1.7.5 rejects each: "duplicated mapping key"
    with pytest.raises(DataError, match="duplicated mapping key"):
        parse_data_block(block)

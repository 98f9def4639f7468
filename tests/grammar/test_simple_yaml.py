"""The frontmatter reader without YAML: where it answers, YAML's loader answers the same."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap import yamlsafe
from argmap.grammar.data import parse_frontmatter
from argmap.grammar.simple_yaml import load_simple_mapping


def _loader(text: str) -> Any:
    value = yamlsafe.load(text, unique_keys=True)
    return {} if value is None else value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "\ntitle: Adapters as Representational Hypotheses -- Which Priors Hold?\n"
            "author: Compiled from 33 PEFT papers (2021--2025)\nmodel:\n    mode: strict\n",
            {
                "title": "Adapters as Representational Hypotheses -- Which Priors Hold?",
                "author": "Compiled from 33 PEFT papers (2021--2025)",
                "model": {"mode": "strict"},
            },
        ),
        (
            "color:\n  colorScheme: iwanthue-set3\nselection:\n  excludeDisconnected: true\n"
            "group:\n  groupDepth: 2\n",
            {
                "color": {"colorScheme": "iwanthue-set3"},
                "selection": {"excludeDisconnected": True},
                "group": {"groupDepth": 2},
            },
        ),
        ("a:\nb: 1\n", {"a": None, "b": 1}),  # a key with nothing after it is null
        (
            "# a comment\nx: -0.25\n\n   \ny: 'single'\nz: \"double\"\n",
            {"x": -0.25, "y": "single", "z": "double"},
        ),
        (
            "model:\n    mode: strict\n    # note\nthesis: Thesis A\n",
            {"model": {"mode": "strict"}, "thesis": "Thesis A"},
        ),
        ("a: yes\nb: on\nc: No\n", {"a": "yes", "b": "on", "c": "No"}),  # text in js-yaml's schema
        ("title: Straße — über [x] {y}, z!\n", {"title": "Straße — über [x] {y}, z!"}),
        ("", {}),
        ("\n  \n# only a comment\n", {}),
    ],
)
def test_plain_frontmatter_is_read_without_yaml(text: str, expected: dict[str, Any]) -> None:
    assert load_simple_mapping(text) == expected
    assert _loader(text) == expected  # and the loader agrees


@pytest.mark.parametrize(
    "text",
    [
        "title: a: b\n",  # `: ` inside the value
        "title: text # comment\n",
        "date: 2021-01-01\n",  # a timestamp to js-yaml
        "n: 12345678901234567890\n",  # past a double's exact integers
        "n: 1e3\n",
        "n: 017\n",
        "n: .5\n",
        "k: [a, b]\n",
        "k:\n  - a\n",
        "k: |\n  text\n",
        "k: &a x\nm: *a\n",
        "k: !!str 1\n",
        "k: x\nk: y\n",  # a key named twice: the loader's error
        "true: x\n",  # a key that is a boolean
        'k: "a\\"b"\n',  # an escape
        "k: 'it''s'\n",
        "k: text\n  continued\n",  # a plain scalar over two lines
        "a:\n    b: 1\n  c: 2\n",  # between two levels
        "\tk: v\n",
        "k: v \n",  # trailing blank
        "k:  v\n",
        "key:value\n",
        "k: <<\n",
        "k: Null\n k2: x\n",
        "---\nk: v\n",
    ],
)
def test_anything_else_goes_to_the_yaml_loader(text: str) -> None:
    assert load_simple_mapping(text) is None


def test_parse_frontmatter_still_reports_what_the_loader_refuses() -> None:
    from argmap.grammar.data import DataError

    with pytest.raises(DataError, match="duplicated mapping key"):
        parse_frontmatter("k: x\nk: y\n")


_KEYS = st.sampled_from(
    ["title", "author", "model", "mode", "a-b", "_x", "y", "n", "Null", "true", "k1", "k1"]
)
_VALUES = st.one_of(
    st.sampled_from(
        [
            "strict",
            "loose",
            "yes",
            "No",
            "true",
            "FALSE",
            "null",
            "~",
            "0",
            "-0",
            "12",
            "3.25",
            "-0.5",
            "1e3",
            "017",
            "0x1F",
            ".inf",
            "2021-01-01",
            "a: b",
            "a #b",
            "a#b",
            "it's",
            "'q'",
            '"q"',
            "Straße — x",
            "[a]",
            "{a: 1}",
            "- a",
            "a -- b?",
            "<<",
            "",
            " x",
            "x ",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=12),
)
_INDENTS = st.sampled_from([0, 0, 2, 4, 4, 1])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        indent = " " * draw(_INDENTS)
        key = draw(_KEYS)
        if draw(st.booleans()):
            lines.append(f"{indent}{key}:")
        else:
            lines.append(f"{indent}{key}: {draw(_VALUES)}")
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", "# c", "    # c"])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=400, deadline=None)
@given(_documents())
def test_where_the_plain_reader_answers_the_loader_answers_the_same(text: str) -> None:
    simple = load_simple_mapping(text)
    if simple is None:
        return
    assert simple == _loader(text)
    assert _same_types(simple, _loader(text))


def _same_types(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and all(_same_types(a[k], b[k]) for k in a)
    return type(a) is type(b)

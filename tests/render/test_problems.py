"""The map's problems on the page: errors first, each tied to the node it is about, the
error count the banner shows, and the nodes used but never defined drawn as missing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import parse_file
from argmap.render.html_map import collect, page_data, render_html, render_svg
from argmap.render.problems import missing_nodes
from tests.problem_maps import CATS, TEA, ProblemMap


def _page(tmp_path: Path, case: ProblemMap, name: str = "map.argdown") -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(case.text, encoding="utf-8")
    return page_data(collect(parse_file(str(path)), samples=0, evidence=False))


def _key(data: dict[str, Any], index: int) -> str:
    node = data["nodes"][index]
    return f"{node['k']}:{node['title']}"


@pytest.mark.parametrize("case", [CATS, TEA], ids=["cats", "tea"])
def test_errors_come_first_and_are_counted(tmp_path: Path, case: ProblemMap) -> None:
    data = _page(tmp_path, case)
    levels = [d["level"] for d in data["diagnostics"]]
    assert levels == sorted(levels, key=["error", "warning", "info"].index)
    assert data["errors"] == case.errors == levels.count("error")
    first = data["diagnostics"][0]
    assert (first["code"], first["line"]) == case.first
    assert _key(data, first["node"]) == case.first_node
    assert first["source"] == case.text.split("\n")[case.first[1] - 1].rstrip()


def test_each_error_of_the_cats_map_names_its_node(tmp_path: Path) -> None:
    # derived from the text: a finding about a premise's title is the premise's statement;
    # a missing `----` is the argument's; a reference to nothing is the missing node
    expected = [
        ("V215", "s:Cats Self Groom"),
        ("P106", "a:Low Maintenance"),
        ("V215", "s:Allergy Rates"),
        ("V204", "s:Allergy Rates"),
        ("G301", "s:Dog Alternative"),
        ("P105", "s:Dog Alternative Two"),
        ("G302", "a:Ghost Argument"),
    ]
    data = _page(tmp_path, CATS)
    errors = [d for d in data["diagnostics"] if d["level"] == "error"]
    assert [(d["code"], _key(data, d["node"])) for d in errors] == expected


@pytest.mark.parametrize("case", [CATS, TEA], ids=["cats", "tea"])
def test_nodes_used_but_never_defined_are_drawn_as_missing(tmp_path: Path, case: ProblemMap) -> None:
    path = tmp_path / "map.argdown"
    path.write_text(case.text, encoding="utf-8")
    document = parse_file(str(path))
    assert missing_nodes(document) == case.missing
    map_data = collect(document, samples=0, evidence=False)
    data = page_data(map_data)
    assert {_key(data, i) for i in data["missing"]} == case.missing
    svg = render_svg(map_data)
    for key in case.missing:
        i = next(j for j, n in enumerate(data["nodes"]) if f"{n['k']}:{n['title']}" == key)
        group = re.search(rf'<g id="n{i}" class="([^"]*)"[^>]*>(.*?)</g>', svg)
        assert group is not None
        assert "miss" in group.group(1).split()
        assert "is used but never defined" in group.group(2)
        assert 'class="bf"' not in group.group(2)  # no credence bar
        if key.startswith("s:"):
            assert ">not defined</text>" in group.group(2)
    # the defined claims keep their credence bars
    assert svg.count('class="bf"') == sum(
        1 for n in data["nodes"] if n["k"] == "s" and f"s:{n['title']}" not in case.missing
    )


def test_real_map_banner_data(corpus_map: Path) -> None:
    """The corpus map as shipped: a missing `----` (line 117) and two statements named by
    `+>` but never defined (lines 210 and 258), drawn as missing next to the thesis."""
    data = page_data(collect(parse_file(str(corpus_map)), samples=0, evidence=False))
    errors = [d for d in data["diagnostics"] if d["level"] == "error"]
    assert data["errors"] == 3
    assert data["diagnostics"][:3] == errors
    assert [(d["code"], d["line"]) for d in errors] == [("P106", 117), ("G301", 210), ("G301", 258)]
    assert _key(data, errors[0]["node"]) == "a:AntiPaSTO OOD Transfer"
    assert errors[0]["source"].startswith("(2) [SVD Causal Not Correlational]")
    assert [_key(data, d["node"]) for d in errors[1:]] == [
        "s:Orthogonal Preservation",
        "s:Direction Magnitude Decoupling",
    ]
    assert {_key(data, i) for i in data["missing"]} == {
        "s:Orthogonal Preservation",
        "s:Direction Magnitude Decoupling",
    }


def test_clean_map_has_no_errors_and_nothing_missing(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE

    data = page_data(collect(parse_file(str(EXAMPLE)), samples=0, evidence=False))
    assert data["errors"] == 0 and data["missing"] == []


def test_page_carries_the_legend_of_every_edge_and_of_missing_nodes(tmp_path: Path) -> None:
    path = tmp_path / "map.argdown"
    path.write_text(TEA.text, encoding="utf-8")
    page = render_html(collect(parse_file(str(path)), samples=0, evidence=False))
    legend = page[page.index('<div id="legend">') : page.index('<div id="help"')]
    for words in ("supports", "attacks", "contradicts", "undercuts", "premise / conclusion", "not defined"):
        assert words in legend
    assert 'marker-start="url(#bar-att-start)"' in legend  # the contradiction's bar at both ends

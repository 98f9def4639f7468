"""`argmap export --to json` against the reference's own output on golden documents.

Each `tests/golden/syntax/NN_*.argdown` was run once through `@argdown/cli json`
(version in tests/golden/syntax/README.md) and its output committed next to it. We
compare what the Argdown ecosystem reads: titles, member texts, PCS roles, relations
with their types, sections, tags and data. Positions and colours are not compared
(argmap reports its own 1-based, end-exclusive spans), whitespace in texts is
collapsed (the reference keeps a trailing space where a data block was removed), and
the two ends of a symmetric relation (contradictory, contrary) are compared as a set.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from argmap.grammar import parse_file
from argmap.model import Document
from argmap.render import argdown_json
from argmap.render.argdown_json import export_dict, export_json, export_json_bytes, regrouped
from argmap.render.argdown_projection import project

GOLDEN = Path(__file__).parents[1] / "golden" / "syntax"
CASES = sorted(p for p in GOLDEN.glob("*.argdown") if p.with_suffix(".expected.json").exists())


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_export_matches_reference(path: Path) -> None:
    expected = project(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))
    document = parse_file(path)
    assert [d for d in document.diagnostics if d.level.value == "error"] == []
    actual = project(json.loads(export_json_bytes(document)))  # what `argmap export` writes
    for key in ("statements", "arguments", "relations", "sections", "tags"):
        assert actual[key] == expected[key], key


# Where a map can hold values of the user's choosing: data blocks on a heading, a
# statement, an argument description, a PCS line, an inference and a relation member.
PLACES = """# Section {SECTION}

[A]: Text one. {STATEMENT}
  + <B>: An argument. {DESCRIPTION}
    - [D]: A detail. {MEMBER}

<B>

(1) [P]: Premise. {PREMISE}
-- Modus ponens {INFERENCE} --
(2) [C]: Conclusion.
"""
# Each is written by orjson unlike the standard library (or refused by orjson)
ODD_DATA = [
    "v: 1.0e-5",
    "v: -2.5e-7",
    "v: .nan",
    "v: .inf",
    "v: -.inf",
    "v: 123456789012345678901234567890",
    "v: 2024-01-02 03:04:05",
    "v: {1.0e-5: tiny, 2: two}",
    "v: {.nan: not a number}",
    "v: [1, [2, {w: 1.0e+300}]]",
]
PLACE_NAMES = ["SECTION", "STATEMENT", "DESCRIPTION", "MEMBER", "PREMISE", "INFERENCE"]


def _map_with(place: str, data: str) -> str:
    text = PLACES
    for name in PLACE_NAMES:
        text = text.replace("{" + name + "}", "{" + (data if name == place else "n: 1") + "}")
    return text


def _as_javascript_writes(value: Any) -> Any:
    """A data value as JSON.stringify writes what js-yaml read: NaN and the infinities
    null, a date its `toISOString()`."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, dict):
        return {key: _as_javascript_writes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_javascript_writes(item) for item in value]
    return value


@pytest.mark.parametrize("place", PLACE_NAMES)
@pytest.mark.parametrize("data", ODD_DATA)
def test_json_text_is_the_standard_librarys(tmp_path: Path, place: str, data: str) -> None:
    """One odd value anywhere in the data: the text is what `json.dumps` writes of
    what the reference's JSON holds (NaN and infinities null, dates as JavaScript
    writes them)."""
    path = tmp_path / "odd.argdown"
    path.write_text(_map_with(place, data), encoding="utf-8")
    document = parse_file(path)
    assert document.diagnostics == []
    value = _as_javascript_writes(export_dict(document))
    expected = json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
    assert export_json(document) == expected
    assert export_json_bytes(document) == expected.encode("utf-8")


# Three arguments sharing premises and a class met only in relations: with one entry
# per part, a premise's item is written in its argument's part and again, long after,
# in its class's part; an odd value in one premise must send both parts, and only
# those, to the standard library.
_SHARED = """# Section {SECTION}

[T]: Thesis. {STATEMENT}
  + <A1>
  - <A2>: Second. {DESCRIPTION}

<A1>

(1) [P]: Premise. {PREMISE}
-- Rule {INFERENCE} --
(2) [T]

<A2>

(1) [Q]: Other premise. {n: 2}
(2) [P]
----
(3) [R]: Result.
  - [D]: A detail. {MEMBER}

<A3>

(1) [R]
----
(2) [S]: Last.
"""


@pytest.mark.parametrize("place", PLACE_NAMES)
@pytest.mark.parametrize("data", ODD_DATA)
@pytest.mark.parametrize("part", [1, 2])
def test_json_text_in_small_parts_is_the_standard_librarys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str, data: str, part: int
) -> None:
    monkeypatch.setattr(argdown_json, "_PART", part)
    text = _SHARED
    for name in PLACE_NAMES:
        text = text.replace("{" + name + "}", "{" + (data if name == place else "n: 1") + "}")
    path = tmp_path / "shared.argdown"
    path.write_text(text, encoding="utf-8")
    document = parse_file(path)
    assert document.diagnostics == []
    value = _as_javascript_writes(export_dict(document))
    expected = json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
    assert export_json_bytes(document) == expected.encode("utf-8")


@pytest.mark.parametrize("part", [1, 3, 64])
def test_the_parts_joined_are_the_whole_text(monkeypatch: pytest.MonkeyPatch, part: int) -> None:
    """Every map of the repository, each argument, class and relation its own part
    (or a few, or the usual 64): the bytes of one `json.dumps` of the whole value."""
    monkeypatch.setattr(argdown_json, "_PART", part)
    root = Path(__file__).parents[2]
    paths = sorted(
        {path for folder in ("tests", "examples", "docs") for path in root.glob(f"{folder}/**/*.argdown")}
    )
    assert len(paths) > 50
    for path in paths:
        document = parse_file(path)
        value = _as_javascript_writes(export_dict(document))
        expected = json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
        pieces = list(argdown_json.JsonText(document))
        assert b"".join(pieces) == expected.encode("utf-8", "backslashreplace"), path
        assert all(str(piece, "utf-8") for piece in pieces)  # whole characters in each


_TAGGED = """# One #s1 #b

<Late>: A description first in the text. #d #b #d

[Late]: The class's later member. #c #a
  + [Early]: Early. #e #c

## Two #s2 #a

<Arg>: Described. #f

(1) [Early]: Again. #g
(2) [P]: Premise. #a #h
----
(3) [Late]: Conclusion. #i #d
"""


def _tags_by_definition(document: Document) -> list[str]:
    """Every tagged place (sections, each occurrence of a statement, argument
    descriptions) sorted stably by position, and their tags in that order, each once."""
    places = [(s.span, s.tags) for s in document.sections]
    places += [(st.span, st.tags) for ec in document.statements.values() for st in ec.occurrences]
    places += [(d.span, d.tags) for a in document.arguments.values() for d in a.descriptions]
    places.sort(key=lambda place: (place[0].line, place[0].column))
    return list(dict.fromkeys(tag for _, tags in places for tag in tags))


def test_tags_are_listed_where_the_text_first_uses_them(tmp_path: Path) -> None:
    path = tmp_path / "tagged.argdown"
    path.write_text(_TAGGED, encoding="utf-8")
    document = parse_file(path)
    tags = export_dict(document)["tags"]
    assert list(tags) == ["s1", "b", "d", "c", "a", "e", "s2", "f", "g", "h", "i"]
    assert list(tags) == _tags_by_definition(document)
    assert [entry["occurrenceIndex"] for entry in tags.values()] == list(range(len(tags)))
    root = Path(__file__).parents[2]
    for path in sorted(root.glob("tests/**/*.argdown")):
        document = parse_file(path)
        if not regrouped(document):
            assert list(export_dict(document)["tags"]) == _tags_by_definition(document), path


def test_a_class_of_one_pcs_item_is_written_as_any_class() -> None:
    """`pcs_class` (one occurrence, written in its PCS) gives what the general walk
    over the occurrences gives, on every map of the repository."""
    root = Path(__file__).parents[2]
    shortcuts = 0
    for path in sorted(root.glob("tests/**/*.argdown")):
        document = parse_file(path)
        usual = argdown_json._Export()
        general = argdown_json._Export()
        general.recheck = {0}  # no item's id: every class takes the general walk
        assert usual.document(document) == general.document(document), path
        shortcuts += sum(len(ec.occurrences) == 1 for ec in document.statements.values())
    assert shortcuts > 100


def test_dates_and_non_finite_numbers_as_the_reference_writes_them(tmp_path: Path) -> None:
    # the reference's output for this map (@argdown/cli 1.7.5, `argdown json`):
    # {"d": "2026-08-20T00:00:00.000Z", "t": "2026-08-20T08:20:30.000Z", "i": null, "n": null}
    path = tmp_path / "dates.argdown"
    path.write_text(
        "[A]: Text. {d: 2026-08-20, t: 2026-08-20T10:20:30+02:00, i: -.inf, n: .nan}\n", encoding="utf-8"
    )
    data = json.loads(export_json(parse_file(path)))["statements"]["A"]["members"][0]["data"]
    assert data == {"d": "2026-08-20T00:00:00.000Z", "t": "2026-08-20T08:20:30.000Z", "i": None, "n": None}


def test_a_date_key_is_written_as_its_text(tmp_path: Path) -> None:
    # json.dumps refuses a date key; the export writes it as the date's text
    path = tmp_path / "dates.argdown"
    for other in ("1", ".nan"):  # orjson's path, and the standard library's
        path.write_text(f"[A]: Text. {{by: {{2024-01-02: x}}, n: {other}}}\n", encoding="utf-8")
        data = json.loads(export_json(parse_file(path)))["statements"]["A"]["data"]
        assert data["by"] == {"2024-01-02T00:00:00.000Z": "x"}


# A statement's support of an argument is kept whatever else relates them; only an
# attack that a logical relation to one of the argument's premises already says is
# listed once (as the statement relation). Expected relations: @argdown/cli 1.7.5's
# `argdown json` on this document.
_PCS_RELATIONS = """\
[Premise One]: The first premise holds.
  +> <Argument>

[Outsider]: Something else entirely.
  -> <Argument>
  >< [Premise Two]

[Helper]: A helper claim.
  +> <Argument>
  +> [Premise Two]

<Argument>

(1) [Premise One]
(2) [Premise Two]: The second premise holds.
----
(3) [Conclusion]: So the conclusion holds.
"""


@pytest.mark.parametrize("mode", ["loose", "strict"])
def test_relations_beside_a_pcs_are_dropped_only_where_the_reference_drops_them(
    tmp_path: Path, mode: str
) -> None:
    path = tmp_path / "pcs.argdown"
    path.write_text(f"===\nmodel:\n  mode: {mode}\n===\n\n{_PCS_RELATIONS}", encoding="utf-8")
    relations = {(r["from"], r["relationType"], r["to"]) for r in export_dict(parse_file(path))["relations"]}
    assert relations == {
        ("Premise One", "support", "Argument"),
        ("Outsider", "contradictory", "Premise Two"),
        ("Helper", "support", "Argument"),
        ("Helper", "entails" if mode == "strict" else "support", "Premise Two"),
    }


# An attack on the argument that an attack on one of its premises already says is
# listed once; one beside a logical relation to a statement outside the PCS is kept.
# Expected relations: @argdown/cli 1.7.5's `argdown json` on this document.
_ATTACKS_BESIDE_A_PCS = """\
[Attacker]: An attacker of a premise.
  -> <Argument>
  -> [Premise Two]

[Contrary]: A claim contrary to no premise.
  -> <Argument>
  >< [Elsewhere]

[Elsewhere]: Not a premise.

<Argument>

(1) [Premise One]: The first premise holds.
(2) [Premise Two]: The second premise holds.
----
(3) [Conclusion]: So the conclusion holds.
"""


def test_an_attack_on_an_argument_is_dropped_only_beside_one_on_its_premise(tmp_path: Path) -> None:
    path = tmp_path / "attacks.argdown"
    path.write_text(_ATTACKS_BESIDE_A_PCS, encoding="utf-8")
    relations = {(r["from"], r["relationType"], r["to"]) for r in export_dict(parse_file(path))["relations"]}
    assert relations == {
        ("Attacker", "attack", "Premise Two"),
        ("Contrary", "attack", "Argument"),
        ("Contrary", "contradictory", "Elsewhere"),
    }


def test_a_tag_written_twice_is_listed_once(tmp_path: Path) -> None:
    # the reference's lists for golden document 61 (members' tags are not in the projection)
    document = parse_file(GOLDEN / "61_duplicate_tags.argdown")
    exported = json.loads(export_json(document))
    assert exported["sections"][0]["tags"] == ["t"]
    assert exported["statements"]["A"]["members"][0]["tags"] == ["t", "u"]
    assert exported["arguments"]["B"]["tags"] == ["t"]

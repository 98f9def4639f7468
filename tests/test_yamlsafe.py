"""The bounded YAML loader, and every place argmap reads YAML going through it.

The hostile documents are the shapes a fuzz campaign found (issue 16, group 1): a
kilobyte "billion laughs" (aliases expanding to 9^9 values), an alias inside the
collection it names, and collections nested thousands deep, in block and flow style.
"""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from argmap import yamlsafe
from argmap.cli.app import app
from argmap.grammar.data import DataError, parse_data_block, parse_frontmatter

runner = CliRunner()


def laughs(levels: int = 9, width: int = 9, flow: bool = True) -> str:
    """The classic billion-laughs document: level k is `width` aliases of level k-1."""
    names = [f"l{k}" for k in range(levels)]
    first = "[" + ",".join(['"lol"'] * width) + "]"
    items = [f"{names[0]}: &{names[0]} {first}"]
    for k in range(1, levels):
        items.append(f"{names[k]}: &{names[k]} [" + ",".join([f"*{names[k - 1]}"] * width) + "]")
    return ("{" + ", ".join(items) + "}") if flow else "\n".join(items) + "\n"


def nested_block(depth: int) -> str:
    return "".join(f"{' ' * k}k{k}:\n" for k in range(depth)) + " " * depth + "leaf\n"


HOSTILE = {
    "billion laughs (block)": laughs(flow=False),
    "billion laughs (flow)": laughs(),
    "wide and shallow laughs": "a: &a [" + ",".join(["x"] * 400) + "]\nb: [" + ",".join(["*a"] * 400) + "]\n",
    "recursive sequence": "a: &a [1, *a]\n",
    "recursive mapping": "a: &a {b: *a}\n",
    "recursive through a merge key": "a: &a\n  <<: *a\n",
    "block nested 3000 deep": nested_block(3000),
    "flow nested 3000 deep": "[" * 3000 + "]" * 3000,
    "mixed nesting 200 deep": "a: " + "[{b: " * 100 + "1" + "}]" * 100 + "\n",
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_documents_are_refused_quickly_with_a_location(text: str) -> None:
    start = time.process_time()
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yamlsafe.load(text)
    assert time.process_time() - start < 5  # a guard against a hang, not a timing claim
    assert caught.value.problem_mark is not None


def test_the_alias_bomb_is_located_where_the_limit_is_crossed() -> None:
    text = laughs(flow=False)
    with pytest.raises(yamlsafe.YamlLimitError) as caught:
        yamlsafe.load(text)
    assert "alias" in str(caught.value.problem)
    mark = caught.value.problem_mark
    assert mark is not None and 1 <= mark.line <= 8  # one of the alias levels, not line 1


def test_ordinary_aliases_and_merge_keys_still_load() -> None:
    text = "base: &b {lr: 0.001, rank: 8}\nrun:\n  <<: *b\n  rank: 16\nagain: *b\n"
    assert yamlsafe.load(text) == {
        "base": {"lr": 0.001, "rank": 8},
        "run": {"lr": 0.001, "rank": 16},
        "again": {"lr": 0.001, "rank": 8},
    }


def test_limits_are_exact_at_the_boundary() -> None:
    limits = yamlsafe.Limits(max_depth=3, max_nodes=10, max_chars=100)
    assert yamlsafe.load("[[[1]]]", limits) == [[[1]]]
    with pytest.raises(yamlsafe.YamlLimitError):
        yamlsafe.load("[[[[1]]]]", limits)
    assert len(yamlsafe.load("[1,2,3,4,5,6,7,8,9]", limits)) == 9  # 10 nodes with the list
    with pytest.raises(yamlsafe.YamlLimitError):
        yamlsafe.load("[1,2,3,4,5,6,7,8,9,10]", limits)
    with pytest.raises(yamlsafe.YamlLimitError):
        yamlsafe.load("#" * 101, limits)


@pytest.mark.parametrize("name", ["billion laughs (flow)", "recursive mapping", "flow nested 3000 deep"])
def test_a_data_block_over_a_limit_is_a_data_error(name: str) -> None:
    text = HOSTILE[name]
    block = text if text.startswith("{") else "{x: " + text.strip() + "}"
    with pytest.raises(DataError):
        parse_data_block(block)


def test_frontmatter_over_a_limit_is_a_data_error() -> None:
    with pytest.raises(DataError):
        parse_frontmatter(laughs(flow=False))


def bomb_map() -> str:
    inner = laughs()[1:-1]
    return f"[A]: A claim. {{{inner}, math: *l8}}\n  + [B]: Another.\n"


def test_check_reports_a_math_alias_bomb_as_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.argdown"
    path.write_text(bomb_map(), encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-evidence", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "P105" in result.output and "alias" in result.output


def test_export_of_a_map_with_an_alias_bomb_exits_one(tmp_path: Path) -> None:
    path = tmp_path / "bomb.argdown"
    path.write_text(bomb_map(), encoding="utf-8")
    result = runner.invoke(app, ["export", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)


def test_a_large_but_legal_math_value_gives_a_short_message(tmp_path: Path) -> None:
    # 9^4 = 6,561 values: under the limit, but the repr of the value is 50 KB
    inner = laughs(levels=4)[1:-1]
    (tmp_path / "argmap.toml").write_text('profile = "vargdown"\n', encoding="utf-8")  # a vargdown rule
    path = tmp_path / "m.argdown"
    path.write_text(f"[A]: A claim. {{{inner}, math: [*l3]}}\n  + [B]: Another.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-evidence", "--format", "json", str(path)])
    assert result.exit_code == 1
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "V218"]
    assert found and all(len(d["message"]) < 300 for d in found)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_an_experiment_spec_over_a_limit_is_a_located_t101(name: str) -> None:
    from argmap.training.spec import SpecError, parse_spec

    text = HOSTILE[name]
    spec = text if not text.startswith("[") else "comparisons: " + text + "\n"
    with pytest.raises(SpecError) as caught:
        parse_spec(spec, "spec.yaml")
    (first,) = caught.value.diagnostics
    assert first.code == "T101"


def test_t104_points_at_the_claim_not_at_a_comment_naming_it() -> None:
    from argmap.training.spec import check_claims, parse_spec

    path = Path(__file__).resolve().parents[1] / "examples" / "experiments" / "svd_init.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("# [SVD Init Wins]")  # the comment that misled it
    spec = parse_spec(text, str(path))
    (problem,) = check_claims(spec, ["Picnic Stays Dry"], str(path), text)
    assert problem.code == "T104"
    assert text.splitlines()[problem.line - 1].strip() == "- claim: SVD Init Wins"


def repeated_string(chars: int, fan: int = 10, levels: int = 3) -> str:
    """One anchored `chars`-long string, referred to fan^levels times through aliases of
    aliases: few values (about 1,100 for the defaults) but fan^levels copies of the text
    (the campaign's F1: a 40 KB map whose export wrote 133 MB)."""
    parts = [f's: &s "{"x" * chars}"', "l0: &l0 [" + ",".join(["*s"] * fan) + "]"]
    for k in range(1, levels):
        parts.append(f"l{k}: &l{k} [" + ",".join([f"*l{k - 1}"] * fan) + "]")
    return "{" + ", ".join(parts) + "}"


def test_an_anchored_long_string_repeated_by_aliases_is_refused() -> None:
    text = repeated_string(10_000)  # 10 KB of text, 10 MB expanded, 1,114 values
    with pytest.raises(yamlsafe.YamlLimitError) as caught:
        yamlsafe.load(text)
    assert "characters" in str(caught.value.problem)
    assert caught.value.problem_mark is not None


def test_the_expanded_character_limit_is_exact_at_the_boundary() -> None:
    limits = yamlsafe.Limits(max_expanded_chars=30)
    assert yamlsafe.load('[&a "xxxxxxxxxx", *a, *a]', limits) == ["x" * 10] * 3
    with pytest.raises(yamlsafe.YamlLimitError):
        yamlsafe.load('[&a "xxxxxxxxxx", *a, *a, *a]', limits)
    with pytest.raises(yamlsafe.YamlLimitError):  # through an aliased collection too
        yamlsafe.load('[&b [&a "xxxxxxxxxx", *a], *b]', limits)


def test_a_long_string_without_aliases_is_within_the_limits() -> None:
    assert len(yamlsafe.load('{s: "' + "x" * 900_000 + '"}')["s"]) == 900_000


@pytest.mark.parametrize("where", ["data", "math", "frontmatter"])
def test_check_and_export_refuse_a_repeated_string_in_a_map(tmp_path: Path, where: str) -> None:
    block = repeated_string(2_000)  # a 2 KB string, 2 MB once expanded
    if where == "frontmatter":
        text = f"===\nx: {block}\n===\n\n[A]: A claim.\n  + [B]: Another.\n"
    elif where == "math":
        text = f"[A]: A claim. {{math: {block}}}\n  + [B]: Another.\n"
    else:
        text = f"[A]: A claim. {block[:-1]}, credence: 0.7}}\n  + [B]: Another.\n"
    path = tmp_path / "amp.argdown"
    path.write_text(text, encoding="utf-8")
    for command in (["check", "--no-evidence"], ["export", "--to", "json"]):
        result = runner.invoke(app, [*command, str(path)])
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)
        assert "P105" in result.output and "characters" in result.output
        assert len(result.stdout) < 100_000  # no copy of the expanded value was written


def test_an_experiment_spec_with_a_repeated_string_is_a_t101() -> None:
    from argmap.training.spec import SpecError, parse_spec

    with pytest.raises(SpecError) as caught:
        parse_spec("comparisons: " + repeated_string(2_000) + "\n", "spec.yaml")
    (first,) = caught.value.diagnostics
    assert first.code == "T101" and "characters" in first.message


# Plain scalars in a map's data blocks and frontmatter, as js-yaml 4.3 (the reference
# Argdown tool's reader) reads them: its default schema, YAML 1.2's core schema plus
# timestamps (see js-yaml's lib/type/*.js). Not PyYAML's YAML 1.1 rules.
JS_YAML_SCALARS = [
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("Off", "Off"),
    ("y", "y"),
    ("TRUE", True),
    ("False", False),
    ("tRue", "tRue"),
    ("Null", None),
    ("~", None),
    ("", None),
    ("017", 17),
    ("0o17", 15),
    ("0x1F", 31),
    ("-0b101", -5),
    ("0b", "0b"),
    ("1_000", "1_000"),
    ("1:30", "1:30"),
    ("1e3", 1000.0),
    ("1.", 1.0),
    (".5", 0.5),
    ("-.5", "-.5"),
    ("+.5", "+.5"),
    ("-.nan", "-.nan"),
    ("1e999", "1e999"),
    ("12345678901234567890", 1.2345678901234567e19),
    ("2026-8-20", "2026-8-20"),
    ("<<", "<<"),
]


@pytest.mark.parametrize(("text", "expected"), JS_YAML_SCALARS)
def test_map_yaml_reads_plain_scalars_as_js_yaml(text: str, expected: object) -> None:
    value = yamlsafe.load(f"{{k: {text}}}", unique_keys=True)["k"]
    assert value == expected and type(value) is type(expected)


def test_map_yaml_specials_and_dates_as_javascript_holds_them() -> None:
    values = yamlsafe.load(
        "{a: .inf, b: -.Inf, c: .NaN, d: 2026-08-20, e: 2026-08-20 10:20:30.123456,"
        " f: 2026-08-20T10:20:30+02:00, g: 2026-13-45, h: 0099-01-01}",
        unique_keys=True,
    )
    assert values["a"] == math.inf and values["b"] == -math.inf and math.isnan(values["c"])
    assert values["d"] == datetime(2026, 8, 20, tzinfo=UTC)
    assert values["e"] == datetime(2026, 8, 20, 10, 20, 30, 123000, tzinfo=UTC)  # milliseconds
    assert values["f"] == datetime(2026, 8, 20, 8, 20, 30, tzinfo=UTC)
    assert values["g"] == datetime(2027, 2, 14, tzinfo=UTC)  # Date.UTC carries month 13, day 45
    assert values["h"] == datetime(1999, 1, 1, tzinfo=UTC)  # and reads year 99 as 1999


def test_map_yaml_integers_past_a_double_are_text() -> None:
    # js-yaml reads an integer JavaScript cannot hold (parseInt gives Infinity) as text
    values = yamlsafe.load(
        "{a: " + "1" * 5000 + ", b: " + "9" * 320 + ", c: " + "9" * 300 + "}", unique_keys=True
    )
    assert values["a"] == "1" * 5000 and values["b"] == "9" * 320
    assert values["c"] == 1e300
    with pytest.raises(yaml.constructor.ConstructorError):
        yamlsafe.load("{e: !!int " + "9" * 320 + "}", unique_keys=True)


def test_map_yaml_keys_and_merges() -> None:
    assert yamlsafe.load("{on: persistence, off: trend}", unique_keys=True) == {
        "on": "persistence",
        "off": "trend",
    }
    merged = yamlsafe.load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", unique_keys=True)
    assert merged["other"] == {"x": 1, "y": 2}


def test_specs_keep_yaml_1_1() -> None:
    # experiment specs are argmap's own files: their YAML stays PyYAML's
    assert yamlsafe.load("{a: yes, b: 017}") == {"a": True, "b": 15}

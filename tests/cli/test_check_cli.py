"""`argmap check` and `argmap export` as a user runs them: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.render.diagnostics import JSON_SCHEMA
from tests.conftest import EXAMPLE

runner = CliRunner()

# A map that follows every vargdown rule but one: the `----` before (2) is missing.
BROKEN = (
    "[T]: thesis\n  + <A>\n\n<A>\n\n"
    '(1) [P]: premise #assumption {reason: "r", credence: 0.5}\n'
    '(2) [C]: conclusion {reason: "r", inference: 0.5}\n  +> [T]\n'
)
CONCLUSION = '(2) [C]: conclusion {reason: "r", inference: 0.5}'


def test_clean_example_exits_zero() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


def test_syntax_error_exits_one_with_caret_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "broken.argdown"
    path.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "error[P106]: conclusion (2) has no inference line `----` above it"
    assert lines[1] == f"  --> {path}:7:1"
    assert lines[3] == f"7 | {CONCLUSION}"
    assert lines[4] == "  | " + "^" * len(CONCLUSION)
    assert lines[5].startswith("  = hint: insert a line `----` between (1) and (2)")
    assert lines[-1] == "Found 1 error, 0 warnings in 1 file."


def test_json_format_follows_the_published_schema(tmp_path: Path) -> None:
    path = tmp_path / "broken.argdown"
    path.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    jsonschema.validate(payload, JSON_SCHEMA)
    first = payload["diagnostics"][0]
    assert {k: first[k] for k in ("code", "level", "line", "column", "end_line", "end_column")} == {
        "code": "P106",
        "level": "error",
        "line": 7,
        "column": 1,
        "end_line": 7,
        "end_column": len(CONCLUSION) + 1,
    }
    assert payload["summary"] == {"errors": 1, "warnings": 0, "infos": 0, "files": 1}


def test_missing_path_exits_two(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "missing.argdown")])
    assert result.exit_code == 2
    assert "F001" in result.output


def test_binary_file_exits_two(tmp_path: Path) -> None:
    path = tmp_path / "x.argdown"
    path.write_bytes(b"\x00\x01\x02")
    assert runner.invoke(app, ["check", str(path)]).exit_code == 2


def test_folder_checks_every_map(tmp_path: Path) -> None:
    (tmp_path / "a.argdown").write_text("[A]: fine\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.argdown").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "notes.md").write_text("(2) ignored\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path), "--format", "json"])
    payload = json.loads(result.output)
    assert [Path(f).name for f in payload["files"]] == ["a.argdown", "b.argdown"]
    assert result.exit_code == 1


def test_ignore_comment_silences_one_finding(tmp_path: Path) -> None:
    path = tmp_path / "m.argdown"
    path.write_text(BROKEN.replace("inference: 0.5}", "inference: 0.5} // argmap: ignore[P106]"))
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert "P106" not in [d["code"] for d in json.loads(result.output)["diagnostics"]]


def test_output_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["check", str(EXAMPLE), "--format", "json", "--output-file", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["summary"]["errors"] == 0


def test_export_formats(tmp_path: Path) -> None:
    for fmt, marker in (("json", '"arguments"'), ("dot", "digraph argmap"), ("graphml", "<graphml")):
        result = runner.invoke(app, ["export", str(EXAMPLE), "--to", fmt])
        assert result.exit_code == 0, fmt
        assert marker in result.output


@pytest.mark.parametrize("fmt", ["dot", "graphml"])
def test_export_keeps_control_characters_out_of_its_output(tmp_path: Path, fmt: str) -> None:
    # a terminal escape and a bidi override in a title and a text: GraphML (XML 1.0) cannot
    # hold them at all, and both formats print to the terminal by default
    path = tmp_path / "escapes.argdown"
    path.write_text('[A \x1b[31m "red"]: text with \x07 and \u202e.\n  + [B]: b.\n', encoding="utf-8")
    result = runner.invoke(app, ["export", str(path), "--to", fmt])
    assert result.exit_code == 0, result.output
    assert not any(char in result.stdout for char in "\x1b\x07\u202e")
    assert "\\x1b" in result.stdout and "\\u202e" in result.stdout  # written as visible escapes
    if fmt == "graphml":
        import xml.dom.minidom

        xml.dom.minidom.parseString(result.stdout)  # well-formed


def test_export_of_a_broken_map_still_exports_and_exits_one(tmp_path: Path) -> None:
    path = tmp_path / "broken.argdown"
    path.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert "A" in json.loads(out.read_text())["arguments"]


def _loaded_by_check(path: Path, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after checking `path`."""
    code = (
        "import sys\n"
        "from argmap.checking import check_paths\n"
        f"check_paths([{str(path)!r}])\n"
        f"print(','.join(m for m in {modules!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in result.stdout.strip().split(",") if m]


def test_check_does_not_import_heavy_modules() -> None:
    assert _loaded_by_check(EXAMPLE, ("numpy", "scipy", "torch", "transformers", "peft", "ray")) == []


def test_check_of_a_map_without_logical_relations_loads_no_engine(tmp_path: Path) -> None:
    # loose mode, only support/attack: the coherence rules have nothing to compare, so
    # neither numpy/scipy nor the score graph builder is loaded
    path = tmp_path / "loose.argdown"
    path.write_text(
        "[T]: thesis.\n  + [P]: p. {credence: 0.7}\n  - [Q]: q. {credence: 0.4}\n", encoding="utf-8"
    )
    loaded = _loaded_by_check(path, ("numpy", "scipy", "argmap.engine.mapping", "argmap.engine.pointvalue"))
    assert loaded == []


def test_graphml_ids_stay_unique_when_two_titles_print_alike(tmp_path: Path) -> None:
    path = tmp_path / "alike.argdown"
    path.write_text("[A\x1b]: one.\n  + [A\\\\x1b]: two.\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(path), "--to", "graphml"])
    assert result.exit_code == 0, result.output
    import xml.dom.minidom

    nodes = xml.dom.minidom.parseString(result.stdout).getElementsByTagName("node")
    ids = [n.getAttribute("id") for n in nodes]
    assert len(ids) == len(set(ids)) == 2

"""The command-line contract of docs/cli.md, held by every command (issue 16, groups 6
and 8): exit 0 clean, 1 findings, 2 usage or I/O; `-h`; plain output to pipes;
non-Argdown files and FIFOs reported; options that cannot be combined refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from tests.conftest import EXAMPLE

runner = CliRunner()
MAP_COMMANDS = [["check"], ["score", "--samples", "0"], ["render"], ["report"], ["export"], ["evidence"]]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed command as a user runs it, stdout a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parents[2],
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", MAP_COMMANDS, ids=lambda c: c[0])
def test_a_fifo_as_the_map_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "map.argdown"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    extra = ["-o", str(out)] if command[0] in ("render", "report") else []
    result = run(*command, str(fifo), *extra, timeout=60)  # blocked forever before
    assert result.returncode == 2, result.stderr
    shown = result.stdout + result.stderr  # check's report is its result: stdout (docs/cli.md)
    assert "FIFO" in shown and "Traceback" not in shown


NOT_ARGDOWN = {
    "notes.txt": "Shopping list\n- milk\n- eggs\n\nCall Bob: about the [meeting].\n",
    "README.md": "# Title\n\nSome prose.\n\n```argdown\n[T]: a thesis.\n  + <A>: a reason.\n```\n",
    "data.csv": "seed,method,acc\n0,a,0.5\n",
    "Makefile": "all:\n\tpython -m build\n",
}


@pytest.mark.parametrize("name", list(NOT_ARGDOWN))
@pytest.mark.parametrize("command", MAP_COMMANDS, ids=lambda c: c[0])
def test_a_file_that_is_not_argdown_is_reported(tmp_path: Path, name: str, command: list[str]) -> None:
    path = tmp_path / name
    path.write_text(NOT_ARGDOWN[name], encoding="utf-8")
    extra = ["-o", str(tmp_path / "out")] if command[0] in ("render", "report") else []
    result = runner.invoke(app, [*command, str(path), *extra])
    assert result.exit_code == 2, result.output
    assert "F010" in result.output


def test_an_argdown_map_under_another_name_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "map.txt"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-evidence", str(path)])
    assert result.exit_code == 0, result.output


def test_score_of_a_map_with_a_syntax_error_exits_one_and_still_scores(tmp_path: Path) -> None:
    path = tmp_path / "m.argdown"
    path.write_text(
        "[T]: thesis.\n  + <A>\n\n<A>\n\n(1) [P]: premise. {credence: 0.7} stray\n"
        "----\n(2) [C]: c.\n  +> [T]\n",
        encoding="utf-8",
    )
    result = run("score", str(path), "--samples", "0")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[T]" in result.stdout  # the score is still printed
    assert "error[P" in result.stderr and "-->" in result.stderr


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["check", "-h"], ["results", "-h"], ["evidence", "-h"]])
def test_short_and_long_help(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["score", str(EXAMPLE), "--all-semantics", "--cruxes", "5", "--explain"],
        ["score", str(EXAMPLE), "--all-semantics", "--set", "[Forecast]=0.5"],
        ["score", str(EXAMPLE), "--all-semantics", "--semantics", "dfquad"],
        ["check", str(EXAMPLE), "--fix", "--diff"],
        ["evidence", str(EXAMPLE), "--fix", "--diff"],
        ["attach", str(EXAMPLE), "r.json", "--dry-run", "--into-map"],
    ],
)
def test_options_that_cannot_be_combined_are_refused(args: list[str]) -> None:
    before = EXAMPLE.read_bytes()
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "cannot be combined" in result.output
    assert EXAMPLE.read_bytes() == before


def test_evidence_to_a_pipe_is_plain_and_untruncated() -> None:
    result = run("evidence", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["line", "claim", "file", "cited", "status", "actual", "score"]
    assert all(ch not in result.stdout for ch in "┃━│─┏")
    assert "\x1b[" not in result.stdout
    # the longest claim title is printed whole, not cut to a terminal's 80 columns
    assert any(len(line) > 80 for line in lines) or all("…" not in line for line in lines)
    assert "…" not in result.stdout


@pytest.mark.parametrize(
    "command", [["score", "--samples", "0"], ["export"], ["evidence"], ["render"], ["report"]]
)
def test_results_go_to_stdout_and_diagnostics_to_stderr(tmp_path: Path, command: list[str]) -> None:
    missing = str(tmp_path / "missing.argdown")
    result = run(*command, missing)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "error[F001]" in result.stderr and "-->" in result.stderr


def test_check_reports_its_findings_on_stderr_in_the_same_style() -> None:
    """Human findings are diagnostics (stderr, like every command's); json is a result (stdout)."""
    missing = "missing.argdown"
    result = run("check", missing)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error[F001]") and "-->" in result.stderr
    as_json = run("check", missing, "--format", "json")
    assert as_json.returncode == 2 and as_json.stdout.lstrip().startswith("{")


SYNTAX_ERRORS = {  # (map text, the code the parser reports); varied on purpose
    "no-empty-line": ("[A]: a.\n  + [B\n[B]: b.\n  + [A]\n", "P127"),
    "short-inference": (
        "[T]: thesis.\n  + <A>\n\n<A>\n\n(1) [P]: premise.\n---\n(2) [C]: conclusion.\n  +> [T]\n",
        "P1",
    ),
    "yaml-bomb": (
        "[T]: thesis.\n  + <A>\n\n<A>\n\n(1) [P]: premise. {a: &a [x, x, x, x, x, x, x, x, x, x], "
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], "
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c], e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d], "
        "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}\n----\n(2) [C]: conclusion.\n  +> [T]\n",
        "P105",
    ),
}


def _syntax_map(tmp_path: Path, name: str) -> tuple[Path, str]:
    text, code = SYNTAX_ERRORS[name]
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    path = tmp_path / f"{name}.argdown"
    path.write_text(text, encoding="utf-8")
    return path, code


@pytest.mark.parametrize("name", list(SYNTAX_ERRORS))
def test_evidence_of_a_map_with_syntax_errors_prints_them_and_exits_one(tmp_path: Path, name: str) -> None:
    path, code = _syntax_map(tmp_path, name)
    result = run("evidence", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"error[{code}" in result.stderr and f"--> {path}:" in result.stderr
    assert result.stdout.startswith("line\tclaim")  # the table of what parsed is still the result


@pytest.mark.parametrize("name", list(SYNTAX_ERRORS))
@pytest.mark.parametrize("side", ["old", "new"])
def test_diff_of_a_map_with_syntax_errors_prints_them_and_exits_one(
    tmp_path: Path, name: str, side: str
) -> None:
    path, code = _syntax_map(tmp_path, name)
    pair = [str(path), str(EXAMPLE)] if side == "old" else [str(EXAMPLE), str(path)]
    result = runner.invoke(app, ["diff", *pair, "--samples", "0"])
    assert result.exit_code == 1, result.output
    assert f"error[{code}" in result.stderr and f"--> {path}:" in result.stderr


def test_a_refused_combination_names_its_command() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE), "--fix", "--no-evidence"])
    assert result.exit_code == 2
    assert result.stderr.startswith("argmap check: "), result.stderr


def test_every_command_line_message_names_its_command() -> None:
    """docs/cli.md: problems with the command line are `argmap COMMAND: message`; a bare
    `argmap:` prefix leaves the reader guessing which command spoke."""
    cli = Path(__file__).resolve().parents[2] / "argmap" / "cli"
    bare = [
        f"{path.name}:{number}"
        for path in sorted(cli.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if '"argmap: ' in line
    ]
    assert bare == []


NEEDS_AN_ARGUMENT = [
    [],
    ["check"],
    ["export"],
    ["score"],
    ["render"],
    ["report"],
    ["serve"],
    ["attach"],
    ["diff"],
    ["evidence"],
    ["evidence", "report"],
    ["evidence", "fetch"],
    ["experiment"],
    ["experiment", "run"],
    ["experiment", "plan"],
    ["results"],
    ["results", "list"],
    ["results", "detach"],
]


@pytest.mark.parametrize("args", NEEDS_AN_ARGUMENT, ids=lambda a: " ".join(a) or "argmap")
def test_a_command_given_no_arguments_prints_its_help(args: list[str]) -> None:
    """docs/cli.md, "Help": the help (its description and options), on stderr, exit 2."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Usage: argmap {' '.join(args)}".rstrip()), result.stderr
    assert "Options" in result.stderr and "Missing argument" not in result.stderr
    assert result.stdout == ""


def test_every_command_that_needs_an_argument_is_listed_above() -> None:
    """A new command that needs an argument joins the test above (and docs/cli.md)."""
    import typer

    from argmap.cli.common import _needs_argument

    def walk(application: typer.Typer, prefix: list[str]) -> list[list[str]]:
        found = []
        for info in application.registered_commands:
            assert info.callback is not None
            if _needs_argument(info.callback):
                found.append([*prefix, info.name or info.callback.__name__])
        for group in application.registered_groups:
            assert group.typer_instance is not None and group.name is not None
            found += [[*prefix, group.name], *walk(group.typer_instance, [*prefix, group.name])]
        return found

    assert sorted(walk(app, [])) == sorted(a for a in NEEDS_AN_ARGUMENT if a)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "results attach" not in docs  # there is no such command (attach is top-level)


@pytest.mark.parametrize("command", [["check"], ["score", "--samples", "0"], ["export"], ["evidence"]])
def test_invalid_utf8_is_a_finding_and_the_rest_is_read(tmp_path: Path, command: list[str]) -> None:
    """docs/rules.md F003: located, the whole file read with U+FFFD, a warning as the
    reference accepts the file (score used to stop with exit 2); the map's own
    findings decide the exit status."""
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    shutil.copytree(EXAMPLE.parent / "docs", tmp_path / "docs")  # its quotes' sources
    path = tmp_path / "latin1.argdown"
    text = EXAMPLE.read_bytes().replace(b"Picnic Stays Dry]:", b"Picnic Stays Dry]: caf\xe9,", 1)
    path.write_bytes(text)
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == 0, result.output
    assert "warning[F003]" in result.stderr and "U+FFFD" in result.stderr
    if command[0] in ("score", "export"):
        assert "Picnic Stays Dry" in result.stdout  # still scored / exported


def test_invalid_utf8_fails_check_where_the_configuration_says_so(tmp_path: Path) -> None:
    (tmp_path / "argmap.toml").write_text('[levels]\nF003 = "error"\n', encoding="utf-8")
    path = tmp_path / "latin1.argdown"
    path.write_bytes(EXAMPLE.read_bytes().replace(b"Picnic Stays Dry]:", b"Picnic Stays Dry]: caf\xe9,", 1))
    result = runner.invoke(app, ["check", "--no-evidence", str(path)])
    assert result.exit_code == 1, result.output
    assert "error[F003]" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a device every write to fails)")
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--to", "json", str(EXAMPLE)],  # the fast path, bytes written straight
        ["export", "--to", "dot", str(EXAMPLE)],
        ["check", "--format", "json", str(EXAMPLE)],  # small: fails only when flushed at exit
        ["score", "--samples", "0", str(EXAMPLE)],
        ["rule", "V201"],
        ["--help"],
    ],
    ids=lambda args: "-".join(args[:3]),
)
def test_a_standard_output_that_cannot_be_written_is_a_diagnostic(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "argmap", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parents[2],
        )
    assert result.returncode == 2
    assert "error[F011]: cannot write to standard output: No space left on device" in result.stderr
    assert "--> <stdout>" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_leaves_early_ends_the_command_quietly() -> None:
    command = [sys.executable, "-m", "argmap", "export", "--to", "json", str(EXAMPLE)]
    producer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert producer.stdout is not None and producer.stderr is not None
    producer.stdout.read(10)
    producer.stdout.close()  # the reader leaves with most of the export unread
    errors = producer.stderr.read().decode()
    assert producer.wait(timeout=120) in (0, 1)  # 0 when the export fitted the pipe already
    assert "Traceback" not in errors and "F011" not in errors

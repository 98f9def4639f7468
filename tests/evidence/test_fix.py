from __future__ import annotations

from pathlib import Path

from argmap.evidence.check import check_map_file
from argmap.evidence.fix import fix_map
from argmap.evidence.sources import SourceCache

DOC = "Title: t\n\nline three\nThe quote lives on line four.\nline five\n"


def test_fix_rewrites_only_the_range_and_rechecks_clean(make_map) -> None:  # type: ignore[no-untyped-def]
    path: Path = make_map(
        [
            ("docs/d.md#L1-L2", "The quote lives on line four."),
            ("docs/d.md#L4-L4", "The quote lives on line four."),
        ],
        {"d.md": DOC},
    )
    # CRLF endings and odd bytes elsewhere must survive untouched.
    original = path.read_bytes().replace(b"\n", b"\r\n") + b"// caf\xc3\xa9 \xe2\x80\x94 end"
    path.write_bytes(original)
    _, report = check_map_file(path, cache=SourceCache())
    assert [r.status for r in report.results] == ["moved", "exact"]
    count, diff = fix_map(path, report.results, write=False)
    assert count == 1
    assert "-    [evidence](docs/d.md#L1-L2)" in diff and "+    [evidence](docs/d.md#L4-L4)" in diff
    assert path.read_bytes() == original  # --diff writes nothing
    fix_map(path, report.results)
    fixed = path.read_bytes()
    assert fixed == original.replace(b"(docs/d.md#L1-L2)", b"(docs/d.md#L4-L4)")
    _, report = check_map_file(path, cache=SourceCache())
    assert [r.status for r in report.results] == ["exact", "exact"]
    assert fix_map(path, report.results) == (0, "")


def test_fix_bad_range_when_text_found(make_map) -> None:  # type: ignore[no-untyped-def]
    path: Path = make_map([("docs/d.md#L9-L99", "The quote lives on line four.")], {"d.md": DOC})
    _, report = check_map_file(path, cache=SourceCache())
    assert report.results[0].status == "bad-range"
    fix_map(path, report.results)
    _, report = check_map_file(path, cache=SourceCache())
    assert report.results[0].status == "exact"


def test_check_diff_then_fix(make_map) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from argmap.checking import check_paths
    from argmap.cli.app import app

    runner = CliRunner()
    path: Path = make_map([("docs/d.md#L1-L2", "The quote lives on line four.")], {"d.md": DOC})
    before = path.read_bytes()
    assert [d.code for d in check_paths([str(path)]).diagnostics] == ["E405"]
    result = runner.invoke(app, ["check", str(path), "--diff"])
    assert result.exit_code == 0
    assert "-    [evidence](docs/d.md#L1-L2)" in result.stdout
    assert "+    [evidence](docs/d.md#L4-L4)" in result.stdout
    assert path.read_bytes() == before
    result = runner.invoke(app, ["check", str(path.parent), "--fix"])
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.stderr
    assert path.read_bytes() == before.replace(b"docs/d.md#L1-L2", b"docs/d.md#L4-L4")
    assert check_paths([str(path)]).diagnostics == []
    result = runner.invoke(app, ["check", str(path), "--diff"])
    assert result.exit_code == 0 and result.stdout == ""


def test_check_fix_needs_evidence_and_respects_ignore(make_map, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from argmap.cli.app import app

    runner = CliRunner()
    path: Path = make_map([("docs/d.md#L1-L2", "The quote lives on line four.")], {"d.md": DOC})
    before = path.read_bytes()
    result = runner.invoke(app, ["check", str(path), "--fix", "--no-evidence"])
    assert result.exit_code == 2 and path.read_bytes() == before
    (tmp_path / "argmap.toml").write_text('ignore = ["E405"]\n')
    result = runner.invoke(app, ["check", str(path), "--fix"])
    assert result.exit_code == 0 and path.read_bytes() == before


def test_quotes_sharing_a_link_get_one_covering_range(tmp_path: Path) -> None:
    (tmp_path / "argmap.toml").write_text("")
    (tmp_path / "d.md").write_text("a\nFirst quoted sentence here.\nb\nc\nSecond quoted sentence here.\n")
    path = tmp_path / "m.argdown"
    path.write_text(
        "[T]: t.\n\n<A>\n\n(1) [O]: o. #observation\n"
        "    [evidence](d.md#L2-L2)\n"
        "    > First quoted sentence here.\n"
        "    > Second quoted sentence here.\n"
        "----\n(2) [C]: c.\n  +> [T]\n"
    )
    _, report = check_map_file(path, cache=SourceCache())
    assert [r.statuses for r in report.results] == [["exact"], ["moved"]]
    assert fix_map(path, report.results)[0] == 1
    assert "(d.md#L2-L5)" in path.read_text()
    _, report = check_map_file(path, cache=SourceCache())
    assert [r.statuses for r in report.results] == [["exact"], ["exact"]]


def test_check_fix_on_a_symlinked_map_fixes_the_real_map_and_keeps_the_link(make_map, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    from typer.testing import CliRunner

    from argmap.cli.app import app

    path: Path = make_map([("docs/d.md#L1-L2", "The quote lives on line four.")], {"d.md": DOC})
    before = path.read_bytes()
    link = tmp_path / "linked.argdown"
    link.symlink_to(path.name)
    os.chmod(path, 0o600)
    result = CliRunner().invoke(app, ["check", str(link), "--fix"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == path.name
    assert path.read_bytes() == before.replace(b"docs/d.md#L1-L2", b"docs/d.md#L4-L4")
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_fix_that_cannot_write_is_a_located_diagnostic(make_map, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, F7: `check --fix` and `evidence --fix` on a map whose folder refuses the
    write (read-only, full disk): F011 at the map's path, exit 2, the map unchanged."""
    import errno
    import os

    from typer.testing import CliRunner

    from argmap.cli.app import app

    path: Path = make_map([("docs/d.md#L1-L2", "The quote lives on line four.")], {"d.md": DOC})
    before = path.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(src))  # names the temporary file

    monkeypatch.setattr(os, "replace", refuse)
    for command in (["check", str(path), "--fix"], ["evidence", str(path), "--fix"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "error[F011]" in result.stderr and "Read-only file system" in result.stderr
        assert f"--> {path}" in result.stderr and ".tmp" not in result.stderr
        assert path.read_bytes() == before
        assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []

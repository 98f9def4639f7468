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

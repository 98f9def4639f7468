"""One test per status, on small files written to tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

from argmap.evidence.check import check_map_file, diagnostics
from argmap.evidence.sources import SourceCache

PAPER = "\n".join(
    [
        "Title: A paper",  # 1
        "URL Source: https://example.org/paper",  # 2
        "",  # 3
        "Markdown Content:",  # 4
        "# A paper",  # 5
        "",  # 6
        "We propose a princi-pal method that adapts large models cheaply.",  # 7
        "It uses few parameters [ 4 ] and converges fast.",  # 8
        "",  # 9
        "Results show the method beats the baseline by 3 points.",  # 10
        "The weights live in W ∈ Rm×n and are frozen.",  # 11
        "Later work confirmed the finding on ten models.",  # 12
    ]
)


def statuses(map_path: Path) -> list[tuple[str, list[str]]]:
    _, report = check_map_file(map_path, cache=SourceCache())
    return [(r.status, r.statuses) for r in report.results]


def test_exact_with_normalisation_noise(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map(
        [("docs/p.md#L7-L8", "We propose a **principal** method (...) and converges fast.")], {"p.md": PAPER}
    )
    assert statuses(path) == [("exact", ["exact"])]


def test_moved_reports_smallest_true_range(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map(
        [("docs/p.md#L1-L5", "Results show the method beats the baseline by 3 points.")], {"p.md": PAPER}
    )
    _, report = check_map_file(path, cache=SourceCache())
    result = report.results[0]
    assert result.status == "moved" and result.actual == (10, 10)


def test_drift_shows_changed_words_and_score(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map(
        [("docs/p.md#L10-L10", "Results show the method beats the baseline by 5 points.")], {"p.md": PAPER}
    )
    _, report = check_map_file(path, cache=SourceCache())
    result = report.results[0]
    assert result.statuses == ["drift"]
    assert result.changed == ["3 -> 5"]
    assert 90 < result.score < 100
    assert not result.minor
    assert [d.code for d in diagnostics(report)] == ["E406"]


def test_dropped_math_is_minor_drift(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/p.md#L11-L11", "The weights live in W and are frozen.")], {"p.md": PAPER})
    _, report = check_map_file(path, cache=SourceCache())
    result = report.results[0]
    assert result.status == "drift" and result.minor
    assert result.dropped == ["Rm×n"]
    assert [d.code for d in diagnostics(report)] == ["E407"]


def test_moved_and_drift_together(make_map) -> None:  # type: ignore[no-untyped-def]
    quote = "Later work confirmed the finding on nine models."
    path = make_map([("docs/p.md#L1-L3", quote)], {"p.md": PAPER})
    _, report = check_map_file(path, cache=SourceCache())
    assert report.results[0].statuses == ["moved", "drift"]
    assert report.results[0].status == "drift"
    assert {d.code for d in diagnostics(report)} == {"E405", "E406"}


def test_silently_dropped_sentence_is_drift(make_map) -> None:  # type: ignore[no-untyped-def]
    quote = (
        "Results show the method beats the baseline by 3 points. "
        "Later work confirmed the finding on ten models."
    )
    path = make_map([("docs/p.md#L10-L12", quote)], {"p.md": PAPER})
    _, report = check_map_file(path, cache=SourceCache())
    result = report.results[0]
    assert result.status == "drift"
    assert result.dropped == ["The", "weights", "live", "in", "W", "Rm×n", "and", "are", "frozen."]


def test_not_found_gives_closest_passage(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map(
        [("docs/p.md#L7-L8", "Nothing in this paper resembles a sentence about bananas at all.")],
        {"p.md": PAPER},
    )
    _, report = check_map_file(path, cache=SourceCache())
    result = report.results[0]
    assert result.status == "not-found"
    assert result.actual is None and result.closest is not None
    assert result.score < 80
    assert diagnostics(report)[0].code == "E404"


def test_missing_file(make_map) -> None:  # type: ignore[no-untyped-def]
    assert statuses(make_map([("docs/none.md#L1-L2", "Anything.")])) == [("missing-file", ["missing-file"])]


def test_bad_ranges(make_map) -> None:  # type: ignore[no-untyped-def]
    quote = "Results show the method beats the baseline by 3 points."
    for link in ("docs/p.md#L11-L10", "docs/p.md#L10-L99", "docs/p.md", "docs/p.md#intro"):
        path = make_map([(link, quote)], {"p.md": PAPER})
        _, report = check_map_file(path, cache=SourceCache())
        assert report.results[0].status == "bad-range", link
        assert report.results[0].actual == (10, 10)


def test_unreadable_binary_and_huge_and_invalid_utf8(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map([("docs/b.pdf#L1-L1", "x y z")], {"b.pdf": b"%PDF-1.7\x00\x01\x02binary"})
    assert statuses(path)[0][0] == "unreadable-file"
    path = make_map([("docs/big.md#L1-L1", "x y z")], {"big.md": "a" * 2000})
    _, report = check_map_file(path, cache=SourceCache(max_bytes=1000))
    assert report.results[0].status == "unreadable-file"
    assert "limit" in report.results[0].message
    bad = PAPER.encode() + b"\nbroken \xff\xfe bytes\n"
    path = make_map(
        [("docs/u.md#L10-L10", "Results show the method beats the baseline by 3 points.")], {"u.md": bad}
    )
    _, report = check_map_file(path, cache=SourceCache())
    assert report.results[0].status == "exact"
    assert [d.code for d in diagnostics(report)] == ["E409"]


def test_hostile_paths_are_refused_and_never_read(make_map, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text(PAPER)
    os.symlink(outside, tmp_path / "link.md")
    quotes = [
        ("../../etc/passwd#L1-L1", "root"),
        ("/etc/passwd#L1-L1", "root"),
        ("link.md#L10-L10", "Results"),
        ("https://example.org/x#L1-L1", "x"),
        ("docs#L1-L1", "x"),
    ]
    (tmp_path / "docs").mkdir(exist_ok=True)
    path = make_map(quotes)
    cache = SourceCache()
    _, report = check_map_file(path, cache=cache)
    assert [r.status for r in report.results] == ["unreadable-file"] * 5
    assert cache.reads == 0
    messages = [r.message for r in report.results]
    assert "leaves the project root" in messages[0]
    assert "absolute" in messages[1]
    assert "symlink" in messages[2]
    assert "URL" in messages[3]
    assert "regular file" in messages[4]


def test_each_file_read_once(make_map) -> None:  # type: ignore[no-untyped-def]
    quote = "Results show the method beats the baseline by 3 points."
    path = make_map([("docs/p.md#L10-L10", quote)] * 5, {"p.md": PAPER})
    cache = SourceCache()
    check_map_file(path, cache=cache)
    assert cache.reads == 1


def test_source_url_mismatch(make_map) -> None:  # type: ignore[no-untyped-def]
    quote = "Results show the method beats the baseline by 3 points."
    path = make_map([("docs/p.md#L10-L10", quote)], {"p.md": PAPER}, source_url="https://example.org/other")
    _, report = check_map_file(path, cache=SourceCache())
    assert [d.code for d in report.extra if d.code == "E408"] == ["E408"]
    path = make_map(
        [("docs/p.md#L10-L10", quote)], {"p.md": PAPER}, source_url="http://www.example.org/paper/"
    )
    _, report = check_map_file(path, cache=SourceCache())
    assert not [d for d in report.extra if d.code == "E408"]


def test_double_counting_same_passage(make_map) -> None:  # type: ignore[no-untyped-def]
    quote = "Results show the method beats the baseline by 3 points."
    path = make_map(
        [
            ("docs/p.md#L10-L10", quote),
            ("docs/p.md#L10-L11", quote),
            ("docs/p.md#L12-L12", "Later work confirmed the finding on ten models."),
        ],
        {"p.md": PAPER},
    )
    _, report = check_map_file(path, cache=SourceCache())
    # one finding per later link: <Arg 2> shares the passage of <Arg 1>; <Arg 3> only the file
    found = [(d.code, d.line, d.message.split(", which")[0]) for d in report.extra]
    assert found == [
        ("E410", 18, "the same passage of docs/p.md backs premises of <Arg 1> and <Arg 2>"),
        ("E411", 29, "the same file docs/p.md backs premises of <Arg 1> and <Arg 3>"),
    ]
    assert all("reach [Thesis]" in d.message for d in report.extra)


def test_double_counting_is_linear_not_pairwise(make_map) -> None:  # type: ignore[no-untyped-def]
    quote = "Results show the method beats the baseline by 3 points."
    path = make_map([("docs/p.md#L10-L10", quote)] * 40, {"p.md": PAPER})
    _, report = check_map_file(path, cache=SourceCache())
    assert [d.code for d in report.extra] == ["E410"] * 39  # not 40 * 39 / 2 pairs


CITED = "\n".join(
    [
        "Title: Cited",  # 1
        "",  # 2
        "Drawing on Weight Normalization (Salimans & Kingma, 2016), which converges faster,",  # 3
        "we build on LoRA [ 22 ] and ControlNet [ 68 ] to adapt models [ 5 ].",  # 4
    ]
)


def test_dropped_citation_markers_are_minor_drift(make_map) -> None:  # type: ignore[no-untyped-def]
    quotes = [
        # drops the author-year citation inside the passage
        ("docs/c.md#L3-L3", "Drawing on Weight Normalization, which converges faster,"),
        # drops two numeric citations inside the passage; the one after "models" is outside it
        ("docs/c.md#L4-L4", "we build on LoRA and ControlNet to adapt models"),
        # keeps them (spacing may differ): exact
        ("docs/c.md#L4-L4", "we build on LoRA [22] and ControlNet [ 68 ] to adapt models"),
    ]
    path = make_map(quotes, {"c.md": CITED})
    _, report = check_map_file(path, cache=SourceCache())
    first, second, third = report.results
    assert (first.statuses, first.dropped, first.minor) == (["drift"], ["(Salimans & Kingma, 2016)"], True)
    assert (second.statuses, second.dropped, second.minor) == (["drift"], ["[ 22 ]", "[ 68 ]"], True)
    assert first.score == 100.0 and first.changed == []
    assert third.statuses == ["exact"] and third.dropped == []
    assert [d.code for d in diagnostics(report) if d.code < "E410"] == ["E407", "E407"]


def test_dropped_citation_with_changed_words_is_not_minor(make_map) -> None:  # type: ignore[no-untyped-def]
    path = make_map(
        [("docs/c.md#L4-L4", "we build on LoRA and ControlNet to adapt networks")], {"c.md": CITED}
    )
    _, report = check_map_file(path, cache=SourceCache())
    result = report.results[0]
    assert result.status == "drift" and not result.minor
    assert result.changed == ["models -> networks"]
    assert [d.code for d in diagnostics(report)] == ["E406"]

"""The lazily built file skeleton (argmap/evidence/file_skeleton.py): what it builds,
and that every answer equals the whole file's skeleton."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.evidence import file_skeleton
from argmap.evidence.check import EvidenceReport, check_map_file
from argmap.evidence.file_skeleton import NormalizedText, normalize_text
from argmap.evidence.sources import SourceCache


def filler(count: int, word: str = "filler") -> list[str]:
    return [f"{word} line {n}." for n in range(1, count + 1)]


def check(
    make_map: Callable[..., Path], quotes: list[tuple[str, str]], docs: dict[str, str]
) -> EvidenceReport:
    path = make_map(quotes, docs)
    _, report = check_map_file(path, cache=SourceCache())
    return report


def test_a_quote_at_its_cited_lines_builds_only_the_first_chunk(make_map) -> None:  # type: ignore[no-untyped-def]
    lines = filler(400)
    lines[2] = "We propose the ﬁrst ﬂow of Ad-"  # ligatures (NFKC) and a hyphen at the break
    lines[3] = "apters, which train fast."
    report = check(
        make_map,
        [("docs/p.md#L3-L4", "We propose the first flow of Adapters, which train")],
        {"p.md": "\n".join(lines)},
    )
    result = report.results[0]
    assert (result.status, result.actual) == ("exact", (3, 4))
    skeleton = report.sources["docs/p.md"].normalized
    assert skeleton is not None and skeleton.chunks == 1 and not skeleton.complete


def test_a_page_number_inside_the_cited_lines_is_skipped_lazily(make_map) -> None:  # type: ignore[no-untyped-def]
    lines = filler(300)
    lines[9:12] = ["the end of one page", "  12  ", "and the start of the next"]
    report = check(
        make_map,
        [("docs/p.md#L10-L12", "the end of one page and the start of the next")],
        {"p.md": "\n".join(lines)},
    )
    assert (report.results[0].status, report.results[0].actual) == ("exact", (10, 12))
    assert not report.sources["docs/p.md"].normalized.complete  # type: ignore[union-attr]


def test_a_quote_found_only_outside_its_cited_lines_builds_up_to_it(make_map) -> None:  # type: ignore[no-untyped-def]
    lines = filler(1000)
    lines[149] = "The ﬁne-tuned model is 15× faster."  # line 150, matches only after normalisation
    report = check(
        make_map, [("docs/p.md#L1-L2", "The fine-tuned model is 15x faster.")], {"p.md": "\n".join(lines)}
    )
    result = report.results[0]
    assert (result.status, result.actual) == ("moved", (150, 150))
    skeleton = report.sources["docs/p.md"].normalized
    assert skeleton is not None and not skeleton.complete  # 64, then 128, then 256 lines
    assert skeleton.chunks == 3


def test_a_quote_not_in_the_file_needs_the_whole_file(make_map) -> None:  # type: ignore[no-untyped-def]
    report = check(
        make_map,
        [("docs/p.md#L1-L2", "Bananas are not mentioned anywhere in this file.")],
        {"p.md": "\n".join(filler(500))},
    )
    assert report.results[0].status == "not-found"
    assert report.sources["docs/p.md"].normalized.complete  # type: ignore[union-attr]


def test_a_citation_marker_across_the_first_chunks_end_is_removed(make_map) -> None:  # type: ignore[no-untyped-def]
    lines = filler(200)
    lines[63] = "as shown by [12,"  # line 64, the first chunk's last line
    lines[64] = "13] the method works."
    report = check(
        make_map, [("docs/p.md#L64-L65", "as shown by the method works.")], {"p.md": "\n".join(lines)}
    )
    assert report.results[0].status == "exact"
    skeleton = report.sources["docs/p.md"].normalized
    assert skeleton is not None and not skeleton.complete
    assert skeleton.slice(skeleton.offset_of_line(64), skeleton.offset_of_line(65)) == "asshownby"
    assert skeleton.slice(skeleton.offset_of_line(65), skeleton.offset_of_line(66)) == "themethodworks"


def test_an_arxiv_stamp_across_a_chunk_end_is_removed() -> None:
    lines = filler(63, "x")
    lines += ["arXiv:2404.02948v4", "[cs.LG] 10 Apr", "2025", "Abstract here", *filler(200, "y")]
    skeleton = NormalizedText("\n".join(lines))
    assert skeleton.offset_of_line(65) - skeleton.offset_of_line(64) == 0  # the stamp's lines are empty
    assert skeleton.slice(skeleton.offset_of_line(66), skeleton.offset_of_line(68)) == "abstracthere"
    assert skeleton.line_of(skeleton.offset_of_line(67)) == 67
    assert not skeleton.complete


def test_a_lone_bracket_at_a_chunk_end_does_not_hide_text() -> None:
    lines = [*filler(63, "x"), "see [", "the next part", *filler(100, "y")]
    skeleton = NormalizedText("\n".join(lines))
    assert skeleton.slice(skeleton.offset_of_line(64), skeleton.offset_of_line(66)) == "seethenextpart"


def test_line_numbers_never_shift() -> None:
    # a marker over two lines, a stamp over three, CRLF, a page number, no final newline
    raw = "a [1,\n2] b\r\nc arXiv:2404.02948v4\n[cs.LG] 10\nApr 2025 d\n12\nﬁn"
    skeleton = NormalizedText(raw)
    assert skeleton.line_count == 7
    assert [
        skeleton.slice(skeleton.offset_of_line(n), skeleton.offset_of_line(n + 1)) for n in range(1, 8)
    ] == [
        "a",
        "b",
        "c",
        "",
        "d",
        "",
        "fin",
    ]
    assert skeleton.text == "abcdfin"


def test_an_empty_file_and_a_single_line() -> None:
    assert normalize_text("").text == "" and normalize_text("").line_count == 1
    single = NormalizedText("Only ONE line")
    assert single.find("oneline", 0) == 4 and single.line_of(4) == 1 and single.complete


ALPHABET = [
    "word",
    "Other",
    " ",
    " ",
    "\n",
    "\n",
    "\n\n",
    "-\n",
    "[",
    "]",
    "[3]",
    "[1,\n2]",
    "[\n7\n]",
    "12",
    "\n12\n",
    "\n> 4\n",
    "(Smith, 2016)",
    "(Doe et al., 1999\n)",
    "arXiv:",
    "arXiv:2404.02948v4",
    " [cs.LG] ",
    "10 Apr 2025",
    "\n[cs.CL]\n3 May\n2024",
    "ﬁ",
    "é",
    "e\u0301",
    "\u0301",
    "İ",
    "ß",
    "∆",
    "×",
    "\u00a0",
    "“",
    "\r\n",
    ",",
    "5",
]


@pytest.mark.parametrize("seed", range(40))
def test_lazy_answers_equal_the_whole_files(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random hostile files, tiny chunks so that chunk ends fall everywhere, random questions
    in a random order: each answer equals the one of the skeleton built in one piece."""
    rng = random.Random(seed)
    monkeypatch.setattr(file_skeleton, "FIRST_LINES", rng.choice([1, 2, 3, 5]))
    raw = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 400)))
    whole = normalize_text(raw)
    assert whole.chunks == 1
    lazy = NormalizedText(raw)
    size = len(whole.text)
    for _ in range(60):
        question = rng.randrange(6)
        offset = rng.randint(0, size + 2)
        if question == 0:
            line = rng.randint(0, whole.line_count + 2)
            assert lazy.offset_of_line(line) == whole.offset_of_line(line)
        elif question == 1:
            assert lazy.line_of(offset) == whole.line_of(offset)
        elif question == 2:
            start = rng.randint(0, size)
            key = whole.text[start : start + rng.randint(1, 6)] or "x"
            end = rng.choice([None, rng.randint(0, size + 2)])
            after = rng.randint(0, size)
            assert lazy.find(key, after, end) == whole.find(key, after, end)
        elif question == 3:
            assert lazy.slice(offset // 2, offset) == whole.slice(offset // 2, offset)
        elif question == 4:
            assert lazy.clamp(offset) == whole.clamp(offset)
        else:
            assert lazy.span_lines(offset // 2, offset) == whole.span_lines(offset // 2, offset)
    assert lazy.text == whole.text
    assert [lazy.offset_of_line(n) for n in range(whole.line_count + 2)] == [
        whole.offset_of_line(n) for n in range(whole.line_count + 2)
    ]


def test_the_real_corpus_lazily_equals_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "adapters" / "docs"
    files = sorted(docs.glob("*.md"))
    if not files:
        pytest.skip("the real corpus is not here")
    monkeypatch.setattr(file_skeleton, "FIRST_LINES", 7)
    for path in files:
        raw = path.read_text(encoding="utf-8")
        lazy = NormalizedText(raw)
        middle = lazy.offset_of_line(lazy.line_count // 2)
        whole = normalize_text(raw)
        assert middle == whole.offset_of_line(whole.line_count // 2)
        assert lazy.text == whole.text, path.name


def test_a_question_from_another_thread_waits_for_the_chunk_being_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The process-wide source cache shares one skeleton between threads (the editor
    server). While one thread builds a chunk, a second thread's question waits, then
    builds on from there: each line is built once, and both answers are the whole's."""
    import threading
    import time

    building = threading.Event()
    from argmap.evidence.normalize import strip_citations as original

    def slow_first_chunk(text: str) -> str:
        if not building.is_set():
            building.set()
            time.sleep(0.3)  # the other thread asks its question meanwhile
        return original(text)

    monkeypatch.setattr(file_skeleton, "strip_citations", slow_first_chunk)
    raw = "\n".join(
        f"line {n} [{n},\n{n + 1}] text" if n % 7 == 0 else f"line {n} words" for n in range(1000)
    )
    lazy = NormalizedText(raw)
    first: list[int] = []
    worker = threading.Thread(target=lambda: first.append(lazy.offset_of_line(500)))
    worker.start()
    building.wait()
    second = lazy.offset_of_line(900)
    worker.join()
    whole = normalize_text(raw)
    assert (first, second) == ([whole.offset_of_line(500)], whole.offset_of_line(900))
    assert lazy.text == whole.text and lazy.chunks == 3  # lines 1-500, 501-900, the rest


@pytest.mark.parametrize("seed", range(20))
def test_source_lines_read_lazily_equal_the_split_file(seed: int) -> None:
    """`SourceFile.lines` is split as far as it is read; every index and slice equals
    the file split whole, less the empty rest after a final line break."""
    from argmap.evidence.sources import SourceLines

    rng = random.Random(seed)
    text = "".join(rng.choice(["a", "bc", "\n", "\n\n", " "]) for _ in range(rng.randint(0, 300)))
    split = text.split("\n")
    if text.endswith("\n"):
        split.pop()
    lines = SourceLines(text)
    assert len(lines) == len(split)
    for _ in range(40):
        start, stop = rng.randint(-5, len(split) + 5), rng.randint(-5, len(split) + 5)
        assert lines[start:stop] == split[start:stop]
        step = rng.choice([1, 2, -1])
        assert lines[start:stop:step] == split[start:stop:step]
        index = rng.randint(-len(split) - 2, len(split) + 2)
        if -len(split) <= index < len(split):
            assert lines[index] == split[index]
        else:
            with pytest.raises(IndexError):
                lines[index]
    assert list(lines) == split and bool(lines) == bool(split)

"""The skeleton of an evidence file, built lazily from its first lines on.

A quote usually stands in the lines its link cites, near the top of a paper, so the
skeleton of the whole paper (about 100 KB) is rarely needed. `NormalizedText`
normalises (see `normalize`) the file's first lines only, and more (at least doubling
what it has) only when a question reaches past them: a line number or an offset
further down, a substring not found in what is built, a fuzzy search or a count over
the whole file. Every answer is the one the whole file's skeleton gives
(`normalize_text` builds it in one piece, the definition), because:

- the skeleton is built in chunks of whole lines, and the skeleton of a chunk is that
  part of the whole file's skeleton as long as no removed piece runs across the line
  break where the chunk ends. Author-year markers (one line by construction),
  page-number lines, NFKC, case folding and the deletion of non-alphanumerics never
  cross a line break; numeric markers (`[1,⏎2]`) and arXiv stamps can, so a chunk
  never ends at a break one of them might cross (`safe_end`);
- offsets are the whole skeleton's own, since what is built is its prefix: the first
  occurrence of a key found inside the prefix is the first in the whole file, and a
  line whose start is past the prefix cannot hold an offset inside it.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right

from argmap.evidence.normalize import drop_non_alnum_keep_newlines, fold, strip_citations, strip_page_debris

FIRST_LINES = 64  # the first chunk: the cited range of most quotes lies inside it
_MARKER_INSIDE = re.compile(r"[\s\d,;–-]")  # what a numeric marker holds between its brackets
# The beginnings of an `ARXIV_STAMP` that end in whitespace: where a line break inside one falls.
_OPEN_STAMP = re.compile(
    r"arXiv:\s*(?:\d{4}\.\d{4,5}(?:v\d+)?\s*(?:\[[\w.\-]+\]\s*(?:\d{1,2}\s+(?:[A-Z][a-z]{2}\s+)?)?)?)?"
)


def safe_end(raw: str, end: int, chunk_without_citations: str) -> bool:
    """Whether the line break just before raw offset `end` is one that no removed piece
    of the whole file runs across. A numeric marker across it would start at a `[`
    followed only by marker characters up to the break. An arXiv stamp across it would
    start at the chunk's last `arXiv:` (a stamp holds no other colon), and the text
    from there to the break would be a beginning of a stamp that ends inside one of its
    runs of whitespace (stamps are looked for once citation markers are removed, hence
    the chunk's text at that step). A break that could be inside either is not used."""
    before = end - 1
    while before >= 0 and _MARKER_INSIDE.match(raw, before):
        before -= 1
    if before >= 0 and raw[before] == "[":
        return False
    stamp = chunk_without_citations.rfind("arXiv:")
    return stamp < 0 or _OPEN_STAMP.fullmatch(chunk_without_citations, stamp) is None


class NormalizedText:
    """The skeleton of a file and the map from skeleton offsets back to its lines.
    Shared by every quote (and, in the editor server, every thread) that reads the
    file: each question holds the lock while it builds and reads."""

    def __init__(self, raw: str) -> None:
        self._raw = raw
        self.line_count = raw.count("\n") + 1
        self._built_to = 0  # raw offset where the next chunk starts (a line start)
        self._text = ""
        self._starts: list[int] = []  # skeleton offset where each built line starts
        self.chunks = 0  # how many chunks were built (for tests and benchmarks)
        self._lock = threading.RLock()

    @property
    def complete(self) -> bool:
        return len(self._starts) == self.line_count

    @property
    def text(self) -> str:
        """The skeleton of the whole file."""
        with self._lock:
            self._build_lines(self.line_count)
            return self._text

    def _build_lines(self, lines: int) -> None:
        while len(self._starts) < lines:
            self._grow(lines)

    def _reach(self, offset: int) -> None:
        """Build until the skeleton holds at least `offset` characters or is complete."""
        while len(self._text) < offset and not self.complete:
            self._grow(0)

    def _grow(self, lines: int) -> None:
        """Build one more chunk: up to line `lines`, at least twice what is built."""
        raw, done = self._raw, len(self._starts)
        target = max(lines, 2 * done, FIRST_LINES)
        end = len(raw) if target >= self.line_count else _line_start(raw, self._built_to, target - done)
        chunk = strip_citations(raw[self._built_to : end])
        extra = 1
        while end < len(raw) and not safe_end(raw, end, chunk):
            end = _line_start(raw, end, extra)
            extra *= 2
            chunk = strip_citations(raw[self._built_to : end])
        lines_built = drop_non_alnum_keep_newlines(fold(strip_page_debris(chunk))).split("\n")
        if end < len(raw):
            lines_built.pop()  # the empty rest after the chunk's last line break
        offset = len(self._text)
        for line in lines_built:
            self._starts.append(offset)
            offset += len(line)
        self._text += "".join(lines_built)
        self._built_to = end
        self.chunks += 1

    def find(self, key: str, start: int, end: int | None = None) -> int:
        """`str.find` on the whole skeleton."""
        start = max(0, start)
        with self._lock:
            if end is not None:
                self._reach(end)
                return self._text.find(key, start, end)
            while True:
                found = self._text.find(key, start)
                if found >= 0 or self.complete:
                    return found
                start = max(start, len(self._text) - len(key) + 1)
                self._grow(0)

    def slice(self, start: int, end: int) -> str:
        """The whole skeleton's `[start:end]`."""
        with self._lock:
            self._reach(end)
            return self._text[start:end]

    def clamp(self, offset: int) -> int:
        """`min(offset, len(whole skeleton))`, building no further than `offset`."""
        with self._lock:
            self._reach(offset)
            return min(offset, len(self._text))

    def line_of(self, offset: int) -> int:
        """1-based original line of the skeleton character at `offset`."""
        with self._lock:
            self._reach(offset + 1)
            return max(1, bisect_right(self._starts, offset))

    def offset_of_line(self, line: int) -> int:
        """Skeleton offset where original line `line` (1-based) starts."""
        if line <= 1:
            return 0
        if line > self.line_count:
            return len(self.text)
        with self._lock:
            self._build_lines(line)
            return self._starts[line - 1]

    def span_lines(self, start: int, end: int) -> tuple[int, int]:
        """Original lines covering skeleton characters [start, end)."""
        return self.line_of(start), self.line_of(max(start, end - 1))


def _line_start(raw: str, offset: int, lines: int) -> int:
    """Raw offset `lines` line breaks after `offset` (the end of the text when fewer)."""
    for _ in range(lines):
        offset = raw.find("\n", offset) + 1
        if offset == 0:
            return len(raw)
    return offset


def normalize_text(raw: str) -> NormalizedText:
    """The skeleton of a whole file, built in one piece."""
    normalized = NormalizedText(raw)
    normalized._build_lines(normalized.line_count)
    return normalized

"""Reading evidence files: once per run, with limits, and their header lines.

`SourceCache.load` reads a file at most once per (path, size, mtime): every quote
citing it shares the decoded text, its lines and its normalised skeleton (both built
lazily, as far as the quotes read them). Files that cannot be
used become a `SourceFile` with `problem` set, never an exception:

- larger than `max_bytes` (default 20 MB): not read at all;
- binary (a known binary signature, or more than 10% control bytes in the first
  8 KiB; the few NUL bytes PDF conversions leave behind are tolerated);
- invalid UTF-8: decoded with U+FFFD replacement, `invalid_utf8_line` records the
  first bad line so the checker can warn, and quotes are still checked.

Header lines at the top of the file (`Title:`, `URL Source:`, `Source:`, as written
by vargdown and web-to-markdown tools such as r.jina.ai) are parsed into `headers`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from argmap.evidence.file_skeleton import NormalizedText
from argmap.fileio import open_regular

MAX_BYTES_DEFAULT = 20 * 1024 * 1024
HEADER_NAMES = ("Title", "URL Source", "Source", "Published Time")
_HEADER = re.compile(rf"^({'|'.join(HEADER_NAMES)}):\s*(.*?)\s*$")
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\x7fELF", b"\xff\xd8\xff", b"\x1f\x8b")
_CONTROL = bytes(range(32)).replace(b"\t", b"").replace(b"\n", b"").replace(b"\r", b"").replace(b"\x0c", b"")


class SourceLines(Sequence[str]):
    """A file's lines, as `text.split("\\n")` less the empty rest after a final line
    break, split only as far down as they are read: a quote's lines are usually near
    the top of a long paper. (Each read takes the list whole, so threads sharing the
    file at most split it twice.)"""

    def __init__(self, text: str) -> None:
        self._text = text
        self._count = text.count("\n") + (0 if text.endswith("\n") else 1)
        self._head: list[str] = []

    def __len__(self) -> int:
        return self._count

    def _first(self, wanted: int) -> list[str]:
        head = self._head
        if len(head) < wanted:
            size = min(self._count, max(wanted, 2 * len(head), 64))
            head = self._head = self._text.split("\n", size)[:size]
        return head

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            return self._first(stop)[start:stop] if step == 1 else self._first(self._count)[index]
        number = index + self._count if index < 0 else index
        if not 0 <= number < self._count:
            raise IndexError("line index out of range")
        return self._first(number + 1)[number]

    def __iter__(self) -> Iterator[str]:
        return iter(self._first(self._count))


@dataclass
class SourceFile:
    path: Path
    text: str = ""
    lines: Sequence[str] = field(default_factory=list)
    normalized: NormalizedText | None = None
    headers: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    invalid_utf8_line: int | None = None

    @property
    def line_count(self) -> int:
        return len(self.lines)

    @property
    def source_url(self) -> str | None:
        return self.headers.get("URL Source") or self.headers.get("Source")


def looks_binary(head: bytes) -> bool:
    if head.startswith(_BINARY_MAGIC):
        return True
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.10


def parse_headers(lines: Sequence[str], limit: int = 30) -> dict[str, str]:
    """`Name: value` lines before the content starts (a `Markdown Content:` line, a
    heading, or the first line that is not a header or blank)."""
    headers: dict[str, str] = {}
    for line in lines[:limit]:
        if line.startswith("Markdown Content:") or line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            headers.setdefault(match.group(1), match.group(2))
        elif line.strip() and headers:
            break
    return headers


def read_source(path: Path, max_bytes: int = MAX_BYTES_DEFAULT) -> SourceFile:
    source = SourceFile(path=path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            source.problem = f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit"
            return source
        with open_regular(path) as handle:  # a FIFO or device would block or never end
            data = handle.read(max_bytes + 1)
    except OSError as error:
        source.problem = f"cannot read the file: {error.strerror or error}"
        return source
    if len(data) > max_bytes:
        source.problem = f"the file is over the {max_bytes:,}-byte limit"
        return source
    if looks_binary(data[:8192]):
        source.problem = "the file is binary, not text"
        return source
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        source.invalid_utf8_line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    source.text = text
    source.lines = SourceLines(text)
    source.headers = parse_headers(source.lines)
    source.normalized = NormalizedText(text)  # built lazily, as far as the quotes need
    return source


class SourceCache:
    """Each evidence file read once, however many quotes cite it; its skeleton is
    shared too, so what one quote had built the next one reuses."""

    def __init__(self, max_bytes: int = MAX_BYTES_DEFAULT) -> None:
        self.max_bytes = max_bytes
        self._files: dict[tuple[str, int, int], SourceFile] = {}
        self.reads = 0

    def load(self, path: Path) -> SourceFile:
        try:
            info = os.stat(path)
            key = (str(path), info.st_size, info.st_mtime_ns)
        except OSError:
            key = (str(path), -1, -1)
        cached = self._files.get(key)
        if cached is None:
            self.reads += 1
            cached = read_source(path, self.max_bytes)
            self._files[key] = cached
        return cached


_RUN_CACHES: dict[int, SourceCache] = {}


def run_cache(max_bytes: int = MAX_BYTES_DEFAULT) -> SourceCache:
    """The process-wide cache used by `argmap check` across all maps of one run
    (one per size limit, so a map configured with a smaller limit never sees a file
    another map's larger limit let in)."""
    cache = _RUN_CACHES.get(max_bytes)
    if cache is None:
        cache = _RUN_CACHES[max_bytes] = SourceCache(max_bytes)
    return cache

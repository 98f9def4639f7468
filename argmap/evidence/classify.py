"""Turning segment matches into a status, with the words that differ.

Statuses (one `status`, plus every status that applies in `statuses`):

- `exact`: every segment found, after normalisation, inside the cited lines;
- `moved`: found, but (partly) outside the cited lines; `actual` is the smallest
  line range holding every segment;
- `drift`: found with a similarity below 100 after normalisation; `dropped` lists
  source words the quote leaves out, `changed` lists `source -> quote` rewrites
  (words the quote adds appear as `-> word`). When the only differences are math
  symbols, short numbers (page numbers, footnote marks) or citation markers the
  drift is *minor*, reported at a lower level. Citation markers are removed from
  both sides by the normalisation, so they never lower the score; a marker that
  stands *inside* the matched passage but not in the quote is still listed in
  `dropped` (and `citations`), which makes an otherwise exact quote minor drift;
- `not-found`: some segment's best window scores below `Thresholds.found`;
  `closest` gives that window's lines, score and text;
- `missing-file`, `unreadable-file` (refused path, binary, too large, unreadable),
  `bad-range` (no `#La-Lb` fragment, reversed, or past the end of the file).

A quote can be `moved` and `drift` at once; `status` is then `drift` and
`statuses` is `["moved", "drift"]`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from argmap.evidence.file_skeleton import NormalizedText
from argmap.evidence.match import SegmentMatch
from argmap.evidence.normalize import CITATION_AUTHOR_YEAR, CITATION_NUMERIC, skeleton, word_skeletons

EXACT = "exact"
MOVED = "moved"
DRIFT = "drift"
NOT_FOUND = "not-found"
MISSING_FILE = "missing-file"
BAD_RANGE = "bad-range"
UNREADABLE_FILE = "unreadable-file"
_PRIORITY = (MISSING_FILE, UNREADABLE_FILE, NOT_FOUND, BAD_RANGE, DRIFT, MOVED, EXACT)
_CITATION_WORD = re.compile(r"^[\[(].*[\])]?$|^et$|^al\.?$|^\d{4}[a-z]?[),;]*$")


@dataclass(frozen=True)
class Thresholds:
    """`found`: the lowest segment similarity (0-100, rapidfuzz ratio on the
    skeletons) still counted as the quote being there (below it: not-found);
    `good_enough`: a fuzzy score inside the cited lines above which the whole file
    is not searched; `max_bytes`: evidence files larger than this are not read.
    Configured in `[tool.argmap.evidence]` (see `argmap.config`)."""

    found: float = 80.0
    good_enough: float = 95.0
    max_bytes: int = 20 * 1024 * 1024


@dataclass
class QuoteResult:
    claim: str
    map_file: str
    map_line: int
    file: str
    cited: tuple[int, int] | None
    status: str
    statuses: list[str] = field(default_factory=list)
    actual: tuple[int, int] | None = None
    score: float = 0.0
    dropped: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    minor: bool = False
    message: str = ""
    closest: dict[str, object] | None = None
    closest_lines: tuple[int, int] | None = None
    quote: str = ""
    link_line: int = 0
    link_column: int = 0
    link_end_column: int = 0
    fragment: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "claim": self.claim,
            "map_line": self.map_line,
            "file": self.file,
            "cited": list(self.cited) if self.cited else None,
            "status": self.status,
            "statuses": self.statuses,
            "actual": list(self.actual) if self.actual else None,
            "score": round(self.score, 1),
            "dropped": self.dropped,
            "changed": self.changed,
            "minor": self.minor,
            "message": self.message,
            "closest": self.closest,
        }


def is_math_word(word: str) -> bool:
    """A token holding a math operator or a Greek letter (`∈`, `Rm×n`, `α`)."""
    return any(unicodedata.category(ch) == "Sm" or "GREEK" in unicodedata.name(ch, "") for ch in word)


def is_minor_word(word: str) -> bool:
    """Math, short numbers and citation debris: differences a reader may forgive."""
    stripped = word.strip(".,;:")
    if not stripped:
        return True
    if any(unicodedata.category(ch) == "Sm" for ch in stripped):
        return True
    if any("GREEK" in unicodedata.name(ch, "") for ch in stripped):
        return True
    if stripped.isdigit() and len(stripped) <= 3:
        return True
    if len(stripped) == 1 and stripped.isalpha():
        return True
    return bool(_CITATION_WORD.match(stripped))


def passage_words(
    match: SegmentMatch, source_lines: Sequence[str], line_offset: int
) -> list[tuple[str, str]]:
    """The source words whose skeletons overlap the match's skeleton window.
    `line_offset` is the skeleton offset where line `match.lines[0]` starts."""
    lo, hi = match.lines
    words = word_skeletons("\n".join(source_lines[lo - 1 : hi]))
    start, end = match.start - line_offset, match.end - line_offset
    picked: list[tuple[str, str]] = []
    position = 0
    for word, key in words:
        if position + len(key) > start and position < end:
            picked.append((word, key))
        position += len(key)
    return picked or words


def word_diff(
    segment: str, source_words: list[tuple[str, str]], is_debris: Callable[[str], bool] = lambda key: False
) -> tuple[list[str], list[str]]:
    """(dropped, changed) words between a quote segment and its source passage,
    compared word by word on normalised keys with rapidfuzz's Levenshtein opcodes.
    Runs that differ only in how words are split ("E fficient") are ignored, and so
    are runs the quote leaves out that `is_debris` says are page-break debris."""
    from rapidfuzz.distance import Levenshtein

    quote_words = word_skeletons(segment)
    ops = Levenshtein.opcodes([k for _, k in quote_words], [k for _, k in source_words])
    blocks = list(ops)
    while blocks and blocks[0].tag == "insert":
        blocks.pop(0)
    while blocks and blocks[-1].tag == "insert":
        blocks.pop()
    dropped: list[str] = []
    changed: list[str] = []
    run_q: list[tuple[str, str]] = []
    run_s: list[tuple[str, str]] = []

    def flush() -> None:
        if not run_q and not run_s:
            return
        if "".join(k for _, k in run_q) != "".join(k for _, k in run_s):
            if not run_q:
                if not is_debris("".join(k for _, k in run_s)):
                    dropped.extend(w for w, _ in run_s)
            else:
                changed.append(f"{' '.join(w for w, _ in run_s)} -> {' '.join(w for w, _ in run_q)}".strip())
        run_q.clear()
        run_s.clear()

    for op in blocks:
        if op.tag == "equal":
            flush()
            continue
        run_q.extend(quote_words[op.src_start : op.src_end])
        run_s.extend(source_words[op.dest_start : op.dest_end])
    flush()
    return dropped, changed


_LEADING_DIGITS = re.compile(r"^\d{1,3}|\d{1,3}$")


def is_debris(key: str, normalized: NormalizedText) -> bool:
    """Page-break debris the quote may leave out: a page number or footnote mark
    (at most 3 digits), or a running header or footer (with its page number) whose
    words recur at least three times in the file."""
    if key.isdigit() and len(key) <= 3:
        return True
    core = _LEADING_DIGITS.sub("", key)
    return len(core) >= 12 and normalized.text.count(core) >= 3


def _marker_key(marker: str) -> str:
    return "".join(marker.split()).casefold()


def dropped_citations(
    match: SegmentMatch, source_lines: Sequence[str], normalized: NormalizedText
) -> list[str]:
    """Citation markers of the source that stand strictly inside the matched passage
    and that the quote segment does not repeat. The normalisation removes markers
    from both sides, so a marker's place is the skeleton offset of the text before it
    on its line; markers at either end of the passage are outside the quote."""
    lo, hi = match.lines
    in_quote = [
        _marker_key(m.group())
        for pattern in (CITATION_NUMERIC, CITATION_AUTHOR_YEAR)
        for m in pattern.finditer(match.text)
    ]
    found: list[tuple[int, str]] = []
    for number in range(lo, hi + 1):
        line = source_lines[number - 1] if 0 < number <= len(source_lines) else ""
        if "[" not in line and "(" not in line:
            continue
        base = normalized.offset_of_line(number)
        for pattern in (CITATION_NUMERIC, CITATION_AUTHOR_YEAR):
            for marker in pattern.finditer(line):
                offset = base + len(skeleton(line[: marker.start()]))
                if match.start < offset < match.end:
                    found.append((offset, marker.group()))
    dropped: list[str] = []
    for _, text in sorted(found):
        key = _marker_key(text)
        if key in in_quote:
            in_quote.remove(key)
        else:
            dropped.append(" ".join(text.split()))
    return dropped


def combined_score(matches: list[SegmentMatch]) -> float:
    total = sum(len(m.key) for m in matches)
    if not total:
        return 0.0
    return sum(m.score * len(m.key) for m in matches) / total


def classify(
    result: QuoteResult,
    matches: list[SegmentMatch],
    source_lines: Sequence[str],
    thresholds: Thresholds,
    range_ok: bool,
    normalized: NormalizedText,
) -> QuoteResult:
    """Fill `status`, `statuses`, `actual`, `score`, `dropped`, `changed` of `result`."""
    statuses: list[str] = []
    if not range_ok:
        statuses.append(BAD_RANGE)
    if not matches:
        result.status = NOT_FOUND
        result.statuses = [*statuses, NOT_FOUND]
        result.message = "the quote has no words to look for"
        return result
    result.score = combined_score(matches)
    worst = min(matches, key=lambda m: m.score)
    if worst.score < thresholds.found:
        lo, hi = worst.lines
        result.closest_lines = worst.lines
        result.closest = {
            "lines": [lo, hi],
            "score": round(worst.score, 1),
            "text": "\n".join(source_lines[lo - 1 : hi]),
            "segment": worst.text.strip(),
        }
        statuses.append(NOT_FOUND)
    else:
        result.actual = (min(m.lines[0] for m in matches), max(m.lines[1] for m in matches))
        if (
            range_ok
            and result.cited is not None
            and not (result.cited[0] <= result.actual[0] and result.actual[1] <= result.cited[1])
        ):
            statuses.append(MOVED)
        for match in matches:
            citations = dropped_citations(match, source_lines, normalized)
            result.citations.extend(citations)
            if match.exact:
                result.dropped.extend(citations)
                continue
            words = passage_words(match, source_lines, normalized.offset_of_line(match.lines[0]))
            dropped, changed = word_diff(match.text, words, lambda key: is_debris(key, normalized))
            result.dropped.extend(citations)
            result.dropped.extend(dropped)
            result.changed.extend(changed)
        if result.dropped or result.changed:
            statuses.append(DRIFT)
        changed_tokens = [w for c in result.changed for side in c.split(" -> ") for w in side.split()]
        result.minor = (
            bool(result.dropped or result.changed)
            and all(w in result.citations or is_minor_word(w) for w in result.dropped)
            and all(is_math_word(w) for w in changed_tokens)
        )
    if not statuses:
        statuses.append(EXACT)
    result.statuses = statuses
    result.status = next(s for s in _PRIORITY if s in statuses)
    return result

"""Turning segment matches into a status, with the words that differ.

Statuses (one `status`, plus every status that applies in `statuses`):

- `exact`: every segment found, after normalisation, inside the cited lines;
- `moved`: found, but (partly) outside the cited lines; `actual` is the smallest
  line range holding every segment;
- `drift`: found with a similarity below 100 after normalisation; `dropped` lists
  source words the quote leaves out, `changed` lists `source -> quote` rewrites
  (words the quote adds appear as `-> word`). When the only differences are math
  symbols, short numbers (page numbers, footnote marks) or citation markers the
  drift is *minor*, reported at a lower level;
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
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from argmap.evidence.match import SegmentMatch
from argmap.evidence.normalize import word_skeletons

EXACT = "exact"
MOVED = "moved"
DRIFT = "drift"
NOT_FOUND = "not-found"
MISSING_FILE = "missing-file"
BAD_RANGE = "bad-range"
UNREADABLE_FILE = "unreadable-file"
STATUSES = (EXACT, MOVED, DRIFT, NOT_FOUND, MISSING_FILE, BAD_RANGE, UNREADABLE_FILE)
_PRIORITY = (MISSING_FILE, UNREADABLE_FILE, NOT_FOUND, BAD_RANGE, DRIFT, MOVED, EXACT)
_CITATION_WORD = re.compile(r"^[\[(].*[\])]?$|^et$|^al\.?$|^\d{4}[a-z]?[),;]*$")


@dataclass(frozen=True)
class Thresholds:
    """`found`: the lowest segment similarity (0-100, rapidfuzz ratio on the
    skeletons) still counted as the quote being there (below it: not-found);
    `good_enough`: a fuzzy score inside the cited lines above which the whole file
    is not searched."""

    found: float = 80.0
    good_enough: float = 95.0


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
    minor: bool = False
    message: str = ""
    closest: dict[str, object] | None = None
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


def word_diff(segment: str, passage: str) -> tuple[list[str], list[str]]:
    """(dropped, changed) words between a quote segment and its source passage,
    compared word by word on normalised keys with rapidfuzz's Levenshtein opcodes.
    Runs that differ only in how words are split ("E fficient") are ignored."""
    quote_words = word_skeletons(segment)
    source_words = word_skeletons(passage)
    ops = Levenshtein.opcodes([k for _, k in quote_words], [k for _, k in source_words])
    blocks = [op for op in ops]
    while blocks and blocks[0].tag in ("insert", "replace") and blocks[0].src_start == 0 \
            and blocks[0].tag == "insert":
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
                dropped.extend(w for w, _ in run_s)
            else:
                changed.append(f"{' '.join(w for w, _ in run_s)} -> {' '.join(w for w, _ in run_q)}".strip())
        run_q.clear()
        run_s.clear()

    for op in blocks:
        if op.tag == "equal":
            flush()
            continue
        run_q.extend(quote_words[op.src_start:op.src_end])
        run_s.extend(source_words[op.dest_start:op.dest_end])
    flush()
    return dropped, changed


def combined_score(matches: list[SegmentMatch]) -> float:
    total = sum(len(m.key) for m in matches)
    if not total:
        return 0.0
    return sum(m.score * len(m.key) for m in matches) / total


def classify(result: QuoteResult, matches: list[SegmentMatch], source_lines: list[str],
             thresholds: Thresholds, range_ok: bool) -> QuoteResult:
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
        result.closest = {
            "lines": [lo, hi],
            "score": round(worst.score, 1),
            "text": "\n".join(source_lines[lo - 1:hi]),
            "segment": worst.text.strip(),
        }
        statuses.append(NOT_FOUND)
    else:
        result.actual = (min(m.lines[0] for m in matches), max(m.lines[1] for m in matches))
        if range_ok and result.cited is not None and not (
                result.cited[0] <= result.actual[0] and result.actual[1] <= result.cited[1]):
            statuses.append(MOVED)
        if any(not m.exact for m in matches):
            for match in matches:
                if match.exact:
                    continue
                passage = "\n".join(source_lines[match.lines[0] - 1:match.lines[1]])
                dropped, changed = word_diff(match.text, passage)
                result.dropped.extend(dropped)
                result.changed.extend(changed)
            statuses.append(DRIFT)
            differing = result.dropped + [c.split(" -> ")[0] for c in result.changed] \
                + [c.split(" -> ")[-1] for c in result.changed]
            words = [w for chunk in differing for w in chunk.split()]
            result.minor = all(is_minor_word(w) for w in words)
    if not statuses:
        statuses.append(EXACT)
    result.statuses = statuses
    result.status = next(s for s in _PRIORITY if s in statuses)
    return result

"""Finding a quote in a normalised file with rapidfuzz, segment by segment.

A quote is split at its elisions (`(...)`, `[...]`, `...`, `…`); each segment is
normalised (see `normalize`) and looked for in order, after the previous segment:

1. an exact substring of the file's skeleton, inside the cited lines first, then
   anywhere after the previous segment, then anywhere;
2. otherwise `rapidfuzz.fuzz.partial_ratio_alignment` (the best window of the
   file for the segment) inside the cited lines, and over the whole file when that
   is not good enough. The window's ends are then refined with
   `rapidfuzz.distance.Levenshtein.opcodes` so that a quote that dropped or added a
   few characters still maps to its true first and last line.

Each segment match maps back to original line numbers through the skeleton's
offset map. The file's skeleton is built lazily (see `file_skeleton`): a quote found
exactly in its cited lines near the top of a file needs only those first lines, and
rapidfuzz is imported only when some segment is not found exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argmap.evidence.file_skeleton import NormalizedText
from argmap.evidence.normalize import skeleton

ELISION = re.compile(r"\(\s*(?:\.\s*){3}\)|\[\s*(?:\.\s*){3}\]|\(\s*…\s*\)|\[\s*…\s*\]|\.\.\.|…")
_MIN_ANCHOR = 6


def split_elisions(quote: str) -> list[str]:
    """The quote's segments, without the elision marks; empty segments dropped."""
    return [part for part in ELISION.split(quote) if skeleton(part)]


@dataclass(frozen=True)
class SegmentMatch:
    text: str
    key: str
    start: int
    end: int
    score: float
    exact: bool
    lines: tuple[int, int]


def _refine(key: str, text: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """Refine a partial_ratio window [start, end) so that its ends follow the true
    alignment when the segment and the passage differ in length."""
    from rapidfuzz.distance import Levenshtein

    margin = len(key) // 4 + 8
    lo = max(0, start - margin)
    hi = text.clamp(end + margin)
    window = text.slice(lo, hi)
    anchors = [
        op
        for op in Levenshtein.opcodes(key, window)
        if op.tag == "equal" and op.src_end - op.src_start >= _MIN_ANCHOR
    ]
    if not anchors:
        return start, end
    first, last = anchors[0], anchors[-1]
    new_start = lo + max(0, first.dest_start - first.src_start)
    new_end = lo + min(len(window), last.dest_end + (len(key) - last.src_end))
    if new_end <= new_start:
        return start, end
    return new_start, new_end


def _align(key: str, text: NormalizedText, lo: int, hi: int) -> tuple[float, int, int]:
    from rapidfuzz import fuzz

    if hi <= lo:
        return 0.0, lo, lo
    result = fuzz.partial_ratio_alignment(key, text.slice(lo, hi))
    if result is None:
        return 0.0, lo, lo
    if len(key) <= hi - lo:
        return float(result.score), lo + result.dest_start, lo + result.dest_end
    # The region is shorter than the segment: rapidfuzz aligned the region inside the key.
    return float(result.score), lo, hi


def match_segment(
    key: str,
    text: NormalizedText,
    after: int,
    cited: tuple[int, int] | None,
    good_enough: float,
) -> SegmentMatch:
    """Best place for one segment skeleton `key` in the file skeleton `text`."""
    length = len(key)
    if cited is not None:
        pos = text.find(key, max(after, cited[0]), cited[1])
        if pos < 0:
            pos = text.find(key, cited[0], cited[1])
    else:
        pos = -1
    if pos < 0:
        pos = text.find(key, after)
    if pos < 0:
        pos = text.find(key, 0)
    if pos >= 0:
        return SegmentMatch("", key, pos, pos + length, 100.0, True, text.span_lines(pos, pos + length))
    from rapidfuzz import fuzz

    best = (0.0, 0, 0)
    if cited is not None:
        slack = length // 2
        best = _align(key, text, max(0, cited[0] - slack), text.clamp(cited[1] + slack))
    if best[0] < good_enough:
        whole = _align(key, text, 0, len(text.text))
        if whole[0] > best[0]:
            best = whole
    score, start, end = best
    if end > start:
        start, end = _refine(key, text, start, end)
        score = max(score, float(fuzz.ratio(key, text.slice(start, end))))
    return SegmentMatch("", key, start, end, score, False, text.span_lines(start, end))


_SENTENCE = re.compile(r"(?<=[.!?])[*_\"”’)\]]*\s+(?=[\"“*(\[]*[A-Z0-9])")


def _by_sentences(
    segment: str,
    text: NormalizedText,
    after: int,
    cited: tuple[int, int] | None,
    good_enough: float,
    found: float,
) -> SegmentMatch | None:
    """A segment that silently leaves out a sentence (no `(...)`) scores low as a
    whole; matched sentence by sentence, in order and close together, it is found,
    and the word diff then shows what was left out."""
    sentences = [part for part in _SENTENCE.split(segment) if skeleton(part)]
    if len(sentences) < 2:
        return None
    parts: list[SegmentMatch] = []
    position = after
    for sentence in sentences:
        part = match_segment(skeleton(sentence), text, position, cited, good_enough)
        if part.score < found or part.start < position - len(part.key):
            return None
        parts.append(part)
        position = part.end
    key = skeleton(segment)
    start, end = parts[0].start, parts[-1].end
    if end - start > 2 * len(key) + 200:
        return None
    from rapidfuzz import fuzz

    score = float(fuzz.ratio(key, text.slice(start, end)))
    return SegmentMatch(segment, key, start, end, score, False, text.span_lines(start, end))


def match_quote(
    quote: str,
    normalized: NormalizedText,
    cited_lines: tuple[int, int] | None,
    good_enough: float = 95.0,
    found: float = 80.0,
) -> list[SegmentMatch]:
    """Match every segment of `quote`, in order; returns one `SegmentMatch` each.
    `found` is the score below which a segment is retried sentence by sentence."""
    cited = None
    if cited_lines is not None:
        a, b = cited_lines
        cited = (normalized.offset_of_line(a), normalized.offset_of_line(b + 1))
    matches: list[SegmentMatch] = []
    after = 0
    for segment in split_elisions(quote):
        key = skeleton(segment)
        best = match_segment(key, normalized, after, cited, good_enough)
        if best.score < found:
            split = _by_sentences(segment, normalized, after, cited, good_enough, found)
            if split is not None:
                best = split
        matches.append(
            SegmentMatch(segment, best.key, best.start, best.end, best.score, best.exact, best.lines)
        )
        if best.end > after:
            after = best.end
    return matches

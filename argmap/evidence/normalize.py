"""The one normalisation applied to both a quote and its evidence file.

Frozen sources are PDF-to-markdown conversions; quotes are typed by people. Both
sides are reduced to a *skeleton* the same way, in this order:

1. Citation markers are removed: bracketed numbers (``[ 11 ]``, ``[1, 2, 3 , 4]``)
   and author-year parentheses (``(Salimans & Kingma, 2016)``).
2. Page-break debris is removed: arXiv margin stamps
   (``arXiv:2404.02948v4 [cs.LG] 10 Apr 2025``) and lines that hold nothing but a
   page number (optionally behind markdown ``>``/``#`` markers).
3. Unicode NFKC (ligatures ``ﬁ`` -> ``fi``, full-width forms, non-breaking spaces),
   then case folding (quotes may start mid-sentence with a capital).
4. ``∆``/``Δ``/``δ`` become ``delta`` (so ``DeltaW`` equals ``∆W``) and the
   multiplication sign ``×`` becomes ``x`` (``15×`` equals ``15x``).
5. Every character that is not a letter or digit is dropped: whitespace of every
   kind, zero-width and control characters, NUL, quote and dash variants, hyphens
   (so ``princi-pal`` and ``fine-\\ntuning`` join), emphasis markers ``**``/``__``,
   math operators and all other punctuation. Dropping the spaces also joins letters
   split by PDF bold (``E fficient``) and ``W res``.

Steps 1 and 2 replace what they remove with the newlines it contained, so line
numbers never shift. The skeleton of a whole file, and its map back to the file's
lines, is `argmap.evidence.file_skeleton.NormalizedText`.
"""

from __future__ import annotations

import re
import unicodedata

CITATION_NUMERIC = re.compile(r"\[\s*\d{1,4}(?:\s*[,;–-]\s*\d{1,4})*\s*\]")
CITATION_AUTHOR_YEAR = re.compile(r"\((?=[^()\n]{0,200}\b(?:1[89]|20)\d{2}[a-z]?\s*\))[A-Z][^()\n]{0,200}\)")
ARXIV_STAMP = re.compile(r"arXiv:\s*\d{4}\.\d{4,5}(?:v\d+)?\s*\[[\w.\-]+\]\s*\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}")
PAGE_NUMBER_LINE = re.compile(r"(?m)^[ \t>#]*\d{1,4}[ \t]*$")
# The same lines found faster (a pattern that starts with a fixed character is searched
# for that character first): the first line, then every line after a line break.
_PAGE_NUMBER_FIRST_LINE = re.compile(r"[ \t>#]*\d{1,4}[ \t]*(?=\n|\Z)")
_PAGE_NUMBER_NEXT_LINE = re.compile(r"\n[ \t>#]*\d{1,4}[ \t]*(?=\n|\Z)")
_NON_ALNUM = re.compile(r"[\W_]+")
_SYMBOLS = (("∆", "delta"), ("δ", "delta"), ("×", "x"))
_NON_ALNUM_KEEP_NEWLINES = re.compile(r"[^\w\n]+|_+")
# The same deletion in two fast passes: ASCII bytes with `bytes.translate`, then a
# regular expression over the (few) runs of non-ASCII characters that are left.
_ASCII_DROP = bytes(c for c in range(128) if not (chr(c).isalnum() or c == 10))
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_NON_ASCII_NON_ALNUM = re.compile(r"[^\w\x00-\x7f]+")


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


def strip_citations(text: str) -> str:
    """Step 1: citation markers, keeping every newline so line numbers do not move."""
    if "[" in text:
        text = CITATION_NUMERIC.sub(_blank, text)
    if "(" in text:
        text = CITATION_AUTHOR_YEAR.sub(_blank, text)
    return text


def strip_page_debris(text: str) -> str:
    """Step 2: arXiv stamps and page-number lines, keeping every newline."""
    if "arXiv" in text:
        text = ARXIV_STAMP.sub(_blank, text)
    return remove_page_number_lines(text)


def remove_page_number_lines(text: str) -> str:
    """`PAGE_NUMBER_LINE.sub("", text)`, about four times faster on files."""
    first = _PAGE_NUMBER_FIRST_LINE.match(text)
    if first:
        text = text[first.end() :]
    return _PAGE_NUMBER_NEXT_LINE.sub("\n", text)


def strip_debris(text: str) -> str:
    """Steps 1 and 2."""
    return strip_page_debris(strip_citations(text))


def fold(text: str) -> str:
    """Steps 3 and 4 (no characters are dropped yet)."""
    if len(text) > 4096 and "\n" in text:
        # NFKC line by line, skipping ASCII lines (already NFKC): the same result,
        # since no normalisation reaches across a line break, and 3-4x faster on files
        text = "\n".join(
            line if line.isascii() else unicodedata.normalize("NFKC", line) for line in text.split("\n")
        ).casefold()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
    for symbol, word in _SYMBOLS:  # casefold already turned Δ into δ
        if symbol in text:
            text = text.replace(symbol, word)
    return text


def skeleton(text: str) -> str:
    """The full normalisation of a short text (a quote, a segment, a word)."""
    return _NON_ALNUM.sub("", fold(strip_debris(text)))


def word_skeletons(text: str) -> list[tuple[str, str]]:
    """(original word, skeleton) for each whitespace-separated word with a non-empty
    skeleton, after steps 1-2; used to report dropped and changed words."""
    words: list[tuple[str, str]] = []
    for word in strip_debris(text).split():
        key = _NON_ALNUM.sub("", fold(word))
        if key:
            words.append((word, key))
    return words


def drop_non_alnum_keep_newlines(text: str) -> str:
    """Step 5 for a whole file: `_NON_ALNUM_KEEP_NEWLINES.sub("", text)`, about three
    times faster on large files."""
    kept = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_DROP).decode("utf-8", "surrogatepass")
    if kept.isascii():
        return kept
    return _NON_ASCII_RUN.sub(lambda run: _NON_ASCII_NON_ALNUM.sub("", run.group()), kept)

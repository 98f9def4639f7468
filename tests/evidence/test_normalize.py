"""One test per normalisation step (see argmap/evidence/normalize.py)."""

from __future__ import annotations

import pytest

from argmap.evidence.file_skeleton import normalize_text
from argmap.evidence.normalize import skeleton


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        ("the ﬁrst ﬂow", "the first flow"),  # ligatures (NFKC)
        ("“curly” and ‘single’", "\"curly\" and 'single'"),  # quote variants
        ("a—b – c", "a -- b - c"),  # dash variants
        ("**bold** and __under__", "bold and under"),  # emphasis markers
        ("the princi-pal part", "the principal part"),  # hyphenation within a line
        ("fine-\ntuning", "fine-tuning"),  # hyphenation at a line break
        ("fine-\ntuning", "finetuning"),
        ("many    spaces\u00a0and\ttabs", "many spaces and tabs"),  # whitespace
        ("zero\u200bwidth\u200d here", "zerowidth here"),  # zero-width characters
        ("nul\x00 and\x07 bell", "nul and bell"),  # control characters and NUL
        ("E fficient method", "Efficient method"),  # letters split by PDF bold
        ("as shown [ 11 ] before", "as shown before"),  # numeric citation
        ("as shown [1, 2, 3 , 4] before", "as shown before"),
        ("weight norm (Salimans & Kingma, 2016) helps", "weight norm helps"),  # author-year
        ("treats ∆W as", "treats DeltaW as"),  # delta symbol
        ("15×–65× fewer", "15x-65x fewer"),  # times sign
        ("We propose", "we propose"),  # case
        ("text\n> arXiv:2404.02948v4 [cs.LG] 10 Apr 2025\nmore", "text more"),  # arXiv stamp
        ("end of page\n\n12\n\nnext page", "end of page next page"),  # page number line
    ],
)
def test_step_makes_both_sides_equal(source: str, quote: str) -> None:
    assert skeleton(source) == skeleton(quote)


def test_changed_words_stay_different() -> None:
    assert skeleton("we propose a method") != skeleton("we introduce a method")
    assert skeleton("77.7%") != skeleton("77.1%")


def test_offset_map_points_back_to_original_lines() -> None:
    text = "Title: x\n\nfirst line here\n[ 3 ] second\n\nthird-\nline"
    norm = normalize_text(text)
    assert norm.line_count == 7
    start = norm.text.index("second")
    assert norm.line_of(start) == 4
    start = norm.text.index("thirdline")
    assert norm.span_lines(start, start + len("thirdline")) == (6, 7)
    assert norm.offset_of_line(3) == norm.text.index("firstline")


def test_fast_deletion_equals_the_documented_regular_expression() -> None:
    import random

    from argmap.evidence.normalize import _NON_ALNUM_KEEP_NEWLINES, drop_non_alnum_keep_newlines

    alphabet = "aZ09_ \t\n-–—“”'.,;:()[]**∆δ×∈ℝéßﬁ\u00a0\u200b\x00\x07½²日本\ufffd"
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert drop_non_alnum_keep_newlines(text) == _NON_ALNUM_KEEP_NEWLINES.sub("", text), text


def test_file_normalisation_line_by_line_equals_whole_text() -> None:
    import random
    import unicodedata

    from argmap.evidence.normalize import fold

    alphabet = "ab \n\u0301e\u0308ﬁ½²Å\u212bİß∆×"
    rng = random.Random(7)
    for _ in range(50):
        text = "".join(rng.choice(alphabet) for _ in range(6000))
        whole = unicodedata.normalize("NFKC", text).casefold()
        for symbol, word in (("∆", "delta"), ("δ", "delta"), ("×", "x")):
            whole = whole.replace(symbol, word)
        assert fold(text) == whole


def test_fast_page_number_removal_equals_the_documented_regular_expression() -> None:
    import random

    from argmap.evidence.normalize import PAGE_NUMBER_LINE, remove_page_number_lines

    pieces = ["\n", "\n", "12", "1234", "12345", " ", "\t", ">", "#", "a", "7 x", "\r", "\u00a0", "٣"]
    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert remove_page_number_lines(text) == PAGE_NUMBER_LINE.sub("", text), repr(text)

"""Where the first of many markers starts in a text, in one pass over the text.

The map page cuts a statement's claim before its tags, source labels, evidence link
and quote (`html_map.display_text`). Searching the text once per marker is the product
of the two sizes: one statement with 100,000 tags took most of a 22 s render. Here the
markers go into a character trie and the text is walked once from each place a
marker could start, so the work is the text's length times the longest match.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["first_marker"]

_END = ""  # the trie key that says a marker ends here (no marker character is empty)

_Trie = dict[str, "_Trie"]


def first_marker(text: str, markers: Iterable[str], start: int = 1) -> int | None:
    """The least index `i >= start` at which one of `markers` occurs in `text`, or None.
    Empty markers are ignored."""
    trie: _Trie = {}
    for marker in markers:
        if marker:
            node = trie
            for char in marker:
                node = node.setdefault(char, {})
            node[_END] = {}
    if not trie:
        return None
    firsts = set(trie)
    for index in range(start, len(text)):
        if text[index] in firsts and _matches_at(text, index, trie):
            return index
    return None


def _matches_at(text: str, index: int, trie: _Trie) -> bool:
    """Whether a marker starts at `index` (a walk down the trie, no copy of the text)."""
    node = trie
    for position in range(index, len(text)):
        child = node.get(text[position])
        if child is None:
            return False
        if _END in child:
            return True
        node = child
    return False

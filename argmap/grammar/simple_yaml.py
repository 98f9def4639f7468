"""The plain subset of YAML that nearly every frontmatter is written in, read without
the YAML library (whose import is a twentieth of checking a real map).

    title: Adapters as Representational Hypotheses -- Which Priors Hold?
    model:
        mode: strict
        removeTagsFromText: true

Block mappings of `key: value` lines, nested by indentation, whose values are text
that starts with a letter and holds no `:`, `#`, `"` or `\\`, a quoted string without
escapes, a plain decimal or integer, `true` / `false` / `null`, or nothing. Anything
else (lists, flow collections, multi-line or special scalars, anchors, tags, tabs, a
key named twice, odd indentation) returns None and goes to `argmap.yamlsafe.load`, so
this reader never changes a result: where it answers, it answers what the loader
would (js-yaml's schema, as the reference reads it; tests/grammar/test_simple_yaml.py
compares the two on generated documents).
"""

from __future__ import annotations

import re
from typing import Any

_LINE = re.compile(r"(?P<indent> *)(?P<key>[A-Za-z_][A-Za-z0-9_\-]*):(?: (?P<value>.*))?")
_COMMENT_OR_BLANK = re.compile(r" *(?:#.*)?")
# Text that js-yaml reads as a string: a letter first (no indicator, number or date),
# then no character that ends or comments a plain scalar, escapes, or that YAML
# refuses (controls, C1, line and paragraph separators, byte order mark, surrogates).
_TEXT = re.compile(r'[A-Za-z][^\x00-\x1f"#:\\\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]*')
_DOUBLE_QUOTED = re.compile(r'"[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]*"')
_SINGLE_QUOTED = re.compile(r"'[^'\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]*'")
_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,14})")  # within a double's exact integers
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d{0,14})\.\d{1,15}")
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~"), None),
}
MAX_CHARS = 10_000

_NOT_SIMPLE = object()


def load_simple_mapping(text: str) -> dict[str, Any] | None:
    """The mapping `text` holds, or None when it is not in the plain subset."""
    if len(text) > MAX_CHARS or "\t" in text or "\r" in text:
        return None
    reader = _Reader()
    for line in text.split("\n"):
        if _COMMENT_OR_BLANK.fullmatch(line):
            continue
        match = _LINE.fullmatch(line)
        if match is None or not reader.add(
            len(match.group("indent")), match.group("key"), match.group("value")
        ):
            return None
    return reader.finish()


class _Reader:
    """Open mappings by indentation, and a key whose value is still to come."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        self.open: list[tuple[int, dict[str, Any]]] = []
        self.pending: tuple[int, dict[str, Any], str] | None = None

    def add(self, indent: int, key: str, value: str | None) -> bool:
        if key in _WORDS:
            return False  # a key that js-yaml reads as a boolean or null
        target = self._mapping_at(indent)
        if target is None or key in target:
            return False
        if value is None:
            self.pending = (indent, target, key)
            return True
        scalar = _scalar(value)
        if scalar is _NOT_SIMPLE:
            return False
        target[key] = scalar
        return True

    def _mapping_at(self, indent: int) -> dict[str, Any] | None:
        if self.pending is not None:
            parent_indent, parent, key = self.pending
            self.pending = None
            if indent > parent_indent:  # the first key of the pending key's mapping
                child: dict[str, Any] = {}
                parent[key] = child
                self.open.append((indent, child))
                return child
            parent[key] = None
        if not self.open:
            self.open.append((indent, self.root))
        while self.open and indent < self.open[-1][0]:
            self.open.pop()
        if not self.open or indent != self.open[-1][0]:
            return None  # deeper than a value allows (a continued scalar), or between levels
        return self.open[-1][1]

    def finish(self) -> dict[str, Any]:
        if self.pending is not None:
            _, parent, key = self.pending
            parent[key] = None
        return self.root


def _scalar(value: str) -> Any:
    if value != value.rstrip(" ") or not value:
        return _NOT_SIMPLE
    if value in _WORDS:
        return _WORDS[value]
    if _TEXT.fullmatch(value) or _DOUBLE_QUOTED.fullmatch(value) or _SINGLE_QUOTED.fullmatch(value):
        return value if value[0] not in "\"'" else value[1:-1]
    if _INTEGER.fullmatch(value):
        return int(value)
    if _DECIMAL.fullmatch(value):
        return float(value)
    return _NOT_SIMPLE

"""Read `{key: value}` data blocks and frontmatter with a safe YAML loader.

Nearly every block in a vargdown map is `{reason: "...", credence: 0.8}`. Those take
a fast path that yields exactly what YAML would (double-quoted strings without
escapes, plain decimals and integers, `true`/`false`/`null`); anything else goes to
`argmap.yamlsafe.load` (the C loader when available, with limits on size, depth and
aliases), so the fast path never changes a result.
"""

from __future__ import annotations

import re
from typing import Any

from argmap.grammar.simple_yaml import load_simple_mapping

# Integers stop at 15 digits and decimals' whole part at 300: a longer integer is no
# exact double (js-yaml, and the loader, read it as one), a longer decimal overflows to text.
_SIMPLE_ITEM = re.compile(
    r'\s*(?P<key>[A-Za-z_][\w\-]*)\s*:\s+(?:"(?P<str>[^"\\\n]*)"|(?P<float>-?(?:0|[1-9]\d{0,299})\.\d+)|(?P<int>-?(?:0|[1-9]\d{0,14}))|(?P<word>true|True|TRUE|false|False|FALSE|null|Null|NULL|~))\s*(?:,|$)'
)
# the YAML 1.1 spellings of booleans and null that the fast path reads itself (a
# heading's `{isGroup: true}`); `yes`, `on`, `off` and the like go to the loader
_WORDS = {"true": True, "false": False, "null": None, "~": None}


class DataError(ValueError):
    """A data block that is not valid YAML or not a mapping; offsets are into the block."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class NotAMapping(DataError):
    """Frontmatter or a data block whose YAML is a list or a scalar: the reference
    accepts it and goes on (it takes no settings from such a frontmatter, and keeps such
    a block as the element's data), so it is no error."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"YAML {kind}, not a mapping")
        self.kind = kind


def _fast(inner: str) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    pos = 0
    length = len(inner)
    while pos < length:
        match = _SIMPLE_ITEM.match(inner, pos)
        if match is None or match.end() == pos:
            return None
        kind = match.lastgroup  # the value's group (the key's closes before it)
        key, text = match.group("key", kind)  # type: ignore[arg-type]
        if key in values:
            return None  # let YAML decide what duplicate keys mean
        if kind == "str":
            values[key] = text
        elif kind == "float":
            values[key] = float(text)
        elif kind == "word":
            values[key] = _WORDS[text.lower()]
        else:
            values[key] = int(text)
        pos = match.end()
    return values


def _yaml_load(text: str) -> Any:
    from argmap import yamlsafe  # bounded: no alias bomb, recursion or deep nesting

    return yamlsafe.load(text, unique_keys=True)


def _yaml_error(exc: Exception, text: str, shift: int) -> DataError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    offset = shift
    if mark is not None:
        lines = text.split("\n")
        offset = shift + sum(len(line) + 1 for line in lines[: mark.line]) + mark.column
    return DataError(f"invalid YAML: {problem}", offset)


def parse_data_block(block: str) -> dict[str, Any]:
    """Parse `{...}`; Argdown's block style (`{` then a newline) reads the inside as
    block YAML."""
    inner = block[1:-1]
    if inner and "\n" not in inner:
        fast = _fast(inner)
        if fast is not None:
            return fast
    if inner.lstrip(" \t").startswith("\n"):
        text, shift = inner, 1
    else:
        text, shift = block, 0
    try:
        value = _yaml_load(text)
    except Exception as exc:  # yaml.YAMLError, and ValueError for odd scalars
        raise _yaml_error(exc, text, shift) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NotAMapping("list" if isinstance(value, list) else "scalar")
    from argmap.yamlsafe import js_key  # loaded already; names keys as the reference does

    return {js_key(k): v for k, v in value.items()}


_BLANK_LINE = re.compile(r"^[ \t]+$", re.MULTILINE)


def parse_frontmatter(text: str) -> dict[str, Any]:
    simple = load_simple_mapping(text)  # the usual frontmatter, without importing YAML
    if simple is not None:
        return simple
    if "\t" in text:
        # a line of only tabs and spaces is an empty line to js-yaml, an error to PyYAML
        text = _BLANK_LINE.sub(lambda blank: " " * len(blank.group()), text)
    try:
        value = _yaml_load(text)
    except Exception as exc:
        raise _yaml_error(exc, text, 0) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NotAMapping("list" if isinstance(value, list) else "scalar")
    from argmap.yamlsafe import js_key  # loaded already; names keys as the reference does

    return {js_key(k): v for k, v in value.items()}

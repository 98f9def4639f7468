"""JSON text for every JSON output, fast: orjson where it writes the same bytes as
`json.dumps(value, indent=2, ensure_ascii=False)`, the standard library otherwise.

`json.dumps` with `indent` falls back to its pure-Python encoder (over a second on a
large map's export); orjson writes the same text in a tenth of that. The two differ
only in corner cases, which go to the standard library: floats that Python writes in
exponent form (`1e-05`) or not at all as numbers (`NaN`), also as keys; float
subclasses (numpy's) and enums that are neither str nor int, which orjson writes
itself; non-str keys when sorting (the standard library sorts `9` before `10`);
integers over 64 bits and strings orjson refuses (lone surrogates), on which orjson
raises. Dates and dataclasses go to `default`, as the standard library sends them.

One extension: a key the standard library refuses (a date under a YAML data block)
is written as `default(key)`, where it would raise TypeError, when `default` is given.

Checking a value costs a walk over it in Python, about as long as orjson's whole
encoding. A caller whose value is built from known types can name the parts that
may hold anything else (`user_values`, the user's data blocks of a map's export);
then only those are walked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from enum import Enum
from itertools import chain, compress
from math import isnan
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; keep working without it
    orjson = None  # type: ignore[assignment]

# repr() writes floats in [1e-4, 1e16) without an exponent, as orjson does (orjson
# writes 1e-05 as 0.00001, and NaN and the infinities as null)
_LOW, _HIGH = 1e-4, 1e16
_KEY_TYPES = (str, int, float, bool, type(None))  # the keys json.dumps writes
_STR = frozenset({str})
_DICT = frozenset({dict})
_FLOAT = frozenset({float})
_PLAIN = frozenset({str, int, bool, type(None)})  # written alike by orjson and json.dumps
_PLAIN_OR_FLOAT = _PLAIN | _FLOAT
_NON_STR_KEYS = orjson.OPT_NON_STR_KEYS if orjson is not None else 0


def _odd_float(number: float) -> bool:
    return number != 0.0 and not (_LOW <= abs(number) < _HIGH)  # NaN compares False: odd


def _odd_key(key: Any, sort_keys: bool) -> bool:
    kind = type(key)
    if kind is str:
        return False
    if sort_keys or not isinstance(key, _KEY_TYPES) or isinstance(key, Enum):
        return True
    return isinstance(key, float) and (kind is not float or _odd_float(key))


def _odd_scalar(item: Any) -> bool:
    """True for a value that is not a str, int, float or container, or a subclass of
    one, that orjson writes unlike json.dumps."""
    if isinstance(item, float):
        return True  # a float subclass goes to orjson's `default`
    uuid = sys.modules.get("uuid")  # not imported: no UUID to meet (its import costs 2 ms)
    if uuid is not None and isinstance(item, uuid.UUID):
        return True  # orjson writes a UUID itself
    # An enum orjson writes as its value; json.dumps writes a str or int enum as the
    # str or int and any other through `default`.
    return isinstance(item, Enum) and not isinstance(item, (str, int))


def _scan(value: Any, sort_keys: bool = False) -> int | None:
    """The orjson option `value` needs to be written as json.dumps writes it
    (`OPT_NON_STR_KEYS` when it has keys that are not strings, else 0), or None when
    orjson would write it otherwise (see the module docstring)."""
    option = 0
    stack: list[Any] = [(value,)]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            if not _STR.issuperset(map(type, container)):
                if any(_odd_key(key, sort_keys) for key in container):
                    return None
                option = _NON_STR_KEYS
            container = container.values()
        for item in container:
            kind = type(item)
            # strings are most of a map's values: skip them without a trip through the stack
            if kind is str or kind is int or kind is bool or item is None:
                continue
            if kind is dict or kind is list or kind is tuple:
                stack.append(item)
            elif kind is float:
                if item != 0.0 and not (_LOW <= abs(item) < _HIGH):  # _odd_float, inline
                    return None
            elif isinstance(item, (dict, list)):
                stack.append(item)
            elif isinstance(item, tuple) or _odd_scalar(item):
                return None  # orjson sends a named tuple to `default`
    return option


def _scan_blocks(blocks: list[Any], sort_keys: bool = False) -> int | None:
    """`_scan(blocks)` for a list of data blocks, in passes at C speed where each is a
    str-keyed dict of strings, numbers, booleans and None (a map's usual data: one
    Python step per block instead of one per value); `_scan` otherwise."""
    if sort_keys or not _DICT.issuperset(map(type, blocks)):
        return _scan(blocks, sort_keys)
    if not _STR.issuperset(map(type, chain.from_iterable(blocks))):
        return _scan(blocks, sort_keys)  # keys that are not strings: `_scan` decides
    values = list(chain.from_iterable(map(dict.values, blocks)))
    kinds = set(map(type, values))
    if _PLAIN.issuperset(kinds):
        return 0
    if not _PLAIN_OR_FLOAT.issuperset(kinds):
        return _scan(blocks, sort_keys)
    # every float but 0.0 (falsy), as a magnitude; NaN fails the isnan test, not min/max
    floats = list(filter(None, map(abs, compress(values, map(_FLOAT.__contains__, map(type, values))))))
    if floats and (min(floats) < _LOW or max(floats) >= _HIGH or any(map(isnan, floats))):
        return None
    return 0


def _keys_for_json(value: Any, default: Callable[[Any], Any]) -> Any:
    """`value` with every key json.dumps refuses replaced by `default(key)` (copies
    only the dicts that change, and the containers above them)."""
    if isinstance(value, dict):
        items = [(key, _keys_for_json(item, default)) for key, item in value.items()]
        changed = any(new is not value[key] for key, new in items)
        refused = any(not isinstance(key, _KEY_TYPES) for key, _ in items)
        if not (changed or refused):
            return value
        return {key if isinstance(key, _KEY_TYPES) else default(key): item for key, item in items}
    if isinstance(value, (list, tuple)):
        items = [_keys_for_json(item, default) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return items
    return value


def orjson_bytes(
    value: Any,
    *,
    indent: bool = True,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    user_values: Iterable[Any] | None = None,
) -> bytes | None:
    """`dumps_bytes(...)` where orjson writes it, None where it would differ from
    json.dumps (the corner cases of the module docstring). A non-finite float is one
    of those: bytes from here never hold json.dumps' `NaN` or `Infinity`."""
    if orjson is None:
        return None  # pragma: no cover
    # Without OPT_NON_STR_KEYS orjson raises on a key that is not a string, so a
    # `user_values` that leaves one out still ends in the standard library's text.
    option = _scan(value, sort_keys) if user_values is None else _scan_blocks(list(user_values), sort_keys)
    if option is None:
        return None
    odd_default: list[bool] = []

    def checked_default(item: Any) -> Any:
        assert default is not None
        result = default(item)
        if _scan(result, sort_keys) is None:
            odd_default.append(True)
        return result

    option |= orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    option |= orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE if indent else 0
    option |= orjson.OPT_SORT_KEYS if sort_keys else 0
    try:
        text = orjson.dumps(value, default=None if default is None else checked_default, option=option)
    except (TypeError, ValueError):
        return None
    return None if odd_default else text


def _standard(value: Any, indent: bool, sort_keys: bool, default: Callable[[Any], Any] | None) -> str:
    import json  # only for the corner cases orjson would write otherwise

    if default is not None:
        value = _keys_for_json(value, default)
    if indent:
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys, default=default) + "\n"
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, default=default, separators=(",", ":"))


def dumps(
    value: Any,
    *,
    indent: bool = True,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    user_values: Iterable[Any] | None = None,
) -> str:
    """`json.dumps(value, indent=2 if indent else None, ensure_ascii=False, ...)`
    (compact separators `,` `:` without indent), plus a final newline when indented.

    `user_values`, when given, are the only parts of `value` that may hold anything
    but str, int, bool, None, and lists, tuples and str-keyed dicts of those."""
    text = orjson_bytes(value, indent=indent, sort_keys=sort_keys, default=default, user_values=user_values)
    if text is not None:
        return text.decode("utf-8")
    return _standard(value, indent, sort_keys, default)


def dumps_bytes(
    value: Any,
    *,
    indent: bool = True,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    user_values: Iterable[Any] | None = None,
) -> bytes:
    """`dumps(...)` encoded as UTF-8, without decoding orjson's bytes on the way. A
    lone surrogate, which UTF-8 cannot hold (`dumps` leaves it in the text), is written
    as its JSON escape `\\udXXX` (the code unit it stands for, as JavaScript writes it)."""
    text = orjson_bytes(value, indent=indent, sort_keys=sort_keys, default=default, user_values=user_values)
    if text is not None:
        return text
    return _standard(value, indent, sort_keys, default).encode("utf-8", "backslashreplace")

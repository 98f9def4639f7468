"""The one YAML loader: safe, and bounded in size, nesting depth and alias expansion.

Every YAML argmap reads (data blocks and frontmatter of a map, experiment specs) goes
through `load` or `compose`. Plain `yaml.safe_load` accepts three shapes that cost far
more than their size: a kilobyte "billion laughs" whose aliases expand to 10^9 nodes
(anything that walks the value, prints it or validates it then hangs), an alias inside
the collection it names (a recursive value: RecursionError on the first walk), and
collections nested a few thousand deep (RecursionError in the composer). Before the
real load, one pass over the parser's events (no recursion, no values built) measures
the document: the nesting depth, and the number of nodes the document has once every
alias is expanded, and the characters of text those nodes hold (one anchored long
string referred to thousands of times is few nodes but gigabytes once exported). A
document over a limit raises `YamlLimitError`, a
`yaml.MarkedYAMLError` located at the node where the limit was crossed, so callers
that already turn YAML errors into located diagnostics need nothing new.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Limits:
    """What a YAML document may cost. The defaults are far above any real spec or data
    block (the largest real map's blocks have a depth of 3 and a few dozen nodes)."""

    max_chars: int = 1_000_000
    max_depth: int = 64
    max_nodes: int = 100_000  # after alias expansion
    # characters of scalar text after alias expansion: without aliases a document can't
    # exceed it (its text is at most max_chars), so it only refuses amplification
    max_expanded_chars: int = 1_000_000


DEFAULT = Limits()


class YamlLimitError(yaml.MarkedYAMLError):
    """A document over a limit; `problem` says which, `problem_mark` where."""


def _mark(text: str, offset: int) -> Any:
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return yaml.Mark("<yaml>", offset, line, column, "", 0)


def _fail(problem: str, mark: Any) -> YamlLimitError:
    return YamlLimitError(problem=problem, problem_mark=mark)


def measure(text: str, limits: Limits = DEFAULT) -> None:
    """Raise YamlLimitError when `text` is over a limit; plain YAML errors propagate."""
    if len(text) > limits.max_chars:
        raise _fail(
            f"the YAML is {len(text):,} characters, more than the {limits.max_chars:,} allowed",
            _mark(text, limits.max_chars),
        )
    walk = _Walk(limits)
    for event in yaml.parse(text, Loader=_Loader):
        walk.step(event)


class _Walk:
    """The running measure of one document: open collections, finished anchors' sizes,
    nodes and characters of scalar text so far with every alias expanded."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        # anchor -> (expanded node count, expanded characters) of the finished node
        self.sizes: dict[str, tuple[int, int]] = {}
        self.stack: list[list[Any]] = [[None, 0, 0]]  # [anchor, nodes, chars] per open collection
        self.open_anchors: set[str] = set()
        self.total = 0
        self.chars = 0

    def step(self, event: Any) -> None:
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, count, chars = self.stack.pop()
            if anchor:
                self.sizes[anchor] = (count, chars)
                self.open_anchors.discard(anchor)
            self.stack[-1][1] += count
            self.stack[-1][2] += chars
            return
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._open(event)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                self.sizes[event.anchor] = (1, len(event.value))
            self._add(1, len(event.value))
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open_anchors:
                raise _fail(
                    f"alias *{event.anchor} refers to a collection that contains it", event.start_mark
                )
            self._add(*self.sizes.get(event.anchor or "", (1, 0)))  # undefined: the loader reports it
        self._check(event)

    def _check(self, event: Any) -> None:
        if self.total > self.limits.max_nodes:
            raise _fail(
                f"the YAML expands to more than {self.limits.max_nodes:,} values once its aliases are "
                "followed (an alias bomb?)",
                event.start_mark,
            )
        if self.chars > self.limits.max_expanded_chars:
            raise _fail(
                f"the YAML expands to more than {self.limits.max_expanded_chars:,} characters of text "
                "once its aliases are followed (an anchored string repeated by aliases?)",
                event.start_mark,
            )

    def _open(self, event: Any) -> None:
        if len(self.stack) > self.limits.max_depth:
            raise _fail(f"the YAML is nested more than {self.limits.max_depth} levels deep", event.start_mark)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append([event.anchor, 1, 0])
        self.total += 1

    def _add(self, count: int, chars: int) -> None:
        self.stack[-1][1] += count
        self.stack[-1][2] += chars
        self.total += count
        self.chars += chars


def js_key(key: Any) -> str:
    """A mapping key as js-yaml (the reference's reader) names it: `null`, `true`,
    `false`, a whole float as the integer it equals, anything else as its text."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


# js-yaml 4's default schema for plain scalars: the YAML 1.2 core schema plus
# timestamps and merge keys. Unlike PyYAML's YAML 1.1 rules, `yes`/`no`/`on`/`off`/`y`
# stay text, `1_000`, `1:30` and `-.5` stay text, `017` is 17 and `0o17` is 15, and a
# number too large for a double is text (js-yaml checks `isFinite`).
_NULL, _BOOL, _STR = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:str"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_TIMESTAMP, _MERGE = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge"
_JS_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_JS_BOOL = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_JS_INT = re.compile(r"[-+]?(?:0b[01]+|0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)")
_JS_FLOAT = re.compile(
    r"[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_JS_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_JS_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9]{2}))?))?"
)
_BASES = {"0b": 2, "0x": 16, "0o": 8}
_EXACT = 2**53
_SPECIAL = frozenset({".inf", ".nan"})  # the last four characters, lowered


def _js_tag(value: str) -> str:
    """The tag js-yaml gives a plain scalar."""
    if value in _JS_NULL:
        return _NULL
    if value in _JS_BOOL:
        return _BOOL
    if _JS_INT.fullmatch(value) and _finite_int(value):
        return _INT
    if _JS_FLOAT.fullmatch(value) and (math.isfinite(_js_float(value)) or value[-4:].lower() in _SPECIAL):
        return _FLOAT
    if _JS_DATE.fullmatch(value) or _JS_TIMESTAMP.fullmatch(value):
        return _TIMESTAMP
    return _MERGE if value == "<<" else _STR


def _exact_int(text: str) -> int:
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    base = _BASES.get(digits[:2], 10)
    return sign * int(digits if base == 10 else digits[2:], base)  # `017` is 17: base 10


def _finite_int(text: str) -> bool:
    """Does JavaScript read this integer as a finite number? (Past 330 characters no
    integer is; Python refuses to read ones of over 4,300 digits.)"""
    if len(text) > 330:
        return False
    try:
        return math.isfinite(float(_exact_int(text)))
    except OverflowError:
        return False


def _construct_int(node: Any) -> int | float:
    if not (_JS_INT.fullmatch(node.value) and _finite_int(node.value)):  # an explicit `!!int`
        raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is no integer", node.start_mark)
    return _js_int(node.value)


def _js_int(text: str) -> int | float:
    number = _exact_int(text)
    # past 2**53 a JavaScript number is a double: keep what the reference keeps
    return number if abs(number) <= _EXACT else float(number)


def _js_float(text: str) -> float:
    special = text[-4:].lower()
    if special in _SPECIAL:  # `.inf`, `-.inf`, `.nan` (no sign on NaN in js-yaml)
        number = math.nan if special == ".nan" else math.inf
        return -number if text.startswith("-") else number
    return float(text)  # past a double's range: inf, which `_js_tag` leaves as text


def _js_date(node: Any) -> datetime:
    """A timestamp as a JavaScript Date holds it: an instant in UTC (a date alone is
    its midnight, a time without a zone is UTC), fields past their range carried over
    as `Date.UTC` carries them, milliseconds at most."""
    text = node.value
    date = _JS_DATE.fullmatch(text)
    match = date or _JS_TIMESTAMP.fullmatch(text)
    if match is None:  # an explicit `!!timestamp` on other text
        raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a date", node.start_mark)
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    year += 1900 if year < 100 else 0  # as Date.UTC reads a two-digit year
    hour, minute, second, fraction, zone = (0, 0, 0, "", None) if date else _time_of(match)
    try:
        instant = datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)
        instant += timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second)
        instant += timedelta(milliseconds=int(fraction[:3].ljust(3, "0")))
        return instant - zone if zone is not None else instant
    except (OverflowError, ValueError):
        raise yaml.constructor.ConstructorError(
            None, None, f"the date {text!r} is out of range", node.start_mark
        ) from None


def _time_of(match: re.Match[str]) -> tuple[int, int, int, str, timedelta | None]:
    """Hour, minute, second, fraction digits and zone offset of a full timestamp."""
    hour, minute, second = (int(part) for part in match.group(4, 5, 6))
    zone = None
    if match.group(9):
        sign = -1 if match.group(9) == "-" else 1
        zone = sign * timedelta(hours=int(match.group(10)), minutes=int(match.group(11) or 0))
    return hour, minute, second, match.group(7) or "", zone


class _UniqueKeyLoader(_Loader):  # type: ignore[misc,valid-type]
    """YAML as js-yaml 4 (the reference Argdown tool's reader) reads a map's data
    blocks and frontmatter: a mapping that names one key twice is an error
    ("duplicated mapping key"), and plain scalars resolve by js-yaml's default schema
    (see `_js_tag`), not PyYAML's YAML 1.1 one."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:  # a plain (unquoted) scalar
            return _js_tag(value)
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = js_key(self.construct_object(key_node))  # `null` and `~` are one key
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicated mapping key {key_node.value!r}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:map", _UniqueKeyLoader.construct_yaml_map)
_UniqueKeyLoader.add_constructor(_INT, lambda _loader, node: _construct_int(node))
_UniqueKeyLoader.add_constructor(_FLOAT, lambda _loader, node: _js_float(node.value))
_UniqueKeyLoader.add_constructor(_TIMESTAMP, lambda _loader, node: _js_date(node))
# `<<` merges only as a key (PyYAML reads a merge key's tag before constructing it);
# as a value it is the text "<<", as in js-yaml
_UniqueKeyLoader.add_constructor(_MERGE, lambda _loader, node: node.value)


def load(text: str, limits: Limits = DEFAULT, *, unique_keys: bool = False) -> Any:
    """`yaml.safe_load` for a document within `limits`; with `unique_keys`, a mapping
    that names a key twice is an error (`yaml.constructor.ConstructorError`)."""
    measure(text, limits)
    return yaml.load(text, Loader=_UniqueKeyLoader if unique_keys else _Loader)


def compose(text: str, limits: Limits = DEFAULT) -> yaml.Node | None:
    """`yaml.compose` (nodes with their marks) for a document within `limits`."""
    measure(text, limits)
    return yaml.compose(text, Loader=_Loader)

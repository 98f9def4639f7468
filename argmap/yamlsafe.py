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

from dataclasses import dataclass
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


class _UniqueKeyLoader(_Loader):  # type: ignore[misc,valid-type]
    """A loader that refuses a mapping naming one key twice (js-yaml, which the
    reference Argdown tool reads maps with, throws "duplicated mapping key")."""

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


def load(text: str, limits: Limits = DEFAULT, *, unique_keys: bool = False) -> Any:
    """`yaml.safe_load` for a document within `limits`; with `unique_keys`, a mapping
    that names a key twice is an error (`yaml.constructor.ConstructorError`)."""
    measure(text, limits)
    return yaml.load(text, Loader=_UniqueKeyLoader if unique_keys else _Loader)


def compose(text: str, limits: Limits = DEFAULT) -> yaml.Node | None:
    """`yaml.compose` (nodes with their marks) for a document within `limits`."""
    measure(text, limits)
    return yaml.compose(text, Loader=_Loader)

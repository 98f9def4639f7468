"""Typed claim graph: what an Argdown document means, independent of its syntax.

The parser builds these objects; rules, the evidence checker, the scoring engine and
the renderers only read them. Every object that came from the text keeps its `Span`,
so any later stage can point at the exact place a finding belongs.

The classes are plain slotted dataclasses, not pydantic models: the parser has
already validated every value, a large map holds hundreds of thousands of them
(a slotted object is built and read in a fraction of a model's time and memory),
and `check` then never imports pydantic (a fifth of checking a small map). Fields
are keyword-only, so a class may list its required fields after defaulted ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Span:
    """A region of the source: 1-based lines and columns, `end_column` exclusive.

    Positional, hashed and compared by value (a large map holds a span for every
    statement, link, quote and data block: a quarter of a million at 281,000 lines).
    Treat it as immutable.
    """

    __slots__ = ("column", "end_column", "end_line", "line")

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def _key(self) -> tuple[int, int, int, int]:
        return (self.line, self.column, self.end_line, self.end_column)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        line, column, end_line, end_column = self._key()
        return f"Span(line={line}, column={column}, end_line={end_line}, end_column={end_column})"


# The parser's name for building a span (positional: line, column, end line, end column).
make_span = Span


class ElementKind(StrEnum):
    STATEMENT = "statement"
    ARGUMENT = "argument"


class RelationKind(StrEnum):
    """What a relation asserts.

    Between two statements the meaning depends on the document's mode: in loose mode
    `+`/`-` are support/attack, in strict mode they are entailment/contrariness.
    `><` is contradiction in both modes. Relations that involve an argument are
    always support, attack or undercut.
    """

    SUPPORT = "support"
    ATTACK = "attack"
    UNDERCUT = "undercut"
    CONTRADICTION = "contradiction"
    ENTAILS = "entails"
    CONTRARY = "contrary"


class Mode(StrEnum):
    LOOSE = "loose"
    STRICT = "strict"


class PcsRole(StrEnum):
    PREMISE = "premise"
    INTERMEDIARY_CONCLUSION = "intermediary-conclusion"
    MAIN_CONCLUSION = "main-conclusion"


@dataclass(slots=True, kw_only=True)
class Link:
    """A markdown link `[label](url)` inside statement text."""

    label: str
    url: str
    span: Span


@dataclass(slots=True, kw_only=True)
class SourceLink(Link):
    """A link to the published source of an observation (`[Meng et al.](https://...)`)."""


@dataclass(slots=True, kw_only=True)
class EvidenceLink(Link):
    """`[evidence](docs/paper.md#L20-L35)`: where in a frozen source a quote must be.

    `path` is the link target without its fragment, exactly as written (resolving it
    against the project root is the evidence checker's job, never the parser's).
    `line_start`/`line_end` are None when the fragment is missing or malformed;
    `fragment` keeps the raw text so a rule can say what was wrong with it.
    """

    path: str
    fragment: str | None = None
    line_start: int | None = None
    line_end: int | None = None


@dataclass(slots=True, kw_only=True)
class Quote:
    """A `> ...` line of an observation: the words the evidence file must contain."""

    text: str
    span: Span


@dataclass(slots=True, kw_only=True)
class Mention:
    """`@[Title]` or `@<Title>` inside text: talks about an element without using it."""

    title: str
    kind: ElementKind
    span: Span


@dataclass(slots=True, kw_only=True)
class DataBlock:
    """A YAML flow block `{key: value}` and where it was written.

    `values` keeps the key order of the text (vargdown wants `reason` before the
    number, so order is information). `raw` is the block as written; `key_spans`
    (computed on demand: most blocks are never asked) points at each top-level key.
    """

    values: dict[str, Any] = field(default_factory=dict)
    span: Span
    raw: str = ""

    @property
    def key_spans(self) -> dict[str, Span]:
        spans: dict[str, Span] = {}
        for key in self.values:
            found = re.search(r'(?<![\w"])"?' + re.escape(key) + r'"?\s*:', self.raw)
            if found is None:
                continue
            offset = found.start() + (1 if self.raw[found.start()] == '"' else 0)
            newline = self.raw.rfind("\n", 0, offset)
            if newline == -1:
                line, column = self.span.line, self.span.column + offset
            else:
                line, column = self.span.line + self.raw.count("\n", 0, offset), offset - newline
            spans[key] = Span(line=line, column=column, end_line=line, end_column=column + len(key))
        return spans


class _Described(Protocol):
    """An occurrence of a statement or a description of an argument: both carry tags and data."""

    tags: list[str]
    data: DataBlock | None


def merged_tags(parts: Sequence[_Described]) -> list[str]:
    """Tags over `parts` in document order, each once."""
    return merge_tag_lists([part.tags for part in parts])


def merged_data(parts: Sequence[_Described]) -> dict[str, Any]:
    """Data blocks over `parts` merged in document order (later keys win); a new dict."""
    merged: dict[str, Any] = {}
    for part in parts:
        if part.data is not None:
            merged.update(part.data.values)
    return merged


def merge_tag_lists(tag_lists: Sequence[Sequence[str]]) -> list[str]:
    """Tag lists in the order given, each tag once."""
    return list(dict.fromkeys(tag for tags in tag_lists for tag in tags))


def merge_blocks_read_only(blocks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Data blocks' values in the order given, later keys winning, for a reader that
    never changes the result: a single block is itself, not a copy (the usual claim,
    on the export's and the scoring mapping's hot paths)."""
    if len(blocks) == 1:
        return blocks[0]
    merged: dict[str, Any] = {}
    for block in blocks:
        merged.update(block)
    return merged


@dataclass(slots=True, kw_only=True)
class Statement:
    """One occurrence of a statement in the text (a member of an equivalence class).

    `is_reference` is true for `[Title]` without text: it uses the class and adds no
    member. `title_span` covers `[Title]`; `span` the whole statement with its
    continuation lines.
    """

    title: str
    text: str = ""
    is_reference: bool = False
    is_untitled: bool = False
    tags: list[str] = field(default_factory=list)
    data: DataBlock | None = None
    links: list[Link] = field(default_factory=list)
    sources: list[SourceLink] = field(default_factory=list)
    evidence: list[EvidenceLink] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    section: str | None = None
    span: Span
    title_span: Span | None = None


@dataclass(slots=True, kw_only=True)
class EquivalenceClass:
    """All statements sharing one title: Argdown's unit of meaning.

    `members` holds definitions (with text) and `references` holds bare uses, both in
    document order. `is_top_level` is true when some member stands as its own
    top-level block (the usual way a thesis is written).
    """

    title: str
    members: list[Statement] = field(default_factory=list)
    references: list[Statement] = field(default_factory=list)
    is_untitled: bool = False
    is_top_level: bool = False

    @property
    def text(self) -> str:
        for member in self.members:
            if member.text:
                return member.text
        return ""

    @property
    def occurrences(self) -> list[Statement]:
        return sorted(self.members + self.references, key=lambda s: (s.span.line, s.span.column))

    @property
    def tags(self) -> list[str]:
        return merged_tags(self.occurrences)

    @property
    def data(self) -> dict[str, Any]:
        """Data merged over occurrences in document order (later keys win)."""
        return merged_data(self.occurrences)

    @property
    def span(self) -> Span:
        return (self.members or self.references)[0].span


@dataclass(slots=True, kw_only=True)
class Inference:
    """The step before a conclusion: `----` or `-- rule text {uses: [1, 2]} --`."""

    rules: list[str] = field(default_factory=list)
    data: DataBlock | None = None
    span: Span


@dataclass(slots=True, kw_only=True)
class PcsMember:
    """A numbered line `(n)` of a premise-conclusion structure."""

    number: int
    role: PcsRole
    statement: Statement
    inference: Inference | None = None


@dataclass(slots=True, kw_only=True)
class ArgumentDescription:
    """`<Title>: text` or a bare `<Title>` reference, one occurrence."""

    text: str = ""
    is_reference: bool = False
    tags: list[str] = field(default_factory=list)
    data: DataBlock | None = None
    links: list[Link] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    section: str | None = None
    span: Span
    title_span: Span | None = None


@dataclass(slots=True, kw_only=True)
class Argument:
    """An argument: its descriptions and, once reconstructed, its PCS."""

    title: str
    descriptions: list[ArgumentDescription] = field(default_factory=list)
    pcs: list[PcsMember] = field(default_factory=list)
    pcs_span: Span | None = None
    is_untitled: bool = False
    section: str | None = None

    @property
    def premises(self) -> list[PcsMember]:
        return [m for m in self.pcs if m.role is PcsRole.PREMISE]

    @property
    def conclusion(self) -> PcsMember | None:
        if self.pcs and self.pcs[-1].role is PcsRole.MAIN_CONCLUSION:
            return self.pcs[-1]
        return None

    @property
    def tags(self) -> list[str]:
        return merged_tags(self.descriptions)

    @property
    def data(self) -> dict[str, Any]:
        """Data merged over descriptions in document order (later keys win)."""
        return merged_data(self.descriptions)

    @property
    def span(self) -> Span:
        if self.descriptions:
            return self.descriptions[0].span
        if self.pcs_span is not None:
            return self.pcs_span
        return Span(line=1, column=1, end_line=1, end_column=1)


@dataclass(slots=True, kw_only=True)
class Relation:
    """A typed edge between two elements, as written in the text.

    `symbol` is what the author wrote (`+`, `<-`, `_>`, `><`, ...), `span` where;
    `parent_is_pcs_member` is true when the relation sits under a PCS line (the
    conclusion's own relation), false when it sits in a relation tree. An undercut
    written under an inference line has `via_inference` set and `conclusion_index`
    naming the position (0-based, not the written number) in the PCS of the conclusion
    that inference leads to. One pair
    written twice gives two `Relation`s; the argument graph's `unique_edges` merges them.
    """

    source: str
    source_kind: ElementKind
    target: str
    target_kind: ElementKind
    kind: RelationKind
    symbol: str
    span: Span
    parent_is_pcs_member: bool = False
    via_inference: bool = False
    conclusion_index: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.source_kind.value, self.source, self.target_kind.value, self.target, self.kind.value)


@dataclass(slots=True, kw_only=True)
class Section:
    """A heading and the part of the document below it."""

    id: str
    title: str
    level: int
    parent: str | None = None
    tags: list[str] = field(default_factory=list)
    data: DataBlock | None = None
    span: Span


@dataclass(slots=True, kw_only=True)
class IgnoreDirective:
    """`// argmap: ignore[CODE, ...]`: silences those codes on this line (and the next
    line, when the comment stands on a line of its own)."""

    codes: list[str]
    line: int
    applies_to: list[int]


@dataclass(slots=True, kw_only=True, weakref_slot=True)  # the argument graph caches by a weak reference
class Document:
    """A parsed Argdown file.

    `statements` and `arguments` are keyed by title and keep first-appearance order.
    `diagnostics` are the parser's own findings (syntax); rules add theirs later.
    """

    path: str
    frontmatter: dict[str, Any] = field(default_factory=dict)
    mode: Mode = Mode.LOOSE
    sections: list[Section] = field(default_factory=list)
    statements: dict[str, EquivalenceClass] = field(default_factory=dict)
    arguments: dict[str, Argument] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    ignores: list[IgnoreDirective] = field(default_factory=list)
    lines: list[str] = field(default_factory=list, repr=False)
    diagnostics: list[Any] = field(default_factory=list)

"""Typed claim graph: what an Argdown document means, independent of its syntax.

The parser builds these objects; rules, the evidence checker, the scoring engine and
the renderers only read them. Every object that came from the text keeps its `Span`,
so any later stage can point at the exact place a finding belongs.

Objects are built with `model_construct` by the parser (the data is already
validated there, and maps can hold hundreds of thousands of objects), so keep
defaults immutable-safe via `Field(default_factory=...)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

_Model = TypeVar("_Model", bound=BaseModel)
_Spec = tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...], int, set[str]]
_SPECS: dict[type[BaseModel], _Spec] = {}


class _ParsedModel(BaseModel):
    """Base of the model's classes. The parser builds them without validation
    (`construct`), so pydantic's validator and serializer are built only when
    something first validates or dumps one, not at every import."""

    model_config = ConfigDict(defer_build=True)


def _spec(cls: type[BaseModel]) -> _Spec:
    static: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for name, field in cls.model_fields.items():
        if field.default_factory is not None:
            factories.append((name, field.default_factory))  # type: ignore[arg-type]
        elif not field.is_required():
            static[name] = field.default
    _SPECS[cls] = (static, tuple(factories), len(cls.model_fields), set(cls.model_fields))
    return _SPECS[cls]


def construct(cls: type[_Model], **values: Any) -> _Model:
    """Build a model from trusted values, skipping validation.

    The parser creates hundreds of thousands of objects on a large map; this does
    what `model_construct` does for our plain models, at a fraction of its cost.
    """
    static, factories, field_count, every_field = _SPECS.get(cls) or _spec(cls)
    if len(values) == field_count:
        data = values  # every field given (the parser's usual case): no defaults to fill
        # One set of field names shared by every such object (a set per object was
        # a third of a parsed map's memory). Sharing is safe: pydantic only ever
        # adds a field's name to it on assignment, and every name is already there.
        fields_set = every_field
    else:
        data = {**static, **values}
        for name, factory in factories:
            if name not in values:
                data[name] = factory()
        fields_set = set(values)
    obj = cls.__new__(cls)
    _set_dict(obj, data)
    _set_fields_set(obj, fields_set)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


# BaseModel's slots, set through their descriptors: a third cheaper than four
# `object.__setattr__` calls, on the parser's most frequent call.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


class Span:
    """A region of the source: 1-based lines and columns, `end_column` exclusive.

    Not a pydantic model but a plain slotted value (a large map holds a span for
    every statement, link, quote and data block: a quarter of a million at 281,000
    lines, each a fifth of a model's cost in time and memory). Models that hold one
    validate it from and serialise it to `{"line", "column", "end_line", "end_column"}`.
    Treat it as immutable: it is hashed and compared by value.
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

    def model_dump(self, **_: Any) -> dict[str, int]:
        """The span as pydantic models write it (for code that dumps a span alone)."""
        line, column, end_line, end_column = self._key()
        return {"line": line, "column": column, "end_line": end_line, "end_column": end_column}

    @classmethod
    def _validate(cls, value: Any) -> Span:
        if isinstance(value, Span):
            return value
        if isinstance(value, dict) and value.keys() >= _SPAN_FIELDS:
            numbers = [value[name] for name in ("line", "column", "end_line", "end_column")]
            if all(type(number) is int for number in numbers):
                return cls(*numbers)
        raise ValueError("a span is {line, column, end_line, end_column} with integer values")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        fields = {
            name: core_schema.typed_dict_field(core_schema.int_schema())
            for name in ("line", "column", "end_line", "end_column")
        }
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            json_schema_input_schema=core_schema.typed_dict_schema(fields),
            serialization=core_schema.plain_serializer_function_ser_schema(
                Span.model_dump, return_schema=core_schema.typed_dict_schema(fields)
            ),
        )


_SPAN_FIELDS = frozenset({"line", "column", "end_line", "end_column"})

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


class Link(_ParsedModel):
    """A markdown link `[label](url)` inside statement text."""

    label: str
    url: str
    span: Span


class SourceLink(Link):
    """A link to the published source of an observation (`[Meng et al.](https://...)`)."""


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


class Quote(_ParsedModel):
    """A `> ...` line of an observation: the words the evidence file must contain."""

    text: str
    span: Span


class Mention(_ParsedModel):
    """`@[Title]` or `@<Title>` inside text: talks about an element without using it."""

    title: str
    kind: ElementKind
    span: Span


class DataBlock(_ParsedModel):
    """A YAML flow block `{key: value}` and where it was written.

    `values` keeps the key order of the text (vargdown wants `reason` before the
    number, so order is information). `raw` is the block as written; `key_spans`
    (computed on demand: most blocks are never asked) points at each top-level key.
    """

    values: dict[str, Any] = Field(default_factory=dict)
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


class Statement(_ParsedModel):
    """One occurrence of a statement in the text (a member of an equivalence class).

    `is_reference` is true for `[Title]` without text: it uses the class and adds no
    member. `title_span` covers `[Title]`; `span` the whole statement with its
    continuation lines.
    """

    title: str
    text: str = ""
    is_reference: bool = False
    is_untitled: bool = False
    tags: list[str] = Field(default_factory=list)
    data: DataBlock | None = None
    links: list[Link] = Field(default_factory=list)
    sources: list[SourceLink] = Field(default_factory=list)
    evidence: list[EvidenceLink] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    section: str | None = None
    span: Span
    title_span: Span | None = None


class EquivalenceClass(_ParsedModel):
    """All statements sharing one title: Argdown's unit of meaning.

    `members` holds definitions (with text) and `references` holds bare uses, both in
    document order. `is_top_level` is true when some member stands as its own
    top-level block (the usual way a thesis is written).
    """

    title: str
    members: list[Statement] = Field(default_factory=list)
    references: list[Statement] = Field(default_factory=list)
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


class Inference(_ParsedModel):
    """The step before a conclusion: `----` or `-- rule text {uses: [1, 2]} --`."""

    rules: list[str] = Field(default_factory=list)
    data: DataBlock | None = None
    span: Span


class PcsMember(_ParsedModel):
    """A numbered line `(n)` of a premise-conclusion structure."""

    number: int
    role: PcsRole
    statement: Statement
    inference: Inference | None = None


class ArgumentDescription(_ParsedModel):
    """`<Title>: text` or a bare `<Title>` reference, one occurrence."""

    text: str = ""
    is_reference: bool = False
    tags: list[str] = Field(default_factory=list)
    data: DataBlock | None = None
    links: list[Link] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    section: str | None = None
    span: Span
    title_span: Span | None = None


class Argument(_ParsedModel):
    """An argument: its descriptions and, once reconstructed, its PCS."""

    title: str
    descriptions: list[ArgumentDescription] = Field(default_factory=list)
    pcs: list[PcsMember] = Field(default_factory=list)
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


class Relation(_ParsedModel):
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


class Section(_ParsedModel):
    """A heading and the part of the document below it."""

    id: str
    title: str
    level: int
    parent: str | None = None
    tags: list[str] = Field(default_factory=list)
    data: DataBlock | None = None
    span: Span


class IgnoreDirective(_ParsedModel):
    """`// argmap: ignore[CODE, ...]`: silences those codes on this line (and the next
    line, when the comment stands on a line of its own)."""

    codes: list[str]
    line: int
    applies_to: list[int]


class Document(_ParsedModel):
    """A parsed Argdown file.

    `statements` and `arguments` are keyed by title and keep first-appearance order.
    `diagnostics` are the parser's own findings (syntax); rules add theirs later.
    """

    path: str
    frontmatter: dict[str, Any] = Field(default_factory=dict)
    mode: Mode = Mode.LOOSE
    sections: list[Section] = Field(default_factory=list)
    statements: dict[str, EquivalenceClass] = Field(default_factory=dict)
    arguments: dict[str, Argument] = Field(default_factory=dict)
    relations: list[Relation] = Field(default_factory=list)
    ignores: list[IgnoreDirective] = Field(default_factory=list)
    lines: list[str] = Field(default_factory=list, repr=False)
    diagnostics: list[Any] = Field(default_factory=list)

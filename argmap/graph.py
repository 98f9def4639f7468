"""The argument graph: what a document means as a graph, built once, read by every stage.

`argument_graph(document)` builds (and caches for the document's lifetime) one
`ArgumentGraph`: the nodes, keyed by `NodeKey` (a statement's equivalence class or
an argument); the typed edges, which are the document's `Relation`s (support,
attack, undercut, entails, contrary, contradiction), each with the span it was
written at; the PCS structure (which statements are premises and conclusions of
which arguments); the clusters (`#cluster-NAME` tags or `{cluster: NAME}` data on
arguments); and **one thesis decision** (`thesis_of`): `--thesis`, else frontmatter
`thesis:` (or `model: thesis:`), else a statement tagged `#thesis`, else the claim
that relates to nothing else, is no premise and has the most claims upstream (ties:
top-level first, then the first written). docs/scoring.md defines it for users.

Rules (argmap/rules/_graph.py), the scoring mapping (argmap/engine/mapping.py), the
page layout (argmap/render/layout.py), double counting (argmap/evidence/doublecount.py)
and the exports (`to_networkx`) all read this graph; none re-derives a node key or a
thesis. Undercuts stay edges from the undercutter to the undercut argument (with
`via_inference` / `conclusion_index` naming the inference when written under one).

Plain dicts, no networkx: every `argmap check` builds it, on maps of 280k lines.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from argmap.diagnostics import Diagnostic, Level
from argmap.model import (
    Argument,
    DataBlock,
    Document,
    ElementKind,
    EquivalenceClass,
    EvidenceLink,
    Link,
    PcsMember,
    PcsRole,
    Relation,
    RelationKind,
    Span,
    Statement,
    merge_blocks_read_only,
)

if TYPE_CHECKING:
    import networkx as nx

POSITIVE = frozenset({RelationKind.SUPPORT, RelationKind.ENTAILS})
NEGATIVE = frozenset(
    {RelationKind.ATTACK, RelationKind.CONTRARY, RelationKind.CONTRADICTION, RelationKind.UNDERCUT}
)
SYMMETRIC = frozenset({RelationKind.CONTRADICTION, RelationKind.CONTRARY})
CLUSTER_TAG = "cluster-"

_Key = TypeVar("_Key", bound=Hashable)
ThesisSource = Literal["option", "frontmatter", "tag", "automatic"]


class NodeKey(NamedTuple):
    """A node of the argument graph: `(ElementKind.STATEMENT, title)` for a statement's
    equivalence class, `(ElementKind.ARGUMENT, title)` for an argument. Equal to the
    plain tuple `("statement", title)` (ElementKind is a str enum), which is also the
    node id of the networkx export."""

    kind: ElementKind
    title: str

    def __str__(self) -> str:
        return f"[{self.title}]" if self.kind is ElementKind.STATEMENT else f"<{self.title}>"

    @property
    def is_statement(self) -> bool:
        return self.kind is ElementKind.STATEMENT


# A named tuple's own `__new__` is Python code; the graph and the rules build tens of
# thousands of keys per map, so they are built as the tuples they are.
_new_key: Callable[[type[NodeKey], tuple[ElementKind, str]], NodeKey] = tuple.__new__


def statement_key(title: str) -> NodeKey:
    return _new_key(NodeKey, (ElementKind.STATEMENT, title))


def argument_key(title: str) -> NodeKey:
    return _new_key(NodeKey, (ElementKind.ARGUMENT, title))


def source_key(relation: Relation) -> NodeKey:
    return _new_key(NodeKey, (relation.source_kind, relation.source))


def target_key(relation: Relation) -> NodeKey:
    return _new_key(NodeKey, (relation.target_kind, relation.target))


def parse_key(written: str) -> NodeKey | None:
    """`[Title]` or `<Title>` as written by a user; None for a bare title."""
    if len(written) > 2 and written[0] == "[" and written[-1] == "]":
        return statement_key(written[1:-1])
    if len(written) > 2 and written[0] == "<" and written[-1] == ">":
        return argument_key(written[1:-1])
    return None


@dataclass(frozen=True)
class ThesisChoice:
    """The one thesis decision: `key` (None when there is none), how it was chosen, and
    the C590 diagnostic that says why there is none (or why a named one is not a claim)."""

    key: NodeKey | None
    source: ThesisSource | None = None
    diagnostic: Diagnostic | None = None

    @property
    def title(self) -> str | None:
        return None if self.key is None else self.key.title


class InferenceStep(NamedTuple):
    """One conclusion of a PCS and the lines its inference uses (`inference_lines`):
    `main` when it is the argument's main conclusion (or the PCS's last line)."""

    argument: Argument
    member: PcsMember
    conclusion: str  # the conclusion's statement title
    premises: list[str]  # the statement titles of the lines the inference uses
    main: bool


PcsStep = tuple[str, str, bool]
"""A step of a PCS: (premise, argument, False) or (argument, main conclusion, True)."""

_StepFields = tuple[Argument, PcsMember, str, list[str], bool]
_new_step: Callable[[type[InferenceStep], _StepFields], InferenceStep] = tuple.__new__


@dataclass(slots=True)
class _StatementFacts:
    """What one walk over every occurrence of every statement finds (see `_statements`)."""

    thesis_tagged: list[str] = field(default_factory=list)
    redefined: list[str] = field(default_factory=list)
    top_level: list[str] = field(default_factory=list)
    undefined: list[str] = field(default_factory=list)
    attached_results: set[str] = field(default_factory=set)
    heads: dict[str, tuple[Span, Mapping[str, Any]]] = field(default_factory=dict)
    blocks: list[DataBlock] = field(default_factory=list)
    evidence: list[EvidenceLink] = field(default_factory=list)
    observations: list[tuple[EquivalenceClass, bool]] = field(default_factory=list)


@dataclass
class ArgumentGraph:
    """The argument graph of one document (see the module docstring).

    `out_edges` / `in_edges` hold every written relation (one pair written twice is two
    edges: rules report both writings); `unique_edges` merges duplicates (same ends and
    kind, first writing kept) for the engine and the exports. `premise_of` and
    `conclusion_of` map a statement title to the arguments that use it as a premise
    or as their main conclusion; `in_pcs` is every statement of some PCS; `pcs_steps`
    are the steps of reasoning each PCS writes, premise -> argument (when the PCS ends
    in a main conclusion) and argument -> main conclusion, in document order, as
    `(source title, target title, from_argument)` (`PcsStep`, keys made by its reader);
    `inferences` are the conclusions of every PCS with the lines each rests on, in
    document order; `claim_titles` and `premises` give each argument with a PCS the
    claim it stands for and its premise statements. The thesis decision, the scoring
    mapping and the rules read these instead of walking every PCS again (on a large
    map each walk over the model costs about as much as all the work it feeds).
    """

    document_ref: weakref.ref[Document]
    out_edges: dict[NodeKey, list[Relation]] = field(default_factory=dict)
    in_edges: dict[NodeKey, list[Relation]] = field(default_factory=dict)
    premise_of: dict[str, list[str]] = field(default_factory=dict)
    conclusion_of: dict[str, list[str]] = field(default_factory=dict)
    in_pcs: set[str] = field(default_factory=set)
    pcs_steps: list[PcsStep] = field(default_factory=list)
    inferences: list[InferenceStep] = field(default_factory=list)
    claim_titles: dict[str, str] = field(default_factory=dict)  # argument -> its last PCS line's title
    premises: dict[str, list[Statement]] = field(default_factory=dict)  # argument -> its premise statements
    undefined_arguments: list[str] = field(default_factory=list)  # only referred to: `<A>`, never defined
    # defined arguments that may lack premises or a main conclusion (G309 checks each)
    unreconstructed: list[str] = field(default_factory=list)
    clusters: dict[str, list[NodeKey]] = field(default_factory=dict)
    cluster_by_argument: dict[str, str] = field(default_factory=dict)  # `cluster_of`, read once
    _theses: dict[str | None, ThesisChoice] = field(default_factory=dict)

    @property
    def document(self) -> Document:
        """The document this graph was built from (held weakly: a cached graph must not
        keep an edited-away document alive)."""
        document = self.document_ref()
        if document is None:
            raise ReferenceError("the document of this argument graph is gone")
        return document

    # ---- nodes -----------------------------------------------------------------------

    def nodes(self) -> list[NodeKey]:
        """Every statement and argument, statements first, in first-appearance order."""
        return [statement_key(t) for t in self.document.statements] + [
            argument_key(t) for t in self.document.arguments
        ]

    @cached_property
    def unique_edges(self) -> list[Relation]:
        seen: dict[tuple[str, str, str, str, str], Relation] = {}
        for relation in self.document.relations:
            seen.setdefault(relation.key, relation)
        return list(seen.values())

    def relations_of(self, key: NodeKey) -> int:
        return len(self.out_edges.get(key, ())) + len(self.in_edges.get(key, ()))

    def representative(self, title: str) -> NodeKey:
        """The claim an argument stands for: its main conclusion (the last PCS line when
        the PCS has no conclusion), or the argument itself when it has no PCS."""
        claim = self.claim_titles.get(title)
        return argument_key(title) if claim is None else statement_key(claim)

    def claim_of(self, key: NodeKey) -> NodeKey:
        return key if key.is_statement else self.representative(key.title)

    def target_claim(self, relation: Relation) -> NodeKey:
        """`claim_of(target_key(relation))`, without building the argument's key first
        (a hot path of the correlation rules)."""
        if relation.target_kind is ElementKind.STATEMENT:
            return statement_key(relation.target)
        return self.representative(relation.target)

    @cached_property
    def attached_results(self) -> frozenset[str]:
        """Statements tagged `#experiment` that link an attached result file
        (`*.results/*.json`, what `argmap attach --into-map` writes): the result counts
        through its result node (argmap/results/engine.py), so their relations add no
        edge to the scoring graph."""
        return frozenset(self._statements.attached_results)

    @property
    def thesis_tagged(self) -> list[str]:
        """Statements with a `#thesis` tag on any occurrence, in order of first appearance
        (`cls.tags` would sort the occurrences of every class)."""
        return self._statements.thesis_tagged

    @property
    def redefined(self) -> list[str]:
        """Titles with more than one definition, in order of first appearance."""
        return self._statements.redefined

    @property
    def top_level(self) -> list[str]:
        """Titles defined as a top-level statement, in order of first appearance."""
        return self._statements.top_level

    @property
    def undefined_statements(self) -> list[str]:
        """Titles used but never defined, in order of first appearance."""
        return self._statements.undefined

    @property
    def statement_heads(self) -> dict[str, tuple[Span, Mapping[str, Any]]]:
        """Each statement's span (its first definition's, else its first reference's)
        and its data, as `EquivalenceClass.data` (later occurrences win). The data is
        read only: the usual statement's is its one data block's own values."""
        return self._statements.heads

    @property
    def statement_blocks(self) -> list[DataBlock]:
        """The data block of every occurrence of every statement: statement by statement,
        its definitions, then its references."""
        return self._statements.blocks

    @property
    def statement_evidence(self) -> list[EvidenceLink]:
        """The evidence links of every occurrence, in the order of `statement_blocks`."""
        return self._statements.evidence

    @property
    def observations(self) -> list[tuple[EquivalenceClass, bool]]:
        """Statements with an `#observation` tag on some occurrence, each with whether
        its first occurrence cites a source, an evidence link and a quote."""
        return self._statements.observations

    @cached_property
    def _statements(self) -> _StatementFacts:
        """What the statements say about the graph, in one walk over every occurrence of
        every statement: walking the model is memory-bound on large maps, so the thesis
        decision, the scoring mapping and the vargdown rules read what it found."""
        facts = _StatementFacts()
        for title, cls in self.document.statements.items():
            _read_class(facts, title, cls)
        return facts

    @cached_property
    def claims(self) -> frozenset[NodeKey]:
        """The nodes the scoring engine scores: every statement in a PCS or a relation
        (relations written from an attached result excepted) and every argument
        without a PCS that takes part in a relation."""
        found: set[NodeKey] = {statement_key(t) for t in self.in_pcs}
        for relation in self.document.relations:
            if relation.source_kind is ElementKind.STATEMENT and relation.source in self.attached_results:
                continue
            found.add(self.claim_of(source_key(relation)))
            found.add(self.claim_of(target_key(relation)))
        return frozenset(found)

    # ---- the thesis ------------------------------------------------------------------

    @property
    def thesis(self) -> ThesisChoice:
        """The thesis as the document itself decides it (no `--thesis`)."""
        return self.thesis_of(None)

    def thesis_of(self, requested: str | None) -> ThesisChoice:
        """The one thesis decision; `requested` is `--thesis` (`Title`, `[Title]` or `<Title>`)."""
        choice = self._theses.get(requested)
        if choice is None:
            choice = self._theses[requested] = decide_thesis(self, requested)
        return choice


_THESIS, _OBSERVATION = 1, 2


def _read_class(facts: _StatementFacts, title: str, cls: EquivalenceClass) -> None:
    """One statement's occurrences into `facts` (`ArgumentGraph._statements`)."""
    members, references = cls.members, cls.references
    tagged = _read_occurrences(facts, title, members, True)
    if references:
        tagged |= _read_occurrences(facts, title, references, False)
    if len(members) > 1:
        facts.redefined.append(title)
    if members and cls.is_top_level:
        facts.top_level.append(title)
    elif not members and references:
        facts.undefined.append(title)
    elif not members:
        return  # no occurrence at all (a model built by hand): nothing to read
    first = (members or references)[0]
    if tagged:
        _tagged(facts, cls, first, tagged)
    facts.heads[title] = (first.span, _merged_data(members, references))


def _read_occurrences(facts: _StatementFacts, title: str, occurrences: list[Statement], defined: bool) -> int:
    """A statement's definitions (or references) into `facts`: their data blocks, their
    evidence links, an `#experiment` definition linking a result; and which of
    `#thesis` (`_THESIS`) and `#observation` (`_OBSERVATION`) they are tagged."""
    tagged = 0
    blocks, evidence = facts.blocks, facts.evidence
    for occurrence in occurrences:
        tags = occurrence.tags
        if tags:
            if "thesis" in tags:
                tagged |= _THESIS
            if "observation" in tags:
                tagged |= _OBSERVATION
            if defined and "experiment" in tags and _links_result(occurrence.links):
                facts.attached_results.add(title)
        block = occurrence.data
        if block is not None:
            blocks.append(block)
        links = occurrence.evidence
        if links:
            evidence.extend(links)
    return tagged


def _tagged(facts: _StatementFacts, cls: EquivalenceClass, first: Statement, tagged: int) -> None:
    if tagged & _THESIS:
        facts.thesis_tagged.append(cls.title)
    if tagged & _OBSERVATION:
        cited = bool(first.sources and first.evidence and first.quotes)
        facts.observations.append((cls, cited))


_NO_DATA: Mapping[str, Any] = MappingProxyType({})


def _merged_data(members: list[Statement], references: list[Statement]) -> Mapping[str, Any]:
    """A statement's data as `EquivalenceClass.data` (later occurrences win), sorting
    only those with data; the usual statement's is its one block's own values."""
    if not references and len(members) == 1:  # the usual claim: defined once, never referenced
        data = members[0].data
        return data.values if data is not None else _NO_DATA
    blocks = [o for o in members if o.data is not None]
    blocks += [o for o in references if o.data is not None]
    if not blocks:
        return _NO_DATA
    if len(blocks) > 1:
        blocks.sort(key=lambda o: (o.span.line, o.span.column))
    return merge_blocks_read_only([o.data.values for o in blocks if o.data is not None])


def _links_result(links: list[Link]) -> bool:
    return any(".results/" in link.url and link.url.endswith(".json") for link in links)


def build(document: Document) -> ArgumentGraph:
    """One pass over relations, PCSs and arguments (the model is large and walking it
    is memory-bound, so every consumer shares this instead of walking it again)."""
    graph = ArgumentGraph(weakref.ref(document))
    out_edges, in_edges = graph.out_edges, graph.in_edges
    for relation in document.relations:  # `source_key` and `target_key`, built inline
        out_edges.setdefault(_new_key(NodeKey, (relation.source_kind, relation.source)), []).append(relation)
        in_edges.setdefault(_new_key(NodeKey, (relation.target_kind, relation.target)), []).append(relation)
    for argument in document.arguments.values():
        if argument.pcs:
            _add_pcs(graph, argument)
        elif any(not description.is_reference for description in argument.descriptions):
            graph.unreconstructed.append(argument.title)  # only described
        elif argument.descriptions:
            graph.undefined_arguments.append(argument.title)
        cluster = cluster_of(argument)
        if cluster is not None:
            graph.clusters.setdefault(cluster, []).append(argument_key(argument.title))
            graph.cluster_by_argument[argument.title] = cluster
    return graph


def _add_pcs(graph: ArgumentGraph, argument: Argument) -> None:
    """An argument's PCS into the graph: premises, conclusions, steps and inferences
    (the lines an inference uses are read here, while the PCS is in the cache)."""
    premise, main = PcsRole.PREMISE, PcsRole.MAIN_CONCLUSION
    name, pcs = argument.title, argument.pcs
    last = len(pcs) - 1
    concluded = pcs[last].role is main
    graph.claim_titles[name] = pcs[last].statement.title  # what the argument stands for
    if not concluded or pcs[0].role is not premise:  # no premise at all has no premise first
        graph.unreconstructed.append(name)
    # every PCS line of the map comes here: the containers are bound once, inference
    # steps built as the tuples they are (`_new_step`), PCS steps without keys
    in_pcs, premise_of, steps, inferences = graph.in_pcs, graph.premise_of, graph.pcs_steps, graph.inferences
    premises = graph.premises[name] = []
    previous: int | None = None
    for position, member in enumerate(pcs):
        statement = member.statement
        title = statement.title
        in_pcs.add(title)
        role = member.role
        if role is premise:
            premises.append(statement)
            premise_of.setdefault(title, []).append(name)
            if concluded:
                steps.append((title, name, False))
            continue
        if role is main:
            graph.conclusion_of.setdefault(title, []).append(name)
            steps.append((name, title, True))
        if _uses(member) is None:  # the usual inference: every line since the previous conclusion
            lines = [line.statement.title for line in pcs[0 if previous is None else previous : position]]
        else:
            lines = [line.statement.title for line in inference_lines(argument, position, previous)]
        step = (argument, member, title, lines, role is main or position == last)
        inferences.append(_new_step(InferenceStep, step))
        previous = position


def cluster_of(argument: Argument) -> str | None:
    """`{cluster: NAME}` data, else the first `#cluster-NAME` tag."""
    # as `argument.data` (the last description naming one wins) and `argument.tags` (the
    # first such tag), read without merging them, in one pass: every argument of a map
    # comes here
    named = tagged = None
    for description in argument.descriptions:
        if description.data is not None and "cluster" in description.data.values:
            named = description.data.values["cluster"]
        if tagged is None and description.tags:
            tagged = _cluster_tag(description.tags)
    if isinstance(named, str) and named:
        return named
    return tagged


def _cluster_tag(tags: list[str]) -> str | None:
    for tag in tags:
        if tag.startswith(CLUSTER_TAG) and len(tag) > len(CLUSTER_TAG):
            return tag[len(CLUSTER_TAG) :]
    return None


_CACHE: dict[int, ArgumentGraph] = {}


def argument_graph(document: Document) -> ArgumentGraph:
    """The document's argument graph, built on first use and shared until the document goes."""
    found = _CACHE.get(id(document))
    if found is not None and found.document_ref() is document:
        return found
    graph = _CACHE[id(document)] = build(document)
    weakref.finalize(document, _CACHE.pop, id(document), None)
    return graph


# ---- the thesis decision -------------------------------------------------------------


def _c590(graph: ArgumentGraph, message: str, hint: str) -> Diagnostic:
    return Diagnostic.at("C590", Level.ERROR, message, graph.document.path, None, hint)


def named_thesis(document: Document) -> str | None:
    """Frontmatter `thesis:` or `model: thesis:`, when it is a string."""
    front = document.frontmatter
    model = front.get("model") if isinstance(front.get("model"), dict) else {}
    candidate = front.get("thesis") or (model or {}).get("thesis")
    return candidate if isinstance(candidate, str) else None


def decide_thesis(graph: ArgumentGraph, requested: str | None = None) -> ThesisChoice:
    """`--thesis` > frontmatter > `#thesis` > automatic (see the module docstring)."""
    source: ThesisSource = "option"
    wanted = requested
    if wanted is None:
        wanted, source = named_thesis(graph.document), "frontmatter"
    if wanted is None:
        for title in graph.thesis_tagged:
            if statement_key(title) in graph.claims:
                return ThesisChoice(statement_key(title), "tag")
    if wanted is not None:
        key = parse_key(wanted) or statement_key(wanted)
        if key not in graph.claims and parse_key(wanted) is None and argument_key(wanted) in graph.claims:
            key = argument_key(wanted)
        if key in graph.claims:
            return ThesisChoice(key, source)
        return ThesisChoice(
            None,
            source,
            _c590(
                graph,
                f"thesis `{wanted}` is not a claim of this map",
                "name a statement that takes part in a relation or an argument",
            ),
        )
    automatic = _automatic_thesis(graph)
    if automatic is None:
        return ThesisChoice(
            None,
            None,
            _c590(
                graph,
                "no thesis to score: no claim is supported or attacked",
                "relate arguments to a thesis statement, or name one with --thesis",
            ),
        )
    return ThesisChoice(automatic, "automatic")


def _uses(member: Any) -> list[int] | None:
    """An inference's `{uses: [1, 2]}`: the lines a conclusion rests on, when given."""
    if member.inference is None or member.inference.data is None:
        return None
    uses = member.inference.data.values.get("uses")
    if isinstance(uses, list) and all(isinstance(u, int) and not isinstance(u, bool) for u in uses):
        return list(uses)
    return None


def inference_lines(argument: Argument, position: int, previous: int | None) -> list[Any]:
    """The PCS lines the conclusion at `position` rests on: its `uses`, else every line
    since the previous conclusion, that conclusion included."""
    member = argument.pcs[position]
    uses = _uses(member)
    if uses is not None:
        numbers = {m.number: m for m in argument.pcs}
        return [numbers[n] for n in uses if n in numbers and numbers[n] is not member]
    start = 0 if previous is None else previous + 1
    lines = argument.pcs[start:position]
    return lines if previous is None else [argument.pcs[previous], *lines]


def _undercut_claim(graph: ArgumentGraph, relation: Relation) -> NodeKey:
    """The conclusion whose inference an undercut weakens."""
    index = relation.conclusion_index  # the conclusion's position in the PCS, not its number
    if relation.via_inference and index is not None:
        argument = graph.document.arguments.get(relation.target)
        pcs = argument.pcs if argument is not None else []
        if 0 <= index < len(pcs) and pcs[index].role is not PcsRole.PREMISE:
            return statement_key(pcs[index].statement.title)
    return graph.representative(relation.target)


_ClaimName = str | tuple[str]  # a statement's title, or `(title,)` of an argument without a PCS


class _ClaimGraph:
    """The thesis decision's view of the claims, for ranking candidates: small ints for
    statement titles and for arguments without a PCS, with each claim's parents (the
    lines its inferences use, the claims relating to it). Plain lists: no key objects
    on large maps."""

    def __init__(self, graph: ArgumentGraph, relations: list[tuple[_ClaimName, _ClaimName]]) -> None:
        self.statement_ids: dict[str, int] = {}
        self.argument_ids: dict[tuple[str], int] = {}
        self.parents: list[list[int]] = []
        ids, statement = self.statement_ids, self.statement
        for step in graph.inferences:  # every conclusion of the map: the lookups inline
            parents = self.parents[statement(step.conclusion)]
            for title in step.premises:
                found = ids.get(title)
                parents.append(statement(title) if found is None else found)
        for source, target in relations:
            parent = self.claim(source)
            self.parents[self.claim(target)].append(parent)

    def statement(self, title: str) -> int:
        found = self.statement_ids.get(title)
        if found is None:
            found = self.statement_ids[title] = len(self.parents)
            self.parents.append([])
        return found

    def claim(self, name: _ClaimName) -> int:
        if isinstance(name, str):
            return self.statement(name)
        found = self.argument_ids.get(name)
        if found is None:
            found = self.argument_ids[name] = len(self.parents)
            self.parents.append([])
        return found


def _claim_relations(graph: ArgumentGraph) -> list[tuple[_ClaimName, _ClaimName]]:
    """(source claim, target claim) of each relation between two claims (an undercut
    too when it is a claim's own: it weakens its inference), in document order; a
    relation from an attached result adds none."""
    attached, claim_titles = graph.attached_results, graph.claim_titles
    statement, argument, undercut = ElementKind.STATEMENT, ElementKind.ARGUMENT, RelationKind.UNDERCUT
    found: list[tuple[_ClaimName, _ClaimName]] = []
    for relation in graph.document.relations:
        kind, title = relation.source_kind, relation.source
        if kind is statement and title in attached:
            continue
        source = title if kind is statement else _claim_name(claim_titles, title)
        if relation.kind is undercut and relation.target_kind is argument:
            kind, title = _undercut_claim(graph, relation)
        else:
            kind, title = relation.target_kind, relation.target
        target = title if kind is statement else _claim_name(claim_titles, title)
        if source != target or relation.kind is undercut:
            found.append((source, target))
    return found


def _claim_name(claim_titles: dict[str, str], argument: str) -> _ClaimName:
    """`ArgumentGraph.claim_of` an argument: its claim's title, else the argument's."""
    claim = claim_titles.get(argument)
    return (argument,) if claim is None else claim


def _thesis_candidates(graph: ArgumentGraph, relations: list[tuple[_ClaimName, _ClaimName]]) -> set[str]:
    """The statements that are a conclusion or a relation's target, relate to nothing
    else and are no premise. Sets of names, not the claim graph: most maps have one
    candidate, and then no ranking reads the claims' parents."""
    entry: set[_ClaimName] = {target for _, target in relations}
    out: set[_ClaimName] = {source for source, _ in relations}
    entry.update([step.conclusion for step in graph.inferences])
    premise_of, statements = graph.premise_of, graph.document.statements
    wanted = {
        title
        for title in entry
        if isinstance(title, str) and title not in out and title not in premise_of and title in statements
    }
    for step in graph.inferences:  # a line an inference uses is a premise too
        if wanted and not wanted.isdisjoint(step.premises):
            wanted.difference_update(step.premises)
    return wanted


def _automatic_thesis(graph: ArgumentGraph) -> NodeKey | None:
    """The statement that relates to nothing else, is no premise and has the most
    claims upstream (ties: top-level first, then the first written)."""
    relations = _claim_relations(graph)
    wanted = _thesis_candidates(graph, relations)
    if len(wanted) <= 1:  # one candidate or none: no ranking, no upstream counts
        return statement_key(wanted.pop()) if wanted else None
    claims = _ClaimGraph(graph, relations)
    ids, statements = claims.statement_ids, graph.document.statements
    candidates: list[tuple[int, str, EquivalenceClass, int]] = [
        (order, title, cls, ids[title])
        for order, (title, cls) in enumerate(statements.items())
        if title in wanted
    ]
    upstream = upstream_of(claims.parents, [i for *_, i in candidates])
    best: tuple[int, int, int] | None = None
    chosen: str | None = None
    for order, title, cls, i in candidates:
        rank = (upstream[i], 1 if cls.is_top_level else 0, -order)
        if best is None or rank > best:
            best, chosen = rank, title
    return None if chosen is None else statement_key(chosen)


FEW_WALKS = 8
"""Up to this many distinct parent sets among the candidate theses, each set's upstream
claims are found by a walk."""


def upstream_of(parents: list[list[int]], nodes: list[int]) -> dict[int, int]:
    """`upstream_counts` for some nodes. What reaches a node is what reaches (or is)
    one of its parents, so nodes with the same parents share one count. When the
    nodes have few distinct parent sets (one clear thesis; many claims hanging off one
    chain), one walk per set: linear. Else the masks of all nodes at once (many
    candidates sharing thousands of claims upstream, where a walk each is quadratic)."""
    groups: dict[frozenset[int], list[int]] = {}
    for node in nodes:
        groups.setdefault(frozenset(parents[node]), []).append(node)
    if len(groups) > FEW_WALKS:
        counts = upstream_counts(parents)
        return {node: counts[node] for node in nodes}
    found: dict[int, int] = {}
    for sources, members in groups.items():
        count = _walk_upstream(parents, list(sources))
        for node in members:
            found[node] = count
    return found


def _walk_upstream(parents: list[list[int]], sources: list[int]) -> int:
    """How many nodes are among `sources` or reach one of them: the upstream count of a
    node whose parents they are (itself included when it lies on a cycle)."""
    seen = bytearray(len(parents))
    stack = sources
    count = 0
    while stack:
        current = stack.pop()
        if not seen[current]:
            seen[current] = 1
            count += 1
            stack.extend(parents[current])
    return count


def _upstream_counts(parents: Mapping[_Key, Iterable[_Key]]) -> dict[_Key, int]:
    """`upstream_counts` over keyed nodes (what the tests read)."""
    nodes = list({*parents, *(p for ps in parents.values() for p in ps)})
    index_of = {node: i for i, node in enumerate(nodes)}
    counts = upstream_counts([[index_of[p] for p in parents.get(node, ())] for node in nodes])
    return dict(zip(nodes, counts, strict=True))


def upstream_counts(parents: list[list[int]]) -> list[int]:
    """For every node `i`, how many nodes reach it through `parents[i]` (itself
    included when it lies on a cycle), for all nodes at once.

    One walk per node would be quadratic on a large map (hundreds of candidate
    theses, each reaching thousands of claims). Instead each node's (on a cyclic
    graph: each strongly connected component's) upstream set is a bit mask built from
    its parents' masks, in topological order."""
    order = topological_order(parents)
    if order is None:
        return _upstream_counts_cyclic(parents)
    full = [0] * len(parents)
    counts = [0] * len(parents)
    for node in order:  # parents come first
        mask = 0
        for parent in parents[node]:
            mask |= full[parent] | (1 << parent)
        full[node] = mask
        counts[node] = mask.bit_count()
    return counts


def topological_order(parents: list[list[int]]) -> list[int] | None:
    """Kahn's algorithm, parents first; None when there is a cycle (a self-loop too)."""
    children: list[list[int]] = [[] for _ in parents]
    indegree = [len(ps) for ps in parents]
    for node, ps in enumerate(parents):
        for parent in ps:
            children[parent].append(node)
    ready = [node for node, degree in enumerate(indegree) if degree == 0]
    order: list[int] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in children[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    return order if len(order) == len(parents) else None


def _upstream_counts_cyclic(parents: list[list[int]]) -> list[int]:
    """`upstream_counts` on a graph with cycles: one mask per strongly connected component."""
    components = strong_components(parents)
    component_of = [0] * len(parents)
    for c, members in enumerate(components):
        for node in members:
            component_of[node] = c
    full: list[int] = []
    counts = [0] * len(parents)
    for c, members in enumerate(components):  # parents' components come first
        own = 0
        for node in members:
            own |= 1 << node
        mask = 0
        cyclic = len(members) > 1
        for node in members:
            for parent in parents[node]:
                d = component_of[parent]
                if d == c:
                    cyclic = True
                else:
                    mask |= full[d] | (1 << parent)
        if cyclic:
            mask |= own
        full.append(mask)
        count = mask.bit_count()
        for node in members:
            counts[node] = count
    return counts


def strong_components(parents: list[list[int]], roots: Iterable[int] | None = None) -> list[list[int]]:
    """Strongly connected components along `parents`, each after every component it
    reaches (Tarjan's algorithm without recursion), searched from `roots` in turn
    (default: every node; a node no root reaches is in no component)."""
    size = len(parents)
    low = [0] * size
    number = [-1] * size
    on_stack = [False] * size
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(size) if roots is None else roots:
        if number[root] != -1:
            continue
        work = [(root, iter(parents[root]))]
        number[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == number[node]:
                    members = []
                    while True:
                        top = stack.pop()
                        on_stack[top] = False
                        members.append(top)
                        if top == node:
                            break
                    out.append(members)
            elif number[child] == -1:
                number[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack[child] = True
                work.append((child, iter(parents[child])))
            elif on_stack[child]:
                low[node] = min(low[node], number[child])
    return out


# ---- exports -------------------------------------------------------------------------


def to_networkx(document: Document) -> nx.MultiDiGraph:
    """The argument graph as a networkx `MultiDiGraph` (the DOT and GraphML exports).

    Nodes are `NodeKey`s (equal to `("statement", title)` / `("argument", title)`) with
    attributes `kind`, `title`, `text`, `tags`, `data`, `defined` (and `top_level` on
    statements, `cluster` on arguments that have one). Edges are keyed by kind:
    one per unique written relation, with `symbol`, `line` and `via_inference`;
    `premise` edges from each PCS premise to its argument and a `conclusion` edge
    (`intermediary` for intermediate conclusions) from the argument to the statement,
    so reasoning flows premise -> argument -> conclusion -> what the conclusion supports.
    Imported lazily by its callers: networkx costs start-up time.
    """
    import networkx as nx

    graph: Any = nx.MultiDiGraph(path=document.path, mode=document.mode.value)
    for ec in document.statements.values():
        graph.add_node(
            statement_key(ec.title),
            kind="statement",
            title=ec.title,
            text=ec.text,
            tags=ec.tags,
            data=ec.data,
            defined=bool(ec.members),
            top_level=ec.is_top_level,
        )
    for argument in document.arguments.values():
        _add_argument(graph, argument)
    for relation in argument_graph(document).unique_edges:
        graph.add_edge(
            source_key(relation),
            target_key(relation),
            key=relation.kind.value,
            kind=relation.kind.value,
            symbol=relation.symbol,
            line=relation.span.line,
            via_inference=relation.via_inference,
        )
    return graph


def _add_argument(graph: Any, argument: Argument) -> None:
    here = argument_key(argument.title)
    attributes: dict[str, Any] = {}
    cluster = cluster_of(argument)
    if cluster is not None:
        attributes["cluster"] = cluster
    graph.add_node(
        here,
        kind="argument",
        title=argument.title,
        text=next((d.text for d in argument.descriptions if d.text), ""),
        tags=argument.tags,
        data=argument.data,
        defined=bool(argument.descriptions and not all(d.is_reference for d in argument.descriptions))
        or bool(argument.pcs),
        **attributes,
    )
    for member in argument.pcs:
        statement = statement_key(member.statement.title)
        if member.role is PcsRole.PREMISE:
            graph.add_edge(statement, here, key="premise", kind="premise", number=member.number)
        elif member.role is PcsRole.MAIN_CONCLUSION:
            graph.add_edge(here, statement, key="conclusion", kind="conclusion", number=member.number)
        else:
            graph.add_edge(here, statement, key="intermediary", kind="intermediary", number=member.number)


build_graph = to_networkx  # the name earlier releases exported

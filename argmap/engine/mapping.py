"""How an argument map becomes a `ScoreGraph`: one mapping, documented once, for all semantics.

* **Claims.** Every statement (equivalence class) in a PCS or a relation is a node
  `[Title]`. An argument with a premise-conclusion structure is represented by its
  main conclusion: whatever the argument does, its conclusion does. An argument
  written only as a description is a node `<Title>` of its own.
* **Bases.** A premise's base is its credence (`{credence: 0.9}`), a random input.
  A conclusion's base is *derived*: the product of the strengths of the lines its
  inference uses (`{uses: [1, 2]}`, or by default every line since the previous
  conclusion, that conclusion included) times the inference (`{inference: 0.8}`,
  1 when absent): an argument is a conjunction. A claim concluded by several
  arguments combines them by noisy-or, 1 - prod(1 - d). A claim with neither
  starts from its prior: `{prior: x}`, else 0.5 (this is the thesis's prior).
  A stated credence on a derived claim is ignored (rule C504 reports it).
* **Edges.** Support and strict-mode entailment (`+`, `+>`) are supports; attack,
  strict-mode contrariness (`-`, `->`) and contradiction (`><`) are attacks from
  the claim written first to the claim it points at (a contradiction is symmetric
  in logic, but adding the reverse edge would make every `><` a cycle; the
  coherence rule C503 checks the symmetric constraint instead).
* **Undercuts.** `_>` weakens the undercut argument's inference: the derivation's
  value is multiplied by (1 - undercutter strength) for each undercutter, so the
  weakened conclusion carries less onward, to the thesis.
* **Counted once.** A pair related in several ways by the file counts once: the
  thesis tree's `+ <Arg>` and the conclusion's own `+> [Thesis]` are one edge
  (both are "Arg's conclusion supports the thesis"); `<A> - <B>` is dropped when
  A's conclusion already attacks a statement of B's PCS (the usual derived
  relation of Argdown); an attack or support on an argument with no statement
  counterpart acts on the argument's conclusion.
* **Experiments.** A statement tagged `#experiment` that links a result file in a
  results folder (what `argmap attach --into-map` writes) relates to its claim in the
  text, but its relations add no edge: the result enters once, as a result node that
  argmap/results/engine.py adds after this mapping, not a second time as a claim.
* **Propagation.** Intermediate conclusions are claims like any other, so their
  strengths flow on in topological order (cyclic maps: to a fixpoint).
* **Thesis.** The argument graph's one decision (`argmap.graph.decide_thesis`):
  `--thesis TITLE`, else frontmatter `thesis:` (or `model: thesis:`), else a
  statement tagged `#thesis`, else the statement that relates to nothing else, is
  no premise, and has the most claims upstream of it (ties: top-level, then first).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from argmap.diagnostics import Diagnostic
from argmap.engine.qbaf import ATTACK, SUPPORT, Derivation, Edge, Node, Param, ScoreGraph
from argmap.graph import POSITIVE, InferenceStep, argument_graph
from argmap.memory import paused_gc
from argmap.model import (
    Argument,
    Document,
    ElementKind,
    PcsMember,
    Relation,
    RelationKind,
)


def _probability(value: Any) -> float | None:
    if value.__class__ is float:  # the usual case, checked first: every claim of a map comes here
        return value if 0.0 <= value <= 1.0 else None  # (NaN fails the comparison too)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0.0 <= number <= 1.0 else None


def _interval(value: Any) -> tuple[float, float] | None:
    if value is not None and isinstance(value, list | tuple) and len(value) == 2:
        lo, hi = _probability(value[0]), _probability(value[1])
        if lo is not None and hi is not None and lo <= hi:
            return (lo, hi)
    return None


def _positive(value: Any) -> float | None:
    if value is not None and isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


class _Builder:
    def __init__(self, document: Document) -> None:
        self.doc = document
        self.graph = ScoreGraph(path=document.path)
        self.argument_index: dict[str, int] = {}  # `<Title>` -> node, for arguments without a PCS
        self.statement_index: dict[str, int] = {}  # title -> node
        self.node_data: list[Mapping[str, Any] | None] = []  # each node's statement data, when it has one
        self.derivations_of: dict[str, list[int]] | None = None  # argument -> derivation indices
        self.main_derivation: dict[str, int] = {}
        self.conclusion_args: dict[str, list[str]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.arguments = argument_graph(document)
        self.statement_heads = self.arguments.statement_heads  # read once, in the graph's one walk
        self.cluster_by_argument = self.arguments.cluster_by_argument

    # ---- nodes -----------------------------------------------------------------------

    def statement(self, title: str) -> int:
        found = self.statement_index.get(title)
        return self._new_statement(title) if found is None else found

    def _new_statement(self, title: str) -> int:
        nodes = self.graph.nodes
        found = self.statement_index[title] = len(nodes)
        head = self.statement_heads.get(title)
        span, data = (None, None) if head is None else head
        nodes.append(Node(f"[{title}]", title, "statement", span=span))
        self.node_data.append(data)  # for the bases, by node: no second look-up by title
        return found

    def representative(self, argument: str) -> int:
        claim = self.arguments.claim_titles.get(argument)  # the argument's last PCS line
        if claim is not None:
            return self.statement(claim)
        key = f"<{argument}>"
        found = self.argument_index.get(key)
        if found is None:
            found = self.argument_index[key] = self._new_argument(key, argument)
        return found

    def _new_argument(self, key: str, title: str) -> int:
        """The node of an argument without a PCS."""
        arg = self.doc.arguments.get(title)
        found = self.graph.add_node(
            Node(key=key, title=title, kind="argument", span=arg.span if arg is not None else None)
        )
        self.node_data.append(None)
        return found

    def source(self, relation: Relation) -> int:
        if relation.source_kind is ElementKind.STATEMENT:
            return self.statement(relation.source)
        return self.representative(relation.source)

    # ---- derivations -----------------------------------------------------------------

    def derive(self, step: InferenceStep) -> None:
        """One conclusion's derivation: its node first, then its inference, then the
        nodes of the lines it uses (the argument graph found them, `inference_lines`)."""
        argument, member = step.argument, step.member
        node = self.statement(step.conclusion)
        param = self._inference_param(argument, member, node, step.conclusion)
        premises = [self.statement(title) for title in step.premises]
        derivations = self.graph.derivations
        k = len(derivations)
        derivations.append(
            Derivation(
                node=node,
                premises=premises,
                inference_param=param,
                argument=argument.title,
                number=member.number,
            )
        )
        if step.main:
            self.main_derivation[argument.title] = k
            self.conclusion_args.setdefault(step.conclusion, []).append(argument.title)

    def _inference(self, member: PcsMember, node: int) -> tuple[float | None, Mapping[str, Any]]:
        """`{inference: p}` on the conclusion (node `node`, or on its inference line), and
        the conclusion's data."""
        data = self.node_data[node]
        if data is None:
            data = self._statement_data(member)
        inference = data.get("inference")
        if inference is None and member.inference is not None and member.inference.data is not None:
            inference = member.inference.data.values.get("inference")
        return _probability(inference), data

    def _inference_param(self, argument: Argument, member: PcsMember, node: int, title: str) -> int | None:
        """The conclusion's inference (node `node`, titled `title`) as a random input."""
        value, data = self._inference(member, node)
        if value is None:
            return None
        return self.graph.add_param(
            Param(
                name=f"<{argument.title}> inference ({member.number})",
                kind="inference",
                mean=value,
                claim=title,
                interval=_interval(data.get("interval")),
                concentration=_positive(data.get("concentration")),
                span=member.statement.span,
            )
        )

    def _statement_data(self, member: Any = None) -> Mapping[str, Any]:
        """The data of a statement the document does not define or refer to (a model built by hand)."""
        if member is not None and member.statement.data is not None:
            return dict(member.statement.data.values)
        return {}

    # ---- bases -----------------------------------------------------------------------

    def bases(self) -> None:
        derived = {d.node for d in self.graph.derivations}
        params, node_data = self.graph.params, self.node_data
        for i, node in enumerate(self.graph.nodes):
            if i in derived:
                continue
            data = node_data[i]
            if data is None:
                data = self._node_data(node)
            credence, fixed = _stated_base(data)
            if credence is None:
                node.fixed_base = fixed
                continue
            interval, concentration = data.get("interval"), data.get("concentration")
            node.base_param = len(params)
            params.append(
                Param(
                    name=node.key,
                    kind="credence",
                    mean=credence,
                    claim=node.title,
                    interval=None if interval is None else _interval(interval),
                    concentration=None if concentration is None else _positive(concentration),
                    span=node.span,
                )
            )

    def _node_data(self, node: Node) -> Mapping[str, Any]:
        if node.kind == "statement":
            return self._statement_data()
        arg = self.doc.arguments.get(node.title)
        return arg.data if arg is not None else {}

    # ---- edges -----------------------------------------------------------------------

    def owner(self, relation: Relation) -> str:
        return self._owner_and_cluster(relation)[0]

    def _owner_and_cluster(self, relation: Relation) -> tuple[str, str | None]:
        """Who a relation belongs to (`<Argument>`, or `[Claim]` when no single argument
        concludes its source) and the cluster of the argument it comes from (a
        conclusion's: of the arguments concluding it, when they share one), else None."""
        clusters = self.cluster_by_argument
        if relation.source_kind is ElementKind.ARGUMENT:
            return f"<{relation.source}>", clusters.get(relation.source) if clusters else None
        args = self.conclusion_args.get(relation.source)
        if not args:
            return f"[{relation.source}]", None
        owner = f"<{args[0]}>" if len(args) == 1 else f"[{relation.source}]"
        if not clusters:  # a map without clusters: no look-up per edge
            return owner, None
        names = {clusters.get(a) for a in args}
        return owner, names.pop() if len(names) == 1 else None

    def edges(self) -> None:
        seen: dict[tuple[int, int, int], Edge] = {}
        undercut_seen: dict[tuple[int, int], Edge] = {}
        later: list[Relation] = []
        statement, argument, undercut = ElementKind.STATEMENT, ElementKind.ARGUMENT, RelationKind.UNDERCUT
        attached, index = self.arguments.attached_results, self.statement_index
        main_derivation = self.main_derivation
        for relation in self.doc.relations:  # every relation of the map: the common case written out
            source_kind = relation.source_kind
            if source_kind is statement and relation.source in attached:
                continue  # an `#experiment` linking an attached result: it counts through its result node
            if relation.target_kind is argument:
                # an argument with a main derivation has a PCS: it was derived from it
                if relation.kind is undercut and relation.target in main_derivation:
                    self._undercut(undercut_seen, relation)
                else:
                    later.append(relation)
                continue
            target = index.get(relation.target)
            if target is None:
                target = self._new_statement(relation.target)
            if source_kind is statement:
                src = index.get(relation.source)
                if src is None:
                    src = self._new_statement(relation.source)
            else:
                src = self.representative(relation.source)
            self._add(seen, relation, src, target)
        for relation in later:
            src = self.source(relation)
            polarity = SUPPORT if relation.kind in POSITIVE else ATTACK
            target_arg = self.doc.arguments.get(relation.target)
            if target_arg is not None and target_arg.pcs:
                pcs_nodes = {self.statement(m.statement.title) for m in target_arg.pcs}
                if any((src, t, polarity) in seen for t in pcs_nodes):
                    continue  # the statement-level relation already says this
            self._add(seen, relation, src, self.representative(relation.target))
        self.graph.edges = list(seen.values())

    def _undercut(self, undercut_seen: dict[tuple[int, int], Edge], relation: Relation) -> None:
        """An undercut of an argument with a PCS: an edge to the derivation it weakens."""
        k = self._undercut_target(relation)
        src = self.source(relation)
        if (src, k) not in undercut_seen:
            edge = Edge(
                src,
                k,
                ATTACK,
                owner=self.owner(relation),
                statement_level=relation.source_kind is ElementKind.STATEMENT,
                span=relation.span,
            )
            undercut_seen[(src, k)] = edge
            self.graph.undercuts.append(edge)
        elif relation.source_kind is ElementKind.STATEMENT:
            undercut_seen[(src, k)].statement_level = True

    def _undercut_target(self, relation: Relation) -> int:
        """The derivation an undercut weakens: the one of the conclusion below the
        inference line it is written under (`conclusion_index` is that conclusion's
        position in the PCS, not its number), else the main conclusion's."""
        number = _conclusion_number(self.doc, relation)
        if number is not None:
            derivations = self.graph.derivations
            for k in self._derivations_of().get(relation.target, []):
                if derivations[k].number == number:
                    return k
        return self.main_derivation[relation.target]

    def _derivations_of(self) -> dict[str, list[int]]:
        """Each argument's derivations (indices), read once, by the first undercut written
        under an inference line (most maps have none)."""
        if self.derivations_of is None:
            self.derivations_of = {}
            for k, derivation in enumerate(self.graph.derivations):
                self.derivations_of.setdefault(derivation.argument, []).append(k)
        return self.derivations_of

    def _add(self, seen: dict[tuple[int, int, int], Edge], relation: Relation, src: int, target: int) -> None:
        if src == target:
            return
        polarity = SUPPORT if relation.kind in POSITIVE else ATTACK
        key = (src, target, polarity)
        statement_level = relation.source_kind is ElementKind.STATEMENT
        existing = seen.get(key)
        if existing is None:
            owner, cluster = self._owner_and_cluster(relation)
            seen[key] = Edge(
                src,
                target,
                polarity,
                owner=owner,
                statement_level=statement_level,
                span=relation.span,
                cluster=cluster,
            )
        elif statement_level:
            existing.statement_level = True

    # ---- names and thesis ------------------------------------------------------------

    def displays(self) -> None:
        for title, args in self.conclusion_args.items():
            if len(args) == 1:
                self.graph.nodes[self.statement_index[title]].display = f"<{args[0]}>"

    def thesis(self, requested: str | None) -> None:
        """The argument graph's one thesis decision (argmap/graph.py), as a node here."""
        choice = self.arguments.thesis_of(requested)
        if choice.diagnostic is not None:
            self.diagnostics.append(choice.diagnostic)
        if choice.key is None:
            return
        if choice.key.is_statement:
            found = self.statement_index.get(choice.key.title)
        else:
            found = self.argument_index.get(str(choice.key))
        if found is not None:
            self.graph.thesis = found
            self.graph.nodes[found].display = ""


def _conclusion_number(document: Document, relation: Relation) -> int | None:
    """The written number of the conclusion an undercut under an inference line targets."""
    index = relation.conclusion_index
    if not relation.via_inference or index is None:
        return None
    argument = document.arguments.get(relation.target)
    if argument is None or not 0 <= index < len(argument.pcs):
        return None
    return argument.pcs[index].number


def _stated_base(data: Mapping[str, Any]) -> tuple[float | None, float]:
    """A claim's stated credence (None: none stated), and the base it starts from: that
    credence, else its `prior`, else 0.5."""
    credence = _probability(data.get("credence"))
    if credence is not None:
        return credence, credence
    prior = _probability(data.get("prior"))
    return None, 0.5 if prior is None else prior


def document_to_graph(document: Document, thesis: str | None = None) -> tuple[ScoreGraph, list[Diagnostic]]:
    """Map a parsed document to a ScoreGraph (see the module docstring). Attached
    experimental results are added afterwards, by `argmap.results.rescore.graph_for`."""
    with paused_gc():
        return _build(document, thesis)


def _build(document: Document, thesis: str | None) -> tuple[ScoreGraph, list[Diagnostic]]:
    builder = _Builder(document)
    _claims(builder)
    builder.displays()
    builder.thesis(thesis)
    return builder.graph, builder.diagnostics


def _claims(builder: _Builder) -> None:
    for step in builder.arguments.inferences:
        builder.derive(step)
    builder.edges()  # the claims that only appear in relations get their nodes there too
    builder.bases()


class StrengthInputs(NamedTuple):
    """The mapping as `pointvalue.logodds_strengths(graph, base=base)` reads it: `graph`
    holds the derivations (their inferences in `params`), edges and undercuts but no
    nodes; node `i` is statement `titles[i]` (None: an argument without a PCS) and
    starts from `base[i]`; `statement_index` is each statement's node, by title."""

    graph: ScoreGraph
    titles: list[str | None]
    base: list[float]
    statement_index: dict[str, int]


def strength_inputs(document: Document) -> StrengthInputs:
    """The mapping of `document_to_graph`, reduced to what point strengths need (the
    coherence rules, on every `argmap check`): the same nodes, derivations and edges
    in the same order, without the objects, names and spans only `argmap score`
    shows, and without the thesis."""
    with paused_gc():
        builder = _StrengthBuilder(document)
        _claims(builder)
        return StrengthInputs(builder.graph, builder.titles, builder.base, builder.statement_index)


class _StrengthBuilder(_Builder):
    """`_Builder` with a node kept as its title and a base as its number: on a large
    map the `Node` and credence `Param` objects were a third of the mapping's time."""

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.titles: list[str | None] = []
        self.base: list[float] = []

    def _new_statement(self, title: str) -> int:
        found = self.statement_index[title] = len(self.titles)
        head = self.statement_heads.get(title)
        self.titles.append(title)
        self.node_data.append(None if head is None else head[1])
        return found

    def _new_argument(self, key: str, title: str) -> int:
        arg = self.doc.arguments.get(title)
        self.titles.append(None)
        self.node_data.append(arg.data if arg is not None else {})  # what `bases` reads for it
        return len(self.titles) - 1

    def _inference_param(self, argument: Argument, member: PcsMember, node: int, title: str) -> int | None:
        value, _ = self._inference(member, node)
        return None if value is None else self.graph.add_param(Param("", "inference", value))

    def _owner_and_cluster(self, relation: Relation) -> tuple[str, str | None]:
        """Only the cluster: no owner is shown (`Edge.owner` stays empty)."""
        return "", super()._owner_and_cluster(relation)[1] if self.cluster_by_argument else None

    def bases(self) -> None:
        """Each node's base as `_Builder.bases` decides it: credence, else prior, else
        0.5 (a derived node's is never read: 0.5, a `Node`'s default, its data unread)."""
        node_data = self.node_data
        base = self.base
        base.extend([0.5] * len(node_data))
        derived = bytearray(len(node_data))
        for derivation in self.graph.derivations:
            derived[derivation.node] = 1
        for i, data in enumerate(node_data):
            if data is None or derived[i]:
                continue
            credence = data.get("credence")
            if credence.__class__ is float and 0.0 <= credence <= 1.0:  # the usual claim, as `_stated_base`
                base[i] = credence
            else:
                base[i] = _stated_base(data)[1]

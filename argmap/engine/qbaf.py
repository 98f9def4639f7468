"""Graphs the engine scores: a plain QBAF, and the `ScoreGraph` every semantics runs on.

A *QBAF* (quantitative bipolar argumentation framework) is a set of arguments, each
with a base score in [0, 1], and two edge lists, attacks and supports. It is what
gradual-semantics papers and tools (Uncertainpy, QBAF-Py) work with, and what a
`.bag` file holds::

    arg(a, 0.5).      % argument a, base score 0.5
    att(b, a).        % b attacks a
    sup(c, a).        % c supports a

A *ScoreGraph* is a QBAF extended with what an argument map needs: a claim's base
score can be *derived* (a conclusion's base is the product of its premises'
strengths times the inference), an undercut weakens one derivation, and every
number that comes from the author (a credence, an inference) is a `Param` that the
Monte Carlo layer can sample and the what-if layer can change. A plain QBAF is a
ScoreGraph without derivations. This module is pure Python: no numpy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from argmap.diagnostics import WHOLE_FILE, Diagnostic, Level
from argmap.model import Span

SUPPORT = 1
ATTACK = -1


@dataclass(slots=True)
class Param:
    """One number the author stated: a credence, an inference strength, or a base score.

    `interval` is the author's own 90% interval when given (`{credence: 0.7,
    interval: [0.6, 0.8]}`); `concentration` overrides the default Beta concentration.
    """

    name: str
    kind: str  # "credence" | "inference" | "base"
    mean: float
    claim: str = ""
    interval: tuple[float, float] | None = None
    concentration: float | None = None
    span: Span | None = None


@dataclass(slots=True)
class Node:
    """A claim of the graph. Its base is a param, a fixed number (a prior), or derived."""

    key: str  # unique: "[Title]", "<Title>" or the .bag name
    title: str
    kind: str  # "statement" | "argument" | "bag"
    base_param: int | None = None
    fixed_base: float = 0.5
    display: str = ""  # how explanations name it: "<Argument>" when it is one's conclusion
    span: Span | None = None

    @property
    def label(self) -> str:
        return self.display or self.key


@dataclass(slots=True)
class Derivation:
    """`node`'s base from one inference: product of `premises`' strengths x inference."""

    node: int
    premises: list[int]
    inference_param: int | None
    argument: str = ""
    number: int = 0


@dataclass(slots=True)
class Edge:
    """A support (+1) or attack (-1) from `source` to `target` (node indices), or, in
    `ScoreGraph.undercuts`, an undercut from `source` to derivation `target`.

    `owner` names what removing it means to a user (`<Argument>` or `[Claim]`);
    `statement_level` is true when the text relates two statements (vargdown only
    reads those)."""

    source: int
    target: int
    polarity: int
    owner: str = ""
    statement_level: bool = True
    span: Span | None = None
    cluster: str | None = None  # `#cluster-NAME` of the argument it comes from


@dataclass
class ScoreGraph:
    nodes: list[Node] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    derivations: list[Derivation] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    undercuts: list[Edge] = field(default_factory=list)
    thesis: int | None = None
    path: str = ""
    rho_param: int | None = None  # correlation among co-target arguments (argmap/engine/correlation.py)

    def index(self) -> dict[str, int]:
        return {node.key: i for i, node in enumerate(self.nodes)}

    def add_node(self, node: Node) -> int:
        self.nodes.append(node)
        return len(self.nodes) - 1

    def add_param(self, param: Param) -> int:
        self.params.append(param)
        return len(self.params) - 1

    @property
    def players(self) -> dict[str, list[int]]:
        """What can be removed, by name -> indices into `edges + undercuts` (undercuts
        numbered after the edges): every argument or claim that relates to something."""
        groups: dict[str, list[int]] = {}
        for i, edge in enumerate(self.edges):
            groups.setdefault(edge.owner or self.nodes[edge.source].label, []).append(i)
        offset = len(self.edges)
        for j, edge in enumerate(self.undercuts):
            groups.setdefault(edge.owner or self.nodes[edge.source].label, []).append(offset + j)
        return groups


# ---- plain QBAF and the .bag format ------------------------------------------------------


@dataclass
class QBAF:
    """A plain QBAF: named arguments with base scores, attack and support edges."""

    arguments: dict[str, float] = field(default_factory=dict)
    attacks: list[tuple[str, str]] = field(default_factory=list)
    supports: list[tuple[str, str]] = field(default_factory=list)

    def to_graph(self, path: str = "", thesis: str | None = None) -> ScoreGraph:
        graph = ScoreGraph(path=path)
        index: dict[str, int] = {}
        for name, base in self.arguments.items():
            p = graph.add_param(Param(name=name, kind="base", mean=base, claim=name))
            index[name] = graph.add_node(Node(key=name, title=name, kind="bag", base_param=p))
        seen: set[tuple[int, int, int]] = set()
        for pairs, polarity in ((self.supports, SUPPORT), (self.attacks, ATTACK)):
            for source, target in pairs:
                key = (index[source], index[target], polarity)
                if key not in seen:
                    seen.add(key)
                    graph.edges.append(Edge(index[source], index[target], polarity, owner=source))
        if thesis is not None and thesis in index:
            graph.thesis = index[thesis]
        else:
            graph.thesis = _default_bag_thesis(graph)
        return graph


def _default_bag_thesis(graph: ScoreGraph) -> int | None:
    """The argument with the most ancestors among those that relate to nothing."""
    if not graph.nodes:
        return None
    parents: dict[int, list[int]] = {}
    has_out: set[int] = set()
    for edge in graph.edges:
        parents.setdefault(edge.target, []).append(edge.source)
        has_out.add(edge.source)
    best, best_count = 0, -1
    for i in range(len(graph.nodes)):
        if i in has_out:
            continue
        seen: set[int] = set()
        stack = list(parents.get(i, []))
        while stack:
            j = stack.pop()
            if j not in seen:
                seen.add(j)
                stack.extend(parents.get(j, []))
        if len(seen) > best_count:
            best, best_count = i, len(seen)
    return best


_FACT = re.compile(r"\s*([A-Za-z_]+)\s*\(([^()]*)\)\s*\.?\s*")
_NAME = re.compile(r"^[^\s,()]+$")


def parse_bag(text: str, path: str = "<bag>") -> tuple[QBAF, list[Diagnostic]]:
    """Read Uncertainpy's `.bag` format. Bad lines become `B1xx` diagnostics, never
    exceptions: B101 unreadable fact, B102 unknown predicate, B103 base score not a
    number in [0, 1], B104 argument declared twice, B105 edge to an undeclared argument.
    Edges may name arguments declared further down. `%` and `#` start comments."""
    reader = _BagReader(path)
    for number, raw in enumerate(text.splitlines(), start=1):
        reader.read_line(number, re.split(r"[%#]", raw, maxsplit=1)[0])
    reader.add_edges()
    return reader.qbaf, reader.diagnostics


class _BagReader:
    """One `.bag` file, fact by fact (see `parse_bag`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.qbaf = QBAF()
        self.diagnostics: list[Diagnostic] = []
        self.pending: list[tuple[str, str, str, int, int]] = []

    def report(self, code: str, where: tuple[int, int, int], message: str, hint: str) -> None:
        line, column, width = where
        span = Span(line=line, column=column, end_line=line, end_column=column + max(1, width))
        self.diagnostics.append(Diagnostic.at(code, Level.ERROR, message, self.path, span, hint))

    def read_line(self, number: int, line: str) -> None:
        position = 0
        while position < len(line) and line[position:].strip():
            match = _FACT.match(line, position)
            column = len(line) - len(line.lstrip()) + 1 if position == 0 else position + 1
            if match is None:
                rest = line[position:].strip()
                self.report(
                    "B101",
                    (number, column, len(rest)),
                    f"cannot read `{rest}`",
                    "write facts as `arg(name, 0.5).`, `att(a, b).` or `sup(a, b).`",
                )
                return
            predicate, args_text = match.group(1), match.group(2)
            where = (number, column, match.end() - match.start())
            if predicate == "arg":
                self.declare(args_text, where)
            elif predicate in ("att", "sup"):
                self.relate(predicate, args_text, where)
            else:
                self.report(
                    "B102",
                    (number, column, len(predicate)),
                    f"unknown fact `{predicate}`",
                    "a .bag file only holds `arg`, `att` and `sup` facts",
                )
            position = match.end()

    def declare(self, args_text: str, where: tuple[int, int, int]) -> None:
        args = [a.strip() for a in args_text.split(",")]
        if len(args) != 2 or not _NAME.match(args[0]):
            self.report(
                "B101", where, f"`arg({args_text})` needs a name and a base score", "write `arg(name, 0.5).`"
            )
            return
        try:
            base = float(args[1])
        except ValueError:
            base = float("nan")
        if not 0.0 <= base <= 1.0:
            self.report(
                "B103",
                where,
                f"base score of `{args[0]}` must be a number in [0, 1], got `{args[1]}`",
                "base scores are probabilities-like numbers from 0 to 1",
            )
        elif args[0] in self.qbaf.arguments:
            self.report(
                "B104",
                where,
                f"argument `{args[0]}` is declared twice",
                "keep one `arg(...)` fact per argument",
            )
        else:
            self.qbaf.arguments[args[0]] = base

    def relate(self, predicate: str, args_text: str, where: tuple[int, int, int]) -> None:
        args = [a.strip() for a in args_text.split(",")]
        if len(args) != 2 or not all(_NAME.match(a) for a in args):
            self.report(
                "B101",
                where,
                f"`{predicate}({args_text})` needs two argument names",
                f"write `{predicate}(source, target).`",
            )
            return
        self.pending.append((predicate, args[0], args[1], where[0], where[1]))

    def add_edges(self) -> None:
        """Edges once every argument is declared (they may name later ones)."""
        for predicate, source, target, number, column in self.pending:
            missing = [name for name in (source, target) if name not in self.qbaf.arguments]
            if missing:
                self.report(
                    "B105",
                    (number, column, len(predicate)),
                    f"`{missing[0]}` is not declared with `arg(...)`",
                    f"add `arg({missing[0]}, 0.5).`",
                )
                continue
            (self.qbaf.attacks if predicate == "att" else self.qbaf.supports).append((source, target))


def read_bag(path: str | Path) -> tuple[QBAF, list[Diagnostic]]:
    name = str(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        hint = "check the path and its permissions"
        return QBAF(), [
            Diagnostic.at("F001", Level.ERROR, f"cannot read file: {exc}", name, WHOLE_FILE, hint)
        ]
    return parse_bag(text, name)

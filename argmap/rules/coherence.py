"""Coherence of the numbers (`C5xx`): do the computed credences respect the logic the map states?

In strict mode (`model: mode: strict`) a relation between two statements is logic:
`+` / `+>` is entailment, `-` / `->` contrariness, `><` contradiction (in both modes).
Probabilities must respect these: if A entails B then P(B) >= P(A); contraries cannot
both be true, so P(A) + P(B) <= 1; contradictories have P(A) + P(B) = 1. C501-C503
compare the credences `argmap score` computes (default semantics `logodds`, at the
stated values, every claim's strength after its supports and attacks) with these
constraints, allowing a slack of `[tool.argmap.coherence] tolerance` (default 0.05:
credences are stated to about two decimals). C504 reports a credence that the
engine ignores because the claim is computed from an argument.

The numbers come from `argmap.engine.pointvalue` (pure Python): `argmap check` does
not import numpy or scipy, and builds no score graph at all for a map without
entailment, contrariness or contradiction between statements.

The codes that `argmap score` reports itself (C590, C591, and B101-B105 for `.bag`
input) are registered here too, so `argmap rule CODE` explains them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from argmap.diagnostics import Diagnostic
from argmap.graph import argument_graph
from argmap.model import ElementKind, Relation, RelationKind
from argmap.rules.registry import Context, document_code, rule
from argmap.rules.vargdown import index

if TYPE_CHECKING:
    from argmap.engine.mapping import StrengthInputs

_MODULE = __name__
_LOGICAL = {RelationKind.ENTAILS, RelationKind.CONTRARY, RelationKind.CONTRADICTION}


@dataclass
class _Scores:
    """Computed credences of the claims that logical relations connect."""

    index: dict[str, int]  # statement title -> its node
    values: list[float]  # node -> strength (logodds, stated values)
    inputs: StrengthInputs
    pairs: dict[RelationKind, list[Relation]]  # first relation of each pair, by kind

    @cached_property
    def attack_edges(self) -> set[tuple[str, str]]:
        """(source title, target title) of the graph's attack edges (C503 reads them,
        so on a map without contradictions they are never listed)."""
        titles = self.inputs.titles
        found: set[tuple[str, str]] = set()
        for e in self.inputs.graph.edges:
            source, target = titles[e.source], titles[e.target]
            if e.polarity < 0 and source is not None and target is not None:
                found.add((source, target))
        return found


def _pairs(ctx: Context) -> dict[RelationKind, list[Relation]]:
    pairs: dict[RelationKind, list[Relation]] = {}
    seen: set[tuple[RelationKind, str, str]] = set()
    statement, entails = ElementKind.STATEMENT, RelationKind.ENTAILS
    for relation in ctx.document.relations:  # every relation of the map comes here
        kind, source, target = relation.kind, relation.source, relation.target
        if kind not in _LOGICAL or source == target:
            continue
        if relation.source_kind is not statement or relation.target_kind is not statement:
            continue
        # contrariness and contradiction are symmetric: their pair in order
        key = (kind, source, target) if kind is entails or source < target else (kind, target, source)
        if key not in seen:
            seen.add(key)
            pairs.setdefault(kind, []).append(relation)
    return pairs


def _compute(ctx: Context) -> _Scores | None:
    pairs = _pairs(ctx)
    if not pairs:
        return None  # nothing to compare: no score graph, no engine
    from argmap.engine.mapping import strength_inputs
    from argmap.engine.pointvalue import logodds_strengths

    inputs = strength_inputs(ctx.document)  # the score graph's numbers, not its objects
    values = logodds_strengths(inputs.graph, base=inputs.base)
    if values is None:
        return None  # a cycle that does not settle: `argmap score` reports C591
    return _Scores(inputs.statement_index, values, inputs, pairs)


def scores(ctx: Context) -> _Scores | None:
    result: _Scores | None = ctx.cached("coherence-scores", lambda: _compute(ctx))
    return result


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-min(700.0, max(-700.0, x))))


def _logit(p: float) -> float:
    q = min(1.0 - 1e-9, max(1e-9, p))
    return math.log(q / (1.0 - q))


Judge = Callable[[_Scores, Relation, float, float, float], str | None]


def _findings(ctx: Context, code: str, kind: RelationKind, judge: Judge, hint: str) -> Iterator[Diagnostic]:
    """What C501-C503 share: each first relation of `kind` between two scored claims,
    judged on their credences (`judge` returns the message of a finding, or None)."""
    s = scores(ctx)
    if s is None:
        return
    slack, index, values = ctx.settings.coherence_tolerance, s.index, s.values
    for relation in s.pairs.get(kind, []):  # both ends' strengths, by node (every pair comes here)
        source, target = index.get(relation.source), index.get(relation.target)
        if source is not None and target is not None:
            message = judge(s, relation, values[source], values[target], slack)
            if message is not None:
                yield ctx.diagnostic(code, relation.span, message, hint)


@rule(code="C501", name="entailed-scores-lower", level="warning")
def entailed_scores_lower(ctx: Context) -> Iterator[Diagnostic]:
    """A claim scores below a claim that entails it.

    **What it checks.** For every entailment between statements (`+` or `+>` in
    strict mode), the entailed claim's computed credence is at least the entailing
    claim's, less the tolerance (`[tool.argmap.coherence] tolerance`, default 0.05).
    Credences are those `argmap score` computes (default semantics, stated values).

    **Why it matters.** If A entails B, B is true whenever A is, so P(B) >= P(A). A
    map in which B ends up less likely than A contradicts its own logic: either the
    relation is not an entailment (A only makes B likelier), or attacks on B are
    overweighted, or A's numbers are too high.

    ```argdown
    ===
    model:
        mode: strict
    ===

    [Rain Likely]: Rain is likely this afternoon. {credence: 0.8}
      +> [Wet Grass]

    [Wet Grass]: The grass will be wet.
      - [Sprinklers Off]: The sprinklers are off today. {credence: 0.9}
    ```

    Fixed (the sprinklers do not matter if it rains, so the attack goes; and wet grass,
    which has causes besides rain, starts from its own prior, not from 0.5):

    ```argdown
    ===
    model:
        mode: strict
    ===

    [Rain Likely]: Rain is likely this afternoon. {credence: 0.8}
      +> [Wet Grass]

    [Wet Grass]: The grass will be wet. {prior: 0.7}
    ```
    """
    yield from _findings(
        ctx,
        "C501",
        RelationKind.ENTAILS,
        _entailed_lower,
        "an entailed claim is at least as likely as what entails it: lower the entailing "
        "claim's numbers, weaken the attacks on the entailed one, or, if it only makes it "
        "likelier, relate them through an argument",
    )


def _entailed_lower(s: _Scores, relation: Relation, a: float, b: float, slack: float) -> str | None:
    if b >= a - slack:
        return None
    return (
        f"[{relation.source}] entails [{relation.target}], but [{relation.target}] scores "
        f"{b:.3f}, below [{relation.source}]'s {a:.3f}"
    )


@rule(code="C502", name="contraries-above-one", level="warning")
def contraries_above_one(ctx: Context) -> Iterator[Diagnostic]:
    """Two contrary claims whose credences sum above 1.

    **What it checks.** For every contrariness between statements (`-` or `->` in
    strict mode: they cannot both be true), the two computed credences sum to at most
    1 plus the tolerance (`[tool.argmap.coherence] tolerance`, default 0.05).

    **Why it matters.** Claims that exclude each other cannot together be more than
    certain: P(A) + P(B) <= 1. A larger sum means at least one of them is
    overrated, or they are not really contraries (both can be true).

    ```argdown
    ===
    model:
        mode: strict
    ===
    [Dry Day]: It stays dry all day. {credence: 0.7}
      - [Shower]: A shower hits the park. {credence: 0.6}
    ```

    Fixed (0.7 + 0.3 leaves no room for both):

    ```argdown
    [Dry Day]: It stays dry all day. {credence: 0.7}
      - [Shower]: A shower hits the park. {credence: 0.3}
    ```
    """
    yield from _findings(
        ctx,
        "C502",
        RelationKind.CONTRARY,
        _contraries_above_one,
        "contrary claims cannot both be true: lower one of them, or relate them as "
        "support/attack through an argument if both can hold",
    )


def _contraries_above_one(s: _Scores, relation: Relation, a: float, b: float, slack: float) -> str | None:
    if a + b <= 1.0 + slack:
        return None
    return (
        f"[{relation.source}] and [{relation.target}] are contraries, but their credences "
        f"sum to {a + b:.3f} ({a:.3f} + {b:.3f}), above 1"
    )


@rule(code="C503", name="contradictories-not-one", level="warning")
def contradictories_not_one(ctx: Context) -> Iterator[Diagnostic]:
    """Two contradictory claims whose credences do not sum to 1.

    **What it checks.** For every contradiction (`><`), the two credences sum to 1
    within the tolerance (`[tool.argmap.coherence] tolerance`, default 0.05). The
    engine scores `A >< B` as an attack of A on B (the reverse edge would make
    every contradiction a cycle); this rule checks the symmetric constraint instead,
    so it compares B's credence *before* that attack (its strength with the
    contradiction's own push taken out) with A's.

    **Why it matters.** Of two contradictories exactly one is true: P(A) + P(B) = 1.
    A sum below 1 leaves probability for "neither", which contradictories exclude
    (often the claims are only contraries: both can be false); a sum above 1 rates
    both too high.

    ```argdown
    [Front Stalls]: The front does not reach the park before 16:00. {credence: 0.5}
      >< [Front Arrives]: The front reaches the park before 16:00. {credence: 0.3}
    ```

    Fixed (or, if the front could also arrive later, write `-` for contraries):

    ```argdown
    [Front Stalls]: The front does not reach the park before 16:00. {credence: 0.7}
      >< [Front Arrives]: The front reaches the park before 16:00. {credence: 0.3}
    ```
    """
    yield from _findings(
        ctx,
        "C503",
        RelationKind.CONTRADICTION,
        _contradictories_not_one,
        "exactly one of two contradictories is true: make the credences add up to 1, or "
        "write `-` (contraries) if both can be false",
    )


def _contradictories_not_one(s: _Scores, relation: Relation, a: float, b: float, slack: float) -> str | None:
    # undo the attack edge(s) that stand in for the contradiction
    if (relation.source, relation.target) in s.attack_edges:
        b = _sigmoid(_logit(b) + a)
    if (relation.target, relation.source) in s.attack_edges:
        a = _sigmoid(_logit(a) + s.values[s.index[relation.target]])
    total = a + b
    if abs(total - 1.0) <= slack:
        return None
    return (
        f"[{relation.source}] and [{relation.target}] are contradictories, but their credences "
        f"sum to {total:.3f} ({a:.3f} + {b:.3f}), not 1"
    )


@rule(code="C504", name="credence-on-computed-claim", level="warning")
def credence_on_computed_claim(ctx: Context) -> Iterator[Diagnostic]:
    """A stated credence on a claim whose credence is computed from an argument.

    **What it checks.** A statement that some argument concludes (a main or
    intermediary conclusion) carries no `credence` on any other occurrence: where it
    is defined on its own, used in a relation, or used as a premise of another
    argument. (A credence on the conclusion line itself is `V207`.)

    **Why it matters.** `argmap score` computes a concluded claim's credence from the
    argument (premises x inference) and ignores a stated one, so the number in the
    file is not the number the map uses, and a reader is misled.

    ```argdown
    <Forecast Says Dry>

    (1) [Forecast]: The bulletin gives 20 percent rain. #observation {reason: "...", credence: 0.9}
    ----
    (2) [Rain Unlikely]: Rain is unlikely. {reason: "...", inference: 0.8}

    <Picnic Plan>

    (1) [Rain Unlikely]: Rain is unlikely. {credence: 0.9}
    (2) [Park Booked]: The park is booked. #observation {reason: "...", credence: 0.95}
    ----
    (3) [Picnic Happens]: The picnic happens. {reason: "...", inference: 0.9}
    ```

    Fixed (the premise takes the computed value; change the inference to change it):

    ```argdown
    <Forecast Says Dry>

    (1) [Forecast]: The bulletin gives 20 percent rain. #observation {reason: "...", credence: 0.9}
    ----
    (2) [Rain Unlikely]: Rain is unlikely. {reason: "...", inference: 0.8}

    <Picnic Plan>

    (1) [Rain Unlikely]
    (2) [Park Booked]: The park is booked. #observation {reason: "...", credence: 0.95}
    ----
    (3) [Picnic Happens]: The picnic happens. {reason: "...", inference: 0.9}
    ```
    """
    document = ctx.document
    found = index(ctx)  # the conclusions, collected in the vargdown rules' one walk over every PCS
    conclusion_lines, concluded = found.conclusion_statements, found.concluded
    heads = argument_graph(document).statement_heads
    for title, name in concluded.items():
        head = heads.get(title)
        if head is None or "credence" not in head[1]:
            continue  # no occurrence states a credence: its data merged over them has none
        ec = document.statements[title]
        for occurrence in (*ec.members, *ec.references):
            if id(occurrence) in conclusion_lines:  # V207's (checked first: no read of the line)
                continue
            data = occurrence.data
            if data is None or "credence" not in data.values:
                continue
            yield ctx.diagnostic(
                "C504",
                data.key_spans.get("credence", data.span),
                f"[{title}] states credence {data.values['credence']!r}, but its credence is computed "
                f"from <{name}>; the stated number is ignored",
                f"remove the credence; to change the value, change <{name}>'s premises or inference",
            )


_ENTRIES: list[tuple[str, str, str, str]] = [
    (
        "C590",
        "no-thesis",
        "error",
        """`argmap score` found no thesis to score, or `--thesis` names no claim of the map.

    Reported by `argmap score` (exit status 1). Without `--thesis` the thesis is
    frontmatter `thesis:`, else a statement tagged `#thesis`, else the statement that
    relates to nothing else, is no premise and has the most claims upstream. A map
    in which nothing supports or attacks anything has none.

    ```sh
    argmap score examples/picnic/thesis.argdown --thesis "Picnic Stays Dry"
    ```""",
    ),
    (
        "C591",
        "no-convergence",
        "error",
        """The semantics did not converge on a cyclic map: no number is given.

    Reported by `argmap score` (exit status 1). A cyclic map is iterated to a
    fixpoint (Jacobi steps, then the continuous dynamics of Potyka 2018 with RK4),
    tolerance 1e-10, with an iteration limit. Some semantics oscillate on some
    cycles (e.g. two claims that attack each other strongly under DF-QuAD); the
    result is then this diagnostic, not a hang and not a wrong number. Try another
    `--semantics` (`logodds` and `qe` converge on most cycles) or break the cycle.""",
    ),
    (
        "B101",
        "bag-unreadable-fact",
        "error",
        """A line of a `.bag` file that is not a fact `pred(args).`.

    `argmap score graph.bag` reads Uncertainpy's format: `arg(name, 0.5).`,
    `att(a, b).` (a attacks b), `sup(a, b).` (a supports b); `%` and `#` start comments.

    ```
    arg(a 0.5)      % bad: no comma
    arg(a, 0.5).    % fixed
    ```""",
    ),
    (
        "B102",
        "bag-unknown-predicate",
        "error",
        """A fact other than `arg`, `att` or `sup` in a `.bag` file.

    ```
    attack(b, a).   % bad
    att(b, a).      % fixed
    ```""",
    ),
    (
        "B103",
        "bag-base-out-of-range",
        "error",
        """A base score in a `.bag` file that is not a number in [0, 1].

    ```
    arg(a, 80).     % bad
    arg(a, 0.8).    % fixed
    ```""",
    ),
    (
        "B104",
        "bag-duplicate-argument",
        "error",
        """An argument declared twice with `arg(...)` in a `.bag` file.

    The first declaration is kept; delete the other.""",
    ),
    (
        "B105",
        "bag-undeclared-argument",
        "error",
        """An `att` or `sup` edge that names an argument no `arg(...)` declares.

    Edges may name arguments declared further down the file, but every name must be
    declared somewhere.

    ```
    att(c, a).      % bad: c is not declared
    arg(c, 0.5).    % fixed: declare it
    ```""",
    ),
]

for _code, _name, _level, _doc in _ENTRIES:
    document_code(_code, _name, _level, _doc, module=_MODULE)

"""Graph defects (`G3xx`): references, definitions, cycles, and how arguments connect.

The definitions of *thesis*, an argument's *effects* and *declared* relations are
in `argmap.rules._graph`; docs/rules.md repeats them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Iterator

from argmap.diagnostics import Diagnostic, Level
from argmap.graph import NodeKey, argument_graph, argument_key, statement_key, target_key
from argmap.model import (
    Argument,
    EquivalenceClass,
    Mode,
    PcsMember,
    PcsRole,
    Relation,
    RelationKind,
    Span,
    Statement,
)
from argmap.rules._graph import (
    Facts,
    Node,
    cycle_path,
    show,
    support_cycles,
    support_edges,
)
from argmap.rules.registry import Context, rule
from argmap.rules.vargdown import facts, first_line, head

_TAG = re.compile(r"(?<![^\s(])#(?:\([^)\n]+\)|[\w\-]+)")
_SPACE = re.compile(r"\s+")


def _suggest(title: str, candidates: list[str]) -> list[str]:
    if len(candidates) > 20_000:  # keep did-you-mean cheap on huge maps
        candidates = [c for c in candidates if c[:1].lower() == title[:1].lower()]
    return difflib.get_close_matches(title, candidates, n=3, cutoff=0.75)


def _uses(occurrences: list[Statement]) -> str:
    lines = sorted({o.span.line for o in occurrences})
    if len(lines) == 1:
        return f"line {lines[0]}"
    return "lines " + ", ".join(str(line) for line in lines[:5]) + (", ..." if len(lines) > 5 else "")


@rule(code="G301", name="undefined-statement", level="error")
def undefined_statement(ctx: Context) -> Iterator[Diagnostic]:
    """A statement `[Title]` that is used but never defined.

    **What it checks.** Every statement title that appears (in a relation, a tree,
    a PCS) has at least one definition `[Title]: text` somewhere. The hint suggests
    close titles, also across brackets: `+> [X]` where only an argument `<X>`
    exists is a common slip.

    **Why it matters.** An undefined statement is an empty node: a relation to it
    goes nowhere, and Argdown silently creates it. Usually the title has a typo or
    the wrong brackets.

    ```argdown
    <Rotations Work>: ...
    (2) [Small Rotations Suffice]: ...
      +> [Orthogonal Preservation]
    ```

    Fixed (the target is the argument `<Orthogonal Preservation>`):

    ```argdown
    (2) [Small Rotations Suffice]: ...
      +> <Orthogonal Preservation>
    ```
    """
    document = ctx.document
    # the argument graph's walk over the statements found them
    undefined = [(t, document.statements[t]) for t in argument_graph(document).undefined_statements]
    if not undefined:
        return
    defined = [t for t, ec in document.statements.items() if ec.members]
    arguments = [t for t, a in document.arguments.items() if _is_defined(a)]
    for title, ec in undefined:
        first = ec.references[0]
        other_kind = title in document.arguments and _is_defined(document.arguments[title])
        hints = _did_you_mean(
            statement_key(title), other_kind, defined, arguments, f"define it somewhere: [{title}]: text"
        )
        yield ctx.diagnostic(
            "G301",
            head(first),
            f"statement [{title}] is never defined (used at {_uses(ec.references)})",
            "; ".join(hints),
        )


def _member_used(
    f: Facts, argument: Argument, member: PcsMember, statements: dict[str, EquivalenceClass]
) -> bool:
    """Does this PCS statement connect the argument to the rest of the map?"""
    title = member.statement.title
    if f.relations_of(statement_key(title)):
        return True
    if member.role is PcsRole.PREMISE:
        return title in f.conclusion_of
    if member is argument.conclusion:
        return title in f.premise_of or (title in statements and statements[title].is_top_level)
    return False


def _is_defined(argument: Argument) -> bool:
    return bool(argument.pcs) or any(not d.is_reference for d in argument.descriptions)


def _lone_argument(arguments: Iterable[Argument], top_level: Collection[str]) -> bool:
    """Is the map one argument and nothing else (no other argument, no top-level
    statement outside its premise-conclusion structure)?"""
    defined: list[Argument] = []
    for argument in arguments:
        if _is_defined(argument):
            defined.append(argument)
            if len(defined) > 1:  # a large map stops here, at its second argument
                return False
    if len(defined) != 1:
        return False
    in_pcs = {member.statement.title for member in defined[0].pcs}
    return all(title in in_pcs for title in top_level)


@rule(code="G302", name="undefined-argument", level="error")
def undefined_argument(ctx: Context) -> Iterator[Diagnostic]:
    """An argument `<Title>` that is used but never defined.

    **What it checks.** Every argument title that appears has a description
    `<Title>: text` or a premise-conclusion structure. The hint suggests close
    titles, also across brackets (`<X>` where only a statement `[X]` exists).

    **Why it matters.** A relation to an undefined argument carries no premises, no
    conclusion and no weight; usually the title has a typo.

    ```argdown
    [Thesis]: T.
      + <Forcast Says Dry>

    <Forecast Says Dry>: The bulletin says dry.
    ```

    Fixed:

    ```argdown
    [Thesis]: T.
      + <Forecast Says Dry>

    <Forecast Says Dry>: The bulletin says dry.
    ```
    """
    document = ctx.document
    undefined = [(t, document.arguments[t]) for t in argument_graph(document).undefined_arguments]
    if not undefined:
        return
    arguments = [t for t, a in document.arguments.items() if _is_defined(a)]
    statements = [t for t, ec in document.statements.items() if ec.members]
    for title, argument in undefined:
        first = argument.descriptions[0]
        ec = document.statements.get(title)
        hints = _did_you_mean(
            argument_key(title),
            ec is not None and bool(ec.members),
            arguments,
            statements,
            f"define it: <{title}>: text, followed by its premise-conclusion structure",
        )
        lines = sorted({d.span.line for d in argument.descriptions})
        where = f"line {lines[0]}" if len(lines) == 1 else "lines " + ", ".join(map(str, lines[:5]))
        yield ctx.diagnostic(
            "G302",
            first.title_span or first_line(ctx, first.span),
            f"argument <{title}> is never defined (used at {where})",
            "; ".join(hints),
        )


def _did_you_mean(
    used: NodeKey, other_kind_exists: bool, same_kind: list[str], other_kind: list[str], fallback: str
) -> list[str]:
    """Hints for an undefined statement or argument (G301, G302): the same title in the
    other brackets, close titles in the same brackets, else close ones in the other."""
    other = argument_key(used.title) if used.is_statement else statement_key(used.title)
    noun = "argument" if used.is_statement else "statement"
    hints: list[str] = []
    if other_kind_exists:
        hints.append(f"did you mean the {noun} {other}? write `{other}` instead of `{used}`")
    close = _suggest(used.title, same_kind)
    if close:
        hints.append("did you mean " + " or ".join(str(used._replace(title=c)) for c in close) + "?")
    close_other = [c for c in _suggest(used.title, other_kind) if c != used.title]
    if close_other and not hints:
        hints.append("did you mean " + " or ".join(str(other._replace(title=c)) for c in close_other) + "?")
    return hints or [fallback]


def _normal(text: str) -> str:
    return _SPACE.sub(" ", _TAG.sub(" ", text)).strip()


@rule(code="G303", name="conflicting-definitions", level="error")
def conflicting_definitions(ctx: Context) -> Iterator[Diagnostic]:
    """One statement title defined twice with different text.

    **What it checks.** All definitions `[Title]: text` of one title have the same
    text, compared after collapsing whitespace and ignoring tags. In `mode: strict`
    this is an error (a title names exactly one proposition); in loose mode Argdown
    allows several formulations of one claim, so it is a warning.

    **Why it matters.** Two texts under one title are usually two different claims
    sharing a title by accident (copy and paste); every relation and probability
    of one silently applies to the other.

    ```argdown
    [Front Reaches Coast]: The front reaches the park before 16:00.

    [Front Reaches Coast]: The front reaches the coast on Saturday.
    ```

    Fixed: give the second claim its own title, or repeat the title alone
    (`[Front Reaches Coast]`) to refer to the first:

    ```argdown
    [Front Reaches Park]: The front reaches the park before 16:00.

    [Front Reaches Coast]: The front reaches the coast on Saturday.
    ```
    """
    level = Level.ERROR if ctx.document.mode is Mode.STRICT else Level.WARNING
    statements = ctx.document.statements
    for title in facts(ctx).redefined:
        ec = statements[title]
        if ec.is_untitled:
            continue
        first = ec.members[0]
        reference = _normal(first.text)
        for member in ec.members[1:]:
            text = _normal(member.text)
            if text and reference and text != reference:
                yield ctx.diagnostic(
                    "G303",
                    head(member),
                    f"[{title}] is defined again with different text (first at line {first.span.line})",
                    f"give this claim its own title, or write `[{title}]` alone to refer to the first",
                    level=level,
                )
                break


@rule(code="G304", name="support-cycle", level="error")
def support_cycle(ctx: Context) -> Iterator[Diagnostic]:
    """A cycle of support or entailment.

    **What it checks.** Following support and entailment relations, and the steps
    from an argument's premises to the argument and from the argument to its
    conclusion, never leads back to where it started. Each strongly connected
    group is reported once, with one cycle through it.

    **Why it matters.** A claim that (indirectly) supports itself is circular
    reasoning, and probabilities cannot be propagated around a loop.

    ```argdown
    [A]: Prices will rise.
      + [B]: Demand is growing.
        + [A]
    ```

    Fixed: remove one relation of the loop, or split the claim that is used in
    two senses into two statements:

    ```argdown
    [A]: Prices will rise.
      + [B]: Demand is growing.
    ```
    """
    graph = argument_graph(ctx.document)
    edges: dict[Node, list[tuple[Node, Relation | None]]] | None = None
    for component in support_cycles(graph):
        if edges is None:  # the relations written on the edges, for the first cycle's path
            edges = support_edges(graph)
        path, relations = cycle_path(component, edges)
        chain = " -> ".join(show(n) for n in path)
        span = _cycle_span(ctx, path, relations)
        extra = (
            f" ({len(component)} elements are mutually dependent)" if len(component) > len(path) - 1 else ""
        )
        yield ctx.diagnostic(
            "G304",
            span,
            f"support cycle: {chain}{extra}",
            "remove one relation of the cycle; a claim cannot support itself",
        )


def _cycle_span(ctx: Context, path: list[Node], relations: list[Relation]) -> Span:
    if relations:
        return min((r.span for r in relations), key=lambda s: (s.line, s.column))
    for n in path:
        if not n.is_statement:
            argument = ctx.document.arguments.get(n[1])
            if argument is not None:
                span = argument.pcs_span or argument.span
                return first_line(ctx, span)
    return Span(line=1, column=1, end_line=1, end_column=2)


@rule(code="G305", name="isolated-statement", level="warning")
def isolated_statement(ctx: Context) -> Iterator[Diagnostic]:
    """A top-level statement that nothing is connected to.

    **What it checks.** A statement written as its own top-level block takes part in
    the map: it has a relation (in or out) or appears in a premise-conclusion
    structure.

    **Why it matters.** An isolated statement contributes nothing to any result;
    usually its relation tree was forgotten, or an empty line cut it off from it.
    A map that is this one statement and nothing else is not reported: there is
    nothing to connect it to.

    ```argdown
    [Picnic Stays Dry]: The picnic on Saturday stays dry.

    [Base Rate]: It rains on 14 percent of late-August days.

      +> [Picnic Stays Dry]
    ```

    Fixed:

    ```argdown
    [Picnic Stays Dry]: The picnic on Saturday stays dry.

    [Base Rate]: It rains on 14 percent of late-August days.
      +> [Picnic Stays Dry]
    ```
    """
    f = facts(ctx)
    statements = ctx.document.statements
    if len(f.top_level) == 1 and not any(map(_is_defined, ctx.document.arguments.values())):
        return  # the whole map is one statement
    for title in f.top_level:
        ec = statements[title]
        if title in f.in_pcs:
            continue
        if f.relations_of(statement_key(title)):
            continue
        member = ec.members[0]
        name = "an untitled statement" if ec.is_untitled else f"[{title}]"
        yield ctx.diagnostic(
            "G305",
            head(member),
            f"{name} is not connected to anything",
            "relate it to the map (e.g. `+> [Thesis]` on the next line), or remove it",
        )


def _declared_signs(relation: Relation) -> str:
    return "+" if relation.kind is RelationKind.SUPPORT else "-"


@rule(code="G306", name="missing-from-thesis-tree", level="warning")
def missing_from_thesis_tree(ctx: Context) -> Iterator[Diagnostic]:
    """An argument that reaches the thesis through its conclusion but is missing from the thesis's tree.

    **What it checks.** When a thesis lists its arguments in its own relation tree
    (`[Thesis]` followed by `+ <A>` / `- <B>` lines), every argument whose
    conclusion supports or attacks the thesis (`+> [Thesis]`, `-> [Thesis]`, or
    concluding it) is listed there. A thesis without any tree is not checked.

    **Why it matters.** The tree is the map's table of contents: readers (and the
    Argdown views) see the thesis's tree first. An argument missing from it is
    easy to overlook, and the tree no longer says what the map argues.

    ```argdown
    [Thesis]: T.
      + <A>

    <B>
    (1) [P]: ... #observation {reason: "...", credence: 0.8}
    ----
    (2) [C]: ... {reason: "...", inference: 0.7}
      +> [Thesis]
    ```

    Fixed:

    ```argdown
    [Thesis]: T.
      + <A>
      + <B>
    ```
    """
    f = facts(ctx)
    document = ctx.document
    for thesis in f.theses:
        target: Node = statement_key(thesis)
        declared = {r.source for r in f.by_target.get(target, ()) if r.source_kind.value == "argument"}
        if not declared:
            continue
        tree_line = min(r.span.line for r in f.by_target[target] if r.source in declared)
        for argument in document.arguments.values():
            if argument.title in declared:
                continue
            effect = f.effects(argument).get(target)
            if effect is None:
                continue
            signs, relation = effect
            symbol = "+" if "+" in signs else "-"
            verb = "supports" if symbol == "+" else "attacks"
            conclusion = argument.conclusion
            if relation is not None:
                span = relation.span
            elif conclusion is not None:
                span = head(conclusion.statement)
            else:
                continue
            yield ctx.diagnostic(
                "G306",
                span,
                f"<{argument.title}> {verb} [{thesis}] through its conclusion but is missing from its tree",
                f"add `  {symbol} <{argument.title}>` to the tree under [{thesis}] (line {tree_line})",
            )


def _tree_findings(ctx: Context, wanted: str) -> Iterator[Diagnostic]:
    """The findings of one code among the tree checks (G307 and G308 share one walk)."""
    found = _tree_checks(ctx)
    return (
        ctx.diagnostic(code, span, message, hint) for code, span, message, hint in found if code == wanted
    )


def _tree_checks(ctx: Context) -> list[tuple[str, Span, str, str]]:
    def compute() -> list[tuple[str, Span, str, str]]:
        f: Facts = facts(ctx)
        out: list[tuple[str, Span, str, str]] = []
        for argument in ctx.document.arguments.values():
            declared = f.declared(argument.title)
            if not declared or argument.conclusion is None:  # most arguments are in no tree
                continue
            effects = f.effects(argument)
            conclusion = argument.conclusion.statement.title
            for relation in declared:
                target = target_key(relation)
                wanted = _declared_signs(relation)
                written = f"<{argument.title}> {relation.symbol} {show(target)}"
                effect = effects.get(target)
                if effect is None:
                    if f.conclusion_points_somewhere(argument):
                        elsewhere = ", ".join(
                            show(target_key(r)) for r in f.by_source.get(statement_key(conclusion), ())[:3]
                        )
                        out.append(
                            (
                                "G307",
                                relation.span,
                                f"{written}, but its conclusion [{conclusion}] points to {elsewhere} instead",
                                f"relate the conclusion to {show(target)} (under its PCS line), "
                                "or move the tree entry where the conclusion points",
                            )
                        )
                    continue
                signs, _ = effect
                if wanted not in signs:
                    does = "attacks" if wanted == "+" else "supports"
                    listed = "supporting (+)" if wanted == "+" else "attacking (-)"
                    out.append(
                        (
                            "G308",
                            relation.span,
                            f"<{argument.title}> is listed as {listed} {show(target)}, "
                            f"but its conclusion [{conclusion}] {does} it",
                            "make the tree entry and the conclusion's relation agree: change one sign",
                        )
                    )
        return out

    result: list[tuple[str, Span, str, str]] = ctx.cached("tree", compute)
    return result


@rule(code="G307", name="tree-conclusion-mismatch", level="error")
def tree_conclusion_mismatch(ctx: Context) -> Iterator[Diagnostic]:
    """An argument listed in a relation tree whose conclusion points somewhere else.

    **What it checks.** For a relation written from an argument (a tree entry
    `+ <A>` under `[T]`, or `<A>` with `+> [T]`), the argument's conclusion reaches
    that target: it is related to it (`+> [T]`, `-> [T]`, `_> <B>`, a
    contradiction), it is the target, or it relates to a premise or the
    conclusion of the target argument. Only checked when the conclusion has a
    relation of its own; one that points nowhere leaves the tree entry as the
    only statement of the relation.

    **Why it matters.** The tree says one thing and the reconstruction another;
    scores follow the reconstruction, readers follow the tree. Under the plain
    Argdown profile it is a warning: there, relations written on a reconstructed
    argument are usual, and the reference moves them to its conclusion.

    ```argdown
    [Thesis]: T.
      + <A>

    [Other Claim]: O.

    <A>

    (1) [P]: A premise. #assumption {reason: "...", credence: 0.8}
    ----
    (2) [C]: A conclusion. {reason: "...", inference: 0.7}
      +> [Other Claim]
    ```

    Fixed: `+> [Thesis]` under (2), or list `<A>` under `[Other Claim]`:

    ```argdown
    [Thesis]: T.

    [Other Claim]: O.
      + <A>

    <A>

    (1) [P]: A premise. #assumption {reason: "...", credence: 0.8}
    ----
    (2) [C]: A conclusion. {reason: "...", inference: 0.7}
      +> [Other Claim]
    ```
    """
    return _tree_findings(ctx, "G307")


@rule(code="G308", name="sign-disagreement", level="error")
def sign_disagreement(ctx: Context) -> Iterator[Diagnostic]:
    """A tree entry whose sign disagrees with the argument's conclusion.

    **What it checks.** An argument listed under `+` (support) in a relation tree
    has a conclusion that supports or entails the target, and one listed under `-`
    or `_` (attack, undercut) has a conclusion that attacks, contradicts or
    undercuts it.

    **Why it matters.** Pro and contra swapped is the most consequential slip in a
    map: the argument's weight counts in the wrong direction.

    ```argdown
    [Thesis]: T.
      + <Front Brings Rain>

    <Front Brings Rain>

    (1) [Front]: A cold front arrives by noon. #observation {reason: "...", credence: 0.8}
    ----
    (2) [Frontal Rain]: The front brings rain. {reason: "...", inference: 0.85}
      -> [Thesis]
    ```

    Fixed:

    ```argdown
    [Thesis]: T.
      - <Front Brings Rain>

    <Front Brings Rain>

    (1) [Front]: A cold front arrives by noon. #observation {reason: "...", credence: 0.8}
    ----
    (2) [Frontal Rain]: The front brings rain. {reason: "...", inference: 0.85}
      -> [Thesis]
    ```
    """
    return _tree_findings(ctx, "G308")


@rule(code="G309", name="argument-without-pcs", level="error")
def argument_without_pcs(ctx: Context) -> Iterator[Diagnostic]:
    """An argument without premises or without a conclusion.

    **What it checks.** Every defined argument is reconstructed as a
    premise-conclusion structure with at least one premise and a main conclusion.
    (Structures the parser already rejects, `P112` and `P114`, are not reported
    again.)

    **Why it matters.** vargdown scores arguments from their premises' credences and
    their inference strength; an argument that is only described has neither, and
    relations to it carry no weight.

    ```argdown
    <Rising Pressure>: Rising pressure keeps showers away.
      +> [Picnic Stays Dry]
    ```

    Fixed:

    ```argdown
    <Rising Pressure>: Rising pressure keeps showers away.

    (1) [Pressure Rising]: ... #observation ...
    ----
    (2) [Subsidence Over Park]: ... {reason: "...", inference: 0.55}
      +> [Picnic Stays Dry]
    ```
    """
    parser_flagged = {(d.line) for d in ctx.document.diagnostics if d.code in ("P112", "P114")}
    arguments = ctx.document.arguments
    for title in argument_graph(ctx.document).unreconstructed:  # the few candidates, in document order
        argument = arguments[title]
        if not argument.pcs:
            span = next((d.title_span for d in argument.descriptions if d.title_span is not None), None)
            yield ctx.diagnostic(
                "G309",
                span or first_line(ctx, argument.span),
                f"argument <{title}> has no premises and no conclusion",
                "reconstruct it: numbered premises, a `----` line, and the conclusion",
            )
            continue
        pcs_span = argument.pcs_span
        if pcs_span is not None and any(
            pcs_span.line <= line <= pcs_span.end_line for line in parser_flagged
        ):
            continue
        if not any(member.role is PcsRole.PREMISE for member in argument.pcs):  # premises come first
            yield ctx.diagnostic(
                "G309",
                first_line(ctx, pcs_span or argument.span),
                f"argument <{title}> has no premises",
                "put the premises (1), (2), ... above the first `----` line",
            )
        elif argument.conclusion is None:
            yield ctx.diagnostic(
                "G309",
                first_line(ctx, pcs_span or argument.span),
                f"argument <{title}> has no conclusion",
                "end the structure with `----` and the conclusion",
            )


@rule(code="G310", name="unused-argument", level="warning")
def unused_argument(ctx: Context) -> Iterator[Diagnostic]:
    """An argument that nothing uses and that uses nothing.

    **What it checks.** Every defined argument is connected to the rest of the map:
    a relation to or from it, or to or from its conclusion or one of its premises;
    its conclusion is a premise of another argument or a top-level statement; or
    one of its premises is another argument's conclusion.

    **Why it matters.** An unconnected argument does not count towards any thesis;
    usually its `+> [Thesis]` line was forgotten. A map that is this one argument
    and nothing else (every statement in it belongs to its premise-conclusion
    structure) is not reported: a single reconstructed argument is a whole map.

    ```argdown
    [Picnic Stays Dry]: The picnic on Saturday stays dry.

    <Rising Pressure>

    (1) [Pressure Rising]: ... #observation ...
    ----
    (2) [Subsidence Over Park]: ... {reason: "...", inference: 0.55}
    ```

    Fixed:

    ```argdown
    ----
    (2) [Subsidence Over Park]: ... {reason: "...", inference: 0.55}
      +> [Picnic Stays Dry]
    ```
    """
    f = facts(ctx)
    statements = ctx.document.statements
    if _lone_argument(ctx.document.arguments.values(), f.top_level):
        return
    claim_titles, out_edges, in_edges = f.graph.claim_titles, f.graph.out_edges, f.graph.in_edges
    for title, argument in ctx.document.arguments.items():
        claim = claim_titles.get(title)  # its last PCS line: usually related, so no need to look further
        if claim is not None:
            key = statement_key(claim)  # `relations_of(key)`, read inline: every argument comes here
            if key in out_edges or key in in_edges:
                continue
        if not _is_defined(argument) or f.relations_of(argument_key(title)):
            continue
        if not any(_member_used(f, argument, member, statements) for member in reversed(argument.pcs)):
            span = next((d.title_span for d in argument.descriptions if d.title_span is not None), None)
            yield ctx.diagnostic(
                "G310",
                span or first_line(ctx, argument.span),
                f"argument <{title}> is not connected to the map",
                "relate its conclusion to what it argues for, e.g. `+> [Thesis]` under the conclusion",
            )

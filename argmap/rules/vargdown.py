"""The vargdown conventions (`V2xx`): probabilities, reasons, kinds, evidence, math.

vargdown is Argdown with numbers: every premise carries a `credence` (how likely
it is true), every conclusion an `inference` (how likely it follows from its
premises), each with a `reason` written first; premises say what kind of claim
they are with a tag; observations cite their source. The missing inference line
`----` is reported by the parser (`P106`), where the fix goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from argmap.diagnostics import Diagnostic, shown
from argmap.graph import ArgumentGraph, argument_graph
from argmap.model import (
    Argument,
    DataBlock,
    EquivalenceClass,
    EvidenceLink,
    PcsMember,
    PcsRole,
    Span,
    Statement,
)
from argmap.rules._graph import Facts, build_facts
from argmap.rules.registry import Context, rule

_NUMBER_KEYS = ("credence", "inference")
_FRAGMENT = re.compile(r"L(\d+)(?:-L?(\d+))?")


def facts(ctx: Context) -> Facts:
    result: Facts = ctx.cached("facts", lambda: build_facts(ctx.document))
    return result


def head(statement: Statement) -> Span:
    """Where to point at a statement: its `[Title]`, else its first line."""
    if statement.title_span is not None:
        return statement.title_span
    span = statement.span
    if span.end_line == span.line:
        return span
    return Span(line=span.line, column=span.column, end_line=span.line, end_column=span.column + 1)


def first_line(ctx: Context, span: Span) -> Span:
    """The part of `span` on its first line (for a caret under a multi-line element)."""
    if span.end_line == span.line:
        return span
    lines = ctx.document.lines
    text = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    return Span(
        line=span.line,
        column=span.column,
        end_line=span.line,
        end_column=max(span.column + 1, len(text.rstrip()) + 1),
    )


def key_span(block: DataBlock, key: str) -> Span:
    return block.key_spans.get(key, block.span)


def label(statement: Statement, number: int | None = None) -> str:
    """`[Title]`, or `(n)` for an untitled PCS statement."""
    if not statement.is_untitled:
        return f"[{statement.title}]"
    return f"({number})" if number is not None else "(untitled)"


class Index:
    """One pass over the document that collects, per rule, the few elements that
    might need a finding (shared by all rules of a run through `ctx.cached`).

    On large maps walking the model is memory-bound, so the rules do not each walk
    it: they only look at the candidates collected here.
    """

    __slots__ = (
        "bad_evidence",
        "concluded",
        "conclusion_credence",
        "conclusion_statements",
        "math_blocks",
        "no_credence",
        "no_inference",
        "no_kind",
        "number_blocks",
        "observations",
        "premise_inference",
        "untitled_conclusions",
    )

    def __init__(self, ctx: Context) -> None:
        self.no_credence: list[PcsMember] = []  # V201 candidates
        self.premise_inference: list[PcsMember] = []  # V208
        self.no_kind: list[PcsMember] = []  # V215 candidates (no kind tag on this occurrence)
        self.no_inference: list[PcsMember] = []  # V202
        self.conclusion_credence: list[PcsMember] = []  # V207
        self.untitled_conclusions: list[tuple[str, PcsMember]] = []  # V214
        self.concluded: dict[str, str] = {}  # C504: conclusion title -> first argument concluding it
        self.conclusion_statements: set[int] = set()  # C504: id() of every conclusion line's statement
        self.number_blocks: list[DataBlock] = []  # blocks V203-V206 may report
        self.math_blocks: list[DataBlock] = []
        self.bad_evidence: list[tuple[EvidenceLink, str]] = []
        self.observations: list[tuple[Statement, list[Statement]]] = []
        self._arguments(ctx.document.arguments.values(), set(ctx.settings.kind_tags))
        self._statements(argument_graph(ctx.document))
        for section in ctx.document.sections:
            if section.data is not None and "math" in section.data.values:
                self.math_blocks.append(section.data)

    def _arguments(self, arguments: Iterable[Argument], kinds: set[str]) -> None:
        premise = PcsRole.PREMISE
        # every PCS line of the map comes here: the lists are bound once
        premise_inference, no_credence, no_kind = self.premise_inference, self.no_credence, self.no_kind
        for argument in arguments:
            for description in argument.descriptions:
                if description.data is not None and "math" in description.data.values:
                    self.math_blocks.append(description.data)
            for member in argument.pcs:
                statement = member.statement
                data = statement.data
                values = data.values if data is not None else _EMPTY
                if member.role is not premise:
                    self._conclusion(argument.title, member, values)
                    continue
                # a premise (most lines), checked inline
                if "inference" in values:
                    premise_inference.append(member)
                elif "credence" not in values:
                    no_credence.append(member)
                if kinds.isdisjoint(statement.tags):
                    no_kind.append(member)

    def _conclusion(self, argument: str, member: PcsMember, values: Any) -> None:
        self.conclusion_statements.add(id(member.statement))
        self.concluded.setdefault(member.statement.title, argument)
        if "credence" in values:
            self.conclusion_credence.append(member)
        elif "inference" not in values and not has_key(member, "inference"):
            self.no_inference.append(member)
        if member.statement.is_untitled:
            self.untitled_conclusions.append((argument, member))
        inference = member.inference
        if inference is not None and inference.data is not None:
            self._blocks((inference.data,))

    def _statements(self, graph: ArgumentGraph) -> None:
        """The statements' blocks, evidence links and observations, as the argument
        graph's one walk over every occurrence of every statement found them."""
        self._blocks(graph.statement_blocks)
        for link in graph.statement_evidence:
            start, end = link.line_start, link.line_end
            if start is not None and end is not None and 0 < start <= end and link.path:
                continue  # `_range_problem`'s usual case, checked inline: every link comes here
            problem = _range_problem(link)
            if problem is not None:
                self.bad_evidence.append((link, problem))
        for ec, cited in graph.observations:
            if cited:
                continue  # the usual case: the first occurrence is complete
            occurrences = [*ec.members, *ec.references]
            first = min(
                (o for o in occurrences if "observation" in o.tags),
                key=lambda o: (o.span.line, o.span.column),
            )
            self.observations.append((first, occurrences))

    def _blocks(self, blocks: Iterable[DataBlock]) -> None:
        number_blocks, math_blocks = self.number_blocks, self.math_blocks
        for block in blocks:  # every data block of the map comes here: each number read once
            values = block.values
            credence, inference = values.get("credence", _ABSENT), values.get("inference", _ABSENT)
            if credence is not _ABSENT or inference is not _ABSENT:
                # keep only blocks that V203-V206 may report: a fine block has the reason
                # first and each number (`_NUMBER_KEYS`) a float or int in [0, 1]
                fine = next(iter(values)) == "reason"
                if fine and credence is not _ABSENT:
                    fine = credence.__class__ in (float, int) and 0 <= credence <= 1
                if fine and inference is not _ABSENT:
                    fine = inference.__class__ in (float, int) and 0 <= inference <= 1
                if not fine:
                    number_blocks.append(block)
            if "math" in values:
                math_blocks.append(block)


_ABSENT = object()  # a key not in a block (its value may be None)
_EMPTY: dict[str, Any] = {}


def index(ctx: Context) -> Index:
    result: Index = ctx.cached("vargdown-index", lambda: Index(ctx))
    return result


def has_key(member: PcsMember, key: str) -> bool:
    data = member.statement.data
    if data is not None and key in data.values:
        return True
    return bool(
        key == "inference"
        and member.inference is not None
        and member.inference.data is not None
        and key in member.inference.data.values
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@rule(code="V201", name="missing-credence", level="error")
def missing_credence(ctx: Context) -> Iterator[Diagnostic]:
    """A premise without a `credence`.

    **What it checks.** Every premise of a premise-conclusion structure has a
    `credence` in a data block on one of its occurrences. A premise that is the
    main conclusion of another argument is exempt: its probability is derived. A
    premise that has an `inference` instead is reported by `V208` only.

    **Why it matters.** The credence is the premise's probability of being true; the
    scoring engine cannot propagate anything through an argument with a premise
    that has none, and a reader cannot see how sure the author is.

    ```argdown
    <Forecast Says Dry>

    (1) [Forecast]: The bulletin gives 20 percent rain. #observation
    ----
    (2) [Dry Afternoon]: The afternoon stays dry. {reason: "A calibrated forecast.", inference: 0.8}
    ```

    Fixed:

    ```argdown
    <Forecast Says Dry>

    (1) [Forecast]: The bulletin gives 20 percent rain. #observation
        {reason: "Official bulletin, same morning.", credence: 0.9}
    ----
    (2) [Dry Afternoon]: The afternoon stays dry. {reason: "A calibrated forecast.", inference: 0.8}
    ```
    """
    f = facts(ctx)
    statements = ctx.document.statements
    for member in index(ctx).no_credence:
        title = member.statement.title
        if title in f.conclusion_of:
            continue
        ec = statements.get(title)
        if ec is not None and "credence" in ec.data:
            continue
        yield ctx.diagnostic(
            "V201",
            head(member.statement),
            f"premise {label(member.statement, member.number)} has no credence",
            'add a data block with the reason first: {reason: "...", credence: 0.7}',
        )


@rule(code="V202", name="missing-inference", level="error")
def missing_inference(ctx: Context) -> Iterator[Diagnostic]:
    """A conclusion without an `inference` strength.

    **What it checks.** Every main or intermediary conclusion has an `inference`
    in its data block (or in the data of the inference line above it). A
    conclusion that has a `credence` instead is reported by `V207` only.

    **Why it matters.** The inference strength is how likely the conclusion is given
    its premises; without it the argument's weight is undefined and the map cannot
    be scored.

    ```argdown
    ----
    (3) [Rain Unlikely]: The chance of rain is about one in five.
    ```

    Fixed:

    ```argdown
    ----
    (3) [Rain Unlikely]: The chance of rain is about one in five.
        {reason: "A calibrated 20 percent forecast.", inference: 0.8}
    ```
    """
    for member in index(ctx).no_inference:
        yield ctx.diagnostic(
            "V202",
            head(member.statement),
            f"conclusion {label(member.statement, member.number)} has no inference strength",
            'add {reason: "...", inference: 0.7} to the conclusion',
        )


@rule(code="V203", name="probability-not-a-number", level="error")
def probability_not_a_number(ctx: Context) -> Iterator[Diagnostic]:
    """A `credence` or `inference` that is not a number.

    **What it checks.** The value of every `credence` and `inference` key is a plain
    number (not quoted text, not a list, not `true`).

    **Why it matters.** `"0.7"` in quotes, `70%` or `high` cannot be computed with;
    the scoring engine would have to guess.

    ```argdown
    (1) [A]: Text. #assumption {reason: "Guess.", credence: "high"}
    ```

    Fixed:

    ```argdown
    (1) [A]: Text. #assumption {reason: "Guess.", credence: 0.8}
    ```
    """
    for block in index(ctx).number_blocks:
        for key in _NUMBER_KEYS:
            if key in block.values and not _is_number(block.values[key]):
                value = block.values[key]
                yield ctx.diagnostic(
                    "V203",
                    key_span(block, key),
                    f"{key} {shown(value)} is not a number",
                    f"write a probability between 0 and 1, e.g. {key}: 0.7",
                )


@rule(code="V204", name="probability-out-of-range", level="error")
def probability_out_of_range(ctx: Context) -> Iterator[Diagnostic]:
    """A `credence` or `inference` outside [0, 1].

    **What it checks.** Numbers given as `credence` or `inference` lie between 0 and
    1 inclusive.

    **Why it matters.** They are probabilities. `80` usually means 80 percent and
    would be read as a probability of 80.

    ```argdown
    (1) [A]: Text. #assumption {reason: "Likely.", credence: 80}
    ```

    Fixed:

    ```argdown
    (1) [A]: Text. #assumption {reason: "Likely.", credence: 0.8}
    ```
    """
    for block in index(ctx).number_blocks:
        for key in _NUMBER_KEYS:
            value: Any = block.values.get(key)
            if _is_number(value) and not 0 <= value <= 1:
                hint = (
                    f"write {key}: {value / 100:g} for {value:g} percent"
                    if 1 < value <= 100
                    else "a probability lies between 0 and 1"
                )
                yield ctx.diagnostic(
                    "V204", key_span(block, key), f"{key} {shown(value)} is outside [0, 1]", hint
                )


@rule(code="V205", name="missing-reason", level="warning")
def missing_reason(ctx: Context) -> Iterator[Diagnostic]:
    """A `credence` or `inference` without a `reason`.

    **What it checks.** Every data block that gives a `credence` or `inference` also
    gives a `reason`.

    **Why it matters.** A number without its reason cannot be reviewed or
    challenged; the reason is what a colleague disagrees with.

    ```argdown
    (1) [A]: Text. #assumption {credence: 0.6}
    ```

    Fixed:

    ```argdown
    (1) [A]: Text. #assumption {reason: "Rule of thumb; unchecked.", credence: 0.6}
    ```
    """
    for block in index(ctx).number_blocks:
        keys = [k for k in _NUMBER_KEYS if k in block.values]
        if keys and "reason" not in block.values:
            yield ctx.diagnostic(
                "V205",
                key_span(block, keys[0]),
                f"{keys[0]} has no reason",
                f'write the reason before the number: {{reason: "...", {keys[0]}: ...}}',
            )


@rule(code="V206", name="reason-after-number", level="warning")
def reason_after_number(ctx: Context) -> Iterator[Diagnostic]:
    """A `reason` written after the number it justifies.

    **What it checks.** In a data block, `reason` comes before `credence` /
    `inference`.

    **Why it matters.** Writing the reason first makes the author reason before
    committing to a number (and keeps the number from anchoring the reason); it
    also keeps maps uniform to read.

    ```argdown
    (1) [A]: Text. #assumption {credence: 0.6, reason: "Rule of thumb."}
    ```

    Fixed:

    ```argdown
    (1) [A]: Text. #assumption {reason: "Rule of thumb.", credence: 0.6}
    ```
    """
    for block in index(ctx).number_blocks:
        if "reason" not in block.values:
            continue
        order = list(block.values)
        reason_at = order.index("reason")
        for key in _NUMBER_KEYS:
            if key in block.values and order.index(key) < reason_at:
                yield ctx.diagnostic(
                    "V206",
                    key_span(block, "reason"),
                    f"reason is written after the {key}",
                    f'put the reason first: {{reason: "...", {key}: ...}}',
                )
                break


@rule(code="V207", name="credence-on-conclusion", level="error")
def credence_on_conclusion(ctx: Context) -> Iterator[Diagnostic]:
    """A `credence` on a conclusion.

    **What it checks.** Main and intermediary conclusions carry an `inference`, not
    a `credence`.

    **Why it matters.** A conclusion's probability is derived from its premises and
    the inference strength; a stated credence contradicts the derivation (or is
    silently ignored). Usually `credence` was written where `inference` was meant.

    ```argdown
    ----
    (3) [C]: Conclusion. {reason: "Follows.", credence: 0.8}
    ```

    Fixed:

    ```argdown
    ----
    (3) [C]: Conclusion. {reason: "Follows.", inference: 0.8}
    ```
    """
    for member in index(ctx).conclusion_credence:
        data = member.statement.data
        if data is not None:
            yield ctx.diagnostic(
                "V207",
                key_span(data, "credence"),
                f"conclusion {label(member.statement, member.number)} has a credence",
                "a conclusion's credence is derived: give its inference strength instead (inference: ...)",
            )


@rule(code="V208", name="inference-on-premise", level="error")
def inference_on_premise(ctx: Context) -> Iterator[Diagnostic]:
    """An `inference` on a premise.

    **What it checks.** Premises carry a `credence`, not an `inference`.

    **Why it matters.** An inference strength belongs to the step from premises to a
    conclusion; on a premise it means nothing, and the premise's own credence is
    probably missing. A premise that should be a conclusion needs a `----` above it.

    ```argdown
    <Arg>

    (1) [A]: Premise. #assumption {reason: "Likely.", inference: 0.7}
    ----
    (2) [B]: Conclusion. {reason: "Follows.", inference: 0.8}
    ```

    Fixed:

    ```argdown
    <Arg>

    (1) [A]: Premise. #assumption {reason: "Likely.", credence: 0.7}
    ----
    (2) [B]: Conclusion. {reason: "Follows.", inference: 0.8}
    ```
    """
    for member in index(ctx).premise_inference:
        data = member.statement.data
        if data is not None:
            yield ctx.diagnostic(
                "V208",
                key_span(data, "inference"),
                f"premise {label(member.statement, member.number)} has an inference strength",
                "give a premise its credence (credence: ...); if it is a conclusion, "
                "put an inference line `----` above it",
            )


@rule(code="V209", name="thesis-credence", level="error")
def thesis_credence(ctx: Context) -> Iterator[Diagnostic]:
    """A stated credence on the thesis.

    **What it checks.** No occurrence of a thesis has a `credence`. A thesis is a
    defined, top-level statement that is not a premise of any argument, does not
    support or attack anything itself, and that relations point at or an argument
    concludes (the root of the map; a map may have several).

    **Why it matters.** The thesis's credence is what the map computes from its
    arguments; stating it up front either duplicates or contradicts the result.

    ```argdown
    [Picnic Stays Dry]: The picnic will stay dry. {credence: 0.8}
      + <Forecast Says Dry>
    ```

    Fixed:

    ```argdown
    [Picnic Stays Dry]: The picnic will stay dry.
      + <Forecast Says Dry>
    ```
    """
    statements = ctx.document.statements
    for title in facts(ctx).theses:
        for occurrence in statements[title].occurrences:
            if occurrence.data is not None and "credence" in occurrence.data.values:
                yield ctx.diagnostic(
                    "V209",
                    key_span(occurrence.data, "credence"),
                    f"thesis [{title}] has a stated credence",
                    "remove it: the thesis's credence is derived from its arguments",
                )


def _observations(ctx: Context) -> list[tuple[Statement, list[Statement]]]:
    return index(ctx).observations


@rule(code="V210", name="observation-without-source", level="error")
def observation_without_source(ctx: Context) -> Iterator[Diagnostic]:
    """An `#observation` without a link to its published source.

    **What it checks.** A statement tagged `#observation` has a markdown link to an
    `http(s)` URL (the paper, report or page the observation comes from).

    **Why it matters.** An observation is a claim about the world that someone
    recorded; without the source a reader cannot check who recorded it.

    ```argdown
    (1) [Pressure Rising]: The barometer rose 1.2 hPa. #observation
    ```

    Fixed:

    ```argdown
    (1) [Pressure Rising]: The barometer rose 1.2 hPa. #observation
        [Observation Log](https://example.org/log/2025-08-23)
    ```
    """
    for statement, occurrences in _observations(ctx):
        if not any(o.sources for o in occurrences):
            yield ctx.diagnostic(
                "V210",
                head(statement),
                f"observation {label(statement)} has no source link",
                "add a link to where it was published: [Author 2024](https://...)",
            )


@rule(code="V211", name="observation-without-evidence", level="error")
def observation_without_evidence(ctx: Context) -> Iterator[Diagnostic]:
    """An `#observation` without an evidence link.

    **What it checks.** A statement tagged `#observation` has a link labelled
    `evidence` to a frozen copy of its source with a line range,
    `[evidence](docs/paper.md#L20-L35)`.

    **Why it matters.** The evidence link is what lets `argmap check` verify that
    the quote is really in the source; without it the observation is unverifiable.

    ```argdown
    (1) [Pressure Rising]: The barometer rose 1.2 hPa. #observation
        [Observation Log](https://example.org/log)
    ```

    Fixed:

    ```argdown
    (1) [Pressure Rising]: The barometer rose 1.2 hPa. #observation
        [Observation Log](https://example.org/log)
        [evidence](docs/observation-log.md#L17-L17)
    ```
    """
    for statement, occurrences in _observations(ctx):
        if not any(o.evidence for o in occurrences):
            yield ctx.diagnostic(
                "V211",
                head(statement),
                f"observation {label(statement)} has no evidence link",
                "add [evidence](docs/source.md#L10-L12) pointing at the frozen source",
            )


@rule(code="V212", name="observation-without-quote", level="error")
def observation_without_quote(ctx: Context) -> Iterator[Diagnostic]:
    """An `#observation` without a `> quote`.

    **What it checks.** A statement tagged `#observation` has at least one quote
    line `> ...` with the words of the source it rests on.

    **Why it matters.** The quote is the checkable core of an observation: the
    evidence checker looks for exactly these words in the cited lines.

    ```argdown
    (1) [Pressure Rising]: The barometer rose 1.2 hPa. #observation
        [evidence](docs/observation-log.md#L17-L17)
    ```

    Fixed:

    ```argdown
    (1) [Pressure Rising]: The barometer rose 1.2 hPa. #observation
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    for statement, occurrences in _observations(ctx):
        if not any(o.quotes for o in occurrences):
            yield ctx.diagnostic(
                "V212",
                head(statement),
                f"observation {label(statement)} has no quote",
                "add a line `> ...` with the source's own words under the statement",
            )


def _range_problem(link: EvidenceLink) -> str | None:
    start, end = link.line_start, link.line_end
    if start is not None and end is not None and 0 < start <= end and link.path:
        return None  # the parser read the range (the usual case): a well-formed one
    if not link.path:
        return "names no file"
    if link.fragment is None:
        return "has no line range"
    match = _FRAGMENT.fullmatch(link.fragment)
    if match is None:
        return f"has a malformed line range #{link.fragment}"
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) else start
    if start == 0 or end == 0:
        return f"has line 0 in #{link.fragment} (lines count from 1)"
    if start > end:
        return f"has a reversed line range #{link.fragment}"
    return None


@rule(code="V213", name="bad-evidence-range", level="error")
def bad_evidence_range(ctx: Context) -> Iterator[Diagnostic]:
    """An evidence link with a missing, malformed or reversed line range.

    **What it checks.** Each `[evidence](path#Lstart-Lend)` names a file and a line
    range `#L20` or `#L20-L35` with 1 <= start <= end.

    **Why it matters.** The evidence checker compares the quote with exactly these
    lines; `#L35-L20`, `#L0` or a missing range cannot be checked, and usually
    hide a typo.

    ```argdown
    [evidence](docs/paper.md#L35-L20)
    [evidence](docs/paper.md)
    ```

    Fixed:

    ```argdown
    [evidence](docs/paper.md#L20-L35)
    ```
    """
    for link, problem in index(ctx).bad_evidence:
        yield ctx.diagnostic(
            "V213",
            link.span,
            f"evidence link {problem}",
            "write the cited lines as #L20-L35 (start <= end, counting from 1)",
        )


@rule(code="V214", name="unnamed-conclusion", level="error")
def unnamed_conclusion(ctx: Context) -> Iterator[Diagnostic]:
    """A conclusion without a title.

    **What it checks.** Main and intermediary conclusions are titled,
    `(3) [Title]: text`.

    **Why it matters.** The conclusion is what other parts of the map (the thesis,
    other arguments, results files) refer to; an untitled one gets a generated
    name that changes whenever the map is edited.

    ```argdown
    ----
    (3) Rain is unlikely. {reason: "...", inference: 0.8}
    ```

    Fixed:

    ```argdown
    ----
    (3) [Rain Unlikely]: Rain is unlikely. {reason: "...", inference: 0.8}
    ```
    """
    for argument, member in index(ctx).untitled_conclusions:
        yield ctx.diagnostic(
            "V214",
            first_line(ctx, member.statement.span),
            f"conclusion ({member.number}) of <{argument}> has no title",
            "give it a title: ({n}) [Short Title]: text".replace("{n}", str(member.number)),
        )


@rule(code="V215", name="premise-without-kind", level="error")
def premise_without_kind(ctx: Context) -> Iterator[Diagnostic]:
    """A premise with none of the kind tags.

    **What it checks.** Every premise carries one of the kind tags, by default
    `#observation #assumption #prior #mechanism #crux` (configurable with
    `kind-tags`). A premise that is the main conclusion of another argument is
    exempt.

    **Why it matters.** The kind says how the premise should be challenged: an
    observation by its evidence, an assumption by argument, a prior by base
    rates, a crux by whoever disagrees. Untagged premises hide this.

    ```argdown
    <Forecast Says Dry>

    (1) [Forecast]: The bulletin gives 20 percent rain. #observation {reason: "...", credence: 0.9}
    (2) [Ordinary Day]: Nothing makes today unusual. {reason: "...", credence: 0.5}
    ----
    (3) [Dry Afternoon]: The afternoon stays dry. {reason: "...", inference: 0.8}
    ```

    Fixed:

    ```argdown
    <Forecast Says Dry>

    (1) [Forecast]: The bulletin gives 20 percent rain. #observation {reason: "...", credence: 0.9}
    (2) [Ordinary Day]: Nothing makes today unusual. #prior {reason: "...", credence: 0.5}
    ----
    (3) [Dry Afternoon]: The afternoon stays dry. {reason: "...", inference: 0.8}
    ```
    """
    kinds = set(ctx.settings.kind_tags)
    f = facts(ctx)
    statements = ctx.document.statements
    listing = " ".join("#" + k for k in ctx.settings.kind_tags)
    for member in index(ctx).no_kind:
        title = member.statement.title
        if title in f.conclusion_of:
            continue
        if kinds.isdisjoint(member.statement.tags) and not _has_kind(statements.get(title), kinds):
            yield ctx.diagnostic(
                "V215",
                head(member.statement),
                f"premise {label(member.statement, member.number)} has no kind tag",
                f"tag it with one of {listing}",
            )


def _has_kind(ec: EquivalenceClass | None, kinds: set[str]) -> bool:
    if ec is None:
        return False
    return any(not kinds.isdisjoint(o.tags) for group in (ec.members, ec.references) for o in group)


def _math_values(ctx: Context) -> Iterator[tuple[DataBlock, Any]]:
    for block in index(ctx).math_blocks:
        value = block.values["math"]
        for item in value if isinstance(value, list) else [value]:
            yield block, item


def _math_results(ctx: Context) -> list[tuple[str, Span, str, str]]:
    """(code, span, message, hint) for every math claim that fails; computed once."""

    def compute() -> list[tuple[str, Span, str, str]]:
        from argmap.rules._math import MathError, evaluate

        out: list[tuple[str, Span, str, str]] = []
        for block, expression in _math_values(ctx):
            span = key_span(block, "math")
            if not isinstance(expression, str):
                out.append(
                    (
                        "V218",
                        span,
                        f"math {shown(expression)} is not an expression in quotes",
                        'write the claim as text: {math: "0.2 * 0.5 == 0.1"}',
                    )
                )
                continue
            try:
                value = evaluate(expression, ctx.settings.math_tolerance)
            except MathError as exc:
                out.append(
                    (
                        "V218",
                        span,
                        f"math {shown(expression)} is not safe arithmetic: {exc}",
                        "use numbers, + - * / // % **, comparisons, and/or/not and "
                        "abs min max round sqrt log log10 exp floor ceil",
                    )
                )
                continue
            if not isinstance(value, bool):
                out.append(
                    (
                        "V217",
                        span,
                        f"math {shown(expression)} is a number ({value!r}), not a true/false claim",
                        "state what must hold, e.g. 0.9 * 0.85 == 0.765",
                    )
                )
            elif not value:
                out.append(
                    (
                        "V216",
                        span,
                        f"math {shown(expression)} is false",
                        "correct the numbers in the text, or the claim",
                    )
                )
        return out

    result: list[tuple[str, Span, str, str]] = ctx.cached("math", compute)
    return result


def _math_rule(ctx: Context, code: str) -> Iterator[Diagnostic]:
    for found, span, message, hint in _math_results(ctx):
        if found == code:
            yield ctx.diagnostic(code, span, message, hint)


@rule(code="V216", name="math-false", level="error")
def math_false(ctx: Context) -> Iterator[Diagnostic]:
    """A `{math: "..."}` claim that is false.

    **What it checks.** Arithmetic the author wrote down as a checkable claim holds,
    e.g. that a stated percentage matches the numbers it came from. `==` allows a
    relative rounding tolerance (1e-9 by default, `[tool.argmap.math] tolerance`).

    **Why it matters.** Statements often restate numbers (`0.4% of LoRA's
    parameters`); a math claim pins the restatement to the arithmetic, and a false
    one means the text or the numbers are wrong.

    ```argdown
    [Share]: 12 of 40 cases is 35 percent. {math: "12 / 40 == 0.35"}
    ```

    Fixed:

    ```argdown
    [Share]: 12 of 40 cases is 30 percent. {math: "12 / 40 == 0.30"}
    ```
    """
    return _math_rule(ctx, "V216")


@rule(code="V217", name="math-not-boolean", level="error")
def math_not_boolean(ctx: Context) -> Iterator[Diagnostic]:
    """A `{math: "..."}` expression that gives a number instead of true or false.

    **What it checks.** A math claim is a comparison (or several joined by
    `and`/`or`), so it can hold or fail.

    **Why it matters.** `{math: "12 / 40"}` computes something but claims nothing;
    nothing can be checked.

    ```argdown
    [Share]: 12 of 40 cases is 30 percent. {math: "12 / 40"}
    ```

    Fixed:

    ```argdown
    [Share]: 12 of 40 cases is 30 percent. {math: "12 / 40 == 0.3"}
    ```
    """
    return _math_rule(ctx, "V217")


@rule(code="V218", name="math-not-arithmetic", level="error")
def math_not_arithmetic(ctx: Context) -> Iterator[Diagnostic]:
    """A `{math: "..."}` expression that is not safe arithmetic.

    **What it checks.** The expression parses and uses only numbers, `pi`, `e`,
    `+ - * / // % **`, comparisons, `and or not`, parentheses and the functions
    `abs min max round sqrt log log10 exp floor ceil`, within size limits
    (exponents up to 1,000). It is evaluated by a small whitelist evaluator, never
    by Python's `eval`: `{math: "__import__('os')"}` is this finding, not an
    execution.

    **Why it matters.** Anything else is either a typo or an attempt to run code
    on the machine that checks the map.

    ```argdown
    [Share]: 12 of 40 cases is 30 percent. {math: "12 / 40 = 0.3"}
    ```

    Fixed:

    ```argdown
    [Share]: 12 of 40 cases is 30 percent. {math: "12 / 40 == 0.3"}
    ```
    """
    return _math_rule(ctx, "V218")

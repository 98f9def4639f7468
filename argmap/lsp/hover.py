"""Hover: what argmap knows about the element under the cursor, as markdown.

For a statement: its text, the stated credence (or inference) with its reason, the
credence `argmap score` computes under the configured semantics with its 90%
interval, and for an observation each quote's status and the source lines it was
found at. For an argument: its description, the inference of its conclusion and
the computed strength of its conclusion. On a finding: the rule's explanation
(what `argmap rule CODE` prints).
"""

from __future__ import annotations

from typing import Any

from argmap.lsp.analysis import Analysis, Occurrence
from argmap.model import ElementKind, Statement

_MAX_SOURCE_LINES = 8


def hover_markdown(analysis: Analysis, occurrence: Occurrence) -> str:
    if occurrence.kind is ElementKind.STATEMENT:
        return _statement(analysis, occurrence.title)
    return _argument(analysis, occurrence.title)


def _statement(analysis: Analysis, title: str) -> str:
    cls = analysis.document.statements.get(title)
    if cls is None:
        if title in analysis.document.arguments:
            return f"[{title}] is not defined; there is an argument <{title}> (G301)"
        return f"[{title}] is not defined"
    parts = [f"### [{title}]", cls.text or "(no text)"]
    parts.extend(_stated(cls.data))
    parts.extend(_computed(analysis, title))
    if cls.tags:
        parts.append("tags: " + " ".join(f"#{t}" for t in cls.tags))
    for member in cls.members:
        parts.extend(_quotes(analysis, member))
    return "\n\n".join(parts)


def _argument(analysis: Analysis, title: str) -> str:
    argument = analysis.document.arguments.get(title)
    if argument is None:
        return f"<{title}> is not defined"
    text = next((d.text for d in argument.descriptions if d.text), "")
    parts = [f"### <{title}>", text or "(no description)"]
    conclusion = argument.conclusion
    if conclusion is not None:
        parts.append(f"concludes [{conclusion.statement.title}]")
        data = conclusion.statement.data.values if conclusion.statement.data else {}
        parts.extend(_stated(data))
        parts.extend(_computed(analysis, conclusion.statement.title))
    return "\n\n".join(parts)


def _stated(data: dict[str, Any]) -> list[str]:
    lines = []
    for key in ("credence", "inference"):
        if key in data:
            lines.append(f"stated {key}: **{data[key]}**")
    if "reason" in data:
        lines.append(f"reason: {data['reason']}")
    return lines


def _computed(analysis: Analysis, title: str) -> list[str]:
    result = analysis.score()
    if result is None:
        return ["computed credence: _(the map cannot be scored; see its findings)_"]
    claim = result.claims.get(title)
    if claim is None or claim.credence is None:
        return []
    text = f"computed credence ({result.semantics}): **{claim.credence:.3f}**"
    if claim.interval is not None:
        low, high = claim.interval
        text += f"  \n90% interval {low:.3f}-{high:.3f} ({result.samples} samples)"
    return [text]


def _quotes(analysis: Analysis, statement: Statement) -> list[str]:
    if not statement.quotes:
        return []
    report = analysis.evidence
    if report is None:
        return ["quotes: _(evidence checks are off)_"]
    lines: set[int] = {q.span.line for q in statement.quotes}
    parts = []
    for result in report.results:
        if result.map_line not in lines:
            continue
        where = result.actual or result.cited
        found_at = f"L{where[0]}-L{where[1]}" if where else "?"
        parts.append(
            f"quote: **{', '.join(result.statuses) or result.status}** in `{result.file}` at {found_at}"
        )
        source = report.sources.get(result.file)
        if where and source is not None and source.lines:
            excerpt = source.lines[where[0] - 1 : min(where[1], where[0] - 1 + _MAX_SOURCE_LINES)]
            parts.append("```text\n" + "\n".join(line[:300] for line in excerpt) + "\n```")
    return parts


def finding_markdown(code: str) -> str | None:
    """The explanation `argmap rule CODE` prints."""
    from argmap.rules.registry import get_rule

    entry = get_rule(code)
    if entry is None:
        return None
    return f"**{entry.code} {entry.name}** ({entry.level.value}): {entry.summary}\n\n{entry.explanation}"

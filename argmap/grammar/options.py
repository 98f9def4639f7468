"""Frontmatter options that reshape the model, applied once it is built.

The reference parser reads three of them while building its model, and each changes
what the map says: `model.removeTagsFromText` (tags stay tags but leave the text; the
builder drops them while it scans, see `inline.scan_inline`), `model.explodeArguments`
(an argument with several inference steps becomes one argument per step, `<A - 1>`,
`<A - 2>`, ...) and `group.regroup` (sections come from the frontmatter instead of the
headings). They are implemented as the reference (@argdown/core 1.7.5) implements them,
quirks included where they show in its output.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from argmap.model import (
    Argument,
    Document,
    ElementKind,
    PcsMember,
    PcsRole,
    Section,
    Span,
    Statement,
)


def apply_frontmatter_options(document: Document, span: Span | None) -> None:
    model = document.frontmatter.get("model")
    if isinstance(model, dict) and js_truthy(model.get("explodeArguments")):
        for argument in list(document.arguments.values()):
            _explode(document, argument)
    group = document.frontmatter.get("group")
    if isinstance(group, dict) and isinstance(group.get("regroup"), list) and group["regroup"] and span:
        _regroup(document, group["regroup"], span)


def js_truthy(value: object) -> bool:
    """JavaScript truthiness, which the reference tests its options with: any text but
    "" is on (even "false"), and so is an empty list; 0, "", null and false are off."""
    if isinstance(value, (list, dict)):
        return True
    if isinstance(value, float) and value != value:  # NaN
        return False
    return bool(value)


# ---- explodeArguments ------------------------------------------------------------


def _uses(member: PcsMember) -> list[Any] | None:
    """The premises an inference step names (`{uses: [1, 2]}`), as the reference
    looks for them: the inference's `uses`, the conclusion's `uses`, the inference's
    `from`."""
    inference = member.inference.data.values if member.inference and member.inference.data else {}
    own = member.statement.data.values if member.statement.data else {}
    for source, key in ((inference, "uses"), (own, "uses"), (inference, "from")):
        value = source.get(key)
        if isinstance(value, list):
            return value
    return None


def _step(argument: Argument, index: int) -> list[PcsMember] | None:
    pcs = argument.pcs
    uses = _uses(pcs[index])
    if uses is not None:
        if not all(isinstance(i, int) and 1 <= i <= len(pcs) for i in uses):
            return None
        premises = [pcs[i - 1] for i in uses]
    else:
        premises = []
        for member in reversed(pcs[:index]):
            premises.append(member)
            if member.role is PcsRole.INTERMEDIARY_CONCLUSION:
                break
        premises.reverse()
    return [*premises, pcs[index]]


def _explode(document: Document, argument: Argument) -> None:
    conclusions = [
        i
        for i, m in enumerate(argument.pcs)
        if m.role in (PcsRole.INTERMEDIARY_CONCLUSION, PcsRole.MAIN_CONCLUSION)
    ]
    steps = [_step(argument, i) for i in conclusions]
    if len(steps) <= 1 or any(step is None for step in steps):
        return
    titles = [f"{argument.title} - {n}" for n in range(1, len(steps) + 1)]
    if any(title in document.arguments for title in titles):
        return  # the reference stops with an error here; keep the map as written
    originals = {id(m.statement) for m in argument.pcs}
    removed: set[int] = set()
    new_arguments: dict[str, Argument] = {}
    for title, step in zip(titles, steps, strict=True):
        assert step is not None
        members = []
        for number, member in enumerate(step, start=1):
            last = number == len(step)
            statement = _substitute(document, member.statement, originals, removed)
            members.append(
                PcsMember(
                    number=number,
                    role=PcsRole.MAIN_CONCLUSION if last else PcsRole.PREMISE,
                    statement=statement,
                    inference=member.inference if last else None,
                )
            )
        new_arguments[title] = replace(argument, title=title, pcs=members)
    for relation in document.relations:
        for end in ("source", "target"):
            if (
                getattr(relation, end) == argument.title
                and getattr(relation, f"{end}_kind") is ElementKind.ARGUMENT
            ):
                setattr(relation, end, titles[-1])
    arguments = {}
    for title, existing in document.arguments.items():
        if title != argument.title:
            arguments[title] = existing
    arguments.update(new_arguments)
    document.arguments = arguments


def _substitute(
    document: Document, statement: Statement, originals: set[int], removed: set[int]
) -> Statement:
    """A copy of a PCS statement for one step, entered in its equivalence class the
    way the reference does it: the original leaves the class the first time, and
    every use adds a copy."""
    copy = replace(statement)
    ec = document.statements.get(statement.title)
    if ec is not None:
        pool = ec.references if statement.is_reference else ec.members
        if id(statement) in originals and id(statement) not in removed:
            removed.add(id(statement))
            pool[:] = [s for s in pool if s is not statement]
        pool.append(copy)
    return copy


# ---- group.regroup -------------------------------------------------------------------


def _regroup(document: Document, config: list[Any], span: Span) -> None:
    sections: list[Section] = []
    assigned: dict[tuple[str, str], str] = {}

    def visit(item: dict[str, Any], level: int, parent: str | None) -> None:
        section_id = f"s{len(sections) + 1}"
        tags = item.get("tags")
        sections.append(
            Section(
                id=section_id,
                title=str(item.get("title", "")),
                level=level,
                parent=parent,
                tags=[str(t) for t in tags] if isinstance(tags, list) else [],
                data=None,
                span=span,
            )
        )
        for key, kind in (("statements", "s"), ("arguments", "a")):
            titles = item.get(key)
            for title in titles if isinstance(titles, list) else []:
                assigned[(kind, str(title))] = section_id
        children = item.get("children")
        for child in children if isinstance(children, list) else []:
            if isinstance(child, dict):
                visit(child, level + 1, section_id)

    for item in config:
        if isinstance(item, dict):
            visit(item, 1, None)
    document.sections = sections
    for title, ec in document.statements.items():
        for statement in ec.occurrences:
            statement.section = assigned.get(("s", title))
    for title, argument in document.arguments.items():
        argument.section = assigned.get(("a", title))
        for description in argument.descriptions:
            description.section = argument.section

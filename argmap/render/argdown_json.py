"""`argmap export --to json`: the JSON shape `@argdown/cli json` writes.

Tools of the Argdown ecosystem read this file, so the keys, the relation types and
the titles follow the reference (version 1.7.5): `arguments` and `statements` keyed
by title, a flat `relations` list, nested `sections`, and `tags`.

Relations are listed as the reference lists them: an argument that has a main
conclusion speaks through that conclusion (in strict mode its support of a statement
is the conclusion's entailment, its attack the conclusion's contrariness), an
undercut of a reconstructed argument targets its inference, and a relation that is
written twice (in the thesis tree and under the conclusion) is listed once, as is
an attack or support that follows from a logical relation to a premise.
Positions are argmap's (1-based lines and columns, end column exclusive); colours
are left out.
"""

from __future__ import annotations

import re
from typing import Any

from argmap import jsonout
from argmap.model import (
    Argument,
    ArgumentDescription,
    Document,
    ElementKind,
    EquivalenceClass,
    Mode,
    PcsMember,
    Relation,
    RelationKind,
    Section,
    Span,
    Statement,
    merged_data,
    merged_tags,
)

_KIND_NAMES = {
    RelationKind.SUPPORT: "support",
    RelationKind.ATTACK: "attack",
    RelationKind.UNDERCUT: "undercut",
    RelationKind.CONTRADICTION: "contradictory",
    RelationKind.ENTAILS: "entails",
    RelationKind.CONTRARY: "contrary",
}
_SYMMETRIC = frozenset({"contradictory", "contrary"})


def _position(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _slug(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")


def export_relations(document: Document) -> list[dict[str, Any]]:
    """The document's relations as the reference lists them (see module docstring)."""
    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    items = [_export_relation(document, relation) for relation in document.relations]
    logical: set[tuple[str, str, str]] = set()
    for item in items:
        if item["fromType"] == item["toType"] == "equivalence-class":
            logical.add((item["from"], item["to"], item["relationType"]))
            if item["relationType"] in _SYMMETRIC:
                logical.add((item["to"], item["from"], item["relationType"]))
    for relation, item in zip(document.relations, items, strict=True):
        same_ends = (item["from"], item["fromType"]) == (item["to"], item["toType"])
        if same_ends and relation.source_kind is ElementKind.ARGUMENT:
            continue  # an argument relating to its own conclusion says nothing
        if _implied_by_pcs(document, item, logical):
            continue
        ends = [(item["from"], item["fromType"]), (item["to"], item["toType"])]
        if item["relationType"] in _SYMMETRIC:
            ends.sort()
        key = (*ends, item["relationType"], item.get("conclusionIndex"))
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out


def _implied_by_pcs(document: Document, item: dict[str, Any], logical: set[tuple[str, str, str]]) -> bool:
    """A statement's support or attack of a reconstructed argument that its logical
    relation to one of that argument's premises already says (the reference derives
    it from there and lists it only once, as the statement relation)."""
    if item["fromType"] != "equivalence-class" or item["toType"] != "argument":
        return False
    argument = document.arguments.get(item["to"])
    if argument is None or not argument.pcs:
        return False
    wanted = (
        ("entails", "support")
        if item["relationType"] == "support"
        else ("contrary", "contradictory", "attack")
    )
    for member in argument.premises:
        premise = member.statement.title
        if item["relationType"] == "support" and premise == item["from"]:
            return True
        if any((item["from"], premise, kind) in logical for kind in wanted):
            return True
    return False


def _export_relation(document: Document, relation: Relation) -> dict[str, Any]:
    kind = relation.kind
    source, source_type = relation.source, _type(relation.source_kind)
    target, target_type = relation.target, _type(relation.target_kind)
    if relation.source_kind is ElementKind.ARGUMENT:
        argument = document.arguments.get(relation.source)
        conclusion = argument.conclusion if argument else None
        if conclusion is not None:
            source, source_type = conclusion.statement.title, "equivalence-class"
            if relation.target_kind is ElementKind.STATEMENT and document.mode is Mode.STRICT:
                if kind is RelationKind.SUPPORT:
                    kind = RelationKind.ENTAILS
                elif kind is RelationKind.ATTACK:
                    kind = RelationKind.CONTRARY
    item: dict[str, Any] = {
        "type": "relation",
        "relationType": _KIND_NAMES[kind],
        "from": source,
        "fromType": source_type,
        "to": target,
        "toType": target_type,
    }
    if kind is RelationKind.UNDERCUT and relation.target_kind is ElementKind.ARGUMENT:
        index = relation.conclusion_index
        if index is None:
            argument = document.arguments.get(relation.target)
            if argument is not None and argument.conclusion is not None:
                index = len(argument.pcs) - 1
        if index is not None:
            item["toType"] = "inference"
            item["conclusionIndex"] = index
    return item


def _type(kind: ElementKind) -> str:
    return "argument" if kind is ElementKind.ARGUMENT else "equivalence-class"


def _statement_member(
    statement: Statement, role: str, argument: str | None = None, member: PcsMember | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "statement", "role": role, "title": statement.title}
    if statement.is_reference:
        item["isReference"] = True
    if statement.text:
        item["text"] = statement.text
    if statement.tags:
        item["tags"] = list(statement.tags)
    if statement.data is not None:
        item["data"] = statement.data.values
    span = statement.span  # _position's keys, written out: this runs once per statement
    item["startLine"], item["startColumn"] = span.line, span.column
    item["endLine"], item["endColumn"] = span.end_line, span.end_column
    if role == "top-level-statement":
        item["isTopLevel"] = True
    if argument is not None:
        item["argumentTitle"] = argument
    if member is not None and member.inference is not None:
        inference: dict[str, Any] = {
            "type": "inference",
            "inferenceRules": list(member.inference.rules),
            **_position(member.inference.span),
            "argumentTitle": argument,
        }
        if member.inference.data is not None:
            inference["data"] = member.inference.data.values
        item["inference"] = inference
    return item


def _pcs(argument: Argument) -> list[dict[str, Any]]:
    return [
        _statement_member(member.statement, member.role.value, argument.title, member)
        for member in argument.pcs
    ]


def _description(argument: Argument, description: ArgumentDescription) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "argument-description", "title": argument.title}
    if description.text:
        item["text"] = description.text
    if description.is_reference:
        item["isReference"] = True
    if description.tags:
        item["tags"] = list(description.tags)
    if description.data is not None:
        item["data"] = description.data.values
    item.update(_position(description.span))
    return item


def _roles(document: Document) -> dict[int, tuple[str, str]]:
    """id(statement) -> (role, argument title) for statements inside a PCS."""
    roles: dict[int, tuple[str, str]] = {}
    for argument in document.arguments.values():
        for member in argument.pcs:
            roles[id(member.statement)] = (member.role.value, argument.title)
    return roles


def _equivalence_class(
    ec: EquivalenceClass,
    roles: dict[int, tuple[str, str]],
    members_in_pcs: dict[int, PcsMember],
    relations: list[dict[str, Any]],
) -> dict[str, Any]:
    occurrences = ec.occurrences  # sorted on every access: once per class here
    members = []
    used_as: set[str] = set()
    for statement in occurrences:
        role, argument = roles.get(id(statement), ("", ""))
        if role:
            used_as.add(role)
            members.append(_statement_member(statement, role, argument, members_in_pcs.get(id(statement))))
        else:
            members.append(
                _statement_member(
                    statement,
                    "top-level-statement"
                    if statement.section is not None or ec.is_top_level
                    else "relation-member",
                )
            )
    item: dict[str, Any] = {
        "type": "equivalence-class",
        "title": ec.title,
        "relations": relations,
        "members": members,
        "isUsedAsTopLevelStatement": ec.is_top_level,
        "isUsedAsIntermediaryConclusion": "intermediary-conclusion" in used_as,
        "isUsedAsMainConclusion": "main-conclusion" in used_as,
    }
    tags = merged_tags(occurrences)
    if tags:
        item["tags"] = tags
    data = merged_data(occurrences)
    if data:
        item["data"] = data
    return item


def _sections(sections: list[Section]) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for section in sections:
        item: dict[str, Any] = {
            "type": "section",
            "id": section.id,
            "level": section.level,
            "title": section.title,
            "children": [],
        }
        if section.tags:
            item["tags"] = list(section.tags)
        if section.data is not None:
            item["data"] = section.data.values
            if section.data.values.get("isGroup") is not None:
                item["isGroup"] = section.data.values["isGroup"]
        if section.parent is not None:
            item["parent"] = section.parent
        item.update(_position(section.span))
        by_id[section.id] = item
        parent = by_id.get(section.parent) if section.parent else None
        (parent["children"] if parent is not None else roots).append(item)
    return roots


def regrouped(document: Document) -> bool:
    group = document.frontmatter.get("group")
    return isinstance(group, dict) and bool(group.get("regroup"))


def _tags(document: Document) -> dict[str, dict[str, Any]]:
    occurrences: list[tuple[int, int, str]] = []
    # Sections made by `group.regroup` carry the tags their configuration names; the
    # reference lists only tags written in the text.
    for section in [] if regrouped(document) else document.sections:
        occurrences.extend((section.span.line, section.span.column, tag) for tag in section.tags)
    for ec in document.statements.values():
        for statement in ec.occurrences:
            occurrences.extend((statement.span.line, statement.span.column, tag) for tag in statement.tags)
    for argument in document.arguments.values():
        for description in argument.descriptions:
            occurrences.extend(
                (description.span.line, description.span.column, tag) for tag in description.tags
            )
    ordered: dict[str, dict[str, Any]] = {}
    for _, _, tag in sorted(occurrences, key=lambda o: (o[0], o[1])):
        if tag not in ordered:
            ordered[tag] = {"tag": tag, "cssClass": f"tag-{_slug(tag)}", "occurrenceIndex": len(ordered)}
    return ordered


def export_dict(document: Document) -> dict[str, Any]:
    relations = export_relations(document)
    involving: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for relation in relations:
        involving.setdefault((relation["fromType"], relation["from"]), []).append(relation)
        to_type = "argument" if relation["toType"] == "inference" else relation["toType"]
        if (to_type, relation["to"]) != (relation["fromType"], relation["from"]):
            involving.setdefault((to_type, relation["to"]), []).append(relation)
    roles = _roles(document)
    members_in_pcs = {id(m.statement): m for a in document.arguments.values() for m in a.pcs}
    arguments: dict[str, Any] = {}
    for argument in document.arguments.values():
        item: dict[str, Any] = {
            "type": "argument",
            "title": argument.title,
            "relations": involving.get(("argument", argument.title), []),
            "members": [_description(argument, d) for d in argument.descriptions],
            "pcs": _pcs(argument),
        }
        if argument.tags:
            item["tags"] = argument.tags
        if argument.data:
            item["data"] = argument.data
        if argument.section is not None:
            item["section"] = argument.section
        item.update(_position(argument.span))
        arguments[argument.title] = item
    statements = {
        ec.title: _equivalence_class(
            ec, roles, members_in_pcs, involving.get(("equivalence-class", ec.title), [])
        )
        for ec in document.statements.values()
    }
    return {
        "arguments": arguments,
        "statements": statements,
        "relations": relations,
        "sections": _sections(document.sections),
        "tags": _tags(document),
    }


def export_json(document: Document) -> str:
    return jsonout.dumps(export_dict(document), default=str)

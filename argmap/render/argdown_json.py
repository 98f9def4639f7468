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

import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from operator import attrgetter
from typing import Any

from argmap import jsonout
from argmap.model import (
    Argument,
    ArgumentDescription,
    Document,
    ElementKind,
    EquivalenceClass,
    Inference,
    Mode,
    PcsRole,
    Relation,
    RelationKind,
    Section,
    Span,
    Statement,
    merge_blocks_read_only,
    merge_tag_lists,
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
    transform = _transforms_argument_relations(document)
    items = [_export_relation(document, relation, transform) for relation in document.relations]
    implied_by_pcs = _ImpliedByPcs(document, items)
    for relation, item in zip(document.relations, items, strict=True):
        source, source_type, target, target_type = item["from"], item["fromType"], item["to"], item["toType"]
        if (
            source == target
            and source_type == target_type
            and relation.source_kind is ElementKind.ARGUMENT
            and (relation.target, relation.target_kind) != (relation.source, relation.source_kind)
        ):
            continue  # an argument relating to its own conclusion says nothing (`<A> + <A>` is kept)
        relation_type = item["relationType"]
        if (
            relation_type == "attack"
            and target_type == "argument"
            and source_type == "equivalence-class"
            and implied_by_pcs(source, target)
        ):
            continue
        # a symmetric relation is the same whichever end it was written from
        if relation_type in _SYMMETRIC and (target, target_type) < (source, source_type):
            key = (target, target_type, source, source_type, relation_type, item.get("conclusionIndex"))
        else:
            key = (source, source_type, target, target_type, relation_type, item.get("conclusionIndex"))
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out


class _ImpliedByPcs:
    """Is a statement's attack on a reconstructed argument already said by its attack
    on, or contrariness or contradiction with, one of the argument's premises? The
    reference then lists it once, as the statement relation (a support of the
    argument it always keeps). Set lookups, not a walk over the premises: an argument
    with thousands of premises and as many statements supporting it stays linear.
    What it looks up is built on the first such attack (most maps have none)."""

    def __init__(self, document: Document, items: list[dict[str, Any]]) -> None:
        self.arguments = document.arguments
        self.items = items
        # (statement, relation type) -> the statements it has that logical relation to
        self.logical: dict[tuple[str, str], set[str]] | None = None
        self.premises: dict[str, frozenset[str]] = {}  # argument -> its premises' titles

    def __call__(self, statement: str, argument_title: str) -> bool:
        argument = self.arguments.get(argument_title)
        if argument is None or not argument.pcs:
            return False
        titles = self.premises.get(argument_title)
        if titles is None:
            titles = frozenset(member.statement.title for member in argument.premises)
            self.premises[argument_title] = titles
        logical = self.logical if self.logical is not None else self._logical()
        wanted = ("contrary", "contradictory", "attack")
        return any(not titles.isdisjoint(logical.get((statement, kind), ())) for kind in wanted)

    def _logical(self) -> dict[tuple[str, str], set[str]]:
        logical: dict[tuple[str, str], set[str]] = {}
        for item in self.items:
            if item["fromType"] == item["toType"] == "equivalence-class":
                logical.setdefault((item["from"], item["relationType"]), set()).add(item["to"])
                if item["relationType"] in _SYMMETRIC:
                    logical.setdefault((item["to"], item["relationType"]), set()).add(item["from"])
        self.logical = logical
        return logical


def _transforms_argument_relations(document: Document) -> bool:
    """Does the reference speak for an argument through its main conclusion here? Not
    when the frontmatter's `model` is no mapping (`model: strict`, an empty `model:`):
    the reference then replaces its model settings with an empty object, which turns
    that rewriting (its `transformArgumentRelations`) off; an undercut of an argument
    then stays one (not of its last inference step)."""
    return "model" not in document.frontmatter or isinstance(document.frontmatter["model"], dict)


def _export_relation(document: Document, relation: Relation, transform: bool = True) -> dict[str, Any]:
    kind = relation.kind
    source_kind = relation.source_kind
    source, source_type = relation.source, _TYPE_NAMES[source_kind]
    target, target_type = relation.target, _TYPE_NAMES[relation.target_kind]
    if source_kind is ElementKind.ARGUMENT and transform:
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
        index = relation.conclusion_index  # written under an inference line: always its step
        if index is None and transform:  # an undercut of the argument: of its last step
            argument = document.arguments.get(relation.target)
            if argument is not None and argument.conclusion is not None:
                index = len(argument.pcs) - 1
        if index is not None:
            item["toType"] = "inference"
            item["conclusionIndex"] = index
    return item


_TYPE_NAMES = {ElementKind.ARGUMENT: "argument", ElementKind.STATEMENT: "equivalence-class"}


_SPAN_START = attrgetter("span.line", "span.column")
# the kinds of tagged places, in the order the reference meets them at one position
_SECTION, _STATEMENT, _DESCRIPTION = 0, 1, 2
# `member.role.value` goes through enum's property descriptor; a dict lookup does not
_ROLE_NAMES = {role: role.value for role in PcsRole}


def _occurrences(ec: EquivalenceClass) -> list[Statement]:
    """`ec.occurrences` (document order), without copying or sorting the usual single
    one (the list is only read)."""
    if not ec.references and len(ec.members) == 1:
        return ec.members
    return sorted(ec.members + ec.references, key=_SPAN_START)


# An occurrence's item and what its equivalence class takes from it: (item, role, tags,
# line, column, data block), kept from when the item was written. On a large map the
# class comes long after its PCS items were written, and reading each key of a 12-key
# dict again is a cache miss; one tuple is one or two.
_Written = tuple[dict[str, Any], str, list[str], int, int, dict[str, Any] | None]


def _merged_tags(tag_lists: list[list[str]]) -> list[str]:
    """The tags of the lists, each once. One list of one tag is the usual case: it is
    its own merge (the model's list, only read, as the items' lists are); one list
    needs no generator over lists of lists."""
    if len(tag_lists) == 1:
        tags = tag_lists[0]
        return tags if len(tags) == 1 else list(dict.fromkeys(tags))
    return merge_tag_lists(tag_lists)


class _Export:
    """One export of a document; what it gathers on the way:

    - `user_values`: every data block it writes (the only values of the user's choosing:
      numbers, dates, keys that are not strings), for `jsonout` to check alone (the data
      of a class or an argument is merged from these blocks: keys and values they hold);
    - `in_pcs`: id(statement) -> its item in a PCS, which its equivalence class lists
      too (the reference writes it alike in both places), with what the class takes
      from it (`_Written`);
    - `first_use`: each tag's first use (`note_tags`), for the list of tags;
    - `recheck`: id() of each PCS item whose argument's part of the text needed the
      standard library (see `text`), to be checked again where its class lists it."""

    def __init__(self) -> None:
        self.user_values: list[Any] = []
        self.in_pcs: dict[int, _Written] = {}
        self.first_use: dict[str, tuple[int, int, int, int, int]] = {}
        self.noted = 0
        self.recheck: set[int] = set()

    def statement(
        self, statement: Statement, role: str, argument: str | None = None, inference: Inference | None = None
    ) -> _Written:
        """The occurrence's item, with what its class takes from it (read from the
        model once: each read of a model object on a large map is a cache miss)."""
        item: dict[str, Any] = {"type": "statement", "role": role, "title": statement.title}
        if statement.is_reference:
            item["isReference"] = True
        text = statement.text
        if text:
            item["text"] = text
        tags = statement.tags
        if tags:
            item["tags"] = tags  # the model's list, as `data` is its block's dict: only read
        block = statement.data
        data = None
        if block is not None:
            data = item["data"] = block.values
            self.user_values.append(data)
        span = statement.span  # _position's keys, written out: this runs once per statement
        line = item["startLine"] = span.line
        column = item["startColumn"] = span.column
        item["endLine"], item["endColumn"] = span.end_line, span.end_column
        if role == "top-level-statement":
            item["isTopLevel"] = True
        if argument is not None:
            item["argumentTitle"] = argument
        if inference is not None:
            item["inference"] = self.inference(inference, argument)
        return item, role, tags, line, column, data

    def inference(self, inference: Inference, argument: str | None) -> dict[str, Any]:
        span = inference.span
        item: dict[str, Any] = {
            "type": "inference",
            "inferenceRules": list(inference.rules),
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
            "argumentTitle": argument,
        }
        if inference.data is not None:
            item["data"] = inference.data.values
            self.user_values.append(inference.data.values)
        return item

    def pcs(self, argument: Argument) -> list[dict[str, Any]]:
        items = []
        title = argument.title
        in_pcs = self.in_pcs
        for member in argument.pcs:
            statement = member.statement
            written = self.statement(statement, _ROLE_NAMES[member.role], title, member.inference)
            in_pcs[id(statement)] = written
            items.append(written[0])
        return items

    def description(self, title: str, description: ArgumentDescription) -> dict[str, Any]:
        item: dict[str, Any] = {"type": "argument-description", "title": title}
        if description.text:
            item["text"] = description.text
        if description.is_reference:
            item["isReference"] = True
        span = description.span
        tags = description.tags
        if tags:
            item["tags"] = tags
            self.note_tags(span.line, span.column, _DESCRIPTION, tags)
        if description.data is not None:
            item["data"] = description.data.values
            self.user_values.append(description.data.values)
        item["startLine"], item["startColumn"] = span.line, span.column
        item["endLine"], item["endColumn"] = span.end_line, span.end_column
        return item

    def argument(self, argument: Argument, relations: list[dict[str, Any]]) -> dict[str, Any]:
        title = argument.title
        members = [self.description(title, d) for d in argument.descriptions]
        item: dict[str, Any] = {
            "type": "argument",
            "title": title,
            "relations": relations,
            "members": members,
            "pcs": self.pcs(argument),
        }
        # the argument's tags and data merge its descriptions': read from their items
        tag_lists = [member["tags"] for member in members if "tags" in member]
        if tag_lists:
            item["tags"] = _merged_tags(tag_lists)
        blocks = [member["data"] for member in members if "data" in member]
        data = merge_blocks_read_only(blocks) if blocks else None
        if data:
            item["data"] = data
        if argument.section is not None:
            item["section"] = argument.section
        span = argument.span
        item["startLine"], item["startColumn"] = span.line, span.column
        item["endLine"], item["endColumn"] = span.end_line, span.end_column
        return item

    def equivalence_class(self, ec: EquivalenceClass, relations: list[dict[str, Any]]) -> dict[str, Any]:
        """The class; call after every argument (a member of a PCS is its item there)."""
        occurrences = _occurrences(ec)
        written = self.in_pcs.get(id(occurrences[0])) if len(occurrences) == 1 else None
        if written is not None and not self.recheck:
            return self.pcs_class(ec, relations, written)
        members = []
        intermediary = main = False
        tag_lists: list[list[str]] = []
        blocks: list[dict[str, Any]] = []
        other_role = "top-level-statement" if ec.is_top_level else "relation-member"
        in_pcs = self.in_pcs
        recheck = self.recheck
        for statement in occurrences:
            written = in_pcs.get(id(statement))
            if written is None:
                written = self.statement(
                    statement, "top-level-statement" if statement.section is not None else other_role
                )
            elif recheck and id(written[0]) in recheck:
                self.user_values.append(written[0])  # its data blocks are in this part's text too
            item, role, tags, line, column, data = written
            members.append(item)
            if role == "main-conclusion":
                main = True
            elif role == "intermediary-conclusion":
                intermediary = True
            if tags:
                tag_lists.append(tags)
                self.note_tags(line, column, _STATEMENT, tags)
            if data is not None:
                blocks.append(data)
        item = {
            "type": "equivalence-class",
            "title": ec.title,
            "relations": relations,
            "members": members,
            "isUsedAsTopLevelStatement": ec.is_top_level,
            "isUsedAsIntermediaryConclusion": intermediary,
            "isUsedAsMainConclusion": main,
        }
        if tag_lists:
            item["tags"] = _merged_tags(tag_lists)
        merged = merge_blocks_read_only(blocks) if blocks else None
        if merged:
            item["data"] = merged
        return item

    def pcs_class(
        self, ec: EquivalenceClass, relations: list[dict[str, Any]], written: _Written
    ) -> dict[str, Any]:
        """`equivalence_class` of the usual class (nine in ten on a large map): one
        occurrence, written in its PCS; no lists to gather its members' tags and data in."""
        member, role, tags, line, column, data = written
        item = {
            "type": "equivalence-class",
            "title": ec.title,
            "relations": relations,
            "members": [member],
            "isUsedAsTopLevelStatement": ec.is_top_level,
            "isUsedAsIntermediaryConclusion": role == "intermediary-conclusion",
            "isUsedAsMainConclusion": role == "main-conclusion",
        }
        if tags:
            self.note_tags(line, column, _STATEMENT, tags)
            item["tags"] = _merged_tags([tags])
        if data:  # as `merge_blocks_read_only` of one block, and only when it holds a key
            item["data"] = data
        return item

    def sections(self, sections: list[Section]) -> list[dict[str, Any]]:
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
                self.user_values.append(section.data.values)  # isGroup below is one of them
                if section.data.values.get("isGroup") is not None:
                    item["isGroup"] = section.data.values["isGroup"]
            if section.parent is not None:
                item["parent"] = section.parent
            item.update(_position(section.span))
            by_id[section.id] = item
            parent = by_id.get(section.parent) if section.parent else None
            (parent["children"] if parent is not None else roots).append(item)
        return roots

    def note_tags(self, line: int, column: int, kind: int, tags: list[str]) -> None:
        """Note a tagged place while its tags are still in the processor's cache (a pass
        over every place at the end read each list again from memory): each tag keeps
        the least (line, column, kind, order noted, index in the list) it has, which is
        where a stable sort of the places by position (sections, then statements, then
        descriptions, each in the order noted, where two start at one place) and a walk
        over their tags would first meet it."""
        self.noted += 1
        first_use = self.first_use
        for index, tag in enumerate(tags):
            place = (line, column, kind, self.noted, index)
            known = first_use.get(tag)
            if known is None or place < known:
                first_use[tag] = place

    def tags(self, document: Document) -> dict[str, dict[str, Any]]:
        """The tags in the order the text first uses them; call after the rest."""
        # Sections made by `group.regroup` carry the tags their configuration names; the
        # reference lists only tags written in the text.
        for section in [] if regrouped(document) else document.sections:
            if section.tags:
                self.note_tags(section.span.line, section.span.column, _SECTION, section.tags)
        first_use = self.first_use
        ordered: dict[str, dict[str, Any]] = {}
        for tag in sorted(first_use, key=first_use.__getitem__):
            ordered[tag] = {"tag": tag, "cssClass": f"tag-{_slug(tag)}", "occurrenceIndex": len(ordered)}
        return ordered

    def document(self, document: Document) -> dict[str, Any]:
        relations = export_relations(document)
        involving = _involving(relations)
        arguments = {
            title: self.argument(argument, involving["argument"].get(title) or [])
            for title, argument in document.arguments.items()
        }
        statements = {
            title: self.equivalence_class(ec, involving["equivalence-class"].get(title) or [])
            for title, ec in document.statements.items()
        }
        return {
            "arguments": arguments,
            "statements": statements,
            "relations": relations,
            "sections": self.sections(document.sections),
            "tags": self.tags(document),
        }

    def text(self, part: dict[str, Any] | list[Any]) -> tuple[memoryview, bool]:
        """The JSON text of `part`'s entries as the export's text holds them, two levels
        deep (`[part]` written, less its first two lines and its last two), and whether
        orjson wrote it; checked with the user values gathered since the last part.

        Each part is written alone (orjson where it writes what `json.dumps` writes,
        the standard library where not), so one odd number costs its part, not the
        whole text. Both write a value the same wherever it stands, but for the
        indentation its depth gives it: the parts joined are the text of the whole."""
        values, self.user_values = self.user_values, []
        wrapped = [part]
        text = jsonout.orjson_bytes(wrapped, default=_js_value, user_values=values)
        if text is not None:
            return memoryview(text)[6:-7], True  # orjson's text: no NaN or Infinity in it
        # json.dumps writes NaN and the infinities as `NaN`/`Infinity` (not JSON)
        finite = _finite(wrapped) if any(map(_has_non_finite, values)) else wrapped
        text = jsonout.dumps_bytes(finite, default=_js_value, user_values=values)
        return memoryview(text)[6:-7], False


_Involving = dict[str, dict[str, list[dict[str, Any]]]]


def _involving(relations: list[dict[str, Any]]) -> _Involving:
    """type ("argument", "equivalence-class") -> title -> the relations listed with
    that argument or class (by title alone: no (type, title) tuple to make and hash
    twice a relation)."""
    involving: _Involving = {"argument": {}, "equivalence-class": {}}
    for relation in relations:
        source, source_type, target = relation["from"], relation["fromType"], relation["to"]
        target_type = "argument" if relation["toType"] == "inference" else relation["toType"]
        _list_with(involving[source_type], source, relation)
        if target != source or target_type != source_type:
            _list_with(involving[target_type], target, relation)
    return involving


def _list_with(index: dict[str, list[dict[str, Any]]], title: str, relation: dict[str, Any]) -> None:
    listed = index.get(title)
    if listed is None:
        index[title] = [relation]
    else:
        listed.append(relation)


# Entries written per part of the text: the part's dicts are still in the processor's
# cache when orjson reads them, and its text is written out and freed before the next
# (a map's whole text in one piece was a third of the export's memory).
_PART = 64


class JsonText:
    """`argmap export --to json`'s text, as pieces to write one after the other (UTF-8;
    iterate once). Only the PCS items (which their classes list again) and the
    relations are held from one part to the next."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.export = _Export()
        self.relations: list[dict[str, Any]] = []

    def __iter__(self) -> Iterator[bytes | memoryview]:
        document = self.document
        relations = self.relations = export_relations(document)
        involving = _involving(relations)
        yield b"{\n"
        yield from _member("arguments", b"{}", self._arguments(involving))
        yield b",\n"
        yield from _member("statements", b"{}", self._classes(involving))
        yield b",\n"
        yield from _member("relations", b"[]", self._relations(relations))
        yield b",\n"
        # after the classes: the sections' data are the user values of their one part
        yield from _member("sections", b"[]", self._whole(self.export.sections(document.sections)))
        yield b",\n"
        yield from _member("tags", b"{}", self._whole(self.export.tags(document)))  # after the rest
        yield b"\n}\n"

    def _arguments(self, involving: _Involving) -> Iterator[memoryview]:
        export, listed = self.export, involving["argument"]
        # the dict's own item iterator, a part at a time: it reuses one (title, value)
        # tuple, where a list of them would be freed at the end, each item read again
        items = iter(self.document.arguments.items())
        for _ in range(0, len(self.document.arguments), _PART):
            part = {
                title: export.argument(argument, listed.get(title) or [])
                for title, argument in islice(items, _PART)
            }
            text, plain = export.text(part)
            if not plain:  # its PCS items may hold what orjson writes otherwise
                export.recheck.update(id(item) for argument in part.values() for item in argument["pcs"])
            yield text

    def _classes(self, involving: _Involving) -> Iterator[memoryview]:
        export, listed = self.export, involving["equivalence-class"]
        items = iter(self.document.statements.items())  # as in `_arguments`
        for _ in range(0, len(self.document.statements), _PART):
            part = {
                title: export.equivalence_class(ec, listed.get(title) or [])
                for title, ec in islice(items, _PART)
            }
            yield export.text(part)[0]

    def _relations(self, relations: list[dict[str, Any]]) -> Iterator[memoryview]:
        for start in range(0, len(relations), _PART):  # no user values in them
            yield self.export.text(relations[start : start + _PART])[0]

    def _whole(self, value: dict[str, Any] | list[Any]) -> Iterator[memoryview]:
        if value:
            yield self.export.text(value)[0]


def _member(key: str, empty: bytes, parts: Iterator[memoryview]) -> Iterator[bytes | memoryview]:
    """`  "key": ` and its value (`{…}` or `[…]`, `empty` shows which), whose entries'
    text comes in `parts`: one member of the export's top-level object."""
    opening = f'  "{key}": '.encode()
    first = next(parts, None)
    if first is None:
        yield opening + empty
        return
    yield opening + empty[:1] + b"\n"
    yield first
    for part in parts:
        yield b",\n"
        yield part
    yield b"\n  " + empty[1:]


def regrouped(document: Document) -> bool:
    group = document.frontmatter.get("group")
    return isinstance(group, dict) and bool(group.get("regroup"))


def export_dict(document: Document) -> dict[str, Any]:
    """The reference's JSON for `document`, as Python values. A statement of a PCS is
    one dict, listed both in its argument's `pcs` and in its class's `members`; tag
    lists and data blocks are the model's own (read them, never change them)."""
    return _Export().document(document)


def export_json_bytes(document: Document) -> bytes:
    """`export_json`, UTF-8 encoded (what `argmap export` writes)."""
    return b"".join(JsonText(document))


def _js_value(value: Any) -> Any:
    """What JSON.stringify writes for a data value JSON has no type for: a date as
    `Date.toISOString` (UTC, milliseconds), anything else as its text."""
    if isinstance(value, datetime):
        instant = value.astimezone(UTC) if value.tzinfo is not None else value
        return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"
    return str(value)


def _has_non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(map(_has_non_finite, value.values()))
    return isinstance(value, list) and any(map(_has_non_finite, value))


def _finite(value: Any) -> Any:
    """`value` with NaN and the infinities as None (JSON.stringify writes them null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def export_json(document: Document) -> str:
    return export_json_bytes(document).decode("utf-8")

"""Completion from what the cursor follows on its line.

- `[` or `@[`: statement titles; `<` or `@<`: argument titles (closing bracket added
  when the line does not have one yet);
- after a relation symbol (`+`, `-`, `+>`, `->`, `<+`, `<-`, `_>`, `<_`, `><`)
  and a space: every statement and argument, written with its brackets;
- inside `{...}`, where a key goes: the data keys argmap reads;
- inside `[evidence](...)`: files and folders next to the map (`docs/...`).
"""

from __future__ import annotations

import os
import re

from lsprotocol import types

from argmap.lsp.analysis import Analysis
from argmap.lsp.positions import position
from argmap.model import ElementKind

DATA_KEYS: dict[str, str] = {
    "credence": "stated probability that the statement is true (0-1)",
    "inference": "probability that the conclusion follows from the premises (0-1)",
    "reason": "why this number (vargdown wants it before the number)",
    "math": 'a checked calculation, e.g. "0.8 * 0.9 == 0.72"',
    "uses": "premise numbers an inference uses, e.g. [1, 2]",
    "prior": "base rate before the evidence (0-1)",
    "concentration": "Beta concentration of the Monte Carlo draws",
    "isInMap": "false hides the element from the rendered map",
}

_TITLE = re.compile(r"(@?)([\[<])([^\[\]<>]*)$")
_RELATION = re.compile(r"^\s*(?:\+>|->|<\+|<-|_>|<_|><|\+|-|_)\s+(\S*)$")
_DATA_KEY = re.compile(r"[{,]\s*([A-Za-z_]*)$")
_EVIDENCE = re.compile(r"\[evidence\]\(([^)#\s]*)$")
_MAX_FILES = 500


def completions(analysis: Analysis, line: int, column: int) -> list[types.CompletionItem]:
    """Items for the cursor at 1-based (`line`, `column`)."""
    text = analysis.lines[line - 1] if 0 < line <= len(analysis.lines) else ""
    before, after = text[: column - 1], text[column - 1 :]

    def typed_range(typed: str) -> types.Range:
        return types.Range(
            start=position(analysis.lines, line, column - len(typed)),
            end=position(analysis.lines, line, column),
        )

    evidence = _EVIDENCE.search(before)
    if evidence:
        folder, _, prefix = evidence.group(1).rpartition("/")
        return _paths(analysis, folder, prefix, typed_range(prefix))
    data = _DATA_KEY.search(before)
    block = before[before.rfind("{") :] if "{" in before else ""
    if data and before.count("{") > before.count("}") and block.count('"') % 2 == 0:
        where = typed_range(data.group(1))
        return [
            types.CompletionItem(
                label=key,
                kind=types.CompletionItemKind.Property,
                detail=doc,
                text_edit=types.TextEdit(range=where, new_text=f"{key}: "),
            )
            for key, doc in DATA_KEYS.items()
            if key.startswith(data.group(1))
        ]
    title = _TITLE.search(before)
    if title:
        kind = ElementKind.STATEMENT if title.group(2) == "[" else ElementKind.ARGUMENT
        closer = "]" if kind is ElementKind.STATEMENT else ">"
        close = "" if after.lstrip().startswith(closer) else closer
        where = typed_range(title.group(3))
        return [_title_item(t, kind, t + close, t, where) for t in analysis.titles(kind)]
    relation = _RELATION.search(before)
    if relation:
        where = typed_range(relation.group(1))
        items = []
        for kind in (ElementKind.STATEMENT, ElementKind.ARGUMENT):
            for t in analysis.titles(kind):
                written = f"[{t}]" if kind is ElementKind.STATEMENT else f"<{t}>"
                items.append(_title_item(t, kind, written, written, where))
        return items
    return []


def _title_item(
    title: str, kind: ElementKind, insert: str, filter_text: str, where: types.Range
) -> types.CompletionItem:
    statement = kind is ElementKind.STATEMENT
    return types.CompletionItem(
        label=f"[{title}]" if statement else f"<{title}>",
        kind=types.CompletionItemKind.Constant if statement else types.CompletionItemKind.Function,
        filter_text=filter_text,
        text_edit=types.TextEdit(range=where, new_text=insert),
    )


def _paths(analysis: Analysis, folder: str, prefix: str, where: types.Range) -> list[types.CompletionItem]:
    """Entries of `folder` (relative to the map, never outside its folder) that start
    with `prefix`."""
    base = os.path.dirname(os.path.abspath(analysis.path))
    target = os.path.normpath(os.path.join(base, folder))
    if os.path.commonpath([base, target]) != base or not os.path.isdir(target):
        return []
    items = []
    with os.scandir(target) as entries:
        for entry in sorted(entries, key=lambda e: e.name)[:_MAX_FILES]:
            if entry.name.startswith(".") or not entry.name.startswith(prefix):
                continue
            is_dir = entry.is_dir()
            name = entry.name + ("/" if is_dir else "")
            items.append(
                types.CompletionItem(
                    label=(folder + "/" if folder else "") + name,
                    kind=types.CompletionItemKind.Folder if is_dir else types.CompletionItemKind.File,
                    filter_text=name,
                    text_edit=types.TextEdit(range=where, new_text=name),
                )
            )
    return items

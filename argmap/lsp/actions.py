"""Quick fixes, wherever argmap knows the fix for a finding.

- `E405` / `E403` (a quote found outside its cited lines): rewrite the link's line
  range, with the edits `argmap check --fix` plans (`argmap.evidence.fix`);
- `G301` (`[X]` used, only an argument X exists): write `<X>` instead;
- `P106` (a conclusion without an inference line): insert `----` above it;
- any finding: add `// argmap: ignore[CODE]` at the end of its line (or add the
  code to a directive already there).
"""

from __future__ import annotations

import re

from lsprotocol import types

from argmap.lsp.analysis import Analysis
from argmap.lsp.positions import position, span_range
from argmap.model import ElementKind

_DIRECTIVE = re.compile(r"argmap:\s*ignore\[([^\]]*)\]")


def code_actions(analysis: Analysis, uri: str, wanted: list[types.Diagnostic]) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    for diagnostic in wanted:
        code = str(diagnostic.code or "")
        line = diagnostic.range.start.line + 1
        edits: list[tuple[str, list[types.TextEdit]]] = []
        if code in ("E405", "E403"):
            edits.append(
                ("Rewrite the cited line range (as `argmap check --fix`)", _range_fix(analysis, line))
            )
        elif code == "G301":
            edits.append(_argument_reference_fix(analysis, line))
        elif code == "P106":
            edits.append(("Insert the inference line `----`", [_insert_line(analysis, line, "----")]))
        if code:
            edits.append(
                (f"Ignore {code} on this line (// argmap: ignore[{code}])", _ignore(analysis, line, code))
            )
        for title, changes in edits:
            if changes:
                actions.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=not title.startswith("Ignore"),
                        edit=types.WorkspaceEdit(changes={uri: changes}),
                    )
                )
    return actions


def _range_fix(analysis: Analysis, line: int) -> list[types.TextEdit]:
    from argmap.evidence.fix import planned_edits

    report = analysis.evidence
    if report is None or not 0 < line <= len(analysis.lines):
        return []
    text = analysis.lines[line - 1]
    found = []
    for edit in planned_edits(report.results):
        if edit.line != line:
            continue
        start = text.find(f"({edit.old})")
        if start < 0:
            continue
        column = start + 2  # after `(`
        found.append(
            types.TextEdit(
                range=types.Range(
                    start=position(analysis.lines, line, column),
                    end=position(analysis.lines, line, column + len(edit.old)),
                ),
                new_text=edit.new,
            )
        )
    return found


def _argument_reference_fix(analysis: Analysis, line: int) -> tuple[str, list[types.TextEdit]]:
    document = analysis.document
    for occurrence in analysis.occurrences.get(line, ()):
        if (
            occurrence.kind is ElementKind.STATEMENT
            and occurrence.title in document.arguments
            and not (
                document.statements.get(occurrence.title) and document.statements[occurrence.title].members
            )
        ):
            where = span_range(analysis.lines, occurrence.span)
            prefix = "@" if occurrence.role == "mention" else ""
            new = f"{prefix}<{occurrence.title}>"
            return (f"Write {new} (the argument)", [types.TextEdit(range=where, new_text=new)])
    return ("", [])


def _insert_line(analysis: Analysis, line: int, text: str) -> types.TextEdit:
    above = analysis.lines[line - 1] if 0 < line <= len(analysis.lines) else ""
    indent = above[: len(above) - len(above.lstrip())]
    start = types.Position(line=line - 1, character=0)
    return types.TextEdit(range=types.Range(start=start, end=start), new_text=f"{indent}{text}\n")


def _ignore(analysis: Analysis, line: int, code: str) -> list[types.TextEdit]:
    if not 0 < line <= len(analysis.lines):
        return []
    text = analysis.lines[line - 1]
    existing = _DIRECTIVE.search(text)
    if existing:
        codes = [c.strip() for c in existing.group(1).split(",") if c.strip()]
        if code in codes:
            return []
        at = position(analysis.lines, line, existing.end(1) + 1)
        return [types.TextEdit(range=types.Range(start=at, end=at), new_text=(", " if codes else "") + code)]
    stripped = text.rstrip()
    at = position(analysis.lines, line, len(stripped) + 1)
    line_end = position(analysis.lines, line, len(text) + 1)
    return [types.TextEdit(range=types.Range(start=at, end=line_end), new_text=f" // argmap: ignore[{code}]")]

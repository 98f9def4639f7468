"""One editor buffer understood: parsed, checked, indexed by title.

An `Analysis` is built from the buffer's text (never from the file on disk) and is
immutable once built; the server keeps the latest one per document. Parsing is
eager (every feature needs it); the rule findings, the evidence report and the
scores are computed on first use and kept, so a hover never re-runs the checks.
Evidence files are read through `argmap.evidence.sources.run_cache`, the process's
cache keyed by (path, size, mtime): while a source is unchanged on disk it is read
and normalised once for the life of the server, however often the map is edited.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from argmap.diagnostics import Diagnostic
from argmap.engine import DEFAULT_SEMANTICS
from argmap.model import Document, ElementKind, Span, Statement

if TYPE_CHECKING:
    from argmap.config import Settings

DEFINITION = "definition"
REFERENCE = "reference"
MENTION = "mention"


@dataclass(frozen=True)
class Occurrence:
    """One place a title is written: `[Title]`, `<Title>`, `@[Title]` or `@<Title>`.
    `span` covers the brackets (and the `@`); `statement` is set for statements."""

    title: str
    kind: ElementKind
    role: str
    span: Span
    statement: Statement | None = None

    @property
    def key(self) -> tuple[ElementKind, str]:
        return (self.kind, self.title)

    @property
    def written(self) -> str:
        return f"[{self.title}]" if self.kind is ElementKind.STATEMENT else f"<{self.title}>"


class Analysis:
    """The parse, the findings and the title index of one version of one buffer."""

    def __init__(
        self, path: str, text: str, evidence: bool = True, semantics: str = DEFAULT_SEMANTICS
    ) -> None:
        from argmap.grammar import parse_bytes

        self.path = path
        self.text = text
        self.evidence_enabled = evidence
        self.semantics = semantics
        self.document: Document = parse_bytes(text.encode("utf-8", errors="replace"), path)
        self.lines: list[str] = self.document.lines or text.split("\n")
        self.occurrences = _index(self.document)
        self._lock = threading.Lock()
        self._findings: list[Diagnostic] | None = None
        self._evidence: Any = None
        self._scores: dict[str, Any] = {}

    # ---- what `argmap check` reports ---------------------------------------------

    @property
    def findings(self) -> list[Diagnostic]:
        """Every finding `argmap check` reports for this text, under the map's config."""
        with self._lock:
            if self._findings is None:
                self._findings = _check(self.document, self.evidence_enabled)
            return self._findings

    @property
    def evidence(self) -> Any:
        """The evidence report (`argmap.evidence.check.EvidenceReport`) or None when
        evidence checks are off for this buffer."""
        with self._lock:
            if self._evidence is None and self.evidence_enabled and self.document.lines:
                from argmap.config import settings_for
                from argmap.evidence.check import check_document

                settings = settings_for(self.path)
                self._evidence = check_document(self.document, settings.evidence_thresholds())
            return self._evidence

    def score(self, samples: int = 2000) -> Any:
        """`argmap.score` of this buffer (a `ScoreResult`), None when nothing can be scored."""
        with self._lock:
            if "result" not in self._scores:
                from argmap.engine.api import ScoreError, score

                try:
                    self._scores["result"] = score(self.document, semantics=self.semantics, samples=samples)
                except (ScoreError, KeyError, ValueError):
                    self._scores["result"] = None
            return self._scores["result"]

    def release(self) -> None:
        """Forget what other modules cached about this document; the server calls it
        when the analysis is replaced or its document closed. `argmap.graph` keeps each
        document's argument graph in a module-level dict until the document is
        collected, but the graph refers to the document, so in a long-lived process it
        never is: without this, memory grew by about 0.6 MB per edit of the real map."""
        from argmap import graph

        cache = getattr(graph, "_CACHE", None)
        if isinstance(cache, dict):
            cache.pop(id(self.document), None)

    # ---- the title index -------------------------------------------------------

    def at(self, line: int, column: int) -> Occurrence | None:
        from argmap.lsp.positions import contains

        for occurrence in self.occurrences.get(line, ()):
            if contains(occurrence.span, line, column):
                return occurrence
        return None

    def all_of(self, key: tuple[ElementKind, str]) -> list[Occurrence]:
        found = [o for group in self.occurrences.values() for o in group if o.key == key]
        return sorted(found, key=lambda o: (o.span.line, o.span.column))

    def titles(self, kind: ElementKind) -> list[str]:
        if kind is ElementKind.STATEMENT:
            return [t for t, c in self.document.statements.items() if not c.is_untitled]
        return [t for t, a in self.document.arguments.items() if not a.is_untitled]


def _check(document: Document, evidence: bool) -> list[Diagnostic]:
    """What `checking.check_paths` does for one map, on an already parsed document.
    The evidence rules run apart, through `_evidence_findings`."""
    from argmap.checking import CheckOptions, apply_ignores
    from argmap.config import settings_for
    from argmap.rules.registry import run_rules

    settings = settings_for(document.path, CheckOptions(evidence=evidence))
    findings = [kept for d in document.diagnostics if (kept := settings.apply(d)) is not None]
    findings.extend(_config_findings(document.path, settings.diagnostics))
    findings.extend(run_rules(document, replace(settings, evidence=False)))
    if settings.evidence:
        findings.extend(_evidence_findings(document, settings))
    return sorted(apply_ignores(document, findings), key=lambda d: d.sort_key)


def _config_findings(path: str, problems: list[Diagnostic]) -> list[Diagnostic]:
    """A malformed configuration (F008) shown on the map's first line, where the
    editor shows it: the configuration file is rarely open beside the map."""
    import os

    return [
        Diagnostic.at(
            d.code,
            d.level,
            f"{os.path.basename(d.file)} line {d.line}: {d.message} (this map is checked with the defaults)",
            path,
            None,
            d.hint,
        )
        for d in problems
        if d.code == "F008" and d.file != path
    ]


# The last evidence findings of each open map, with what they were computed from.
_EVIDENCE_MEMO: dict[str, tuple[Hashable, list[Diagnostic]]] = {}


def _evidence_findings(document: Document, settings: Settings) -> list[Diagnostic]:
    """The findings of the evidence rules (those registered `when="evidence"`), run as
    `run_rules` runs them. They depend only on the evidence links, quotes and source
    links (with their places), on the argument graph (its relations and PCS, for
    double counting; where a relation is written does not matter), on the
    settings and on the evidence files; an edit that changes none of these (most
    keystrokes) reuses the previous findings instead of matching every quote again."""
    from argmap.rules.registry import Context, all_rules

    key = _evidence_inputs(document, settings)
    remembered = _EVIDENCE_MEMO.get(document.path)
    if remembered is not None and remembered[0] == key:
        return list(remembered[1])
    levels = {code: level for code, level in settings.levels.items() if level is not None}
    ctx = Context(document=document, settings=settings, levels=levels)
    found: list[Diagnostic] = []
    for entry in all_rules():
        if entry.when == "evidence" and entry.check is not None and settings.is_enabled(entry.code):
            found.extend(entry.check(ctx))
    _EVIDENCE_MEMO[document.path] = (key, found)
    return list(found)


def _place(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


def _evidence_inputs(document: Document, settings: Settings) -> Hashable:
    from argmap.evidence.check import evidence_statements

    statements = tuple(
        (
            s.title,
            _place(s.span),
            tuple((e.path, e.fragment, e.line_start, e.line_end, _place(e.span)) for e in s.evidence),
            tuple((q.text, _place(q.span)) for q in s.quotes),
            tuple(link.url for link in s.sources),
        )
        for s in evidence_statements(document)
    )
    graph = (
        tuple(
            (r.key, r.parent_is_pcs_member, r.via_inference, r.conclusion_index) for r in document.relations
        ),
        tuple(
            (a.title, tuple((m.number, m.role, m.statement.title) for m in a.pcs))
            for a in document.arguments.values()
        ),
    )
    folder = os.path.dirname(os.path.abspath(document.path))
    files = []
    for path in sorted({e[0] for s in statements for e in s[2]}):
        try:
            info = os.stat(os.path.join(folder, path))
            files.append((path, info.st_size, info.st_mtime_ns))
        except (OSError, ValueError):
            files.append((path, -1, -1))
    config = (
        settings.path,
        tuple(settings.select),
        tuple(settings.ignore),
        tuple(sorted(settings.levels.items())),
    )
    thresholds = (settings.evidence_found, settings.evidence_good_enough, settings.evidence_max_bytes)
    return (statements, graph, tuple(files), config, thresholds, settings.kind_tags)


def _index(document: Document) -> dict[int, list[Occurrence]]:
    """Every written title, by line."""
    found: dict[tuple[int, int], Occurrence] = {}
    for occurrence in _occurrences(document):
        found.setdefault((occurrence.span.line, occurrence.span.column), occurrence)
    by_line: dict[int, list[Occurrence]] = {}
    for (line, _), occurrence in sorted(found.items()):
        by_line.setdefault(line, []).append(occurrence)
    return by_line


def _occurrences(document: Document) -> Iterator[Occurrence]:
    """Every written title in the document: definitions, references and mentions."""
    for cls in document.statements.values():
        for statement in cls.members + cls.references:
            yield from _statement_occurrences(statement)
    for argument in document.arguments.values():
        for member in argument.pcs:
            yield from _statement_occurrences(member.statement)
        if argument.is_untitled:
            continue
        for description in argument.descriptions:
            if description.title_span is not None:
                role = REFERENCE if description.is_reference else DEFINITION
                yield Occurrence(argument.title, ElementKind.ARGUMENT, role, description.title_span)
            for mention in description.mentions:
                yield Occurrence(mention.title, mention.kind, MENTION, mention.span)


def _statement_occurrences(statement: Statement) -> Iterator[Occurrence]:
    if statement.title_span is not None and not statement.is_untitled:
        role = REFERENCE if statement.is_reference else DEFINITION
        yield Occurrence(statement.title, ElementKind.STATEMENT, role, statement.title_span, statement)
    for mention in statement.mentions:
        yield Occurrence(mention.title, mention.kind, MENTION, mention.span)

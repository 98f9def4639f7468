"""The pygls wiring of `argmap lsp`: documents in, diagnostics and answers out.

Diagnostics are published on open and save at once, and on change after a short
quiet period (`debounceMs`, 25 ms by default): a burst of keystrokes is checked
once, with the latest text. Every request reads the latest `Analysis` of its
document; a request that arrives before the debounced check parses the new text
itself (parsing is cheap; the rules run only when diagnostics are published).

Settings come from the client's `initializationOptions` (VS Code sends the
`argmap.*` settings there): `semantics` (for the computed credence, default
logodds), `evidence` (quote checks, default true), `debounceMs`, `samples` (Monte
Carlo draws of the hover's interval, default 2000) and `rulesUrl` (where a finding's
code links to; default docs/rules.md of this argmap when it is there).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from argmap import __version__
from argmap.diagnostics import Diagnostic, Level
from argmap.engine import DEFAULT_SEMANTICS
from argmap.lsp import actions, complete, hover, navigate, outline
from argmap.lsp.analysis import Analysis, Occurrence
from argmap.lsp.positions import line_column, span_range

logger = logging.getLogger("argmap.lsp")

_SEVERITY = {
    Level.ERROR: types.DiagnosticSeverity.Error,
    Level.WARNING: types.DiagnosticSeverity.Warning,
    Level.INFO: types.DiagnosticSeverity.Information,
}


def _default_rules_url() -> str | None:
    rules = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    return rules.as_uri() if rules.is_file() else None


class _Protocol(LanguageServerProtocol):
    """Answers a request whose parameters do not validate with an error response;
    pygls alone logs it and drops it, and the client would wait for ever."""

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and data.get("id") is not None and "method" in data:
                reason = error.message or "its parameters do not match the protocol"
                self._send_response(
                    data["id"],
                    error=types.ResponseError(code=error.code, message=f"invalid {data['method']}: {reason}"),
                )
            raise

    def _handle_notification(self, method_name: str, params: Any) -> None:
        # pygls 2.1 files each notification's future in `_request_futures` under a fresh
        # id and never removes it (only a request's response does): ~1 KiB per keystroke
        # for the life of the session. Drop them once they are done.
        futures: dict[Any, Any] = getattr(self, "_request_futures", {})
        before = set(futures)
        super()._handle_notification(method_name, params)
        for key in set(futures) - before:
            future = futures[key]
            if future.done():
                futures.pop(key, None)
            else:
                future.add_done_callback(lambda _, key=key: futures.pop(key, None))


class ArgmapLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("argmap", __version__, protocol_cls=_Protocol)
        self.analyses: dict[str, Analysis] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.options: dict[str, Any] = {
            "semantics": DEFAULT_SEMANTICS,
            "evidence": True,
            "debounceMs": 25,
            "samples": 2000,
            "rulesUrl": _default_rules_url(),
        }
        self._rule_names: dict[str, str] = {}

    # ---- analyses --------------------------------------------------------------

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the document's current text (parsed now if it changed)."""
        document = self.workspace.get_text_document(uri)
        text = document.source
        cached = self.analyses.get(uri)
        if cached is not None and cached.text == text:
            return cached
        path = to_fs_path(uri) if uri.startswith("file:") else None
        fresh = Analysis(
            os.path.abspath(path) if path else uri,
            text,
            evidence=bool(self.options["evidence"]) and path is not None,
            semantics=str(self.options["semantics"]),
        )
        self.forget(uri)
        self.analyses[uri] = fresh
        return fresh

    def forget(self, uri: str) -> None:
        old = self.analyses.pop(uri, None)
        if old is not None:
            old.release()

    def publish(self, uri: str) -> None:
        self.timers.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return
        try:
            analysis = self.analysis(uri)
            found = [self.to_lsp(analysis, d) for d in analysis.findings if _same_file(d, analysis)]
        except Exception as error:  # an internal error must not end the session
            logger.exception("checking %s failed", uri)
            found = [_internal_error(error)]
        version = self.workspace.get_text_document(uri).version
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version)
        )

    def schedule(self, uri: str) -> None:
        pending = self.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(float(self.options["debounceMs"]) / 1000, self.publish, uri)

    def to_lsp(self, analysis: Analysis, finding: Diagnostic) -> types.Diagnostic:
        start = min((finding.line, finding.column), (finding.end_line, finding.end_column))
        end = max((finding.line, finding.column), (finding.end_line, finding.end_column))
        where = types.Range(
            start=_position(analysis, *start), end=_position(analysis, end[0], max(end[1], start[1] + 1))
        )
        message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
        return types.Diagnostic(
            range=where,
            message=message,
            severity=_SEVERITY.get(finding.level, types.DiagnosticSeverity.Error),
            code=finding.code,
            code_description=self._code_link(finding.code),
            source="argmap",
            data={"hint": finding.hint} if finding.hint else None,
        )

    def _code_link(self, code: str) -> types.CodeDescription | None:
        base = self.options.get("rulesUrl")
        if not base:
            return None
        if code not in self._rule_names:
            from argmap.rules.registry import get_rule

            entry = get_rule(code)
            self._rule_names[code] = f"{code.lower()}-{entry.name}" if entry else code.lower()
        return types.CodeDescription(href=f"{base}#{self._rule_names[code]}")


def _position(analysis: Analysis, line: int, column: int) -> types.Position:
    from argmap.lsp.positions import position

    return position(analysis.lines, line, column)


def _same_file(finding: Diagnostic, analysis: Analysis) -> bool:
    return finding.file in (analysis.path, analysis.document.path) or not os.path.isabs(finding.file)


def _internal_error(error: Exception) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=1)),
        message=f"argmap could not check this document (internal error: {type(error).__name__}: {error}); "
        "please report it",
        severity=types.DiagnosticSeverity.Error,
        source="argmap",
    )


server = ArgmapLanguageServer()


@server.feature(types.INITIALIZE)
def _initialize(ls: ArgmapLanguageServer, params: types.InitializeParams) -> None:
    given = params.initialization_options
    if isinstance(given, dict):
        settings = given.get("argmap", given)
        if isinstance(settings, dict):
            for key in ls.options:
                if key in settings and settings[key] is not None:
                    ls.options[key] = settings[key]


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: ArgmapLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: ArgmapLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: ArgmapLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)  # evidence or config may have changed on disk
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: ArgmapLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.forget(uri)
    pending = ls.timers.pop(uri, None)
    if pending is not None:
        pending.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _at(ls: ArgmapLanguageServer, uri: str, where: types.Position) -> tuple[Analysis, int, int]:
    analysis = ls.analysis(uri)
    line, column = line_column(analysis.lines, where)
    return analysis, line, column


@server.feature(types.TEXT_DOCUMENT_HOVER)
def _hover(ls: ArgmapLanguageServer, params: types.HoverParams) -> types.Hover | None:
    analysis, line, column = _at(ls, params.text_document.uri, params.position)
    occurrence = analysis.at(line, column)
    if occurrence is not None:
        text = hover.hover_markdown(analysis, occurrence)
        where = span_range(analysis.lines, occurrence.span)
    else:
        findings = [f for f in analysis.findings if f.line <= line <= f.end_line]
        texts = [t for f in findings if (t := hover.finding_markdown(f.code))]
        if not texts:
            return None
        text, where = "\n\n---\n\n".join(dict.fromkeys(texts)), None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=where)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def _definition(ls: ArgmapLanguageServer, params: types.DefinitionParams) -> list[types.Location] | None:
    uri = params.text_document.uri
    analysis, line, column = _at(ls, uri, params.position)
    occurrence = analysis.at(line, column)
    if occurrence is not None:
        return [navigate.location(uri, analysis, o.span) for o in navigate.definitions(analysis, occurrence)]
    link = navigate.evidence_link_at(analysis, line, column)
    if link is not None:
        found = navigate.evidence_location(analysis, link)
        return [found] if found else None
    return None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def _references(ls: ArgmapLanguageServer, params: types.ReferenceParams) -> list[types.Location] | None:
    uri = params.text_document.uri
    analysis, line, column = _at(ls, uri, params.position)
    occurrence = analysis.at(line, column)
    if occurrence is None:
        return None
    return [
        navigate.location(uri, analysis, o.span)
        for o in analysis.all_of(occurrence.key)
        if params.context.include_declaration or o.role != "definition"
    ]


def _occurrence(ls: ArgmapLanguageServer, uri: str, where: types.Position) -> tuple[Analysis, Occurrence]:
    analysis, line, column = _at(ls, uri, where)
    occurrence = analysis.at(line, column)
    if occurrence is None:
        raise ValueError("no statement or argument title here")
    return analysis, occurrence


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def _prepare_rename(ls: ArgmapLanguageServer, params: types.PrepareRenameParams) -> types.Range | None:
    try:
        analysis, occurrence = _occurrence(ls, params.text_document.uri, params.position)
    except ValueError:
        return None
    return navigate.title_range(analysis, occurrence)


@server.feature(types.TEXT_DOCUMENT_RENAME)
def _rename(ls: ArgmapLanguageServer, params: types.RenameParams) -> types.WorkspaceEdit:
    from pygls.exceptions import JsonRpcInvalidRequest

    uri = params.text_document.uri
    try:
        analysis, occurrence = _occurrence(ls, uri, params.position)
        edits = navigate.rename_edits(analysis, occurrence, params.new_name)
    except ValueError as refused:
        raise JsonRpcInvalidRequest(str(refused)) from refused
    return types.WorkspaceEdit(changes={uri: edits})


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=["[", "<", "{", ",", "/", " "]),
)
def _completion(ls: ArgmapLanguageServer, params: types.CompletionParams) -> types.CompletionList:
    analysis, line, column = _at(ls, params.text_document.uri, params.position)
    return types.CompletionList(is_incomplete=False, items=complete.completions(analysis, line, column))


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def _symbols(ls: ArgmapLanguageServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    return outline.document_symbols(ls.analysis(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
def _folding(ls: ArgmapLanguageServer, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
    return outline.folding_ranges(ls.analysis(params.text_document.uri))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def _code_action(ls: ArgmapLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    mine = [d for d in params.context.diagnostics if d.source == "argmap"]
    return actions.code_actions(ls.analysis(uri), uri, mine)


def run() -> None:
    """Serve over stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="argmap lsp: %(message)s")
    server.start_io()
    # pygls has closed stdout; leave at once (the CLI's exit path would flush it), with
    # the status LSP asks for: 0 after a `shutdown` request, 1 without one.
    sys.stderr.flush()
    os._exit(0 if getattr(server.protocol, "_shutdown", False) else 1)

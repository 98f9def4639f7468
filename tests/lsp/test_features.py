"""The features on hand-written maps, in process (no server): what each answers."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("lsprotocol")

from lsprotocol import types

from argmap.checking import check_paths
from argmap.lsp import actions, complete, navigate, outline
from argmap.lsp.analysis import Analysis
from argmap.lsp.positions import line_column, position
from tests.lsp.conftest import apply_edits

MAP = """\
# Weather

[Rain]: It will rain today. {credence: 0.7, reason: "forecast"}
  + <Clouds>
  - [Dry Air]: The air is dry.

<Clouds>: Dark clouds @[Rain] and @<Clouds> are here.

(1) [Dark Sky]: The sky is dark. #observation
(2) [Dark Means Rain]: Dark skies bring rain.
----
(3) [Rain]

## Later

[Wind]: Windy. 🌬 @[Rain] again
"""


def analysis_of(text: str, tmp_path: Path, name: str = "map.argdown") -> Analysis:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return Analysis(str(path), text)


def test_every_occurrence_is_indexed_with_its_role(tmp_path: Path) -> None:
    analysis = analysis_of(MAP, tmp_path)
    rain = [(o.span.line, o.role) for o in analysis.all_of(analysis.at(3, 2).key)]  # type: ignore[union-attr]
    assert rain == [(3, "definition"), (7, "mention"), (12, "reference"), (16, "mention")]
    clouds = analysis.at(4, 6)
    assert clouds is not None and clouds.written == "<Clouds>"
    assert [o.span.line for o in navigate.definitions(analysis, clouds)] == [7]


def test_rename_edits_only_the_title_and_refuses_collisions(tmp_path: Path) -> None:
    analysis = analysis_of(MAP, tmp_path)
    rain = analysis.at(12, 6)
    assert rain is not None
    renamed = apply_edits(MAP, navigate.rename_edits(analysis, rain, "Showers"))
    assert renamed == MAP.replace("[Rain]", "[Showers]")
    with pytest.raises(navigate.RenameRefused, match="already exists"):
        navigate.rename_edits(analysis, rain, "Wind")
    with pytest.raises(navigate.RenameRefused, match="between brackets"):
        navigate.rename_edits(analysis, rain, "a]b")
    # an argument and a statement may share a name: that is no collision
    assert navigate.rename_edits(analysis, analysis.at(4, 6), "Rain")  # type: ignore[arg-type]


def test_positions_count_utf16_units(tmp_path: Path) -> None:
    analysis = analysis_of(MAP, tmp_path)
    # `🌬` is one character but two UTF-16 units: `@[Rain]` on line 16 starts at char 17
    assert analysis.lines[15].index("@[Rain]") == 17
    assert position(analysis.lines, 16, 18) == types.Position(line=15, character=18)
    assert line_column(analysis.lines, types.Position(line=15, character=18)) == (16, 18)
    assert analysis.at(*line_column(analysis.lines, types.Position(line=15, character=19))) is not None


def test_completion_contexts(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "paper.md").write_text("x\n")
    (tmp_path / "docs" / "notes").mkdir()
    text = MAP + '\n[Fog]: x [R\n  +> \n  {cre\n  {reason: "dry, col\n  [evidence](docs/pa\n'
    analysis = analysis_of(text, tmp_path)

    def line_of(start: str) -> int:
        return next(n for n, line in enumerate(analysis.lines, 1) if line.startswith(start))

    def at_end(start: str) -> list[types.CompletionItem]:
        line = line_of(start)
        return complete.completions(analysis, line, len(analysis.lines[line - 1]) + 1)

    def labels(start: str) -> list[str]:
        return [i.label for i in at_end(start)]

    assert "[Rain]" in labels("[Fog]") and "<Clouds>" not in labels("[Fog]")
    after_relation = labels("  +> ")
    assert "[Dry Air]" in after_relation and "<Clouds>" in after_relation
    assert labels("  {cre") == ["credence"]
    assert labels('  {reason: "dry, col') == []  # inside a string: no keys
    assert labels("  [evidence]") == ["docs/paper.md"]
    rain = next(i for i in at_end("[Fog]") if i.label == "[Rain]")
    assert rain.text_edit is not None and rain.text_edit.new_text == "Rain]"  # type: ignore[union-attr]


def test_completion_never_lists_outside_the_map_folder(tmp_path: Path) -> None:
    inner = tmp_path / "project"
    inner.mkdir()
    analysis = analysis_of("[A]: [evidence](../\n", inner)
    assert complete.completions(analysis, 1, len(analysis.lines[0]) + 1) == []


def test_symbols_nest_sections_arguments_statements(tmp_path: Path) -> None:
    analysis = analysis_of(MAP, tmp_path)
    symbols = outline.document_symbols(analysis)
    assert [s.name for s in symbols] == ["Weather"]
    weather = symbols[0]
    names = [c.name for c in weather.children or []]
    assert names == ["[Rain]", "[Dry Air]", "<Clouds>", "Later"]
    clouds = (weather.children or [])[2]
    assert [c.name for c in clouds.children or []] == [
        "(1) [Dark Sky]",
        "(2) [Dark Means Rain]",
        "(3) [Rain]",
    ]
    later = (weather.children or [])[3]
    assert [c.name for c in later.children or []] == ["[Wind]"]
    folds = {(f.start_line, f.end_line) for f in outline.folding_ranges(analysis)}
    assert (0, 15) in folds  # the whole first section
    assert (6, 11) in folds  # <Clouds>: description to conclusion


def _diagnostic(line: int, code: str) -> types.Diagnostic:
    start = types.Position(line=line - 1, character=0)
    return types.Diagnostic(range=types.Range(start=start, end=start), message="", code=code, source="argmap")


def test_g301_fix_for_a_mention_and_in_a_relation(tmp_path: Path) -> None:
    text = "[T]: thesis.\n  + [Arg]\n\n<Arg>: see @[Arg].\n\n(1) [P]: p.\n----\n(2) [T]\n"
    analysis = analysis_of(text, tmp_path)
    found = {(d.code, d.line) for d in analysis.findings}
    assert ("G301", 2) in found
    for line in (2, 4):
        fixes = actions.code_actions(analysis, "file:///m", [_diagnostic(line, "G301")])
        edit = fixes[0].edit.changes["file:///m"]  # type: ignore[union-attr,index]
        assert fixes[0].title == (
            "Write <Arg> (the argument)" if line == 2 else "Write @<Arg> (the argument)"
        )
        text = apply_edits(text, edit)
        analysis = analysis_of(text, tmp_path)
    assert "[Arg]" not in text and "@<Arg>" in text


def test_ignore_adds_to_an_existing_directive(tmp_path: Path) -> None:
    text = "[A]: a. // argmap: ignore[G310]\n  + [B]\n"
    analysis = analysis_of(text, tmp_path)
    fixes = actions.code_actions(analysis, "u", [_diagnostic(1, "G305")])
    assert [f.title for f in fixes] == ["Ignore G305 on this line (// argmap: ignore[G305])"]
    fixed = apply_edits(text, fixes[0].edit.changes["u"])  # type: ignore[union-attr,index]
    assert fixed.startswith("[A]: a. // argmap: ignore[G310, G305]\n")
    fixes = actions.code_actions(analysis_of(fixed, tmp_path), "u", [_diagnostic(1, "G305")])
    assert fixes == []


def test_missing_inference_line_fix_checks_clean(tmp_path: Path) -> None:
    text = "<Arg>\n\n(1) [P]: p.\n(2) [C]: c.\n  +> [T]\n\n[T]: t.\n"
    path = tmp_path / "p106.argdown"
    path.write_text(text)
    before = {d.code for d in check_paths([str(path)]).diagnostics}
    assert "P106" in before
    analysis = Analysis(str(path), text)
    p106 = next(d for d in analysis.findings if d.code == "P106")
    fixes = actions.code_actions(analysis, "u", [_diagnostic(p106.line, "P106")])
    path.write_text(apply_edits(text, fixes[0].edit.changes["u"]))  # type: ignore[union-attr,index]
    assert "P106" not in {d.code for d in check_paths([str(path)]).diagnostics}


def test_a_buffer_without_a_file_has_no_evidence_but_works(tmp_path: Path) -> None:
    analysis = Analysis("untitled:Untitled-1", "[A]: a.\n  + [B]\n", evidence=False)
    assert [d.code for d in analysis.findings] == ["G301"]
    assert analysis.evidence is None


def test_evidence_findings_are_reused_only_while_their_inputs_stand(tmp_path: Path) -> None:
    from argmap.lsp import analysis as module

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "log.md").write_text("one\ntwo\nThe barometer rose sharply.\nfour\n")
    text = (
        "[Rose]: The barometer rose. #observation\n"
        "    [evidence](docs/log.md#L1-L2)\n"
        "    > The barometer rose sharply.\n"
        "  + [Storm]: A storm comes.\n"
    )
    path = tmp_path / "ev.argdown"

    def findings(new_text: str) -> list[tuple[str, int]]:
        path.write_text(new_text)
        got = [(d.code, d.line) for d in Analysis(str(path), new_text).findings]
        assert got == [(d.code, d.line) for d in check_paths([str(path)]).diagnostics]
        return got

    assert ("E405", 2) in findings(text)
    key = module._EVIDENCE_MEMO[str(path)][0]
    # a word of text changes: the evidence inputs are the same, the findings too
    assert ("E405", 2) in findings(text.replace("A storm comes", "A storm is coming"))
    assert module._EVIDENCE_MEMO[str(path)][0] == key
    # the quote changes: matched again (now not found at all)
    assert ("E404", 2) in findings(text.replace("rose sharply", "fell slowly"))
    # the evidence file changes on disk: matched again
    (tmp_path / "docs" / "log.md").write_text("The barometer rose sharply.\ntwo\n")
    assert ("E405", 2) not in findings(text)


def test_evidence_files_are_read_once_across_edits(tmp_path: Path) -> None:
    from argmap.config import settings_for
    from argmap.evidence.sources import run_cache

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "log.md").write_text("The barometer rose sharply.\n")
    text = "[Rose]: The barometer rose. #observation\n    [evidence](docs/log.md#L1-L1)\n    > {quote}\n"
    path = tmp_path / "reads.argdown"
    path.write_text(text)
    cache = run_cache(settings_for(str(path)).evidence_max_bytes)

    def evidence_codes(quote: str) -> set[str]:
        found = Analysis(str(path), text.format(quote=quote)).findings
        return {d.code for d in found if d.code.startswith("E4")}

    assert evidence_codes("The barometer rose sharply.") == set()
    reads = cache.reads
    assert evidence_codes("The barometer fell, then rose.") == {"E404"}  # matched again
    assert evidence_codes("The barometer rose sharply.") == set()
    assert cache.reads == reads


def test_a_replaced_analysis_leaves_nothing_behind(tmp_path: Path) -> None:
    """What the server holds per edit is freed when the next edit replaces it (the
    memory of a long session stays flat); scoring and every rule run first."""
    import gc
    import weakref

    text = "[T]: t.\n  + <A>\n\n<A>\n\n(1) [P]: p. {credence: 0.8}\n----\n(2) [T]\n"
    analysis = analysis_of(text, tmp_path)
    assert analysis.findings is not None and analysis.score(50) is not None
    gone = weakref.ref(analysis.document)
    analysis.release()
    del analysis
    gc.collect()
    assert gone() is None


def test_the_session_keeps_nothing_per_notification(tmp_path: Path) -> None:
    """Each keystroke is a notification; none may leave state behind (pygls 2.1 alone
    keeps a future per notification for the life of the session)."""
    import asyncio
    import json

    from argmap.lsp.server import server  # the features are registered on this instance

    class Discard:
        def write(self, data: object) -> None: ...

        def close(self) -> None: ...

    server.protocol.set_writer(Discard())  # type: ignore[arg-type]

    def send(message: dict[str, object]) -> None:
        raw = json.dumps({"jsonrpc": "2.0", **message})
        server.protocol.handle_message(json.loads(raw, object_hook=server.protocol.structure_message))

    uri = (tmp_path / "keys.argdown").as_uri()

    async def session() -> None:
        send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        send({"method": "initialized", "params": {}})
        item = {"uri": uri, "languageId": "argdown", "version": 1, "text": "[A]: a.\n"}
        send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        for version in range(2, 40):
            change = {"text": f"[A]: a{version}.\n"}
            send(
                {
                    "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
                }
            )
            await asyncio.sleep(0)
        while server.timers:
            await asyncio.sleep(0.01)

    asyncio.run(session())
    assert len(server.protocol._request_futures) == 0
    assert server.analyses[uri].text == "[A]: a39.\n"


def test_a_malformed_configuration_is_shown_on_the_map(tmp_path: Path) -> None:
    # `check` reports F008 at argmap.toml; the editor has the map open, so it shows there
    (tmp_path / "argmap.toml").write_text("x = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    analysis = analysis_of("[T]: A thesis.\n  + [P]: A premise.\n", tmp_path)
    (found,) = [d for d in analysis.findings if d.code == "F008"]
    assert found.file == analysis.path and (found.line, found.column) == (1, 1)
    assert found.message.startswith("argmap.toml line 1: ") and "too deep" in found.message
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")
    assert [d for d in analysis_of("[T]: A thesis.\n", tmp_path).findings if d.code == "F008"] == []

"""`argmap lsp` end to end over stdio, on the real-world map (skipped when absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from argmap.checking import check_paths
from tests.conftest import ROOT
from tests.lsp.conftest import apply_edits, open_document, position_of

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.corpus]


def _uri(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=path.as_uri())


async def _hover(client: LanguageClient, path: Path, needle: str) -> str:
    """The hover text at the first occurrence of `needle` in the opened map."""
    text = path.read_text(encoding="utf-8")
    await open_document(client, path)
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=_uri(path), position=position_of(text, needle))
    )
    assert result is not None
    return str(result.contents.value)  # type: ignore[union-attr]


async def test_diagnostics_match_argmap_check(client: LanguageClient, corpus_copy: Path) -> None:
    found = await open_document(client, corpus_copy)
    by_code: dict[str, list[types.Diagnostic]] = {}
    for diagnostic in found:
        by_code.setdefault(str(diagnostic.code), []).append(diagnostic)
    assert [d.range.start.line + 1 for d in by_code["P106"]] == [117]
    g301 = sorted(by_code["G301"], key=lambda d: d.range.start.line)
    assert [d.range.start.line + 1 for d in g301] == [210, 258]
    assert "write `<Orthogonal Preservation>` instead of `[Orthogonal Preservation]`" in g301[0].message
    assert "write `<Direction Magnitude Decoupling>`" in g301[1].message
    # evidence included: the moved quotes `argmap check` reports
    assert {d.range.start.line + 1 for d in by_code["E405"]} >= {49, 64, 114}
    # the same findings as `argmap check`, code for code and line for line
    report = check_paths([str(corpus_copy)])
    assert sorted((str(d.code), d.range.start.line + 1) for d in found) == sorted(
        (d.code, d.line) for d in report.diagnostics
    )
    assert all(d.source == "argmap" and d.code_description is not None for d in found)
    # each code links to its entry in docs/rules.md (GitHub's anchor for `### P106 missing-inference-line`)
    link = by_code["P106"][0].code_description
    assert link is not None
    assert link.href == (ROOT / "docs" / "rules.md").as_uri() + "#p106-missing-inference-line"
    assert "### P106 missing-inference-line" in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


async def test_hover_gives_the_computed_credence(client: LanguageClient, corpus_copy: Path) -> None:
    import argmap

    value = await _hover(client, corpus_copy, "[Natural Manifold]")
    expected = argmap.score(str(corpus_copy), samples=0).thesis.credence
    assert expected is not None
    assert f"computed credence (logodds): **{expected:.3f}**" in value
    assert re.search(r"90% interval 0\.\d{3}-[01]\.\d{3}", value)
    assert "The model's own geometric structure" in value


async def test_hover_on_an_observation_shows_its_quote(client: LanguageClient, corpus_copy: Path) -> None:
    value = await _hover(client, corpus_copy, "[SVD Init Wins]:")
    assert "stated credence: **0.88**" in value
    assert "reason: NeurIPS 2024" in value
    # argmap check says this quote moved to L32 of the PiSSA paper
    assert "quote: **moved" in value and "pissa_principal_singular_values_adaptation.md` at L32-L32" in value


async def test_definition_of_an_argument_in_the_thesis_tree(
    client: LanguageClient, corpus_copy: Path
) -> None:
    text = corpus_copy.read_text(encoding="utf-8")
    await open_document(client, corpus_copy)
    where = position_of(text, "<SVD Basis Cluster>")
    assert where.line + 1 == 26
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=_uri(corpus_copy), position=where)
    )
    assert isinstance(found, list) and len(found) == 1
    assert found[0].uri == corpus_copy.as_uri()
    assert found[0].range.start.line + 1 == 43
    assert text.split("\n")[42].startswith("<SVD Basis Cluster>")


async def test_definition_from_an_evidence_link(client: LanguageClient, corpus_copy: Path) -> None:
    text = corpus_copy.read_text(encoding="utf-8")
    await open_document(client, corpus_copy)
    link = "[evidence](docs/pissa_principal_singular_values_adaptation.md#L1-L20)"
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=_uri(corpus_copy), position=position_of(text, link, offset=15))
    )
    assert isinstance(found, list) and len(found) == 1
    target = corpus_copy.parent / "docs" / "pissa_principal_singular_values_adaptation.md"
    assert found[0].uri == target.resolve().as_uri()
    assert (found[0].range.start.line, found[0].range.end.line) == (0, 20)


async def test_references_and_rename_cover_every_occurrence(
    client: LanguageClient, corpus_copy: Path
) -> None:
    text = corpus_copy.read_text(encoding="utf-8")
    await open_document(client, corpus_copy)
    where = position_of(text, "[Natural Manifold]", occurrence=3)
    written = len(re.findall(r"\[Natural Manifold\]", text))
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=_uri(corpus_copy),
            position=where,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert references is not None and len(references) == written
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=_uri(corpus_copy), position=where, new_name="Natural Geometry")
    )
    assert edit is not None and edit.changes is not None
    edits = edit.changes[corpus_copy.as_uri()]
    assert len(edits) == written
    renamed = apply_edits(text, edits)
    assert "[Natural Manifold]" not in renamed
    assert renamed.count("[Natural Geometry]") == written
    assert renamed.replace("Natural Geometry", "Natural Manifold") == text


async def test_rename_refuses_a_collision(client: LanguageClient, corpus_copy: Path) -> None:
    text = corpus_copy.read_text(encoding="utf-8")
    await open_document(client, corpus_copy)
    with pytest.raises(Exception, match="already exists"):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=_uri(corpus_copy),
                position=position_of(text, "[Natural Manifold]"),
                new_name="SVD Init Wins",
            )
        )


async def _fix_for(
    client: LanguageClient, path: Path, diagnostic: types.Diagnostic, title_start: str
) -> list[types.TextEdit]:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=_uri(path),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions is not None
    chosen = [a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith(title_start)]
    assert len(chosen) == 1, [a.title for a in actions]
    assert chosen[0].edit is not None and chosen[0].edit.changes is not None
    return chosen[0].edit.changes[path.as_uri()]


@pytest.mark.parametrize(
    ("code", "line", "title"),
    [
        ("E405", 49, "Rewrite the cited line range"),
        ("E405", 114, "Rewrite the cited line range"),
        ("G301", 210, "Write <Orthogonal Preservation>"),
        ("G301", 258, "Write <Direction Magnitude Decoupling>"),
        ("P106", 117, "Insert the inference line"),
        ("C502", 292, "Ignore C502"),
        ("G306", 88, "Ignore G306"),
    ],
)
async def test_each_quick_fix_leaves_a_map_clean_of_its_finding(
    client: LanguageClient, corpus_copy: Path, code: str, line: int, title: str
) -> None:
    text = corpus_copy.read_text(encoding="utf-8")
    found = await open_document(client, corpus_copy)
    target = [d for d in found if d.code == code and d.range.start.line + 1 == line]
    assert len(target) == 1
    fixed = apply_edits(text, await _fix_for(client, corpus_copy, target[0], title))
    assert fixed != text
    copy = corpus_copy.with_name(f"fixed_{code}_{line}.argdown")
    copy.write_text(fixed, encoding="utf-8")
    after = check_paths([str(copy)]).diagnostics
    # an inserted line moves the findings below it down by one
    shift = 1 if code == "P106" else 0
    assert not [d for d in after if d.code == code and d.line == line + shift]
    before = check_paths([str(corpus_copy)]).diagnostics
    assert len(after) == len(before) - 1


async def test_outline_folding_and_completion(client: LanguageClient, corpus_copy: Path) -> None:
    text = corpus_copy.read_text(encoding="utf-8")
    await open_document(client, corpus_copy)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=_uri(corpus_copy))
    )
    assert symbols is not None
    sections = {s.name: s for s in symbols if isinstance(s, types.DocumentSymbol)}
    assert "SVD Basis" in sections
    inside = [c.name for c in sections["SVD Basis"].children or []]
    assert "<SVD Basis Cluster>" in inside
    folds = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=_uri(corpus_copy))
    )
    assert folds is not None and any(f.start_line == 42 for f in folds)  # <SVD Basis Cluster> at line 43
    # typing `[Nat` at the end of the file offers the thesis
    lines = text.split("\n")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=corpus_copy.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text + "\n[X]: y.\n  + [Nat")],
        )
    )
    items = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=_uri(corpus_copy), position=types.Position(line=len(lines) + 1, character=8)
        )
    )
    assert items is not None
    listed = items.items if isinstance(items, types.CompletionList) else items
    assert "[Natural Manifold]" in [i.label for i in listed]

"""A real `argmap lsp` process per test module, driven over stdio by pytest-lsp."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="argmap lsp needs the lsp extra: pip install 'argmap[lsp]'")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the lsp tests need pytest-lsp (the test extra)")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from tests.conftest import CORPUS_MAP, ROOT  # noqa: E402

SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "argmap", "lsp"],
    server_env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])},
)


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"samples": 500, "debounceMs": 10},
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real map with its docs (evidence must stay inside the copy's root)."""
    if not CORPUS_MAP.exists():
        pytest.skip(f"real-world corpus not present at {CORPUS_MAP.parent}")
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(CORPUS_MAP, folder / CORPUS_MAP.name)
    shutil.copytree(CORPUS_MAP.parent / "docs", folder / "docs")
    return folder / CORPUS_MAP.name


async def open_document(
    client: LanguageClient, path: Path, text: str | None = None
) -> list[types.Diagnostic]:
    """Open `path` (with `text` instead of its content when given) and wait for its diagnostics."""
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="argdown",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return await diagnostics_for(client, uri)


async def diagnostics_for(client: LanguageClient, uri: str, timeout: float = 60) -> list[types.Diagnostic]:
    async def wait() -> list[types.Diagnostic]:
        while uri not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(wait(), timeout)


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 1) -> types.Position:
    """The position `offset` characters into the `occurrence`-th `needle` of `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start)
    column = start - (text.rfind("\n", 0, start) + 1)
    return types.Position(line=line, character=column + offset)


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to `text`, last first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(p: types.Position) -> int:
        units = lines[p.line][: p.character]
        while len(units.encode("utf-16-le")) // 2 > p.character:
            units = units[:-1]
        return offsets[p.line] + len(units)

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text

"""Hostile input never ends the session: the server answers with what it can."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import SERVER, diagnostics_for, open_document

in_module_loop = pytest.mark.asyncio(loop_scope="module")


class RawSession:
    """JSON-RPC over the server's stdio, written by hand so that it can be wrong."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            SERVER.server_command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=SERVER.server_env,
        )
        # a hung server must fail the test, not hang it: after a minute its pipes close
        self.watchdog = threading.Timer(60, self.process.kill)
        self.watchdog.start()

    def send_bytes(self, body: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_bytes(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            header = self.process.stdout.readline()
            if not header:
                raise EOFError("the server closed its output")
            if header.strip() == b"":
                break
            name, _, value = header.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))  # type: ignore[no-any-return]

    def response(self, ident: int) -> dict[str, Any]:
        while True:
            message = self.read()
            if message.get("id") == ident and "method" not in message:
                return message

    def close(self) -> None:
        self.watchdog.cancel()
        self.process.kill()
        self.process.wait()


def test_malformed_requests_get_errors_and_the_server_goes_on(tmp_path: Path) -> None:
    session = RawSession()
    try:
        session.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        assert "result" in session.response(1)
        session.send({"method": "initialized", "params": {}})
        session.send_bytes(b"{this is not json")
        session.send({"id": 2, "method": "textDocument/hover", "params": {"textDocument": 7}})
        assert "error" in session.response(2)
        session.send({"id": 3, "method": "textDocument/hover", "params": {"no": "position"}})
        assert "error" in session.response(3)
        unknown = {
            "textDocument": {"uri": "file:///nowhere.argdown"},
            "position": {"line": 3, "character": 2},
        }
        session.send({"id": 4, "method": "textDocument/definition", "params": unknown})
        assert "id" in session.response(4)
        session.send({"id": 5, "method": "no/such/method", "params": {}})
        assert session.response(5)["error"]["code"] == -32601
        # still serving: a map opened now gets its diagnostics
        path = tmp_path / "after.argdown"
        item = {"uri": path.as_uri(), "languageId": "argdown", "version": 1, "text": "[A]: a.\n  + [B]\n"}
        session.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        while True:
            message = session.read()
            if message.get("method") == "textDocument/publishDiagnostics":
                break
        assert [d["code"] for d in message["params"]["diagnostics"]] == ["G301"]
        session.send({"id": 6, "method": "shutdown"})
        assert session.response(6)["result"] is None
    finally:
        session.close()


@in_module_loop
async def test_binary_garbage_in_an_unsaved_buffer(client: LanguageClient, tmp_path: Path) -> None:
    noise = random.Random(15).randbytes(20_000).decode("latin-1")
    path = tmp_path / "garbage.argdown"
    found = await open_document(client, path, text=noise)
    assert found and all(d.source == "argmap" for d in found)
    uri = types.TextDocumentIdentifier(uri=path.as_uri())
    middle = types.Position(line=3, character=5)
    await client.text_document_hover_async(types.HoverParams(text_document=uri, position=middle))
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=uri))
    assert symbols is not None
    # an edit that makes it a map again is checked as one
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="[A]: a.\n  + [B]\n")],
        )
    )
    client.diagnostics.pop(path.as_uri(), None)
    assert [d.code for d in await diagnostics_for(client, path.as_uri())] == ["G301"]


@pytest.mark.slow
@in_module_loop
async def test_a_50_mb_document(client: LanguageClient, tmp_path: Path) -> None:
    block = "[Claim {n}]: a statement that is long enough to fill the file. {{credence: 0.5}}\n\n"
    text = "".join(block.format(n=n % 997) for n in range(50 * 1024 * 1024 // 70))
    assert len(text) > 50 * 1024 * 1024
    path = tmp_path / "huge.argdown"
    found = await open_document(client, path, text=text)
    assert [d.code for d in found] == ["F004"]
    uri = types.TextDocumentIdentifier(uri=path.as_uri())
    await client.text_document_hover_async(
        types.HoverParams(text_document=uri, position=types.Position(line=0, character=3))
    )
    items = await client.text_document_completion_async(
        types.CompletionParams(text_document=uri, position=types.Position(line=0, character=1))
    )
    assert items is not None
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=uri))
    # and it still works afterwards
    small = tmp_path / "small.argdown"
    assert [d.code for d in await open_document(client, small, text="[A]: a.\n  + [B]\n")] == ["G301"]


def test_without_pygls_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('pygls is not installed')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), SERVER.server_env["PYTHONPATH"]])}
    done = subprocess.run(
        [sys.executable, "-m", "argmap", "lsp"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "pip install 'argmap[lsp]'" in done.stderr

"""`argmap serve`: what it serves, what it refuses, and re-rendering on save."""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.serve.server import Preview, PreviewServer
from tests.conftest import picnic_copy
from tests.serve.running import running_preview


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the picnic example (map and evidence) in its own project folder."""
    folder = picnic_copy(tmp_path).parent
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", folder / "docs" / "link.md")
    return folder / "thesis.argdown"


@pytest.fixture
def server(project: Path) -> Iterator[tuple[PreviewServer, Preview]]:
    with running_preview(project) as running:
        yield running


def get(srv: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    """A raw request: the path goes out exactly as written (no client-side normalisation)."""
    port = srv.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        request = f"GET {path} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_serves_the_live_page(server: tuple[PreviewServer, Preview]) -> None:
    srv, _ = server
    status, body = get(srv, "/")
    assert status == 200
    assert b"Picnic Stays Dry" in body and b'"live":true' in body
    status, body = get(srv, "/status")
    assert status == 200 and json.loads(body)["version"] == 1


def test_serves_the_maps_own_evidence_files(server: tuple[PreviewServer, Preview]) -> None:
    srv, _ = server
    status, body = get(srv, "/docs/forecast-bulletin.md")
    assert status == 200 and b"Probability of precipitation" in body
    status, _ = get(srv, "/docs/forecast-bulletin.md?x=1#L2")
    assert status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/docs/../../secret.txt",
        "/docs/..\\..\\secret.txt",
        "/docs/%5c..%5csecret.txt",
        "/docs/forecast-bulletin.md%00.txt",
        "//etc/passwd",
        "/etc/passwd",
    ],
)
def test_refuses_paths_outside_the_folder(server: tuple[PreviewServer, Preview], path: str) -> None:
    srv, _ = server
    status, body = get(srv, path)
    assert status in (403, 404)
    assert b"root:" not in body and b"TOP SECRET" not in body


def test_refuses_symlinks_out_and_files_that_are_not_evidence(server: tuple[PreviewServer, Preview]) -> None:
    srv, _ = server
    assert get(srv, "/docs/link.md")[0] in (403, 404)
    assert get(srv, "/thesis.argdown")[0] == 404  # the source is not evidence
    assert get(srv, "/argmap.toml")[0] == 404


def test_refuses_foreign_host_names(server: tuple[PreviewServer, Preview]) -> None:
    srv, _ = server
    assert get(srv, "/", host="evil.example:80")[0] == 403


def _wait(predicate: object, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_rerenders_on_save_and_keeps_the_last_good_map(
    server: tuple[PreviewServer, Preview], project: Path
) -> None:
    srv, preview = server
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("[Forecast]:", "[Forecast Bulletin]:"), encoding="utf-8")
    assert _wait(lambda: preview.version >= 2), "no re-render after the save"
    status, body = get(srv, "/")
    assert status == 200
    assert b"Forecast Bulletin" in body
    # Break the file: the page keeps the last good map and shows the diagnostics.
    project.write_text(
        text + "\n<Broken>\n\n(1) [P]: premise.\n(2) [Q]: no inference line.\n", encoding="utf-8"
    )
    assert _wait(lambda: preview.broken is not None), "broken file not noticed"
    _, body = get(srv, "/")
    assert b"Forecast Bulletin" in body and b"showing the last good version" in body
    project.write_text(text, encoding="utf-8")
    assert _wait(lambda: preview.broken is None and preview.version >= 3)


def test_event_stream_announces_a_reload(server: tuple[PreviewServer, Preview], project: Path) -> None:
    srv, _ = server
    connection = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=30)
    connection.request("GET", "/events")
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    assert response.readline() == b"retry: 1000\n"
    project.write_text(project.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    lines = [response.readline() for _ in range(3)]
    assert b"event: reload\n" in lines
    connection.close()


def test_cli_refuses_a_remote_host_without_the_flag(project: Path) -> None:
    result = CliRunner().invoke(app, ["serve", str(project), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output
    assert CliRunner().invoke(app, ["serve", str(project.parent / "missing.argdown")]).exit_code == 2

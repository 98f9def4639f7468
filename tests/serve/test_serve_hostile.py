"""`argmap serve` against a hostile client (issue 16, group 7): Host headers that only
look loopback, oversized evidence files, idle sockets by the hundred, a client that
disconnects from `/events`."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.serve import server as server_module
from argmap.serve.server import Preview, PreviewServer
from tests.serve.running import running_preview
from tests.serve.test_serve import _wait, get
from tests.serve.test_serve import project as project  # the fixture


@pytest.fixture
def served(project: Path) -> Iterator[tuple[PreviewServer, Preview]]:
    with running_preview(project, watch=False) as running:
        yield running


def raw(srv: PreviewServer, head: str) -> int:
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1])


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{port}, evil.com",
        "127.0.0.1:{port},evil.com",
        "127.0.0.1 evil.com",
        "evil.com@127.0.0.1:{port}",
        "127.0.0.1:{port}@evil.com",
        "127.0.0.1:{port}/evil.com",
        "127.0.0.1.evil.com",
        "[::1]evil.com",
        "127.0.0.1:99999999",
        "127.0.0.2",  # loopback, but not the address the server is bound to
        "127.1",
        "0x7f000001",
        "[0:0:0:0:0:0:0:1]",
    ],
)
def test_host_headers_that_merely_start_loopback_are_refused(
    served: tuple[PreviewServer, Preview], host: str
) -> None:
    srv, _ = served
    port = srv.server_address[1]
    assert get(srv, "/", host=host.format(port=port))[0] == 403


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "localhost", "LocalHost", "127.0.0.1", "[::1]:{port}"]
)
def test_plain_loopback_host_headers_are_served(served: tuple[PreviewServer, Preview], host: str) -> None:
    srv, _ = served
    assert get(srv, "/status", host=host.format(port=srv.server_address[1]))[0] == 200


def test_two_host_headers_or_none_are_refused(served: tuple[PreviewServer, Preview]) -> None:
    srv, _ = served
    port = srv.server_address[1]
    head = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.com\r\nConnection: close\r\n\r\n"
    assert raw(srv, head) == 403
    assert raw(srv, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n") == 403


def test_evidence_over_the_cap_is_refused_and_under_it_is_streamed_whole(
    served: tuple[PreviewServer, Preview],
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    srv, _ = served
    doc = project.parent / "docs" / "forecast-bulletin.md"
    original = doc.read_bytes()
    monkeypatch.setattr(server_module, "_CHUNK", 7)  # many chunks, each a separate write
    status, body = get(srv, "/docs/forecast-bulletin.md")
    assert status == 200 and body == original
    monkeypatch.setattr(srv.preview, "max_served", len(original) - 1)
    status, body = get(srv, "/docs/forecast-bulletin.md")
    assert status == 413 and original[:50] not in body


def test_idle_sockets_take_pool_slots_not_threads(project: Path) -> None:
    with running_preview(project, watch=False, workers=3) as (srv, _):
        _hold_every_slot(srv)


def _hold_every_slot(srv: PreviewServer) -> None:
    port = srv.server_address[1]
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(3)]
    try:
        assert _wait(lambda: srv.slots._value == 0, 10)  # type: ignore[attr-defined]
        threads_before = threading.active_count()
        refused = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(20)]
        for sock in refused:
            assert sock.recv(64).startswith(b"HTTP/1.1 503")
            sock.close()
        assert threading.active_count() <= threads_before
    finally:
        for sock in idle:
            sock.close()
    assert _wait(lambda: get(srv, "/status")[0] == 200, 10)


def test_an_idle_socket_is_dropped_after_the_timeout(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module._Handler, "timeout", 0.3)
    with (
        running_preview(project, watch=False, workers=2) as (srv, _),
        socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=30) as sock,
    ):
        assert sock.recv(64) == b""  # closed by the server, with nothing sent


def test_the_listen_backlog_is_not_five(served: tuple[PreviewServer, Preview]) -> None:
    srv, _ = served
    assert srv.request_queue_size >= 128


def test_a_client_leaving_the_event_stream_is_not_a_traceback(
    served: tuple[PreviewServer, Preview], capfd: pytest.CaptureFixture[str]
) -> None:
    srv, preview = served
    port = srv.server_address[1]
    for _ in range(3):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        seen = b""
        while b"retry: 1000" not in seen:
            chunk = sock.recv(4096)
            assert chunk, seen
            seen += chunk
        # an abortive close (RST), as a killed browser tab does
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        time.sleep(0.1)
        with preview.changed:
            preview.events += 1  # a "broken" notice: the server writes to the dead socket
            preview.broken = [{"code": "P101", "level": "error", "line": 1, "column": 1, "message": "x"}]
            preview.changed.notify_all()
        time.sleep(0.2)
        with preview.changed:
            preview.events += 1
            preview.changed.notify_all()
    assert _wait(lambda: srv.slots._value == server_module.WORKERS, 10)  # type: ignore[attr-defined]
    assert "Traceback" not in capfd.readouterr().err


def test_the_served_evidence_cap_is_the_one_check_and_the_page_name(project: Path) -> None:
    from argmap.config import settings_for

    (project.parent / "argmap.toml").write_text("[evidence]\nmax-bytes = 1234\n", encoding="utf-8")
    preview = Preview(str(project), samples=0)
    preview.rebuild()
    assert preview.max_served == settings_for(str(project)).evidence_max_bytes == 1234


def test_a_server_bound_to_another_loopback_address_accepts_that_name_only(project: Path) -> None:
    preview = Preview(str(project), samples=0)
    preview.rebuild()
    srv = PreviewServer(("127.0.0.2", 0), preview)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        port = srv.server_address[1]
        head = "GET /status HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n"
        for host, status in [(f"127.0.0.2:{port}", 200), ("localhost", 200), ("127.0.0.3", 403)]:
            with socket.create_connection(("127.0.0.2", port), timeout=10) as sock:
                sock.sendall(head.format(host).encode())
                assert int(sock.recv(64).split(b" ", 2)[1]) == status, host
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("http://evil.com/status", 403),
        ("http://evil.com:{port}/", 403),
        ("http://127.0.0.1:{port}/status", 200),
    ],
)
def test_an_absolute_form_target_names_an_allowed_host_too(
    served: tuple[PreviewServer, Preview], target: str, status: int
) -> None:
    srv, _ = served
    port = srv.server_address[1]
    head = f"GET {target.format(port=port)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    assert raw(srv, head) == status


def _open_stream(port: int) -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    seen = b""
    while b"\r\n\r\n" not in seen:
        chunk = sock.recv(4096)
        if not chunk:
            break
        seen += chunk
    return sock, seen


def test_event_streams_cannot_take_every_thread(project: Path) -> None:
    """Issue 16, F11: with the default pool, one stream more than every thread: the
    streams past the cap get 503 and the page, status and evidence are still served."""
    with running_preview(project, watch=False) as (srv, preview):
        port = srv.server_address[1]
        opened = [_open_stream(port) for _ in range(server_module.WORKERS + 1)]
        try:
            statuses = [int(seen.split(b" ", 2)[1]) for _, seen in opened]
            assert statuses.count(200) == server_module.STREAMS
            assert statuses.count(503) == server_module.WORKERS + 1 - server_module.STREAMS
            assert get(srv, "/")[0] == 200
            assert get(srv, "/status")[0] == 200
            assert get(srv, "/docs/forecast-bulletin.md")[0] == 200
        finally:
            for sock, _ in opened:  # an abortive close (RST): the next write fails at once
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
        for _ in range(2):  # wake the streams: each writes to its closed socket and ends
            with preview.changed:
                preview.events += 1
                preview.broken = [{"code": "P101", "level": "error", "line": 1, "column": 1, "message": "x"}]
                preview.changed.notify_all()
            time.sleep(0.2)
        with preview.changed:
            preview.broken = None
        assert _wait(lambda: srv.streams._value == server_module.STREAMS, 10)  # type: ignore[attr-defined]
        assert _open_stream(port)[1].startswith(b"HTTP/1.1 200")  # a closed stream frees its place

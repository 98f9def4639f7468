"""The live preview behind `argmap serve MAP`.

`Preview` owns the rendered page: `rebuild()` parses the map and, when it parses,
renders it (`argmap.render.html_map`) and bumps the version; when the map has syntax
errors it keeps the last good page and records the diagnostics instead. A watcher
thread (`watchfiles`) calls `rebuild()` on every save of the map or of one of its
evidence files. The HTTP server (standard library, loopback by default) answers:

- `/` the page (with the live script switched on and, while the file is broken, the
  diagnostics shown above the last good map);
- `/events` a Server-Sent Events stream: `reload` after a good rebuild, `broken`
  (diagnostics as JSON) after a failed one, `fixed` when the map parses again;
- `/status` the version and current diagnostics as JSON;
- the map's own evidence files, under the paths the map links them by, and nothing
  else: every other path, any path that leaves the map's folder (`..`, encoded or
  not, backslashes, NUL, symlinks pointing out) is refused. Files are streamed in
  chunks, and one over the evidence size limit in force for the map (the one `check`
  and the page name: `[evidence] max-bytes`, 20 MiB by default) is refused (413),
  never read into memory.

Hostile clients: requests are answered by a fixed pool of `WORKERS` threads (a
connection beyond it gets a 503 at once, not a new thread), every socket has a
`TIMEOUT` (an idle or slow client is dropped), the listen backlog is `BACKLOG`, at most
`STREAMS` `/events` streams are open at once (a stream never idles, so without the cap
32 of them would hold every thread and lock every other request out; one more gets a
503 while pages, status and evidence are still served), the Host header (and the
authority of an absolute-form request target) must be exactly `localhost`, `127.0.0.1`,
`[::1]` or the address the server is bound to, with an optional port (DNS rebinding),
and a client that goes away mid-stream is not an error worth a traceback.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import ipaddress
import json
import mimetypes
import os
import re
import socket
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote, urlsplit

from argmap.config import DEFAULT_EVIDENCE_MAX_BYTES
from argmap.diagnostics import Diagnostic, Level
from argmap.engine import DEFAULT_SEMANTICS
from argmap.fileio import is_inside

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WORKERS = 32  # connections answered at once (each open /events stream holds one)
STREAMS = 8  # /events streams open at once: the other WORKERS - STREAMS threads stay free
TIMEOUT = 20.0  # seconds a socket may sit idle in a read or a write
BACKLOG = 128  # connections the kernel queues before accept
_CHUNK = 64 * 1024
# one host name or bracketed IPv6 address, then an optional port; nothing else
_HOST_HEADER = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.\-]+))(?::(?P<port>\d{1,5}))?")
_BANNER_SLOT = '<div id="banner" role="alert"></div>'


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _problem(d: Diagnostic) -> tuple[str, str]:
    """A problem as two versions of the map compare it: code and message, not the line
    (an edit above it moves it without making it new)."""
    return d.code, d.message


def _diag_json(d: Diagnostic) -> dict[str, Any]:
    return {"code": d.code, "level": d.level.value, "line": d.line, "column": d.column, "message": d.message}


class Preview:
    """The current page of one map and who is waiting for the next one."""

    def __init__(self, map_path: str, semantics: str = DEFAULT_SEMANTICS, samples: int | None = None) -> None:
        self.map_path = os.path.abspath(map_path)
        self.folder = os.path.dirname(self.map_path)
        self.real_folder = os.path.realpath(self.folder)
        self.semantics = semantics
        self.samples = samples
        self.page = ""
        self.version = 0
        self.broken: list[dict[str, Any]] | None = None
        self.allowed: dict[str, str] = {}  # URL path (no leading slash) -> real file path
        self.watched: set[str] = {self.map_path}
        self.changed = threading.Condition()
        self.events = 0  # bumps on every rebuild, good or broken
        # what the shown page was built from: its thesis, its errors, its syntax errors
        self.thesis: str | None = None
        self.errors: Counter[tuple[str, str]] = Counter()
        self.syntax: Counter[tuple[str, str]] = Counter()
        self.notice: dict[str, Any] | None = None  # what changed with the last good rebuild
        # the largest evidence file served: the limit `check` and the page name (config.py)
        self.max_served = DEFAULT_EVIDENCE_MAX_BYTES

    def rebuild(self) -> None:
        """Re-render after a save. A save that brings a syntax error the shown page did not
        have keeps the last good page (the page lists the new errors); any other save is
        drawn (what parsed, as `render` draws it), and when its thesis changed or it has
        errors the shown page did not, the new page says so in its banner."""
        from argmap.config import settings_for
        from argmap.grammar import parse_file

        self.max_served = settings_for(self.map_path).evidence_max_bytes

        document = parse_file(self.map_path)
        syntax = [d for d in document.diagnostics if d.level is Level.ERROR]
        if self.page and Counter(_problem(d) for d in syntax) - self.syntax:
            with self.changed:
                self.broken = [_diag_json(d) for d in syntax]
                self.events += 1
                self.changed.notify_all()
            return
        from argmap.render.html_map import collect, render_html

        data = collect(document, semantics=self.semantics, samples=self.samples)
        thesis = data.layout.nodes[data.layout.thesis].title if data.layout.thesis else None
        errors = Counter(_problem(d) for d in data.diagnostics if d.level is Level.ERROR)
        notice = self._notice(thesis, errors) if self.page else None
        page = render_html(data, live=True, notice=notice)
        allowed = self._evidence_files(document)
        with self.changed:
            self.page = page
            self.allowed = allowed
            self.watched = {self.map_path, *allowed.values()}
            self.broken = None
            self.thesis, self.errors, self.syntax = thesis, errors, Counter(_problem(d) for d in syntax)
            self.notice = notice
            self.version += 1
            self.events += 1
            self.changed.notify_all()

    def _notice(self, thesis: str | None, errors: Counter[tuple[str, str]]) -> dict[str, Any] | None:
        """What the reader must not miss since the shown page: the thesis changed (a
        deleted `]` can turn it into another claim), or errors appeared."""
        notice: dict[str, Any] = {}
        if thesis != self.thesis:
            notice["thesis"] = [self.thesis, thesis]
        new = sum((errors - self.errors).values())
        if new:
            notice["new_errors"] = new
        return notice or None

    def _evidence_files(self, document: Any) -> dict[str, str]:
        from argmap.evidence.check import evidence_statements
        from argmap.evidence.paths import resolve_evidence_path

        allowed: dict[str, str] = {}
        for statement in evidence_statements(document):
            for link in statement.evidence:
                resolved = resolve_evidence_path(link.path, self.map_path)
                if resolved.path is None:
                    continue
                real = os.path.realpath(resolved.path)
                if not is_inside(real, self.real_folder):
                    continue  # only files under the map's own folder are served
                url = os.path.relpath(real, self.real_folder).replace(os.sep, "/")
                allowed[url] = real
        return allowed

    def current_page(self) -> str:
        with self.changed:
            page, broken = self.page, self.broken
        if not broken:
            return page
        lines = "".join(
            f"<pre><code>{html.escape(d['code'])}</code> line {d['line']}:{d['column']} "
            f"{html.escape(d['message'])}</pre>"
            for d in broken
        )
        banner = (
            '<div id="banner" role="alert"><div class="b-live"><b>The map has errors; showing the last good '
            f"version.</b>{lines}</div></div>"
        )
        return page.replace(_BANNER_SLOT, banner, 1)

    def resolve(self, raw_path: str) -> tuple[int, str | None]:
        """(HTTP status, file) for a request path: 200 and the file for one of the map's
        evidence files, 403 for anything that tries to leave the folder, else 404."""
        path = urlsplit(raw_path).path
        decoded = unquote(path)
        for text in (path, decoded):
            if "\x00" in text or "\\" in text:
                return 403, None
            if any(part in ("..", ".") for part in text.split("/")):
                return 403, None
        if "%" in decoded and unquote(decoded) != decoded:
            return 403, None  # double encoding: never decoded twice, never served
        relative = decoded.lstrip("/")
        if not relative:
            return 404, None
        candidate = os.path.realpath(os.path.join(self.folder, relative))
        if not is_inside(candidate, self.real_folder):
            return 403, None
        with self.changed:
            real = self.allowed.get(relative)
        if real is None or real != candidate or not os.path.isfile(real):
            return 404, None
        return 200, real


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "argmap-serve"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    @property
    def preview(self) -> Preview:
        preview: Preview = self.server.preview  # type: ignore[attr-defined]
        return preview

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    timeout = TIMEOUT  # socketserver sets it on the connection: idle clients are dropped

    def _host_ok(self) -> bool:
        """Refuse other Host names on a loopback server (DNS rebinding): exactly one
        Host header naming `localhost`, 127.0.0.1, [::1] or the bound address, with an
        optional port; an absolute-form target (`GET http://host/`) names one too."""
        if not getattr(self.server, "loopback", True):
            return True
        values = self.headers.get_all("Host") or []
        if len(values) != 1 or not self._authority_ok(values[0].strip()):
            return False
        target = urlsplit(self.path)
        return not (target.scheme or target.netloc) or self._authority_ok(target.netloc)

    def _authority_ok(self, value: str) -> bool:
        match = _HOST_HEADER.fullmatch(value)
        if match is None:
            return False  # `127.0.0.1:8000, evil.com`, userinfo, spaces, trailing junk
        name = (match.group("v6") or match.group("name")).lower()
        return name in LOOPBACK_HOSTS or name == getattr(self.server, "bound_host", None)

    def _send(self, status: int, body: bytes, content_type: str, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _refuse(self, status: int, head: bool = False) -> None:
        message = {403: "403 refused: outside the map's folder", 404: "404 not found"}.get(
            status, str(status)
        )
        self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8", head)

    def do_HEAD(self) -> None:
        self._get(head=True)

    def do_GET(self) -> None:
        self._get(head=False)

    def _other(self) -> None:
        self._send(405, b"405 method not allowed\n", "text/plain; charset=utf-8")

    do_POST = do_PUT = do_DELETE = do_PATCH = _other

    def _get(self, head: bool) -> None:
        if not self._host_ok():
            self._refuse(403, head)
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(200, self.preview.current_page().encode("utf-8"), "text/html; charset=utf-8", head)
            return
        if path == "/status":
            preview = self.preview
            with preview.changed:
                state = {"version": preview.version, "events": preview.events, "broken": preview.broken}
            self._send(200, json.dumps(state).encode(), "application/json", head)
            return
        if path == "/events" and not head:
            self._events()
            return
        status, real = self.preview.resolve(self.path)
        if real is None:
            self._refuse(status, head)
            return
        self._send_file(real, head)

    def _send_file(self, real: str, head: bool) -> None:
        """Stream a file in chunks; 413 when it is over the cap (never read whole)."""
        from argmap.fileio import open_regular

        try:
            handle = open_regular(real)
        except OSError:
            self._refuse(404, head)
            return
        with handle:
            size = os.fstat(handle.fileno()).st_size
            limit = self.preview.max_served
            if size > limit:
                body = f"413 {size:,} bytes: over the {limit:,}-byte limit\n".encode()
                self._send(413, body, "text/plain; charset=utf-8", head)
                return
            kind = mimetypes.guess_type(real)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/json",) or real.endswith(".md"):
                kind = "text/plain; charset=utf-8"  # evidence is read, never run
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            if head:
                return
            left = size  # the length sent; a file that grew meanwhile is cut there
            while left > 0 and (chunk := handle.read(min(_CHUNK, left))):
                self.wfile.write(chunk)
                left -= len(chunk)

    def _events(self) -> None:
        streams: threading.BoundedSemaphore = self.server.streams  # type: ignore[attr-defined]
        if not streams.acquire(blocking=False):
            self.send_response(503)
            self.send_header("Retry-After", "5")
            body = b"503 too many event streams open\n"
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
            return
        try:
            self._stream()
        finally:
            streams.release()

    def _stream(self) -> None:
        preview = self.preview
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        with preview.changed:
            seen_events, seen_version, was_broken = (
                preview.events,
                preview.version,
                preview.broken is not None,
            )
        stop: threading.Event = self.server.stopping  # type: ignore[attr-defined]
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not stop.is_set():
                with preview.changed:
                    preview.changed.wait_for(_changed_since(preview, stop, seen_events), timeout=10)
                    events, version, broken = preview.events, preview.version, preview.broken
                if stop.is_set():
                    break
                if events == seen_events:
                    self.wfile.write(b": ping\n\n")
                elif version != seen_version:
                    self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                    return  # the page reloads and opens a new stream
                elif broken:
                    self.wfile.write(f"event: broken\ndata: {json.dumps(broken)}\n\n".encode())
                    was_broken = True
                elif was_broken:
                    self.wfile.write(b"event: fixed\ndata: {}\n\n")
                    was_broken = False
                seen_events = events
                self.wfile.flush()
        except OSError:  # the client went away (closed tab, reload, timeout): not an error
            self.close_connection = True
            return


def _changed_since(preview: Preview, stop: threading.Event, seen: int) -> Any:
    return lambda: preview.events != seen or stop.is_set()


class PreviewServer(http.server.HTTPServer):
    """An HTTP server answering from a fixed pool of threads, not a thread per socket."""

    request_queue_size = BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        preview: Preview,
        verbose: bool = False,
        workers: int = WORKERS,
        streams: int = STREAMS,
    ) -> None:
        host = address[0]
        self.bound_host = host.strip("[]").lower()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.preview = preview
        self.verbose = verbose
        self.loopback = is_loopback(host)
        self.stopping = threading.Event()
        self.slots = threading.BoundedSemaphore(workers)
        self.streams = threading.BoundedSemaphore(min(streams, workers - 1))
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argmap-serve")

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self._busy(request)
            return
        self.pool.submit(self._answer, request, client_address)

    def _answer(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            self.slots.release()

    def _busy(self, request: Any) -> None:
        """Every worker is taken: say so at once and close, holding no thread."""
        with contextlib.suppress(OSError):
            request.settimeout(1.0)
            request.sendall(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                b"Content-Length: 10\r\nRetry-After: 1\r\nConnection: close\r\n\r\n503 busy\r\n"
            )
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that disconnects or times out is routine; anything else is a bug
        and keeps the standard report."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError) and not self.verbose:
            return
        super().handle_error(request, client_address)

    def shutdown(self) -> None:
        self.stopping.set()
        with self.preview.changed:
            self.preview.changed.notify_all()
        super().shutdown()

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)


def make_server(
    preview: Preview, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False
) -> PreviewServer:
    return PreviewServer((host, port), preview, verbose)


def watch(preview: Preview, stop: threading.Event, on_error: Any = None) -> None:
    """Rebuild on every change to the map or its evidence files, until `stop` is set."""
    from watchfiles import watch as watch_changes

    def relevant(_change: Any, path: str) -> bool:
        real = os.path.realpath(path)
        return os.path.abspath(path) in preview.watched or real in preview.watched

    for _changes in watch_changes(
        preview.folder, watch_filter=relevant, stop_event=stop, debounce=150, step=50, rust_timeout=500
    ):
        try:
            preview.rebuild()
        except Exception as exc:  # a renderer bug must not kill the preview
            if on_error is not None:
                on_error(exc)


def start_watching(preview: Preview) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(preview, stop), name="argmap-watch", daemon=True)
    thread.start()
    return thread, stop


def serve(
    map_path: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    semantics: str = DEFAULT_SEMANTICS,
    samples: int | None = None,
    verbose: bool = False,
) -> None:
    """Run the preview until interrupted (Ctrl-C)."""
    preview = Preview(map_path, semantics=semantics, samples=samples)
    preview.rebuild()
    server = make_server(preview, host, port, verbose)
    _, stop = start_watching(preview)
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    sys.stderr.write(f"argmap serve: http://{shown}:{bound_port}/  (watching {map_path}; Ctrl-C stops)\n")
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        server.server_close()
        time.sleep(0.05)

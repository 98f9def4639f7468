"""`argmap evidence fetch` against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.evidence.check import check_map_file
from argmap.evidence.fetch import FetchError, Limits, default_name, freeze
from argmap.evidence.sources import SourceCache, parse_headers

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>A &amp; B: the paper</title></head>
<body><h1>A study</h1><p>We propose a <b>principal</b> method that adapts large models
cheaply, with <a href="https://example.org/x">few parameters</a> and an “ﬁne” result.</p>
<p>Results show the method beats the baseline by 3 points.</p><img src="x.png" alt="figure"></body></html>"""

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/paper.html": (200, "text/html; charset=utf-8", PAGE.encode()),
    "/notes.md": (200, "text/markdown", b"# Field notes\n\nThe barometer rose 1.2 hPa.\n"),
    "/plain.txt": (200, "text/plain; charset=latin-1", "na\u00efve line\n".encode("latin-1")),
    "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    "/big.txt": (200, "text/plain", b"word " * 5000),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        path = self.path
        if path.startswith("/loop/"):  # /loop/N redirects to /loop/N+1, forever
            number = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/loop/{number + 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/notes.md")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/slow":
            time.sleep(2.0)
        if path == "/chunked-big":  # no Content-Length: the limit applies to the bytes as they arrive
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"x" * 1000 + b"\n")
            return
        status, content_type, body = ROUTES.get(path, (404, "text/html", b"<h1>Not Found</h1>"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gives up early (size limit, timeout) breaks the pipe: expected


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root (argmap.toml) as the working folder; no proxy between us and 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "argmap.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_html_page_becomes_markdown_with_headers(server: str, project: Path) -> None:
    written = freeze(f"{server}/paper.html", to="docs")
    assert written == project / "docs" / "paper.md"
    text = written.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[:5] == [
        "Title: A & B: the paper",
        "",
        f"URL Source: {server}/paper.html",
        "",
        "Markdown Content:",
    ]
    assert parse_headers(lines) == {"Title": "A & B: the paper", "URL Source": f"{server}/paper.html"}
    assert "# A study" in text
    assert "https://example.org/x" not in text and "x.png" not in text  # links and images left out
    # one paragraph, one line (no wrapping), unicode kept
    assert any(line.startswith("We propose a **principal** method") and "“ﬁne”" in line for line in lines)


def test_frozen_page_is_good_evidence(server: str, project: Path) -> None:
    freeze(f"{server}/paper.html", to="docs")
    lines = (project / "docs" / "paper.md").read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("Results show"))
    (project / "m.argdown").write_text(
        "[T]: t.\n\n<A>\n\n(1) [O]: o. #observation\n"
        f"    [Paper]({server}/paper.html)\n"
        f"    [evidence](docs/paper.md#L{line}-L{line})\n"
        "    > Results show the method beats the baseline by 3 points.\n"
        "----\n(2) [C]: c.\n  +> [T]\n"
    )
    _, report = check_map_file(project / "m.argdown", cache=SourceCache())
    assert [r.status for r in report.results] == ["exact"]
    assert report.extra == []  # the recorded URL Source is the observation's source


def test_markdown_and_plain_text_and_redirect(server: str, project: Path) -> None:
    text = freeze(f"{server}/notes.md", to="docs").read_text()
    assert text.startswith(
        f"Title: Field notes\n\nURL Source: {server}/notes.md\n\nMarkdown Content:\n# Field notes\n"
    )
    text = freeze(f"{server}/plain.txt", to="docs").read_text(encoding="utf-8")
    assert "naïve line" in text and text.startswith("Title: plain\n")  # charset from Content-Type
    text = freeze(f"{server}/moved", to="docs", name="moved.md").read_text()
    assert "The barometer rose 1.2 hPa." in text and f"URL Source: {server}/moved" in text


@pytest.mark.parametrize(
    ("path", "limits", "message"),
    [
        ("/loop/0", Limits(max_redirects=3), "more than 3 redirects"),
        ("/big.txt", Limits(max_bytes=1000), "over the 1,000-byte limit"),
        ("/chunked-big", Limits(max_bytes=10_000), "over the 10,000-byte limit"),
        ("/image.png", Limits(), "content type is image/png"),
        ("/slow", Limits(timeout=0.3), "no answer within 0.3 s"),
        ("/missing", Limits(), "404"),
    ],
)
def test_refused_downloads_write_nothing(
    server: str, project: Path, path: str, limits: Limits, message: str
) -> None:
    with pytest.raises(FetchError) as caught:
        freeze(f"{server}{path}", to="docs", name="out.md", limits=limits)
    assert message in str(caught.value)
    assert not caught.value.usage
    assert not (project / "docs" / "out.md").exists()


def test_never_overwrites_without_force(server: str, project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "notes.md").write_text("mine\n")
    with pytest.raises(FetchError, match="already exists") as caught:
        freeze(f"{server}/notes.md", to="docs")
    assert caught.value.usage
    assert (project / "docs" / "notes.md").read_text() == "mine\n"
    freeze(f"{server}/notes.md", to="docs", force=True)
    assert (project / "docs" / "notes.md").read_text().startswith("Title: Field notes")


def test_target_must_stay_inside_the_project(server: str, project: Path) -> None:
    outside = project.parent / f"{project.name}-outside"
    outside.mkdir()
    (project / "escape").symlink_to(outside)
    for to, name in [("..", None), (str(outside), None), ("escape", None), ("docs", "../x.md")]:
        with pytest.raises(FetchError) as caught:
            freeze(f"{server}/notes.md", to=to, name=name)
        assert caught.value.usage, to
    assert list(outside.iterdir()) == []
    with pytest.raises(FetchError, match="only http"):
        freeze("file:///etc/passwd", to="docs")


def test_cli_exit_codes(server: str, project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["evidence", "fetch", f"{server}/notes.md", "--to", "docs/"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "docs/notes.md"
    result = runner.invoke(app, ["evidence", "fetch", f"{server}/notes.md", "--to", "docs/"])
    assert result.exit_code == 2 and "already exists" in result.stderr
    result = runner.invoke(app, ["evidence", "fetch", f"{server}/image.png", "--to", "docs/"])
    assert result.exit_code == 1 and "image/png" in result.stderr
    assert not (project / "docs" / "image.md").exists()


def test_map_named_like_a_command(project: Path) -> None:
    """`argmap evidence MAP` is the report; a map literally named `fetch` is `./fetch`."""
    (project / "fetch").write_text("[T]: nothing to check.\n")
    runner = CliRunner()
    assert runner.invoke(app, ["evidence", "./fetch"]).exit_code == 0
    assert (
        runner.invoke(app, ["evidence", "report", "fetch", "--format", "json"]).stdout.strip().startswith("{")
    )
    assert runner.invoke(app, ["evidence", "--format", "json", "./fetch"]).exit_code == 0


def test_default_names() -> None:
    assert default_name("https://arxiv.org/abs/2106.09685") == "2106.09685.md"
    assert default_name("https://example.org/a/Some%20Page.html?x=1") == "Some-Page.md"
    assert default_name("https://example.org/") == "example.org.md"


def test_a_target_that_cannot_be_written_is_f011(server: str, project: Path) -> None:
    (project / "docs").write_text("a file where the folder should be\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evidence", "fetch", f"{server}/notes.md", "--to", "docs/"])
    assert result.exit_code == 2, result.output
    assert "F011" in result.stderr and "docs" in result.stderr and "Traceback" not in result.output
    assert (project / "docs").read_text(encoding="utf-8") == "a file where the folder should be\n"

"""`argmap evidence fetch URL --to docs/`: freeze a web source as markdown.

The page is downloaded with httpx and written with the header lines the evidence
checker reads (the layout web-to-markdown tools such as r.jina.ai write)::

    Title: <the page's <title>, or its first heading>

    URL Source: <the URL as given>

    Markdown Content:
    <the page as markdown>

Limits, each a `FetchError` with a message, never a traceback:

- only `http` and `https` URLs;
- `timeout` seconds to connect and for each read, and for the whole download;
- at most `max_redirects` redirects;
- the content type must be HTML (`text/html`, `application/xhtml+xml`) or text
  (`text/plain`, `text/markdown`); a body that looks binary is refused too;
- at most `max_bytes` bytes (the `Content-Length` is checked first, then the bytes
  as they arrive);
- HTTP errors (4xx, 5xx) are reported with their status.

HTML is turned into markdown by html2text (no line wrapping, so a paragraph stays
on one line and quotes can cite it by line; links and images are left out so their
URLs do not break the text up). The file is written atomically
(`argmap.fileio.atomic_write_text`) inside the project root (see `paths`), never
over an existing file unless `force` is given.
"""

from __future__ import annotations

import html
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from argmap.evidence.sources import MAX_BYTES_DEFAULT, looks_binary
from argmap.fileio import is_inside, project_root_of

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


class FetchError(Exception):
    """A fetch that did not produce a file. `usage` is True for problems with the
    request itself (bad URL, target path), False for what the server sent."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class Limits:
    timeout: float = 20.0
    max_bytes: int = MAX_BYTES_DEFAULT
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    text: str


def default_name(url: str) -> str:
    """A file name from the URL: its last path segment (without extension), else the
    host; `.md` appended. `https://arxiv.org/abs/2106.09685` gives `2106.09685.md`."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    stem = segments[-1] if segments else parts.hostname or "page"
    for extension in (".html", ".htm", ".md", ".txt", ".pdf", ".php", ".aspx"):
        if stem.lower().endswith(extension):
            stem = stem[: -len(extension)]
    stem = _SLUG.sub("-", stem).strip("-.") or "page"
    return stem[:120] + ".md"


def target_path(url: str, to: str | Path, name: str | None, root: Path, force: bool) -> Path:
    """Where the frozen copy goes: `to/name`, which must stay inside `root` (also
    after following symlinks) and must not exist unless `force`."""
    file_name = name or default_name(url)
    if not file_name or "/" in file_name or "\\" in file_name or file_name in (".", ".."):
        raise FetchError(f"--name must be a plain file name, not {file_name!r}", usage=True)
    folder = Path(os.path.abspath(to))
    root_abs = os.path.abspath(root)
    target = folder / file_name
    if not is_inside(str(target), root_abs):
        raise FetchError(f"{target} is outside the project root {root_abs}", usage=True)
    real_root = os.path.realpath(root_abs)
    if not is_inside(os.path.realpath(target), real_root):
        raise FetchError(f"{target} leaves the project root {root_abs} through a symlink", usage=True)
    if os.path.lexists(target) and not force:
        raise FetchError(f"{target} already exists (use --force to overwrite it)", usage=True)
    if os.path.lexists(target) and not os.path.isfile(target):
        raise FetchError(f"{target} exists and is not a regular file", usage=True)
    return target


def _charset(content_type: str, body: bytes, is_html: bool) -> str:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", content_type, re.IGNORECASE)
    name = match.group(1) if match else None
    if name is None and is_html:
        meta = _META_CHARSET.search(body[:4096])
        name = meta.group(1).decode("ascii") if meta else None
    name = name or "utf-8"
    try:
        "".encode(name)
    except LookupError:
        name = "utf-8"
    return name


def _check_response(response: Any, limits: Limits) -> tuple[str, str]:
    """Refuse an error status, a type that is not HTML or text, a declared size over the
    limit; the media type and the raw content-type header otherwise."""
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        raise FetchError(f"the server answered {response.status_code} {reason} for {response.url}")
    raw_type = response.headers.get("content-type", "")
    media = raw_type.split(";", 1)[0].strip().lower()
    if media and media not in HTML_TYPES | TEXT_TYPES:
        raise FetchError(
            f"the content type is {media}, not HTML or text "
            "(freeze PDFs with a PDF-to-markdown converter first)"
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"the page is {int(declared):,} bytes, over the {limits.max_bytes:,}-byte limit")
    return media, raw_type


def _read_body(response: Any, limits: Limits, deadline: float) -> list[bytes]:
    """The body, chunk by chunk, within the size limit and the deadline."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"the page is over the {limits.max_bytes:,}-byte limit")
        if time.monotonic() > deadline:
            raise FetchError(f"the download took longer than {limits.timeout:g} s")
        chunks.append(chunk)
    return chunks


def download(url: str, limits: Limits | None = None) -> Fetched:
    """GET `url` within `limits`; raises `FetchError` for every failure."""
    import httpx

    from argmap.version import __version__

    limits = limits or Limits()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"only http(s) URLs can be fetched, not {url!r}", usage=True)
    headers = {
        "User-Agent": f"argmap/{__version__} (evidence fetch)",
        "Accept": "text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9",
    }
    deadline = time.monotonic() + limits.timeout
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=limits.max_redirects,
                timeout=httpx.Timeout(limits.timeout),
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            media, raw_type = _check_response(response, limits)
            chunks = _read_body(response, limits, deadline)
            final_url = str(response.url)
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {limits.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(f"no answer within {limits.timeout:g} s") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise FetchError(f"cannot fetch {url!r}: {error}", usage=True) from None
    except httpx.HTTPError as error:
        raise FetchError(f"cannot fetch {url}: {error or type(error).__name__}") from None
    body = b"".join(chunks)
    if looks_binary(body[:8192]):
        raise FetchError("the page is binary, not text")
    is_html = media in HTML_TYPES or (not media and body.lstrip()[:1] == b"<")
    text = body.decode(_charset(raw_type, body, is_html), errors="replace")
    return Fetched(
        url=url, final_url=final_url, content_type="text/html" if is_html else "text/plain", text=text
    )


def html_to_markdown(page: str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0  # no wrapping: one paragraph, one line
    converter.ignore_links = True
    converter.ignore_images = True
    converter.unicode_snob = True
    return converter.handle(page)


def title_of(fetched: Fetched, markdown: str) -> str:
    if fetched.content_type == "text/html":
        match = _TITLE.search(fetched.text)
        if match:
            title = " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())
            if title:
                return title
    for line in markdown.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if heading:
                return heading
    return default_name(fetched.url)[:-3]


def render(fetched: Fetched) -> str:
    """The frozen file: header lines, then the content as markdown."""
    markdown = html_to_markdown(fetched.text) if fetched.content_type == "text/html" else fetched.text
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    title = " ".join(title_of(fetched, markdown).split())
    return f"Title: {title}\n\nURL Source: {fetched.url}\n\nMarkdown Content:\n{markdown}\n"


def freeze(
    url: str,
    to: str | Path = "docs",
    name: str | None = None,
    force: bool = False,
    root: Path | None = None,
    limits: Limits | None = None,
) -> Path:
    """Fetch `url` and write it as `to/name`; returns the path written. The target is
    checked before anything is downloaded and again before it is written."""
    from argmap.fileio import atomic_write_text

    root = root or project_root_of(Path.cwd())
    target = target_path(url, to, name, root, force)
    fetched = download(url, limits)
    text = render(fetched)
    target = target_path(url, to, name, root, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not is_inside(os.path.realpath(target.parent), os.path.realpath(root)):
        raise FetchError(f"{target.parent} leaves the project root through a symlink", usage=True)
    atomic_write_text(target, text)
    return target

"""Parse Argdown text into the typed model: `parse_text` and `parse_file`.

Text -> (source.py) normalised text -> (Lark LALR + lexing.py, run by driver.py's loop)
block records -> (builder.py) `Document`. Syntax errors never raise: they are `Diagnostic`s on the
returned document, and parsing resumes at the next block.
"""

from __future__ import annotations

import gc
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.diagnostics import WHOLE_FILE, Region
from argmap.fileio import open_regular
from argmap.grammar.codes import diagnostic
from argmap.grammar.source import MAX_BYTES_DEFAULT, SourceText, decode_source, too_large
from argmap.model import Document

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lark import Lark, Token
    from lark.exceptions import UnexpectedInput

    from argmap.grammar.blocks import RawBlock
    from argmap.grammar.driver import Tables

GRAMMAR_PATH = Path(__file__).with_name("argdown.lark")

__all__ = ["GRAMMAR_PATH", "parse_bytes", "parse_file", "parse_text"]


def _cache_file(grammar: str, name: str) -> str | None:
    """Where what is derived from `grammar` is kept (`name`: which derivation): one file
    per grammar text, so two checkouts or versions of argmap never rebuild each other's
    by turns. None when no folder is safe to keep it in."""
    import hashlib

    folder = _cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    from argmap import __version__

    return os.path.join(folder, f"{name}-{__version__}-{digest}")


def _cache_folder() -> str | None:
    """The user's cache folder (`$XDG_CACHE_HOME/argmap`, else `~/.cache/argmap`), or a
    folder of the user's own in the temporary folder when that cannot be made; None when
    neither is private. The cached tables are pickles, and loading a pickle runs what it
    says: a folder another user could write to (a shared `/tmp`) is never read."""
    import tempfile

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = getattr(os, "getuid", lambda: None)()
    for folder in (
        os.path.join(base, "argmap"),
        os.path.join(tempfile.gettempdir(), "argmap" if uid is None else f"argmap-{uid}"),
    ):
        if _private_folder(folder, uid):
            return folder
    return None


def _private_folder(folder: str, uid: int | None) -> bool:
    """Make `folder` (only its owner may enter it) or find it so; a folder of the user's
    that others may write to is closed to them. Without user ids (Windows) any folder
    made is the user's."""
    import stat

    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)  # the folder itself, not what a planted link points at
        if uid is None:
            return stat.S_ISDIR(info.st_mode)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid:
            return False
        if info.st_mode & 0o022:
            os.chmod(folder, stat.S_IMODE(info.st_mode) & ~0o022)
        return True
    except OSError:
        return False


@lru_cache(maxsize=1)
def _grammar() -> str:
    return GRAMMAR_PATH.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    from lark import Lark

    from argmap.grammar.blocks import BlockCollector

    # The analysed LALR tables are cached on disk (keyed by grammar and options), so a
    # CLI run loads them in milliseconds instead of rebuilding them.
    grammar = _grammar()
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        transformer=BlockCollector(),
        postlex=_DISPATCH,
        propagate_positions=False,
        maybe_placeholders=False,
        cache=_lark_cache(grammar),
    )


def _lark_cache(grammar: str) -> str | bool:
    path = _cache_file(grammar, "grammar")
    return False if path is None else path + ".lark-cache"


@lru_cache(maxsize=1)
def _tables() -> Tables | None:
    """The tables of `driver`'s loop, kept on disk beside Lark's own (per Lark version)."""
    from lark import __version__ as lark_version

    from argmap.grammar import driver
    from argmap.grammar.blocks import BlockCollector

    grammar = _grammar()
    path = _cache_file(grammar, "tables")
    saved_at = None if path is None else path + f"-lark{lark_version}.pickle"
    return driver.load_tables(saved_at, BlockCollector(), _parser)


class _Recovery:
    """Reports each unexpected line and tells the post-lexer to skip the rest of the
    broken block, so one bad argument never hides the others."""

    def __init__(self, source: SourceText, postlexer: object) -> None:
        self.source = source
        self.postlexer = postlexer

    def __call__(self, error: UnexpectedInput) -> bool:
        from lark.exceptions import UnexpectedToken

        if not isinstance(error, UnexpectedToken) or error.token.type == "$END":
            return False
        token = error.token
        first_line = str(token.value).split("\n", 1)[0]
        where = Region.on_line(token.line or 1, token.column or 1, len(first_line.rstrip()))
        code = _UNEXPECTED.get(token.type, "P101")
        self.source.diagnostics.append(diagnostic(code, self.source.path, where))
        self.postlexer.skip_block = True  # type: ignore[attr-defined]
        return True


# the token Lark could not place -> the code that says why
_UNEXPECTED = {
    "HEADING": "P122",
    "INFERENCE": "P123",
    "PCS_ITEM": "P124",
    "LIST_ITEM": "P125",
    "FRONTMATTER": "P110",
    "RELATION": "P108",
}


class _PostLexDispatch:
    """Lark keeps one post-lexer per parser; this one hands each parse's token stream
    to that parse's own `ArgdownPostLexer` (held per thread)."""

    always_accept: tuple[str, ...] = ()

    def __init__(self) -> None:
        import threading

        self.local = threading.local()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return self.local.current.process(stream)  # type: ignore[no-any-return]


_DISPATCH = _PostLexDispatch()


def parse_source(source: SourceText) -> Document:
    from argmap.grammar.builder import DocumentBuilder

    builder = DocumentBuilder(source)
    text = source.text
    if source.fatal or not text or text.isspace():  # (`strip` would copy the whole text to tell)
        return builder.build([])
    # Parsing allocates many small objects that all stay alive; the cyclic garbage
    # collector would re-scan them again and again (superlinear on large maps).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return builder.build(_blocks(source))
    finally:
        if collecting:
            # The finished model holds no reference cycles that need collecting, but
            # the next collection would walk all of it (a quarter of a large check):
            # move what exists now out of the collector's generations.
            gc.freeze()
            gc.enable()


def _blocks(source: SourceText) -> list[RawBlock]:
    """The map's block records: by `driver`'s loop over Lark's tables, or by Lark itself
    (with its error recovery) when the text holds a syntax error."""
    from argmap.grammar import driver
    from argmap.grammar.lexing import ArgdownPostLexer

    tables = _tables()
    reported = len(source.diagnostics)
    blocks = None if tables is None else driver.parse(tables, source.text, ArgdownPostLexer(source))
    if blocks is not None:
        return blocks
    del source.diagnostics[reported:]  # what the post-lexer reported: it reports it again
    parser = _parser()
    postlexer = ArgdownPostLexer(source)
    _DISPATCH.local.current = postlexer
    return list(parser.parse(source.text, on_error=_Recovery(source, postlexer)) or [])  # type: ignore[arg-type]


def parse_text(text: str, path: str = "<string>") -> Document:
    """Parse Argdown `text`; syntax problems are in `Document.diagnostics`."""
    return parse_bytes(text.encode("utf-8"), path)


def parse_bytes(data: bytes, path: str = "<bytes>", max_bytes: int = MAX_BYTES_DEFAULT) -> Document:
    return parse_source(decode_source(data, path, max_bytes))


def parse_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES_DEFAULT) -> Document:
    """Read and parse a file; unreadable files give an `F001` diagnostic, not an error."""
    name = os.fspath(path)
    try:
        with open_regular(name) as handle:  # a FIFO or device would block or never end
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:  # refused unread, with its real size
                return parse_source(too_large(name, size, max_bytes))
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        source = SourceText(name, "\n", [""], fatal=True)
        reason = exc.strerror or str(exc)
        source.diagnostics.append(diagnostic("F001", name, WHOLE_FILE, reason=reason))
        return parse_source(source)
    from argmap.filekind import not_argdown

    not_map = not_argdown(name, data[:max_bytes])
    if not_map is not None:  # any text parses; a shopping list is not a map
        source = SourceText(name, "\n", [""], fatal=True)
        source.diagnostics.append(diagnostic("F010", name, WHOLE_FILE, reason=not_map))
        return parse_source(source)
    return parse_source(decode_source(data, name, max_bytes))

"""Reading and writing files the user owns.

Reads: only regular files, and never more than a stated number of bytes. A FIFO, a
device or a socket named as a map or a results file would block a read forever (or
never end); it is refused before a byte is read, as an `OSError` so every caller's
"cannot read" diagnostic covers it.

Writes: only to a regular file or a new path (a device, a FIFO, a socket or a folder
is refused as `NotRegularFile` before anything is created: renaming over `/dev/null`
as root would replace the device with a file); atomically (a temporary file in the
target's folder, fsync, rename), through
symlinks (the link's target is rewritten and the link kept), keeping the permission
bits, owner and group of the file replaced. A rename gives the path a new inode, so a
file with other hard links is split: the path written gets the new text, the other
names keep the old one (docs/cli.md, "Files").

Where: the *project root* (the nearest folder holding `.git`, `pyproject.toml` or
`argmap.toml`) bounds every path a document names; `is_inside` is the one containment test.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or folder, not a file to read."""


class FileTooLarge(OSError):
    """The file is over the size a reader accepts."""


_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open `path` for reading in binary; NotRegularFile (closing it again) when it is
    not a regular file. Opening never blocks, even on a FIFO without a writer."""
    name = os.fspath(path)
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise NotRegularFile(errno.EINVAL, f"{kind}, not a regular file", name)
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_regular_bytes(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file `path`; NotRegularFile for anything else,
    FileTooLarge when it holds more than `max_bytes` (never more than that is read)."""
    with open_regular(path) as handle:
        if max_bytes is None:
            return handle.read()
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(max_bytes + 1) if size <= max_bytes else b""
    if size > max_bytes or len(data) > max_bytes:
        raise FileTooLarge(
            errno.EFBIG,
            f"over the {max_bytes:,}-byte limit ({max(size, len(data)):,} bytes)",
            os.fspath(path),
        )
    return data


def read_regular_text(path: str | os.PathLike[str], max_bytes: int | None = None) -> str:
    """`read_regular_bytes` decoded as UTF-8 (UnicodeDecodeError when it is not)."""
    return read_regular_bytes(path, max_bytes).decode("utf-8")


def resolve_for_write(path: str | os.PathLike[str]) -> Path:
    """The file a write to `path` must replace: a symlink's (final) target, so the
    link stays a link and the real file is the one rewritten."""
    target = Path(path)
    if target.is_symlink():
        return Path(os.path.realpath(target))
    return target


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder, fsync, rename.

    Readers see the old file or the new one, never a half-written one; a symlink is
    followed (its target rewritten, the link kept); an existing file's permission
    bits, owner and group are kept (owner and group where the process may set them).
    """
    atomic_write_pieces(path, (data,))


def atomic_write_pieces(path: str | os.PathLike[str], pieces: Iterable[bytes | memoryview]) -> None:
    """`atomic_write_bytes` of the pieces joined, each written to the temporary file as
    it comes (a large export is never whole in memory). Should making a piece fail, the
    temporary file is removed and `path` is as it was."""
    try:
        _atomic_write(path, pieces)
    except OSError as exc:
        if exc.filename == os.fspath(path) or not isinstance(exc.errno, int):
            raise
        # name the path the caller gave, not the temporary file or the link's target
        raise type(exc)(exc.errno, exc.strerror, os.fspath(path)) from exc


def _atomic_write(path: str | os.PathLike[str], pieces: Iterable[bytes | memoryview]) -> None:
    old = _existing_regular(path)
    target = resolve_for_write(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"no such folder {os.fspath(folder)!r}", os.fspath(path))
    mode = None if old is None else old.st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            if old is not None:
                _keep_owner(handle.fileno(), old)
            os.fsync(handle.fileno())
        if mode is None:
            # mkstemp creates 0600; a new file gets the usual permissions instead
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """fsync the folder, so the rename itself is on disk (where the system allows it)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _existing_regular(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The status of the regular file `path` names (through symlinks), None for a new
    path; NotRegularFile for a device, FIFO, socket or folder."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:  # a new path, or a dangling link whose target is created
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise NotRegularFile(errno.EINVAL, f"{kind}, not a regular file", name)
    return info


def _keep_owner(fd: int, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group. Only root may give a file away;
    anyone may set a group they belong to, so a failure keeps what the system allows."""
    if not hasattr(os, "fchown"):
        return
    if (old.st_uid, old.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, old.st_uid, old.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, old.st_gid)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


ROOT_MARKERS = (".git", "pyproject.toml", "argmap.toml")


def project_root_of(folder: str | os.PathLike[str]) -> Path:
    """The nearest folder at or above `folder` holding a root marker; `folder` itself when none does."""
    start = Path(os.path.abspath(folder))
    for candidate in (start, *start.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return start


def project_root(map_path: str | os.PathLike[str]) -> Path:
    """The project root of a map: `project_root_of` the map's folder."""
    return project_root_of(Path(os.path.abspath(map_path)).parent)


def is_inside(child: str, parent: str) -> bool:
    """Whether absolute, normalised `child` is `parent` or below it (no file system access)."""
    try:
        return os.path.commonpath([child, parent]) == parent
    except ValueError:  # different drives, or one relative and one absolute
        return False

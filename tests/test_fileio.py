"""Atomic writes: all or nothing, permissions kept, no temporary files left."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.fileio import atomic_write_bytes, atomic_write_pieces, atomic_write_text


def test_new_file_gets_umask_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        target = tmp_path / "out.txt"
        atomic_write_text(target, "hello")
        assert target.read_text() == "hello"
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(umask)


def test_existing_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "map.argdown"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "map.argdown"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.argdown"]


def test_pieces_are_written_one_after_the_other(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    pieces: list[bytes | memoryview] = [b"{", memoryview(b'"a": 1')[1:], b"", b"}\n"]
    atomic_write_pieces(target, iter(pieces))
    assert target.read_bytes() == b'{a": 1}\n'


def test_a_piece_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")

    def pieces() -> Iterator[bytes]:
        yield b"new, half"
        raise RuntimeError("the export failed half way")

    with pytest.raises(RuntimeError):
        atomic_write_pieces(target, pieces())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_symlinked_file_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "map.argdown"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "map.argdown"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_a_chain_of_relative_symlinks_is_followed_to_the_end(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    real = tmp_path / "a" / "real.txt"
    real.write_text("old")
    (tmp_path / "hop.txt").symlink_to(Path("a") / "real.txt")
    (tmp_path / "a" / "start.txt").symlink_to(Path("..") / "hop.txt")
    atomic_write_text(tmp_path / "a" / "start.txt", "new")
    assert real.read_text() == "new"
    assert (tmp_path / "hop.txt").is_symlink() and (tmp_path / "a" / "start.txt").is_symlink()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give files away")
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "map.argdown"
    target.write_text("old")
    os.chown(target, 4321, 8765)
    target.chmod(0o640)
    atomic_write_text(target, "new")
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 8765, 0o640)


def test_a_hard_link_is_split_as_documented(tmp_path: Path) -> None:
    target = tmp_path / "map.argdown"
    target.write_text("old")
    other = tmp_path / "other-name.argdown"
    os.link(target, other)
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert other.read_text() == "old"  # docs/cli.md, "Files": the rename gives a new inode


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_reading_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    from argmap.fileio import NotRegularFile, read_regular_bytes

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFile, match="FIFO"):
        read_regular_bytes(fifo)
    with pytest.raises(NotRegularFile, match="folder"):
        read_regular_bytes(tmp_path)


def test_reading_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    from argmap.fileio import FileTooLarge, read_regular_bytes

    path = tmp_path / "big"
    path.write_bytes(b"x" * 101)
    assert read_regular_bytes(path, 101) == b"x" * 101
    with pytest.raises(FileTooLarge):
        read_regular_bytes(path, 100)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_writing_onto_a_fifo_is_refused_and_keeps_it(tmp_path: Path) -> None:
    from argmap.fileio import NotRegularFile

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFile, match="FIFO"):
        atomic_write_text(fifo, "new")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    with pytest.raises(NotRegularFile, match="FIFO"):
        atomic_write_text(link, "new")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "pipe"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can make device nodes")
def test_writing_onto_a_device_node_is_refused_and_keeps_it(tmp_path: Path) -> None:
    from argmap.fileio import NotRegularFile

    node = tmp_path / "mynull"  # a private null device under tmp_path, never the real /dev
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    with pytest.raises(NotRegularFile, match="character device"):
        atomic_write_text(node, "new")
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_writing_onto_a_folder_or_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    from argmap.fileio import NotRegularFile

    with pytest.raises(NotRegularFile, match="folder"):
        atomic_write_text(tmp_path, "new")
    with pytest.raises(FileNotFoundError, match="no such folder"):
        atomic_write_text(tmp_path / "missing" / "x.json", "new")
    assert list(tmp_path.iterdir()) == []


def test_a_dangling_symlink_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    atomic_write_text(link, "new")
    assert link.is_symlink() and (tmp_path / "real.json").read_text() == "new"

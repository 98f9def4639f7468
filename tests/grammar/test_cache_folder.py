"""Where the parser keeps its analysed tables: only in a folder no other user can
write to, since the tables are pickles and loading one runs what it says."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

import argmap.grammar as grammar
from argmap.grammar import driver, parse_text
from argmap.grammar.blocks import BlockCollector

posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="user ids and modes are POSIX")


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path


@posix_only
def test_the_users_cache_folder_is_made_private(cache_home: Path) -> None:
    folder = grammar._cache_folder()
    assert folder == str(cache_home / "cache" / "argmap")
    assert not os.stat(folder).st_mode & 0o077


@posix_only
def test_a_cache_folder_others_may_write_to_is_closed_to_them(cache_home: Path) -> None:
    folder = cache_home / "cache" / "argmap"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert grammar._cache_folder() == str(folder)
    assert not stat.S_IMODE(folder.stat().st_mode) & 0o022


@posix_only
def test_a_folder_of_another_user_is_never_used(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (cache_home / "cache" / "argmap").mkdir(parents=True)
    other = os.getuid() + 1  # the folders made here belong to this user, not to `other`
    monkeypatch.setattr(os, "getuid", lambda: other)
    (cache_home / "tmp" / f"argmap-{other}").mkdir()
    assert grammar._cache_folder() is None
    assert grammar._cache_file("grammar text", "tables") is None
    assert grammar._lark_cache("grammar text") is False


@posix_only
def test_a_link_planted_as_the_cache_folder_is_not_followed(cache_home: Path) -> None:
    (cache_home / "cache").write_text("not a folder")  # the user's folder cannot be made
    elsewhere = cache_home / "elsewhere"
    elsewhere.mkdir()
    (cache_home / "tmp" / f"argmap-{os.getuid()}").symlink_to(elsewhere)
    assert grammar._cache_folder() is None


def test_without_a_cache_folder_the_tables_are_built_and_nothing_is_written(tmp_path: Path) -> None:
    tables = driver.load_tables(None, BlockCollector(), grammar._parser)
    assert tables is not None
    assert list(tmp_path.iterdir()) == []
    assert parse_text("[A]: a.\n  + [B]: b.\n").relations

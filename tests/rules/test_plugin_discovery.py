"""The cheap look for rule plugins before `importlib.metadata` is imported
(`registry.may_declare_entry_points`): yes wherever importlib.metadata could find an
entry point of the group, no only where it provably finds none."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from argmap.rules.registry import PLUGIN_GROUP, may_declare_entry_points

ROOT = Path(__file__).resolve().parents[2]


def dist(site: Path, folder: str, entry_points: str | None) -> None:
    info = site / folder
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: x\nVersion: 1.0\n", encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def only_on_path(monkeypatch: pytest.MonkeyPatch, *folders: str) -> None:
    monkeypatch.setattr(sys, "path", list(folders))


def test_no_entry_points_of_the_group_means_no(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist(tmp_path, "plain-1.0.dist-info", None)
    dist(tmp_path, "tool-2.0.dist-info", "[console_scripts]\ntool = tool.main:run\n")
    dist(tmp_path, "old-1.0.egg-info", "[argmap.semantics]\nx = y:Z\n")
    (tmp_path / "single-1.0.egg-info").write_text("Name: single\n", encoding="utf-8")  # an egg-info file
    only_on_path(monkeypatch, str(tmp_path), str(tmp_path / "does-not-exist"))
    assert not may_declare_entry_points(PLUGIN_GROUP)


@pytest.mark.parametrize("folder", ["plugin-1.0.dist-info", "Plugin-1.0.DIST-INFO", "plugin-1.0.egg-info"])
def test_a_declared_plugin_means_yes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    dist(tmp_path, folder, "[argmap.rules]\nmine = my_rules\n")
    only_on_path(monkeypatch, str(tmp_path))
    assert may_declare_entry_points(PLUGIN_GROUP)


def test_an_egg_folder_on_the_path_is_looked_into(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist(tmp_path / "mine-1.0.egg", "EGG-INFO", "[argmap.rules]\nmine = my_rules\n")
    only_on_path(monkeypatch, str(tmp_path / "mine-1.0.egg"))
    assert may_declare_entry_points(PLUGIN_GROUP)


def test_what_cannot_be_looked_into_means_yes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("mine-1.0.dist-info/entry_points.txt", "[argmap.rules]\nmine = my_rules\n")
    only_on_path(monkeypatch, str(archive))
    assert may_declare_entry_points(PLUGIN_GROUP)

    class Finder:
        @staticmethod
        def find_distributions(*args: object) -> list[object]:
            return []

    only_on_path(monkeypatch, str(tmp_path / "nothing"))
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert may_declare_entry_points(PLUGIN_GROUP)


def test_loading_the_rules_without_plugins_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from argmap.rules import registry\n"
        "registry.load_rules()\n"
        "print(len(registry.all_rules()) > 50, 'importlib.metadata' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "False"]

"""Shared fixtures: the real-world corpus (optional) and the bundled example."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# One torch CPU thread per test process, set before anything imports torch (the user's own
# OMP_NUM_THREADS wins). torch's default, a thread per core, spins: whenever anything else
# runs on the machine (the other pytest-xdist worker, Chromium, a subprocess, another job)
# the threads thrash: on the project's shared 2-core machine, with other jobs running,
# tests/training took 357 s of CPU with two threads against 101 s with one (the whole
# suite alone in one process costs about the same either way). No test here counts
# threads (the SmolLM2 run passes `--threads 1` itself).
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "picnic" / "thesis.argdown"
CORPUS = ROOT.parent / "shared" / "corpus" / "adapters"
CORPUS_MAP = CORPUS / "adapters_vargdown.argdown"

# The one real defect in the corpus map: <AntiPaSTO OOD Transfer> has no `----`
# line between premise (1) and conclusion (2) (line 117 of the original file).
CORPUS_DEFECT_LINE = 117


def picnic_copy(folder: Path, marker: str = "argmap.toml") -> Path:
    """A copy of the picnic example (map, evidence, results) in `folder`/picnic, made its own
    project root by an empty `marker` file; returns the map's path."""
    target = folder / "picnic"
    shutil.copytree(EXAMPLE.parent, target)
    (target / marker).write_text("", encoding="utf-8")
    return target / "thesis.argdown"


@pytest.fixture
def corpus_map() -> Path:
    if not CORPUS_MAP.exists():
        pytest.skip(f"real-world corpus not present at {CORPUS}")
    return CORPUS_MAP


@pytest.fixture
def fixed_corpus_map(corpus_map: Path, tmp_path: Path) -> Path:
    """A temporary copy of the corpus map and its docs, with the defect fixed."""
    lines = corpus_map.read_text(encoding="utf-8").split("\n")
    assert lines[CORPUS_DEFECT_LINE - 1].startswith("(2) [SVD Causal Not Correlational]")
    lines.insert(CORPUS_DEFECT_LINE - 1, "----")
    target = tmp_path / "adapters_vargdown.argdown"
    target.write_text("\n".join(lines), encoding="utf-8")
    # a real copy: the evidence checker refuses symlinks that leave the project root
    shutil.copytree(corpus_map.parent / "docs", tmp_path / "docs")
    return target


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (scripts/test.sh runs `-n 2 --dist loadfile --no-loadscope-reorder`),
    a file is one unit of work, handed out in collection order: the files holding a test
    marked `slow` go first, so that none of them starts last and keeps one worker busy
    alone at the end. Order within a file is kept (tests/test_docs_commands.py's commands
    build on each other). Without xdist the order is pytest's own."""
    if not hasattr(config, "workerinput"):  # only in an xdist worker
        return
    slow = {item.path for item in items if item.get_closest_marker("slow") is not None}
    items.sort(key=lambda item: item.path not in slow)  # stable: the rest keep their order

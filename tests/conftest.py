"""Shared fixtures: the real-world corpus (optional) and the bundled example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PICNIC = Path(__file__).resolve().parents[2] / "examples" / "picnic" / "thesis.argdown"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the picnic map in a project root of its own (a pyproject.toml beside it)."""
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    target = tmp_path / "thesis.argdown"
    shutil.copy(PICNIC, target)
    return target

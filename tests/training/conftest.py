"""Shared fixtures of the training tests. Tests that need torch/transformers/peft skip
cleanly (with the install command) when the `train` extra is not installed."""

from __future__ import annotations

import pytest

from argmap.training import INSTALL_HINT, missing_packages


def require_train() -> None:
    missing = missing_packages()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} ({INSTALL_HINT})")


@pytest.fixture(scope="session")
def tiny_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One pre-trained-model cache for the whole session (pre-training runs once)."""
    return str(tmp_path_factory.mktemp("argmap-cache"))

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


def two_comparison_spec(name: str, claims: tuple[str, str], other: tuple[str, str], steps: int) -> str:
    """A small spec on the tiny model: `claims[0]` is PiSSA against LoRA, `claims[1]` the
    method `other[0]` (defined as `other[1]`) against LoRA; two seeds, one learning rate."""
    method, definition = other
    return f"""\
name: {name}
comparisons:
  - {{claim: {claims[0]}, method: pissa, baseline: lora, metric: eval_loss}}
  - {{claim: {claims[1]}, method: {method}, baseline: lora, metric: eval_loss}}
model: {{name: tiny, pretrain_steps: 60}}
task: {{name: shift, validation_examples: 32, test_examples: 32}}
methods:
  lora: {{type: lora, r: 2}}
  pissa: {{type: pissa, r: 2}}
  {method}: {definition}
seeds: [0, 1]
steps: {steps}
batch_size: 8
learning_rates: [0.01]
"""

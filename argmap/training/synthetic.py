"""The built-in synthetic task: modal permutation chains, and its shifted version.

A sequence starts with a mode token m (one of `modes`), then symbols x_1..x_L where
x_{t+1} = pi_m(x_t) with probability 1 - noise, else a uniformly random symbol. The model
predicts x_{t+1} from the prefix: to do so it must read the mode (attention to the first
position) and look up the permutation (MLP). Only the deterministic transitions are scored
(labels elsewhere are -100), so accuracy is 1.0 for a model that knows the permutations.

Pre-training uses permutations drawn from `task_seed`; the adaptation task remaps a
fraction `shift` of the symbols of every mode (drawn from `shift_seed`), so it is a
structured change of the lookup whose rank grows with `shift`: a harder shift needs more
of the weight to move. Validation and test sets are drawn from their own random streams
and are disjoint from training batches in generator state (training batches are drawn
fresh from the trial's seed, or, with `train_examples`, from a pool of that many examples
drawn from the seed: the training subsample varies with the seed).

Out of distribution: with `heldout_modes: k`, the last k modes never appear in the
adaptation's training or validation data; the OOD split is adapted sequences of those modes
only. The remap is then one relabelling rho of the chosen symbols shared by every mode
(pi'_m = pi_m o rho), so a model that learnt rho (a change of how symbols are read) carries
it to the held-out modes, and one that memorised per-mode lookups does not.

Retention: the source task is the pre-training task, scored only at the transitions the
adaptation leaves unchanged (pi'_m(x) = pi_m(x)): what the model should not forget.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from argmap.training.spec import TaskSpec

VALIDATION_STREAM = 1_000_003
TEST_STREAM = 2_000_003
OOD_STREAM = 3_000_003
SOURCE_STREAM = 4_000_003
TRAIN_POOL_STREAM = 5_000_003


@dataclass(frozen=True)
class ChainTask:
    symbols: int
    modes: int
    length: int
    noise: float
    perms: torch.Tensor  # (modes, symbols), long
    mode_set: tuple[int, ...] | None = None  # the modes sequences are drawn from (None: all)

    @property
    def vocab_size(self) -> int:
        return self.symbols + self.modes

    def batch(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """(input_ids, labels), each (n, length + 1); labels are the inputs where scored, else -100."""
        s, length = self.symbols, self.length
        if self.mode_set is None:
            mode = torch.randint(0, self.modes, (n,), generator=generator)
        else:
            allowed = torch.tensor(self.mode_set, dtype=torch.long)
            mode = allowed[torch.randint(0, len(allowed), (n,), generator=generator)]
        x = torch.empty(n, length, dtype=torch.long)
        scored = torch.zeros(n, length, dtype=torch.bool)
        x[:, 0] = torch.randint(0, s, (n,), generator=generator)
        for t in range(1, length):
            follow = self.perms[mode, x[:, t - 1]]
            random = torch.rand(n, generator=generator) < self.noise
            x[:, t] = torch.where(random, torch.randint(0, s, (n,), generator=generator), follow)
            scored[:, t] = ~random
        ids = torch.cat([(s + mode)[:, None], x], dim=1)
        ignore = torch.full_like(x, -100)
        labels = torch.cat([torch.full((n, 1), -100, dtype=torch.long), torch.where(scored, x, ignore)], 1)
        return ids, labels

    def fixed(self, n: int, stream: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.batch(n, torch.Generator().manual_seed(stream))


def _perms(spec: TaskSpec) -> torch.Tensor:
    generator = torch.Generator().manual_seed(spec.task_seed)
    return torch.stack([torch.randperm(spec.symbols, generator=generator) for _ in range(spec.modes)])


def shifted_perms(perms: torch.Tensor, fraction: float, seed: int, shared: bool = False) -> torch.Tensor:
    """Remap round(fraction * symbols) symbols of every mode: a cyclic shift of their images,
    so every chosen symbol really changes (no fixed points). `shared`: the same chosen
    symbols and the same cycle for every mode (one relabelling of the input symbols)."""
    generator = torch.Generator().manual_seed(seed)
    modes, symbols = perms.shape
    k = max(2, round(fraction * symbols))
    out = perms.clone()
    chosen = torch.randperm(symbols, generator=generator)[:k]
    for m in range(modes):
        if not shared and m:
            chosen = torch.randperm(symbols, generator=generator)[:k]
        out[m, chosen] = perms[m, chosen.roll(1)]
    return out


def pretrain_task(spec: TaskSpec) -> ChainTask:
    return ChainTask(spec.symbols, spec.modes, spec.length, spec.noise, _perms(spec))


def _adapted_perms(spec: TaskSpec) -> torch.Tensor:
    return shifted_perms(_perms(spec), spec.shift, spec.shift_seed, shared=spec.heldout_modes > 0)


def adapt_task(spec: TaskSpec) -> ChainTask:
    """The adaptation task on the in-distribution modes (all but the held-out ones)."""
    modes = tuple(range(spec.modes - spec.heldout_modes)) if spec.heldout_modes else None
    return ChainTask(spec.symbols, spec.modes, spec.length, spec.noise, _adapted_perms(spec), modes)


def ood_task(spec: TaskSpec) -> ChainTask | None:
    """The adapted task on the held-out modes only, or None without `heldout_modes`."""
    if not spec.heldout_modes:
        return None
    modes = tuple(range(spec.modes - spec.heldout_modes, spec.modes))
    return ChainTask(spec.symbols, spec.modes, spec.length, spec.noise, _adapted_perms(spec), modes)


def source_split(spec: TaskSpec, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Pre-training sequences scored only where the adaptation keeps the transition."""
    source, changed = _perms(spec), _adapted_perms(spec)
    ids, labels = pretrain_task(spec).fixed(n, SOURCE_STREAM)
    mode = ids[:, 0] - spec.symbols
    previous = ids[:, 1:-1].clamp(max=spec.symbols - 1)
    kept = source[mode[:, None], previous] == changed[mode[:, None], previous]
    labels = labels.clone()
    labels[:, 2:] = torch.where(kept, labels[:, 2:], torch.full_like(labels[:, 2:], -100))
    return ids, labels


def train_pool(task: ChainTask, examples: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A seed's training subsample: `examples` sequences drawn from the seed's own stream."""
    return task.fixed(examples, TRAIN_POOL_STREAM + seed)

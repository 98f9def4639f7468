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
fresh from the trial's seed).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from argmap.training.spec import TaskSpec

VALIDATION_STREAM = 1_000_003
TEST_STREAM = 2_000_003


@dataclass(frozen=True)
class ChainTask:
    symbols: int
    modes: int
    length: int
    noise: float
    perms: torch.Tensor  # (modes, symbols), long

    @property
    def vocab_size(self) -> int:
        return self.symbols + self.modes

    def batch(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """(input_ids, labels), each (n, length + 1); labels are the inputs where scored, else -100."""
        s, length = self.symbols, self.length
        mode = torch.randint(0, self.modes, (n,), generator=generator)
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


def shifted_perms(perms: torch.Tensor, fraction: float, seed: int) -> torch.Tensor:
    """Remap round(fraction * symbols) symbols of every mode: a cyclic shift of their images,
    so every chosen symbol really changes (no fixed points)."""
    generator = torch.Generator().manual_seed(seed)
    modes, symbols = perms.shape
    k = max(2, round(fraction * symbols))
    out = perms.clone()
    for m in range(modes):
        chosen = torch.randperm(symbols, generator=generator)[:k]
        out[m, chosen] = perms[m, chosen.roll(1)]
    return out


def pretrain_task(spec: TaskSpec) -> ChainTask:
    return ChainTask(spec.symbols, spec.modes, spec.length, spec.noise, _perms(spec))


def adapt_task(spec: TaskSpec) -> ChainTask:
    return ChainTask(
        spec.symbols,
        spec.modes,
        spec.length,
        spec.noise,
        shifted_perms(_perms(spec), spec.shift, spec.shift_seed),
    )

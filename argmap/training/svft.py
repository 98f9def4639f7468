"""SVFT (Lingam et al., NeurIPS 2024): fine-tuning in the basis of the weight's own singular
vectors.

With the thin SVD  W0 = U S V^T  (U: out x p, V: in x p, p = min(out, in)), SVFT learns a
sparse p x p matrix M with a fixed pattern Omega and computes

    W = W0 + U M V^T = U (S + M) V^T,     Delta W = sum over (i, j) in Omega of m_ij u_i v_j^T.

M starts at zero, so SVFT starts as a no-op, and every update lies in the span of the base
weight's singular vectors (U^T Delta W V = M exactly). The patterns:

- banded (the paper's SVFT^B_d): M_ij may be non-zero when |i - j| <= d. argmap's size knob
  is the band's width in diagonals, 2d + 1 (1 = the paper's plain SVFT^P, M diagonal, which
  adapts the singular values). Trainable per layer, from the paper's Table 7 with D = p and
  k = d:  p (2d + 1) - d (d + 1)  =  D k + (D - k)(k + 1).
- random (SVFT^R): the same number of positions drawn at random (seeded by torch's RNG);
  `options: {pattern: random}`.

U and V are buffers recomputed from W0 (not saved with an adapter), and W0 is never written.
"""

from __future__ import annotations

import torch
from torch import nn

PATTERNS = ("banded", "random")


def band_count(p: int, diagonals: int) -> int:
    """Entries of a p x p matrix within the band |i - j| <= d, diagonals = 2d + 1."""
    d = (diagonals - 1) // 2
    return p * (2 * d + 1) - d * (d + 1)


def pattern(p: int, diagonals: int, kind: str, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Row and column indices of M's trainable entries."""
    if diagonals < 1 or diagonals % 2 == 0:
        raise ValueError(f"SVFT's band width counts the diagonal and d on each side: odd, not {diagonals}")
    if (diagonals - 1) // 2 >= p:
        raise ValueError(f"{diagonals} diagonals do not fit a {p} x {p} M")
    if kind not in PATTERNS:
        raise ValueError(f"unknown SVFT pattern {kind!r}; known: {', '.join(PATTERNS)}")
    rows, cols = torch.meshgrid(torch.arange(p), torch.arange(p), indexing="ij")
    if kind == "banded":
        keep = (rows - cols).abs() <= (diagonals - 1) // 2
        return rows[keep].to(device), cols[keep].to(device)
    chosen = torch.randperm(p * p)[: band_count(p, diagonals)].sort().values
    return (chosen // p).to(device), (chosen % p).to(device)


class SVFTLinear(nn.Module):
    """A frozen linear layer plus U M V^T, M sparse and trainable."""

    svft_u: torch.Tensor
    svft_vh: torch.Tensor
    svft_rows: torch.Tensor
    svft_cols: torch.Tensor

    def __init__(self, base_layer: nn.Linear, diagonals: int, kind: str = "banded") -> None:
        super().__init__()
        self.base_layer = base_layer
        weight = base_layer.weight.detach().float()
        u, _, vh = torch.linalg.svd(weight, full_matrices=False)
        self.register_buffer("svft_u", u, persistent=False)
        self.register_buffer("svft_vh", vh, persistent=False)
        rows, cols = pattern(u.shape[1], diagonals, kind, weight.device)
        self.register_buffer("svft_rows", rows, persistent=False)
        self.register_buffer("svft_cols", cols, persistent=False)
        self.svft_m = nn.Parameter(torch.zeros(len(rows), device=weight.device))

    def get_base_layer(self) -> nn.Linear:
        return self.base_layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = x.float() @ self.svft_vh.T  # V^T x: (..., p)
        terms = z[..., self.svft_cols] * self.svft_m  # m_ij (V^T x)_j
        mz = torch.zeros_like(z).index_add_(-1, self.svft_rows, terms)  # (M V^T x)_i
        out: torch.Tensor = self.base_layer(x) + (mz @ self.svft_u.T).to(x.dtype)
        return out

    def m_matrix(self) -> torch.Tensor:
        p = self.svft_u.shape[1]
        m = torch.zeros(p, p, device=self.svft_m.device)
        return m.index_put((self.svft_rows, self.svft_cols), self.svft_m)

    def delta_weight(self) -> torch.Tensor:
        """U M V^T."""
        delta: torch.Tensor = self.svft_u @ self.m_matrix() @ self.svft_vh
        return delta

    def merged_weight(self) -> torch.Tensor:
        """W0 + U M V^T, the weight the layer applies."""
        return self.base_layer.weight.float() + self.delta_weight()

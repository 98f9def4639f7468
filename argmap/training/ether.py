"""ETHER and ETHER+ (Bini, Roth, Akata and Khoreva, ICML 2024): fine-tuning by hyperplane
reflections of the weight.

ETHER multiplies a layer's weight by a Householder reflection

    H = I - 2 u u^T / ||u||^2,

which is orthogonal (H H^T = I, H = H^T, H^2 = I) and sits at a constant distance from the
identity, ||H - I||_F = 2 ||u u^T||_F / ||u||^2 = 2, whatever u is. The paper's forward pass
is (H W)^T x + b with W of shape (in, out), so in torch's (out, in) convention the layer
computes  y = W (H x) + b:  the reflection acts on the input side. With n blocks, H is
block-diagonal, one reflection per block of in/n inputs; the trainable parameters are the
normals u, in_features per layer whatever n is (the paper's point: blocks cut compute, not
parameters), and ||H - I||_F = 2 sqrt(n) while its spectral norm stays 2.

ETHER is not a no-op at initialisation: a reflection is never the identity. That is the
method as published (bounded, not zero, deviation); argmap's tests check the bound instead.

ETHER+ relaxes the reflection to  H+ = I - u u^T/||u||^2 + v v^T/||v||^2  (two interacting
hyperplanes; not orthogonal, ||H+ - I||_F = sqrt(2 - 2 cos^2(u, v)) <= 2) and applies one
on each side of the weight:  y = H+_out W H+_in x + b.  It is the identity when u = v, which
is how argmap initialises it (v a copy of a random u), so ETHER+ starts as a no-op.
Parameters per layer: 2 (in + out).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


def _unit(vectors: torch.Tensor) -> torch.Tensor:
    unit: torch.Tensor = vectors / vectors.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    return unit


def _blocks(features: int, blocks: int) -> int:
    if blocks < 1 or features % blocks:
        raise ValueError(f"{blocks} blocks do not divide {features} features")
    return features // blocks


class Reflection(nn.Module):
    """Block-diagonal I - 2 u u^T (ETHER) or I - u u^T + v v^T (ETHER+), u and v per block."""

    def __init__(self, features: int, blocks: int, plus: bool, like: torch.Tensor) -> None:
        super().__init__()
        size = _blocks(features, blocks)
        u = torch.randn(blocks, size, device=like.device, dtype=torch.float32)
        self.u = nn.Parameter(u)
        self.v = nn.Parameter(u.clone()) if plus else None  # u = v: H+ = I at init

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """H x along the last dimension, without forming H."""
        shape = x.shape
        blocks = x.reshape(*shape[:-1], *self.u.shape).float()
        u = _unit(self.u)
        along_u = (blocks * u).sum(-1, keepdim=True) * u
        if self.v is None:
            out = blocks - 2.0 * along_u
        else:
            v = _unit(self.v)
            out = blocks - along_u + (blocks * v).sum(-1, keepdim=True) * v
        return out.reshape(shape).to(x.dtype)

    def matrix(self) -> torch.Tensor:
        """The dense transform H (for tests and for measuring the update)."""
        features = self.u.numel()
        transform: torch.Tensor = self(torch.eye(features, device=self.u.device)).T
        return transform


class EtherLinear(nn.Module):
    """A frozen linear layer with ETHER (input side) or ETHER+ (both sides) reflections."""

    def __init__(self, base_layer: nn.Linear, blocks: int, plus: bool) -> None:
        super().__init__()
        self.base_layer = base_layer
        self.plus = plus
        weight = base_layer.weight
        self.ether_in = Reflection(base_layer.in_features, blocks, plus, weight)
        self.ether_out = Reflection(base_layer.out_features, blocks, plus, weight) if plus else None

    def get_base_layer(self) -> nn.Linear:
        return self.base_layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        base = self.base_layer
        y = F.linear(self.ether_in(x), base.weight)
        if self.ether_out is not None:
            y = self.ether_out(y)
        return y if base.bias is None else y + base.bias

    def merged_weight(self) -> torch.Tensor:
        """H_out W H_in (H_out = I for plain ETHER), the weight the layer applies."""
        weight = self.base_layer.weight.float() @ self.ether_in.matrix()
        if self.ether_out is not None:
            weight = self.ether_out.matrix() @ weight
        return weight

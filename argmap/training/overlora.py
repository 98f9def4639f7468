"""Over-parameterised LoRA, in the spirit of LoRA-Over: extra trainable factors while
training, folded back exactly into a plain rank-r LoRA for inference.

A peft LoRA layer computes  y = W x + s * B A x  (A: r x in, B: out x r). Here every
`lora_B` becomes  B M2 M1  with two extra r x r factors initialised to the identity, so

    delta W = s * B M2 M1 A.

The function is the same family (rank at most r), but gradient descent on the deeper
factorisation follows different dynamics: a product of linear factors acts as an adaptive,
momentum-like preconditioner (Arora, Cohen and Hazan 2018), which is the point of the
over-parameterisation. Nothing is lost at inference: `fold` multiplies the factors into
B' = B M2 M1 and puts back a plain `nn.Linear`, so the result is an ordinary peft LoRA
adapter (same parameter count, same outputs) that merges and saves as usual.
"""

from __future__ import annotations

import torch
from torch import nn


class OverB(nn.Module):
    """lora_B replaced by B M2 M1 (applied to the r-dimensional output of lora_A)."""

    def __init__(self, b: nn.Linear) -> None:
        super().__init__()
        r = b.in_features
        self.m1 = nn.Linear(r, r, bias=False)
        self.m2 = nn.Linear(r, r, bias=False)
        with torch.no_grad():
            eye = torch.eye(r, dtype=b.weight.dtype, device=b.weight.device)
            self.m1.weight.copy_(eye)
            self.m2.weight.copy_(eye)
        self.b = b

    @property
    def weight(self) -> torch.Tensor:
        """The folded B' = B M2 M1 (so code that reads lora_B.weight sees the effective factor)."""
        return self.b.weight @ self.m2.weight @ self.m1.weight

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.b(self.m2(self.m1(x)))
        return out

    def folded(self) -> nn.Linear:
        linear = nn.Linear(self.b.in_features, self.b.out_features, bias=False)
        linear = linear.to(dtype=self.b.weight.dtype, device=self.b.weight.device)
        with torch.no_grad():
            linear.weight.copy_(self.weight)
        linear.weight.requires_grad_(self.b.weight.requires_grad)
        return linear


def _lora_layers(model: nn.Module) -> list[nn.Module]:
    return [m for m in model.modules() if isinstance(getattr(m, "lora_B", None), nn.ModuleDict)]


def over_parameterise(model: nn.Module) -> int:
    """Replace every lora_B of a peft LoRA model by B M2 M1; the extra trainable count."""
    extra = 0
    for layer in _lora_layers(model):
        blocks = layer.lora_B
        assert isinstance(blocks, nn.ModuleDict)
        for name in list(blocks.keys()):
            b = blocks[name]
            if isinstance(b, nn.Linear):
                over = OverB(b)
                blocks[name] = over
                extra += over.m1.weight.numel() + over.m2.weight.numel()
    return extra


def fold(model: nn.Module) -> int:
    """Fold every B M2 M1 back into one nn.Linear: a plain peft LoRA. Returns layers folded."""
    folded = 0
    for layer in _lora_layers(model):
        blocks = layer.lora_B
        assert isinstance(blocks, nn.ModuleDict)
        for name in list(blocks.keys()):
            b = blocks[name]
            if isinstance(b, OverB):
                blocks[name] = b.folded()
                folded += 1
    return folded

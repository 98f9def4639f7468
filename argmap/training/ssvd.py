"""SSVD, structured SVD-guided fine-tuning (ESPnet PEFT benchmark, 2025): rotate the input-side
(right) singular vectors of the top-k components and shift their singular values, keeping the
output-side (left) singular vectors fixed.

With W0 = U S V^T, SSVD computes (the paper's eq. 8-9)

    W = U (S + dS) G V^T,   dS = diag(ds_1..ds_k, 0..),   G = diag(G_k, I),

G_k orthogonal, from a k x k skew-symmetric K by the Cayley transform
G_k = (I - K)(I + K)^-1 (eq. 10): k (k - 1)/2 + k trainable parameters per layer. K = 0 and
dS = 0 at init, so SSVD starts as a no-op. Because G only mixes right singular vectors, the
left ones (the "outer", output-side semantics) stay W's, and W's singular values become
|s_i + ds_i| for the top k and stay s_i for the rest.

The paper trains by default with the first-order approximation G_k ~ I - 2K (its eq. 13);
argmap uses the exact transform by default, so the orthogonality holds to rounding error;
`options: {orthogonality: first_order}` gives the paper's default.
"""

from __future__ import annotations

import torch
from torch import nn

ORTHOGONALITY = ("cayley", "first_order")


class SSVDLinear(nn.Module):
    """A frozen linear layer whose top-k right singular vectors rotate and singular values shift."""

    ssvd_u: torch.Tensor
    ssvd_s: torch.Tensor
    ssvd_vh: torch.Tensor

    def __init__(self, base_layer: nn.Linear, k: int, orthogonality: str = "cayley") -> None:
        super().__init__()
        if orthogonality not in ORTHOGONALITY:
            raise ValueError(
                f"unknown SSVD orthogonality {orthogonality!r}; known: {', '.join(ORTHOGONALITY)}"
            )
        weight = base_layer.weight.detach().float()
        if not 1 <= k <= min(weight.shape):
            raise ValueError(f"SSVD's k={k} does not fit a {weight.shape[0]} x {weight.shape[1]} weight")
        self.base_layer = base_layer
        self.orthogonality = orthogonality
        u, s, vh = torch.linalg.svd(weight, full_matrices=False)
        self.register_buffer("ssvd_u", u[:, :k].contiguous(), persistent=False)
        self.register_buffer("ssvd_s", s[:k].contiguous(), persistent=False)
        self.register_buffer("ssvd_vh", vh[:k].contiguous(), persistent=False)
        self.ssvd_k = nn.Parameter(torch.zeros(k * (k - 1) // 2, device=weight.device))
        self.ssvd_ds = nn.Parameter(torch.zeros(k, device=weight.device))

    def get_base_layer(self) -> nn.Linear:
        return self.base_layer

    def rotation(self) -> torch.Tensor:
        """G_k from the skew-symmetric K."""
        k = self.ssvd_s.numel()
        rows, cols = torch.triu_indices(k, k, 1, device=self.ssvd_k.device)
        upper = torch.zeros(k, k, device=self.ssvd_k.device).index_put((rows, cols), self.ssvd_k)
        skew = upper - upper.T
        eye = torch.eye(k, device=skew.device)
        if self.orthogonality == "first_order":
            return eye - 2.0 * skew
        g: torch.Tensor = (eye - skew) @ torch.linalg.inv(eye + skew)
        return g

    def core(self) -> torch.Tensor:
        """(S_k + dS_k) G_k - S_k: the top-k block of U^T dW V."""
        core: torch.Tensor = torch.diag(self.ssvd_s + self.ssvd_ds) @ self.rotation() - torch.diag(
            self.ssvd_s
        )
        return core

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = (x.float() @ self.ssvd_vh.T) @ self.core().T  # core V_k^T x
        out: torch.Tensor = self.base_layer(x) + (z @ self.ssvd_u.T).to(x.dtype)
        return out

    def merged_weight(self) -> torch.Tensor:
        """W0 + U_k ((S_k + dS_k) G_k - S_k) V_k^T, the weight the layer applies."""
        delta = self.ssvd_u @ self.core() @ self.ssvd_vh
        merged: torch.Tensor = self.base_layer.weight.float() + delta
        return merged

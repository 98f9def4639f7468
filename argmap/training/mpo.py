"""Matrix product operators (MPO): a matrix as a chain of small local tensors.

A matrix W of shape (O, I) with O = o_1 ... o_n and I = i_1 ... i_n is reshaped into the
2n-way tensor W[o_1, ..., o_n, i_1, ..., i_n], its indices regrouped as
(o_1 i_1)(o_2 i_2)...(o_n i_n), and factorised by n - 1 sequential SVDs (left to right)
into local tensors

    T_k  of shape  (b_{k-1}, o_k, i_k, b_k),   b_0 = b_n = 1,

so that W = T_1 T_2 ... T_n contracted over the bonds b_1 .. b_{n-1}. This is the
decomposition of Gao et al.'s over-parameterisation work (the matrix-to-MPO step of their
public code, zfgao66/OPF, compress_tools/Matrix2MPO.py); this module is written from the
mathematics, not from that code.

- The exact (full) bond dimension at bond k is the smaller side of the unfolding there,
  min(prod_{l<=k} o_l i_l, prod_{l>k} o_l i_l): with bonds at least that large the chain
  represents W exactly.
- A bond dimension below it truncates: the SVD at that step keeps the largest singular
  values only. Every left tensor is an isometry, so the squared Frobenius error is exactly
  the sum of the squared singular values dropped at each step (returned as `discarded`).
- A bond dimension above it over-parameterises: the chain has more numbers than W yet is
  still exact. The extra columns of T_k are random (unit-norm on average) and the matching
  extra rows of T_{k+1} are zero, so the product is unchanged while gradient descent can
  use the new directions (the zero rows receive gradient through the random columns).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class ChainShape:
    """How an (O, I) matrix is split: out_dims multiply to O, in_dims to I, same length n."""

    out_dims: tuple[int, ...]
    in_dims: tuple[int, ...]

    @property
    def n(self) -> int:
        return len(self.out_dims)

    def full_bonds(self) -> list[int]:
        """The exact bond dimension at each of the n - 1 bonds."""
        sizes = [o * i for o, i in zip(self.out_dims, self.in_dims, strict=True)]
        bonds = []
        for k in range(1, self.n):
            left = _product(sizes[:k])
            right = _product(sizes[k:])
            bonds.append(min(left, right))
        return bonds

    def parameters(self, bonds: list[int]) -> int:
        """Numbers in a chain with these bond dimensions: sum_k b_{k-1} o_k i_k b_k."""
        edges = [1, *bonds, 1]
        return sum(
            edges[k] * o * i * edges[k + 1]
            for k, (o, i) in enumerate(zip(self.out_dims, self.in_dims, strict=True))
        )


def _product(values: list[int] | tuple[int, ...]) -> int:
    out = 1
    for value in values:
        out *= value
    return out


def split_dim(size: int, parts: int) -> tuple[int, ...]:
    """`size` as a product of `parts` factors, as balanced as its prime factors allow, the
    largest in the middle (the central tensor is the big one, as in the OPF papers); 1s
    fill in when `size` has fewer prime factors than parts."""
    primes: list[int] = []
    rest, p = size, 2
    while rest > 1 and p * p <= rest:
        while rest % p == 0:
            primes.append(p)
            rest //= p
        p += 1
    if rest > 1:
        primes.append(rest)
    factors = [1] * parts
    for prime in sorted(primes, reverse=True):
        smallest = min(range(parts), key=lambda k: factors[k])
        factors[smallest] *= prime
    ordered = sorted(factors)
    left, right = ordered[0::2], ordered[1::2]
    return tuple(left + right[::-1])


def chain_shape(out_features: int, in_features: int, tensors: int) -> ChainShape:
    return ChainShape(split_dim(out_features, tensors), split_dim(in_features, tensors))


def decompose(
    matrix: torch.Tensor,
    shape: ChainShape,
    bonds: list[int],
    generator: torch.Generator | None = None,
) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """(local tensors, singular values discarded at each bond). Computed in float64 and
    returned in the matrix's dtype. `bonds` has n - 1 entries (see the module docstring)."""
    if len(bonds) != shape.n - 1 or any(b < 1 for b in bonds):
        raise ValueError(f"need {shape.n - 1} positive bond dimensions, got {bonds}")
    out_size, in_size = _product(shape.out_dims), _product(shape.in_dims)
    if tuple(matrix.shape) != (out_size, in_size):
        raise ValueError(f"matrix {tuple(matrix.shape)} does not match the chain shape {out_size}x{in_size}")
    n = shape.n
    tensor = matrix.detach().double().cpu().reshape(*shape.out_dims, *shape.in_dims)
    order = [axis for k in range(n) for axis in (k, n + k)]  # (o_1 i_1)(o_2 i_2)...
    rest = tensor.permute(order).reshape(-1)
    cores: list[torch.Tensor] = []
    discarded: list[torch.Tensor] = []
    left = 1
    for k in range(n - 1):
        rows = left * shape.out_dims[k] * shape.in_dims[k]
        u, s, vh = torch.linalg.svd(rest.reshape(rows, -1), full_matrices=False)
        keep = min(bonds[k], len(s))
        discarded.append(s[keep:].clone())
        core = torch.zeros(rows, bonds[k], dtype=torch.float64)
        core[:, :keep] = u[:, :keep]
        if bonds[k] > keep:  # over-parameterised: random extra columns, zero rows below
            extra = torch.randn(rows, bonds[k] - keep, generator=generator, dtype=torch.float64)
            core[:, keep:] = extra / rows**0.5
        cores.append(core.reshape(left, shape.out_dims[k], shape.in_dims[k], bonds[k]))
        carried = torch.zeros(bonds[k], vh.shape[1], dtype=torch.float64)
        carried[:keep] = s[:keep, None] * vh[:keep]
        rest, left = carried, bonds[k]
    cores.append(rest.reshape(left, shape.out_dims[-1], shape.in_dims[-1], 1))
    return [c.to(matrix.dtype) for c in cores], discarded


def contract(cores: list[torch.Tensor], shape: ChainShape) -> torch.Tensor:
    """The (O, I) matrix the chain represents (differentiable in the local tensors)."""
    n = shape.n
    t = cores[0].reshape(cores[0].shape[1:])  # drop b_0 = 1: (o_1, i_1, b_1)
    for core in cores[1:]:
        t = torch.tensordot(t, core, dims=([-1], [0]))
    t = t.reshape(t.shape[:-1])  # drop b_n = 1: (o_1, i_1, ..., o_n, i_n)
    order = [2 * k for k in range(n)] + [2 * k + 1 for k in range(n)]
    return t.permute(order).reshape(_product(shape.out_dims), _product(shape.in_dims))


def bonds_for_factor(shape: ChainShape, factor: float) -> list[int]:
    """The smallest uniform bond dimension D (never below the exact bond dimensions, so
    the chain stays exact) whose chain has at least `factor` times the matrix's numbers."""
    full = shape.full_bonds()
    target = factor * _product(shape.out_dims) * _product(shape.in_dims)
    d = 1
    while True:
        bonds = [max(d, f) for f in full]
        if shape.parameters(bonds) >= target:
            return bonds
        d += 1


def uniform_bonds(shape: ChainShape, bond_dim: int) -> list[int]:
    """Bond dimension `bond_dim` at every bond, raised to the exact one where it is below."""
    return [max(bond_dim, f) for f in shape.full_bonds()]

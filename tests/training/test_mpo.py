"""The MPO decomposition of argmap.training.mpo, against hand-derived values: exact at the
full bond dimensions (and above them, over-parameterised), and at truncated bond
dimensions the Frobenius error is the root of the sum of the squared singular values
dropped, on matrices built with a known spectrum."""

from __future__ import annotations

import math

import pytest

from tests.training.conftest import require_train

require_train()

import torch  # noqa: E402

from argmap.training.mpo import (  # noqa: E402
    ChainShape,
    bonds_for_factor,
    chain_shape,
    contract,
    decompose,
    split_dim,
    uniform_bonds,
)


def relative(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.double() - b.double()).norm() / b.double().norm())


def orthonormal(rows: int, cols: int, seed: int) -> torch.Tensor:
    """A rows x cols matrix with orthonormal columns (float64)."""
    q, _ = torch.linalg.qr(
        torch.randn(rows, cols, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    )
    return q


@pytest.mark.parametrize(
    ("size", "parts", "expected"),
    [
        (128, 3, (4, 8, 4)),
        (4, 3, (1, 2, 2)),
        (7, 3, (1, 7, 1)),
        (64, 3, (4, 4, 4)),
        (12, 2, (3, 4)),
        (1, 3, (1, 1, 1)),
    ],
)
def test_split_dim(size: int, parts: int, expected: tuple[int, ...]) -> None:
    assert split_dim(size, parts) == expected


def test_full_bonds_and_parameter_count_by_hand() -> None:
    shape = ChainShape((1, 2, 2), (4, 8, 4))  # a 4 x 128 LoRA A factor in 3 local tensors
    # local sizes o_k i_k = 4, 16, 8: bond 1 = min(4, 128), bond 2 = min(64, 8)
    assert shape.full_bonds() == [4, 8]
    assert shape.parameters([4, 8]) == 1 * 4 * 4 + 4 * 16 * 8 + 8 * 8 * 1  # 592
    # factor 4 of 512 numbers: 4D + 16D^2 + 8D >= 2048 first at D = 11 (2068; D = 10 gives 1720)
    assert bonds_for_factor(shape, 4.0) == [11, 11]
    assert shape.parameters([11, 11]) == 2068


@pytest.mark.parametrize(
    ("rows", "cols", "tensors"),
    [(4, 128, 3), (128, 4, 3), (64, 64, 2), (6, 30, 3), (7, 13, 3), (16, 48, 4), (1, 24, 3)],
)
def test_full_bond_dimension_reconstructs(rows: int, cols: int, tensors: int) -> None:
    matrix = torch.randn(rows, cols, generator=torch.Generator().manual_seed(rows * cols))
    shape = chain_shape(rows, cols, tensors)
    cores, discarded = decompose(matrix, shape, shape.full_bonds())
    assert relative(contract(cores, shape), matrix) < 1e-6
    assert all(d.numel() == 0 for d in discarded)
    assert [c.shape[-1] for c in cores[:-1]] == shape.full_bonds()


@pytest.mark.parametrize("bond_dim", [9, 16])
def test_bonds_above_the_exact_ones_are_exact_and_larger(bond_dim: int) -> None:
    matrix = torch.randn(4, 128, generator=torch.Generator().manual_seed(1))
    shape = chain_shape(4, 128, 3)
    bonds = uniform_bonds(shape, bond_dim)
    cores, _ = decompose(matrix, shape, bonds, torch.Generator().manual_seed(2))
    assert sum(c.numel() for c in cores) == shape.parameters(bonds) > matrix.numel()
    assert relative(contract(cores, shape), matrix) < 1e-6
    # the extra bond directions are really there (random columns), not zero padding
    assert float(cores[0][..., 4:].norm()) > 0.1


def test_zero_matrix_is_exact_and_its_chain_is_not_all_zero() -> None:
    """LoRA's B starts at zero: its chain must contract to zero but keep non-zero tensors
    (isometries) so that gradients reach them once the last tensor moves."""
    shape = chain_shape(128, 4, 3)
    cores, _ = decompose(
        torch.zeros(128, 4), shape, bonds_for_factor(shape, 4.0), torch.Generator().manual_seed(0)
    )
    assert float(contract(cores, shape).abs().max()) == 0.0
    assert all(float(c.norm()) > 0 for c in cores[:-1])


def test_truncation_error_two_tensors_is_the_singular_value_tail() -> None:
    """With two local tensors the MPO is the truncated SVD of the (o1 i1) x (o2 i2)
    unfolding: keeping 3 of the singular values 5, 4, 3, 2, 1, 0.5 leaves an error of
    sqrt(2^2 + 1^2 + 0.5^2) = sqrt(5.25) (Eckart-Young)."""
    shape = ChainShape((2, 2), (3, 3))  # W is 4 x 9; the unfolding is 6 x 6
    spectrum = torch.tensor([5.0, 4.0, 3.0, 2.0, 1.0, 0.5], dtype=torch.float64)
    unfolding = orthonormal(6, 6, 1) @ torch.diag(spectrum) @ orthonormal(6, 6, 2).T
    # unfolding[(o1, i1), (o2, i2)] -> W[(o1, o2), (i1, i2)]
    matrix = unfolding.reshape(2, 3, 2, 3).permute(0, 2, 1, 3).reshape(4, 9)
    cores, discarded = decompose(matrix, shape, [3])
    error = float((contract(cores, shape) - matrix).norm())
    assert error == pytest.approx(math.sqrt(5.25), rel=1e-9)
    assert discarded[0].tolist() == pytest.approx([2.0, 1.0, 0.5], rel=1e-9)
    # the relative error is that over the whole norm sqrt(25 + 16 + 9 + 4 + 1 + 0.25)
    assert relative(contract(cores, shape), matrix) == pytest.approx(math.sqrt(5.25 / 55.25), rel=1e-9)


def test_truncation_error_at_the_last_bond_of_three() -> None:
    """A chain built as isometry x isometry x diag(s) V^T has the singular values s at its
    last bond; truncating that bond to 2 (the first kept exact) leaves sqrt(1 + 0.25 +
    0.0625 + 0.01) for s = 3, 2, 1, 0.5, 0.25, 0.1."""
    shape = ChainShape((1, 2, 2), (2, 2, 3))  # local sizes 2, 4, 6; exact bonds [2, 6]
    s = torch.tensor([3.0, 2.0, 1.0, 0.5, 0.25, 0.1], dtype=torch.float64)
    t1 = orthonormal(2, 2, 3)  # (o1 i1) x b1
    t2 = orthonormal(8, 6, 4)  # (b1 o2 i2) x b2
    t3 = torch.diag(s) @ orthonormal(6, 6, 5).T  # b2 x (o3 i3)
    unfolded = (t1 @ t2.reshape(2, 4 * 6)).reshape(8, 6) @ t3  # (o1 i1 o2 i2) x (o3 i3)
    matrix = unfolded.reshape(1, 2, 2, 2, 2, 3).permute(0, 2, 4, 1, 3, 5).reshape(4, 12)
    cores, discarded = decompose(matrix, shape, [2, 2])
    error = float((contract(cores, shape) - matrix).norm())
    assert error == pytest.approx(math.sqrt(1 + 0.25 + 0.0625 + 0.01), rel=1e-9)
    assert discarded[0].numel() == 0
    assert discarded[1].tolist() == pytest.approx([1.0, 0.5, 0.25, 0.1], rel=1e-9)


def test_truncation_error_is_the_sum_of_what_each_step_drops() -> None:
    """Every left tensor is an isometry, so |W - W~|^2 is the sum over the bonds of the
    squared singular values dropped there (a random matrix, several truncated bonds)."""
    matrix = torch.randn(16, 48, generator=torch.Generator().manual_seed(7), dtype=torch.float64)
    shape = chain_shape(16, 48, 4)
    bonds = [max(1, b // 2) for b in shape.full_bonds()]
    cores, discarded = decompose(matrix, shape, bonds)
    error = float((contract(cores, shape) - matrix).norm())
    dropped = math.sqrt(sum(float((d**2).sum()) for d in discarded))
    assert dropped > 0.1 * float(matrix.norm())  # a real truncation
    assert error == pytest.approx(dropped, rel=1e-9)


def test_bad_bonds_and_shapes_are_refused() -> None:
    shape = chain_shape(4, 128, 3)
    with pytest.raises(ValueError, match="bond"):
        decompose(torch.zeros(4, 128), shape, [4])
    with pytest.raises(ValueError, match="does not match"):
        decompose(torch.zeros(4, 64), shape, shape.full_bonds())

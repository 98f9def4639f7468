"""The mathematics of the ten methods of the real map that peft 0.21 implements (AdaLoRA,
RandLoRA, RoAd, DeLoRA, PSOFT, C3A, SHiRA, VB-LoRA, MiSS, HiRA), checked against each paper's
definition, not against our own earlier output: every parameter count is derived by hand
from the paper's formula and the tiny model's shapes, and each test checks the property the
method is built for (a bound, an orthogonality, a structure, a rank) after real training."""

# ruff: noqa: F811  (the shared `base` fixture is imported, then requested by name)
from __future__ import annotations

import math
from typing import Any

import pytest

from tests.training.conftest import require_train

require_train()

import torch  # noqa: E402
from torch import nn  # noqa: E402

from argmap.training.methods import apply, base_weight  # noqa: E402
from argmap.training.spec import MethodSpec  # noqa: E402
from tests.training.test_methods import base, effective_weight, layer, train_a_little  # noqa: E402, F401

# The tiny model's adapted layers, per decoder layer: q, k, v, o (64 -> 64), gate and up
# (64 -> 128), down (128 -> 64); two decoder layers.
SHAPES = [(64, 64)] * 4 + [(64, 128)] * 2 + [(128, 64)]
LAYERS = 2


def per_layer(formula: Any) -> int:
    """sum over the 14 adapted matrices of formula(in, out)."""
    return LAYERS * sum(formula(n_in, n_out) for n_in, n_out in SHAPES)


def weight_of(model: nn.Module, name: str = "layers.0.self_attn.q_proj") -> torch.Tensor:
    return base_weight(layer(model, name)).detach().clone()


def rank(matrix: torch.Tensor) -> int:
    return int(torch.linalg.matrix_rank(matrix.double(), rtol=1e-7))


def test_adalora_counts_its_triplets_and_prunes_to_the_target_budget(base: Any) -> None:
    steps, target = 12, 4
    prepared = apply(base, MethodSpec(type="adalora", r=target), steps=steps)
    init_r = 6  # the paper's initial budget b(0) = 1.5 b(T)
    # P (init_r x in), Q (out x init_r) and the singular values E (init_r) per matrix
    assert prepared.trainable == per_layer(lambda i, o: init_r * (i + o) + init_r)
    model = prepared.model
    assert prepared.after_step is not None
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01)
    for step in range(steps):
        x = torch.randint(0, 40, (4, 12), generator=torch.Generator().manual_seed(step))
        optimizer.zero_grad()
        model(input_ids=x, labels=x).loss.backward()
        optimizer.step()
        prepared.after_step(step)
    kept = [int((p != 0).sum()) for n, p in model.named_parameters() if "lora_E" in n]
    assert len(kept) == 14
    # the final budget: target rank x number of adapted matrices, however it is spread
    assert sum(kept) == target * 14
    assert all(0 <= k <= init_r for k in kept)


def test_randlora_count_and_its_update_is_full_rank(base: Any) -> None:
    r = 16
    prepared = apply(base, MethodSpec(type="randlora", r=r))

    def count(n_in: int, n_out: int) -> int:  # n = ceil(min/r) bases; Lambda (r x n), Gamma (n x min)
        n = math.ceil(min(n_in, n_out) / r)
        return n * r + n * min(n_in, n_out)

    assert prepared.trainable == per_layer(count)
    train_a_little(prepared.model, steps=4, lr=0.01)
    delta = layer(prepared.model).get_delta_weight("default").detach()
    assert rank(delta) == 64  # full rank from rank-16 random bases (LoRA r=16 would give 16)


def _road_rotation(theta: torch.Tensor, alpha: torch.Tensor, out: int, group: int) -> torch.Tensor:
    """RoAd_1 by the paper: in each group, feature k pairs with k + group/2 and the pair is
    rotated by its own angle and scaled: y0 = a (x0 cos t - x1 sin t), y1 = a (x0 sin t + x1 cos t)."""
    rotation = torch.zeros(out, out, dtype=torch.float64)
    half = group // 2
    for g in range(out // group):
        for k in range(half):
            i, j, t = g * group + k, g * group + half + k, g * half + k
            c, s = float(alpha[t] * torch.cos(theta[t])), float(alpha[t] * torch.sin(theta[t]))
            rotation[i, i], rotation[i, j], rotation[j, i], rotation[j, j] = c, -s, s, c
    return rotation


def test_road_rotates_pairs_of_outputs_and_counts_two_per_pair(base: Any) -> None:
    for variant, per_output in ((1, 1), (2, 2), (4, 4)):  # theta and alpha: out/2, out, 2 out each
        prepared = apply(base, MethodSpec(type="road", r=variant))
        assert prepared.trainable == per_layer(lambda i, o, k=per_output: k * o)
    w = weight_of(base)
    model = apply(base, MethodSpec(type="road", r=1)).model
    train_a_little(model, steps=4, lr=0.02)
    q = layer(model)
    theta, alpha = q.road_theta["default"].detach(), q.road_alpha["default"].detach()
    assert float((theta - 0).abs().max()) > 1e-3 and float((alpha - 1).abs().max()) > 1e-3
    expected = _road_rotation(theta, alpha, 64, q.group_size["default"]) @ w.double()
    torch.testing.assert_close(effective_weight(q, 64).double(), expected, atol=1e-5, rtol=1e-5)


def test_delora_update_norm_is_bounded_by_lambda(base: Any) -> None:
    prepared = apply(base, MethodSpec(type="delora", r=4))
    assert prepared.trainable == per_layer(lambda i, o: 4 * (i + o) + 1)  # A, B and one lambda
    for r in (1, 4):
        model = apply(base, MethodSpec(type="delora", r=r)).model
        train_a_little(model, steps=4, lr=0.05)
        q = layer(model)
        w = weight_of(model)
        delta = effective_weight(q, 64) - w
        lam = abs(float(q.delora_lambda["default"].detach()))
        # Delta W = (lambda / r) sum_i b_i a_i^T / (|b_i| |a_i|) diag(||W col||): r unit-norm terms
        normalised = delta / w.norm(dim=0, keepdim=True)
        norm = float(torch.linalg.matrix_norm(normalised))
        if r == 1:
            assert norm == pytest.approx(lam, rel=1e-4)  # one normalised term: exactly lambda
        else:
            assert 1e-3 < norm <= lam * (1 + 1e-5)


def test_psoft_rotates_inside_the_top_singular_subspace(base: Any) -> None:
    r = 8
    prepared = apply(base, MethodSpec(type="psoft", r=r))
    assert prepared.trainable == per_layer(lambda i, o: r * (r - 1) // 2 + 2 * r)  # skew R, two scales
    spec = MethodSpec(type="psoft", r=r, options={"psoft_mag_a": False, "psoft_mag_b": False})
    model = apply(base, spec).model
    train_a_little(model, steps=4, lr=0.02)
    q = layer(model)
    w = weight_of(model)
    u, s, _ = torch.linalg.svd(w.double())
    delta = (effective_weight(q, 64) - w).double()
    assert float(delta.abs().max()) > 1e-4
    outside = delta - u[:, :r] @ (u[:, :r].T @ delta)
    assert float(outside.abs().max()) < 1e-5  # every change lies in span(U_r)
    # W_res + U_r S_r R V_r^T with R orthogonal: the singular values are W's
    torch.testing.assert_close(
        torch.linalg.svdvals(effective_weight(q, 64).double()), s, atol=1e-5, rtol=1e-5
    )


def test_c3a_update_is_block_circulant(base: Any) -> None:
    b = 16
    prepared = apply(base, MethodSpec(type="c3a", r=b))
    assert prepared.trainable == per_layer(lambda i, o: i * o // b)  # (out/b)(in/b) kernels of b
    train_a_little(prepared.model, steps=4, lr=0.02)
    q = layer(prepared.model, "layers.0.mlp.up_proj")
    delta = (effective_weight(q, 64) - weight_of(prepared.model, "layers.0.mlp.up_proj")).double()
    assert float(delta.abs().max()) > 1e-4
    for bi in range(128 // b):
        for bj in range(64 // b):
            block = delta[bi * b : (bi + 1) * b, bj * b : (bj + 1) * b]
            # circulant: C[i + 1, j + 1] = C[i, j] (indices mod b), each row the previous one shifted
            torch.testing.assert_close(
                torch.roll(block, shifts=(1, 1), dims=(0, 1)), block, atol=1e-6, rtol=0
            )


def _trained_with_r_times_in_plus_out(base: Any, method: str, r: int) -> tuple[Any, Any]:
    """The model adapted by `method` (whose count is r (in + out) per matrix, checked) after a
    few steps, and its layer 0 q_proj."""
    prepared = apply(base, MethodSpec(type=method, r=r))
    assert prepared.trainable == per_layer(lambda i, o: r * (i + o))
    train_a_little(prepared.model, steps=4, lr=0.02)
    return prepared, layer(prepared.model)


def test_shira_update_is_sparse_on_its_mask_and_high_rank(base: Any) -> None:
    r = 4
    prepared, q = _trained_with_r_times_in_plus_out(base, "shira", r)
    delta = (effective_weight(q, 64) - weight_of(prepared.model)).double()
    changed = int((delta.abs() > 0).sum())
    assert 0 < changed <= r * (64 + 64)  # only the masked entries move
    assert rank(delta) > r  # sparse, not low-rank: more than LoRA's r with the same count


def test_vblora_is_composed_from_its_bank_and_bounded_at_init(base: Any) -> None:
    r, length, vectors = 4, 64, 128  # vector length: the largest divisor of every dimension <= 256
    prepared = apply(base, MethodSpec(type="vblora", r=vectors))  # the knob: the bank's size
    bank = vectors * length  # shared by every layer, counted once
    assert prepared.trainable == bank + per_layer(lambda i, o: r * (i // length + o // length) * vectors)
    q = layer(prepared.model)
    delta = (effective_weight(q, 64) - weight_of(prepared.model)).double()
    bound = 0.02  # the bank's uniform init bound: every sub-vector is a convex mix of bank vectors
    assert 0 < float(delta.abs().max()) <= r * bound**2


def test_miss_repeats_one_shard_across_the_input(base: Any) -> None:
    r = 8
    prepared = apply(base, MethodSpec(type="miss", r=r))
    assert prepared.trainable == per_layer(lambda i, o: r * o)  # one r x out shard per matrix
    train_a_little(prepared.model, steps=4, lr=0.02)
    q = layer(prepared.model, "layers.0.mlp.down_proj")  # 128 inputs: 16 copies of the shard
    delta = (effective_weight(q, 128) - weight_of(prepared.model, "layers.0.mlp.down_proj")).double()
    shard = delta[:, :r]
    assert float(shard.abs().max()) > 1e-4
    torch.testing.assert_close(delta, shard.repeat(1, 128 // r), atol=1e-6, rtol=0)


def test_hira_update_is_hadamard_with_w_and_high_rank(base: Any) -> None:
    r = 2
    prepared, q = _trained_with_r_times_in_plus_out(base, "hira", r)
    w = weight_of(prepared.model).double()
    delta = effective_weight(q, 64).double() - w
    ab = (q.hira_B["default"] @ q.hira_A["default"]).detach().double()
    torch.testing.assert_close(delta, w * ab, atol=1e-5, rtol=1e-5)  # Delta W = W (.) (B A)
    assert rank(ab) <= r < rank(delta)  # a rank-2 factor gives a high-rank update

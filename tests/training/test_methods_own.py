"""The mathematics of the methods argmap implements itself, against the papers' definitions:
ETHER's reflection is orthogonal, an involution, at Frobenius distance exactly 2 from the
identity per block and keeps hyperspherical energy; ETHER+ is the identity at init and its
distance is sqrt(2 - 2 cos^2(u, v)) <= 2; SVFT is a no-op at init, its update lies in the span
of the base weight's singular vectors with U^T dW V = M, plain SVFT changes only the singular
values; parameter counts follow the papers' formulas (SVFT's Table 7); removing any of them
gives back the base model bit for bit."""

# ruff: noqa: F811  (the shared `base` fixture is imported, then requested by name)
from __future__ import annotations

import math
from typing import Any

import pytest

from tests.training.conftest import require_train

require_train()

import torch  # noqa: E402

from argmap.training.methods import apply, unload  # noqa: E402
from argmap.training.spec import MethodSpec  # noqa: E402
from tests.training.test_methods import (  # noqa: E402, F401
    base,
    effective_weight,
    hyperspherical_energy,
    ids,
    layer,
    train_a_little,
)
from tests.training.test_methods_peft import LAYERS, SHAPES, per_layer, weight_of  # noqa: E402

I64 = torch.eye(64, dtype=torch.float64)


def test_ether_reflection_is_orthogonal_at_distance_two_and_keeps_energy(base: Any) -> None:
    prepared = apply(base, MethodSpec(type="ether", r=1))
    assert prepared.trainable == per_layer(lambda i, o: i)  # one normal vector per input block
    x = ids()
    with torch.no_grad():
        assert not torch.allclose(prepared.model(input_ids=x).logits, base(input_ids=x).logits, atol=1e-3)
    train_a_little(prepared.model, steps=4, lr=0.05)
    q = layer(prepared.model)
    h = q.ether_in.matrix().detach().double()
    torch.testing.assert_close(h @ h.T, I64, atol=1e-6, rtol=0)  # orthogonal
    torch.testing.assert_close(h @ h, I64, atol=1e-6, rtol=0)  # a reflection is its own inverse
    assert float(torch.linalg.matrix_norm(h - I64)) == pytest.approx(2.0, abs=1e-6)  # ||H - I||_F = 2
    assert float(torch.linalg.det(h)) == pytest.approx(-1.0, abs=1e-6)  # not a rotation (OFT misses it)
    w = weight_of(prepared.model)
    w_eff = effective_weight(q, 64)
    torch.testing.assert_close(w_eff.double(), w.double() @ h, atol=1e-5, rtol=1e-5)  # y = W H x
    he_before, he_after = hyperspherical_energy(w), hyperspherical_energy(w_eff)
    assert abs(he_after - he_before) / he_before < 1e-5


def test_block_diagonal_ether_keeps_its_count_and_spectral_distance(base: Any) -> None:
    one = apply(base, MethodSpec(type="ether", r=1)).trainable
    for n in (4, 16):
        prepared = apply(base, MethodSpec(type="ether", r=n))
        assert prepared.trainable == one  # blocks cut compute, not parameters
        h = layer(prepared.model).ether_in.matrix().detach().double()
        blocks = torch.block_diag(*[h[k : k + 64 // n, k : k + 64 // n] for k in range(0, 64, 64 // n)])
        torch.testing.assert_close(h, blocks, atol=0, rtol=0)  # block-diagonal
        assert float(torch.linalg.matrix_norm(h - I64)) == pytest.approx(2 * math.sqrt(n), abs=1e-6)
        assert float(torch.linalg.matrix_norm(h - I64, ord=2)) == pytest.approx(2.0, abs=1e-6)


def test_ether_plus_starts_as_identity_and_stays_within_distance_two(base: Any) -> None:
    prepared = apply(base, MethodSpec(type="ether_plus", r=1))
    assert prepared.trainable == per_layer(lambda i, o: 2 * i + 2 * o)  # u, v on each side
    q = layer(prepared.model)
    torch.testing.assert_close(q.ether_in.matrix().double(), I64, atol=1e-6, rtol=0)
    train_a_little(prepared.model, steps=4, lr=0.05)
    for side in (q.ether_in, q.ether_out):
        h = side.matrix().detach().double()
        u = (side.u / side.u.norm()).detach().double().flatten()
        v = (side.v / side.v.norm()).detach().double().flatten()
        expected = math.sqrt(2 - 2 * float(u @ v) ** 2)  # ||v v^T - u u^T||_F for unit u, v
        distance = float(torch.linalg.matrix_norm(h - I64))
        assert distance == pytest.approx(expected, abs=1e-6)
        assert 1e-4 < distance <= 2.0
        torch.testing.assert_close(h, h.T, atol=1e-7, rtol=0)
    w = weight_of(prepared.model).double()
    expected_weight = q.ether_out.matrix().detach().double() @ w @ q.ether_in.matrix().detach().double()
    torch.testing.assert_close(effective_weight(q, 64).double(), expected_weight, atol=1e-5, rtol=1e-5)


def svft_count(diagonals: int) -> int:
    """The paper's Table 7: D k + (D - k)(k + 1) per matrix, D = min(in, out), k = d."""
    k = (diagonals - 1) // 2
    return per_layer(lambda i, o: min(i, o) * k + (min(i, o) - k) * (k + 1))


@pytest.mark.parametrize("name, n_in", [("layers.0.mlp.gate_proj", 64), ("layers.0.mlp.down_proj", 128)])
def test_svft_update_lies_in_the_singular_vector_basis(base: Any, name: str, n_in: int) -> None:
    prepared = apply(base, MethodSpec(type="svft", r=5))
    assert prepared.trainable == svft_count(5) == LAYERS * sum(64 * 5 - 6 for _ in SHAPES)
    x = ids()
    with torch.no_grad():
        torch.testing.assert_close(prepared.model(input_ids=x).logits, base(input_ids=x).logits)
    train_a_little(prepared.model, steps=4, lr=0.02)
    q = layer(prepared.model, name)
    w = weight_of(prepared.model, name).double()
    u, vh = q.svft_u.double(), q.svft_vh.double()  # thin: U out x 64, V in x 64
    # they are W's singular vectors: orthonormal, and U^T W V is diagonal with W's singular values
    torch.testing.assert_close(u.T @ u, I64, atol=1e-5, rtol=0)
    torch.testing.assert_close(vh @ vh.T, I64, atol=1e-5, rtol=0)
    torch.testing.assert_close(u.T @ w @ vh.T, torch.diag(torch.linalg.svdvals(w)), atol=1e-5, rtol=0)
    delta = effective_weight(q, n_in).double() - w
    m = q.m_matrix().detach().double()
    assert float(m.abs().max()) > 1e-4
    band = (torch.arange(64)[:, None] - torch.arange(64)[None, :]).abs() <= 2
    assert bool((m[~band] == 0).all())  # only the band moved
    torch.testing.assert_close(delta, u @ m @ vh, atol=1e-5, rtol=1e-5)  # dW = U M V^T
    # nothing outside span(U) on the output side or span(V) on the input side (the tall/wide ones)
    assert float((delta - u @ (u.T @ delta)).abs().max()) < 1e-5
    assert float((delta - (delta @ vh.T) @ vh).abs().max()) < 1e-5


def test_plain_svft_changes_only_the_singular_values(base: Any) -> None:
    prepared = apply(base, MethodSpec(type="svft", r=1))
    assert prepared.trainable == svft_count(1) == LAYERS * sum(min(i, o) for i, o in SHAPES)
    train_a_little(prepared.model, steps=4, lr=0.02)
    q = layer(prepared.model)
    w = weight_of(prepared.model).double()
    u, vh = q.svft_u.double(), q.svft_vh.double()
    s = torch.linalg.svdvals(w)
    torch.testing.assert_close(u @ torch.diag(s) @ vh, w, atol=1e-5, rtol=0)  # W's own SVD
    m = q.m_matrix().detach().double()
    torch.testing.assert_close(m, torch.diag(torch.diagonal(m)), atol=0, rtol=0)
    w_eff = effective_weight(q, 64).double()
    torch.testing.assert_close(w_eff, u @ torch.diag(s + torch.diagonal(m)) @ vh, atol=1e-5, rtol=1e-5)
    # SVD of W + U M V^T for diagonal M: the singular values |s_i + m_i|
    expected = (s + torch.diagonal(m)).abs().sort(descending=True).values
    torch.testing.assert_close(torch.linalg.svdvals(w_eff), expected, atol=1e-5, rtol=1e-5)


def test_svft_random_pattern_has_the_banded_count_and_knob_is_checked(base: Any) -> None:
    torch.manual_seed(1)
    prepared = apply(base, MethodSpec(type="svft", r=9, options={"pattern": "random"}))
    assert prepared.trainable == svft_count(9)
    with pytest.raises(ValueError, match="odd"):
        apply(base, MethodSpec(type="svft", r=4))


@pytest.mark.parametrize("method", ["ether", "ether_plus", "svft", "ssvd", "lora", "hira"])
def test_unloading_gives_back_the_base_model(base: Any, method: str) -> None:
    """A base model reused across trials: train an adapter in place, remove it, same outputs."""
    import copy

    model = copy.deepcopy(base)
    x = ids()
    with torch.no_grad():
        before = model(input_ids=x).logits.clone()
    prepared = apply(model, MethodSpec(type=method, r=1 if method != "svft" else 3), copy_base=False)
    train_a_little(prepared.model, steps=3, lr=0.05)
    with torch.no_grad():
        assert not torch.allclose(prepared.model(input_ids=x).logits, before, atol=1e-4)
    restored = unload(prepared.model)
    with torch.no_grad():
        torch.testing.assert_close(restored(input_ids=x).logits, before, atol=0, rtol=0)


@pytest.mark.parametrize("method", ["ether", "ether_plus", "svft", "ssvd", "hira"])
def test_merging_folds_the_adapter_into_plain_weights(base: Any, method: str) -> None:
    """What measuring the learned update reads: the merged model, same outputs, no wrapper."""
    from argmap.training.ether import EtherLinear
    from argmap.training.methods import merge_and_unload
    from argmap.training.ssvd import SSVDLinear
    from argmap.training.svft import SVFTLinear

    prepared = apply(base, MethodSpec(type=method, r=1 if method != "svft" else 3))
    train_a_little(prepared.model, steps=3, lr=0.05)
    x = ids()
    with torch.no_grad():
        adapted = prepared.model(input_ids=x).logits
        merged = merge_and_unload(prepared.model)
        assert not any(isinstance(m, (EtherLinear, SVFTLinear, SSVDLinear)) for m in merged.modules())
        torch.testing.assert_close(merged(input_ids=x).logits, adapted, atol=1e-4, rtol=1e-4)


def test_ssvd_rotates_right_singular_vectors_and_keeps_the_left_ones(base: Any) -> None:
    k = 8
    prepared = apply(base, MethodSpec(type="ssvd", r=k))
    assert prepared.trainable == per_layer(lambda i, o: k * (k - 1) // 2 + k)  # skew K and dS
    x = ids()
    with torch.no_grad():
        torch.testing.assert_close(prepared.model(input_ids=x).logits, base(input_ids=x).logits)
    train_a_little(prepared.model, steps=4, lr=0.02)
    q = layer(prepared.model, "layers.0.mlp.up_proj")  # 64 -> 128
    w = weight_of(prepared.model, "layers.0.mlp.up_proj").double()
    g = q.rotation().detach().double()
    torch.testing.assert_close(g @ g.T, torch.eye(k, dtype=torch.float64), atol=1e-6, rtol=0)
    assert float((g - torch.eye(k, dtype=torch.float64)).abs().max()) > 1e-4  # it rotated
    w_new = effective_weight(q, 64).double()
    u, s, _ = torch.linalg.svd(w, full_matrices=False)
    shifted = s.clone()
    shifted[:k] += q.ssvd_ds.detach().double()
    # W' = U (S + dS) G V^T: its left singular vectors are still W's, with values |s + ds|
    gram = u.T @ w_new @ w_new.T @ u
    torch.testing.assert_close(gram, torch.diag(shifted**2), atol=1e-4, rtol=1e-5)
    # and nothing changed outside the top-k right singular subspace
    _, _, vh = torch.linalg.svd(w, full_matrices=False)
    rest = vh[k:].T
    torch.testing.assert_close(w_new @ rest, w @ rest, atol=1e-5, rtol=1e-5)


def test_update_properties_see_the_own_methods_updates(base: Any) -> None:
    """The measured update of an own method is W_merged - W, not zero: ETHER's is a
    reflection (energy kept), SVFT's a change in the singular basis."""
    from argmap.training.evaluation import merged_weights, update_properties

    before = merged_weights(base)
    for method, r in (("ether", 1), ("svft", 3)):
        prepared = apply(base, MethodSpec(type=method, r=r))
        train_a_little(prepared.model, steps=2, lr=0.05)
        properties = update_properties(before, merged_weights(prepared.model))
        assert properties["changed_weights"] == 14
        if method == "ether":
            assert properties["energy_change"] < 1e-5

"""The mathematics of the methods, checked against definitions (not against our own output):
PiSSA reconstructs W, DoRA's magnitude is W's row norms (the norms of the columns of W^T,
the DoRA paper's ||W||_c), OFT and HRA transforms are orthogonal and keep hyperspherical
energy after training, every method is a no-op at initialisation. LoRA-Over has its own
tests (test_mpo.py, test_overlora.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.training.conftest import require_train

require_train()

import torch  # noqa: E402
from torch import nn  # noqa: E402

from argmap.training.methods import NOT_NO_OP, apply  # noqa: E402
from argmap.training.models import build_tiny  # noqa: E402
from argmap.training.spec import METHOD_TYPES, MethodSpec, ModelSpec  # noqa: E402

VOCAB = 40


@pytest.fixture(scope="module")
def base() -> Any:
    torch.manual_seed(0)
    model = build_tiny(ModelSpec(hidden_size=64, intermediate_size=128, heads=4), VOCAB)
    return model.eval()


def ids() -> torch.Tensor:
    return torch.randint(0, VOCAB, (4, 12), generator=torch.Generator().manual_seed(3))


def layer(model: nn.Module, name: str = "layers.0.self_attn.q_proj") -> Any:
    return dict(model.named_modules())[next(n for n, _ in model.named_modules() if n.endswith(name))]


def effective_weight(module: nn.Module, n_in: int) -> torch.Tensor:
    """W_eff of a linear map without bias, read off its action on the identity."""
    with torch.no_grad():
        out: torch.Tensor = module(torch.eye(n_in))
    return out.T


def hyperspherical_energy(weight: torch.Tensor) -> float:
    """sum over pairs of neurons (rows) of 1 / ||w_i/|w_i| - w_j/|w_j|||."""
    unit = (weight / weight.norm(dim=1, keepdim=True)).double()
    dist = torch.cdist(unit, unit)
    mask = ~torch.eye(len(unit), dtype=torch.bool)
    return float((1.0 / dist[mask]).sum())


def train_a_little(model: nn.Module, steps: int = 20, lr: float = 0.05) -> None:
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=lr)
    for step in range(steps):
        x = torch.randint(0, VOCAB, (4, 12), generator=torch.Generator().manual_seed(step))
        loss = model(input_ids=x, labels=x).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@pytest.mark.parametrize("method", [m for m in METHOD_TYPES if m not in NOT_NO_OP])
def test_every_method_is_a_no_op_at_init(base: Any, method: str) -> None:
    x = ids()
    with torch.no_grad():
        expected = base(input_ids=x).logits
        prepared = apply(
            base, MethodSpec(type=method, r=4 if method not in ("vera", "fourierft", "svft") else None)
        )
        got = prepared.model(input_ids=x).logits
    assert prepared.trainable > 0
    torch.testing.assert_close(got, expected, atol=1e-4, rtol=1e-4)


def test_only_ether_and_vblora_change_the_model_at_init() -> None:
    """As published: a reflection is never the identity; VB-LoRA's B A mixes a random bank.
    Their own tests check what they promise instead (a fixed distance, a bound)."""
    assert set(NOT_NO_OP) == {"ether", "vblora"}


def test_pissa_residual_plus_adapter_reconstructs_w(base: Any) -> None:
    w = layer(base).weight.detach().clone()
    model = apply(base, MethodSpec(type="pissa", r=8)).model
    q = layer(model)
    scaling = q.scaling["default"]
    residual = q.get_base_layer().weight.detach()
    adapter = scaling * q.lora_B["default"].weight @ q.lora_A["default"].weight
    torch.testing.assert_close(residual + adapter.detach(), w, atol=1e-5, rtol=1e-5)
    # the adapter holds the top-8 singular directions: its singular values are W's largest
    s = torch.linalg.svdvals(w)
    torch.testing.assert_close(torch.linalg.svdvals(adapter.detach())[:8], s[:8], atol=1e-4, rtol=1e-4)


def test_dora_magnitude_is_the_weight_norm(base: Any) -> None:
    w = layer(base).weight.detach().clone()  # (out, in): one norm per output neuron
    model = apply(base, MethodSpec(type="dora", r=4)).model
    magnitude = layer(model).lora_magnitude_vector["default"].weight.detach()
    torch.testing.assert_close(magnitude, torch.linalg.norm(w, dim=1), atol=1e-6, rtol=1e-6)


def test_oft_is_orthogonal_and_keeps_hyperspherical_energy_after_training(base: Any) -> None:
    w = layer(base).weight.detach().clone()
    model = apply(base, MethodSpec(type="oft", r=16)).model
    train_a_little(model)
    q = layer(model)
    rotation_params = q.oft_R["default"].weight
    assert float(rotation_params.detach().abs().max()) > 1e-3, "training moved the rotation"
    rotation = q.oft_R["default"](torch.eye(w.shape[1])).detach()  # I R = R
    torch.testing.assert_close(rotation @ rotation.T, torch.eye(w.shape[1]), atol=1e-5, rtol=0)
    w_eff = effective_weight(q, w.shape[1])
    assert not torch.allclose(w_eff, w, atol=1e-4)
    he_before, he_after = hyperspherical_energy(w), hyperspherical_energy(w_eff)
    assert abs(he_after - he_before) / he_before < 1e-5


def test_peft_default_cayley_neumann_is_only_approximately_orthogonal(base: Any) -> None:
    spec = MethodSpec(type="oft", r=16, options={"use_cayley_neumann": True})
    model = apply(base, spec).model
    train_a_little(model)
    q = layer(model)
    rotation = q.oft_R["default"](torch.eye(64)).detach()
    assert float((rotation @ rotation.T - torch.eye(64)).abs().max()) > 1e-5


def test_hra_is_orthogonal_and_keeps_hyperspherical_energy_after_training(base: Any) -> None:
    w = layer(base).weight.detach().clone()
    model = apply(base, MethodSpec(type="hra", r=4)).model
    train_a_little(model)
    q = layer(model)
    h = q.get_delta_weight("default").detach()  # the product of Householder reflections
    torch.testing.assert_close(h @ h.T, torch.eye(h.shape[0]), atol=1e-5, rtol=0)
    w_eff = effective_weight(q, w.shape[1])
    assert not torch.allclose(w_eff, w, atol=1e-4)
    torch.testing.assert_close(w_eff, w @ h, atol=1e-5, rtol=1e-5)
    he_before, he_after = hyperspherical_energy(w), hyperspherical_energy(w_eff)
    assert abs(he_after - he_before) / he_before < 1e-5


def test_budget_matching_picks_the_closest_rank(base: Any) -> None:
    from argmap.training.sizes import count, match_budget

    value, n = match_budget(base, MethodSpec(type="lora"), 9000)
    candidates = {r: count(base, MethodSpec(type="lora"), r) for r in (1, 2, 4, 8, 16)}
    assert candidates[2] == 2 * candidates[1]  # LoRA's count is linear in r
    assert value == min(candidates, key=lambda r: abs(candidates[r] - 9000))
    assert n == candidates[value]

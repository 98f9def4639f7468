"""LoRA-Over (argmap.training.overlora): exact at initialisation, trainable local tensors,
folded back into a plain peft LoRA with LoRA's parameter count, file and outputs; the
static schedule touches exactly the named modules; the dynamic schedule finds the one
module that carries the signal."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.training.conftest import require_train

require_train()

import torch  # noqa: E402
from torch import nn  # noqa: E402

from argmap.training.methods import apply, trainable_parameters  # noqa: E402
from argmap.training.models import build_tiny  # noqa: E402
from argmap.training.mpo import chain_shape  # noqa: E402
from argmap.training.overlora import ChainLinear, Schedule, lora_modules  # noqa: E402
from argmap.training.overspec import LoraOverOptions  # noqa: E402
from argmap.training.spec import MethodSpec, ModelSpec, SpecError, parse_spec  # noqa: E402

VOCAB = 40


@pytest.fixture(scope="module")
def base() -> Any:
    torch.manual_seed(0)
    return build_tiny(ModelSpec(hidden_size=64, intermediate_size=128, heads=4), VOCAB).eval()


def ids(seed: int = 3) -> torch.Tensor:
    return torch.randint(0, VOCAB, (4, 12), generator=torch.Generator().manual_seed(seed))


def logits(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        out: torch.Tensor = model(input_ids=x).logits
    return out.double()


def relative(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).norm() / b.norm())


def prepare(base: nn.Module, options: dict[str, Any], seed: int = 0, kind: str = "lora_over") -> Any:
    torch.manual_seed(seed)
    return apply(base, MethodSpec(type=kind, r=4, options=options))


def lm_step(model: nn.Module, optimizer: torch.optim.Optimizer, seed: int) -> None:
    x = ids(100 + seed)
    loss = model(input_ids=x, labels=x).loss
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def chains(model: nn.Module) -> list[ChainLinear]:
    return [m for m in model.modules() if isinstance(m, ChainLinear)]


def test_at_initialisation_outputs_equal_loras(base: Any) -> None:
    """With B random too (init_lora_weights: false) the comparison is not trivially zero."""
    over = prepare(base, {"init_lora_weights": False})
    lora = prepare(base, {"init_lora_weights": False}, kind="lora")
    assert len(chains(over.model)) == 28  # A and B of 7 projections x 2 layers
    x = ids()
    reference = logits(lora.model, x)
    assert relative(reference, logits(base, x)) > 1e-3  # the adapter does something
    assert relative(logits(over.model, x), reference) < 1e-6
    # and each contracted factor is the LoRA factor
    for name, module in lora_modules(over.model).items():
        plain = lora_modules(lora.model)[name]
        for attribute in ("lora_A", "lora_B"):
            got, want = (
                getattr(module, attribute)["default"].weight,
                getattr(plain, attribute)["default"].weight,
            )
            assert relative(got.double().detach(), want.double().detach()) < 1e-6


def test_every_local_tensor_gets_a_gradient_after_the_first_step(base: Any) -> None:
    over = prepare(base, {})  # B = 0: its chain starts as isometries times a zero last tensor
    model = over.model
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    lm_step(model, optimizer, 0)
    x = ids(7)
    optimizer.zero_grad()
    model(input_ids=x, labels=x).loss.backward()
    cores = [core for chain in chains(model) for core in chain.cores]
    assert len(cores) == 28 * 3
    assert all(core.grad is not None and float(core.grad.norm()) > 0 for core in cores)


def test_folded_adapter_equals_the_trained_chains(base: Any, tmp_path: Path) -> None:
    over = prepare(base, {"factor": 3.0})
    model = over.model
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=2e-2)
    for step in range(8):
        lm_step(model, optimizer, step)
    x = ids()
    unfolded = logits(model, x)
    assert relative(unfolded, logits(base, x)) > 1e-3  # training moved it
    assert over.schedule.finish() == 28
    assert not chains(model)
    folded = logits(model, x)
    torch.testing.assert_close(folded, unfolded, atol=1e-5, rtol=1e-5)
    # a plain rank-4 peft LoRA: LoRA's trainable count, file and keys
    torch.manual_seed(0)
    lora = apply(base, MethodSpec(type="lora", r=4))
    assert trainable_parameters(model) == lora.trainable == over.inference
    model.save_pretrained(tmp_path / "over")
    lora.model.save_pretrained(tmp_path / "lora")
    over_file, lora_file = (p / "adapter_model.safetensors" for p in (tmp_path / "over", tmp_path / "lora"))
    assert over_file.stat().st_size == lora_file.stat().st_size
    from safetensors.torch import load_file

    saved, plain = load_file(str(over_file)), load_file(str(lora_file))
    assert {k: v.shape for k, v in saved.items()} == {k: v.shape for k, v in plain.items()}
    # it loads as an ordinary peft adapter and merges
    from peft import PeftModel

    loaded = PeftModel.from_pretrained(copy.deepcopy(base), str(tmp_path / "over"))
    torch.testing.assert_close(logits(loaded, x), unfolded, atol=1e-5, rtol=1e-5)
    merged = loaded.merge_and_unload()
    assert not any("lora" in name for name, _ in merged.named_parameters())
    torch.testing.assert_close(logits(merged, x), unfolded, atol=1e-5, rtol=1e-5)


def test_trainable_parameters_exceed_loras_by_the_factor(base: Any) -> None:
    over = prepare(base, {"factor": 4.0})
    extra = 0
    for chain in chains(over.model):
        numel = chain.in_features * chain.out_features
        held = sum(core.numel() for core in chain.cores)
        assert held == chain.shape.parameters(chain.bonds) >= 4.0 * numel
        smaller = [max(b - 1, f) for b, f in zip(chain.bonds, chain.shape.full_bonds(), strict=True)]
        assert smaller == chain.bonds or chain.shape.parameters(smaller) < 4.0 * numel  # smallest such D
        extra += held - numel
    assert over.trainable == trainable_parameters(over.model) == over.inference + extra
    assert over.trainable >= 4.0 * over.inference
    # by hand: q_proj's A is 4 x 64 = (1,2,2) x (4,4,4); local sizes 4, 8, 8; exact bonds 4, 8;
    # 4D + 8D^2 + 8D >= 4 * 256 first at D = 11: 44 + 968 + 88 = 1100 numbers
    q = lora_modules(over.model)["base_model.model.model.layers.0.self_attn.q_proj"]
    a = q.lora_A["default"]
    assert chain_shape(4, 64, 3).out_dims == (1, 2, 2) and a.bonds == [11, 11]
    assert sum(core.numel() for core in a.cores) == 1100


def test_static_schedule_touches_exactly_the_named_modules(base: Any) -> None:
    over = prepare(base, {"modules": ["down_proj", "v_proj"], "layers": [1]})
    touched = sorted(
        name
        for name, module in lora_modules(over.model).items()
        if isinstance(module.lora_A["default"], ChainLinear)
    )
    assert touched == [
        "base_model.model.model.layers.1.mlp.down_proj",
        "base_model.model.model.layers.1.self_attn.v_proj",
    ]
    for name, module in lora_modules(over.model).items():
        assert isinstance(module.lora_B["default"], ChainLinear) == (name in touched)
    assert sorted(over.schedule.chosen) == touched


def test_static_schedule_over_all_layers_of_one_type(base: Any) -> None:
    over = prepare(base, {"modules": ["q_proj"]})
    assert [n.removeprefix("base_model.model.model.") for n in over.schedule.chosen] == [
        "layers.0.self_attn.q_proj",
        "layers.1.self_attn.q_proj",
    ]


class Branches(nn.Module):
    """y = sum_m W_m x_m over four independent input blocks: a module's adapter can only
    help with what its own block explains."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.b0, self.b1, self.b2, self.b3 = (nn.Linear(16, 8, bias=False) for _ in range(4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = sum(
            branch(x[:, m]) for m, branch in enumerate((self.b0, self.b1, self.b2, self.b3))
        )
        return out


def test_dynamic_schedule_picks_the_module_that_carries_the_signal() -> None:
    import peft

    base = Branches()
    target = copy.deepcopy(base)
    with torch.no_grad():  # the task differs from the base only in branch 2
        target.b2.weight += torch.randn(8, 16, generator=torch.Generator().manual_seed(1))
    torch.manual_seed(0)
    model = peft.get_peft_model(
        copy.deepcopy(base), peft.LoraConfig(r=2, target_modules=["b0", "b1", "b2", "b3"])
    )
    options = LoraOverOptions(schedule="dynamic", warmup_steps=5, factor=2.0)
    schedule = Schedule(model, options, torch.Generator().manual_seed(0))
    one_module = next(iter(schedule.costs.values()))
    schedule.budget = one_module  # room for exactly one module
    optimizer: torch.optim.Optimizer = torch.optim.Adam(
        [p for p in model.parameters() if p.requires_grad], lr=1e-2
    )
    generator = torch.Generator().manual_seed(2)
    for step in range(8):
        optimizer = schedule.before_step(step, optimizer)
        x = torch.randn(256, 4, 16, generator=generator)
        loss = nn.functional.mse_loss(model(x), target(x))
        optimizer.zero_grad()
        loss.backward()
        schedule.record_gradients()
        optimizer.step()
    assert schedule.converted
    assert schedule.chosen == ["base_model.model.b2"]
    scores = schedule.scores
    assert scores["base_model.model.b2"] > 3 * max(v for k, v in scores.items() if k != "base_model.model.b2")
    assert [type(m.lora_A["default"]).__name__ for m in lora_modules(model).values()] == [
        "Linear",
        "Linear",
        "ChainLinear",
        "Linear",
    ]


def test_dynamic_conversion_keeps_the_outputs_and_the_budget(base: Any) -> None:
    over = prepare(base, {"schedule": "dynamic", "warmup_steps": 3, "budget_fraction": 0.3})
    model, schedule = over.model, over.schedule
    assert not chains(model)  # plain LoRA during the warm-up
    optimizer: torch.optim.Optimizer = torch.optim.Adam(
        [p for p in model.parameters() if p.requires_grad], lr=1e-2
    )
    for step in range(3):
        optimizer = schedule.before_step(step, optimizer)
        x = ids(100 + step)
        loss = model(input_ids=x, labels=x).loss
        optimizer.zero_grad()
        loss.backward()
        schedule.record_gradients()
        optimizer.step()
    x = ids()
    before = logits(model, x)
    optimizer = schedule.before_step(3, optimizer)
    assert schedule.chosen and schedule.extra <= schedule.budget
    assert schedule.budget == int(0.3 * sum(schedule.costs.values()))
    assert relative(logits(model, x), before) < 1e-6  # converted from the warmed-up factors, exactly
    assert trainable_parameters(model) == over.inference + schedule.extra
    new = {id(p) for group in optimizer.param_groups for p in group["params"]}
    assert all(id(core) in new for chain in chains(model) for core in chain.cores)


SPEC = """\
name: over
comparisons:
  - {claim: C, method: over, baseline: lora}
methods:
  lora: {type: lora, r: 4}
  over: {type: lora_over, r: 4, options: OPTIONS}
"""


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("{schedule: sometimes}", "schedule"),
        ("{schedul: dynamic}", "did you mean 'schedule'"),
        ("{factor: 0.5}", "factor"),
        ("{schedule: dynamic, modules: [q_proj]}", "static schedule"),
        ("{tensors: 1}", "tensors"),
    ],
)
def test_bad_options_are_located_diagnostics(options: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(SPEC.replace("OPTIONS", options), "spec.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "T102" and message in diagnostic.message
    assert diagnostic.line == 6


def test_methods_json_reports_lora_over(base: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """`argmap experiment methods --format json` on a (small) tiny model."""
    import json

    from typer.testing import CliRunner

    from argmap.cli.app import app
    from argmap.training import models

    monkeypatch.setattr(models, "untrained_tiny", lambda *args, **kwargs: base)
    monkeypatch.setattr("argmap.training.spec.METHOD_TYPES", ("lora", "lora_over"))  # the two compared
    result = CliRunner().invoke(app, ["experiment", "methods", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["method"]: row for row in json.loads(result.stdout)["methods"]}
    over, lora = rows["lora_over"], rows["lora"]
    assert over["folded_params"] == over["lora_params"] == lora["trainable"] == over["trainable"]
    assert over["train_params"] >= over["factor"] * over["folded_params"]
    assert 0 <= over["fold_error"] < 1e-5 and 0 <= over["init_error"] < 1e-6
    assert set(over["schedules"]) == {"static", "dynamic"}
    dynamic = over["schedules"]["dynamic"]["train_params_at_most"]
    assert over["folded_params"] < dynamic < over["train_params"]


def test_a_trial_runs_the_dynamic_schedule_and_folds(tiny_cache: str) -> None:
    """Through the backend's own trial loop (the tiny model as the end-to-end test builds it)."""
    from argmap.training.spec import TaskSpec
    from argmap.training.trial import run_trial

    options = {"schedule": "dynamic", "warmup_steps": 3, "budget_fraction": 0.5}
    settings = {
        "model": ModelSpec(pretrain_steps=60).model_dump(mode="json"),
        "task": TaskSpec(validation_examples=64, test_examples=128).model_dump(mode="json"),
        "method": MethodSpec(type="lora_over", r=4, options=options).model_dump(mode="json"),
        "value": 4,
        "lr": 0.01,
        "seed": 0,
        "steps": 6,
        "batch_size": 8,
        "device": "cpu",
    }
    record = run_trial(settings, tiny_cache)
    over = record["lora_over"]
    assert over["converted"] and over["over_parameterised"]
    assert 0 < over["extra_parameters"] <= over["budget"]
    assert set(over["scores"]) == {f"model.layers.{i}.{m}" for i in (0, 1) for m in PROJECTIONS}
    assert record["adapter_parameters"] < record["trainable"]
    assert record["test"]["eval_loss"] < float("inf")


PROJECTIONS = [
    "self_attn.q_proj",
    "self_attn.k_proj",
    "self_attn.v_proj",
    "self_attn.o_proj",
    "mlp.gate_proj",
    "mlp.up_proj",
    "mlp.down_proj",
]


def test_the_shipped_spec_tests_the_example_maps_claims() -> None:
    from argmap.training.spec import check_claims, load_spec

    root = Path(__file__).resolve().parents[2] / "examples" / "overparam"
    spec = load_spec(root / "lora_over.yaml")
    text = (root / "overparam.argdown").read_text()
    titles = [line.split("]:")[0].lstrip("([0123456789) ") for line in text.splitlines() if "]:" in line]
    assert check_claims(spec, titles, "overparam.argdown", text) == []
    types = {name: m.type for name, m in spec.methods.items()}
    assert types == {"lora": "lora", "over_static": "lora_over", "over_dynamic": "lora_over"}
    assert {c.measure for c in spec.comparisons} == {"ood_acc", "test_acc"}
    assert len(spec.seeds) >= 5 and len(spec.grid("lora")) >= 4

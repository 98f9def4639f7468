"""The training loop's memory knobs change memory, not numbers: gradient accumulation and
gradient checkpointing give the plain step's gradients (to float rounding) on a tiny
Llama; and one base model serves many trials without an adapter of one trial leaking
into the next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.training.conftest import require_train


@pytest.fixture(scope="module")
def tiny() -> Any:
    require_train()
    import torch

    from argmap.training.models import build_tiny
    from argmap.training.spec import ModelSpec, TaskSpec
    from argmap.training.synthetic import adapt_task

    task = adapt_task(TaskSpec())
    base = build_tiny(ModelSpec(), task.vocab_size)
    batch = task.batch(8, torch.Generator().manual_seed(3))
    return base, batch


def _gradients(base: Any, batch: Any, accumulation: int, checkpointing: bool) -> dict[str, Any]:
    import torch

    from argmap.training.checkpointing import checkpointing as switch_checkpointing
    from argmap.training.engine import accelerator_for, accumulate_gradients
    from argmap.training.evaluation import lm_loss as _lm_loss
    from argmap.training.reuse import adapted
    from argmap.training.spec import MethodSpec

    torch.manual_seed(0)
    with adapted(base, MethodSpec(type="lora", r=4)) as prepared:
        model = prepared.model
        with torch.no_grad():  # B = 0 at init would make A's gradient 0: give B a value
            for name, p in model.named_parameters():
                if "lora_B" in name:
                    p.copy_(torch.randn_like(p) * 0.1)
        if checkpointing:
            switch_checkpointing(base, True)
        calls: list[int] = []
        # a pre-hook: torch stops a recomputation as soon as it has what backward needs,
        # so a module's post-hook may not fire again, its pre-hook does
        hook = base.model.layers[0].mlp.register_forward_pre_hook(lambda *args: calls.append(1))
        model.train()
        loss = accumulate_gradients(model, _lm_loss, batch, accelerator_for("cpu"), accumulation)
        hook.remove()
        # checkpointing really ran: each micro-batch's forward of the layer ran again in backward
        assert len(calls) == accumulation * (2 if checkpointing else 1)
        grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
        grads["loss"] = torch.tensor(loss)
    return grads


def test_accumulation_and_checkpointing_give_the_plain_gradients(tiny: Any) -> None:
    import torch

    base, batch = tiny
    plain = _gradients(base, batch, 1, False)
    # the scored positions differ from row to row, so the micro-batches have unequal
    # token counts: a mean of micro-batch means would not be the batch's mean
    counts = [(batch[1][i : i + 2, 1:] != -100).sum().item() for i in range(0, 8, 2)]
    assert len(set(counts)) > 1
    assert len(plain) > 10 and all(g.abs().sum() > 0 for g in plain.values())
    for accumulation, checkpointing in ((4, False), (1, True), (2, True), (8, False)):
        other = _gradients(base, batch, accumulation, checkpointing)
        assert other.keys() == plain.keys()
        for name, grad in plain.items():
            torch.testing.assert_close(other[name], grad, rtol=1e-5, atol=1e-7, msg=name)


def test_weighting_by_tokens_matters(tiny: Any) -> None:
    """A naive accumulation (mean of the micro-batch means) differs from the plain step on
    this batch, so the equivalence above is not an accident of equal counts."""
    import torch

    from argmap.training.evaluation import lm_loss as _lm_loss

    base, batch = tiny
    halves = [tuple(t[i : i + 4] for t in batch) for i in (0, 4)]
    with torch.no_grad():
        whole = _lm_loss(base, batch)
        naive = sum(_lm_loss(base, half) for half in halves) / 2
    assert abs(float(whole) - float(naive)) > 1e-4


def test_reused_base_is_restored_bit_for_bit(tiny: Any) -> None:
    """Every method family, including the ones that write into base weights (PiSSA moves
    the principal part into the adapter, full fine-tuning trains every weight), leaves the
    base exactly as it was: same tensors, same modules, same flags."""
    import torch

    from argmap.training.reuse import adapted
    from argmap.training.spec import MethodSpec

    base, batch = tiny
    before = {k: v.clone() for k, v in base.state_dict().items()}
    modules = [(name, id(module)) for name, module in base.named_modules()]
    flags = {n: p.requires_grad for n, p in base.named_parameters()}
    for spec in (
        MethodSpec(type="pissa", r=4),
        MethodSpec(type="full"),
        MethodSpec(type="dora", r=2),
        MethodSpec(type="oft", r=4),
        MethodSpec(type="ia3"),
        MethodSpec(type="lora_over", r=2),
    ):
        with adapted(base, spec) as prepared:
            params = [p for p in prepared.model.parameters() if p.requires_grad]
            optimizer = torch.optim.SGD(params, lr=0.5)
            prepared.model(input_ids=batch[0], labels=batch[1]).loss.backward()
            optimizer.step()
        assert [(name, id(module)) for name, module in base.named_modules()] == modules, spec.type
        assert {n: p.requires_grad for n, p in base.named_parameters()} == flags
        for key, value in base.state_dict().items():
            assert torch.equal(value, before[key]), f"{spec.type} left {key} changed"
        assert not hasattr(base, "peft_config")


def test_a_change_that_cannot_be_undone_is_an_error(tiny: Any) -> None:
    import torch

    from argmap.training.reuse import AdapterLeak, adapted
    from argmap.training.spec import MethodSpec

    base, _ = tiny
    weight = base.model.layers[0].mlp.up_proj.weight
    saved = weight.detach().clone()
    with (
        pytest.raises(AdapterLeak, match="up_proj"),
        adapted(base, MethodSpec(type="lora", r=2)),
        torch.no_grad(),
    ):
        weight.add_(1.0)  # as a merge into the base would
    with torch.no_grad():
        weight.copy_(saved)


def test_a_trial_on_a_reused_base_equals_one_on_a_fresh_base(tmp_path: Path, tiny_cache: str) -> None:
    """Trial B run right after trial A on the same process's base gives exactly the record
    B gives on a freshly loaded base: nothing of A (a PiSSA residual, a trained adapter)
    reaches B."""
    require_train()
    from argmap.training import datasets, trial
    from argmap.training.runner import trial_settings
    from argmap.training.spec import parse_spec

    spec = parse_spec(
        """\
comparisons: [{claim: X, method: pissa, baseline: lora}]
model: {name: tiny, pretrain_steps: 60}
task: {name: shift, validation_examples: 32, test_examples: 32}
methods: {lora: {type: lora, r: 2}, pissa: {type: pissa, r: 2}}
seeds: [0, 1]
steps: 6
batch_size: 8
"""
    )
    first = trial_settings(spec, "pissa", 2, 0.05, 0, "cpu")
    second = trial_settings(spec, "lora", 2, 0.01, 1, "cpu")
    datasets._WORKLOADS.clear()
    trial.run_trial(first, tiny_cache)
    after_other = trial.run_trial(second, tiny_cache)
    datasets._WORKLOADS.clear()
    fresh = trial.run_trial(second, tiny_cache)
    for field in ("validation", "test", "train_losses", "curve"):
        assert after_other[field] == fresh[field], field


def test_the_update_of_pissa_on_a_reused_base_is_measured_against_the_original_weights(
    tiny_cache: str,
) -> None:
    """PiSSA rewrites the base weight in place (W becomes W - B A, with B A the principal
    part, in the adapter); the update properties must still compare the adapted weight
    with W itself. At a learning rate too small to move anything, the merged weight is W
    again and no weight counts as changed; measured against the rewritten base, every
    targeted weight would."""
    require_train()
    from argmap.training import datasets, trial
    from argmap.training.runner import trial_settings
    from argmap.training.spec import parse_spec

    spec = parse_spec(
        """\
comparisons: [{claim: X, method: pissa, baseline: lora, measure: effective_rank}]
model: {name: tiny, pretrain_steps: 60}
task: {name: shift, validation_examples: 16, test_examples: 16}
methods: {lora: {type: lora, r: 2}, pissa: {type: pissa, r: 2}}
steps: 1
batch_size: 4
"""
    )
    datasets._WORKLOADS.clear()
    still = trial.run_trial(trial_settings(spec, "pissa", 2, 1e-12, 0, "cpu"), tiny_cache)
    assert still["settings"]["update_properties"] is True
    assert still["update"]["changed_weights"] == 0.0
    moved = trial.run_trial(trial_settings(spec, "pissa", 2, 0.05, 0, "cpu"), tiny_cache)
    # both factors start non-zero and train: dB A + B dA + dB dA has rank at most 2r
    assert moved["update"]["changed_weights"] > 0 and 0 < moved["update"]["effective_rank"] <= 4.0 + 1e-9


def test_accumulated_trial_matches_the_plain_trial(tiny_cache: str) -> None:
    """Same spec, batch cut into 4 micro-batches with checkpointing: same metrics."""
    require_train()
    import math

    from argmap.training.runner import trial_settings
    from argmap.training.spec import parse_spec
    from argmap.training.trial import run_trial

    text = """\
comparisons: [{claim: X, method: lora, baseline: lora}]
model: {name: tiny, pretrain_steps: 60}
task: {name: shift, validation_examples: 32, test_examples: 32}
methods: {lora: {type: lora, r: 2}}
steps: 5
batch_size: 8
"""
    plain = run_trial(trial_settings(parse_spec(text), "lora", 2, 0.01, 0, "cpu"), tiny_cache)
    knobs = text + "gradient_accumulation: 4\ngradient_checkpointing: true\n"
    cut = run_trial(trial_settings(parse_spec(knobs), "lora", 2, 0.01, 0, "cpu"), tiny_cache)
    assert cut["settings"]["gradient_accumulation"] == 4
    for a, b in zip(plain["train_losses"], cut["train_losses"], strict=True):
        assert math.isclose(a, b, rel_tol=1e-4)
    for split in ("validation", "test"):
        for metric, value in plain[split].items():
            assert math.isclose(cut[split][metric], value, rel_tol=1e-4, abs_tol=1e-6), (split, metric)

"""`--ray`: the cells run as plain Ray remote tasks on a local two-CPU cluster and give the
same trial records as a local run would (skipped when ray is not installed)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.training.conftest import require_train

SPEC = """\
name: ray-smoke
comparisons:
  - {claim: SVD Init Wins, method: pissa, baseline: lora, metric: eval_loss}
model: {name: tiny, pretrain_steps: 60}
task: {name: shift, validation_examples: 64, test_examples: 128}
methods:
  lora: {type: lora, r: 2}
  pissa: {type: pissa, r: 2}
seeds: [0, 1]
steps: 8
batch_size: 8
learning_rates: [0.01]
"""


@pytest.mark.slow
def test_ray_local_two_cpu_cluster(tmp_path: Path, tiny_cache: str) -> None:
    require_train()
    if importlib.util.find_spec("ray") is None:
        pytest.skip("needs ray (pip install 'argmap[ray]')")
    import ray

    from argmap.training.runner import run_experiment
    from argmap.training.spec import parse_spec

    spec = parse_spec(SPEC)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        cache = Path(tiny_cache)
        outcome = run_experiment(spec, tmp_path / "out", cache=cache, use_ray=True, show_progress=False)
    finally:
        ray.shutdown()
    assert outcome.trials_run == 4 and outcome.trials_cached == 0
    [result] = outcome.results
    assert result.provenance.model_extra is not None and result.provenance.model_extra["ray"] is True
    assert sorted(result.arm("pissa")) == [0, 1] and sorted(result.arm("lora")) == [0, 1]
    # the same spec run locally afterwards finds every trial in the cache
    again = run_experiment(spec, tmp_path / "out", cache=Path(tiny_cache), show_progress=False)
    assert again.trials_run == 0 and again.trials_cached == 4
    # the same trials give the same result: same id (duplicate detection works), still "ray"
    assert again.results[0].id == result.id
    assert again.results[0].provenance.model_extra is not None
    assert again.results[0].provenance.model_extra["ray"] is True

"""Trials on a Ray cluster joined by address: a head node with no CPU and no GPU for tasks
(the submitting machine) and two worker nodes, each a separate raylet process with one
CPU and one GPU slot (GPU slots declared, so `num_gpus=1` scheduling is exercised on a
machine without a GPU; the trials themselves train on the CPU). One method fails on
purpose on every attempt and is reported; one trial fails on its first attempt only and
is retried. Skipped when ray is not installed."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.training.conftest import require_train, two_comparison_spec

SPEC = two_comparison_spec(
    "ray-cluster", ("SVD Init Wins", "Broken Claim"), ("broken", "{type: lora, r: 3}"), steps=4
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    require_train()
    if importlib.util.find_spec("ray") is None:
        pytest.skip("needs ray (pip install 'argmap[ray]')")
    from ray.cluster_utils import Cluster

    nodes = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 0, "num_gpus": 0, "include_dashboard": False},
    )
    try:
        workers = [nodes.add_node(num_cpus=1, num_gpus=1) for _ in range(2)]
        nodes.wait_for_nodes()
        yield nodes, {w.node_id for w in workers}, nodes.head_node.node_id
    finally:
        import ray

        ray.shutdown()
        nodes.shutdown()


def flaky_trial(settings: dict[str, Any], cache: str | None, save_adapter: bool = False) -> dict[str, Any]:
    """The real trial, except that a rank-3 LoRA ("broken") always fails on the worker, as
    a trial that runs out of memory would, and the lora seed-1 trial fails on its first
    attempt only (a marker file beside the cache remembers it; the nodes share this disk)."""
    from argmap.training.trial import run_trial

    if settings["method"]["r"] == 3:
        raise RuntimeError("out of memory, failing on purpose")
    marker = Path(str(cache)) / "flaky-attempted"
    if settings["method"]["type"] == "lora" and settings["seed"] == 1 and not marker.exists():
        marker.touch()
        raise RuntimeError("failing on purpose, first attempt")
    return run_trial(settings, cache, save_adapter)


@pytest.mark.slow
def test_cluster_by_address_one_gpu_per_trial_retries_and_reports(
    cluster: Any, tmp_path: Path, tiny_cache: str
) -> None:
    import ray.cloudpickle

    from argmap.training.runner import Execution, run_experiment
    from argmap.training.spec import parse_spec

    nodes, worker_ids, head_id = cluster
    ray.cloudpickle.register_pickle_by_value(__import__(__name__))  # workers need not import tests/
    cache = tmp_path / "cache"
    cache.mkdir()
    for item in Path(tiny_cache).iterdir():  # the session's pre-trained tiny model
        if item.is_dir():
            (cache / item.name).symlink_to(item)
    spec = parse_spec(SPEC)
    execution = Execution(
        use_ray=True, ray_address=nodes.address, gpus_per_trial=1, retries=1, trial=flaky_trial
    )
    out = tmp_path / "out"
    outcome = run_experiment(spec, out, cache=cache, show_progress=False, execution=execution)

    # the broken method failed on both attempts and is reported with its cause; the
    # retried lora trial is not a failure; the other comparison has its result
    assert {f.method for f in outcome.failures} == {"broken"}
    assert sorted(f.seed for f in outcome.failures) == [0, 1]
    for failure in outcome.failures:
        assert failure.attempts == 2 and failure.error == "RuntimeError: out of memory, failing on purpose"
    assert (cache / "flaky-attempted").exists()
    assert outcome.trials_run == 4
    [result] = outcome.results
    assert result.claim == "SVD Init Wins" and sorted(result.arm("lora")) == [0, 1]
    assert result.provenance.model_extra is not None and result.provenance.model_extra["ray"] is True

    # every trial ran on a worker node with a GPU slot of its own, never on the head, and
    # its record (metrics and the loss curve) came back to this machine
    records = [json.loads(p.read_text()) for p in (out / "trials").glob("*.json")]
    assert len(records) == 4
    assert {r["ray_node"] for r in records} <= worker_ids and head_id not in {r["ray_node"] for r in records}
    assert all(len(r["ray_gpus"]) == 1 for r in records)
    assert all(len(r["train_losses"]) == 4 for r in records)
    log = json.loads((out / "runs.jsonl").read_text().splitlines()[-1])
    assert {f["method"] for f in log["failures"]} == {"broken"}

    # the same spec run locally afterwards takes the four good trials from the cache and
    # gives the same result (same id); the broken trials run (and fail) again, locally
    local = Execution(trial=flaky_trial)
    again = run_experiment(spec, out, cache=cache, show_progress=False, execution=local)
    assert again.trials_run == 0 and again.trials_cached == 4
    assert again.results[0].id == result.id
    assert len(again.failures) == 2 and all(f.attempts == 1 for f in again.failures)

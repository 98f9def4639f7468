"""Trials on a Ray cluster: `--ray` (a local cluster) or `--ray-address ADDRESS` (an
existing one, joined from any machine, a head node with no GPU included).

Each worker is a Ray actor that holds one base model for its whole life (loaded on its
first trial) and runs trials one at a time on it, attaching and removing each method
(argmap.training.reuse). An actor asks for one GPU when the trials train on `cuda`
(`num_gpus=1`: one GPU per trial), else one CPU. Actors rather than plain tasks because
Ray gives a GPU task a fresh process each time (`max_calls=1`), which would load the
base model again for every trial.

Records come back to the submitting machine as return values (metrics, curves, timings,
the node and GPU that ran them) and the driver writes them under OUT/trials, so nothing
is left on the workers. A trial that raises, or whose worker dies, is run again (on any
worker, a fresh one if its worker died) up to `retries` times; one that still fails is
reported as a `TrialFailure` (T109 in the CLI), never silently dropped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TrialFunction = Callable[[dict[str, Any], str | None, bool], dict[str, Any]]
"""run_trial's signature: (settings, cache folder, save the adapter's bytes)."""


@dataclass(frozen=True)
class TrialFailure:
    key: str
    method: str
    lr: float
    seed: int
    attempts: int
    error: str


class TrialWorker:
    """A Ray actor's state: one process, one base model, many trials."""

    def __init__(
        self, cache: str | None, trial: TrialFunction | None = None, save_adapter: bool = False
    ) -> None:
        self.cache = cache
        self.trial = trial
        self.save_adapter = save_adapter

    def run(self, settings: dict[str, Any]) -> dict[str, Any]:
        import platform

        import ray

        from argmap.training.trial import run_trial

        record = (self.trial or run_trial)(settings, self.cache, self.save_adapter)
        context = ray.get_runtime_context()
        return {
            **record,
            "ray_node": context.get_node_id(),
            "ray_gpus": [str(gpu) for gpu in ray.get_gpu_ids()],
            "host": platform.node(),
        }


def connect(address: str | None) -> None:
    import ray

    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)


def cluster_gpus() -> float:
    import ray

    return float(ray.cluster_resources().get("GPU", 0.0))


def worker_count(trials: int, gpus_per_trial: float) -> int:
    """As many workers as the cluster has room for (GPUs, else CPUs), at most one per trial."""
    import ray

    resources = ray.cluster_resources()
    room = resources.get("GPU", 0.0) / gpus_per_trial if gpus_per_trial else resources.get("CPU", 1.0)
    return max(1, min(trials, int(room)))


def _describe(exc: BaseException) -> str:
    import ray.exceptions

    cause = getattr(exc, "cause", None)
    if isinstance(exc, ray.exceptions.RayTaskError) and cause is not None:
        exc = cause
    if isinstance(exc, ray.exceptions.RayActorError):
        return "the worker process died (RayActorError)"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"[:400]


def run_on_ray(
    cells: list[Any],
    cache: str | None,
    gpus_per_trial: float,
    retries: int,
    on_record: Callable[[Any, dict[str, Any]], None],
    trial: TrialFunction | None = None,
    save_adapters: bool = False,
) -> list[TrialFailure]:
    """Run every cell on the connected cluster; `on_record(cell, record)` for each success
    (as it arrives); the cells that failed `retries + 1` times."""
    import ray
    import ray.exceptions

    actor_class = ray.remote(TrialWorker)

    def new_worker() -> Any:
        return actor_class.options(num_cpus=1, num_gpus=gpus_per_trial, max_restarts=0).remote(
            cache, trial, save_adapters
        )

    idle = [new_worker() for _ in range(worker_count(len(cells), gpus_per_trial))]
    queue = deque(cells)
    attempts: dict[str, int] = {}
    running: dict[Any, tuple[Any, Any]] = {}
    failures: list[TrialFailure] = []
    try:
        while queue or running:
            while queue and idle:
                worker, cell = idle.pop(), queue.popleft()
                attempts[cell.key] = attempts.get(cell.key, 0) + 1
                running[worker.run.remote(cell.settings)] = (cell, worker)
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                cell, worker = running.pop(ref)
                try:
                    record = ray.get(ref)
                except (ray.exceptions.RayTaskError, ray.exceptions.RayActorError) as exc:
                    if isinstance(exc, ray.exceptions.RayActorError):
                        worker = new_worker()  # its process is gone: a fresh one takes its place
                    idle.append(worker)
                    if attempts[cell.key] <= retries:
                        queue.append(cell)
                    else:
                        failures.append(
                            TrialFailure(
                                cell.key, cell.method, cell.lr, cell.seed, attempts[cell.key], _describe(exc)
                            )
                        )
                    continue
                idle.append(worker)
                on_record(cell, record)
    finally:
        for worker in idle + [w for _, w in running.values()]:
            ray.kill(worker)
    return failures

"""The progress display, the `--ray` / `--ray-address` options, and an unmeetable
parameter budget reported as a located T105 diagnostic by `argmap experiment run`."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.training.conftest import require_train

SPEC = """\
name: details
comparisons:
  - {claim: SVD Init Wins, method: pissa, baseline: lora, metric: eval_loss}
model: {name: tiny, pretrain_steps: 60}
task: {name: shift, validation_examples: 64, test_examples: 128}
methods:
  lora: {type: lora}
  pissa: {type: pissa, r: 4}
seeds: [0, 1]
steps: 4
batch_size: 8
learning_rates: [0.01]
budget: {params: 9000}
"""


def test_progress_shows_done_running_and_left() -> None:
    from rich.console import Console

    from argmap.training.runner import Progress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system=None)
    with Progress(total=10, cached=3, enabled=True, console=console) as progress:
        assert progress._describe() == "done 3 running 0 left 7"
        progress.update(2)  # two trials started
        progress.update(1, 1)  # one finished, one still running
        line = progress._describe()
    assert re.fullmatch(r"done 4 running 1 left 6 ~\d+s to go", line), line
    shown = buffer.getvalue()
    assert "trials" in shown and "4/10" in shown
    assert "done 4 running 1 left 6" in shown and "s to go" in shown


def test_progress_disabled_prints_nothing() -> None:
    from rich.console import Console

    from argmap.training.runner import Progress

    buffer = io.StringIO()
    with Progress(total=2, cached=0, enabled=False, console=Console(file=buffer)) as progress:
        progress.update(1)
        progress.update(0, 1)
    assert buffer.getvalue() == "" and progress.done == 1


@pytest.mark.parametrize(
    ("options", "use_ray", "address"),
    [
        ([], False, None),
        (["--ray"], True, None),
        (["--ray-address", "auto"], True, "auto"),
        (["--ray", "--ray-address", "10.1.2.3:6379"], True, "10.1.2.3:6379"),
    ],
)
def test_ray_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str], use_ray: bool, address: str | None
) -> None:
    """`--ray` alone is a local cluster (a flag: the spec file after it is not taken as an
    address); `--ray-address ADDRESS` joins an existing one."""
    require_train()
    from argmap.cli.app import app
    from argmap.training import runner

    seen: dict[str, Any] = {}

    def fake(spec: Any, out: Path, **kwargs: Any) -> runner.Outcome:
        seen.update(kwargs)
        return runner.Outcome([], [], 0, 0, 0.0)

    monkeypatch.setattr(runner, "run_experiment", fake)
    monkeypatch.setattr("argmap.training.missing_packages", lambda names=None: [])
    (tmp_path / "spec.yaml").write_text(SPEC)
    # options before the spec file too: a bare --ray must not swallow it
    result = CliRunner().invoke(
        app, ["experiment", "run", *options, str(tmp_path / "spec.yaml"), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert seen["execution"].use_ray is use_ray and seen["execution"].ray_address == address


def test_unmeetable_budget_is_t105_with_its_location(tmp_path: Path, tiny_cache: str) -> None:
    require_train()
    from argmap.cli.app import app

    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("budget: {params: 9000}", "budget: {params: 100}"))
    out = tmp_path / "out"
    args = ["experiment", "run", str(spec), "--out", str(out), "--cache", tiny_cache, "--no-progress"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "T105" in result.output and f"{spec}:7:3" in result.output  # the `lora:` key
    assert "budget 100 parameters cannot be met by lora" in result.output
    assert "explicit `r:`" in result.output
    assert not (out / "trials").exists()  # nothing trained


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_log_progress_one_line_per_trial_and_the_eta_advances_with_time() -> None:
    from argmap.training.progress import Progress

    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(total=5, cached=1, mode="log", stream=stream, heartbeat=0, clock=clock)
    with progress:
        assert progress.eta() is None
        progress.update(1)
        clock.now += 10
        progress.update(1, 1, "lora lr 0.01 seed 0 (10.0s)")  # 10 s per trial, 3 left
        assert progress.eta() == pytest.approx(30.0)
        clock.now += 4  # no trial finished, time passed: the estimate counts down
        assert progress.eta() == pytest.approx(26.0)
        assert progress.line().startswith("trials 2/5 done, 3 left, ETA 26s (elapsed 14s)")
        clock.now += 100  # overdue: never negative
        assert progress.eta() == 0.0
    lines = stream.getvalue().splitlines()
    assert lines == [
        "trials 1/5 done, 4 left, ETA unknown (elapsed 0s): starting",
        "trials 2/5 done, 3 left, ETA 30s (elapsed 10s): lora lr 0.01 seed 0 (10.0s)",
    ]


def test_log_progress_heartbeat_writes_while_a_trial_runs() -> None:
    import time

    from argmap.training.progress import Progress

    stream = io.StringIO()
    with Progress(total=2, cached=0, mode="log", stream=stream, heartbeat=0.05) as progress:
        progress.update(1)
        deadline = time.monotonic() + 5
        while stream.getvalue().count("still running") < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert stream.getvalue().count("still running") >= 2

"""What the user sees when a method cannot be attached (T102 before anything trains, at
the method's line) or a trial fails while the others run (T109 at the method's line,
exit 1, the other comparisons' results written, the failure in runs.jsonl)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.training.conftest import require_train, two_comparison_spec

SPEC = two_comparison_spec("failures", ("A", "B"), ("other", "{type: lora, r: 1}"), steps=3)


def test_a_method_peft_rejects_is_t102_at_its_line(tmp_path: Path, tiny_cache: str) -> None:
    require_train()
    from argmap.cli.app import app

    spec = tmp_path / "spec.yaml"
    spec.write_text(
        SPEC.replace("other: {type: lora, r: 1}", "other: {type: lora, r: 1, options: {dropout: 0.1}}")
    )
    result = CliRunner().invoke(
        app,
        [
            "experiment",
            "run",
            str(spec),
            "--cache",
            tiny_cache,
            "--out",
            str(tmp_path / "out"),
            "--no-progress",
        ],
    )
    assert result.exit_code == 1, result.output
    assert f"{spec}:10:" in result.output and "T102" in result.output
    assert "methods.other: lora cannot be attached" in result.output and "dropout" in result.output
    assert not (tmp_path / "out" / "trials").exists()  # nothing trained


def test_a_failing_trial_is_t109_and_the_rest_is_written(
    tmp_path: Path, tiny_cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_train()
    from argmap.cli.app import app
    from argmap.training import trial

    real = trial.run_trial

    def failing(settings: dict[str, Any], cache: str | None = None, save: bool = False) -> dict[str, Any]:
        if settings["method"]["r"] == 1 and settings["seed"] == 1:
            raise RuntimeError("CUDA out of memory (on purpose)")
        return real(settings, cache, save)

    monkeypatch.setattr(trial, "run_trial", failing)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    # with progress on and no terminal: one log line per trial, the failed one included
    result = CliRunner().invoke(
        app, ["experiment", "run", str(spec), "--cache", tiny_cache, "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert "trials 6/6 done" in result.output
    assert re.search(
        r"other lr 0\.01 seed 1 \(\d+\.\ds\) failed: RuntimeError: CUDA out of memory", result.output
    )
    assert f"{spec}:10:" in result.output and "T109" in result.output
    assert "trial other lr 0.01 seed 1 failed (1 attempt): RuntimeError: CUDA out of memory" in result.output
    assert [p.name for p in (out / "results").glob("*.json")] == ["failures-1-a.json"]
    assert len(list((out / "trials").glob("*.json"))) == 5
    [line] = (out / "runs.jsonl").read_text().splitlines()
    assert [f["seed"] for f in json.loads(line)["failures"]] == [1]

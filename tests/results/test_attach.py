"""`argmap attach`, `argmap results`, `argmap score` with results: storage, safety, updates."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
PICNIC = ROOT / "examples" / "picnic" / "thesis.argdown"
runner = CliRunner()

CLAIM = "Clear Morning Persists"  # a premise of <Clear Sky Now>, credence 0.6


def result_data(method: list[float], baseline: list[float], **extra: Any) -> dict[str, Any]:
    runs = []
    for seed, (a, b) in enumerate(zip(method, baseline, strict=True)):
        runs.append({"seed": seed, "method": "new", "metrics": {"acc": a}})
        runs.append({"seed": seed, "method": "old", "metrics": {"acc": b}})
    data: dict[str, Any] = {
        "claim": CLAIM,
        "comparison": {"method": "new", "baseline": "old", "metric": "acc"},
        "runs": runs,
    }
    data.update(extra)
    return data


FOR = ([0.74, 0.70, 0.75, 0.69, 0.73], [0.71, 0.70, 0.72, 0.70, 0.70])


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def attach(*args: str) -> Any:
    return runner.invoke(app, ["attach", *args])


def score_json(map_path: Path, *extra: str) -> dict[str, Any]:
    out = runner.invoke(app, ["score", str(map_path), "--samples", "500", "--format", "json", *extra])
    assert out.exit_code == 0, out.output
    data: dict[str, Any] = json.loads(out.output)
    return data


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_attach_json_output_schema_and_premise_update(project: Path) -> None:
    result_file = write(project.parent / "r.json", result_data(*FOR))
    out = attach(str(project), str(result_file), "--format", "json", "--samples", "500")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"results", "moved", "thesis"}
    (item,) = data["results"]
    assert set(item) == {"id", "claim", "bf10", "bf_plus0", "applied", "weight", "effect_size", "ci"}
    assert item["weight"] == 0.5 and item["claim"] == CLAIM
    # no guard bites here, so applied = BF+- ^ 0.5, BF+- = BF+0 / BF-0 and BF-0 = 2 BF10 - BF+0.
    # Differences +0.03 0 +0.03 -0.01 +0.03: t = 1.83533 (df 4); by scipy, apart from argmap
    # (each half of nct.pdf(t, 4, delta sqrt 5) x Cauchy(0, sqrt(2)/2)): BF+0 = 1.95788,
    # BF10 = 1.07800, BF+- = 9.88221, applied = 9.88221 ^ 0.5 = 3.14360.
    bf_minus0 = 2 * item["bf10"] - item["bf_plus0"]
    assert item["applied"] == pytest.approx((item["bf_plus0"] / bf_minus0) ** 0.5, rel=1e-6)
    assert item["bf_plus0"] == pytest.approx(1.95788, rel=1e-4)
    assert item["applied"] == pytest.approx(3.14360, rel=1e-4)
    assert item["ci"][0] < item["effect_size"] < item["ci"][1]
    moved = {m["title"]: m for m in data["moved"]}
    first = data["moved"][0]
    assert set(first) == {"title", "before", "after", "delta", "why"}
    # premise: posterior odds = prior odds x applied = (0.6 / 0.4) x 3.14360 = 4.71540
    # -> 4.71540 / 5.71540 = 0.825034
    odds = 0.6 / 0.4 * item["applied"]
    assert moved[CLAIM]["before"] == pytest.approx(0.6)
    assert moved[CLAIM]["after"] == pytest.approx(odds / (1 + odds), abs=1e-6)
    assert moved[CLAIM]["after"] == pytest.approx(0.825034, abs=2e-5)
    assert "result" in moved[CLAIM]["why"][0]
    deltas = [abs(m["delta"]) for m in data["moved"]]
    assert deltas == sorted(deltas, reverse=True) and all(d > 0.005 for d in deltas)
    assert set(data["thesis"]) == {"title", "before", "after", "interval"}
    assert data["thesis"]["after"] > data["thesis"]["before"]
    stored = project.parent / "thesis.results" / f"{item['id']}.json"
    assert stored.is_file()


def test_score_uses_results_and_detach_restores_exactly(project: Path) -> None:
    original = score_json(project)
    result_file = write(project.parent / "r.json", result_data(*FOR))
    assert attach(str(project), str(result_file)).exit_code == 0
    with_results = score_json(project)
    assert with_results["thesis"]["credence"] > original["thesis"]["credence"]
    assert score_json(project, "--no-results") == original
    listed = runner.invoke(app, ["results", "list", str(project), "--format", "json"])
    (item,) = json.loads(listed.output)["results"]
    out = runner.invoke(app, ["results", "detach", str(project), item["id"][:6]])
    assert out.exit_code == 0, out.output
    assert score_json(project) == original
    assert not (project.parent / "thesis.results").exists()


def test_all_semantics_take_results(project: Path) -> None:
    before = score_json(project, "--all-semantics")
    result_file = write(project.parent / "r.json", result_data(*FOR))
    assert attach(str(project), str(result_file)).exit_code == 0
    after = score_json(project, "--all-semantics")
    for name, data in after["semantics"].items():
        old = before["semantics"][name]["claims"][CLAIM]["credence"]
        new = data["claims"][CLAIM]["credence"]
        assert new > old, name


def test_result_against_lowers_as_readily(project: Path) -> None:
    up = write(project.parent / "up.json", result_data(*FOR))
    down = write(project.parent / "down.json", result_data(FOR[1], FOR[0]))  # arms swapped
    a = json.loads(attach(str(project), str(up), "--dry-run", "--format", "json", "-n", "0").output)
    b = json.loads(attach(str(project), str(down), "--dry-run", "--format", "json", "-n", "0").output)
    moved_up = {m["title"]: m for m in a["moved"]}[CLAIM]
    moved_down = {m["title"]: m for m in b["moved"]}[CLAIM]
    assert moved_down["after"] < 0.6 < moved_up["after"]
    # in log-odds, the mirrored result moves the claim exactly as far down as up (BF+-)
    (item_up,), (item_down,) = a["results"], b["results"]
    assert item_up["applied"] * item_down["applied"] == pytest.approx(1.0, rel=1e-12)
    lift = logit(moved_up["after"]) - logit(0.6)
    drop = logit(moved_down["after"]) - logit(0.6)
    assert drop == pytest.approx(-lift, abs=1e-5)  # credences are reported to 6 decimals
    assert not (project.parent / "thesis.results").exists()  # --dry-run stored nothing


def test_lower_is_better_flips_direction(project: Path) -> None:
    data = result_data(*FOR)
    data["comparison"]["direction"] = "lower"
    out = attach(str(project), str(write(project.parent / "r.json", data)), "--dry-run", "--format", "json")
    (item,) = json.loads(out.output)["results"]
    assert item["effect_size"] < 0 and item["bf_plus0"] < 1


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ('{"claim": "x", "runs": [', "R101"),
        ({"claim": CLAIM, "runs": []}, "R102"),
        ('{"claim": "Clear Morning Persists", "comparison": {"method": "new", "baseline": "old", '
         '"metric": "acc"}, "runs": [{"seed": 0, "method": "new", "metrics": {"acc": NaN}}]}', "R103"),
        (result_data([0.7], [0.6]), "R104"),
        (result_data(*FOR, claim="Clear Morning Persist"), "R105"),
    ],
)  # fmt: skip
def test_bad_results_files_store_nothing(project: Path, content: Any, code: str) -> None:
    before = project.read_bytes()
    out = attach(str(project), str(write(project.parent / "bad.json", content)))
    assert out.exit_code == 1
    assert f"error[{code}]" in out.output
    assert not (project.parent / "thesis.results").exists()
    assert project.read_bytes() == before
    if code == "R105":
        assert "did you mean [Clear Morning Persists]" in out.output


def test_duplicate_is_refused(project: Path) -> None:
    result_file = write(project.parent / "r.json", result_data(*FOR))
    assert attach(str(project), str(result_file)).exit_code == 0
    out = attach(str(project), str(result_file), "--weight", "0.9")
    assert out.exit_code == 1 and "error[R106]" in out.output
    assert len(list((project.parent / "thesis.results").glob("*.json"))) == 1


def test_csv_attach_matches_json_attach(project: Path) -> None:
    rows = ["seed,method,acc,loss"]
    for seed, (a, b) in enumerate(zip(*FOR, strict=True)):
        rows += [f"{seed},new,{a},1.0", f"{seed},old,{b},1.1"]
    csv_file = write(project.parent / "runs.csv", "\n".join(rows) + "\n")
    out = attach(
        str(project), str(csv_file), "--claim", CLAIM, "--method", "new", "--baseline", "old",
        "--metric", "acc", "--dry-run", "--format", "json", "-n", "0",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    via_json = attach(
        str(project), str(write(project.parent / "r.json", result_data(*FOR))), "--dry-run",
        "--format", "json", "-n", "0",
    )  # fmt: skip
    a, b = json.loads(out.output)["results"][0], json.loads(via_json.output)["results"][0]
    assert a["bf_plus0"] == pytest.approx(b["bf_plus0"]) and a["ci"] == pytest.approx(b["ci"])
    missing = attach(str(project), str(csv_file), "--claim", CLAIM)
    assert missing.exit_code == 1 and "R102" in missing.output


def test_csv_parsing_errors() -> None:
    from argmap.results.csv import CsvError, parse_runs_csv

    parsed = parse_runs_csv("seed,method,acc\n0,a,0.5\n0,b,\n1,a,0.6\n")
    assert parsed.methods == ["a", "b"] and parsed.metrics == ["acc"]
    assert parsed.runs[1]["metrics"] == {}
    for text, code in [
        ("", "R101"),
        ("method,seed,acc\n", "R102"),
        ("seed,method,acc\nx,a,0.5\n", "R102"),
        ("seed,method,acc\n0,a,zero\n", "R102"),
        ("seed,method,acc\n0,a,0.5\n0,a,0.6\n", "R102"),
        ("seed,method,acc\n0,a,inf\n", "R103"),
        ("seed,method,acc\n0,a,nan\n", "R103"),
    ]:
        with pytest.raises(CsvError) as info:
            parse_runs_csv(text)
        assert info.value.code == code, text


def test_schema_validates_results_with_jsonschema() -> None:
    import jsonschema  # type: ignore[import-untyped]

    out = runner.invoke(app, ["results", "schema"])
    schema = json.loads(out.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    good = result_data(*FOR, setup={"model": "m", "dataset": "d", "steps": 10}, provenance={"tool": "t"})
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"claim": CLAIM, "runs": []}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "comparison": {**good["comparison"], "direction": "up"}}, schema)


def test_into_map_appends_and_keeps_every_other_byte(project: Path) -> None:
    before_bytes = project.read_bytes()
    before = score_json(project, "--no-results")
    result_file = write(project.parent / "r.json", result_data(*FOR))
    assert attach(str(project), str(result_file), "--into-map").exit_code == 0
    after_bytes = project.read_bytes()
    assert after_bytes.startswith(before_bytes)
    added = after_bytes[len(before_bytes) :].decode()
    assert "#experiment" in added and "(thesis.results/" in added
    # it supports the claim in the text (the result favours it) ...
    assert added.endswith(f"\n  +> [{CLAIM}]\n")
    # ... but the scoring mapping adds no edge for a linked result: scores are unchanged
    assert score_json(project, "--no-results") == before


def test_guards_floor_cap_and_group() -> None:
    from argmap.results.evidence import assess
    from argmap.results.model import Result

    tiny = result_data([0.7001, 0.7002, 0.7001, 0.7002, 0.7001], [0.7, 0.7001, 0.7, 0.7001, 0.7])
    raw = assess([Result.model_validate(tiny).with_id()])[0]
    assert raw.bf_plus0 > 1e6  # a deterministic model: seed sd 5e-5
    assert any(g.startswith("cap") for g in raw.guards)
    assert raw.log_applied == pytest.approx(0.5 * 2 * math.log(10))  # 100 ^ 0.5
    tiny["comparison"]["min_effect"] = {"acc": 0.01}
    floored = assess([Result.model_validate(tiny).with_id()])[0]
    assert any(g.startswith("floor") for g in floored.guards)
    assert abs(floored.log_applied) < 0.5 * math.log(10)
    a = Result.model_validate(result_data(*FOR, setup={"model": "m", "dataset": "d"})).with_id()
    b = Result.model_validate(
        result_data(FOR[0], [0.70, 0.71, 0.70, 0.70, 0.71], setup={"model": "m", "dataset": "d"})
    )
    b = b.with_id()
    alone = assess([a])[0]
    pair = assess([a, b])
    assert pair[0].log_applied == pytest.approx(alone.log_applied / 2)
    assert all(any(g.startswith("group") for g in e.guards) for e in pair)

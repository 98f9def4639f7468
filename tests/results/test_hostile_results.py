"""Hostile results files (issue 16, groups 2 and 3): every one is a diagnostic with a
code, never a traceback, never a silent half-read, never text pasted into the map."""

from __future__ import annotations

import json
import math
import os
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.results import stats
from argmap.results.csv import CsvError, parse_runs_csv
from argmap.results.validate import load_result, parse_result_json
from tests.results.test_attach import CLAIM, FOR, result_data

runner = CliRunner()


def codes(text: str) -> list[str]:
    loaded = parse_result_json(text, "r.json")
    assert (loaded.result is None) == bool(loaded.diagnostics)
    return [d.code for d in loaded.diagnostics]


def good() -> dict[str, Any]:
    return result_data(*FOR)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 50_000 + "]" * 50_000, "R102"),  # RecursionError in json.loads before
        ('{"a":' * 3_000 + "1" + "}" * 3_000, "R102"),
        ('{"claim": "X", "runs": [{"seed": ' + "7" * 4_301 + "}]}", "R103"),  # ValueError before
        ('{"claim": "X", "runs": [{"seed": -' + "1" * 10_000 + "}]}", "R103"),
        ('{"claim": "A", "claim": "B"}', "R102"),
        ("[1e999]", "R103"),
        ('{"x": -Infinity}', "R103"),
        ("\ufeff{}", "R101"),
        ("", "R101"),
    ],
)
def test_hostile_json_is_a_coded_diagnostic(text: str, code: str) -> None:
    assert code in codes(text)


def test_duplicate_keys_in_a_run_are_refused() -> None:
    text = json.dumps(good())
    doubled = text.replace('"metrics": {"acc": 0.74}', '"metrics": {"acc": 0.74, "acc": 0.99}')
    assert doubled != text
    assert codes(doubled) == ["R102"]


def test_a_seed_listed_twice_is_refused() -> None:
    data = good()
    data["runs"].append(dict(data["runs"][0]))
    assert codes(json.dumps(data)) == ["R102"]


def test_every_run_listed_twice_is_refused() -> None:
    data = good()
    data["runs"] = data["runs"] + data["runs"]
    (problem,) = parse_result_json(json.dumps(data), "r.json").diagnostics
    assert problem.code == "R102" and "twice" in problem.message


@pytest.mark.parametrize("value", ['"0.74"', "true", "false", "null", '"nan"', "[0.74]", '{"v": 0.7}'])
def test_a_metric_that_is_not_a_json_number_is_refused(value: str) -> None:
    text = json.dumps(good()).replace("0.74", value, 1)
    assert codes(text) == ["R102"]


@pytest.mark.parametrize("seed", ['"0"', "true", "0.0", "1e3"])
def test_a_seed_that_is_not_a_json_integer_is_refused(seed: str) -> None:
    text = json.dumps(good()).replace('"seed": 0', f'"seed": {seed}', 1)
    assert codes(text) == ["R102"]


def test_integers_are_still_numbers() -> None:
    text = json.dumps(result_data([1, 0.7, 0.75, 0.69, 0.73], FOR[1]))
    assert codes(text) == []


def test_a_csv_field_over_the_csv_limit_is_r101() -> None:
    text = 'seed,method,acc\n0,a,"' + "x" * 200_000 + '"\n'
    with pytest.raises(CsvError) as caught:
        parse_runs_csv(text)
    assert caught.value.code == "R101" and caught.value.line == 2


@pytest.mark.parametrize(
    "row", ["9" * 5_000 + ",a,1", "0,a," + "1" * 5_000, '0,a,"' + "9" * 400 + '.5"', "0,a,True"]
)
def test_csv_cells_out_of_range_give_short_messages(row: str) -> None:
    with pytest.raises(CsvError) as caught:
        parse_runs_csv("seed,method,acc\n" + row + "\n")
    assert len(str(caught.value)) < 200


def test_a_results_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("seed,method,acc\n" + "0,a,0.5\n" * 2_000, encoding="utf-8")
    loaded = load_result(path, max_bytes=1_000)
    assert loaded.result is None and loaded.unreadable
    assert "1,000-byte limit" in loaded.diagnostics[0].message


def test_a_sparse_500_mb_csv_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:  # sparse: no disk space, no time
        handle.truncate(500 * 1024 * 1024)
    loaded = load_result(path)
    assert loaded.unreadable and loaded.diagnostics[0].code == "R101"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_a_results_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    os.mkfifo(path)
    loaded = load_result(path)
    assert loaded.unreadable and "FIFO" in loaded.diagnostics[0].message


def test_attach_of_a_missing_file_exits_two(project: Path) -> None:
    out = runner.invoke(app, ["attach", str(project), str(project.parent / "missing.json")])
    assert out.exit_code == 2


def test_attach_of_an_invalid_file_exits_one(project: Path) -> None:
    bad = project.parent / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert runner.invoke(app, ["attach", str(project), str(bad)]).exit_code == 1


INJECTIONS = {
    "method": "new\n[Injected]: text.\n  + [Picnic Stays Dry]\n===\nx",
    "baseline": "old\r\n<Evil>: arg",
    "metric": "acc {credence: 1.0}",
    "claim": CLAIM + "]\n  + [Picnic Stays Dry",
}


@pytest.mark.parametrize("field", list(INJECTIONS))
def test_attach_into_map_refuses_text_that_is_not_a_title(project: Path, field: str) -> None:
    data = good()
    value = INJECTIONS[field]
    if field == "claim":
        data["claim"] = value
    else:
        old = data["comparison"][field]
        data["comparison"][field] = value
        key = "method" if field in ("method", "baseline") else None
        for run in data["runs"]:
            if key and run["method"] == old:
                run["method"] = value
            if field == "metric":
                run["metrics"] = {value: run["metrics"]["acc"]}
    path = project.parent / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = project.read_bytes()
    out = runner.invoke(app, ["attach", str(project), str(path), "--into-map"])
    assert out.exit_code == 1, out.output
    assert project.read_bytes() == before
    assert not (project.parent / "thesis.results").exists()
    if field != "claim":  # a claim not in the map is R105 before anything else
        assert "R110" in out.output


def test_attach_into_map_still_writes_a_plain_result(project: Path) -> None:
    path = project.parent / "r.json"
    path.write_text(json.dumps(good()), encoding="utf-8")
    out = runner.invoke(app, ["attach", str(project), str(path), "--into-map"])
    assert out.exit_code == 0, out.output
    assert "#experiment" in project.read_text(encoding="utf-8")


def _bf_plus0_by_noncentral_t(t: float, n: float, df: float, r: float) -> float:
    """BF+0 straight from its definition (nct likelihood against a half-Cauchy prior),
    an independent route that works while scipy's nct density does (df < ~300)."""
    from scipy import integrate
    from scipy import stats as sps

    def integrand(delta: float) -> float:
        return float(sps.nct.pdf(t, df, delta * math.sqrt(n)) * 2 * sps.cauchy.pdf(delta, 0, r))

    total, _ = integrate.quad(integrand, 0, math.inf, limit=200)
    return total / float(sps.t.pdf(t, df))


@pytest.mark.parametrize(("t", "n"), [(2.0, 150), (-1.5, 120), (0.4, 40), (3.0, 60)])
def test_directional_bf_agrees_with_the_noncentral_t_definition(t: float, n: int) -> None:
    r = stats.DEFAULT_R
    for positive in (True, False):
        ours = math.exp(stats.log_bf_directional(t, n, n - 1, r, positive=positive))
        reference = _bf_plus0_by_noncentral_t(t if positive else -t, n, n - 1, r)
        assert ours == pytest.approx(reference, rel=1e-4)


def test_a_thousand_paired_seeds_give_finite_bayes_factors() -> None:
    # nct's gamma functions overflowed here (OverflowError from boost's tgamma)
    factors = stats.bayes_factors(2.1, 1000, 999)
    assert all(math.isfinite(v) for v in (factors.log_bf10, factors.log_bf_plus0, factors.log_bf_plus_minus))
    assert factors.bf_plus0 == pytest.approx(
        2 * factors.bf10 - math.exp(stats.log_bf_directional(2.1, 1000, 999, positive=False)), rel=1e-6
    )
    up, down = stats.bayes_factors(2.1, 1000, 999), stats.bayes_factors(-2.1, 1000, 999)
    assert up.log_bf_plus_minus == -down.log_bf_plus_minus > 0


def test_attach_with_a_thousand_seeds(project: Path) -> None:
    rng = random.Random(16)
    method = [0.72 + rng.gauss(0, 0.01) for _ in range(1000)]
    baseline = [0.71 + rng.gauss(0, 0.01) for _ in range(1000)]
    path = project.parent / "r.json"
    path.write_text(json.dumps(result_data(method, baseline)), encoding="utf-8")
    out = runner.invoke(app, ["attach", str(project), str(path), "--format", "json"])
    assert out.exit_code == 0, out.output


OVERFLOWING = {
    # each value is finite, but their difference (or its square) is not: the campaign's
    # F9 got `difference +inf [+nan, +nan]`, exit 0 and raw numpy warnings
    "difference overflows": ([1e308] * 5, [-1e308] * 5),
    "square of the deviations overflows": ([1e308, -1e308, 1e308, -1e308, 1e308], [0.0] * 5),
    "just past the bound": ([1.0000001e100, 0.7, 0.7, 0.7, 0.7], [0.7] * 5),
}


@pytest.mark.parametrize("name", list(OVERFLOWING))
def test_values_whose_differences_overflow_are_r103(
    project: Path, tmp_path: Path, name: str, recwarn: pytest.WarningsRecorder
) -> None:
    method, baseline = OVERFLOWING[name]
    text = json.dumps(result_data(method, baseline), indent=1)
    loaded = parse_result_json(text, "huge.json")
    assert loaded.result is None
    (found,) = loaded.diagnostics
    assert found.code == "R103" and "1e+100" in found.message
    assert text.splitlines()[found.line - 1].endswith(("1e+308", "1.0000001e+100"))  # at the value
    path = tmp_path / "huge.json"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["attach", str(project), str(path), "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "R103" in result.output and "inf" not in result.output and "nan" not in result.output
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize(
    ("method", "baseline"),
    [([1e-320] * 5, [-1e-320] * 5), ([0.7, 0.7, 0.7, 0.7, 5e-101], [0.7] * 5)],
    ids=["subnormal", "just-below-the-bound"],
)
def test_values_too_near_zero_are_r103(method: list[float], baseline: list[float]) -> None:
    # 1e-320 against -1e-320 is rounding noise in the last bits of a double: its "effect"
    # got the largest evidence factor before (hostile campaign, results F9's remainder)
    (found,) = parse_result_json(json.dumps(result_data(method, baseline), indent=1), "tiny.json").diagnostics
    assert found.code == "R103" and "1e-100" in found.message


def test_zero_and_values_within_the_bounds_are_accepted() -> None:
    assert codes(json.dumps(result_data([0.0, 1e-100, 0.5, 0.5, 0.5], [0.0, 0.2, 0.4, 0.4, 0.4]))) == []


def test_large_values_within_the_bound_give_finite_statistics() -> None:
    method, baseline = [1e100, 0.9e100, 1e100, 0.95e100, 1e100], [-1e100, -0.9e100, -1e100, -1e100, -0.8e100]
    assert codes(json.dumps(result_data(method, baseline))) == []
    design = stats.paired_design(method, baseline)
    assert math.isfinite(design.mean_difference) and math.isfinite(design.se) and design.se > 0
    # hand-derived: differences 2e100, 1.8e100, 2e100, 1.95e100, 1.8e100 -> mean 1.91e100
    assert design.mean_difference == pytest.approx(1.91e100)


def minified_runs(seeds: int) -> str:
    rng = random.Random(2)
    runs = [
        {"seed": seed, "method": arm, "metrics": {"acc": round(0.7 + rng.gauss(0, 0.02), 4)}}
        for seed in range(seeds)
        for arm in ("new", "old")
    ]
    data = {"claim": CLAIM, "comparison": {"method": "new", "baseline": "old", "metric": "acc"}, "runs": runs}
    return json.dumps(data, separators=(",", ":"))


def peak_of(action: Any) -> tuple[Any, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        value = action()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_results_file_costs_memory_in_proportion_to_its_size(tmp_path: Path) -> None:
    # the campaign's F10: a 44 MB file (then under the 64 MiB limit) peaked at 1.5 GB
    from argmap.results.validate import BYTES_PER_FILE_BYTE

    path = tmp_path / "many.json"
    path.write_text(minified_runs(10_000), encoding="utf-8")  # about 1.1 MB
    loaded, peak = peak_of(lambda: load_result(path))
    assert loaded.result is not None and len(loaded.result.runs) == 20_000
    assert peak <= BYTES_PER_FILE_BYTE * path.stat().st_size


def test_a_file_over_the_limit_is_refused_unread_so_the_peak_is_bounded(tmp_path: Path) -> None:
    from argmap.results.validate import BYTES_PER_FILE_BYTE, MAX_RESULT_BYTES

    path = tmp_path / "huge.json"
    text = minified_runs(1_000)
    path.write_text(text[:-1] + " " * (MAX_RESULT_BYTES - len(text)) + "}", encoding="utf-8")
    assert path.stat().st_size == MAX_RESULT_BYTES  # at the limit: still read
    with path.open("a", encoding="utf-8") as handle:
        handle.write(" ")  # one byte over
    loaded, peak = peak_of(lambda: load_result(path))
    assert loaded.result is None and loaded.unreadable
    assert peak < 1024 * 1024  # not read
    # with the proportional cost above, the worst file read costs at most this much
    assert BYTES_PER_FILE_BYTE * MAX_RESULT_BYTES <= 400 * 1024 * 1024


def test_a_large_attached_result_stays_readable_from_the_store(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    path.write_text(minified_runs(25_000), encoding="utf-8")  # 2.7 MB; 2.5x that when indented
    assert runner.invoke(app, ["attach", str(project), str(path)]).exit_code == 0
    listed = runner.invoke(app, ["results", "list", str(project)])
    assert listed.exit_code == 0 and "skipped" not in listed.output.lower()

"""Reading a results file (JSON or CSV) into a `Result`, or diagnostics with codes.

Codes (registered in `argmap.rules.results_codes`, explained by `argmap rule CODE`):
R101 unreadable or invalid JSON/CSV, R102 not the result schema, R103 NaN or infinite
value, R104 fewer than two seeds in an arm, R105 unknown claim title (with a
did-you-mean), R106 duplicate of an attached result, R107 a path outside the project
root. Any of them means nothing is stored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argmap.diagnostics import Diagnostic, Level
from argmap.results.model import Comparison, Direction, Result


@dataclass
class CsvOptions:
    claim: str | None = None
    method: str | None = None
    baseline: str | None = None
    metric: str | None = None
    lower_is_better: bool = False
    min_effect: float | None = None
    model: str | None = None
    dataset: str | None = None


@dataclass
class Loaded:
    result: Result | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def diagnostic(code: str, message: str, file: str, line: int = 1, hint: str | None = None) -> Diagnostic:
    return Diagnostic(
        code=code,
        level=Level.ERROR,
        message=message,
        file=file,
        line=max(1, line),
        column=1,
        end_line=max(1, line),
        end_column=2,
        hint=hint,
    )


def load_result(path: str | Path, options: CsvOptions | None = None) -> Loaded:
    """Read `path` (a `.csv` is long-form runs, anything else JSON) and validate it."""
    name = str(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Loaded(None, [diagnostic("R101", f"cannot read results file: {exc}", name)])
    if name.lower().endswith(".csv"):
        return _from_csv(text, name, options or CsvOptions())
    return parse_result_json(text, name, options)


def parse_result_json(text: str, name: str = "<result>", options: CsvOptions | None = None) -> Loaded:
    constants: list[str] = []

    def constant(token: str) -> float:
        constants.append(token)
        return float("nan")

    try:
        data = json.loads(text, parse_constant=constant)
    except json.JSONDecodeError as exc:
        return Loaded(
            None,
            [
                diagnostic(
                    "R101", f"invalid JSON: {exc.msg}", name, exc.lineno, "check the file is complete JSON"
                )
            ],
        )
    if constants:
        return Loaded(
            None,
            [
                diagnostic(
                    "R103",
                    f"the file holds {constants[0]}: every value must be a finite number",
                    name,
                    _line_of(text, constants[0]),
                    "a diverged run has no meaningful value: rerun it or leave it out",
                )
            ],
        )
    if isinstance(data, dict) and options is not None and options.claim and "claim" not in data:
        data["claim"] = options.claim
    return _validate(data, name, text)


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return 1 if index < 0 else text.count("\n", 0, index) + 1


def _validate(data: Any, name: str, text: str = "") -> Loaded:
    from pydantic import ValidationError

    try:
        result = Result.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(p) for p in error["loc"]) or "(top level)"
            problems.append(f"{where}: {error['msg']}")
        return Loaded(
            None,
            [
                diagnostic(
                    "R102",
                    "not an argmap result: " + "; ".join(problems),
                    name,
                    hint="see `argmap results schema` for the format",
                )
            ],
        )
    found = list(semantic_problems(result, name))
    if found:
        return Loaded(None, found)
    return Loaded(result.with_id())


def semantic_problems(result: Result, name: str) -> Iterable[Diagnostic]:
    c = result.comparison
    for run in result.runs:
        for metric, value in run.metrics.items():
            if not math.isfinite(value):
                yield diagnostic("R103", f"`{metric}` of seed {run.seed} of `{run.method}` is {value}", name)
                return
    for metric, value in c.min_effect.items():
        if not math.isfinite(value) or value < 0:
            yield diagnostic(
                "R103", f"min_effect of `{metric}` must be a finite number >= 0, got {value}", name
            )
            return
    if c.method == c.baseline:
        yield diagnostic("R102", f"method and baseline are both `{c.method}`", name)
        return
    methods = {run.method for run in result.runs}
    for arm in (c.method, c.baseline):
        if arm not in methods:
            yield diagnostic(
                "R102",
                f"no runs of `{arm}`",
                name,
                hint=f"methods in the runs: {', '.join(sorted(methods))}",
            )
            return
    for arm in (c.method, c.baseline):
        seeds = result.arm(arm)
        if len(seeds) < 2:
            yield diagnostic(
                "R104",
                f"`{arm}` has {len(seeds)} seed(s) with `{c.metric}`: at least two are needed for a variance",
                name,
                hint="run more seeds; a single run says nothing about seed-to-seed variation",
            )
            return


def _from_csv(text: str, name: str, options: CsvOptions) -> Loaded:
    from argmap.results.csv import CsvError, parse_runs_csv

    try:
        parsed = parse_runs_csv(text)
    except CsvError as exc:
        return Loaded(None, [diagnostic(exc.code, str(exc), name, exc.line, exc.hint)])
    missing = [flag for flag, value in (("--claim", options.claim),) if not value]
    method, baseline, metric = options.method, options.baseline, options.metric
    if method is None and baseline is None and len(parsed.methods) == 2:
        missing.append("--method/--baseline")
    elif method is None or baseline is None:
        missing.append("--method and --baseline")
    if metric is None:
        if len(parsed.metrics) == 1:
            metric = parsed.metrics[0]
        else:
            missing.append("--metric")
    if missing:
        return Loaded(
            None,
            [
                diagnostic(
                    "R102",
                    f"a CSV of runs needs {', '.join(missing)} to say what it compares",
                    name,
                    hint=f"methods: {', '.join(parsed.methods)}; metrics: {', '.join(parsed.metrics)}",
                )
            ],
        )
    if metric not in parsed.metrics:
        return Loaded(
            None,
            [diagnostic("R102", f"no column `{metric}`", name, hint=f"metrics: {', '.join(parsed.metrics)}")],
        )
    assert method is not None and baseline is not None
    comparison = Comparison(
        method=method,
        baseline=baseline,
        metric=metric,
        direction=Direction.LOWER if options.lower_is_better else Direction.HIGHER,
        min_effect={metric: options.min_effect} if options.min_effect is not None else {},
    )
    data: dict[str, Any] = {
        "claim": options.claim,
        "comparison": comparison.model_dump(mode="json"),
        "runs": parsed.runs,
        "setup": {"model": options.model, "dataset": options.dataset},
        "provenance": {"tool": "csv", "source": Path(name).name},
    }
    return _validate(data, name)


def check_claim(result: Result, titles: Iterable[str], name: str) -> Diagnostic | None:
    """R105 when the claim is not a statement of the map, with the closest titles."""
    known = list(titles)
    if result.claim in known:
        return None
    import difflib

    close = difflib.get_close_matches(result.claim, known, n=3, cutoff=0.5)
    lowered = {t.lower(): t for t in known}
    if result.claim.lower() in lowered:
        close = [lowered[result.claim.lower()], *[c for c in close if c != lowered[result.claim.lower()]]]
    hint = (
        f"did you mean {', '.join(f'[{c}]' for c in close)}?"
        if close
        else "check the claim's title in the map"
    )
    return diagnostic("R105", f"no claim [{result.claim}] in the map", name, hint=hint)

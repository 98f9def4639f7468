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

from argmap.diagnostics import Diagnostic, Level, Region
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
    unreadable: bool = False  # an I/O problem (exit 2), not a bad file (exit 1)


def diagnostic(code: str, message: str, file: str, line: int = 1, hint: str | None = None) -> Diagnostic:
    return Diagnostic.at(code, Level.ERROR, message, file, Region.on_line(line), hint)


# A results file holds a few hundred runs (a few hundred KB). Reading one builds a
# Python object per value (the decoded JSON, then the validated model, then the JSON
# its id hashes): about 32 bytes of memory per byte of a minified file, measured with
# tracemalloc (tests/results/test_hostile_results.py). 8 MiB, some 70,000 seeds of two
# arms, is far beyond any real file and keeps the peak near 300 MB; at 64 MiB a file
# within the limit needed 1.5 GB.
MAX_RESULT_BYTES = 8 * 1024 * 1024
BYTES_PER_FILE_BYTE = 40  # the bound the memory test holds reading to (measured: ~32)
MAX_JSON_DEPTH = 32  # the format nests 4 deep (runs -> run -> metrics -> value)
MAX_INT_DIGITS = 30  # seeds and step counts; Python refuses ints over 4,300 digits


def read_results_text(path: str | Path, max_bytes: int = MAX_RESULT_BYTES) -> str:
    """The text of a results file: a regular file, UTF-8, at most `max_bytes`."""
    from argmap.fileio import read_regular_text

    return read_regular_text(path, max_bytes)


def load_result(
    path: str | Path, options: CsvOptions | None = None, max_bytes: int = MAX_RESULT_BYTES
) -> Loaded:
    """Read `path` (a `.csv` is long-form runs, anything else JSON) and validate it."""
    name = str(path)
    try:
        text = read_results_text(name, max_bytes)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Loaded(None, [diagnostic("R101", f"cannot read results file: {reason}", name)], True)
    except UnicodeDecodeError as exc:
        return Loaded(None, [diagnostic("R101", f"results file is not UTF-8: {exc.reason}", name)])
    if name.lower().endswith(".csv"):
        return _from_csv(text, name, options or CsvOptions())
    return parse_result_json(text, name, options)


class _Refused(ValueError):
    """A JSON value the result format never holds (raised from the decoder's hooks)."""

    def __init__(self, code: str, message: str, needle: str) -> None:
        super().__init__(message)
        self.code = code
        self.needle = needle


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            # json.loads keeps the last one silently: two runs' worth of one metric, or
            # two claims, would be half-read
            raise _Refused("R102", f"key `{key[:80]}` appears twice in one object", f'"{key}"')
        seen[key] = value
    return seen


def _integer(token: str) -> int:
    digits = len(token.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Refused("R103", f"an integer with {digits:,} digits", token[:40])
    return int(token)


def _number(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):  # 1e999: beyond a double, read as infinity
        raise _Refused("R103", f"the number {token[:40]} is beyond the range of a float", token[:40])
    return value


def _constant(token: str) -> float:
    raise _Refused("R103", f"the file holds {token}: every value must be a finite number", token)


def _too_deep(data: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `data` nests deeper than `limit` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


_HINTS = {
    "R102": "see `argmap results schema` for the format",
    "R103": "a diverged run has no meaningful value: rerun it or leave it out",
}


def parse_result_json(text: str, name: str = "<result>", options: CsvOptions | None = None) -> Loaded:
    try:
        data = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_int=_integer,
            parse_float=_number,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as exc:
        return Loaded(
            None,
            [
                diagnostic(
                    "R101", f"invalid JSON: {exc.msg}", name, exc.lineno, "check the file is complete JSON"
                )
            ],
        )
    except _Refused as exc:
        hint = _HINTS[exc.code]
        return Loaded(None, [diagnostic(exc.code, str(exc), name, _line_of(text, exc.needle), hint)])
    except RecursionError:  # the decoder's own guard, thousands of levels down
        data = None
        too_deep = True
    else:
        too_deep = _too_deep(data)
    if too_deep:
        message = f"the JSON nests more than {MAX_JSON_DEPTH} levels deep; a result nests 4"
        return Loaded(None, [diagnostic("R102", message, name, 1, _HINTS["R102"])])
    if isinstance(data, dict) and options is not None and options.claim and "claim" not in data:
        data["claim"] = options.claim
    return _validate(data, name, text)


def _brief(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


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
            where = _brief(".".join(str(p) for p in error["loc"]) or "(top level)")
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
    found = list(semantic_problems(result, name, text))
    if found:
        return Loaded(None, found)
    return Loaded(result.with_id())


def _repeated_run(result: Result, name: str) -> Diagnostic | None:
    """R102 for a (seed, method) listed twice: it would count its seed twice."""
    seen: set[tuple[int, str]] = set()
    for run in result.runs:
        if (run.seed, run.method) in seen:
            return diagnostic(
                "R102",
                f"seed {run.seed} of `{_brief(run.method)}` is listed twice",
                name,
                hint="one run per seed and method: a repeated run would count its seed twice",
            )
        seen.add((run.seed, run.method))
    return None


# The statistics subtract values, square the differences and sum the squares: with
# every |value| <= 1e100 none of that can overflow a double (2e100 squared is 4e200,
# and a file within MAX_RESULT_BYTES holds fewer than 1e7 values), so no result is +inf or NaN.
MAX_METRIC_MAGNITUDE = 1e100
# ... and with every non-zero |value| >= 1e-100 no difference or square underflows (1e-320
# against -1e-320 is all rounding: its "effect" would be noise in the last bits).
MIN_METRIC_MAGNITUDE = 1e-100


def _out_of_range(result: Result, name: str, text: str) -> Diagnostic | None:
    """R103 at the first metric value that is NaN, infinite, or so large (or so close to
    zero without being zero) that a difference of two values or its square would
    overflow (or underflow)."""
    for run in result.runs:
        for metric, value in run.metrics.items():
            if value == 0 or (
                math.isfinite(value) and MIN_METRIC_MAGNITUDE <= abs(value) <= MAX_METRIC_MAGNITUDE
            ):
                continue
            what = (
                "is"
                if not math.isfinite(value)
                else f"is outside ±{MIN_METRIC_MAGNITUDE:g}..{MAX_METRIC_MAGNITUDE:g}:"
            )
            return diagnostic(
                "R103",
                f"`{_brief(metric)}` of seed {run.seed} of `{_brief(run.method)}` {what} {value:g}",
                name,
                _value_line(text, value),
                "a metric's value must be 0 or a finite number of magnitude 1e-100 to 1e100 "
                "(rescale it), so that the differences of two runs and their squares stay exact enough",
            )
    return None


def _value_line(text: str, value: float) -> int:
    for token in (json.dumps(value), repr(value), f"{value:g}", f"{value:e}".replace("e+", "e")):
        if token in text:
            return _line_of(text, token)
    return 1


def semantic_problems(result: Result, name: str, text: str = "") -> Iterable[Diagnostic]:
    c = result.comparison
    bad_value = _out_of_range(result, name, text)
    if bad_value is not None:
        yield bad_value
        return
    for metric, value in c.min_effect.items():
        if not math.isfinite(value) or value < 0:
            yield diagnostic(
                "R103", f"min_effect of `{_brief(metric)}` must be a finite number >= 0, got {value}", name
            )
            return
    if c.method == c.baseline:
        yield diagnostic("R102", f"method and baseline are both `{_brief(c.method)}`", name)
        return
    repeated = _repeated_run(result, name)
    if repeated is not None:
        yield repeated
        return
    methods = {run.method for run in result.runs}
    for arm in (c.method, c.baseline):
        if arm not in methods:
            yield diagnostic(
                "R102",
                f"no runs of `{_brief(arm)}`",
                name,
                hint=f"methods in the runs: {', '.join(sorted(methods))}",
            )
            return
    for arm in (c.method, c.baseline):
        seeds = result.arm(arm)
        if len(seeds) < 2:
            yield diagnostic(
                "R104",
                f"`{_brief(arm)}` has {len(seeds)} seed(s) with `{_brief(c.metric)}`: "
                "at least two are needed for a variance",
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
            [
                diagnostic(
                    "R102",
                    f"no column `{_brief(metric or '')}`",
                    name,
                    hint=f"metrics: {', '.join(parsed.metrics)}",
                )
            ],
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

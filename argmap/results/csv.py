"""Per-seed metrics in long form: one row per seed and method.

    seed,method,eval_acc,eval_loss
    0,pissa,0.712,1.203
    0,lora,0.698,1.240
    ...

Columns: `seed` (an integer), `method`, then one column per metric (numbers; an empty
cell means the run has no value for that metric). The comparison (claim, method,
baseline, metric, direction) comes from the command line.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass


class CsvError(ValueError):
    def __init__(self, code: str, message: str, line: int = 1, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.hint = hint


@dataclass
class CsvRuns:
    runs: list[dict[str, object]]  # {"seed", "method", "metrics"}
    methods: list[str]
    metrics: list[str]


def parse_runs_csv(text: str) -> CsvRuns:
    """Read the long-form CSV; raises CsvError (code R101 unreadable, R102 wrong
    columns or cells, R103 NaN or infinite values)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:  # a field over the csv module's limit (128 KB), a NUL byte
        raise CsvError(
            "R101",
            f"unreadable CSV: {exc}",
            line=reader.line_num,
            hint="a runs CSV holds short cells: seed, method and numbers",
        ) from None
    if not rows:
        raise CsvError("R101", "the CSV file is empty", hint="write a header `seed,method,<metric>...`")
    header = [cell.strip() for cell in rows[0]]
    if len(header) < 3 or header[0] != "seed" or header[1] != "method":
        raise CsvError(
            "R102",
            f"the CSV header must be `seed,method,<metric>...`, got `{_brief(','.join(header))}`",
            hint="long form: one row per seed and method, one column per metric",
        )
    metrics = header[2:]
    if len(set(metrics)) != len(metrics) or any(not m for m in metrics):
        raise CsvError("R102", "metric columns must have distinct, non-empty names")
    runs: list[dict[str, object]] = []
    methods: dict[str, None] = {}
    seen: set[tuple[int, str]] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if len(cells) != len(header):
            raise CsvError("R102", f"row has {len(cells)} cells, the header {len(header)}", line=number)
        try:
            if len(cells[0]) > 30:  # int() of 4,300+ digits raises; no seed is that long
                raise ValueError
            seed = int(cells[0])
        except ValueError:
            raise CsvError("R102", f"seed `{_brief(cells[0])}` is not an integer", line=number) from None
        method = cells[1]
        if not method:
            raise CsvError("R102", "empty method name", line=number)
        if (seed, method) in seen:
            raise CsvError("R102", f"seed {seed} of `{_brief(method)}` appears twice", line=number)
        seen.add((seed, method))
        values = _metric_values(metrics, cells[2:], f"seed {seed} of `{_brief(method)}`", number)
        methods.setdefault(method, None)
        runs.append({"seed": seed, "method": method, "metrics": values})
    return CsvRuns(runs=runs, methods=list(methods), metrics=metrics)


def _brief(cell: str) -> str:
    return cell if len(cell) <= 40 else cell[:37] + "..."


def _metric_values(metrics: list[str], cells: list[str], run: str, number: int) -> dict[str, float]:
    """A row's metric cells as numbers (an empty cell: no value); R102 / R103 otherwise."""
    values: dict[str, float] = {}
    for name, cell in zip(metrics, cells, strict=True):
        if cell == "":
            continue
        try:
            value = float(cell)
        except ValueError:
            raise CsvError(
                "R102", f"`{_brief(name)}` value `{_brief(cell)}` is not a number", line=number
            ) from None
        if not math.isfinite(value):
            raise CsvError(
                "R103",
                f"`{_brief(name)}` of {run} is {_brief(cell)}",
                line=number,
                hint="a diverged run has no meaningful value: rerun it or leave it out",
            )
        values[name] = value
    return values

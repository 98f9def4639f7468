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
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise CsvError("R101", "the CSV file is empty", hint="write a header `seed,method,<metric>...`")
    header = [cell.strip() for cell in rows[0]]
    if len(header) < 3 or header[0] != "seed" or header[1] != "method":
        raise CsvError(
            "R102",
            f"the CSV header must be `seed,method,<metric>...`, got `{','.join(header)}`",
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
            seed = int(cells[0])
        except ValueError:
            raise CsvError("R102", f"seed `{cells[0]}` is not an integer", line=number) from None
        method = cells[1]
        if not method:
            raise CsvError("R102", "empty method name", line=number)
        if (seed, method) in seen:
            raise CsvError("R102", f"seed {seed} of `{method}` appears twice", line=number)
        seen.add((seed, method))
        values = _metric_values(metrics, cells[2:], f"seed {seed} of `{method}`", number)
        methods.setdefault(method, None)
        runs.append({"seed": seed, "method": method, "metrics": values})
    return CsvRuns(runs=runs, methods=list(methods), metrics=metrics)


def _metric_values(metrics: list[str], cells: list[str], run: str, number: int) -> dict[str, float]:
    """A row's metric cells as numbers (an empty cell: no value); R102 / R103 otherwise."""
    values: dict[str, float] = {}
    for name, cell in zip(metrics, cells, strict=True):
        if cell == "":
            continue
        try:
            value = float(cell)
        except ValueError:
            raise CsvError("R102", f"`{name}` value `{cell}` is not a number", line=number) from None
        if not math.isfinite(value):
            raise CsvError(
                "R103",
                f"`{name}` of {run} is {cell}",
                line=number,
                hint="a diverged run has no meaningful value: rerun it or leave it out",
            )
        values[name] = value
    return values

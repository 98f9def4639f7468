"""The result format: one comparison of a method against a baseline on one claim.

A result says which claim it bears on (its title), what was compared (method,
baseline, metric, which direction is better, the smallest meaningful effect per
metric), the per-seed runs of each arm (paired by seed where the seeds match), the
setup and where the numbers came from. `id` is a content hash: the same data gives
the same id wherever it was written, which is how duplicates are found. The published
JSON schema (`argmap results schema`) is generated from these models.

Runs are in long form, exactly as the CSV (`seed`, `method`, one column per metric)::

    {"format": "argmap-result/1",
     "claim": "SVD Init Wins",
     "comparison": {"method": "pissa", "baseline": "lora", "metric": "eval_acc",
                    "direction": "higher", "min_effect": {"eval_acc": 0.005}},
     "runs": [{"seed": 0, "method": "pissa", "metrics": {"eval_acc": 0.712}}, ...],
     "setup": {"model": "Qwen2.5-0.5B", "dataset": "gsm8k", "steps": 500},
     "provenance": {"tool": "adapter-bench", "tool_version": "0.3.1", ...}}
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict

from argmap.results import FORMAT

# A number in a results file is a JSON number: "0.7" (a string) or true (a boolean)
# would be coerced by pydantic's lax mode and attached as data nobody measured.
Number = Annotated[float, Strict()]
Integer = Annotated[int, Strict()]


class Direction(StrEnum):
    """Which way the metric is better: `higher` (accuracy) or `lower` (loss, perplexity)."""

    HIGHER = "higher"
    LOWER = "lower"


class Comparison(BaseModel):
    """What was compared. The claim reads "`method` beats `baseline` on `metric`"."""

    model_config = ConfigDict(extra="forbid")

    method: str = Field(min_length=1, description="The arm the claim says is better (e.g. `pissa`).")
    baseline: str = Field(min_length=1, description="The arm it is compared against (e.g. `lora`).")
    metric: str = Field(min_length=1, description="The metric the comparison reads (e.g. `eval_acc`).")
    direction: Direction = Field(default=Direction.HIGHER, description="`higher` or `lower` is better.")
    min_effect: dict[str, Number] = Field(
        default_factory=dict,
        description="Smallest meaningful effect per metric, in the metric's units; the "
        "standard error is floored at it.",
    )


class Run(BaseModel):
    """One training run: one seed of one arm, with its final metrics."""

    model_config = ConfigDict(extra="forbid")

    seed: Integer
    method: str = Field(min_length=1)
    metrics: dict[str, Number]


class Setup(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str | None = Field(default=None, description="Model name; with `dataset`, the evidence group.")
    dataset: str | None = None
    steps: int | None = None
    hyperparameters: dict[str, Any] = Field(default_factory=dict)


class Provenance(BaseModel):
    model_config = ConfigDict(extra="allow")

    tool: str | None = None
    tool_version: str | None = None
    code_revision: str | None = None
    host: str | None = None
    device: str | None = None
    started: datetime | None = None
    finished: datetime | None = None


class Result(BaseModel):
    """One experimental result bearing on one claim of a map."""

    model_config = ConfigDict(extra="forbid")

    format: str = Field(default=FORMAT, description=f"Always `{FORMAT}`.")
    id: str = Field(
        default="",
        description="Content hash (sha256 of the canonical JSON without `id` "
        "and `weight`, first 16 hex digits); recomputed on load.",
    )
    claim: str = Field(min_length=1, description="Title of the claim it bears on, without brackets.")
    comparison: Comparison
    runs: list[Run] = Field(min_length=1)
    setup: Setup = Field(default_factory=Setup)
    provenance: Provenance = Field(default_factory=Provenance)
    weight: Number | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Relevance weight w in [0, 1]; the Bayes factor enters as BF^w.",
    )
    note: str | None = None

    def content_hash(self) -> str:
        data = self.model_dump(mode="json", exclude={"id", "weight"})
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def with_id(self) -> Result:
        return self.model_copy(update={"id": self.content_hash()})

    def arm(self, method: str) -> dict[int, float]:
        """seed -> value of the comparison metric for one arm (runs without it skipped)."""
        metric = self.comparison.metric
        return {
            run.seed: run.metrics[metric]
            for run in self.runs
            if run.method == method and metric in run.metrics
        }

    @property
    def group(self) -> tuple[str, str] | None:
        """(model, dataset): results sharing both are one piece of evidence."""
        if self.setup.model and self.setup.dataset:
            return (self.setup.model, self.setup.dataset)
        return None

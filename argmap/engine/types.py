"""What scoring returns, as typed objects (pydantic models): `ScoreResult` and its parts.

Their own module so that the pipeline (argmap/engine/api.py) and the analyses it runs
(cruxes, explain) all import them from here, one way. `argmap.engine.api` re-exports
them; docs/scoring.md documents the JSON form (`ScoreResult.to_json`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from argmap.diagnostics import Diagnostic
from argmap.engine.correlation import BottomLine


class ClaimScore(BaseModel):
    """One claim: `credence` is its strength at the stated inputs; `interval` the 5th-95th
    percentile over the Monte Carlo samples (None without samples)."""

    title: str
    key: str
    credence: float | None
    interval: tuple[float, float] | None = None
    mean: float | None = None
    median: float | None = None
    base: float | None = None


class Crux(BaseModel):
    """An input that matters: the tornado swing across its interval and friends."""

    input: str
    kind: str
    claim: str
    value: float
    interval: tuple[float, float]
    gradient: float
    swing: tuple[float, float]
    sobol: float | None = None
    crosses_half_at: float | None = None


class Contribution(BaseModel):
    """An argument's (or claim's) share of the thesis: removal and Shapley (Kampik et al. 2024)."""

    name: str
    removal: float
    shapley: float
    shapley_exact: bool = True


class WhatIf(BaseModel):
    set: dict[str, float] = Field(default_factory=dict)
    removed: list[str] = Field(default_factory=list)
    before: ClaimScore
    after: ClaimScore


class ExplainNode(BaseModel):
    key: str
    label: str
    relation: str = "thesis"  # thesis | support | attack | premise | undercut
    contribution: float | None = None
    base: float
    aggregate: float | None = None
    strength: float
    detail: str = ""
    children: list[ExplainNode] = Field(default_factory=list)
    repeated: bool = False


class ScoreResult(BaseModel):
    semantics: str
    path: str
    thesis: ClaimScore
    claims: dict[str, ClaimScore]
    cruxes: list[Crux] = Field(default_factory=list)
    contributions: list[Contribution] = Field(default_factory=list)
    samples: int = 0
    seed: int = 0
    concentration: float = 20.0
    converged: bool = True
    iterations: int = 0
    whatif: WhatIf | None = None
    explanation: ExplainNode | None = None
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    rho: float = 0.0
    bottom_line: BottomLine | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "semantics": self.semantics,
            "thesis": {
                "title": self.thesis.title,
                "credence": self.thesis.credence,
                "interval": list(self.thesis.interval) if self.thesis.interval else None,
                "mean": self.thesis.mean,
                "median": self.thesis.median,
            },
            "claims": {
                key: {"credence": c.credence, "interval": list(c.interval) if c.interval else None}
                for key, c in self.claims.items()
            },
            "cruxes": [c.model_dump(mode="json") for c in self.cruxes],
            "contributions": [c.model_dump(mode="json") for c in self.contributions],
            "samples": self.samples,
            "seed": self.seed,
            "concentration": self.concentration,
            "converged": self.converged,
            "diagnostics": [d.model_dump(mode="json") for d in self.diagnostics],
        }
        if self.whatif is not None:
            data["whatif"] = self.whatif.model_dump(mode="json")
        if self.explanation is not None:
            data["explanation"] = self.explanation.model_dump(mode="json")
        data["rho"] = self.rho
        if self.bottom_line is not None:
            data["bottom_line"] = self.bottom_line.model_dump(mode="json")
        return data


class ScoreError(Exception):
    """Scoring could not start (unreadable file, no thesis, bad --set): carries diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic], message: str = "") -> None:
        super().__init__(message or "; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics

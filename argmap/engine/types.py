"""What scoring returns, as typed objects (pydantic models): `ScoreResult` and its parts.

Their own module so that the pipeline (argmap/engine/api.py) and the analyses it runs
(cruxes, explain) all import them from here, one way. `argmap.engine.api` re-exports
them; docs/scoring.md documents the JSON form (`ScoreResult.to_json`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from argmap.diagnostics import Diagnostic


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

    def shown(self) -> tuple[str, str]:
        """Sobol index and 0.5 crossing as every report prints them ("" and "never" when absent)."""
        sobol = "" if self.sobol is None else f"{self.sobol:.3f}"
        return sobol, "never" if self.crosses_half_at is None else f"{self.crosses_half_at:.3f}"


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


class RhoPoint(BaseModel):
    rho: float
    credence: float | None


class ClusterPart(BaseModel):
    """What one cluster contributed to one claim: its members' strengths combined once."""

    cluster: str
    target: str
    relation: str  # support | attack
    members: list[str]
    strengths: list[float]
    combined: float


def describe_part(part: ClusterPart) -> str:
    """`#cluster-x into [T]: <A1> 0.50, <A2> 0.40 -> 1 - (1 - 0.50)(1 - 0.40) = 0.700, one supporter`."""
    members = ", ".join(f"{m} {v:.2f}" for m, v in zip(part.members, part.strengths, strict=True))
    factors = "".join(f"(1 - {v:.2f})" for v in part.strengths)
    role = "supporter" if part.relation == "support" else "attacker"
    combined = f"1 - {factors} = {part.combined:.3f}"
    return f"#cluster-{part.cluster} into {part.target}: {members} -> {combined}, one {role}"


class BottomLine(BaseModel):
    """What the thesis credence rests on: the choice of semantics and independence."""

    semantics: str
    credence: float | None
    interval: tuple[float, float] | None = None
    rho: float = 0.0
    semantics_range: tuple[float, float] | None = None
    model_range: tuple[float, float] | None = None
    by_semantics: dict[str, float | None] = Field(default_factory=dict)
    rho_applies: bool = True
    rho_sweep: list[RhoPoint] = Field(default_factory=list)
    rho_crosses_half_at: float | None = None
    clusters: dict[str, list[str]] = Field(default_factory=dict)
    cluster_parts: list[ClusterPart] = Field(default_factory=list)
    supporters: int = 0
    attackers: int = 0

    def sentences(self) -> list[str]:
        """The bottom line in plain words, one sentence per thing it rests on."""
        out: list[str] = []
        if self.semantics_range is not None:
            lo, hi = self.semantics_range
            low = min(self.by_semantics, key=lambda k: self.by_semantics[k] or 0.0)
            high = max(self.by_semantics, key=lambda k: self.by_semantics[k] or 0.0)
            out.append(f"semantics: {lo:.3f} ({low}) to {hi:.3f} ({high}) depending on how arguments combine")
        if not self.rho_applies:
            out.append(f"independence: {self.semantics} does not add strengths, so rho does not apply")
        elif self.rho_sweep:
            sweep = ", ".join(f"{p.rho:g} -> {_fmt(p.credence)}" for p in self.rho_sweep)
            crossing = (
                "never crosses 0.5"
                if self.rho_crosses_half_at is None
                else f"crosses 0.5 at rho = {self.rho_crosses_half_at:.2f}"
            )
            out.append(
                f"independence: {self.supporters} supporter(s) and {self.attackers} attacker(s) of the "
                f"thesis counted as independent at rho = 0; thesis at rho {sweep}; {crossing}"
            )
        return out


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
            "diagnostics": [d.to_json() for d in self.diagnostics],
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


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"

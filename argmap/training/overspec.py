"""The `options:` of a `lora_over` method in an experiment spec (validated when the spec is
parsed, so a mistake is a located T102 diagnostic; no torch needed). See
argmap.training.overlora for what each does and docs/training.md for why the defaults."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

OVERLORA_KEYS = (
    "schedule",
    "modules",
    "layers",
    "tensors",
    "factor",
    "bond_dim",
    "warmup_steps",
    "budget_params",
    "budget_fraction",
    "score",
)


class LoraOverOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schedule: Literal["static", "dynamic"] = "static"
    modules: list[str] | None = Field(
        default=None, min_length=1, description="static: module types to over-parameterise (default: all)."
    )
    layers: list[int] | None = Field(
        default=None, min_length=1, description="static: layer indices (default: all layers)."
    )
    tensors: int = Field(default=3, ge=2, le=8, description="Local tensors per chain.")
    factor: float = Field(
        default=4.0, ge=1.0, description="Each chain has at least factor x its matrix's numbers."
    )
    bond_dim: int | None = Field(
        default=None, ge=1, description="A fixed bond dimension instead of `factor`."
    )
    warmup_steps: int = Field(default=10, ge=1, description="dynamic: plain-LoRA steps before scoring.")
    budget_params: int | None = Field(default=None, ge=0, description="dynamic: extra parameters allowed.")
    budget_fraction: float = Field(
        default=0.25, gt=0.0, le=1.0, description="dynamic: budget as a fraction of over-parameterising all."
    )
    score: Literal["grad_norm"] = "grad_norm"

    @model_validator(mode="after")
    def _schedule_fields(self) -> LoraOverOptions:
        if self.schedule == "dynamic" and (self.modules is not None or self.layers is not None):
            raise ValueError(
                "`modules` and `layers` belong to the static schedule; dynamic picks modules itself"
            )
        return self


def split_options(options: dict[str, Any]) -> tuple[LoraOverOptions, dict[str, Any]]:
    """(LoRA-Over's own options, the rest for peft's LoraConfig)."""
    own = {k: v for k, v in options.items() if k in OVERLORA_KEYS}
    rest = {k: v for k, v in options.items() if k not in OVERLORA_KEYS}
    return LoraOverOptions.model_validate(own), rest


def check_options(options: dict[str, Any]) -> None:
    """Raise ValueError (a T102 at the method) for bad LoRA-Over options, including a
    misspelt LoRA-Over key (which would otherwise reach peft as an unknown argument)."""
    import difflib

    for key in options:
        if key not in OVERLORA_KEYS:
            close = difflib.get_close_matches(key, OVERLORA_KEYS, n=1, cutoff=0.75)
            if close:
                raise ValueError(f"options.{key}: unknown LoRA-Over option (did you mean {close[0]!r}?)")
    try:
        split_options(options)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            problems.append(
                f"options.{where}: {error['msg'].removeprefix('Value error, ')}"
                if where
                else f"options: {error['msg'].removeprefix('Value error, ')}"
            )
        raise ValueError("; ".join(problems)) from None

"""The configuration file's table as pydantic validates it: `ConfigFile` and its tables.

Imported by `argmap.config.load_settings` only when a configuration file exists, so
a run without one never imports pydantic. Each problem becomes (message, needle,
hint) for an F008 diagnostic at its place in the file; the offending key is dropped
and the rest of the file still applies. A number the file leaves out is None here:
the defaults are `argmap.config.Settings`'s, in one place.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


Codes = Annotated[list[str], BeforeValidator(_one_or_many)]
LevelName = Annotated[Literal["error", "warning", "info", "off"], BeforeValidator(_lower)]
TagName = Annotated[str, Field(pattern=r"[^#\s]")]
Fraction = Annotated[float, Field(ge=0, lt=1)]
Percent = Annotated[float, Field(gt=0, le=100)]


class _Table(BaseModel):
    model_config = ConfigDict(
        defer_build=True,  # validators are built when a configuration file is read
        extra="forbid",
        strict=True,
        frozen=True,
        populate_by_name=True,
        alias_generator=lambda n: n.replace("_", "-"),
    )


class MathTable(_Table):
    """`[tool.argmap.math]`: relative tolerance of `==` and `!=` in `{math: "..."}`."""

    tolerance: Fraction | None = None


class CoherenceTable(_Table):
    """`[tool.argmap.coherence]`: slack of C501-C503, in credence units."""

    tolerance: Fraction | None = None


class EvidenceTable(_Table):
    """`[tool.argmap.evidence]`: the quote checker's thresholds."""

    found: Percent | None = None
    good_enough: Percent | None = None
    max_bytes: Annotated[int, Field(gt=0)] | None = None


class ConfigFile(_Table):
    """`[tool.argmap]` (or an `argmap.toml`), key for key."""

    select: Codes = Field(default_factory=list)
    extend_select: Codes = Field(default_factory=list)
    ignore: Codes = Field(default_factory=list)
    extend_ignore: Codes = Field(default_factory=list)
    levels: dict[str, LevelName] = Field(default_factory=dict)
    kind_tags: Annotated[list[TagName], Field(min_length=1)] | None = None
    profile: Literal["vargdown", "argdown"] | None = None
    math: MathTable = Field(default_factory=MathTable)
    evidence: EvidenceTable = Field(default_factory=EvidenceTable)
    coherence: CoherenceTable = Field(default_factory=CoherenceTable)


_TABLES: dict[str, type[_Table]] = {"math": MathTable, "evidence": EvidenceTable, "coherence": CoherenceTable}
_EXAMPLES = {
    "select": 'e.g. select = ["V2", "G301"]',
    "extend-select": 'e.g. extend-select = ["V2", "G301"]',
    "ignore": 'e.g. ignore = ["V2", "G301"]',
    "extend-ignore": 'e.g. extend-ignore = ["V2", "G301"]',
    "levels": '[tool.argmap.levels] V205 = "warning"',
    "kind-tags": 'e.g. kind-tags = ["observation", "assumption"]',
    "profile": 'profile = "argdown" (plain Argdown) or "vargdown"',
    "math": "[tool.argmap.math] tolerance = 1e-9",
    "math.tolerance": "e.g. tolerance = 1e-9",
    "coherence": "[tool.argmap.coherence] tolerance = 0.05",
    "coherence.tolerance": "e.g. tolerance = 0.05",
    "evidence": "[tool.argmap.evidence] found = 80",
    "evidence.found": "e.g. found = 80",
    "evidence.good-enough": "e.g. good-enough = 95",
    "evidence.max-bytes": "e.g. max-bytes = 20971520",
}
_MUST = {
    "select": "must be a list of rule codes",
    "extend-select": "must be a list of rule codes",
    "ignore": "must be a list of rule codes",
    "extend-ignore": "must be a list of rule codes",
    "levels": 'must be a table of CODE = "level"',
    "kind-tags": "must be a non-empty list of tag names",
    "profile": 'must be "vargdown" or "argdown"',
    "math": "must be a table",
    "coherence": "must be a table",
    "evidence": "must be a table",
    "math.tolerance": "must be a number in [0, 1)",
    "coherence.tolerance": "must be a number in [0, 1)",
    "evidence.found": "must be a number in (0, 100]",
    "evidence.good-enough": "must be a number in (0, 100]",
    "evidence.max-bytes": "must be a positive whole number",
}


def _known_keys(model: type[BaseModel]) -> str:
    return ", ".join(sorted(field.alias or name for name, field in model.model_fields.items()))


def _problem(error: Any) -> tuple[str, str, str, tuple[str, ...]]:
    """(message, needle, hint, what to drop) for one pydantic error on the raw table."""
    loc = tuple(str(part) for part in error["loc"])
    head = loc[0]
    if error["type"] == "extra_forbidden":
        if len(loc) == 1:
            return f"unknown configuration key {head!r}", head, "known keys: " + _known_keys(ConfigFile), loc
        return (
            f"unknown key {loc[1]!r} in `{head}`",
            loc[1],
            "known keys: " + _known_keys(_TABLES[head]),
            loc[:2],
        )
    if head == "levels" and len(loc) >= 2:
        code, value = loc[1], error["input"]
        hint = 'one of "error", "warning", "info", "off"'
        if isinstance(value, str):
            return f"unknown level {value!r} for {code}", code, hint, loc[:2]
        return f"level of {code} must be a string", code, hint, loc[:2]
    key = f"{head}.{loc[1]}" if head in _TABLES and len(loc) >= 2 else head
    drop = loc[:2] if head in _TABLES and len(loc) >= 2 else loc[:1]
    must = _MUST.get(key, "is not valid: " + error["msg"])
    return (
        f"`{key}` {must}",
        key.rsplit(".", 1)[-1],
        _EXAMPLES.get(key, "see docs/configuration in the README"),
        drop,
    )


def validate_table(table: dict[str, Any]) -> tuple[ConfigFile, list[tuple[str, str, str]]]:
    """The file's table validated; each problem as (message, needle, hint), with the
    offending key left out so that the rest of the file still applies."""
    remaining: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in table.items()}
    problems: list[tuple[str, str, str]] = []
    for _ in range(len(table) + 64):
        try:
            return ConfigFile.model_validate(remaining), problems
        except ValidationError as exc:
            for error in exc.errors():
                message, needle, hint, drop = _problem(error)
                problems.append((message, needle, hint))
                holder = remaining.get(drop[0]) if len(drop) > 1 else remaining
                if isinstance(holder, dict):
                    holder.pop(drop[-1], None)
    return ConfigFile(), problems  # pragma: no cover - every round drops a key

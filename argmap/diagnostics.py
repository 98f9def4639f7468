"""The one diagnostic type every stage of argmap reports through.

Parse errors, rule findings, evidence misses and bad results files all become a
`Diagnostic`; reporters (human, json, github, sarif) only ever see this type.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Level(StrEnum):
    """How serious a finding is. Only `error` makes `argmap check` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Diagnostic(BaseModel):
    """One finding at one place in one file.

    Lines and columns are 1-based; `end_column` is exclusive, as in LSP and SARIF.
    The field names are a published interface (`--format json`): never rename them.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    level: Level
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)


class ArgmapError(Exception):
    """A user-facing failure that carries diagnostics instead of a traceback."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def shown(value: object, limit: int = 120) -> str:
    """`repr(value)` cut to about `limit` characters, without building the whole repr
    of a huge or deeply shared value (a data block's `{math: *alias}`)."""
    import reprlib

    brief = reprlib.Repr()
    brief.maxlevel, brief.maxlist, brief.maxdict = 3, 6, 6
    brief.maxstring = brief.maxother = limit
    text = brief.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."

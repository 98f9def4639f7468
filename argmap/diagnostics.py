"""The one diagnostic type every stage of argmap reports through.

Parse errors, rule findings, evidence misses and bad results files all become a
`Diagnostic`; reporters (human, json, github, sarif) only ever see this type.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict


class Located(Protocol):
    """Anything with a 1-based region: a `Span`, or a diagnostic."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...


class _WholeFile:
    """Where a finding about a whole file or path (unreadable, missing) points: an
    empty range at line 1, column 1."""

    line = column = end_line = end_column = 1


WHOLE_FILE: Located = _WholeFile()


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

    # built on first validation, not at import (most runs report few findings)
    model_config = ConfigDict(frozen=True, defer_build=True)

    code: str
    level: Level
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    hint: str | None = None

    @classmethod
    def at(
        cls,
        code: str,
        level: Level | str,
        message: str,
        file: str,
        where: Located | None = None,
        hint: str | None = None,
    ) -> Diagnostic:
        """A finding at `where` (a span, or anything located); the file's first character
        when None (a finding about the whole file)."""
        if where is None:
            return cls(
                code=code,
                level=Level(level),
                message=message,
                file=file,
                line=1,
                column=1,
                end_line=1,
                end_column=2,
                hint=hint,
            )
        return cls(
            code=code,
            level=Level(level),
            message=message,
            file=file,
            line=where.line,
            column=where.column,
            end_line=where.end_line,
            end_column=where.end_column,
            hint=hint,
        )

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)


def shown(value: object, limit: int = 120) -> str:
    """`repr(value)` cut to about `limit` characters, without building the whole repr
    of a huge or deeply shared value (a data block's `{math: *alias}`)."""
    import reprlib

    brief = reprlib.Repr()
    brief.maxlevel, brief.maxlist, brief.maxdict = 3, 6, 6
    brief.maxstring = brief.maxother = limit
    text = brief.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."

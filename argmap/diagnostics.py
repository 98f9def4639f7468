"""The one diagnostic type every stage of argmap reports through.

Parse errors, rule findings, evidence misses and bad results files all become a
`Diagnostic`; reporters (human, json, github, sarif) only ever see this type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple, Protocol


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


class Region(NamedTuple):
    """A region given by numbers (1-based, `end_column` exclusive): where no span exists yet."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def on_line(cls, line: int, column: int = 1, width: int = 1) -> Region:
        """`width` characters from `column` on one line, clamped into the file (never before 1:1)."""
        line, column = max(1, line), max(1, column)
        return cls(line, column, line, column + max(1, width))


class _WholeFile:
    """Where a finding about a whole file or path (unreadable, missing) points: an
    empty range at line 1, column 1."""

    line = column = end_line = end_column = 1


WHOLE_FILE: Located = _WholeFile()

# Codes that mean the file itself could not be read (missing, binary, too large, not a
# regular file, not a map): a command that meets one stops with exit status 2.
IO_CODES = frozenset({"F001", "F002", "F004", "F006", "F010"})


class _FirstCharacter:
    """Where `Diagnostic.at` points when given no place: the file's first character."""

    line = column = end_line = 1
    end_column = 2


_FIRST_CHARACTER: Located = _FirstCharacter()


class Level(StrEnum):
    """How serious a finding is. Only `error` makes `argmap check` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One finding at one place in one file.

    Lines and columns are 1-based; `end_column` is exclusive, as in LSP and SARIF.
    The field names are a published interface (`--format json`): never rename them.
    A plain frozen dataclass, not a pydantic model: `check` never imports pydantic, and
    pydantic models that hold findings (a score's report) read it as a dataclass.
    """

    code: str
    level: Level
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    hint: str | None = None

    def __post_init__(self) -> None:
        # a level given by name ("error", as a rule plugin or a JSON report writes it) is
        # the `Level` every reader compares by identity; an unknown name is a ValueError
        if type(self.level) is not Level:
            object.__setattr__(self, "level", Level(self.level))

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
        box = _FIRST_CHARACTER if where is None else where
        return cls(
            code=code,
            level=level,  # type: ignore[arg-type]  # a name becomes its `Level` (`__post_init__`)
            message=message,
            file=file,
            line=box.line,
            column=box.column,
            end_line=box.end_line,
            end_column=box.end_column,
            hint=hint,
        )

    def with_level(self, level: Level) -> Diagnostic:
        """The same finding at another level (configuration, `--strict` and the like)."""
        return replace(self, level=level)

    def to_json(self) -> dict[str, str | int | None]:
        """The finding as `--format json` writes it, fields in declaration order."""
        return {
            "code": self.code,
            "level": self.level.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "hint": self.hint,
        }

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


# C0 and C1 controls (but tab and newline), DEL, line and paragraph separators, and the
# bidi overrides and isolates: each can move the cursor, recolour, or reorder a terminal
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every character that acts on a terminal written as an escape
    (`\\x1b`, `\\u202e`): what a human report prints of text a user or a file gave."""
    return _UNPRINTABLE.sub(_escaped, text) if _UNPRINTABLE.search(text) else text

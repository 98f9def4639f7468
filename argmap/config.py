"""Configuration: `[tool.argmap]` in pyproject.toml, or an `argmap.toml`.

The nearest file up the tree from the map wins (an `argmap.toml` before a
`pyproject.toml` in the same folder; a pyproject.toml without `[tool.argmap]` is
skipped). Keys, as in ruff::

    [tool.argmap]
    select = ["V", "G"]          # codes or prefixes to run (default: all)
    extend-select = ["E401"]     # added to select
    ignore = ["G310"]            # never report these
    extend-ignore = []
    kind-tags = ["observation", "assumption", "prior", "mechanism", "crux"]

    [tool.argmap.levels]         # per-rule level: error, warning, info or off
    V205 = "warning"

    [tool.argmap.math]
    tolerance = 1e-9             # relative tolerance of == and != in {math: "..."}

    [tool.argmap.coherence]      # the coherence rules C501-C503 (docs/rules.md)
    tolerance = 0.05             # slack, in credence units, before a finding

    [tool.argmap.evidence]       # the quote checker (docs/evidence.md)
    found = 80                   # lowest similarity (0-100) still counted as found
    good-enough = 95             # a fuzzy match this good in the cited lines ends the search
    max-bytes = 20971520         # evidence files larger than this are refused (20 MB)

In `argmap.toml` the same keys stand at the top level (`[levels]`, `[math]`,
`[evidence]`, `[coherence]`).
The file is validated by pydantic models (`ConfigFile` and its tables, in
`argmap.config_schema`, imported only where a file exists); problems are
diagnostics, not exceptions: `F008` for a malformed file or value, at its line in the
file (the rest of the file still applies). Whether the codes named exist is the rule
registry's question (`argmap.rules.registry.settings_for` adds `F007`, located with
`Settings.locate`), so this module imports nothing of the rules. `--select` and
`--ignore` on the command line replace the file's selection / add to its ignores.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from argmap.diagnostics import Diagnostic, Level

DEFAULT_KIND_TAGS: tuple[str, ...] = ("observation", "assumption", "prior", "mechanism", "crux")
DEFAULT_MATH_TOLERANCE = 1e-9
DEFAULT_COHERENCE_TOLERANCE = 0.05
DEFAULT_EVIDENCE_FOUND = 80.0
DEFAULT_EVIDENCE_GOOD_ENOUGH = 95.0
DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
CONFIG_FILES = ("argmap.toml", "pyproject.toml")
_LEVEL_NAMES = {"error": Level.ERROR, "warning": Level.WARNING, "info": Level.INFO, "off": None}


# ---- the effective settings -------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Settings:
    """Effective settings for one map: the file's keys with the CLI's on top. `source`
    keeps the configuration file's text so any later diagnostic about it (an unknown
    rule code, say) points at its line (`locate`). A plain dataclass: its values are
    argmap's own (the file's were validated by `ConfigFile`)."""

    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    levels: dict[str, Level | None] = field(default_factory=dict)
    kind_tags: tuple[str, ...] = DEFAULT_KIND_TAGS
    profile: str | None = None  # "vargdown" | "argdown"; None: detected per map (argmap.profile)
    math_tolerance: float = DEFAULT_MATH_TOLERANCE
    coherence_tolerance: float = DEFAULT_COHERENCE_TOLERANCE
    evidence: bool = True
    evidence_found: float = DEFAULT_EVIDENCE_FOUND
    evidence_good_enough: float = DEFAULT_EVIDENCE_GOOD_ENOUGH
    evidence_max_bytes: int = DEFAULT_EVIDENCE_MAX_BYTES
    path: str | None = None  # the configuration file, when one was found
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str = field(default="", repr=False)

    def evidence_thresholds(self) -> Any:
        """The evidence checker's `Thresholds` (imported here, on first use)."""
        from argmap.evidence.classify import Thresholds

        return Thresholds(
            found=self.evidence_found,
            good_enough=self.evidence_good_enough,
            max_bytes=self.evidence_max_bytes,
        )

    def locate(self, needle: str | None) -> tuple[int, int, int]:
        """Line, column and end column of `needle` in the configuration file."""
        return _locate(self.source, needle)

    def problem(self, code: str, message: str, needle: str | None, hint: str) -> Diagnostic:
        """A finding about the configuration file, at `needle`'s place in it."""
        line, column, end = self.locate(needle)
        return Diagnostic.at(code, Level.ERROR, message, self.path or "", _Point(line, column, end), hint)

    def is_enabled(self, code: str) -> bool:
        """Selected, not ignored, and not turned off in `levels`."""
        if code in self.levels and self.levels[code] is None:
            return False
        return _longest_match(code, self.select) > _longest_match(code, self.ignore)

    def apply(self, diagnostic: Diagnostic) -> Diagnostic | None:
        """Apply selection and levels to a finding some other stage made (parser,
        evidence). Errors of the parser and file stages are always kept: a map that
        does not parse cannot pass by configuration."""
        code = diagnostic.code
        if code[:1] in ("P", "F") and diagnostic.level is Level.ERROR:
            return diagnostic
        if code[:1] not in ("P", "F") and not self.is_enabled(code):
            return None
        if code[:1] in ("P", "F") and (
            _longest_match(code, self.ignore) > 0 or (code in self.levels and self.levels[code] is None)
        ):
            return None
        level = self.levels.get(code)
        if level is not None and level is not diagnostic.level:
            return diagnostic.with_level(level)
        return diagnostic

    def selectors(self) -> list[str]:
        """Every rule code or prefix the settings name (select, ignore, levels)."""
        return [*self.select, *self.ignore, *self.levels]


def _longest_match(code: str, selectors: Iterable[str]) -> int:
    """Length of the most specific selector matching `code` (`ALL` counts as 0), -1 if none."""
    best = -1
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


def find_config(start: str | os.PathLike[str]) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration file at or above `start` (a file or folder) and its
    raw `[tool.argmap]` table; None when there is none. Raises `ConfigError` for a
    file that is not valid TOML."""
    path = Path(start).resolve()
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        found = _read_candidate(str(candidate))
        if found is not None:
            return found
    return None


class ConfigError(Exception):
    def __init__(self, path: Path, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.path, self.line, self.column = path, line, column


def _read_candidate(folder: str) -> tuple[Path, dict[str, Any]] | None:
    for name in CONFIG_FILES:
        path = Path(folder) / name
        try:
            stat = path.stat()
        except OSError:
            continue
        if not path.is_file():
            continue
        data = _load_toml(str(path), stat.st_mtime_ns, stat.st_size)
        if name == "pyproject.toml":
            table = data.get("tool", {}).get("argmap")
            if table is None:
                continue
            return path, table if isinstance(table, dict) else {"__invalid__": table}
        return path, data
    return None


@lru_cache(maxsize=64)
def _load_toml(name: str, mtime_ns: int, size: int) -> dict[str, Any]:
    """Parsed TOML, cached while the file is unchanged (many maps share one file)."""
    import tomllib  # only where a configuration file exists

    path = Path(name)
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(
            path, f"configuration is {size:,} bytes, more than the {MAX_CONFIG_BYTES:,} allowed"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read configuration: {exc}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        raise ConfigError(path, f"configuration is not valid TOML: {exc}", line, column) from exc
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        line, column = _deepest(text)
        raise ConfigError(
            path, "configuration nests arrays or tables too deep to read", line, column
        ) from None
    except ValueError as exc:  # an integer past Python's 4,300-digit conversion limit
        line, column = _long_number(text)
        raise ConfigError(
            path, f"configuration has a value argmap cannot read: {exc}", line, column
        ) from None


MAX_CONFIG_BYTES = 1024 * 1024  # a real configuration is a few hundred bytes


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _deepest(text: str, depth_shown: int = 100) -> tuple[int, int]:
    """Where brackets or braces first open `depth_shown` deep (strings aside: only to
    point at the place)."""
    depth = 0
    for offset, char in enumerate(text):
        depth += (char in "[{") - (char in "]}")
        if depth >= depth_shown:
            return _position(text, offset)
    return 1, 1


def _long_number(text: str) -> tuple[int, int]:
    match = re.search(r"\d{4300}", text)
    return _position(text, match.start()) if match else (1, 1)


def load_settings(config: tuple[Path, dict[str, Any]] | None) -> Settings:
    """Settings from a raw configuration table, with F008 diagnostics for what is wrong."""
    if config is None:
        return Settings()
    path, table = config
    settings = Settings(path=str(path), source=_text(path))
    if "__invalid__" in table:
        table = {}
        settings.diagnostics.append(
            settings.problem(
                "F008", "`[tool.argmap]` must be a table", "tool.argmap", '[tool.argmap] select = ["ALL"]'
            )
        )
    from argmap.config_schema import validate_table  # pydantic, only where a file exists

    parsed, problems = validate_table(table)
    settings.diagnostics.extend(settings.problem("F008", m, needle, hint) for m, needle, hint in problems)
    settings.select = _codes(parsed.select) or ["ALL"]
    settings.select += _codes(parsed.extend_select)
    settings.ignore = _codes(parsed.ignore) + _codes(parsed.extend_ignore)
    settings.levels = {code.upper(): _LEVEL_NAMES[level] for code, level in parsed.levels.items()}
    if parsed.kind_tags is not None:
        settings.kind_tags = tuple(t.strip().lstrip("#") for t in parsed.kind_tags)
    settings.profile = parsed.profile
    _set_given(settings, math_tolerance=parsed.math.tolerance, coherence_tolerance=parsed.coherence.tolerance)
    _set_given(
        settings,
        evidence_found=parsed.evidence.found,
        evidence_good_enough=parsed.evidence.good_enough,
        evidence_max_bytes=parsed.evidence.max_bytes,
    )
    return settings


def _set_given(settings: Settings, **values: float | None) -> None:
    """The numbers the file gives; the others keep their defaults."""
    for name, value in values.items():
        if value is not None:
            setattr(settings, name, value)


def _codes(values: list[str]) -> list[str]:
    return [v.strip().upper() for v in values if v.strip()]


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _locate(text: str, needle: str | None) -> tuple[int, int, int]:
    """Line, column and end column of `needle` in the file (quoted or bare)."""
    if needle:
        for pattern in (
            r'["\']' + re.escape(needle) + r'["\']',
            r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])",
        ):
            match = re.search(pattern, text, flags=re.IGNORECASE)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                return line, column, column + len(match.group())
    return 1, 1, 2


def settings_for(document_path: str, options: Any = None) -> Settings:
    """Settings for the map at `document_path`: its configuration file, then the
    command line's `select` / `ignore` / `evidence` (from a `CheckOptions`)."""
    try:
        settings = load_settings(find_config(document_path))
    except ConfigError as exc:
        settings = Settings(path=str(exc.path))
        settings.diagnostics.append(
            Diagnostic.at(
                "F008",
                Level.ERROR,
                str(exc),
                str(exc.path),
                _Point(exc.line, exc.column),
                "fix the file; argmap used its default settings for this run",
            )
        )
    if options is not None:
        apply_cli(settings, getattr(options, "select", None) or [], getattr(options, "ignore", None) or [])
        settings.evidence = bool(getattr(options, "evidence", True))
    return settings


def apply_cli(settings: Settings, select: Sequence[str], ignore: Sequence[str]) -> None:
    """`--select` replaces the file's selection (its `select` and `ignore` lists);
    `--ignore` adds to the ignores."""
    if select:
        settings.select = [s.upper() for s in select]
        settings.ignore = []
    settings.ignore = [*settings.ignore, *(s.upper() for s in ignore)]


class _Point:
    """A place on one line of the file (one character unless `end` says), as
    `Diagnostic.at` wants a location."""

    def __init__(self, line: int, column: int, end: int | None = None) -> None:
        self.line = self.end_line = line
        self.column, self.end_column = column, column + 1 if end is None else end

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
Problems in the file are diagnostics, not exceptions: `F007` for an unknown rule
code (at its line in the file), `F008` for a malformed file or value. `--select` and
`--ignore` on the command line replace the file's selection / add to its ignores.
"""

from __future__ import annotations

import os
import re
import tomllib
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


@dataclass
class Settings:
    """Effective settings for one map: the file's keys with the CLI's on top."""

    select: list[str] = field(default_factory=lambda: ["ALL"])
    profile: str | None = None  # "vargdown" | "argdown"; None: detected per map (argmap.profile)
    ignore: list[str] = field(default_factory=list)
    levels: dict[str, Level | None] = field(default_factory=dict)
    kind_tags: tuple[str, ...] = DEFAULT_KIND_TAGS
    math_tolerance: float = DEFAULT_MATH_TOLERANCE
    coherence_tolerance: float = DEFAULT_COHERENCE_TOLERANCE
    evidence: bool = True
    evidence_found: float = DEFAULT_EVIDENCE_FOUND
    evidence_good_enough: float = DEFAULT_EVIDENCE_GOOD_ENOUGH
    evidence_max_bytes: int = DEFAULT_EVIDENCE_MAX_BYTES
    path: str | None = None  # the configuration file, when one was found
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def evidence_thresholds(self) -> Any:
        """The evidence checker's `Thresholds` (imported here, on first use)."""
        from argmap.evidence.classify import Thresholds

        return Thresholds(
            found=self.evidence_found,
            good_enough=self.evidence_good_enough,
            max_bytes=self.evidence_max_bytes,
        )

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
            return diagnostic.model_copy(update={"level": level})
        return diagnostic


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
    path = Path(name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read configuration: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        raise ConfigError(path, f"configuration is not valid TOML: {exc}", line, column) from exc


def load_settings(config: tuple[Path, dict[str, Any]] | None) -> Settings:
    """Settings from a raw configuration table, with diagnostics for what is wrong."""
    settings = Settings()
    if config is None:
        return settings
    path, table = config
    settings.path = str(path)
    text = _text(path)
    problems = settings.diagnostics

    def bad(message: str, needle: str | None, hint: str) -> None:
        line, column, end = _locate(text, needle)
        problems.append(
            Diagnostic(
                code="F008",
                level=Level.ERROR,
                message=message,
                file=str(path),
                line=line,
                column=column,
                end_line=line,
                end_column=end,
                hint=hint,
            )
        )

    known = {
        "select",
        "extend-select",
        "ignore",
        "extend-ignore",
        "levels",
        "kind-tags",
        "math",
        "evidence",
        "coherence",
        "profile",
    }
    for key in table:
        if key not in known:
            bad(f"unknown configuration key {key!r}", key, "known keys: " + ", ".join(sorted(known)))

    def code_list(key: str) -> list[str]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(f"`{key}` must be a list of rule codes", key, f'e.g. {key} = ["V2", "G301"]')
            return []
        return [v.strip().upper() for v in value if v.strip()]

    profile = table.get("profile")
    if profile is not None and profile not in ("vargdown", "argdown"):
        bad(f"unknown profile {profile!r}", "profile", 'profile = "argdown" (plain Argdown) or "vargdown"')
    elif profile is not None:
        settings.profile = profile
    select = code_list("select") or ["ALL"]
    select += code_list("extend-select")
    ignore = code_list("ignore") + code_list("extend-ignore")
    for selector in [*select, *ignore]:
        _check_selector(selector, path, text, problems)
    settings.select, settings.ignore = select, ignore

    levels = table.get("levels", {})
    if not isinstance(levels, dict):
        bad('`levels` must be a table of CODE = "level"', "levels", '[tool.argmap.levels] V205 = "warning"')
        levels = {}
    for code, level in levels.items():
        if _check_selector(str(code).upper(), path, text, problems) and not isinstance(level, str):
            bad(f"level of {code} must be a string", str(code), 'one of "error", "warning", "info", "off"')
        elif isinstance(level, str) and level.lower() not in _LEVEL_NAMES:
            bad(f"unknown level {level!r} for {code}", str(code), 'one of "error", "warning", "info", "off"')
        elif isinstance(level, str):
            settings.levels[str(code).upper()] = _LEVEL_NAMES[level.lower()]

    tags = table.get("kind-tags")
    if tags is not None:
        if isinstance(tags, list) and tags and all(isinstance(t, str) and t.strip("#").strip() for t in tags):
            settings.kind_tags = tuple(t.strip().lstrip("#") for t in tags)
        else:
            bad(
                "`kind-tags` must be a non-empty list of tag names",
                "kind-tags",
                'e.g. kind-tags = ["observation", "assumption"]',
            )

    math = table.get("math", {})
    if not isinstance(math, dict):
        bad("`math` must be a table", "math", "[tool.argmap.math] tolerance = 1e-9")
    else:
        tolerance = math.get("tolerance", DEFAULT_MATH_TOLERANCE)
        if isinstance(tolerance, int | float) and not isinstance(tolerance, bool) and 0 <= tolerance < 1:
            settings.math_tolerance = float(tolerance)
        else:
            bad("`math.tolerance` must be a number in [0, 1)", "tolerance", "e.g. tolerance = 1e-9")
    _load_evidence(table.get("evidence", {}), settings, bad)
    _load_coherence(table.get("coherence", {}), settings, bad)
    return settings


def _load_coherence(table: Any, settings: Settings, bad: Any) -> None:
    """`[tool.argmap.coherence]`: `tolerance`, a number in [0, 1)."""
    if not isinstance(table, dict):
        bad("`coherence` must be a table", "coherence", "[tool.argmap.coherence] tolerance = 0.05")
        return
    for key in table:
        if key != "tolerance":
            bad(f"unknown key {key!r} in `coherence`", key, "known keys: tolerance")
    slack = table.get("tolerance", DEFAULT_COHERENCE_TOLERANCE)
    if isinstance(slack, int | float) and not isinstance(slack, bool) and 0 <= slack < 1:
        settings.coherence_tolerance = float(slack)
    else:
        bad("`coherence.tolerance` must be a number in [0, 1)", "tolerance", "e.g. tolerance = 0.05")


def _load_evidence(table: Any, settings: Settings, bad: Any) -> None:
    """`[tool.argmap.evidence]`: `found`, `good-enough` (0-100), `max-bytes` (> 0)."""
    if not isinstance(table, dict):
        bad("`evidence` must be a table", "evidence", "[tool.argmap.evidence] found = 80")
        return
    for key in table:
        if key not in ("found", "good-enough", "max-bytes"):
            bad(f"unknown key {key!r} in `evidence`", key, "known keys: found, good-enough, max-bytes")

    def number(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    found = table.get("found", DEFAULT_EVIDENCE_FOUND)
    if number(found) and 0 < found <= 100:
        settings.evidence_found = float(found)
    else:
        bad("`evidence.found` must be a number in (0, 100]", "found", "e.g. found = 80")
    good = table.get("good-enough", DEFAULT_EVIDENCE_GOOD_ENOUGH)
    if number(good) and 0 < good <= 100:
        settings.evidence_good_enough = float(good)
    else:
        bad("`evidence.good-enough` must be a number in (0, 100]", "good-enough", "e.g. good-enough = 95")
    size = table.get("max-bytes", DEFAULT_EVIDENCE_MAX_BYTES)
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        settings.evidence_max_bytes = size
    else:
        bad("`evidence.max-bytes` must be a positive whole number", "max-bytes", "e.g. max-bytes = 20971520")


def _check_selector(selector: str, path: Path, text: str, problems: list[Diagnostic]) -> bool:
    from argmap.rules.registry import matches_known

    if matches_known(selector):
        return True
    line, column, end = _locate(text, selector)
    problems.append(
        Diagnostic(
            code="F007",
            level=Level.ERROR,
            message=f"unknown rule code {selector!r} in configuration",
            file=str(path),
            line=line,
            column=column,
            end_line=line,
            end_column=end,
            hint=_suggest(selector),
        )
    )
    return False


def suggest_codes(selector: str) -> list[str]:
    """Known codes close to a mistyped one (O for 0 and I/l for 1 first)."""
    import difflib

    from argmap.rules.registry import known_codes

    known = sorted(known_codes())
    upper = selector.upper()
    fixed = upper[:1] + upper[1:].replace("O", "0").replace("I", "1").replace("L", "1")
    first = [fixed] if fixed in known and fixed != upper else []
    close = difflib.get_close_matches(upper, known, n=3, cutoff=0.5)
    return [*first, *(c for c in close if c not in first)][:3]


def _suggest(selector: str) -> str:
    close = suggest_codes(selector)
    listing = "`argmap rule --all` lists the codes"
    return f"did you mean {', '.join(close)}? {listing}" if close else listing


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
            Diagnostic(
                code="F008",
                level=Level.ERROR,
                message=str(exc),
                file=str(exc.path),
                line=exc.line,
                column=exc.column,
                end_line=exc.line,
                end_column=exc.column + 1,
                hint="fix the file; argmap used its default settings for this run",
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


def unknown_cli_codes(select: Sequence[str], ignore: Sequence[str]) -> list[str]:
    from argmap.rules.registry import matches_known

    return [code for code in [*select, *ignore] if not matches_known(code)]

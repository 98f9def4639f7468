"""Run the plain forms of `argmap check` and `argmap export` without typer.

typer 0.2x builds a pydantic validator for every option of the command it runs;
with its import that is about a fifth of checking the real map. The command lines
CI and editors send (`check [--no-evidence] [--format F] [-o FILE] [--select/--ignore
CODES] PATH...`, `export [--to F] [-o FILE] PATH`) are read here, by the same rules
click applies to them; anything else (help, an unknown or repeated option, a value
that is not one of the choices, `--`, a value that starts with `-`) returns None and
goes to typer, which reads it or explains what is wrong, exactly as before.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# option -> (keyword of the run_ function, kind): "flag" (no value), "choice" (one of
# the command's formats), "path", "list" (repeatable)
_CHECK = {
    "--no-evidence": ("no_evidence", "flag"),
    "--fix": ("fix", "flag"),
    "--diff": ("diff", "flag"),
    "--format": ("output_format", "choice"),
    "--output-file": ("output_file", "path"),
    "-o": ("output_file", "path"),
    "--select": ("select", "list"),
    "--ignore": ("ignore", "list"),
}
_EXPORT = {
    "--to": ("to", "choice"),
    "--output-file": ("output_file", "path"),
    "-o": ("output_file", "path"),
}


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """(command, keyword arguments of its `run_` function), or None for typer."""
    from argmap.cli.commands import CHECK_FORMATS, EXPORT_FORMATS

    if not argv or argv[0] not in ("check", "export"):
        return None
    choices: tuple[str, ...] = CHECK_FORMATS if argv[0] == "check" else EXPORT_FORMATS
    read = _read_options(argv[1:], _CHECK if argv[0] == "check" else _EXPORT, choices)
    if read is None:
        return None
    keywords, positional = read
    if argv[0] == "check":
        if not positional:
            return None
        return "check", {"paths": positional, **keywords}
    if len(positional) != 1:
        return None
    return "export", {"path": positional[0], **keywords}


def _read_options(
    args: list[str], table: dict[str, tuple[str, str]], choices: tuple[str, ...]
) -> tuple[dict[str, Any], list[str]] | None:
    keywords: dict[str, Any] = {}
    positional: list[str] = []
    index = 0
    while index < len(args):
        token = args[index]
        index += 1
        if not token.startswith("-"):
            positional.append(token)
            continue
        name, has_value, value = token.partition("=")
        if name not in table or (has_value and not name.startswith("--")):
            return None  # help, --version, `--`, `-`, `-oFILE`, unknown: typer's to read
        keyword, kind = table[name]
        if kind == "flag":
            if has_value or keyword in keywords:
                return None
            keywords[keyword] = True
            continue
        if not has_value:
            if index == len(args):
                return None
            value = args[index]
            index += 1
        if not _store(keywords, keyword, kind, value, choices):
            return None
    return keywords, positional


def _store(keywords: dict[str, Any], keyword: str, kind: str, value: str, choices: tuple[str, ...]) -> bool:
    if not value or value.startswith("-"):
        return False
    if kind == "list":
        keywords.setdefault(keyword, []).append(value)
        return True
    if keyword in keywords or (kind == "choice" and value not in choices):
        return False
    keywords[keyword] = Path(value) if kind == "path" else value
    return True


def run(command: str, keywords: dict[str, Any]) -> int:
    """Run a command `parse` read; its exit status (130 when interrupted and 1 when the
    reader of the output went away, as click's main loop answers both)."""
    import gc

    from argmap.cli.commands import run_check, run_export

    # One short run that leaves its objects alive to the end (argmap/cli/__init__.py
    # exits without freeing them): the cyclic collector would only walk them again
    # and again. The parser and the rules pause it for the same reason when argmap
    # is used as a library.
    gc.disable()
    _import_lark()
    try:
        if command == "check":
            return run_check(**keywords)
        return run_export(**keywords)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


def _import_lark() -> None:
    """Import Lark without the third-party `regex` module. Lark imports `regex` whenever
    it is installed (the training extra installs it), to offer `Lark(regex=True)`,
    which argmap never asks for: a twentieth of checking a small map. Blocked for this
    one import only, so a rule plugin that imports `regex` later still gets it."""
    if "lark" in sys.modules or "regex" in sys.modules:
        return
    sys.modules["regex"] = None  # type: ignore[assignment]  # `import regex` raises ImportError
    try:
        import lark  # noqa: F401
    finally:
        del sys.modules["regex"]

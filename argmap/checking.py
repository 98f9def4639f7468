"""`argmap check` as a library call: find the maps, parse them, run the rules.

The CLI only parses options and prints; everything a CI run decides (which files,
which findings, which exit code) happens here so it can be tested without a shell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from argmap.diagnostics import IO_CODES, WHOLE_FILE, Diagnostic, Level
from argmap.model import Document
from argmap.profile import Profile, resolve_profile
from argmap.rules.registry import run_rules

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass
class CheckOptions:
    evidence: bool = True
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    files: list[str] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    io_error: bool = False
    # per map: the profile it was checked with, and whether it was detected
    profiles: dict[str, tuple[Profile, bool]] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.io_error:
            return EXIT_USAGE
        if any(d.level is Level.ERROR for d in self.diagnostics):
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def count(self, level: Level) -> int:
        return sum(1 for d in self.diagnostics if d.level is level)


def discover(paths: Sequence[str]) -> tuple[list[str], list[Diagnostic]]:
    """Expand folders to the `*.argdown` files under them (sorted, hidden folders
    skipped); a path that does not exist is an I/O diagnostic."""
    files: list[str] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                str(p)
                for p in path.rglob("*.argdown")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
            )
            if not found:
                problems.append(
                    _io(
                        raw,
                        "F006",
                        "no *.argdown files under this folder",
                        "pass a map file, or a folder that contains maps",
                    )
                )
            files.extend(found)
        elif path.exists():
            files.append(str(path))
        else:
            problems.append(_io(raw, "F001", "no such file or folder", "check the path"))
    return files, problems


def _io(path: str, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic.at(code, Level.ERROR, message, path, WHOLE_FILE, hint)


def apply_ignores(document: Document, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Drop findings silenced by `// argmap: ignore[CODE]` on their line."""
    if not document.ignores:
        return list(diagnostics)
    silenced: dict[int, set[str]] = {}
    for directive in document.ignores:
        for line in directive.applies_to:
            silenced.setdefault(line, set()).update(directive.codes)
    return [
        d
        for d in diagnostics
        if not (d.code in silenced.get(d.line, ()) or "ALL" in silenced.get(d.line, ()))
    ]


def check_paths(paths: Sequence[str], options: CheckOptions | None = None) -> CheckReport:
    """Check every map under `paths`. Each map gets the settings of its nearest
    configuration file with the options' `select` / `ignore` on top; problems in a
    configuration file are reported once, at their line in that file."""
    from argmap.grammar import parse_file
    from argmap.rules.registry import settings_for, unknown_cli_codes

    options = options or CheckOptions()
    report = CheckReport()
    unknown = unknown_cli_codes(options.select, options.ignore)
    if unknown:
        report.io_error = True
        report.diagnostics.extend(
            _io(
                "<command line>",
                "F009",
                f"unknown rule code {code!r} in --select/--ignore",
                "`argmap rule --all` lists the codes",
            )
            for code in unknown
        )
        return report
    files, problems = discover(paths)
    report.diagnostics.extend(problems)
    if problems:
        report.io_error = True
    reported_configs: set[str] = set()
    for name in files:
        document = parse_file(name)
        report.files.append(name)
        report.documents[name] = document
        settings = settings_for(name, options)
        if settings.path is not None and settings.path not in reported_configs:
            reported_configs.add(settings.path)
            report.diagnostics.extend(settings.diagnostics)
        findings = [kept for d in document.diagnostics if (kept := settings.apply(d)) is not None]
        if any(d.code in IO_CODES for d in findings):
            report.io_error = True
        report.profiles[name] = resolve_profile(document, settings.profile)
        findings.extend(run_rules(document, settings, report.profiles[name][0]))
        report.diagnostics.extend(apply_ignores(document, findings))
    report.diagnostics.sort(key=lambda d: d.sort_key)
    return report

"""What `argmap check` and `argmap export` do, without typer.

The typer commands in `argmap.cli.app` parse options and call these; so does the
start-up fast path (`argmap.cli.fastpath`), which runs the common forms of the two
commands without importing typer (its import and its per-option validators cost
more than checking a small map). Each function returns the exit status.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from argmap.checking import CheckOptions, CheckReport
    from argmap.diagnostics import Diagnostic

CHECK_FORMATS = ("human", "json", "github", "sarif")
EXPORT_FORMATS = ("json", "dot", "graphml")


def write_output(text: str | bytes | Iterable[bytes | memoryview], output_file: Path | None) -> int:
    """Write a command's result (text, UTF-8 bytes, or UTF-8 bytes in pieces, each
    whole characters, written as they come) to stdout, or to `output_file`
    (`write_file`); the exit status the write allows: 0, or 2 when the file cannot be
    written."""
    if output_file is None:
        if isinstance(text, str):
            sys.stdout.write(text)
        else:
            _write_stdout_pieces((text,) if isinstance(text, bytes) else text)
        return 0
    return write_file(output_file, text)


def _write_stdout_pieces(pieces: Iterable[bytes | memoryview]) -> None:
    """UTF-8 bytes to stdout: straight to its byte buffer when stdout would write the
    same bytes (UTF-8, no newline translation), which spares decoding and re-encoding
    a large export; as text otherwise."""
    import codecs

    buffer = getattr(sys.stdout, "buffer", None)
    encoding = getattr(sys.stdout, "encoding", None)
    if buffer is None or os.linesep != "\n" or not encoding or codecs.lookup(encoding).name != "utf-8":
        for piece in pieces:
            sys.stdout.write(str(piece, "utf-8"))
        return
    sys.stdout.flush()  # whatever was written as text goes first
    for piece in pieces:
        # A pipe whose reader leaves during a write takes part of it and the buffer
        # reports the short count without raising: the rest would be lost silently.
        if buffer.write(piece) != len(piece):
            raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


def write_file(path: str | os.PathLike[str], content: str | bytes | Iterable[bytes | memoryview]) -> int:
    """The one way a command writes an output file: atomically (`argmap.fileio`); an
    `OSError` becomes a located F011 diagnostic on stderr and exit status 2."""
    from argmap.fileio import atomic_write_pieces

    if isinstance(content, str):
        content = content.encode("utf-8")
    try:
        atomic_write_pieces(path, (content,) if isinstance(content, bytes) else content)
    except OSError as exc:
        from argmap.render.diagnostics import render_human

        sys.stderr.write(render_human([unwritable(path, exc)], {}, 1))
        return 2
    return 0


def unwritable(path: str | os.PathLike[str], exc: OSError) -> Diagnostic:
    """The F011 diagnostic for a failed write to `path` (the message names the path the
    user gave, never the temporary file the error may name)."""
    from argmap.diagnostics import WHOLE_FILE
    from argmap.fileio import NotRegularFile
    from argmap.grammar.codes import diagnostic

    name = os.fspath(path)
    if isinstance(exc, NotRegularFile):
        kind = (exc.strerror or "").removesuffix(", not a regular file")
        return diagnostic("F011", name, WHOLE_FILE, "not-regular", reason=kind)
    folder = os.path.dirname(os.path.abspath(name))
    if isinstance(exc, FileNotFoundError) and not os.path.isdir(folder):
        return diagnostic("F011", name, WHOLE_FILE, "no-folder", folder=folder)
    return diagnostic("F011", name, WHOLE_FILE, reason=exc.strerror or str(exc))


def split_codes(values: list[str] | None) -> list[str]:
    """`--select A,B --select C` -> [A, B, C]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def run_check(
    paths: list[str],
    output_format: str = "human",
    output_file: Path | None = None,
    no_evidence: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fix: bool = False,
    diff: bool = False,
) -> int:
    """`argmap check` (see its help in `argmap.cli.app`)."""
    from argmap.checking import CheckOptions, check_paths

    if fix and diff:
        sys.stderr.write("argmap check: --fix cannot be combined with --diff\n")
        return 2
    options = CheckOptions(evidence=not no_evidence, select=split_codes(select), ignore=split_codes(ignore))
    if fix or diff:
        code = _fix(paths, options, no_evidence, write=not diff)
        if code is not None:
            return code
    report = check_paths(paths, options)
    _keep_until_exit(report)  # its models: freeing them on return costs 0.15-0.25 s at 281k
    if output_format == "human" and output_file is None:
        # the human form is diagnostics: stderr, as every command writes them (docs/cli.md);
        # json, github and sarif are the command's results: stdout or --output-file
        sys.stderr.write(_render(report, output_format, True))
    else:
        return write_output(_render(report, output_format, False), output_file) or report.exit_code
    return report.exit_code


def _fix(paths: list[str], options: CheckOptions, no_evidence: bool, write: bool) -> int | None:
    """`check --fix` / `--diff` (the work is in `argmap.evidence.fix`); an exit status
    when the command ends here, None when the check follows."""
    if no_evidence:
        sys.stderr.write(
            "argmap check: --fix and --diff rewrite evidence ranges; they cannot be used with --no-evidence\n"
        )
        return 2
    from argmap.checking import discover
    from argmap.evidence.fix import fix_paths

    files, _ = discover(paths)
    try:
        outcome = fix_paths(files, options, write=write)
    except OSError as exc:  # the map's folder is read-only, the disk full...
        from argmap.render.diagnostics import render_human

        sys.stderr.write(render_human([unwritable(exc.filename or paths[0], exc)], {}, 1))
        return 2
    if not write:
        sys.stdout.write(outcome.diff)
        return 0
    for name, count in outcome.edits.items():
        sys.stderr.write(f"argmap check: rewrote {count} evidence line range(s) in {name}\n")
    return None


def _render(report: CheckReport, output_format: str, to_terminal: bool) -> str:
    if output_format == "json":
        from argmap.render.diagnostics import render_json

        return render_json(report.diagnostics, report.files)
    if output_format == "github":
        from argmap.render.github import render_github

        return render_github(report.diagnostics)
    if output_format == "sarif":
        from argmap.render.sarif import render_sarif

        return render_sarif(report.diagnostics, report.files)
    from argmap.profile import describe
    from argmap.render.diagnostics import render_human

    sources = {name: doc.lines for name, doc in report.documents.items()}
    color = to_terminal and sys.stderr.isatty()
    profile = describe(list(report.profiles.values()))
    return render_human(report.diagnostics, sources, len(report.files), color=color, profile=profile)


def run_export(path: str, to: str = "json", output_file: Path | None = None) -> int:
    """`argmap export` (see its help in `argmap.cli.app`)."""
    from argmap.diagnostics import IO_CODES, Level  # not argmap.checking: it imports the rules
    from argmap.grammar import parse_file

    document = parse_file(path)
    _keep_until_exit(document)
    if any(d.code in IO_CODES for d in document.diagnostics):
        _report(document.diagnostics, {})
        return 2
    text: str | Iterable[bytes | memoryview]
    if to == "json":
        from argmap.render.argdown_json import JsonText

        # written as it is made (`JsonText`), after the diagnostics below
        text = JsonText(document)
        _keep_until_exit(document, text)
    elif to == "dot":
        from argmap.render.dot import export_dot

        text = export_dot(document)
    else:
        from argmap.render.graphml import export_graphml

        text = export_graphml(document)
    errors = [d for d in document.diagnostics if d.level is Level.ERROR]
    if document.diagnostics:
        _report(document.diagnostics, {path: document.lines})
    return write_output(text, output_file) or (1 if errors else 0)


# The last command's models (and what a JSON export holds from part to part): see
# `_keep_until_exit`.
_kept: list[object] = []


def _keep_until_exit(*objects: object) -> None:
    """Hold `objects` past the command's return: the CLI then leaves with `os._exit`
    (argmap/cli/__init__.py), which frees nothing, where dropping them on return
    would free a large map's model and export one object at a time (0.2-0.3 s of CPU at
    281k lines). Only the last command's are held, so a library caller that runs
    many checks or exports holds one."""
    _kept[:] = objects


def _report(diagnostics: list[Diagnostic], sources: dict[str, list[str]]) -> None:
    """An export's diagnostics, for a human, on stderr (the renderer is imported only
    for a map that has some)."""
    from argmap.render.diagnostics import render_human

    sys.stderr.write(render_human(diagnostics, sources, 1))

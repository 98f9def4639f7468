"""The `argmap` command. Sub-commands import what they need when they run, so
`argmap --help` and `argmap check` stay fast."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

# Commands that start threads, servers or worker processes need a normal shutdown.
_NEEDS_SHUTDOWN = frozenset({"experiment", "serve"})


def main() -> None:
    from argmap.cli.fastpath import parse, run

    fast = parse(sys.argv[1:])
    if fast is not None:  # a plain `check` or `export`: no typer to import (fastpath.py)
        try:
            status = run(*fast)
        except OSError as exc:
            status = _output_failed(exc)
        _leave(status)
    from argmap.cli.app import app

    try:
        app()
    except SystemExit as exit_:
        code = exit_.code
        if isinstance(code, str):
            sys.stderr.write(code + "\n")
            code = 1
        if set(sys.argv[1:2]) & _NEEDS_SHUTDOWN:
            raise
        _leave(code or 0)
    except OSError as exc:
        _leave(_output_failed(exc))


def _output_failed(exc: OSError) -> int:
    """A write to standard output failed (a full disk, `> /dev/full`): F011 at
    `<stdout>`, exit status 2; a reader that left (`| head`) ends the command with 1.
    Every file a command reads or writes reports its own errors, naming the file, so an
    error that names one and gets here is a bug, and is raised as one."""
    if isinstance(exc, BrokenPipeError):
        return 1
    if exc.filename is not None:
        raise exc
    from argmap.diagnostics import WHOLE_FILE
    from argmap.grammar.codes import diagnostic
    from argmap.render.diagnostics import render_human

    finding = diagnostic("F011", "<stdout>", WHOLE_FILE, "stdout", reason=exc.strerror or str(exc))
    with contextlib.suppress(OSError):  # stderr may be just as unwritable
        sys.stderr.write(render_human([finding], {}, 1))
    return 2


def _leave(code: int) -> NoReturn:
    # A large map leaves hundreds of thousands of objects; freeing them one by one
    # at interpreter exit can take seconds and changes nothing. Flush and leave.
    try:
        sys.stdout.flush()  # (what is still buffered meets a full disk only now)
    except OSError as exc:
        code = _output_failed(exc) if code != 2 else code
    with contextlib.suppress(OSError):  # nowhere left to report a failing stderr
        sys.stderr.flush()
    os._exit(code)

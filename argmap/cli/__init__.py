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
        _leave(run(*fast))
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


def _leave(code: int) -> NoReturn:
    # A large map leaves hundreds of thousands of objects; freeing them one by one
    # at interpreter exit can take seconds and changes nothing. Flush and leave.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError):  # the reader went away: nothing to flush to
            stream.flush()
    os._exit(code)

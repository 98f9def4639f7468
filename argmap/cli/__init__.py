"""The `argmap` command. Sub-commands import what they need when they run, so
`argmap --help` and `argmap check` stay fast."""

from __future__ import annotations

import os
import sys

# Commands that start threads, servers or worker processes need a normal shutdown.
_NEEDS_SHUTDOWN = frozenset({"experiment", "serve"})


def main() -> None:
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
        # A large map leaves hundreds of thousands of objects; freeing them one by one
        # at interpreter exit can take seconds and changes nothing. Flush and leave.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)

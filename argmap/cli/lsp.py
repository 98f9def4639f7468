"""`argmap lsp`: the language server, over stdin/stdout (see docs/editor.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import app


@app.command("lsp")
def lsp_command(
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Talk over stdin/stdout (the default and only transport).")
    ] = True,
) -> None:
    """Run the Argdown language server: diagnostics, hover with computed credences,
    go to definition, references, rename, completion, outline and quick fixes.

    Needs the `lsp` extra (`pip install 'argmap[lsp]'`); exit status 2 without it.
    """
    try:
        from argmap.lsp.server import run
    except ImportError as missing:
        typer.echo(
            f"argmap lsp needs pygls and lsprotocol ({missing}); "
            "install them with `pip install 'argmap[lsp]'`",
            err=True,
        )
        raise typer.Exit(2) from missing
    run()

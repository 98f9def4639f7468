"""The CLI's shared parts: the typer `app` every sub-command registers on, and the
helpers they share. Sub-commands import this module, never `argmap.cli.app` (which
imports them all to register them): the CLI's imports flow one way."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from argmap.cli.commands import write_file, write_output
from argmap.version import __version__

__all__ = ["app", "help_when_bare", "refuse_combination", "typer_app", "write_file", "write_output"]


_TYPER_SETTINGS: dict[str, Any] = {
    "no_args_is_help": True,
    "add_completion": False,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},  # `-h` too (docs/cli.md)
}


def typer_app(name: str, help: str) -> typer.Typer:
    """A typer application as argmap's commands are made: help when called bare, no
    shell-completion options, plain (not rich) output, no pretty tracebacks."""
    return typer.Typer(name=name, help=help, **_TYPER_SETTINGS)


app = typer_app("argmap", "Check, score and test Argdown argument maps.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"argmap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Check, score and test Argdown argument maps."""


def help_when_bare(application: typer.Typer) -> None:
    """Give every command of `application` (and of its groups) that needs an argument
    click's `no_args_is_help`: called with nothing, it prints its help (to stderr, exit
    2, as a bare group does) instead of only "Missing argument" (docs/cli.md, "Help").
    A command that needs nothing (`results schema`) still runs bare."""
    for info in application.registered_commands:
        if info.callback is not None and _needs_argument(info.callback):
            info.no_args_is_help = True
    for group in application.registered_groups:
        if group.typer_instance is not None:
            help_when_bare(group.typer_instance)


def _needs_argument(function: Any) -> bool:
    """Whether `function` has a parameter without a default (a required argument)."""
    parameters = inspect.signature(function).parameters.values()
    return any(p.default is inspect.Parameter.empty for p in parameters)


def refuse_combination(command: str, option: str, others: list[str]) -> None:
    """Exit 2 when `option` was given with options it cannot honour (never drop one
    silently)."""
    if others:
        sys.stderr.write(f"argmap {command}: {option} cannot be combined with {', '.join(others)}\n")
        raise typer.Exit(2)


# ---- options several commands share ----------------------------------------------------

SeedOption = Annotated[int, typer.Option("--seed", help="Random seed of the samples.")]
FixOption = Annotated[
    bool,
    typer.Option("--fix", help="Rewrite the line ranges of moved quotes in place (atomically), then go on."),
]
DiffOption = Annotated[
    bool, typer.Option("--diff", help="Print what --fix would change as a unified diff; write nothing.")
]
OutputFileOption = Annotated[Path | None, typer.Option("--output-file", "-o", help="Write to this file.")]

"""`argmap rule CODE` explains a rule; `argmap rule --all` lists them (like `ruff rule`)."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import app


@app.command("rule")
def rule_command(
    code: Annotated[str | None, typer.Argument(help="A rule code, e.g. V201 or P106.")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every rule with its level and summary.")
    ] = False,
) -> None:
    """Explain a rule: what it checks, why it matters, a bad and a fixed example.

    Exit status: 0, or 2 for an unknown code.
    """
    from argmap.rules.registry import all_rules, get_rule

    if show_all:
        rules = all_rules()
        width = max(len(r.name) for r in rules)
        lines = [
            f"{r.code}  {r.name:<{width}}  {r.level.value:<7}  {r.summary}"
            + (" (fixable)" if r.fixable else "")
            for r in rules
        ]
        typer.echo("\n".join(lines))
        return
    if code is None:
        typer.echo("argmap rule: give a rule code (e.g. `argmap rule V201`) or --all", err=True)
        raise typer.Exit(2)
    entry = get_rule(code)
    if entry is None:
        from argmap.rules.registry import suggest_codes

        close = suggest_codes(code)
        suggestion = f" (did you mean {', '.join(close)}?)" if close else ""
        message = f"unknown rule code {code!r}{suggestion}; `argmap rule --all` lists them"
        typer.echo(f"argmap rule: {message}", err=True)
        raise typer.Exit(2)
    typer.echo(explain(entry.code))


def explain(code: str) -> str:
    """The text `argmap rule CODE` prints."""
    from argmap.rules.registry import get_rule

    entry = get_rule(code)
    if entry is None:
        raise KeyError(code)
    header = f"{entry.code} ({entry.name})"
    meta = f"Level: {entry.level.value}. Family: {entry.family}."
    if not entry.runnable and entry.family == "training":
        meta += " Reported by `argmap experiment run`, not a separate rule."
    elif not entry.runnable:
        meta += " Reported by the parser, not a separate rule."
    if entry.fixable:
        meta += " Fixable: `argmap check --fix` repairs it."
    return f"{header}\n\n{entry.summary}\n\n{meta}\n\n{entry.explanation}\n".replace("\n\n\n", "\n\n")

"""An example rule family from outside argmap (code letter X)."""

from __future__ import annotations

from collections.abc import Iterator

from argmap.diagnostics import Diagnostic
from argmap.rules.registry import Context, rule


@rule(code="X101", name="todo-in-statement", level="warning")
def todo_in_statement(ctx: Context) -> Iterator[Diagnostic]:
    """A statement whose text still says TODO.

    **What it checks.** The text of every statement definition.

    **Why.** A map with placeholders is not ready to be scored.

    Bad:

    ```argdown
    [Thesis]: TODO write the thesis.
    ```

    Fixed:

    ```argdown
    [Thesis]: The picnic will stay dry.
    ```
    """
    for cls in ctx.document.statements.values():
        for member in cls.members:
            if "TODO" in member.text:
                yield ctx.diagnostic(
                    "X101", member.span, f"[{cls.title}] still says TODO", "write the statement"
                )

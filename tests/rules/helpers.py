"""Shared helpers for rule tests: a clean map to mutate and a findings runner."""

from __future__ import annotations

from argmap.config import Settings
from argmap.diagnostics import Diagnostic
from argmap.grammar import parse_text
from argmap.rules import run_rules

CLEAN = """\
[Thesis]: The thesis.
  + <A>

<A>

(1) [P1]: Premise one. #observation
    [Source 2024](https://example.org/paper)
    [evidence](docs/paper.md#L1-L2)
    > quoted words
    {reason: "Measured.", credence: 0.9}
(2) [P2]: Premise two. #assumption {reason: "Plausible.", credence: 0.6}
----
(3) [C]: Conclusion. {reason: "Follows.", inference: 0.8}
  +> [Thesis]
"""


def findings(text: str, settings: Settings | None = None) -> list[Diagnostic]:
    """The findings of the rules; the evidence checks (tests/evidence) are off unless
    `settings` turns them on, as `docs/paper.md` does not exist here."""
    document = parse_text(text, "map.argdown")
    return list(run_rules(document, settings or Settings(evidence=False)))


def codes(text: str, settings: Settings | None = None) -> list[str]:
    return [d.code for d in findings(text, settings)]


def only(text: str, code: str) -> list[Diagnostic]:
    return [d for d in findings(text) if d.code == code]

"""`argmap attach --into-map`: link a stored result from the map's text.

Appends one `#experiment` statement at the end of the map (every existing byte is
kept, in place), written atomically. It relates to the claim the result bears on, so
the map stays connected (`argmap check` reports no isolated statement): `+> [Claim]`
when the result favours the claim (applied factor >= 1), `-> [Claim]` when it cuts
against it. The link to the result file marks it as a linked result, and the scoring
mapping adds no edge for its relations (argmap/engine/mapping.py, "Experiments"): the
result already enters the scores through the results folder, once.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from argmap.diagnostics import Diagnostic
from argmap.results.evidence import Evidence
from argmap.results.model import Result

# One line of plain title characters: nothing Argdown reads as structure (brackets,
# angle brackets, braces, `#` tags, emphasis, escapes, comments, line breaks).
_TITLE_TEXT = re.compile(r"[\w .,;:()%=@'^~+\-/]{1,200}")


def unsafe_text(result: Result, name: str) -> Diagnostic | None:
    """R110 when a field written into the map is not one line of title characters."""
    from argmap.results.validate import diagnostic

    c = result.comparison
    fields = {"claim": result.claim, "method": c.method, "baseline": c.baseline, "metric": c.metric}
    for field, text in fields.items():
        if _TITLE_TEXT.fullmatch(text) and "//" not in text and "/*" not in text:
            continue
        shown = text.encode("unicode_escape").decode("ascii")
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return diagnostic(
            "R110",
            f"the result's {field} `{shown}` cannot be written into the map as text",
            name,
            hint="use one line of letters, digits, spaces and . , ; : ( ) % = @ ' ^ ~ + - _ /"
            " (or attach without --into-map)",
        )
    return None


def experiment_block(map_path: str | os.PathLike[str], stored: Path, evidence: Evidence) -> str:
    r = evidence.result
    c = r.comparison
    from urllib.parse import quote

    # percent-encoded, so a map named `my map.argdown` still gives one markdown link
    link = quote(os.path.relpath(stored, Path(map_path).parent).replace(os.sep, "/"), safe="/")
    relation = "+>" if evidence.log_applied >= 0 else "->"
    return (
        f"[Experiment {r.id[:8]}]: {c.method} vs {c.baseline} on {c.metric}, "
        f"difference {evidence.effect_size:+.4g} [{evidence.ci[0]:+.4g}, {evidence.ci[1]:+.4g}], "
        f"BF+- {evidence.bf_plus_minus:.3g}, factor {evidence.applied:.3g}. #experiment\n"
        f"  [result]({link})\n"
        f"  {relation} [{r.claim}]\n"
    )


def link_into_map(map_path: str | os.PathLike[str], stored: Path, evidence: Evidence) -> None:
    from argmap.fileio import atomic_write_bytes

    original = Path(map_path).read_bytes()
    newline = b"\r\n" if b"\r\n" in original else b"\n"  # the map's own line endings
    block = experiment_block(map_path, stored, evidence).encode("utf-8").replace(b"\n", newline)
    separator = b"" if original.endswith(b"\n") or not original else newline
    atomic_write_bytes(map_path, original + separator + newline + block)

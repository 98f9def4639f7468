"""`argmap attach --into-map`: link a stored result from the map's text.

Appends one `#experiment` statement at the end of the map (every existing byte is
kept, in place), written atomically. The statement mentions the claim (`@[Title]`)
rather than relating to it: the result already enters the scores through the
results folder, and a `+>` edge would count it twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from argmap.results.evidence import Evidence


def experiment_block(map_path: str | os.PathLike[str], stored: Path, evidence: Evidence) -> str:
    r = evidence.result
    c = r.comparison
    link = os.path.relpath(stored, Path(map_path).parent).replace(os.sep, "/")
    return (
        f"[Experiment {r.id[:8]}]: {c.method} vs {c.baseline} on {c.metric}, "
        f"difference {evidence.effect_size:+.4g} [{evidence.ci[0]:+.4g}, {evidence.ci[1]:+.4g}], "
        f"BF+0 {evidence.bf_plus0:.3g}; bears on @[{r.claim}]. #experiment\n"
        f"  [result]({link})\n"
    )


def link_into_map(map_path: str | os.PathLike[str], stored: Path, evidence: Evidence) -> None:
    from argmap.fileio import atomic_write_bytes

    original = Path(map_path).read_bytes()
    block = experiment_block(map_path, stored, evidence).encode("utf-8")
    separator = b"" if original.endswith(b"\n") or not original else b"\n"
    atomic_write_bytes(map_path, original + separator + b"\n" + block)

"""Codes for bad results files (`argmap attach`, `argmap results`): family R.

They are reported by argmap/results/validate.py and store.py, not by a rule function;
registered here so `argmap rule R104` explains them and configuration can name them.
Any of them means nothing was stored.
"""

from __future__ import annotations

from argmap.rules.registry import document_code

_MODULE = __name__

document_code(
    "R101",
    "results-unreadable",
    "error",
    """The results file cannot be read: invalid JSON, an empty or unreadable CSV.

    `argmap attach` reads a result JSON file (see `argmap results schema`) or a long-form
    CSV of runs. A truncated file (a run killed while writing) is the usual cause.

    Bad: `{"claim": "SVD Init Wins", "runs": [` ; fixed: the complete JSON document.
    """,
    _MODULE,
)
document_code(
    "R102",
    "results-schema",
    "error",
    """The file is readable but is not an argmap result.

    A field is missing or has the wrong type, an unknown field is present, the method or
    baseline has no runs, or a CSV has no `seed,method,<metric>` header or lacks the
    `--claim/--method/--baseline/--metric` options that say what it compares.

    Bad: `{"claim": "X", "runs": []}` ; fixed: add `comparison` and at least two seeds per arm.
    """,
    _MODULE,
)
document_code(
    "R103",
    "results-not-finite",
    "error",
    """A metric value is NaN or infinite.

    A diverged run has no meaningful value, and one NaN makes every statistic NaN. Rerun
    the seed or leave the run out (then say so in the result's `note`).

    Bad: `{"seed": 3, "method": "lora", "metrics": {"eval_loss": NaN}}`.
    """,
    _MODULE,
)
document_code(
    "R104",
    "results-too-few-seeds",
    "error",
    """An arm has fewer than two seeds with the compared metric.

    A single run says nothing about seed-to-seed variation, so no Bayes factor can be
    computed from it. Run at least two seeds per arm (five is a sensible minimum).
    """,
    _MODULE,
)
document_code(
    "R105",
    "results-unknown-claim",
    "error",
    """The result names a claim the map does not have.

    The claim is a statement title, without brackets, spelled exactly as in the map; the
    message suggests the closest titles. A result whose claim was renamed after it was
    attached is skipped (with this code as a warning) until it is re-attached.

    Bad: `"claim": "SVD init wins"` ; fixed: `"claim": "SVD Init Wins"`.
    """,
    _MODULE,
)
document_code(
    "R106",
    "results-duplicate",
    "error",
    """The result is already attached to this map.

    Results are identified by a hash of their content (claim, comparison, runs, setup,
    provenance), so the same data attached twice would be counted twice. Detach the old
    one first (`argmap results detach MAP ID`) to change its weight.
    """,
    _MODULE,
)
document_code(
    "R107",
    "results-outside-root",
    "error",
    """A results path would leave the project root.

    Attached results live in `<map stem>.results/` next to the map; argmap never writes
    or reads results outside the project root (the nearest folder above the map with
    `.git`, `argmap.toml` or `pyproject.toml`), for example through a symbolic link.
    """,
    _MODULE,
)
document_code(
    "R108",
    "results-unknown-id",
    "error",
    """No attached result has that id (or prefix).

    `argmap results list MAP` shows the ids of the attached results.
    """,
    _MODULE,
)
document_code(
    "R109",
    "diff-version-unavailable",
    "error",
    """`argmap diff` cannot read one of the versions to compare.

    `argmap diff MAP --rev REV` reads the map as committed at REV with `git show`: the
    map must be inside a git repository, REV must name a commit (`HEAD~1` does not
    exist in a repository with one commit), and the file must exist at that revision
    (not added or renamed later). `argmap diff OLD NEW` needs both files to exist.
    """,
    _MODULE,
)
document_code(
    "R110",
    "results-text-unsafe-for-map",
    "error",
    """Text from a results file would change the map's structure if written into it.

    `argmap attach --into-map` writes the result's claim, method, baseline and metric
    into one `#experiment` statement. Each must be one line of plain title characters
    (letters, digits, spaces and `. , ; : ( ) % = @ ' ^ ~ + - _ /`); a newline, a
    bracket, `<`, `>`, `{`, `}`, `#`, `*`, a backslash or a `//` comment would add
    statements, relations or blocks to the map. Nothing is stored or written.

    Bad: `"method": "pissa\\n[Injected]: text\\n  + [Thesis]"` ; fixed: `"method": "pissa"`.
    """,
    _MODULE,
)

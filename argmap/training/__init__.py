"""The training backend of `argmap experiment`: adapter fine-tuning comparisons that test a
map's claims, on a CPU, a GPU or a Ray cluster, written in the results format.

Importing this package is cheap: torch, transformers, peft and ray are imported only by
the modules that train (`models`, `methods`, `trial`, `runner`), and only when a command
needs them. `spec` (the experiment file) never imports them. See docs/training.md.
"""

from __future__ import annotations

import importlib.util

TRAIN_EXTRA = ["torch", "transformers", "peft", "safetensors"]
INSTALL_HINT = (
    "install the training extra: pip install torch==2.13.0 (a CPU build) "
    "then pip install 'argmap[train]' (add 'argmap[ray]' for --ray)"
)


def missing_packages(names: list[str] | None = None) -> list[str]:
    """The packages of the training extra (or of `names`) that are not installed."""
    return [name for name in (names or TRAIN_EXTRA) if importlib.util.find_spec(name) is None]

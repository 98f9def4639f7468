"""Gradual semantics, one module per family, all on the same `ScoreGraph`.

`get(name)` returns the semantics object; `NAMES` lists them in the order the
side-by-side table shows them. Importing this package imports numpy.
"""

from __future__ import annotations

from importlib import import_module

from argmap.engine.evaluate import Semantics

DEFAULT = "logodds"
_MODULES = {
    "logodds": "logodds",
    "dfquad": "dfquad",
    "qe": "qe",
    "euler": "euler",
    "quad": "quad",
    "vargdown-compat": "vargdown_compat",
}
NAMES: list[str] = list(_MODULES)


def get(name: str) -> Semantics:
    """The semantics called `name`; ValueError names the valid ones."""
    module = _MODULES.get(name.lower())
    if module is None:
        raise ValueError(f"unknown semantics {name!r}; choose one of: {', '.join(NAMES)}")
    semantics: Semantics = import_module(f"argmap.engine.semantics.{module}").SEMANTICS
    return semantics

"""Gradual semantics, one module per family, all on the same `ScoreGraph`.

`get(name)` returns the semantics object; `names()` lists them in the order the
side-by-side table shows them: argmap's own, then those of installed plugins. A
plugin adds a semantics through an entry point in the group `argmap.semantics`
whose name is the semantics' name and whose value is an object with `name`,
`title` and `combine(base, aggregates)` (docs/scoring.md, "Plugins"). Importing
this package imports numpy.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from argmap.engine import DEFAULT_SEMANTICS
from argmap.engine.evaluate import Semantics

DEFAULT = DEFAULT_SEMANTICS
PLUGIN_GROUP = "argmap.semantics"
_MODULES = {
    "logodds": "logodds",
    "dfquad": "dfquad",
    "qe": "qe",
    "euler": "euler",
    "quad": "quad",
    "vargdown-compat": "vargdown_compat",
}
NAMES: list[str] = list(_MODULES)  # argmap's own; `names()` adds the plugins'


def _plugins() -> dict[str, object]:
    return {
        entry.name.lower(): entry
        for entry in entry_points(group=PLUGIN_GROUP)
        if entry.name.lower() not in _MODULES
    }


def names() -> list[str]:
    """Every semantics: argmap's own, then installed plugins' (by name)."""
    return [*NAMES, *sorted(_plugins())]


def get(name: str) -> Semantics:
    """The semantics called `name`; ValueError names the valid ones."""
    module = _MODULES.get(name.lower())
    if module is not None:
        semantics: Semantics = import_module(f"argmap.engine.semantics.{module}").SEMANTICS
        return semantics
    plugin = _plugins().get(name.lower())
    if plugin is None:
        raise ValueError(f"unknown semantics {name!r}; choose one of: {', '.join(names())}")
    loaded = plugin.load()  # type: ignore[attr-defined]
    return getattr(loaded, "SEMANTICS", loaded)  # type: ignore[no-any-return]

"""What-if without editing the file: `--set "Forecast=0.5"`, `--remove "<Clear Sky Now>"`.

`--set NAME=VALUE` changes one input: `Forecast` or `[Forecast]` is that premise's
credence; `<Argument>` is the argument's (main) inference, or the credence of an
argument written only as a description; a `.bag` argument's name sets its base.
`--remove NAME` takes an argument (`<A>`) or a claim (`[C]`, or a `.bag` name) out
of the map: every support, attack and undercut it makes is dropped, as if the
lines were deleted. Pure Python: the API evaluates before and after.
"""

from __future__ import annotations

from argmap.engine.qbaf import ScoreGraph


class WhatIfError(ValueError):
    """A --set or --remove that names nothing in the map; the message says what exists."""


def _close(graph: ScoreGraph, name: str) -> str:
    import difflib

    names = [n.key for n in graph.nodes] + [f"<{d.argument}>" for d in graph.derivations]
    found = difflib.get_close_matches(name, names, n=1)
    return f"; did you mean {found[0]}?" if found else ""


def parse_assignment(text: str) -> tuple[str, float]:
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip():
        raise WhatIfError(f"--set needs NAME=VALUE, got {text!r}")
    try:
        number = float(value)
    except ValueError:
        raise WhatIfError(f"--set {text!r}: {value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise WhatIfError(f"--set {text!r}: the value must lie in [0, 1]")
    return name.strip(), number


def resolve_set(graph: ScoreGraph, name: str) -> int:
    """The param index that `name` sets."""
    index = graph.index()
    if name.startswith("<") and name.endswith(">"):
        title = name[1:-1]
        mains = [d for d in graph.derivations if d.argument == title]
        if mains and mains[-1].inference_param is not None:
            return mains[-1].inference_param
        node = index.get(name)
        if node is not None and graph.nodes[node].base_param is not None:
            param = graph.nodes[node].base_param
            assert param is not None
            return param
        raise WhatIfError(f"--set: {name} has no stated inference or credence to change{_close(graph, name)}")
    keys = [name] if name.startswith("[") else [f"[{name}]", name]
    for key in keys:
        node = index.get(key)
        if node is None:
            continue
        param = graph.nodes[node].base_param
        if param is None:
            derived = [d.argument for d in graph.derivations if d.node == node]
            if derived:
                raise WhatIfError(
                    f"--set: {key} is computed from <{derived[0]}>; set its inference with "
                    f'--set "<{derived[0]}>=VALUE" or its premises instead'
                )
            raise WhatIfError(f"--set: {key} states no credence (it starts from a prior)")
        return param
    raise WhatIfError(f"--set: no claim or argument called {name!r}{_close(graph, name)}")


def resolve_remove(graph: ScoreGraph, name: str) -> list[int]:
    """Indices into edges + undercuts that removing `name` drops."""
    players = graph.players
    if name in players:
        return players[name]
    index = graph.index()
    for key in (name, f"[{name}]", f"<{name}>"):
        node = index.get(key)
        if node is not None:
            offset = len(graph.edges)
            found = [i for i, e in enumerate(graph.edges) if e.source == node]
            found += [offset + j for j, u in enumerate(graph.undercuts) if u.source == node]
            return found
    raise WhatIfError(f"--remove: no argument or claim called {name!r}{_close(graph, name)}")

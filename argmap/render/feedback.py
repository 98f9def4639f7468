"""Which edges of a component the layered layout turns round so the graph has no cycle.

grandalf finds them with a recursive depth-first search (`get_scs_with_feedback`): a
support chain of 1,000 statements, nesting 1,000 levels deep or a cycle of 2,000 claims
ran past Python's recursion limit, and each step also searched the stack as a list
(quadratic on a long path). This is the same search with an explicit stack: roots in
the order given, then every vertex not yet reached in the component's order; an edge
is a feedback edge when it leads back to a vertex on the current path. The result is
the set grandalf marks, so the ranks and the drawing stay the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["feedback_edges"]


def feedback_edges(vertices: Iterable[Any], roots: Iterable[Any]) -> list[Any]:
    """The back edges of a depth-first search over grandalf vertices (`e_out()`,
    `edge.v`), started from `roots` and then from each unreached vertex in `vertices`'
    order, in the order they were found."""
    reached: set[int] = set()
    on_path: set[int] = set()
    found: list[Any] = []
    ordered = list(vertices)
    for start in [*roots, *ordered]:
        if id(start) not in reached:
            _search_from(start, reached, on_path, found)
    return found


def _search_from(start: Any, reached: set[int], on_path: set[int], found: list[Any]) -> None:
    reached.add(id(start))
    on_path.add(id(start))
    stack: list[tuple[Any, Iterator[Any]]] = [(start, iter(start.e_out()))]
    while stack:
        vertex, pending = stack[-1]
        for edge in pending:
            head = edge.v[1]
            if id(head) not in reached:
                reached.add(id(head))
                on_path.add(id(head))
                stack.append((head, iter(head.e_out())))
                break
            if id(head) in on_path:
                found.append(edge)
        else:
            on_path.discard(id(vertex))
            stack.pop()

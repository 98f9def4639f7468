"""The automatic thesis counts upstream claims with a walk from each of a few candidates,
or for all nodes at once with masks; the counts equal a walk from each node (checked
against that walk on random graphs with cycles)."""

from __future__ import annotations

import random

from argmap.graph import FEW_WALKS, _upstream_counts, upstream_counts, upstream_of


def _walk(key: object, parents: dict) -> int:  # type: ignore[type-arg]
    seen: set[object] = set()
    stack = list(parents.get(key, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(parents.get(node, ()))
    return len(seen)


def test_counts_equal_one_walk_per_node() -> None:
    for trial in range(200):
        rng = random.Random(trial)
        size = rng.randint(1, 25)
        parents: dict = {}  # type: ignore[type-arg]
        for _ in range(rng.randint(0, 50)):
            child, parent = ("statement", str(rng.randrange(size))), ("statement", str(rng.randrange(size)))
            parents.setdefault(child, set()).add(parent)
        counts = _upstream_counts(parents)
        for key in parents:
            assert counts[key] == _walk(key, parents), (trial, key)


def test_a_long_chain_is_counted_without_recursion() -> None:
    chain = {("statement", str(i)): {("statement", str(i + 1))} for i in range(20_000)}
    assert _upstream_counts(chain)[("statement", "0")] == 20_000


def test_acyclic_counts_equal_one_walk_per_node() -> None:
    # parents only among later nodes: no cycle, the topological path (no components)
    for trial in range(100):
        rng = random.Random(1000 + trial)
        size = rng.randint(2, 40)
        parents: dict = {}  # type: ignore[type-arg]
        for _ in range(rng.randint(0, 80)):
            a, b = sorted(rng.sample(range(size), 2))
            parents.setdefault(("statement", str(a)), set()).add(("statement", str(b)))
        counts = _upstream_counts(parents)
        for key in parents:
            assert counts[key] == _walk(key, parents), (trial, key)


def test_a_self_loop_counts_the_node_itself() -> None:
    parents = {("statement", "a"): {("statement", "a"), ("statement", "b")}}
    counts = _upstream_counts(parents)
    assert counts[("statement", "a")] == 2  # b, and a through its own loop
    assert counts[("statement", "b")] == 0


def test_walks_for_few_candidates_equal_the_masks() -> None:
    # upstream_of walks from each node when there are few, else reads the masks: the
    # counts agree either way, on graphs with and without cycles
    for trial in range(200):
        rng = random.Random(2000 + trial)
        size = rng.randint(1, 30)
        parents: list[list[int]] = [[] for _ in range(size)]
        for _ in range(rng.randint(0, 60)):
            parents[rng.randrange(size)].append(rng.randrange(size))
        everything = upstream_counts(parents)
        few = rng.sample(range(size), min(size, FEW_WALKS))
        assert upstream_of(parents, few) == {node: everything[node] for node in few}, trial
        many = list(range(size))
        assert upstream_of(parents, many) == dict(enumerate(everything)), trial


def test_many_nodes_on_few_parent_sets_are_counted_by_walks_that_agree() -> None:
    # a chain 0 <- 1 <- ... <- 99 (each node's parent is the next), 200 sinks hanging
    # off node 0 and 50 off nodes 0 and 5 together: two parent sets, so two walks
    parents: list[list[int]] = [[i + 1] for i in range(99)] + [[]]
    sinks = list(range(100, 300))
    parents += [[0] for _ in range(200)] + [[5, 0] for _ in range(50)]
    counts = upstream_of(parents, sinks + list(range(300, 350)))
    assert {counts[s] for s in sinks} == {100}  # nodes 0..99
    everything = upstream_counts(parents)
    assert counts == {node: everything[node] for node in counts}

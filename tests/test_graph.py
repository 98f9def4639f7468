"""`argmap.graph.to_networkx`: nodes, relation edges and PCS edges."""

from __future__ import annotations

from argmap.grammar import parse_text
from argmap.graph import to_networkx

MAP = """===
model:
    mode: strict
===

[T]: thesis
  + <A>
  - <B>

<A>

(1) [P1]: one
(2) [P2]: two
----
(3) [C]: conclusion
  +> [T]

<B>: a sketch
  _> <A>
"""


def test_graph_nodes_and_edges() -> None:
    graph = to_networkx(parse_text(MAP))
    assert set(graph.nodes) == {
        ("statement", "T"),
        ("statement", "P1"),
        ("statement", "P2"),
        ("statement", "C"),
        ("argument", "A"),
        ("argument", "B"),
    }
    edges = {(s[1], t[1], k) for s, t, k in graph.edges(keys=True)}
    assert edges == {
        ("P1", "A", "premise"),
        ("P2", "A", "premise"),
        ("A", "C", "conclusion"),
        ("A", "T", "support"),
        ("B", "T", "attack"),
        ("C", "T", "entails"),
        ("B", "A", "undercut"),
    }
    assert graph.nodes[("argument", "B")]["text"] == "a sketch"
    assert graph.nodes[("statement", "T")]["top_level"] is True


def test_duplicate_relations_are_one_edge() -> None:
    graph = to_networkx(parse_text("[T]: t\n  + <A>\n\n<A>: a\n  +> [T]\n"))
    assert graph.number_of_edges(("argument", "A"), ("statement", "T")) == 1


def test_the_cached_graph_does_not_keep_its_document_alive() -> None:
    """`argument_graph` caches per document; the cache must let the document go (a
    long-lived process such as the language server parses every edit)."""
    import gc
    import weakref

    from argmap import graph as graph_module

    document = parse_text("[T]: t\n  + <A>: a\n")
    assert graph_module.argument_graph(document).thesis.title == "T"
    gone = weakref.ref(document)
    key = id(document)
    del document
    gc.collect()
    assert gone() is None
    assert key not in graph_module._CACHE


def _cluster(*descriptions: str) -> str | None:
    from argmap.graph import cluster_of

    document = parse_text("\n\n".join(f"<A>: {text}" for text in descriptions) + "\n")
    assert not [d for d in document.diagnostics if d.level == "error"], document.diagnostics
    return cluster_of(document.arguments["A"])


def test_cluster_of_an_argument_over_its_descriptions() -> None:
    assert _cluster("plain.") is None
    assert _cluster("first. #cluster-a", "second. #cluster-b") == "a"  # the first tag
    assert _cluster("first. #cluster-a", "second. {cluster: d}") == "d"  # data before tags
    assert _cluster("first. {cluster: d}", "second. {cluster: e}") == "e"  # later data wins
    assert _cluster("first. {cluster: d}", "second. #cluster-a {cluster: 3}") == "a"  # not a name
    assert _cluster("first. #cluster- #cluster-z") == "z"  # an empty name is none

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


STATEMENTS = """[Q]: a reference before the definition below. {credence: 0.2}

<A>

(1) [O]: observed, cited only further down. #observation {reason: "r", credence: 0.9}
(2) [Q] {credence: 0.4}
----
(3) [C]: concluded. {inference: 0.7}

[O] #observation
    [Smith 2020](https://example.org/smith)
    [evidence](docs/smith.md#L3-L4)
    > the quoted words

[K]: cited in full. #observation
    [Jones 2021](https://example.org/jones)
    [evidence](docs/jones.md#L1)
    > more words

[U]
"""


def test_one_walk_over_the_statements_keeps_heads_blocks_links_and_observations() -> None:
    from argmap.graph import argument_graph

    document = parse_text(STATEMENTS)
    graph = argument_graph(document)
    heads = graph.statement_heads
    # a statement's span is its first definition's; its data merges every occurrence's,
    # later ones winning ([Q] is defined on line 1, used with another credence on line 6)
    assert heads["Q"][0].line == 1 and dict(heads["Q"][1]) == {"credence": 0.4}
    assert heads["U"][0].line == 20 and dict(heads["U"][1]) == {}  # only referred to
    assert heads["C"][1] == {"inference": 0.7}
    # every occurrence's block, statement by statement, definitions before references
    assert [block.span.line for block in graph.statement_blocks] == [1, 6, 5, 8]
    assert [link.path for link in graph.statement_evidence] == ["docs/smith.md", "docs/jones.md"]
    # [O]'s first occurrence cites nothing; [K]'s cites its source, evidence and a quote
    assert [(cls.title, cited) for cls, cited in graph.observations] == [("O", False), ("K", True)]
    assert graph.undefined_statements == ["U"]

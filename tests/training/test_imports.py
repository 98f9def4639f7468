"""The training package has no import circle, not even through imports inside functions
(the old one went datasets -> trial -> datasets through the private trial._cls_loss)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[2] / "argmap" / "training"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("argmap.training."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("argmap.training.")}
    return found


def test_training_modules_import_without_a_circle() -> None:
    graph = nx.DiGraph()
    for path in PACKAGE.glob("*.py"):
        graph.add_node(path.stem)
        for target in _imports(path):
            graph.add_edge(path.stem, target)
    assert graph.has_edge("datasets", "evaluation") and graph.has_edge("trial", "datasets")
    assert list(nx.simple_cycles(graph)) == []

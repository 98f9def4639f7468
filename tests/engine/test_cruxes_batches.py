"""Sampled Shapley contributions are evaluated a batch of permutations at a time (issue
16: `argmap report` on a support chain of 1,000 statements filled 6 GB at once)."""

from __future__ import annotations

from typing import Any

import pytest

from argmap.engine import cruxes
from argmap.engine.api import load_graph, score
from argmap.engine.evaluate import Compiled, point_params
from argmap.engine.semantics import get
from argmap.grammar import parse_text
from tests.maps import support_chain_map


def _chain_contributions(n: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, int]:
    largest = {"entries": 0}
    original = cruxes._thesis

    def recorded(compiled: Any, semantics: Any, params: Any, mask: Any) -> Any:
        largest["entries"] = max(largest["entries"], params.size, 0 if mask is None else mask.size)
        return original(compiled, semantics, params, mask)

    monkeypatch.setattr(cruxes, "_thesis", recorded)
    result = score(parse_text(support_chain_map(n), "m.argdown"), samples=0, cruxes=3)
    monkeypatch.undo()
    return result, largest["entries"]


def test_no_batch_fills_more_than_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    result, entries = _chain_contributions(160, monkeypatch)
    assert result.contributions and not result.contributions[0].shapley_exact
    # all 256 permutations at once: 161 parameters x 256 x 161 coalitions, 6.6 million entries
    assert entries <= 4_000_000


def test_batches_change_no_contribution(monkeypatch: pytest.MonkeyPatch) -> None:
    whole, _ = _chain_contributions(30, monkeypatch)
    monkeypatch.setattr(cruxes, "COALITION_ENTRIES", 1)  # one permutation per batch
    batched, _ = _chain_contributions(30, monkeypatch)
    assert [(c.name, c.shapley) for c in batched.contributions] == [
        (c.name, c.shapley) for c in whole.contributions
    ]
    assert whole.thesis.credence is not None
    # efficiency: each permutation's marginal gains add up to v(everyone) - v(no one)
    total = sum(
        c.shapley for c in score(parse_text(support_chain_map(30)), samples=0, cruxes=30).contributions
    )
    assert total == pytest.approx(whole.thesis.credence - 0.5, abs=1e-4)


def _coalitions_evaluated(n: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, int]:
    """The contributions of a chain of `n` and how many coalitions were evaluated for them."""
    columns = {"count": 0}
    original = cruxes._thesis

    def counted(compiled: Any, semantics: Any, params: Any, mask: Any) -> Any:
        columns["count"] += params.shape[1]
        return original(compiled, semantics, params, mask)

    compiled = Compiled(load_graph(parse_text(support_chain_map(n), "m.argdown"), None)[0])
    monkeypatch.setattr(cruxes, "_thesis", counted)
    found = cruxes.contributions(compiled, get("logodds"), point_params(compiled)[:, 0], None, k=100)
    monkeypatch.setattr(cruxes, "_thesis", original)
    return found, columns["count"]


def test_contributions_analyse_the_players_nearest_the_thesis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cruxes, "MAX_PLAYERS", 6)
    found, _ = _coalitions_evaluated(40, monkeypatch)
    # S0 is the thesis; [S1] acts on it, [S2] on [S1], ...: the six nearest are S1..S6
    assert sorted(c.name for c in found) == sorted(f"[S{i}]" for i in range(1, 7))


def test_contribution_work_stops_growing_past_the_player_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cruxes, "MAX_PLAYERS", 6)
    _, small = _coalitions_evaluated(60, monkeypatch)
    _, large = _coalitions_evaluated(240, monkeypatch)
    assert small == large > 0  # 256 permutations x (6 + 1) coalitions (+ removals), whatever n

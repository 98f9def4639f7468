#!/usr/bin/env python3
"""Scoring speed: point values under every semantics, and Monte Carlo intervals.

    python bench/gen_synthetic.py --lines 281000 --seed 1 -o /tmp/bench/syn_281000.argdown
    .venv/bin/python bench/bench_score.py /tmp/bench/syn_281000.argdown --samples 1000
    .venv/bin/python bench/bench_score.py /tmp/bench/adapters_fixed.argdown --samples 10000

For each map: parse time; map -> ScoreGraph time; the point value under every
semantics (one evaluation each, after the graph is built: "beyond parsing"); and
the thesis's Monte Carlo interval under the default semantics with `--samples`.
Best of `--repeat` runs (default 3). End-to-end CLI time (start-up included) is
measured separately with `time argmap score MAP --samples 10000`.
"""

from __future__ import annotations

import argparse
import time
from functools import partial
from pathlib import Path


def best(repeat: int, work: object) -> float:
    assert callable(work)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("maps", nargs="+", type=Path)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from argmap.engine.evaluate import Compiled, evaluate, point_params
    from argmap.engine.mapping import document_to_graph
    from argmap.engine.montecarlo import propagate
    from argmap.engine.semantics import NAMES, get
    from argmap.grammar import parse_file

    for path in args.maps:
        t0 = time.perf_counter()
        document = parse_file(path)
        parse_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        graph, _ = document_to_graph(document)
        compiled = Compiled(graph)
        map_s = time.perf_counter() - t0
        params = point_params(compiled)
        per = {}
        for name in NAMES:
            per[name] = best(args.repeat, partial(evaluate, compiled, get(name), params))
        mc = partial(
            propagate, compiled, get("logodds"), args.samples, 0, 20.0, graph.thesis, keep_claims=False
        )
        mc_s = best(args.repeat, mc)
        print(
            f"{path.name}: {len(document.arguments)} arguments, {len(graph.nodes)} claims, "
            f"{len(graph.params)} inputs, depth {compiled.depth}, acyclic {compiled.acyclic}"
        )
        print(f"  parse {parse_s:.3f} s; map to graph {map_s:.3f} s")
        print(
            "  point value: "
            + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in per.items())
            + f"; all semantics {sum(per.values()):.3f} s (+ map {map_s:.3f} s)"
        )
        print(f"  {args.samples} samples (logodds): {mc_s:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

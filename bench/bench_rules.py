#!/usr/bin/env python3
"""Rules overhead: time `parse_file` alone and the registered rules on the parsed map.

    python bench/gen_synthetic.py --lines 281000 --seed 1 -o /tmp/bench/syn_281000.argdown
    .venv/bin/python bench/bench_rules.py /tmp/bench/syn_281000.argdown [more maps...]
    .venv/bin/python bench/bench_rules.py --per-rule /tmp/bench/syn_71000.argdown

For each map: best of `--repeat` runs (default 3) of parsing, and of running every
registered rule (`argmap.rules.run_rules`, default settings, evidence off) on the
parsed document; prints both and the ratio rules / parse. Times are CPU time of this
process (`time.process_time`), the collector paused while a step runs; no collection
between parsing and the rules (it would bring the whole map into the caches first).

`--per-rule` times each runnable rule on its own instead (the rules `--no-evidence`
runs, in `run_rules`' order, on a freshly parsed document and one `Context` as there,
so the first rule to use a shared cache, the argument graph included, pays for it):
best of `--repeat` per rule, rules above 1 ms listed, and their sum.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def _timed(action: Callable[..., Any], *args: Any, collect: bool = True) -> tuple[float, Any]:
    """CPU seconds of `action(*args)` with the collector paused, and its result. With
    `collect`, one collection first (rules are timed without: a collection walks every
    object of the parsed map and so warms the caches for them, which `check` does not)."""
    if collect:
        gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        result = action(*args)
        return time.process_time() - start, result
    finally:
        gc.enable()


def _count(findings: Iterable[Any]) -> int:
    """Run a lazy rule (or `run_rules`) to the end: how many findings it yields."""
    return sum(1 for _ in findings)


def _whole(paths: list[Path], repeat: int) -> None:
    from argmap.config import Settings
    from argmap.grammar import parse_file
    from argmap.rules import run_rules

    print(f"{'map':<28} {'lines':>8} {'parse s':>9} {'rules s':>9} {'rules/parse':>12} {'findings':>9}")
    for path in paths:
        lines = path.read_text(encoding="utf-8").count("\n")
        parse_times, rule_times = [], []
        findings = 0
        for _ in range(repeat):
            parse_s, document = _timed(parse_file, path)
            parse_times.append(parse_s)
            rules_s, findings = _timed(_count, run_rules(document, Settings(evidence=False)), collect=False)
            rule_times.append(rules_s)
        parse_s, rules_s = min(parse_times), min(rule_times)
        ratio = rules_s / parse_s
        print(f"{path.name:<28} {lines:>8} {parse_s:>9.3f} {rules_s:>9.3f} {ratio:>11.1%} {findings:>9}")


def _each_rule(entries: list[Any], ctx: Any, best: dict[str, float]) -> None:
    """Run the rules in turn, each one's CPU seconds into `best` (the least so far)."""
    for entry in entries:
        start = time.process_time()
        _count(entry.check(ctx))
        seconds = time.process_time() - start
        best[entry.code] = min(best.get(entry.code, seconds), seconds)


def _per_rule(paths: list[Path], repeat: int) -> None:
    from argmap.config import Settings
    from argmap.grammar import parse_file
    from argmap.profile import applies, resolve_profile
    from argmap.rules.registry import _RULES, Context

    for path in paths:
        settings = Settings(evidence=False)
        best: dict[str, float] = {}
        for _ in range(repeat):
            # a fresh document each time: what rules share (the argument graph too) is built
            # by the first rule that needs it, as in `argmap check`
            document = parse_file(path)
            profile, _ = resolve_profile(document, settings.profile)
            ctx = Context(document=document, settings=settings)
            entries = [
                entry
                for code, entry in sorted(_RULES.items())
                if entry.check is not None
                and applies(profile, code)
                and (entry.when is None or getattr(settings, entry.when, True))
            ]
            _timed(_each_rule, entries, ctx, best, collect=False)
        print(f"{path.name}: rules total {sum(best.values()):.3f} s (sum of per-rule minima)")
        for code, seconds in sorted(best.items(), key=lambda item: -item[1]):
            if seconds >= 0.001:
                print(f"  {code} {seconds:.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("maps", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-rule", action="store_true", help="time each rule on its own")
    args = parser.parse_args()

    from argmap.grammar import parse_file
    from argmap.rules.registry import load_rules

    load_rules()
    parse_file(args.maps[0])  # warm the grammar cache
    if args.per_rule:
        _per_rule(args.maps, args.repeat)
    else:
        _whole(args.maps, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

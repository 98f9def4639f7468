#!/usr/bin/env python3
"""Rules overhead: time `parse_file` alone and the registered rules on the parsed map.

    python bench/gen_synthetic.py --lines 281000 --seed 1 -o /tmp/bench/syn_281000.argdown
    .venv/bin/python bench/bench_rules.py /tmp/bench/syn_281000.argdown [more maps...]

For each map: best of `--repeat` runs (default 3) of parsing, and of running every
registered rule (`argmap.rules.run_rules`, default settings, evidence off) on the
parsed document; prints both and the ratio rules / parse.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("maps", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from argmap.config import Settings
    from argmap.grammar import parse_file
    from argmap.rules import run_rules
    from argmap.rules.registry import load_rules

    load_rules()
    parse_file(args.maps[0])  # warm the grammar cache
    print(f"{'map':<28} {'lines':>8} {'parse s':>9} {'rules s':>9} {'rules/parse':>12} {'findings':>9}")
    for path in args.maps:
        lines = path.read_text(encoding="utf-8").count("\n")
        parse_times, rule_times = [], []
        findings = 0
        for _ in range(args.repeat):
            gc.collect()
            start = time.perf_counter()
            document = parse_file(path)
            parse_times.append(time.perf_counter() - start)
            gc.collect()
            start = time.perf_counter()
            findings = sum(1 for _ in run_rules(document, Settings(evidence=False)))
            rule_times.append(time.perf_counter() - start)
        parse_s, rules_s = min(parse_times), min(rule_times)
        ratio = rules_s / parse_s
        print(f"{path.name:<28} {lines:>8} {parse_s:>9.3f} {rules_s:>9.3f} {ratio:>11.1%} {findings:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

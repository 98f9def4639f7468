"""Parse speed and peak memory of argmap on the synthetic maps and the real map.

For each input, in a fresh interpreter each time (so start-up and peak memory are
real): `parse` = wall time of `argmap.grammar.parse_file` alone, `process wall` = wall
time of the whole process (interpreter start, imports, parse, exit as the CLI exits),
and the process's peak RSS.

    python bench/gen_synthetic.py --lines 281000 --seed 1 -o bench/out/syn_281000.argdown
    python bench/bench_parse.py bench/out/*.argdown --runs 3
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from argmap.grammar import parse_file
imported = time.perf_counter()
document = parse_file(sys.argv[1])
done = time.perf_counter()
print(json.dumps({"parse": done - imported, "diagnostics": len(document.diagnostics),
                  "arguments": len(document.arguments), "statements": len(document.statements)}))
sys.stdout.flush()
import os
os._exit(0)  # as the argmap CLI does: no object-by-object teardown at exit
"""


def measure(path: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(out.stdout)
    result["wall"] = wall
    result["peak_mb"] = max(peak, before) / 1024
    return result


PHASES = """
import gc, sys, time
from argmap.grammar import _blocks, _parser
from argmap.grammar.builder import DocumentBuilder
from argmap.grammar.source import decode_source
data = open(sys.argv[1], "rb").read()
parser = _parser()
gc.disable()  # as parse_file runs these phases
t0 = time.perf_counter()
source = decode_source(data, sys.argv[1])
t1 = time.perf_counter()
blocks = _blocks(source)  # as parse_source gets them
t2 = time.perf_counter()
DocumentBuilder(source).build(list(blocks))
t3 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f}")
sys.stdout.flush()
import os
os._exit(0)
"""


def phases(path: Path, runs: int) -> None:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PHASES, str(path)], capture_output=True, text=True, check=True
        )
        results.append([float(x) for x in out.stdout.split()])
    best = min(results, key=sum)
    print(
        f"{path.name}: decode+mask {best[0]:.2f} s, lex+parse {best[1]:.2f} s, build model {best[2]:.2f} s, "
        f"total {sum(best):.2f} s (best of {runs})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="time decode, parse and build separately")
    args = parser.parse_args()
    if args.phases:
        for path in args.files:
            phases(path, args.runs)
        return
    print("| input | lines | bytes | parse s (min / median) | process wall s (min / median) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in args.files:
        runs = [measure(path) for _ in range(args.runs)]
        lines = path.read_bytes().count(b"\n")
        parse = statistics.median(r["parse"] for r in runs)
        wall = statistics.median(r["wall"] for r in runs)
        parse_min = min(r["parse"] for r in runs)
        wall_min = min(r["wall"] for r in runs)
        # ru_maxrss of children is the maximum over all children so far: measure the
        # largest file last, or run the script once per file for exact per-file peaks.
        peak = max(r["peak_mb"] for r in runs)
        print(
            f"| {path.name} | {lines:,} | {path.stat().st_size:,} | {parse_min:.2f} / {parse:.2f} "
            f"| {wall_min:.2f} / {wall:.2f} | {peak:.0f} |"
        )


if __name__ == "__main__":
    main()

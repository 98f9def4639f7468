#!/usr/bin/env python3
"""Paired CPU-time comparison of argmap with the reference CLI (`argdown json`).

For each input, each round runs the commands back to back in alternating order
(`argdown json`, `argmap check --no-evidence`, `argmap export --to json`, then the
reverse in the next round), so a busy machine slows both sides of a pair alike.
CPU time is the child's user + system time (`resource.getrusage`), wall time is
measured too. Reported per input: median CPU seconds of each command and the median
of the per-round ratios argmap / reference.

    ARGDOWN_REF=/path/with/node_modules/@argdown/cli \\
        python bench/bench_reference.py --rounds 5 FILE...

`argmap` is the console script next to the running interpreter unless --argmap names one.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], cwd: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of `command` and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def measure(path: Path, argdown: str, argmap: str, rounds: int) -> dict[str, list[tuple[float, float]]]:
    commands = {
        "reference": [argdown, "json", str(path), "out"],
        "check": [argmap, "check", "--no-evidence", str(path)],
        "export": [argmap, "export", "--to", "json", str(path), "-o", "out.json"],
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as work:
        for round_number in range(rounds):
            order = list(commands) if round_number % 2 == 0 else list(reversed(commands))
            for name in order:
                results[name].append(timed(commands[name], work))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--argmap", default=str(Path(sys.executable).with_name("argmap")))
    args = parser.parse_args()
    base = os.environ.get("ARGDOWN_REF")
    if not base:
        print("set ARGDOWN_REF to the folder holding node_modules/@argdown/cli", file=sys.stderr)
        return 2
    argdown = str(Path(base) / "node_modules" / ".bin" / "argdown")
    print("| input | lines | reference CPU s | check CPU s | ratio | export CPU s | ratio | check wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.files:
        path = Path(name).resolve()
        lines = path.read_bytes().count(b"\n")
        runs = measure(path, argdown, args.argmap, args.rounds)
        ref = [cpu for cpu, _ in runs["reference"]]
        row = [path.name, f"{lines:,}", f"{statistics.median(ref):.2f}"]
        for name_ in ("check", "export"):
            cpu = [c for c, _ in runs[name_]]
            ratios = [c / r for c, r in zip(cpu, ref, strict=True)]
            row += [f"{statistics.median(cpu):.2f}", f"{statistics.median(ratios):.2f}"]
        row.append(f"{statistics.median(w for _, w in runs['check']):.2f}")
        print("| " + " | ".join(row) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

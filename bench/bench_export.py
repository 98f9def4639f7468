#!/usr/bin/env python3
"""CPU time of `argmap export --to json` after parsing: the walk that builds the
reference's JSON shape, and the JSON text (orjson, with the check of the user's data
blocks), each timed once in a fresh process right after `parse_file`, as the command
runs them (a second walk in the same process finds its memory already allocated and
is faster). Reported per input: min and median over `--runs` processes.

    PYTHONPATH=/path/to/tree python bench/bench_export.py --runs 7 FILE...
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

_ONE_RUN = """
import gc, sys, time
gc.disable()  # as `argmap export` runs (argmap/cli/fastpath.py)
from argmap import jsonout
from argmap.grammar import parse_file
from argmap.render.argdown_json import _Export
document = parse_file(sys.argv[1])
start = time.process_time()
export = _Export()
value = export.document(document)
walked = time.process_time()
jsonout.dumps_bytes(value, default=str, user_values=export.user_values)
print(walked - start, time.process_time() - walked)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| input | walk CPU s min / median | JSON CPU s min / median |")
    print("|---|---:|---:|")
    for name in args.files:
        walks, texts = [], []
        for _ in range(args.runs):
            # an empty working folder: `python -c` imports from there first, and argmap
            # must come from PYTHONPATH (the tree being measured)
            with tempfile.TemporaryDirectory() as empty:
                out = subprocess.run(
                    [sys.executable, "-c", _ONE_RUN, os.path.abspath(name)],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=empty,
                ).stdout.split()
            walks.append(float(out[0]))
            texts.append(float(out[1]))
        cells = [f"{min(v):.3f} / {statistics.median(v):.3f}" for v in (walks, texts)]
        print(f"| {os.path.basename(name)} | {cells[0]} | {cells[1]} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

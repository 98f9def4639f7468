#!/usr/bin/env python3
"""CPU time of `argmap export --to json` after parsing, as the command runs it: the
text made part by part (the walk that builds the reference's JSON shape and orjson's
text of each part, with the check of the user's data blocks), and the same text
written to a file as `-o` writes it (atomically: a temporary file, fsync, rename).
Each figure is one fresh process right after `parse_file` (a second export in the
same process finds its memory already allocated and is faster). Reported per input:
min and median over `--runs` processes of each kind.

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
from argmap.cli.commands import write_file
from argmap.grammar import parse_file
from argmap.render.argdown_json import JsonText
document = parse_file(sys.argv[1])
start = time.process_time()
text = JsonText(document)
if len(sys.argv) > 2:
    assert write_file(sys.argv[2], text) == 0
else:
    for _ in text:
        pass
print(time.process_time() - start)
"""


def _one_run(name: str, to_file: bool) -> float:
    # an empty working folder: `python -c` imports from there first, and argmap must
    # come from PYTHONPATH (the tree being measured); the output file goes there too
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-c", _ONE_RUN, os.path.abspath(name)]
        command += [os.path.join(folder, "out.json")] if to_file else []
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=folder)
    return float(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| input | text CPU s min / median | text to a file (`-o`) CPU s min / median |")
    print("|---|---:|---:|")
    for name in args.files:
        texts, files = [], []
        for _ in range(args.runs):  # the two kinds in turn, so a drift hits both
            texts.append(_one_run(name, False))
            files.append(_one_run(name, True))
        cells = [f"{min(v):.3f} / {statistics.median(v):.3f}" for v in (texts, files)]
        print(f"| {os.path.basename(name)} | {cells[0]} | {cells[1]} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

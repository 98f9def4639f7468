"""Differential check against the reference on mutated copies of real Argdown files.

Each document is a window of up to 40 lines of a seed file (any `.argdown` under the
seed folders) with one to three mutations of the kinds authors make: an empty line
dropped or added, an indentation changed, a marker or character inserted, a line
doubled, swapped with the next or deleted. The reference runs once for all documents
(bench/ref_batch.js, its CLI's own library); argmap's side and the comparison are
bench/parity.py's (accept/reject, then statements, arguments with their PCS,
relations, sections and tags).

    ARGDOWN_REF=/path/with/node_modules python bench/parity_fuzz.py OUT_DIR COUNT SEED_DIR... [--seed N]

The documents stay in OUT_DIR for reading; exit status 0 when every one agrees.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from parity import KEYS, ours

from argmap.render.argdown_projection import project

INSERTS = (
    "_ * ** __ < > [ ] # #( { } @[ @< : \\ // /* */ <!-- --> ---- -- === ` ( ) \" ' #tag .A. :+1: "
    "(1)  +  -  +>  <-  <+  ->  ><  _>  <_  1.  *  #  ##  [A]  <B>  [A]:  <B>:  {a: 1}  [l](http://x)"
).split(" ")
MARKERS = [item for item in INSERTS if item] + ["\t", " ", "    ", "https://x.y/z ", "-- r --"]


def mutate(lines: list[str], rnd: random.Random) -> list[str]:
    if not lines:
        return [rnd.choice(MARKERS)]
    at = rnd.randrange(len(lines))
    kind = rnd.randrange(9)
    if kind == 0:
        blanks = [index for index, line in enumerate(lines) if not line.strip()]
        if blanks:
            del lines[rnd.choice(blanks)]
    elif kind == 1:
        lines.insert(at, "")
    elif kind == 2:
        line = lines[at]
        indent = len(line) - len(line.lstrip())
        lines[at] = " " * max(0, indent + rnd.choice([-4, -2, -1, 1, 2, 4])) + line.lstrip()
    elif kind in (3, 4, 5):
        line = lines[at]
        cut = rnd.randrange(len(line) + 1)
        lines[at] = line[:cut] + rnd.choice(MARKERS) + line[cut:]
    elif kind == 6:
        lines.insert(at, lines[at])
    elif kind == 7 and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif kind == 8:
        del lines[at]
    return lines


def make_documents(out: Path, count: int, seeds: list[Path], seed: int) -> list[Path]:
    rnd = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in seeds]
    made = []
    for number in range(count):
        lines = rnd.choice(texts).split("\n")
        if len(lines) > 40:
            start = rnd.randrange(len(lines) - 30)
            lines = lines[start : start + rnd.randrange(10, 40)]
        for _ in range(rnd.choice([1, 1, 2, 3])):
            lines = mutate(lines, rnd)
        path = out / f"m{number:05d}.argdown"
        path.write_text("\n".join(lines), encoding="utf-8")
        made.append(path)
    return made


def run_reference(out: Path, files: list[Path], base: str) -> None:
    script = str(Path(__file__).with_name("ref_batch.js"))
    env = {**os.environ, "NODE_PATH": str(Path(base) / "node_modules")}
    for start in range(0, len(files), 400):
        batch = [str(path) for path in files[start : start + 400]]
        subprocess.run(["node", script, str(out), *batch], env=env, check=True)


def compare(path: Path) -> str | None:
    reference = json.loads(path.with_name(path.name + ".ref.json").read_text(encoding="utf-8"))
    accepted, exported, errors = ours(path)
    if reference["ok"] != accepted:
        said = errors[0] if errors else reference["error"]
        return f"accept: reference {reference['ok']}, argmap {accepted} ({said})"
    if not accepted:
        return None
    expected, actual = project(reference["json"]), project(exported)
    differ = [key for key in KEYS if expected[key] != actual[key]]
    return f"{', '.join(differ)} differ" if differ else None


def main(argv: list[str]) -> int:
    base = os.environ.get("ARGDOWN_REF")
    seed = 1
    if "--seed" in argv:
        at = argv.index("--seed")
        seed = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    if not base or len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, count = Path(argv[0]), int(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    seeds = sorted(
        p for folder in argv[2:] for p in Path(folder).rglob("*.argdown") if p.stat().st_size < 200_000
    )
    files = make_documents(out, count, seeds, seed)
    run_reference(out, files, base)
    problems = [(path, compare(path)) for path in files]
    for path, problem in problems:
        if problem:
            print(f"DIFF {path.name}: {problem}")
    agree = sum(problem is None for _, problem in problems)
    print(f"{agree}/{len(files)} agree")
    return 0 if agree == len(files) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

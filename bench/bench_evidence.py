#!/usr/bin/env python3
"""Evidence checker speed: `argmap evidence MAP --format json` in a fresh process.

    .venv/bin/python bench/bench_evidence.py                  # real corpus + synthetic sizes
    .venv/bin/python bench/bench_evidence.py --runs 5 --sizes 5000x200

For each input the wall time of a whole `argmap evidence MAP --format json` run is
measured (start-up, parsing, reading and normalising every evidence file once,
matching every quote, JSON output), best and median of `--runs` runs.

Synthetic inputs are written to a temporary folder: `F` evidence files of about
`--lines` lines of PDF-like text (hyphenation at line ends, ligatures, curly quotes,
citation markers, page numbers, arXiv stamps), and a map with `Q` observations,
each quoting one passage: 70 % exactly in the cited lines, 10 % in the file but
cited at the wrong lines (moved), 10 % with a changed word (drift), 5 % with an
elision `(...)`, 5 % not in the file at all (not-found, the slowest case: the whole
file is searched).

The real map is `/work/shared/corpus/adapters/adapters_vargdown.argdown` (26 quotes,
33 files, 2.6 MB), used in place and skipped when absent.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))  # for tests.maps (after any installed argmap)
from tests.maps import observation_argument

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpus/adapters/adapters_vargdown.argdown")
WORDS = (
    "model weight matrix rank adapter training data layer update method parameter low fine "
    "tuning gradient norm direction magnitude orthogonal rotation spectrum singular value "
    "vector bank federated sparse high efficient baseline accuracy task benchmark language "
    "vision diffusion transfer representation intervention scaling cost memory budget"
).split()
NOISE = ("ﬁ", "ﬂ", "“", "”", "’", "\u00a0")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words.insert(rng.randint(3, len(words) - 1), f"[ {rng.randint(1, 60)} ]")
    if rng.random() < 0.1:
        words.insert(rng.randint(3, len(words) - 1), f"(Author & Other, {rng.randint(1990, 2024)})")
    if rng.random() < 0.2:
        i = rng.randint(0, len(words) - 1)
        words[i] = words[i].replace("fi", "ﬁ").replace("fl", "ﬂ")
    return " ".join(words) + "."


def make_doc(rng: random.Random, lines: int, number: int) -> list[str]:
    out = [
        f"Title: Synthetic paper {number}",
        "",
        f"URL Source: https://example.org/p{number}",
        "",
        "Markdown Content:",
    ]
    while len(out) < lines:
        kind = rng.random()
        if kind < 0.03:
            out += ["", str(rng.randint(1, 30)), ""]  # page number
        elif kind < 0.04:
            out.append(f"arXiv:2404.{rng.randint(10000, 99999)}v1 [cs.LG] 10 Apr 2025")
        else:
            text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.2:  # hyphenated at the line end
                cut = text.find(" ", len(text) // 2)
                word_end = text.find(" ", cut + 1)
                if cut > 0 and word_end > cut + 4:
                    split = cut + 3
                    out += [text[:split] + "-", text[split:]]
                    continue
            if rng.random() < 0.05:
                text = text.replace(" ", rng.choice(NOISE), 1)
            out.append(text)
    return out


def make_inputs(folder: Path, quotes: int, files: int, lines: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "argmap.toml").write_text("")
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    contents: list[list[str]] = []
    for number in range(files):
        doc = make_doc(rng, lines, number)
        contents.append(doc)
        (docs / f"p{number}.md").write_text("\n".join(doc) + "\n", encoding="utf-8")
    out = ["[Thesis]: Adapters work.", ""]
    for q in range(quotes):
        number = q % files
        doc = contents[number]
        candidates = [i for i, text in enumerate(doc) if len(text) > 80 and i > 5]
        index = rng.choice(candidates)
        quote = doc[index].split(". ")[0].rstrip(".") + "."
        a = b = index + 1
        roll = rng.random()
        if roll < 0.10:  # moved
            a, b = (1, 3) if index > 10 else (len(doc) - 2, len(doc))
        elif roll < 0.20:  # drift: one changed word
            words = quote.split()
            words[len(words) // 2] = "banana"
            quote = " ".join(words)
        elif roll < 0.25:  # elision
            words = quote.split()
            quote = " ".join(words[:5]) + " (...) " + " ".join(words[-5:])
        elif roll < 0.30:  # not in the file
            quote = " ".join(rng.choice(("apple", "pear", "plum", "fig", "kiwi")) for _ in range(15)) + "."
        source = f"[Paper {number}](https://example.org/p{number})"
        out += observation_argument(q, source, f"docs/p{number}.md#L{a}-L{b}", quote)
    path = folder / "map.argdown"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def measure(map_path: Path, runs: int) -> tuple[list[float], dict[str, int]]:
    argmap = Path(sys.executable).with_name("argmap")
    command = [str(argmap), "evidence", str(map_path), "--format", "json"]
    times: list[float] = []
    statuses: dict[str, int] = {}
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"argmap failed ({done.returncode}): {done.stderr[-2000:]}")
        statuses = {}
        for quote in json.loads(done.stdout)["quotes"]:
            statuses[quote["status"]] = statuses.get(quote["status"], 0) + 1
    return times, statuses


def _size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", nargs="*", default=["500x20", "5000x200"], help="QUOTESxFILES")
    parser.add_argument("--lines", type=int, default=400, help="lines per synthetic evidence file")
    args = parser.parse_args()
    rows: list[tuple[str, int, int, int, list[float], dict[str, int]]] = []
    if CORPUS.exists():
        docs = sorted((CORPUS.parent / "docs").glob("*.md"))
        times, statuses = measure(CORPUS, args.runs)
        rows.append(("adapters (real)", sum(statuses.values()), len(docs), _size(docs), times, statuses))
    with tempfile.TemporaryDirectory(prefix="bench-evidence-") as tmp:
        for size in args.sizes:
            quotes, files = (int(x) for x in size.split("x"))
            folder = Path(tmp) / size
            path = make_inputs(folder, quotes, files, args.lines)
            docs = sorted((folder / "docs").glob("*.md"))
            times, statuses = measure(path, args.runs)
            rows.append((f"synthetic {size}", quotes, files, _size(docs), times, statuses))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, best / median of {args.runs} runs\n")
    print("| input | quotes | files | MB | best s | median s | statuses |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, quotes, files, size, times, statuses in rows:
        shown = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        print(
            f"| {name} | {quotes:,} | {files} | {size / 1e6:.1f} | {min(times):.3f} | "
            f"{statistics.median(times):.3f} | {shown} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

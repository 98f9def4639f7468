#!/usr/bin/env python3
"""Growth exponent of parsing for adversarial input shapes.

For each shape, documents of size n, 2n, 4n, 8n are parsed in this process
(`argmap.grammar.parse_text`, CPU time, best of --runs) and the exponent k of
time ~ bytes^k is the least-squares slope of log(time) over log(input bytes).
Linear growth gives k close to 1; a quadratic scan gives k close to 2. (Input bytes,
not n: a relation chain n deep is indented up to 2n columns, so its text grows as n^2.)

    python bench/bench_growth.py --base 4000 --runs 3
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from growth_fit import best_time, slope

from argmap.grammar import parse_text


def _line_of(unit: str) -> Callable[[int], str]:
    return lambda n: "[A]: text " + unit * n + "\n"


SHAPES: dict[str, Callable[[int], str]] = {
    "line of [": _line_of("["),
    "line of @[": _line_of("@["),
    "line of #(": _line_of("#("),
    "line of <": _line_of("<"),
    "line of [x](": _line_of("[x]("),
    "line of tags": _line_of("#tag "),
    "line of mentions": _line_of("@[A] "),
    "deep nesting": lambda n: (
        "[A]: a.\n" + "".join("  " * (i + 1) + f"+ [S{i}]: s.\n" for i in range(n // 8))
    ),
    "many relations": lambda n: "[A]: a.\n" + "".join(f"  + [S{i}]: s.\n" for i in range(n)),
    "long wrapped statement": lambda n: "[A]: start\n" + "word word word\n" * n,
    "line of unclosed /*": _line_of("x /* "),
    "line of unclosed <!--": _line_of("x <!-- "),
    "lines of unclosed /*": lambda n: "".join(f"[A{i}]: x /*\n\n" for i in range(n // 4)),
    "block of // after {": lambda n: "[A]: {a: 1\n" + "  x // y\n" * n,
    # braces inside comments open nothing (each opener's question subtracts them)
    "block of // {": lambda n: "// {\n" * n + "[A]: a }\n",
    "lines of /* { */ //": lambda n: "[A]: a\n" + "  x /* { */ // c\n" * n + "}\n",
    "long /* { then //": lambda n: "[A]: a /* {" + "\n  x" * n + " */ // c\n" * n + "}\n",
}


def cpu_time(text: str, runs: int) -> float:
    return best_time(lambda: parse_text(text), runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shape", action="append", help="only this shape (repeatable)")
    args = parser.parse_args()
    sizes = [args.base * f for f in (1, 2, 4, 8)]
    print("| shape | " + " | ".join(f"n={s:,} CPU s" for s in sizes) + " | exponent (over bytes) |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for name, make in SHAPES.items():
        if args.shape and name not in args.shape:
            continue
        texts = [make(n) for n in sizes]
        times = [cpu_time(text, args.runs) for text in texts]
        cells = " | ".join(f"{t:.3f}" for t in times)
        print(f"| {name} | {cells} | {slope([len(t) for t in texts], times):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

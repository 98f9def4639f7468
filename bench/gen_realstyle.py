#!/usr/bin/env python3
"""Generate a large plain-Argdown map with the shape of a real debate map.

Stdlib only; deterministic for a given --statements/--seed; accepted by the
reference parser (@argdown/cli 1.7.5) at every size.

    python3 bench/gen_realstyle.py --statements 6500 --seed 1 -o /tmp/bench/real_81k.argdown

The shape follows large real maps (hand-written debate maps and generated ones):
headings over several levels, statements whose text is hard-wrapped over several
lines, each top-level statement carrying a relation tree two to four levels deep
whose members are new statements, references to earlier statements (`+ [Title]`)
and sketched arguments (`- <Title>: text`), about two relations per statement, a
few reconstructed arguments with premise-conclusion structures, tags, links and
comments. `--statements 6500` gives about 79,000 lines and 11,500 relations.
"""

from __future__ import annotations

import argparse
import random
import sys

WORDS = (
    "city council budget housing transport school health climate energy tax "
    "market price wage labour rent policy court law right freedom safety risk "
    "evidence study survey data trend growth cost benefit harm public private "
    "local national future past region community family worker student voter"
).split()
SYMBOLS = ("+", "-", "+", "-", "<+", "<-", "+>", "->")


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.titles: list[str] = []
        self.arguments: list[str] = []  # sketched, not yet reconstructed
        self.argument_count = 0
        self.relations = 0

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def wrapped(self, first: str, indent: str) -> list[str]:
        """A statement text hard-wrapped over several lines, as many real maps are."""
        lines = [first + " " + self.words(6, 10)]
        for _ in range(self.rng.randint(6, 11)):
            lines.append(indent + self.words(7, 12))
        lines[-1] += "."
        if self.rng.random() < 0.15:
            lines[-1] += f" #{self.rng.choice(WORDS)}"
        if self.rng.random() < 0.05:
            lines[-1] += f" [source](https://example.org/{self.rng.randint(1, 999)})"
        return lines

    def new_title(self) -> str:
        title = f"{self.rng.choice(WORDS).title()} {len(self.titles) + 1}"
        self.titles.append(title)
        return title

    def member(self, depth: int, budget: list[int]) -> None:
        indent = "  " * depth
        symbol = self.rng.choice(SYMBOLS)
        self.relations += 1
        roll = self.rng.random()
        if roll < 0.45 and self.titles:
            self.lines.append(f"{indent}{symbol} [{self.rng.choice(self.titles)}]")
            return
        if roll < 0.52:
            self.argument_count += 1
            title = f"{self.rng.choice(WORDS).title()} argument {self.argument_count}"
            self.arguments.append(title)
            self.lines.extend(self.wrapped(f"{indent}{symbol} <{title}>:", indent + "  "))
        else:
            budget[0] -= 1
            self.lines.extend(self.wrapped(f"{indent}{symbol} [{self.new_title()}]:", indent + "  "))
        if depth < 4 and budget[0] > 0:
            for _ in range(self.rng.choice((0, 1, 2, 2, 3, 3))):
                self.member(depth + 1, budget)

    def top_level(self, budget: list[int]) -> None:
        budget[0] -= 1
        self.lines.extend(self.wrapped(f"[{self.new_title()}]:", ""))
        for _ in range(self.rng.randint(2, 4)):
            self.member(1, budget)
        self.lines.append("")

    def reconstruction(self) -> None:
        title = self.rng.choice(self.arguments)
        self.lines += [f"<{title}>", ""]
        premises = self.rng.randint(2, 3)
        for number in range(1, premises + 1):
            self.lines.append(f"({number}) {self.words(8, 14)}.")
        self.lines.append("----")
        self.lines.append(f"({premises + 1}) [{self.rng.choice(self.titles)}]")
        self.lines.append("")
        self.arguments.remove(title)


def generate(statements: int, seed: int) -> tuple[str, int, int]:
    rng = random.Random(seed)
    out = Writer(rng)
    out.lines += ["===", "title: A large debate map", "===", ""]
    budget = [statements]
    part = 0
    while budget[0] > 0:
        part += 1
        out.lines += [f"# Part {part}: {out.words(3, 6)}", ""]
        for section in range(1, 4):
            out.lines += [f"## Section {part}.{section}", f"// {out.words(4, 8)}", ""]
            for _ in range(rng.randint(3, 6)):
                if budget[0] <= 0:
                    break
                out.top_level(budget)
                if out.arguments and rng.random() < 0.2:
                    out.reconstruction()
    return "\n".join(out.lines) + "\n", len(out.titles), out.relations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=6500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    text, statements, relations = generate(args.statements, args.seed)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    lines = text.count("\n")
    print(f"{lines} lines, {statements} statements, {relations} relations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

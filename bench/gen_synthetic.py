#!/usr/bin/env python3
"""Generate a synthetic vargdown-style Argdown map of about N lines.

Stdlib only. The output is deterministic for a given --lines/--seed and parses
cleanly with the reference implementation (@argdown/cli 1.7.5, `argdown json`).

    python3 bench/gen_synthetic.py --lines 14000 --seed 1 -o /tmp/syn_14k.argdown

Structure: YAML frontmatter (strict mode), a thesis statement with a relation
tree of claims, then parts (`#`) and sections (`##`) holding reconstructed
arguments. Each argument has 2-4 premises (`#observation` premises with a source
link, an `[evidence](docs/pN.md#La-Lb)` link, a `> quote` line and
`{reason: "...", credence: X}`; `#assumption` premises with
`{reason: ..., credence: X}`), a `----` inference, and a conclusion with
`{reason: ..., inference: X}` that supports/attacks the thesis, a claim or an
earlier conclusion; some conclusions also undercut an earlier argument (`_>`).
Line and block comments are sprinkled in.

Texts avoid characters with inline meaning in Argdown (`_ * : . [ ] < > # //`
inside words), so that the map stays valid at every size.
"""

from __future__ import annotations

import argparse
import random
import sys

WORDS = (
    "adapter rank basis rotation layer weight gradient signal noise model "
    "transfer steering vector subspace matrix spectrum norm scale drift "
    "probe feature token budget memory cache latency batch epoch sample "
    "dataset benchmark baseline ablation variance bias effect trend "
    "structure geometry manifold direction magnitude coupling routing "
    "compression capacity stability robustness coverage evidence replication"
).split()

VERBS = (
    "improves reduces preserves explains predicts stabilises limits shifts "
    "controls amplifies weakens constrains supports tracks"
).split()

REASONS = (
    "single study with small sample",
    "replicated across three model families",
    "strong effect but narrow benchmark",
    "indirect evidence from ablations",
    "consistent with prior theory, effect size uncertain",
    "preprint only, no independent replication",
    "large sample, but one author group",
    "standard result in the field",
)


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng: random.Random, lo: int = 6, hi: int = 14) -> str:
    n = rng.randint(lo, hi)
    subj = words(rng, max(1, n // 3))
    obj = words(rng, max(1, n - n // 3 - 1))
    return f"The {subj} {rng.choice(VERBS)} the {obj}"


def prob(rng: random.Random, lo: float = 0.3, hi: float = 0.95) -> str:
    return f"{rng.uniform(lo, hi):.2f}"


def wrap(text: str, first_prefix: str, cont_prefix: str, width: int = 78) -> list[str]:
    out: list[str] = []
    line = first_prefix
    for w in text.split():
        if len(line) + len(w) + 1 > width and line.strip():
            out.append(line.rstrip())
            line = cont_prefix
        line += w + " "
    out.append(line.rstrip())
    return out


class Generator:
    def __init__(self, target_lines: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.target = target_lines
        self.seed = seed
        self.lines: list[str] = []
        self.claims: list[str] = []
        self.conclusions: list[str] = []  # statement titles of earlier conclusions
        self.arguments: list[str] = []
        self.n_arg = 0
        self.n_doc = 0

    def emit(self, *ls: str) -> None:
        self.lines.extend(ls)

    def header(self) -> None:
        rng = self.rng
        self.emit(
            "===",
            f"title: Synthetic adapter map (seed {self.seed})",
            "author: bench/gen_synthetic.py",
            "model:",
            "    mode: strict",
            "===",
            "",
            "// Synthetic benchmark input, generated; not a real argument map.",
            "",
        )
        self.emit(*wrap(sentence(rng, 8, 12) + ".", "[Thesis]: ", ""))
        n_claims = max(2, min(12, self.target // 2000 + 2))
        for i in range(1, n_claims + 1):
            title = f"Claim {i}"
            self.claims.append(title)
            sym = "+" if i % 3 else "-"
            self.emit(f"  {sym} [{title}]: {sentence(rng, 5, 9)}.")
            if i % 2 == 0:
                sub = f"Claim {i} Detail"
                self.claims.append(sub)
                self.emit(f"    + [{sub}]: {sentence(rng, 5, 8)}.")
        self.emit("", "")

    def observation(self, idx: int, title: str) -> None:
        rng = self.rng
        self.n_doc += 1
        a = rng.randint(1, 400)
        b = a + rng.randint(3, 60)
        self.emit(*wrap(sentence(rng, 10, 18) + ". #observation", f"({idx}) [{title}]: ", "    "))
        self.emit(
            f"    [Author {rng.randint(1, 999)} {rng.randint(2015, 2025)}](https://example.org/papers/{rng.randint(1000, 99999)})"
        )
        self.emit(f"    [evidence](docs/p{self.n_doc}.md#L{a}-L{b})")
        self.emit(f"    > {sentence(rng, 12, 30)}, according to the authors.")
        self.emit(f'    {{reason: "{rng.choice(REASONS)}", credence: {prob(rng)}}}')

    def assumption(self, idx: int, title: str) -> None:
        rng = self.rng
        self.emit(*wrap(sentence(rng, 8, 14) + ". #assumption", f"({idx}) [{title}]: ", "    "))
        self.emit(f'    {{reason: "{rng.choice(REASONS)}", credence: {prob(rng)}}}')

    def argument(self) -> None:
        rng = self.rng
        self.n_arg += 1
        k = self.n_arg
        arg = f"Argument {k}"
        if rng.random() < 0.15:
            self.emit(f"// Reviewer note on {arg}: check the sources again.")
        if rng.random() < 0.05:
            self.emit("/*", f"Block comment before {arg}.", "It spans several lines.", "*/")
        self.emit(f"<{arg}>", "")
        n_prem = rng.randint(2, 4)
        for i in range(1, n_prem + 1):
            title = f"A{k} Premise {i}"
            if i == 1 or rng.random() < 0.5:
                self.observation(i, title)
            else:
                self.assumption(i, title)
        self.emit("----")
        concl = f"A{k} Conclusion"
        self.emit(*wrap(sentence(rng, 8, 14) + ".", f"({n_prem + 1}) [{concl}]: ", "    "))
        self.emit(f'    {{reason: "{rng.choice(REASONS)}", inference: {prob(rng, 0.4, 0.9)}}}')
        r = rng.random()
        if self.conclusions and r < 0.35:
            target = rng.choice(self.conclusions[-50:])
            self.emit(f"  {'+>' if rng.random() < 0.6 else '->'} [{target}]")
        elif r < 0.8:
            target = rng.choice(self.claims)
            self.emit(f"  {'+>' if rng.random() < 0.75 else '->'} [{target}]")
        else:
            self.emit(f"  {'+>' if rng.random() < 0.8 else '->'} [Thesis]")
        if self.arguments and rng.random() < 0.1:
            self.emit(f"  _> <{rng.choice(self.arguments[-50:])}>")
        self.conclusions.append(concl)
        self.arguments.append(arg)
        self.emit("", "")

    def run(self) -> str:
        self.header()
        part = 0
        while len(self.lines) < self.target:
            part += 1
            self.emit(f"# Part {part} #(part {part})", "")
            for sec in range(1, 5):
                if len(self.lines) >= self.target:
                    break
                self.emit(f"## Section {part}.{sec} {{isGroup: true, order: {sec}}}", "")
                for _ in range(self.rng.randint(3, 8)):
                    if len(self.lines) >= self.target:
                        break
                    self.argument()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lines", type=int, default=1500, help="approximate number of lines (default 1500)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    args = p.parse_args(argv)
    text = Generator(args.lines, args.seed).run()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Growth exponents: how the cost of each hostile shape grows with its size.

For each shape, the script times one operation at sizes n, 2n, 4n, ... (best of
`--runs` in this process, CPU time) and fits the slope of log(time) against log(n):
1 is linear, 2 quadratic. A shape whose exponent is clearly above 1 is a super-linear
cost a hostile (or merely large) input can exploit. The shapes are the ones of issue 16:

- `layout-premises`: the layout of one argument with n premises (render/report/serve);
- `layout-chain`: the layout of a chain of n arguments, each supporting the next;
- `layout-hub-sections`: a thesis met by one argument from each of n sections (routing);
- `layout-section-chain`: a chain of n arguments in one section, each conclusion also
  supporting the thesis outside it (routing past the layers above);
- `layout-support-chain`: the layout of n statements, each supporting the next (a
  recursive search in the layout ran past Python's recursion limit at 1,000);
- `layout-inference-lines`: the map page (`collect` and the HTML, as `argmap render`)
  of one argument with n inference lines in a row (n parser errors);
- `layout-tags`: the map page of one statement with n tags;
- `parse-statements`: parsing a map of n statements, each supporting the thesis;
- `parse-pcs`: parsing one argument with n premises;
- `check-premises`: `argmap check` (every rule) on one argument with n premises;
- `export-supported-premises`: `export --to json` of one argument with n premises, each with
  a supporter, and n statements supporting the argument (the relations a PCS implies were
  found by a walk over the premises per relation: 6.9 s at 4,000);
- `check-references`: `argmap check` on one statement referred to from n places;
- `check-undercuts`: `argmap check` on one argument whose inference n statements undercut;
- `yaml-aliases`: the bounded YAML loader on a document of n aliases to one anchor;
- `results-seeds`: reading and assessing a result of n paired seeds (Bayes factors);
- `csv-rows`: reading a runs CSV of n rows;
- `refs-one-line`: parsing a map whose one line holds n references `[a]` (n findings on
  one line) and rendering the human report of its findings, as `argmap check` prints it.

    python bench/bench_hostile_growth.py                 # every shape, default sizes
    python bench/bench_hostile_growth.py --shape layout-premises --start 150 --steps 4
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

if __name__ == "__main__" and "--installed" not in sys.argv:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's argmap

sys.path.append(str(Path(__file__).resolve().parents[1]))  # for tests.maps (after any installed argmap)

from growth_fit import best_time, slope

from tests.maps import inference_lines_map, premises_map, support_chain_map, tags_map


def chain_map(n: int) -> str:
    lines = ["[T]: The thesis.", ""]
    for i in range(n):
        target = "[T]" if i == 0 else f"[C{i - 1}]"
        lines += [
            f"<A{i}>",
            "",
            f'(1) [P{i}]: Premise {i}. #assumption {{reason: "r", credence: 0.8}}',
            "----",
            f'(2) [C{i}]: Conclusion {i}. {{reason: "r", inference: 0.9}}',
            f"  +> {target}",
            "",
        ]
    return "\n".join(lines)


def hub_sections_map(n: int) -> str:
    """A thesis met by one argument from each of n sections (routed edges climb past the
    rows of sections between)."""
    lines = ["[T]: The thesis.", ""]
    for i in range(n):
        arrow = "+>" if i % 3 else "->"
        lines += [f"# Section {i}", "", f"<A{i}>", "", f"(1) [P{i}]: Premise {i}.", "----"]
        lines += [f"(2) [C{i}]: Conclusion {i}.", f"  {arrow} [T]", ""]
    return "\n".join(lines)


def section_chain_map(n: int) -> str:
    """One section holding a chain of n arguments whose every conclusion also supports
    the thesis outside it (each routed edge climbs out past the layers above it)."""
    lines = ["[T]: The thesis.", "", "# The chain", ""]
    for i in range(n):
        lines += [f"<A{i}>", "", f"(1) [P{i}]: Premise {i}.", "----", f"(2) [C{i}]: Conclusion {i}."]
        lines += ["  +> [T]"] + ([f"  +> [C{i - 1}]"] if i else []) + [""]
    return "\n".join(lines)


def statements_map(n: int) -> str:
    lines = ["[T]: The thesis."]
    lines += [f"  + [S{i}]: Statement {i}." for i in range(n)]
    return "\n".join(lines) + "\n"


def _layout(text: str) -> Callable[[], object]:
    from argmap.grammar import parse_text
    from argmap.render.layout import build_layout

    document = parse_text(text, "bench.argdown")
    return lambda: build_layout(document)


def _page(text: str) -> Callable[[], object]:
    from argmap.grammar import parse_text
    from argmap.render.html_map import collect, render_html

    document = parse_text(text, "bench.argdown")
    return lambda: render_html(collect(document))


def _parse(text: str) -> Callable[[], object]:
    from argmap.grammar import parse_text

    return lambda: parse_text(text, "bench.argdown")


def _check(text: str) -> Callable[[], object]:
    from argmap.grammar import parse_text
    from argmap.rules.registry import run_rules

    document = parse_text(text, "bench.argdown")
    return lambda: list(run_rules(document))


def _export(text: str) -> Callable[[], object]:
    from argmap.grammar import parse_text
    from argmap.render import argdown_json

    document = parse_text(text, "bench.argdown")
    # export_json_bytes where the measured checkout has it (older ones: export_json)
    export = getattr(argdown_json, "export_json_bytes", argdown_json.export_json)
    return lambda: export(document)


def supported_premises_map(n: int) -> str:
    """One argument with n premises; each premise has a supporter of its own, and n
    statements support (and attack) the argument itself."""
    lines = ["<Wide>", ""]
    lines += [f"({i + 1}) [P{i}]: Premise {i}.\n    <+ [S{i}]: Support {i}." for i in range(n)]
    lines += ["----", f"({n + 1}) [C]: Conclusion.", ""]
    for i in range(n):
        lines += [f"[S{i}]", "  +> <Wide>", f"  -> [P{(i + 1) % n}]", ""]
    return "\n".join(lines)


def references_map(n: int) -> str:
    """One statement referred to from n places, each time under a new claim."""
    parts = ["[Hub]: The claim everything cites.", ""]
    parts += [f"[R{i}]: Reason {i}.\n  + [Hub]\n" for i in range(n)]
    return "\n".join(parts)


def undercuts_map(n: int) -> str:
    """One argument whose inference n statements undercut."""
    lines = ["<U>", "", "(1) [P]: Premise.", "----", "(2) [C]: Conclusion.", ""]
    lines += [f"[X{i}]: Objection {i}.\n  _> <U>\n" for i in range(n)]
    return "\n".join(lines)


def _yaml(n: int) -> Callable[[], object]:
    from argmap import yamlsafe

    text = "base: &b {lr: 0.001, rank: 8}\nruns:\n" + "".join("  - *b\n" for _ in range(n))
    limits = yamlsafe.Limits(max_nodes=10 * n + 100, max_chars=100 * n + 1000)
    return lambda: yamlsafe.load(text, limits)


def _seeds(n: int) -> Callable[[], object]:
    from argmap.results.evidence import assess
    from argmap.results.validate import parse_result_json

    rng = random.Random(n)
    runs = []
    for seed in range(n):
        runs.append({"seed": seed, "method": "a", "metrics": {"m": 0.72 + rng.gauss(0, 0.01)}})
        runs.append({"seed": seed, "method": "b", "metrics": {"m": 0.71 + rng.gauss(0, 0.01)}})
    text = json.dumps(
        {"claim": "X", "comparison": {"method": "a", "baseline": "b", "metric": "m"}, "runs": runs}
    )

    def run() -> object:
        loaded = parse_result_json(text, "r.json")
        assert loaded.result is not None, loaded.diagnostics
        return assess([loaded.result])

    return run


def _csv(n: int) -> Callable[[], object]:
    from argmap.results.csv import parse_runs_csv

    text = "seed,method,acc\n" + "".join(f"{i // 2},{'ab'[i % 2]},0.{i % 97:02d}\n" for i in range(n))
    return lambda: parse_runs_csv(text)


def _comments_one_line(n: int) -> Callable[[], object]:
    """One line of n references, each followed by a block comment, and n titles whose
    `//` is part of the title (the comment pass reads each line once)."""
    from argmap.grammar import parse_text

    text = (
        "[T]: " + "[a] /* c */ " * n + "\n\n" + "".join(f"[T{i} https://x.org]: t // c\n\n" for i in range(n))
    )
    return lambda: parse_text(text, "bench.argdown")


def _brackets_over_lines(n: int) -> Callable[[], object]:
    """A statement whose first line opens n brackets and whose next line holds a
    long readable link, then n wrapped links that each hold a readable one (the
    search for a link token over line breaks, P141, reads each line once)."""
    from argmap.grammar import parse_text

    text = "[T]: " + "[" * n + "\n  [" + "a" * n + "](x)\n\n[U]: " + "[a\n  b [c](d) " * n + "\n"
    return lambda: parse_text(text, "bench.argdown")


def _refs_one_line(n: int) -> Callable[[], object]:
    from argmap.grammar import parse_text
    from argmap.render.diagnostics import render_human

    text = "[T]: " + "[a] " * n + "\n"

    def run() -> object:
        document = parse_text(text, "bench.argdown")
        return render_human(document.diagnostics, {document.path: document.lines}, 1)

    return run


SHAPES: dict[str, tuple[Callable[[int], Callable[[], object]], int]] = {
    "layout-premises": (lambda n: _layout(premises_map(n)), 150),
    "layout-chain": (lambda n: _layout(chain_map(n)), 100),
    "layout-hub-sections": (lambda n: _layout(hub_sections_map(n)), 100),
    "layout-section-chain": (lambda n: _layout(section_chain_map(n)), 100),
    "layout-support-chain": (lambda n: _layout(support_chain_map(n)), 200),
    "layout-inference-lines": (lambda n: _page(inference_lines_map(n)), 1000),
    "layout-tags": (lambda n: _page(tags_map(n)), 5000),
    "parse-statements": (lambda n: _parse(statements_map(n)), 2000),
    "parse-pcs": (lambda n: _parse(premises_map(n)), 1000),
    "check-premises": (lambda n: _check(premises_map(n)), 300),
    "export-supported-premises": (lambda n: _export(supported_premises_map(n)), 500),
    "check-references": (lambda n: _check(references_map(n)), 500),
    "check-undercuts": (lambda n: _check(undercuts_map(n)), 500),
    "yaml-aliases": (_yaml, 5000),
    "results-seeds": (_seeds, 250),
    "csv-rows": (_csv, 20000),
    "refs-one-line": (_refs_one_line, 2000),
    "comments-one-line": (_comments_one_line, 4000),
    "brackets-over-lines": (_brackets_over_lines, 4000),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append", help="Shape(s) to measure.")
    parser.add_argument("--start", type=int, help="Smallest size (default: per shape).")
    parser.add_argument("--steps", type=int, default=4, help="Sizes: start, 2 start, 4 start, ...")
    parser.add_argument("--runs", type=int, default=3, help="Best of this many runs per size.")
    parser.add_argument("--installed", action="store_true", help="Measure the argmap on sys.path.")
    args = parser.parse_args()
    print(f"{'shape':<22} {'sizes':<28} {'seconds (CPU, best of runs)':<44} exponent")
    for name in args.shape or list(SHAPES):
        make, default_start = SHAPES[name]
        start = args.start or default_start
        sizes = [start * 2**k for k in range(args.steps)]
        make(sizes[0])()  # warm-up: imports and caches are not the shape's cost
        times = [best_time(make(n), args.runs) for n in sizes]
        shown = " ".join(f"{t:.3f}" for t in times)
        print(f"{name:<22} {sizes!s:<28} {shown:<44} {slope(sizes, times):.2f}", flush=True)


if __name__ == "__main__":
    main()

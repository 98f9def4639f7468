"""Time the model builder alone: Lark's blocks of a map made once, then built into the
typed model again and again (the collector off, as `parse_source` runs it).

    PYTHONPATH=/path/to/tree python bench/bench_build.py MAP [RUNS]

Prints the best CPU time of RUNS builds (default 15). Parsing a map is decoding, Lark's
lexer and LALR loop, and this build; `bench_parse.py --phases` times all three once per
run, this one the build alone, many times, for differences of a few percent.
"""

from __future__ import annotations

import gc
import sys
import time

from argmap.grammar import _DISPATCH, _parser, _Recovery
from argmap.grammar.builder import DocumentBuilder
from argmap.grammar.lexing import ArgdownPostLexer
from argmap.grammar.source import decode_source


def main(argv: list[str]) -> int:
    path, runs = argv[0], int(argv[1]) if len(argv) > 1 else 15
    with open(path, "rb") as handle:
        source = decode_source(handle.read(), path, 10**9)
    postlexer = ArgdownPostLexer(source)
    _DISPATCH.local.current = postlexer
    blocks = list(_parser().parse(source.text, on_error=_Recovery(source, postlexer)) or [])
    diagnostics = list(source.diagnostics)
    gc.disable()
    best = float("inf")
    for _ in range(runs):
        source.diagnostics[:] = diagnostics  # the builder adds its own to the source's
        start = time.process_time()
        document = DocumentBuilder(source).build(blocks)  # type: ignore[arg-type]
        best = min(best, time.process_time() - start)
        del document
    print(f"{path}: build {best * 1000:.1f} ms (best of {runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

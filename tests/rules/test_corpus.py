"""The real map `../shared/corpus/adapters/adapters_vargdown.argdown` (read-only).

Every finding `argmap check --no-evidence` makes on it is listed here with the reason
it is a real defect; a copy with the typo-level defects fixed must check with no error
(only the C502 judgement warnings below remain).

* P106 at 117:1 -- in <AntiPaSTO OOD Transfer> the conclusion (2) [SVD Causal Not
  Correlational] has no `----` above it; `@argdown/cli` rejects the file for this.
* G301 at 210:6 -- <ETHER Bounded Deviation> concludes `+> [Orthogonal Preservation]`,
  but no statement of that title exists: the author meant the argument
  `<Orthogonal Preservation>` (the "did you mean" looks across brackets). As written
  the relation points at an empty statement and the argument supports nothing.
* G301 at 258:6 -- the same slip in <ROAD Explicit Decoupling>:
  `+> [Direction Magnitude Decoupling]` instead of `+> <Direction Magnitude Decoupling>`.
* G306 (warnings) at 88:3, 105:3, 121:3, 139:3, 194:3 and 360:3 -- <Joint SVD
  Evidence>, <PSOFT Synthesis>, <AntiPaSTO OOD Transfer>, <LoRA Baseline
  Limitation>, <Givens and Householder> (all `+> [Natural Manifold]`) and
  <Alternative Parameterizations> (`-> [Natural Manifold]`) bear on the thesis
  through their conclusions, but the thesis's own tree (lines 26-34) lists only nine
  of the fifteen arguments; a reader of the tree misses six, including one contra.

* C502 (warnings) at 292:3, 326:3, 360:3 and 468:3 -- [Rescaling Gets 60-80%],
  [Basis Matters More Than Rank], [Multiple Structures Work] and [Linearity Might
  Not Matter] are each written `-> [Natural Manifold]` in strict mode, i.e. as
  claims that cannot be true together with the thesis, at computed credences 0.243,
  0.196, 0.085 and 0.203; yet the thesis computes to 0.981 (logodds, stated values:
  eleven supporting conclusions add their strengths in log-odds). Checked by hand:
  0.981 + 0.243 = 1.224 > 1, and likewise 1.176, 1.066, 1.183. Either reading is a
  real defect of the map: if the relations are contrariness, the thesis can be at
  most 1 - 0.243 = 0.757, so its supports are overcounted (several rest on the same
  papers); if they are not (a rescaling result weakens the thesis without excluding
  it), strict-mode `->` says more than the author means. The fixed copy keeps these
  four warnings: fixing them needs the author's judgement, not a typo fix.

Nothing else fires: every premise has a kind tag and a credence with its reason
first, every conclusion an inference, every observation a source, an evidence link
with a valid range and a quote, the thesis has no credence, there are no cycles, no
duplicate definitions, no isolated statements and no unused arguments.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from argmap.checking import CheckOptions, check_paths

CORPUS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "corpus"
    / "adapters"
    / "adapters_vargdown.argdown"
)
if not CORPUS.exists():
    CORPUS = (
        Path(os.environ.get("ARGMAP_CORPUS", "/work/shared"))
        / "corpus"
        / "adapters"
        / "adapters_vargdown.argdown"
    )

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")]

# (code, level, line, column) of every finding on the map as it is, in report order.
_FINDINGS = """
G306 warning  88 3
G306 warning 105 3
P106 error   117 1
G306 warning 121 3
G306 warning 139 3
G306 warning 194 3
G301 error   210 6
G301 error   258 6
C502 warning 292 3
C502 warning 326 3
C502 warning 360 3
G306 warning 360 3
C502 warning 468 3
"""
EXPECTED = [
    (code, level, int(line), int(column))
    for code, level, line, column in map(str.split, _FINDINGS.split("\n")[1:-1])
]

# The C502 findings on the fixed copy (lines shifted by the fixes above them).
FIXED_COPY_COHERENCE = [("C502", 299), ("C502", 333), ("C502", 367), ("C502", 475)]

MISSING_FROM_TREE = [
    "  + <Joint SVD Evidence>",
    "  + <PSOFT Synthesis>",
    "  + <AntiPaSTO OOD Transfer>",
    "  + <LoRA Baseline Limitation>",
    "  + <Givens and Householder>",
    "  - <Alternative Parameterizations>",
]


def test_real_map_findings() -> None:
    report = check_paths([str(CORPUS)], CheckOptions(evidence=False))
    found = [(d.code, d.level.value, d.line, d.column) for d in report.diagnostics]
    assert found == EXPECTED
    assert report.exit_code == 1
    by_line = {d.line: d for d in report.diagnostics}
    assert by_line[117].hint == "insert a line `----` between (1) and (2) (above line 117)"
    assert "did you mean the argument <Orthogonal Preservation>?" in (by_line[210].hint or "")
    assert "did you mean the argument <Direction Magnitude Decoupling>?" in (by_line[258].hint or "")
    assert by_line[360].hint == (
        "add `  - <Alternative Parameterizations>` to the tree under [Natural Manifold] (line 26)"
    )


def fixed_text() -> str:
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    assert lines[116].startswith("(2) [SVD Causal Not Correlational]")
    assert lines[209] == "  +> [Orthogonal Preservation]"
    assert lines[257] == "  +> [Direction Magnitude Decoupling]"
    assert lines[33] == "  - <SVD Is Linear Decomposition>"
    lines[257] = "  +> <Direction Magnitude Decoupling>"
    lines[209] = "  +> <Orthogonal Preservation>"
    lines.insert(116, "----")
    supports = [entry for entry in MISSING_FROM_TREE if entry.startswith("  +")]
    attacks = [entry for entry in MISSING_FROM_TREE if entry.startswith("  -")]
    lines[31:31] = supports  # after the last `+` entry (line 31), before the `-` entries
    lines[34 + len(supports) : 34 + len(supports)] = attacks
    return "\n".join(lines)


def test_fixed_copy_checks_clean(tmp_path: Path) -> None:
    path = tmp_path / "adapters_fixed.argdown"
    path.write_text(fixed_text(), encoding="utf-8")
    report = check_paths([str(path)], CheckOptions(evidence=False))
    assert [(d.code, d.line) for d in report.diagnostics] == FIXED_COPY_COHERENCE
    assert all(d.level.value == "warning" for d in report.diagnostics)
    assert report.exit_code == 0

"""Test maps that make edge routing hard, written for these tests (no real data).

`hub_map` is a thesis met by many arguments from several sections (supports and attacks),
with undercuts, claims that support claims several rows away (long edges across layers and
sections), a support cycle inside a section and one across two sections, and a second,
smaller hub inside a section (an in-section conclusion with many premises).
"""

from __future__ import annotations


def hub_map(supporters: int = 14, attackers: int = 10, sections: int = 5) -> str:
    """An Argdown map whose thesis [Hub] has `supporters` + `attackers` arguments."""
    lines = ["===", "title: A busy hub", "===", ""]
    lines += ["[Hub]: The hub claim that every argument below is about.", ""]
    total = supporters + attackers
    per_section = -(-total // sections)
    for s in range(sections):
        lines += [f"# Section {s + 1}", ""]
        for i in range(s * per_section, min(total, (s + 1) * per_section)):
            lines += _argument(i, supports=i % total < supporters if i % 3 else i < supporters)
        lines += _extras(s, sections)
    return "\n".join(lines) + "\n"


def _argument(i: int, supports: bool) -> list[str]:
    arrow = "+>" if supports else "->"
    lines = [
        f"<Arg {i}>",
        "",
        f"(1) [Premise {i}a]: A first premise of argument {i}. {{credence: 0.7}}",
        f"(2) [Premise {i}b]: A second premise of argument {i}. {{credence: 0.6}}",
        "----",
        f"(3) [Claim {i}]: The conclusion of argument {i}. {{inference: 0.8}}",
        f"  {arrow} [Hub]",
        "",
    ]
    if i % 5 == 2:  # an undercut of this argument
        lines += [f"<Undercut {i}>: The inference of argument {i} does not hold here.", f"  _> <Arg {i}>", ""]
    return lines


def _extras(s: int, sections: int) -> list[str]:
    """Per section: a long edge up several rows, a cycle, and an in-section hub."""
    lines: list[str] = []
    if s >= 2:  # a claim deep in a late section supports a claim two sections up
        lines += [
            f"[Far Support {s}]: Support from far below for an early claim.",
            f"  +> [Claim {s - 2}]",
            "",
        ]
    if s == 1:  # a cycle inside the section
        lines += [
            "[Loop A]: One half of a loop.",
            "  +> [Loop B]",
            "",
            "[Loop B]: The other half.",
            "  +> [Loop A]",
            "",
        ]
    if s == sections - 1:  # a cycle across sections
        lines += ["[Back Edge]: Supports the first section's claim.", "  +> [Claim 0]", "  <+ [Claim 1]", ""]
    if s == 0:  # a smaller hub inside a section
        lines += ["<Local Hub Argument>", ""]
        lines += [f"({k + 1}) [Local Premise {k}]: One of many premises. {{credence: 0.6}}" for k in range(8)]
        lines += ["----", "(9) [Local Hub]: A claim many premises meet. {inference: 0.7}", "  +> [Hub]", ""]
    return lines

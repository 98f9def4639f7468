"""Small maps that several test modules work out by hand (one copy, so the hand values agree)."""

# <A> supports [T]; <U> undercuts <A>. By hand: P = 0.9, inference 0.8, undercut strength
# D = 0.7 x 0.9 = 0.63, so C = 0.9 x 0.8 x (1 - 0.63) = 0.2664.
ONE_SUPPORT = """[T]: thesis.
  + <A>

<A>

(1) [P]: p. {credence: 0.9}
----
(2) [C]: c. {inference: 0.8}
  +> [T]
"""

UNDERCUT = (
    ONE_SUPPORT
    + """
<U>

(1) [Q]: q. {credence: 0.7}
----
(2) [D]: d. {inference: 0.9}
  _> <A>
"""
)


def premises_map(n: int) -> str:
    """One argument with `n` premises supporting the thesis (a hostile shape of issue 16)."""
    lines = ["[T]: The thesis.", "  + <A>", "", "<A>", ""]
    for i in range(1, n + 1):
        lines.append(f'({i}) [P{i}]: Premise {i}. #assumption {{reason: "r", credence: 0.9}}')
    lines += ["----", f'({n + 1}) [C]: Conclusion. {{reason: "r", inference: 0.8}}', "  +> [T]", ""]
    return "\n".join(lines)


def support_chain_map(n: int) -> str:
    """`n` statements, each supported by the next (F3 of issue 16: a recursive search
    ran past Python's recursion limit at 1,000)."""
    links = "".join(f"[S{i}]: Statement {i}.\n  + [S{i + 1}]\n\n" for i in range(n))
    return links + f"[S{n}]: The last statement.\n"


def nested_map(n: int) -> str:
    """A thesis with supports nested `n` levels deep, one indent per level."""
    return "[T]: The thesis.\n" + "".join("  " * (i + 1) + f"+ [S{i}]: Statement {i}.\n" for i in range(n))


def support_cycle_map(n: int) -> str:
    """`n` statements supporting each other round a cycle."""
    return "".join(f"[S{i}]: Statement {i}.\n  + [S{(i + 1) % n}]\n\n" for i in range(n))


def inference_lines_map(n: int) -> str:
    """One argument whose premise is followed by `n` inference lines (F4 of issue 16)."""
    return "<A>\n\n(1) [P]: The premise.\n" + "----\n" * n + "(2) [C]: The conclusion.\n"


def tags_map(n: int) -> str:
    """One statement with `n` distinct tags (F5 of issue 16)."""
    return "[T]: The thesis. " + " ".join(f"#t{i}" for i in range(n)) + "\n"


def observation_argument(number: int, source: str, link: str, quote: str) -> list[str]:
    """The lines of `<Arg N>`: one `#observation` premise citing `link` with `quote`
    (source `[label](url)` given whole), its data block last, supporting [Thesis]."""
    return [
        f"<Arg {number}>",
        "",
        f"(1) [Obs {number}]: Observation {number}. #observation",
        f"    {source}",
        f"    [evidence]({link})",
        f"    > {quote}",
        '    {reason: "Seen.", credence: 0.9}',  # a data block ends its element
        "----",
        f'(2) [Conclusion {number}]: It follows. {{reason: "Read.", inference: 0.8}}',
        "  +> [Thesis]",
        "",
    ]

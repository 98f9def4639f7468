"""Which dialect a map is written in: plain Argdown, or vargdown (Argdown with credences).

Plain Argdown maps sketch arguments without premise-conclusion structures and carry no
credences; the vargdown rules, the coherence rules (which read credences) and G309
("argument without PCS") do not apply to them. `profile = "argdown" | "vargdown"` in
the configuration says which; unset, it is detected per map: a map with credence or
inference data, or with an `#observation` premise, is vargdown.
"""

from __future__ import annotations

from typing import Literal

from argmap.diagnostics import Level
from argmap.model import Document

Profile = Literal["vargdown", "argdown"]
PROFILES: tuple[Profile, ...] = ("vargdown", "argdown")

# Codes (and code prefixes) that are off under the plain Argdown profile.
OFF_UNDER_ARGDOWN = ("V", "C5", "G309")
# Codes that warn instead of failing under it: G307's "the tree says one thing and the
# reconstruction another" is how plain Argdown writes relations of a reconstructed
# argument (the reference moves them to its conclusion without a word), not a defect.
WARN_UNDER_ARGDOWN = ("G307",)
_VARGDOWN_KEYS = frozenset({"credence", "inference"})


def detect_profile(document: Document) -> Profile:
    for argument in document.arguments.values():
        for member in argument.pcs:
            inference = member.inference
            if inference is not None and inference.data and _VARGDOWN_KEYS & inference.data.values.keys():
                return "vargdown"
            if "observation" in member.statement.tags:
                return "vargdown"
    for ec in document.statements.values():
        for statement in ec.members:
            if statement.data is not None and _VARGDOWN_KEYS & statement.data.values.keys():
                return "vargdown"
    return "argdown"


def resolve_profile(document: Document, configured: str | None) -> tuple[Profile, bool]:
    """The profile for `document` and whether it was detected (not configured)."""
    if configured in PROFILES:
        return configured, False
    return detect_profile(document), True


def applies(profile: Profile, code: str) -> bool:
    """Does the rule `code` run under `profile`?"""
    return profile == "vargdown" or not code.startswith(OFF_UNDER_ARGDOWN)


def profile_levels(profile: Profile) -> dict[str, Level]:
    """The levels `profile` gives rules in place of their own (a level set in the
    configuration wins over these)."""
    return {code: Level.WARNING for code in WARN_UNDER_ARGDOWN} if profile == "argdown" else {}


def describe(profiles: list[tuple[Profile, bool]]) -> str | None:
    """The one line of human output that says which profile the maps were checked with."""
    if not profiles:
        return None
    names = sorted({p for p, _ in profiles})
    detected = [d for _, d in profiles]
    how = "detected" if all(detected) else "configured" if not any(detected) else "mixed"
    if names == ["argdown"]:
        return f"Profile: argdown ({how}): vargdown rules, coherence rules and G309 are off; G307 warns."
    if names == ["vargdown"]:
        return f"Profile: vargdown ({how})."
    count = sum(1 for p, _ in profiles if p == "argdown")
    return f"Profile: argdown for {count} of {len(profiles)} files ({how}), vargdown for the others."

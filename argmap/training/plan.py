"""`argmap experiment plan MAP`: which claims of a map experiments could bear on, which
specs test each (with what measurement, direction and rationale), and which have none.

The claims experiments could bear on are the members of the map's arguments (premises
and conclusions): the statements whose credence the map derives, and so the ones an
attached result moves. Reads specs only (no torch).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from argmap.diagnostics import Diagnostic
from argmap.model import Document
from argmap.training.spec import SpecError, check_claims, load_spec


def testable_claims(document: Document) -> dict[str, dict[str, Any]]:
    """title -> {role, arguments, tags}, for every premise and conclusion, in map order."""
    claims: dict[str, dict[str, Any]] = {}
    for argument in document.arguments.values():
        for member in argument.pcs:
            title = member.statement.title
            entry = claims.setdefault(title, {"roles": [], "arguments": [], "tags": []})
            role = "premise" if member.role.value == "premise" else "conclusion"
            if role not in entry["roles"]:
                entry["roles"].append(role)
            entry["arguments"].append(argument.title)
            cls = document.statements.get(title)
            entry["tags"] = list(cls.tags) if cls is not None else []
    return claims


def spec_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files


def build_plan(document: Document, paths: list[Path]) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The plan as JSON-ready data, and the problems of the specs (invalid, unknown claim)."""
    claims = testable_claims(document)
    tests: dict[str, list[dict[str, Any]]] = {title: [] for title in claims}
    problems: list[Diagnostic] = []
    files = spec_files(paths)
    for file in files:
        try:
            spec = load_spec(file)
        except SpecError as exc:
            problems += exc.diagnostics
            continue
        text = file.read_text(encoding="utf-8")
        problems += check_claims(spec, document.statements, str(file), text)
        for comparison in spec.comparisons:
            entry = {
                "spec": str(file),
                "name": spec.name,
                "method": comparison.method,
                "method_type": spec.methods[comparison.method].type,
                "baseline": comparison.baseline,
                "baseline_type": spec.methods[comparison.baseline].type,
                "measure": comparison.measurement,
                "direction": comparison.better,
                "rationale": comparison.rationale,
            }
            if comparison.claim in tests:
                tests[comparison.claim].append(entry)
            elif comparison.claim in document.statements:  # a claim outside every argument
                tests.setdefault(comparison.claim, []).append(entry)
    covered = [title for title, found in tests.items() if found]
    return {
        "map": document.path,
        "specs": [str(f) for f in files],
        "claims": len(claims),
        "covered": len(covered),
        "tests": {title: tests[title] for title in covered},
        "untested": [title for title, found in tests.items() if not found],
        "roles": {title: claims.get(title, {"roles": ["statement"]})["roles"] for title in tests},
    }, problems


def render_plan(plan: dict[str, Any]) -> str:
    lines = [
        f"{plan['map']}: {plan['claims']} claims experiments could bear on; {plan['covered']} "
        f"tested by {len(plan['specs'])} spec file(s), {len(plan['untested'])} without a test",
        "",
        "tested:",
    ]
    for title, entries in plan["tests"].items():
        lines.append(f"  [{title}] ({', '.join(plan['roles'][title])})")
        for e in entries:
            lines.append(
                f"    {Path(e['spec']).name}: {e['method']} ({e['method_type']}) vs {e['baseline']} "
                f"({e['baseline_type']}) on {e['measure']}, {e['direction']} is better"
            )
            lines.append(f"      why: {e['rationale'] or '(no rationale given)'}")
    lines += ["", "no test yet:"]
    lines += [f"  [{title}] ({', '.join(plan['roles'][title])})" for title in plan["untested"]]
    return "\n".join(lines) + "\n"

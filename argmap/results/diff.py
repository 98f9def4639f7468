"""`argmap diff OLD NEW` and `argmap diff MAP --rev REV`: what moved between two versions.

The same what-moved table as `argmap attach` (rescore.py), between two versions of a
map: every claim whose credence moved by more than 0.005, largest move first, with
before, after, delta and the chain of reasons, then the thesis before and after with
its interval. A version is a map file with the results attached to it, or the map and
its results folder as committed at a git revision (read with `git show REV:path`, never
through a shell). The reasons name what changed between the two texts and result sets:

* a premise's credence or a claim's prior (`[X]: credence 0.6 -> 0.7`);
* an inference (`<A> inference (3): 0.8 -> 0.9`) or an inference's premises;
* an added or removed support, attack or undercut (`added <A> +> [T]`), argument
  step, or claim;
* an attached, detached or re-weighted result (its Bayes factor, weight and factor);

each followed by the path along which it reached the claim (shortest path in the new
version's graph). Diagnostics (code R109) when the revision or the file at it cannot
be read, or the map is not in a git repository.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from argmap.diagnostics import Diagnostic
from argmap.engine import DEFAULT_SEMANTICS
from argmap.model import Document
from argmap.results.evidence import Evidence
from argmap.results.rescore import Report, moved_claims, reasons_from, render_moved, thesis_line

if TYPE_CHECKING:
    from argmap.engine.api import ScoreResult
    from argmap.engine.qbaf import ScoreGraph
    from argmap.results.model import Result

GIT_TIMEOUT_S = 30


class DiffError(Exception):
    """A version cannot be read: carries diagnostics (R109, or the parser's F codes)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass
class Version:
    """One version of a map: its parsed text and the evidence attached to it."""

    label: str
    document: Document
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def _error(message: str, file: str, hint: str | None = None) -> DiffError:
    from argmap.results.validate import diagnostic

    return DiffError([diagnostic("R109", message, file, hint=hint)])


def _check_parsed(document: Document) -> None:
    errors = [d for d in document.diagnostics if d.code.startswith("F") and d.level.value == "error"]
    if errors:
        raise DiffError(errors)


def file_version(path: str | os.PathLike[str], results: bool = True) -> Version:
    """The map file as it is now, with the results attached to it."""
    from argmap.grammar import parse_file
    from argmap.results.rescore import attached_evidence

    name = os.fspath(path)
    if not Path(name).is_file():
        raise _error(f"no map file {name}", name)
    document = parse_file(name)
    _check_parsed(document)
    if not results:
        return Version(name, document)
    evidence, warnings = attached_evidence(name, document)
    return Version(name, document, evidence, warnings)


# ---- git ---------------------------------------------------------------------------------


def _git(args: list[str], cwd: Path, name: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise _error("git is not installed (needed for --rev)", name) from None
    except subprocess.TimeoutExpired:
        raise _error(f"git {args[0]} took longer than {GIT_TIMEOUT_S} s", name) from None


def git_version(path: str | os.PathLike[str], rev: str, results: bool = True) -> Version:
    """The map at `path` as committed at `rev` (and its results folder at `rev`).

    Runs `git` without a shell, the path passed as one argument; a revision that starts
    with `-` or holds a colon or a NUL is refused (it would read as an option or a path)."""
    from argmap.grammar import parse_bytes
    from argmap.results.store import store_dir

    name = os.fspath(path)
    if not rev or rev.startswith("-") or ":" in rev or "\0" in rev or "\n" in rev:
        raise _error(f"`{rev}` is not a revision argmap will pass to git", name, "e.g. HEAD~1, main, a1b2c3d")
    where = Path(name).absolute().parent
    if not where.is_dir():
        raise _error(f"no folder {where} for {name}", name)
    top = _git(["rev-parse", "--show-toplevel"], where, name)
    if top.returncode != 0:
        raise _error(
            f"{name} is not in a git repository, so there is no revision {rev} to compare with",
            name,
            "compare two files instead: argmap diff OLD NEW",
        )
    root = Path(os.fsdecode(top.stdout.rstrip(b"\n"))).resolve()
    target = where.resolve() / Path(name).name
    try:
        relative = PurePosixPath(target.relative_to(root).as_posix())
    except ValueError:
        raise _error(f"{name} is outside the git repository at {root}", name) from None
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root, name)
    if commit.returncode != 0 or not commit.stdout.strip():
        raise _error(
            f"unknown revision `{rev}` in {root}",
            name,
            "see `git log --oneline` for the revisions (a new repository has no HEAD~1)",
        )
    sha = commit.stdout.decode("ascii").strip()
    shown = _git(["cat-file", "blob", f"{sha}:{relative}"], root, name)
    if shown.returncode != 0:
        raise _error(
            f"{relative} does not exist at {rev} ({sha[:12]})",
            name,
            "was it added or renamed after that revision? `git log --follow -- FILE` shows its history",
        )
    label = f"{rev}:{relative}"
    document = parse_bytes(shown.stdout, label)
    _check_parsed(document)
    if not results:
        return Version(label, document)
    loaded, warnings = _results_at(sha, rev, store_dir(target), root, name)
    evidence, more = _assess(document, sorted(loaded, key=lambda r: r.id), label)
    return Version(label, document, evidence, _as_warnings(warnings) + more)


def _results_at(
    sha: str, rev: str, store: Path, root: Path, name: str
) -> tuple[list[Result], list[Diagnostic]]:
    """The result files of the map's results folder as committed at `sha`."""
    from argmap.results.validate import MAX_RESULT_BYTES, diagnostic, parse_result_json

    folder = PurePosixPath(Path(store).resolve().relative_to(root).as_posix())
    listing = _git(["ls-tree", "-z", "--name-only", sha, "--", f"{folder}/"], root, name)
    loaded: list[Result] = []
    warnings: list[Diagnostic] = []
    if listing.returncode != 0:
        return loaded, warnings
    for entry in listing.stdout.split(b"\0"):
        file = os.fsdecode(entry)
        if not file.endswith(".json"):
            continue
        size = _git(["cat-file", "-s", f"{sha}:{file}"], root, name)
        if size.returncode != 0:
            continue
        if int(size.stdout.strip() or 0) > MAX_RESULT_BYTES:  # what attach refuses, history too
            too_large = f"results file larger than {MAX_RESULT_BYTES:,} bytes"
            warnings.append(diagnostic("R101", too_large, f"{rev}:{file}"))
            continue
        blob = _git(["cat-file", "blob", f"{sha}:{file}"], root, name)
        if blob.returncode != 0:
            continue
        result = parse_result_json(blob.stdout.decode("utf-8", "replace"), f"{rev}:{file}")
        if result.result is None:
            warnings.extend(result.diagnostics)
            continue
        stored = json.loads(blob.stdout).get("weight")
        item = result.result
        if stored is not None:
            item = item.model_copy(update={"weight": float(stored)})
        loaded.append(item)
    return loaded, warnings


def _as_warnings(problems: list[Diagnostic]) -> list[Diagnostic]:
    from argmap.diagnostics import Level

    return [p.with_level(Level.WARNING) for p in problems]


def _assess(document: Document, results: list[Result], name: str) -> tuple[list[Evidence], list[Diagnostic]]:
    from argmap.results.evidence import assess
    from argmap.results.validate import check_claim

    usable: list[Result] = []
    problems: list[Diagnostic] = []
    for result in results:
        problem = check_claim(result, document.statements, name)
        if problem is None:
            usable.append(result)
        else:
            problems.append(problem)
    return assess(usable), _as_warnings(problems)


# ---- what changed ------------------------------------------------------------------------


def _sign(polarity: int) -> str:
    return "+>" if polarity > 0 else "->"


def _bases(graph: ScoreGraph) -> dict[str, tuple[str, float]]:
    derived = {d.node for d in graph.derivations}
    out: dict[str, tuple[str, float]] = {}
    for i, node in enumerate(graph.nodes):
        if node.kind == "result" or i in derived:
            continue
        if node.base_param is not None:
            out[node.key] = ("credence", graph.params[node.base_param].mean)
        else:
            out[node.key] = ("prior", node.fixed_base)
    return out


def _derivations(graph: ScoreGraph) -> dict[tuple[str, int], tuple[str, tuple[str, ...], float | None]]:
    out = {}
    for d in graph.derivations:
        inference = None if d.inference_param is None else graph.params[d.inference_param].mean
        premises = tuple(sorted(graph.nodes[p].key for p in d.premises))
        out[(d.argument, d.number)] = (graph.nodes[d.node].key, premises, inference)
    return out


def _edges(graph: ScoreGraph) -> Counter[tuple[str, str, int]]:
    return Counter(
        (graph.nodes[e.source].label, graph.nodes[e.target].key, e.polarity)
        for e in graph.edges
        if graph.nodes[e.source].kind != "result"
    )


def _undercuts(graph: ScoreGraph) -> Counter[tuple[str, str, int]]:
    out: Counter[tuple[str, str, int]] = Counter()
    for e in graph.undercuts:
        d = graph.derivations[e.target]
        out[(graph.nodes[e.source].label, f"<{d.argument}>", d.node)] += 1
    return out


def _evidence_key(item: Evidence) -> str:
    return item.id


def changes(
    old: ScoreGraph, new: ScoreGraph, old_ev: list[Evidence], new_ev: list[Evidence]
) -> dict[int, str]:
    """What changed, as reasons keyed by the node of the new graph they act on first."""
    reasons = _Reasons(new.index())
    old_keys = {n.key for n in old.nodes if n.kind != "result"}
    for item_node in new.nodes:
        if item_node.kind != "result" and item_node.key not in old_keys:
            reasons.at(item_node.key, f"{item_node.label} added to the map")
    _base_changes(reasons, old, new)
    _derivation_changes(reasons, old, new)
    _edge_changes(reasons, old, new)
    _evidence_changes(reasons, old_ev, new_ev)
    return {node: "; ".join(texts) for node, texts in reasons.by_node.items()}


class _Reasons:
    """Reasons collected per node of the new graph."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        self.by_node: dict[int, list[str]] = {}

    def at(self, key: str, text: str) -> None:
        node = self.index.get(key)
        if node is not None:
            self.by_node.setdefault(node, []).append(text)

    def claim(self, title: str) -> str:
        return f"[{title}]" if f"[{title}]" in self.index else f"<{title}>"


def _base_changes(reasons: _Reasons, old: ScoreGraph, new: ScoreGraph) -> None:
    before, after = _bases(old), _bases(new)
    for key, (kind, value) in after.items():
        was = before.get(key)
        if was is not None and was != (kind, value):
            change = (
                f"{was[1]:g} -> {value:g}" if was[0] == kind else f"{was[0]} {was[1]:g} -> {kind} {value:g}"
            )
            reasons.at(key, f"{key}: {kind if was[0] == kind else 'base'} {change}")


def _derivation_changes(reasons: _Reasons, old: ScoreGraph, new: ScoreGraph) -> None:
    d_old, d_new = _derivations(old), _derivations(new)
    for (argument, number), (conclusion, premises, inference) in d_new.items():
        step = d_old.get((argument, number))
        if step is None:
            reasons.at(conclusion, f"<{argument}> ({number}) added")
            continue
        if step[2] != inference:
            old_text = "none" if step[2] is None else f"{step[2]:g}"
            new_text = "none" if inference is None else f"{inference:g}"
            reasons.at(conclusion, f"<{argument}> inference ({number}): {old_text} -> {new_text}")
        if step[1] != premises:
            reasons.at(conclusion, f"<{argument}> ({number}): premises changed")
    for (argument, number), (conclusion, _, _) in d_old.items():
        if (argument, number) not in d_new:
            reasons.at(conclusion, f"<{argument}> ({number}) removed")


def _edge_changes(reasons: _Reasons, old: ScoreGraph, new: ScoreGraph) -> None:
    e_old, e_new = _edges(old), _edges(new)
    for (source, target, polarity), count in (e_new - e_old).items():
        reasons.at(
            target, f"added {source} {_sign(polarity)} {target}" + (f" (x{count})" if count > 1 else "")
        )
    for (source, target, polarity), count in (e_old - e_new).items():
        reasons.at(
            target, f"removed {source} {_sign(polarity)} {target}" + (f" (x{count})" if count > 1 else "")
        )
    u_old, u_new = _undercuts(old), _undercuts(new)
    for (source, argument, node_index), _count in (u_new - u_old).items():
        reasons.by_node.setdefault(node_index, []).append(f"added {source} _> {argument}")
    old_node = {i: n.key for i, n in enumerate(old.nodes)}
    for (source, argument, node_index), _count in (u_old - u_new).items():
        reasons.at(old_node[node_index], f"removed {source} _> {argument}")


def _evidence_changes(reasons: _Reasons, old_ev: list[Evidence], new_ev: list[Evidence]) -> None:
    ev_old = {_evidence_key(e): e for e in old_ev}
    ev_new = {_evidence_key(e): e for e in new_ev}
    for key, item in ev_new.items():
        previous = ev_old.get(key)
        if previous is None:
            reasons.at(reasons.claim(item.claim), item.reason())
        elif not math.isclose(previous.log_applied, item.log_applied, rel_tol=1e-12, abs_tol=1e-15):
            reasons.at(
                reasons.claim(item.claim),
                f"result {item.id[:8]} on [{item.claim}]: w {previous.weight:g} -> {item.weight:g}, "
                f"x{previous.applied:.3g} -> x{item.applied:.3g} odds",
            )
    for key, item in ev_old.items():
        if key not in ev_new:
            reasons.at(
                reasons.claim(item.claim),
                f"result {item.id[:8]} detached from [{item.claim}] (was x{item.applied:.3g} odds)",
            )


# ---- the report --------------------------------------------------------------------------


@dataclass
class DiffReport(Report):
    old_label: str = ""
    new_label: str = ""


def diff_versions(
    old: Version,
    new: Version,
    semantics: str = DEFAULT_SEMANTICS,
    samples: int = 2000,
    seed: int = 0,
    thesis: str | None = None,
) -> DiffReport:
    """Score both versions (each with its own results) and explain what moved."""
    from argmap.engine.api import ScoreError, score
    from argmap.results.rescore import graph_for

    graph_new, diagnostics = graph_for(new.document, new.evidence, semantics, thesis)
    if graph_new.thesis is None:
        raise ScoreError([d for d in diagnostics if d.code == "C590"] or diagnostics)
    thesis_key = graph_new.nodes[graph_new.thesis].key
    graph_old, _ = graph_for(old.document, old.evidence, semantics, thesis)
    before: ScoreResult | None = None
    if graph_old.nodes:
        if graph_old.thesis is None:
            graph_old.thesis = graph_old.index().get(thesis_key, 0)
        before = score(old.document, semantics=semantics, graph=graph_old, samples=0, seed=seed)
    after = score(new.document, semantics=semantics, graph=graph_new, samples=samples, seed=seed)
    by_node = reasons_from(graph_new, changes(graph_old, graph_new, old.evidence, new.evidence))
    reasons: dict[str, list[str]] = {}
    for i, node in enumerate(graph_new.nodes):
        if i in by_node:
            reasons[node.title if node.kind != "argument" else node.key] = by_node[i]
    if before is None:
        from argmap.engine.api import ScoreResult as Result

        before = Result(semantics=after.semantics, path=old.label, thesis=after.thesis, claims={})
        thesis_before = None
    else:
        thesis_node = graph_new.nodes[graph_new.thesis]
        previous = before.claims.get(thesis_node.title if thesis_node.kind != "argument" else thesis_key)
        thesis_before = previous.credence if previous is not None else None
    ids_old = {e.id: e for e in old.evidence}
    shown = [
        e
        for e in new.evidence
        if e.id not in ids_old or not math.isclose(ids_old[e.id].log_applied, e.log_applied, rel_tol=1e-12)
    ]
    return DiffReport(
        evidence=shown,
        moved=moved_claims(before, after, reasons),
        thesis_title=after.thesis.title,
        thesis_before=thesis_before,
        thesis_after=after.thesis.credence,
        interval=after.thesis.interval,
        semantics=semantics,
        diagnostics=list(new.document.diagnostics) + diagnostics + old.warnings + new.warnings,
        old_label=old.label,
        new_label=new.label,
    )


def render_diff(report: DiffReport) -> str:
    lines = [f"{report.old_label} -> {report.new_label}"]
    for item in report.evidence:
        lines.append(f"  result {item.id} on [{item.claim}]: {item.describe()}")
    lines.append("")
    lines.append(render_moved(report.moved).rstrip("\n"))
    lines.append(thesis_line(report))
    return "\n".join(lines) + "\n"

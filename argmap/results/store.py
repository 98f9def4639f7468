"""Where attached results live: `<map stem>.results/` next to the map, one file per result.

`thesis.argdown` keeps its results in `thesis.results/<id>.json` (`id`: the result's
content hash). Files are written atomically (temporary file, fsync, rename), never
outside the project root (the nearest folder above the map holding `.git`,
`argmap.toml` or `pyproject.toml`; else the map's folder), and the map's own text is
never touched here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from argmap.diagnostics import Diagnostic
from argmap.fileio import is_inside, project_root_of
from argmap.results.model import Result
from argmap.results.validate import MAX_RESULT_BYTES, diagnostic, parse_result_json, read_results_text

SUFFIX = ".results"


class StoreError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def store_dir(map_path: str | os.PathLike[str]) -> Path:
    path = Path(map_path)
    return path.parent / f"{path.stem}{SUFFIX}"


def project_root(map_path: str | os.PathLike[str]) -> Path:
    """The project root of the map's real location (a symlinked map stores beside its target's root)."""
    return project_root_of(Path(map_path).resolve().parent)


def _inside(path: Path, root: Path) -> bool:
    return is_inside(str(path.resolve()), str(root.resolve()))


def result_path(map_path: str | os.PathLike[str], result_id: str) -> Path:
    """The file of result `result_id`; StoreError (R107) when it would leave the root."""
    folder = store_dir(map_path)
    target = folder / f"{result_id}.json"
    root = project_root(map_path)
    if not all(c.isalnum() for c in result_id) or not _inside(target, root):
        raise StoreError(
            [
                diagnostic(
                    "R107",
                    f"{target} is outside the project root {root}",
                    str(map_path),
                    hint="keep the map and its results folder inside the project",
                )
            ]
        )
    return target


def load_attached(map_path: str | os.PathLike[str]) -> tuple[list[Result], list[Diagnostic]]:
    """Every result stored for the map, sorted by id; unreadable files become diagnostics."""
    folder = store_dir(map_path)
    if not folder.is_dir():
        return [], []
    root = project_root(map_path)
    results: list[Result] = []
    problems: list[Diagnostic] = []
    for file in sorted(folder.glob("*.json")):
        if not _inside(file, root):
            problems.append(diagnostic("R107", f"{file} is outside the project root {root}", str(file)))
            continue
        try:
            text = read_results_text(file)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(diagnostic("R101", f"cannot read {file}: {exc}", str(file)))
            continue
        loaded = parse_result_json(text, str(file))
        if loaded.result is None:
            problems.extend(loaded.diagnostics)
        else:
            stored = json.loads(text).get("weight")
            result = loaded.result
            if stored is not None:
                result = result.model_copy(update={"weight": float(stored)})
            results.append(result)
    return sorted(results, key=lambda r: r.id), problems


def has_attached(map_path: str | os.PathLike[str]) -> bool:
    folder = store_dir(map_path)
    return folder.is_dir() and any(folder.glob("*.json"))


def save(map_path: str | os.PathLike[str], result: Result) -> Path:
    """Write `result` atomically as `<store>/<id>.json`; R106 if that id is attached."""
    from argmap.fileio import atomic_write_text

    target = result_path(map_path, result.id)
    if target.exists():
        raise StoreError(
            [
                diagnostic(
                    "R106",
                    f"result {result.id} is already attached ({target})",
                    str(map_path),
                    hint=f"detach it first: argmap results detach {map_path} {result.id}",
                )
            ]
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    data = result.model_dump(mode="json", exclude_none=True)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if len(text) > MAX_RESULT_BYTES // 4:  # indented, a large minified file would outgrow the limit
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)  # and be skipped on reading
    atomic_write_text(target, text + "\n")
    return target


def find(map_path: str | os.PathLike[str], prefix: str) -> list[Path]:
    folder = store_dir(map_path)
    if not folder.is_dir() or not prefix:
        return []
    return sorted(p for p in folder.glob("*.json") if p.stem.startswith(prefix))


def remove(map_path: str | os.PathLike[str], prefix: str) -> Path:
    """Delete the stored result whose id starts with `prefix` (unique); StoreError otherwise."""
    matches = find(map_path, prefix)
    if len(matches) != 1:
        what = "no attached result" if not matches else f"{len(matches)} attached results"
        raise StoreError(
            [
                diagnostic(
                    "R106" if matches else "R108",
                    f"{what} with an id starting `{prefix}`",
                    str(map_path),
                    hint=f"see `argmap results list {map_path}`",
                )
            ]
        )
    target = matches[0]
    if not _inside(target, project_root(map_path)):
        raise StoreError([diagnostic("R107", f"{target} is outside the project root", str(map_path))])
    target.unlink()
    folder = target.parent
    if not any(folder.iterdir()):
        folder.rmdir()
    return target

"""Resolving evidence paths safely.

An evidence link's path is resolved relative to the folder of the map that holds
it. It must stay inside the *project root*: the nearest folder at or above the map's
folder that holds `.git`, `pyproject.toml` or `argmap.toml`, or else the map's own
folder. Refused, and never opened:

- absolute paths (`/etc/passwd`, `C:\\x`, `\\\\server\\share`) and URLs (`https://...`,
  `file:...`);
- paths that leave the root lexically (`../../etc/passwd`);
- paths whose real location (after following symlinks) is outside the root's real
  location;
- anything that is not a regular file (folders, FIFOs, devices).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from argmap.fileio import ROOT_MARKERS, is_inside, project_root

__all__ = ["ROOT_MARKERS", "Resolved", "project_root", "resolve_evidence_path"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class Resolved:
    """Outcome of resolving one evidence path: `path` (a real, regular file inside the
    root) or `problem` (`missing` or `refused`) with a message."""

    written: str
    path: Path | None = None
    problem: str | None = None
    message: str = ""


def resolve_evidence_path(
    written: str, map_path: str | os.PathLike[str], root: Path | None = None
) -> Resolved:
    raw = unquote(written.strip())
    if not raw:
        return Resolved(written, problem="refused", message="the evidence link has no path")
    if "\x00" in raw:
        return Resolved(written, problem="refused", message="the evidence path contains a NUL character")
    if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", raw) or os.path.isabs(raw):
        return Resolved(written, problem="refused", message="absolute evidence paths are refused")
    if _SCHEME.match(raw):
        return Resolved(
            written, problem="refused", message="evidence must be a file in the project, not a URL"
        )
    root = root or project_root(map_path)
    root_abs = os.path.abspath(root)
    folder = os.path.dirname(os.path.abspath(map_path))
    lexical = os.path.normpath(os.path.join(folder, raw.replace("\\", "/")))
    if not is_inside(lexical, root_abs):
        return Resolved(
            written, problem="refused", message=f"the evidence path leaves the project root {root_abs}"
        )
    real = os.path.realpath(lexical)
    if not is_inside(real, os.path.realpath(root_abs)):
        return Resolved(
            written, problem="refused", message="the evidence path is a symlink that leaves the project root"
        )
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return Resolved(written, problem="missing", message=f"no such file: {written}")
    except OSError as error:
        return Resolved(
            written, problem="refused", message=f"cannot stat the evidence file: {error.strerror}"
        )
    if not stat.S_ISREG(info.st_mode):
        return Resolved(written, problem="refused", message="the evidence path is not a regular file")
    return Resolved(written, path=Path(real))

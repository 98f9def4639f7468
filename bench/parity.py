"""Compare argmap with the reference Argdown parser on a set of files.

For each `.argdown` file: does each side accept it (the reference exits 0; argmap
reports no error-level parser or file finding), and when both accept it, are the
graphs the same (statements, arguments with their PCS, relations, sections, tags,
compared through `argmap.render.argdown_projection.project`)?

    ARGDOWN_REF=/path/with/node_modules/@argdown/cli python bench/parity.py FILE_OR_DIR...

The reference's JSON is cached next to nothing: it is written to a temporary folder
per run. Exit status 0 when every file agrees, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from argmap.grammar import parse_file
from argmap.render.argdown_json import export_json_bytes
from argmap.render.argdown_projection import project

KEYS = ("statements", "arguments", "relations", "sections", "tags")


def reference(path: Path, binary: str) -> tuple[bool, dict[str, Any] | None]:
    with tempfile.TemporaryDirectory() as work:
        local = Path(work) / path.name
        local.write_bytes(path.read_bytes())
        run = subprocess.run(
            [binary, "json", local.name, "out"], cwd=work, capture_output=True, text=True, check=False
        )
        out = Path(work) / "out" / (local.stem + ".json")
        if run.returncode != 0 or not out.exists():
            return False, None
        return True, json.loads(out.read_text(encoding="utf-8"))


def ours(path: Path) -> tuple[bool, dict[str, Any], list[str]]:
    document = parse_file(path)
    errors = [
        f"{d.code} {d.line}:{d.column} {d.message}"
        for d in document.diagnostics
        if d.level.value == "error" and d.code[0] in "PF"
    ]
    # what `argmap export` writes, read back: JSON against JSON, as the reference's is
    return not errors, json.loads(export_json_bytes(document)), errors


def compare(path: Path, binary: str) -> list[str]:
    ref_ok, ref_json = reference(path, binary)
    our_ok, our_json, errors = ours(path)
    if ref_ok != our_ok:
        detail = "; ".join(errors[:3]) if errors else "argmap accepts it"
        return [f"accept: reference {ref_ok}, argmap {our_ok} ({detail})"]
    if not ref_ok or ref_json is None:
        return []
    expected, actual = project(ref_json), project(our_json)
    return [f"{key} differ" for key in KEYS if expected[key] != actual[key]]


def main(argv: list[str]) -> int:
    base = os.environ.get("ARGDOWN_REF")
    if not base:
        print("set ARGDOWN_REF to the folder holding node_modules/@argdown/cli", file=sys.stderr)
        return 2
    binary = str(Path(base) / "node_modules" / ".bin" / "argdown")
    files: list[Path] = []
    for name in argv:
        target = Path(name)
        files.extend(sorted(target.rglob("*.argdown")) if target.is_dir() else [target])
    failures = 0
    for path in files:
        problems = compare(path, binary)
        failures += bool(problems)
        print(f"{'ok  ' if not problems else 'DIFF'} {path}" + "".join(f"\n     {p}" for p in problems))
    print(f"{len(files) - failures}/{len(files)} agree")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""How fast `argmap lsp` answers an edit, and whether its memory stays flat.

Starts the real server (`python -m argmap lsp`) and talks JSON-RPC to it over its
stdio, as an editor does. The map is copied with its docs/ into a temporary folder.
Each edit is a `didChange` (incremental, one line replaced); the latency is the
time from writing that message to reading the `publishDiagnostics` for its
version, so it includes the debounce (`--debounce-ms`, the server's default 25).

- `text` edits rewrite a word of a statement's text (no evidence touched);
- `evidence` edits rewrite a word inside a quote (its match changes);
- `--memory N` makes N edits and reports the server's resident memory (VmRSS).

Besides the wall-clock latency it prints the server's CPU time per edit (from
/proc), which a machine loaded by other work inflates much less.

    python bench/bench_lsp.py MAP [--edits 20] [--memory 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class Session:
    def __init__(self, debounce_ms: int) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "argmap", "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self.next_id = 0
        self.request("initialize", {"capabilities": {}, "initializationOptions": {"debounceMs": debounce_ms}})
        self.notify("initialized", {})

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while (header := self.process.stdout.readline().strip()) != b"":
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
        return json.loads(self.process.stdout.read(length))  # type: ignore[no-any-return]

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, version: int) -> list[dict[str, Any]]:
        while True:
            message = self.read()
            params = message.get("params") or {}
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("version") == version
            ):
                return params["diagnostics"]  # type: ignore[no-any-return]

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return -1

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server so far (less sensitive to a loaded machine
        than wall-clock time)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)


def _line_index(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines) if line.lstrip().startswith(start))


def run(map_path: Path, edits: int, memory: int, debounce_ms: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / map_path.name
        shutil.copy(map_path, copy)
        if (map_path.parent / "docs").is_dir():
            shutil.copytree(map_path.parent / "docs", Path(folder) / "docs")
        lines = copy.read_text(encoding="utf-8").split("\n")
        uri = copy.resolve().as_uri()
        session = Session(debounce_ms)
        started = time.perf_counter()
        session.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "argdown", "version": 1, "text": "\n".join(lines)}},
        )
        first = session.diagnostics(1)
        print(
            f"open: {len(first)} findings in {(time.perf_counter() - started) * 1000:.0f} ms (first check, cold)"
        )
        version = 1
        targets = {
            "text": _line_index(lines, "[Natural Manifold]:") + 1,  # the thesis's second text line
            "evidence": _line_index(lines, "> PiSSA shares the same architecture"),
        }

        originals = {kind: lines[index] for kind, index in targets.items()}
        variants = {
            "text": originals["text"].replace("combined", "joined", 1),
            "evidence": originals["evidence"].replace("architecture", "design", 1),
        }

        def edit(kind: str) -> float:
            """Toggle the target line between its original and a variant (each edit changes it)."""
            nonlocal version
            version += 1
            index = targets[kind]
            old = lines[index]
            new = originals[kind] if old != originals[kind] else variants[kind]
            assert new != old
            lines[index] = new
            change = {
                "range": {
                    "start": {"line": index, "character": 0},
                    "end": {"line": index, "character": len(old)},
                },
                "text": new,
            }
            began = time.perf_counter()
            session.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            session.diagnostics(version)
            return (time.perf_counter() - began) * 1000

        for kind in ("text", "evidence"):
            edit(kind)  # warm this path once
            cpu = session.cpu_seconds()
            times = [edit(kind) for _ in range(edits)]
            cpu_ms = (session.cpu_seconds() - cpu) * 1000 / edits
            print(
                f"{kind:8} edits: median {statistics.median(times):.0f} ms, "
                f"min {min(times):.0f}, max {max(times):.0f} (n={len(times)}, debounce {debounce_ms} ms); "
                f"server CPU {cpu_ms:.0f} ms per edit"
            )
        if memory:
            marks = []
            for n in range(1, memory + 1):
                edit("text" if n % 2 else "evidence")
                if n in (1, 10, 100) or n % 250 == 0:
                    marks.append((n, session.rss_kib()))
            print(
                "memory (VmRSS) after N edits: " + ", ".join(f"{n}: {kib / 1024:.1f} MiB" for n, kib in marks)
            )
        session.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("map", type=Path)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--memory", type=int, default=0, help="edits to make while watching memory")
    parser.add_argument("--debounce-ms", type=int, default=25)
    options = parser.parse_args()
    run(options.map, options.edits, options.memory, options.debounce_ms)


if __name__ == "__main__":
    main()

"""Every shell example in README.md and docs/*.md runs as written (issue 16, group 9).

A fenced block marked ```sh claims to run: its commands run in order, from a copy of the
repository's `examples/` (with `../shared` pointing at the real corpus folder when it
exists), with `argmap` being this checkout, and each must exit 0 without a traceback.
A block marked ```sh synopsis shows a command's shape (placeholders such as MAP or URL,
optional parts in brackets) and is only read, never run.

Commands skip, with the reason, when they install packages (that is what CI itself runs),
run a benchmark from bench/ (minutes of CPU), serve until stopped, read the network, need
headless Chromium, the `train` extra or the real-world corpus and those are absent.
Training runs (`experiment run`) and the method table (`experiment methods`, 20 s) also
skip unless ARGMAP_DOCS_TRAIN=1: they take minutes of CPU, beyond the suite's budget; the
same code paths run at CI scale in tests/training/test_end_to_end.py and
tests/training/test_methods_cli.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")
_OPENS = re.compile(r"(?:^|[;&|(])\s*(?:for|while|until|if|case)\b")  # a compound command starts
_CLOSES = re.compile(r"\b(?:done|fi|esac)\b")
_TRAINING = re.compile(r"argmap experiment run\b")
INSTALLS = ("pip install", "scripts/test.sh", "apt-get ", "build.sh", "code --install-extension", "npm ")


def shell_blocks(document: Path) -> list[tuple[int, str, str]]:
    """(line, info string, body) of every fenced shell block in `document`."""
    text = document.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        info = match.group("info").strip()
        if info.split(" ")[0] in ("sh", "bash", "shell", "console"):
            found.append((text.count("\n", 0, match.start()) + 2, info, match.group("body")))
    return found


def split_commands(body: str) -> list[str]:
    """The block's commands: a line with its `\\` continuations, heredoc and loop bodies."""
    lines, commands, i = body.splitlines(), [], 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        command, depth = [lines[i]], _depth(lines[i])
        heredoc = _HEREDOC.search(lines[i])
        while i + 1 < len(lines) and (
            command[-1].rstrip().endswith("\\") or depth > 0 or heredoc is not None
        ):
            i += 1
            command.append(lines[i])
            if heredoc is not None and lines[i].strip() == heredoc.group(1):
                heredoc = None
            depth += _depth(lines[i])
        commands.append("\n".join(command))
        i += 1
    return commands


def _depth(line: str) -> int:
    """How many compound commands (`for ... done`, `if ... fi`) `line` opens, less those it closes."""
    return len(_OPENS.findall(line)) - len(_CLOSES.findall(line))


def runnable(document: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, command, the steps above it in its block that make files) of the commands
    `document` claims run, in document order: a training run writes results, a command
    naming ../shared/ copies the corpus, and the commands after them may read what they made."""
    found = []
    for line, info, body in shell_blocks(document):
        if info.split(" ")[-1] == "synopsis":
            continue
        makers: tuple[str, ...] = ()
        for number, command in enumerate(split_commands(body)):
            found.append((f"{document.stem}:{line}:{number}", command, makers))
            if _TRAINING.search(command) or "../shared/" in command:
                makers = (*makers, command)
    return found


def why_skipped(command: str) -> str | None:
    if any(word in command for word in INSTALLS):
        return "installs packages or builds the editor extension: CI's own script runs these"
    if re.search(r"(^|\s)(\S*/)?bench/", command):
        return "a benchmark: minutes of CPU beyond the suite's budget (its figures are in bench/README.md)"
    if "argmap serve" in command:
        return "serves until stopped: tests/serve and tests/browser run the server"
    if re.search(r"evidence fetch https?://", command):
        return "reads the network: tests/evidence run `fetch` against a local server"
    if "../shared/" in command and not (SHARED / "corpus").is_dir():
        return f"needs the real-world corpus in {SHARED / 'corpus'}"
    if "--device cuda" in command or "accelerate launch" in command:
        return "needs CUDA GPUs: the suite runs on CPUs (docs/training.md gives the GPU recipes)"
    if "--to png" in command:
        from argmap.render.chromium import find_chromium

        if find_chromium() is None:
            return "needs headless Chromium (docs/render.md says how to install it)"
    return _why_training_skipped(command)


def _why_training_skipped(command: str) -> str | None:
    if re.search(r"argmap experiment (run|methods)\b", command) is None:
        return None
    from argmap.training import INSTALL_HINT, missing_packages

    missing = missing_packages()
    if missing:
        return f"needs the train extra ({', '.join(missing)}; {INSTALL_HINT})"
    if os.environ.get("ARGMAP_DOCS_TRAIN") == "1":
        return None
    if _TRAINING.search(command):
        return "a training run: set ARGMAP_DOCS_TRAIN=1 to run it too"
    # builds every method on the tiny model: 20 s of CPU for a table that
    # tests/training/test_methods_cli.py checks in its JSON form
    return "loads torch and every method (20 s): set ARGMAP_DOCS_TRAIN=1 to run it too"


COMMANDS = [(document, *found) for document in DOCUMENTS for found in runnable(document)]


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, str]]]:
    return {}


def _workspace(base: Path) -> tuple[Path, dict[str, str]]:
    """A repository-shaped folder with a copy of examples/, and an environment whose
    `argmap` is this checkout."""
    repo = base / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "examples", repo / "examples")
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED, target_is_directory=True)
    bin_dir = base / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "argmap"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m argmap "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["TMPDIR"] = str(base)
    return repo, env


def test_the_readme_and_docs_show_runnable_commands() -> None:
    readme = [c for d, _, c, _ in COMMANDS if d.name == "README.md"]
    assert len(readme) >= 10 and any(c.startswith("argmap attach") for c in readme)
    assert len({d for d, _, _, _ in COMMANDS}) >= 6  # the docs, not only the README


def test_synopses_are_not_run() -> None:
    block = "argmap check MAP\n"
    assert split_commands(block) == ["argmap check MAP"]
    assert runnable(_doc_with("```sh synopsis\nargmap check MAP\n```\n")) == []


def test_commands_split_at_continuations_heredocs_and_loops() -> None:
    body = (
        "argmap a \\\n  --b\npython3 - <<'PY'\nprint(1)\nPY\n"
        "for s in x y; do\n  if true; then echo $s; fi\ndone\nargmap c  # a comment\n"
    )
    assert split_commands(body) == [
        "argmap a \\\n  --b",
        "python3 - <<'PY'\nprint(1)\nPY",
        "for s in x y; do\n  if true; then echo $s; fi\ndone",
        "argmap c  # a comment",
    ]


def _doc_with(text: str) -> Path:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"argmap-doc-{os.getpid()}.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("document", "command", "after"),
    [(d, c, a) for d, _, c, a in COMMANDS],
    ids=[i for _, i, _, _ in COMMANDS],
)
def test_documented_command_runs(
    document: Path,
    command: str,
    after: tuple[str, ...],
    workspaces: dict[str, tuple[Path, dict[str, str]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    reason = why_skipped(command)
    skipped_makers = [why for step in after if (why := why_skipped(step)) is not None]
    if reason is None and skipped_makers:
        reason = f"reads what a skipped step above it makes ({skipped_makers[0]})"
    if reason is not None:
        pytest.skip(reason)
    if document.name not in workspaces:  # one workspace per document: its commands build on each other
        workspaces[document.name] = _workspace(tmp_path_factory.mktemp(document.stem))
    repo, env = workspaces[document.name]
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", command],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr

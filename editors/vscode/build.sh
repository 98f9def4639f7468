#!/usr/bin/env bash
# Builds the VS Code extension: editors/vscode/argmap-argdown.vsix
# (npm ci from the lock file, tsc, then vsce package). Needs node >= 20 and npm.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
else
    npm install --no-audit --no-fund --loglevel=error
fi
npm run --silent compile
npm run --silent package
ls -l argmap-argdown.vsix

#!/usr/bin/env bash
# Runs a TypeScript entry point on Hawker's Node (>= 22, see setup/node-runtime.sh), which strips the types itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup/node-runtime.sh
exec node "$@"

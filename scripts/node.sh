#!/usr/bin/env bash
# Runs a TypeScript entry point on Hawker's Node (>= 22, see setup/node-runtime.sh), which strips the types itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup/node-runtime.sh
# Node keeps each module's compiled code (and TypeScript with its types stripped) here and reuses it
# while the source is unchanged: a third less CPU to start the server.
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$PWD/node_modules/.cache/node-compile}"
exec node "$@"

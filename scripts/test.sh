#!/usr/bin/env bash
# All tests: type checks, unit and integration tests (vitest, real mediasoup workers), browser tests (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup/node-runtime.sh
echo "[test] type check (tsc and svelte-check, warnings fail)"
npm run --silent check
echo "[test] unit and integration tests"
npx vitest run
echo "[test] browser tests"
npx playwright test

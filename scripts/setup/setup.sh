#!/usr/bin/env bash
# Brings a Debian 12 machine from nothing to ready, and does nothing when it is ready:
# apt packages, Node >= 22, npm dependencies (with mediasoup's worker built from source), the web build.
# Usage: setup.sh [run|test|cluster]   ("test" also installs Chromium, PostgreSQL, Redis and nginx for the tests;
# "cluster" PostgreSQL, Redis and nginx for `npm run cluster`)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-run}"
say() { printf '[setup] %s\n' "$*"; }

# --- 1. Debian packages -------------------------------------------------------------
mapfile -t packages < <(grep -v '^\s*#' scripts/setup/apt-packages.txt | tr -s ' \n' '\n' | sed '/^$/d')
# Tests also need a browser and a voice (flite speaks the captions tests' sentences); tests and the local cluster need what cluster mode runs on: PostgreSQL, Redis and nginx.
case "$mode" in
  test) packages+=(chromium postgresql redis-server nginx flite) ;;
  cluster) packages+=(postgresql redis-server nginx) ;;
esac
missing=()
# One query for all of them: a dpkg-query per package would cost most of a warm start's setup.
installed=$'\n'"$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)"$'\n'
for p in "${packages[@]}"; do
  [[ "$installed" == *$'\n'"$p install ok installed"$'\n'* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "run as root or install: apt-get install ${missing[*]}"; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 2. Node ------------------------------------------------------------------------
source scripts/setup/node-runtime.sh
say "node $(node --version)"

# --- 3. npm dependencies ------------------------------------------------------------
# mediasoup's own postinstall would download a prebuilt worker; ours builds it offline.
export MEDIASOUP_WORKER_BIN=skip
lock_hash="$( (cat package-lock.json; node --version) | sha256sum | cut -c1-16)"
stamp=node_modules/.hawker-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "installing npm dependencies (first run builds mediasoup's worker: several minutes)"
  # `npm install` (not `npm ci`): the lock cannot list other platforms' optional binaries
  # (e.g. rollup's) when the registry mirror only carries this platform's; install skips them.
  npm install --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
else
  # Cheap when the worker is in place; rebuilds it if it went missing.
  node scripts/mediasoup/build-worker.mjs
fi
# The captions engine's PocketSphinx program (rebuilt only when its source changes).
bash scripts/captions/build-sphinx.sh

# --- 4. web build -------------------------------------------------------------------
web_hash="$(find web shared server svelte.config.js vite.config.ts package-lock.json -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
if [ ! -f build/.hawker-built ] || [ "$(cat build/.hawker-built)" != "$web_hash" ]; then
  say "building the web app"
  npx svelte-kit sync
  npx vite build --logLevel warn
  echo "$web_hash" > build/.hawker-built
fi
say "ready"

#!/usr/bin/env bash
# Builds the captions engine's PocketSphinx program (server/captions/engines/pocketsphinx/sphinx-stream.c)
# against Debian's libpocketsphinx into build-native/sphinx-stream. Does nothing when the binary was built
# from the same source with the same flags. Needs: cc, pkg-config, libpocketsphinx-dev, libsphinxbase-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=server/captions/engines/pocketsphinx/sphinx-stream.c
out=build-native/sphinx-stream
flags="$(pkg-config --cflags --libs pocketsphinx sphinxbase)"
key="$( (cat "$src"; echo "$flags"; cc --version | head -1) | sha256sum | cut -c1-16)"
if [ -x "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then exit 0; fi
echo "[captions] building $out"
mkdir -p build-native
# shellcheck disable=SC2086 # pkg-config's output is a list of flags
cc -O2 -Wall -Wextra -o "$out.tmp" "$src" $flags
mv "$out.tmp" "$out"
echo "$key" > "$out.key"

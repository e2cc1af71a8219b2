# SPDX-License-Identifier: Apache-2.0
# npm_ci DIR: runs `npm ci --no-audit --no-fund` in DIR when its node_modules
# is missing or older than package-lock.json or package.json, then touches
# the stamp DIR/node_modules/.medseal-npm-ci.stamp, whose time is what
# "older" compares. The stamp is touched only after npm ci succeeded (npm ci
# empties node_modules first, so a failed or interrupted run leaves none).
# Prints one line either way, prefixed with the calling script's name
# (setup.sh -> "setup: ..."), DIR relative to the repository root.
# Sourced by scripts/setup.sh, build-wasm.sh and run-bench.sh (and the web
# demo's scripts); tested by scripts/test/npm.test.mjs.

npm_lib_repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

npm_ci() {
  local dir=$1 who=${0##*/}
  local stamp=$dir/node_modules/.medseal-npm-ci.stamp
  local shown=${dir#"$npm_lib_repo_root"/}
  who=${who%.sh}
  if [[ -f $stamp && ! $dir/package-lock.json -nt $stamp && ! $dir/package.json -nt $stamp ]]; then
    printf '%s: npm: %s up to date\n' "$who" "$shown"
    return 0
  fi
  printf '%s: npm ci in %s\n' "$who" "$shown"
  # Native addons (web-demo's better-sqlite3) are built by node-gyp, which
  # would download the node headers: point it at the installed ones
  # (nodesource's node and Debian's libnode-dev put them in <prefix>/include/node).
  local nodedir=${npm_config_nodedir:-}
  if [[ -z $nodedir ]]; then
    nodedir=$(node -p 'require("path").resolve(process.execPath, "..", "..")' 2>/dev/null || true)
    [[ -n $nodedir && -f $nodedir/include/node/node.h ]] || nodedir=
  fi
  (cd "$dir" && env ${nodedir:+npm_config_nodedir="$nodedir"} npm ci --no-audit --no-fund) || return
  mkdir -p "$dir/node_modules"  # npm makes none for a package without dependencies
  touch "$stamp"
}

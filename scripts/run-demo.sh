#!/usr/bin/env bash
# Builds everything the demo needs and serves the patient portal on 127.0.0.1.
#   scripts/run-demo.sh            -> http://127.0.0.1:8080/
#   PORT=9000 scripts/run-demo.sh  -> another port (0 picks a free one)
# Steps: scripts/setup.sh (idempotent installs), scripts/build-wasm.sh (the
# medseal package into wasm/package/dist), `npm ci` in web-demo if its
# node_modules is missing or older than the lock file, then the server.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'run-demo: %s\n' "$*"; }

bash "$repo_root/scripts/setup.sh"

if [[ ! -f $repo_root/scripts/build-wasm.sh ]]; then
  log "scripts/build-wasm.sh is missing: cannot build the medseal package" >&2
  exit 1
fi
bash "$repo_root/scripts/build-wasm.sh"
if [[ ! -f $repo_root/wasm/package/dist/index.js ]]; then
  log "the build did not produce wasm/package/dist/index.js" >&2
  exit 1
fi

# Same stamp as scripts/setup.sh, so the two never disagree.
d=$repo_root/web-demo
stamp=$d/node_modules/.medseal-npm-ci.stamp
if [[ ! -f $stamp || $d/package-lock.json -nt $stamp ]]; then
  log "npm ci in web-demo"
  (cd "$d" && npm ci --no-audit --no-fund)
  mkdir -p "$d/node_modules" && touch "$stamp"
fi

export PORT=${PORT:-8080}
log "serving the portal (Ctrl-C to stop)"
exec node "$d/server.mjs"

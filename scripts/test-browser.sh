#!/usr/bin/env bash
# Browser tests of the web demo: Debian's Chromium (headless) driven by npm
# playwright-core, against web-demo/server.mjs on an ephemeral 127.0.0.1 port.
# Assumes the package is built (scripts/build-wasm.sh -> wasm/package/dist).
# Extra arguments go to `node --test` (e.g. --test-name-pattern=worker).
# Writes build/screenshots/portal.png.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'test-browser: %s\n' "$*"; }

if [[ ! -f $repo_root/wasm/package/dist/index.js ]]; then
  log "wasm/package/dist/index.js is missing: run scripts/build-wasm.sh first" >&2
  exit 1
fi
chromium=${MEDSEAL_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  log "$chromium not found: run scripts/setup.sh (installs Debian's chromium)" >&2
  exit 1
fi

d=$repo_root/web-demo
stamp=$d/node_modules/.medseal-npm-ci.stamp
if [[ ! -f $stamp || $d/package-lock.json -nt $stamp || ! -d $d/node_modules/playwright-core ]]; then
  log "npm ci in web-demo"
  (cd "$d" && npm ci --no-audit --no-fund)
  mkdir -p "$d/node_modules" && touch "$stamp"
fi

cd "$d"
exec node --test "$@" test/

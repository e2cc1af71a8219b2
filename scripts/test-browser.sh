#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Tests of the web demo: builds it as scripts/run-demo.sh does (`npm ci` in
# web-demo when needed, `npm run build` into web-demo/dist), then runs its
# server tests (web-demo/server/test/), its relay tests (web-demo/relay/test/:
# the log over HTTP and on SQLite) and its browser tests (web-demo/test/:
# Debian's Chromium, headless, driven by npm playwright-core, against a server
# composed from the demo's request handler on an ephemeral 127.0.0.1 port).
# Assumes the package is built (scripts/build-wasm.sh -> wasm/package/dist).
# Extra arguments go to `node --test` (e.g. --test-name-pattern=worker).
# Writes build/screenshots/portal.png.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'test-browser: %s\n' "$*"; }
source "$repo_root/scripts/lib/npm.sh"

chromium=${MEDSEAL_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  log "$chromium not found: run scripts/setup.sh (installs Debian's chromium)" >&2
  exit 1
fi

d=$repo_root/web-demo
npm_ci "$d"

log "building the demo into web-demo/dist"
(cd "$d" && npm run --silent build)

cd "$d"
exec node --test "$@" server/test/*.test.mjs relay/test/*.test.mjs test/*.test.mjs

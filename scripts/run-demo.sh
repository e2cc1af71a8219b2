#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds everything the demo needs and serves the patient portal on 127.0.0.1.
#   scripts/run-demo.sh            -> http://127.0.0.1:8080/
#   PORT=9000 scripts/run-demo.sh  -> another port (0 picks a free one)
# Steps: scripts/setup.sh (idempotent installs), scripts/build-wasm.sh (the
# medseal package into wasm/package/dist), `npm ci` in web-demo if its
# node_modules is missing or older than the lock file (web-demo depends on
# the built package, file:../wasm/package), `npm run build` in web-demo (the
# app into web-demo/dist), then the server (web-demo/server/server.mjs).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'run-demo: %s\n' "$*"; }
source "$repo_root/scripts/lib/npm.sh"

bash "$repo_root/scripts/setup.sh"
bash "$repo_root/scripts/build-wasm.sh"

d=$repo_root/web-demo
npm_ci "$d"

log "building the demo into web-demo/dist"
(cd "$d" && npm run --silent build)

export PORT=${PORT:-8080}
log "serving the portal (Ctrl-C to stop)"
exec node "$d/server/server.mjs"

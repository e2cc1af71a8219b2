#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the WebAssembly module and the npm package wasm/package.
#   scripts/build-wasm.sh            # wasm-release (the default)
#   scripts/build-wasm.sh debug      # wasm-debug (-O0, ASSERTIONS=1)
#   scripts/build-wasm.sh tests      # wasm-tests: wasm-release plus the GoogleTest
#                                    # suite for wasm (ctest --preset wasm-tests)
# Steps, each skipped when already done (idempotent and incremental):
#   1. configure build/wasm-<type> through its CMake preset (Emscripten
#      toolchain; quick when already configured, and it re-applies the
#      preset's cache variables);
#   2. build it (ninja, -j2); the post-build step copies medseal_core.mjs and
#      medseal_core.wasm into wasm/package/dist/;
#   3. `npm ci` in wasm/package when node_modules is missing or older than
#      package-lock.json (scripts/lib/npm.sh);
#   4. `npm run build` (tsc: dist/*.d.ts; scripts/bundle.mjs: dist/index.js,
#      the package JS with the glue and the module embedded).
# Then: (cd wasm/package && npm test).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'build-wasm: %s\n' "$*"; }
source "$repo_root/scripts/lib/npm.sh"

type=${1:-release}
case $type in
  release|debug|tests) ;;
  *) log "usage: $0 [release|debug|tests]" >&2; exit 2 ;;
esac
preset=wasm-$type
build_dir=$repo_root/build/$preset

# Every emcc/em++/emcmake call needs this (shared/NOTES.md: "Cannot find module 'acorn'").
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
for tool in emcc cmake ninja node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "$tool not found: run scripts/setup.sh first" >&2
    exit 1
  fi
done

cd "$repo_root"
# Always through the preset (cheap once configured): a tree configured by an
# older preset (e.g. wasm-tests before it built the package) takes the
# preset's cache variables again.
log "configuring $preset"
cmake --preset "$preset" >/dev/null
log "building $preset"
cmake --build "$build_dir" -j2

pkg=$repo_root/wasm/package
npm_ci "$pkg"
log "npm run build in wasm/package"
(cd "$pkg" && npm run --silent build)

bundle=$pkg/dist/index.js  # the package JS, the Emscripten glue and the module, one file
log "done: a page downloads $(gzip -9c "$bundle" | wc -c) bytes gzipped (dist/index.js, the module embedded)"

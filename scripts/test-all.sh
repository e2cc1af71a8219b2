#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh),
# builds native (release + ASan/UBSan), the fuzzers and the WebAssembly
# package, and runs every test: GoogleTest, the vector freshness check, the
# fuzzers for a bounded time, the Node suite, the TypeScript check and the
# headless-Chromium browser tests. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${MEDSEAL_FUZZ_SECONDS:-60}"
JOBS="${MEDSEAL_JOBS:-2}"
start=$SECONDS
step() { printf '\n=== %s (%ds elapsed)\n' "$*" $((SECONDS - start)); }

step "setup"
bash scripts/setup.sh

step "native release: build + GoogleTest"
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j "$JOBS"
ctest --preset native-release -j "$JOBS"

step "native ASan + UBSan: build + GoogleTest"
cmake --preset native-asan >/dev/null
cmake --build --preset native-asan -j "$JOBS"
ctest --preset native-asan -j "$JOBS"

step "independent implementation of the spec (libsodium-wrappers) vs the shared vectors"
(cd native-tests/interop && npm test)

step "fuzzers (${FUZZ_SECONDS}s for the record parser/opener)"
bash scripts/run-fuzzers.sh "$FUZZ_SECONDS"

step "WebAssembly build + npm package"
bash scripts/build-wasm.sh

step "Node test suite (wasm)"
(cd wasm/package && npm test)

step "browser tests (headless Chromium, strict CSP)"
bash scripts/test-browser.sh

step "all tests passed"

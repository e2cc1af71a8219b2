#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's test command: installs what is missing (scripts/setup.sh),
# runs the linters (scripts/lint.sh: clang-format, clang-tidy, Prettier, SPDX),
# builds native (release + ASan/UBSan), the fuzzers, the GoogleTest suite
# for WebAssembly and the WebAssembly package, and runs every test:
# GoogleTest (natively and as wasm under node, with the SIMD ChaCha20 and
# marshalling tests), the vector freshness check (natively and in wasm), the
# fuzzers for a bounded time, the tests of the scripts (scripts/test/) and
# of the pinned libsodium and PQClean sources (third_party/libsodium/,
# third_party/pqclean/), the Node suite,
# the TypeScript check and the headless-Chromium browser tests, and the
# benchmark harness (its statistics tests and a short smoke run). Exits
# non-zero on the first failure, including a step that passes fewer tests
# than its floor in .ci/test-floors.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${MEDSEAL_FUZZ_SECONDS:-12}"
JOBS="${MEDSEAL_JOBS:-2}"
start=$SECONDS
step() { printf '\n=== %s (%ds elapsed)\n' "$*" $((SECONDS - start)); }

# Counts what every runner reports and prints, at the end, the counts of
# each step and one closing line "tests: N passed, N failed", also when a
# step fails. Every counted step must pass at least one test and at least its
# floor in .ci/test-floors (scripts/lib/test-count.sh), and every step listed
# there must run.
source scripts/lib/test-count.sh
floors=.ci/test-floors
check_floors_file "$floors"
passed=0
failed=0
steps=()
counts=()
logdir=$(mktemp -d)
summary() {
  local rc=$?
  [[ $rc -ne 0 && $failed -eq 0 ]] && failed=1  # a step failed before reporting counts
  printf '\n'
  ((${#counts[@]} == 0)) || printf '  %s\n' "${counts[@]}"
  echo "tests: $passed passed, $failed failed"
  rm -rf "$logdir"
  exit "$rc"
}
trap summary EXIT
# run STEP KIND CMD...: runs a test command, keeps its output, counts its
# results (KIND ctest or node), then holds STEP to its floor.
run() {
  local step=$1 kind=$2 log=$logdir/$1.log p f floor
  shift 2
  set +e
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  read -r p f < <(count_tests "$kind" "$log")
  passed=$((passed + p))
  failed=$((failed + f))
  steps+=("$step")
  floor=$(test_floor "$step" "$floors")
  counts+=("$(printf '%-15s %5d passed, %d failed (floor %s)' "$step" "$p" "$f" "${floor:-none}")")
  ((rc == 0)) || return "$rc"
  check_floor "$step" "$p" "$floors"
}

step "setup"
bash scripts/setup.sh

step "lint: clang-format, clang-tidy (core/), Prettier, SPDX headers (scripts/lint.sh)"
bash scripts/lint.sh

step "native release: build + GoogleTest"
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j "$JOBS"
run native-release ctest ctest --preset native-release -j "$JOBS"

step "native ASan + UBSan: build + GoogleTest"
cmake --preset native-asan >/dev/null
cmake --build --preset native-asan -j "$JOBS"
run native-asan ctest ctest --preset native-asan -j "$JOBS"

step "independent implementation of the spec (libsodium-wrappers) vs the shared vectors"
run interop node npm --prefix native-tests/interop test

step "fuzzers (${FUZZ_SECONDS}s each, two at a time)"
# The native-asan tree built above holds the fuzzers too (CMakePresets.json).
MEDSEAL_FUZZ_PRESET=native-asan bash scripts/run-fuzzers.sh "$FUZZ_SECONDS"

step "WebAssembly: the module + npm package, and the GoogleTest suite, the vector generator, the SIMD ChaCha20 and marshalling tests under node"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # emcc needs it (shared/NOTES.md)
# One wasm tree (preset wasm-tests = wasm-release + the tests): the core is
# compiled for wasm once, and the tests run on the objects the package ships.
bash scripts/build-wasm.sh tests
run wasm-tests ctest ctest --preset wasm-tests -j "$JOBS"

step "the scripts (scripts/test/) and the pinned third-party sources (third_party/{libsodium,pqclean}/fetch.test.mjs)"
run scripts node node --test scripts/test/ third_party/libsodium/ third_party/pqclean/

step "Node test suite (wasm)"
run package node npm --prefix wasm/package test

step "browser tests (headless Chromium, strict CSP)"
run browser node bash scripts/test-browser.sh

step "benchmark harness: its statistics tests and a smoke run (numbers not judged)"
run bench node npm --prefix bench/js test
# Three short repetitions per row natively, in Node and in Chromium: checks
# that the harness still runs, that the libsodium and libsodium-wrappers
# constructions still open what medseal seals and the other way round, and
# that every row is measured (summary.mjs fails on a missing or empty row).
bash scripts/run-bench.sh --quick --skip-build

check_all_floors_used "$floors" "${steps[@]}"
step "all tests passed"

#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh),
# builds native (release + ASan/UBSan), the fuzzers, the GoogleTest suite
# for WebAssembly and the WebAssembly package, and runs every test:
# GoogleTest (natively and as wasm under node, with the SIMD ChaCha20 and
# marshalling tests), the vector freshness check (natively and in wasm), the
# fuzzers for a bounded time, the checks of the pinned libsodium source
# (scripts/test/), the Node suite, the TypeScript check and the
# headless-Chromium browser tests, and the benchmark harness (its
# statistics tests and a short smoke run). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${MEDSEAL_FUZZ_SECONDS:-60}"
JOBS="${MEDSEAL_JOBS:-2}"
start=$SECONDS
step() { printf '\n=== %s (%ds elapsed)\n' "$*" $((SECONDS - start)); }

# Counts what every runner reports and prints one closing line,
# "tests: N passed, N failed", also when a step fails.
passed=0
failed=0
logdir=$(mktemp -d)
summary() {
  local rc=$?
  [[ $rc -ne 0 && $failed -eq 0 ]] && failed=1  # a step failed before reporting counts
  printf '\n'
  echo "tests: $passed passed, $failed failed"
  rm -rf "$logdir"
  exit "$rc"
}
trap summary EXIT
# count KIND LOG: adds the counts a ctest or node --test run printed.
count() {
  local p f s
  case $1 in
    ctest)
      read -r p f < <(sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+)$/\2 \1/p' "$2" | tail -1)
      # ctest's total includes tests skipped at run time (GTEST_SKIP, e.g.
      # the death tests in the wasm build): they are not counted as passed.
      s=$(grep -cE '^[[:space:]]+[0-9]+ - .*\(Skipped\)$' "$2" || true)
      p=$(( ${p:-0} - ${f:-0} - ${s:-0} )) ;;
    node)
      p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$2" | tail -1)
      f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$2" | tail -1) ;;
  esac
  passed=$(( passed + ${p:-0} ))
  failed=$(( failed + ${f:-0} ))
}
# run KIND CMD...: runs a test command, keeps its output, counts its results.
run() {
  local kind=$1 log
  shift
  log=$logdir/$RANDOM.log
  set +e
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  count "$kind" "$log"
  return "$rc"
}

step "setup"
bash scripts/setup.sh

step "native release: build + GoogleTest"
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j "$JOBS"
run ctest ctest --preset native-release -j "$JOBS"

step "native ASan + UBSan: build + GoogleTest"
cmake --preset native-asan >/dev/null
cmake --build --preset native-asan -j "$JOBS"
run ctest ctest --preset native-asan -j "$JOBS"

step "independent implementation of the spec (libsodium-wrappers) vs the shared vectors"
run node npm --prefix native-tests/interop test

step "fuzzers (${FUZZ_SECONDS}s for the record parser/opener)"
bash scripts/run-fuzzers.sh "$FUZZ_SECONDS"

step "WebAssembly: the GoogleTest suite, the vector generator, the SIMD ChaCha20 and marshalling tests under node"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # emcc needs it (shared/NOTES.md)
cmake --preset wasm-tests >/dev/null
cmake --build --preset wasm-tests -j "$JOBS"
run ctest ctest --preset wasm-tests -j "$JOBS"

step "WebAssembly build + npm package"
bash scripts/build-wasm.sh

step "the pinned libsodium source: checksums, patches, idempotence (scripts/fetch-libsodium.sh)"
run node node --test scripts/test/

step "Node test suite (wasm)"
run node npm --prefix wasm/package test

step "browser tests (headless Chromium, strict CSP)"
run node bash scripts/test-browser.sh

step "benchmark harness: its statistics tests and a smoke run (numbers not judged)"
run node npm --prefix bench/js test
# Three short repetitions per row natively, in Node and in Chromium: checks
# that the harness still runs, that the libsodium and libsodium-wrappers
# constructions still open what medseal seals and the other way round, and
# that every row is measured (summary.mjs fails on a missing or empty row).
bash scripts/run-bench.sh --quick --skip-build

step "all tests passed"

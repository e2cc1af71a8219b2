#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the benchmark in every environment, one after the other: native
# (build/native-release), the age CLI comparison (bench/age-cli.sh: whole
# processes, 16 MiB), Node 20 and headless Chromium (bench/js), then a
# side-by-side summary. Results: build/bench/{native,age-cli,node,browser}.json.
# CI runs only the --quick smoke run (scripts/test-all.sh) and judges no
# number: the machine is too noisy. docs/performance.md records a full run;
# bench/js/summary.mjs fails when a row is missing or empty.
#
# Usage: scripts/run-bench.sh [--quick] [--skip-build] [--only ID,ID]
#   --quick       3 repetitions x 50 ms samples, 5 ready loads, no 1 GiB
#                 age rows, the constant-memory check on 64 MiB, 3 age CLI
#                 repetitions (a smoke run)
#   --skip-build  use the existing native build and wasm/package/dist
#   --only IDS    only these rows (e.g. decide-50x5,receipt-sign; ids in
#                 bench/js/suite.mjs and bench/js/age.mjs; age-memory is
#                 the constant-memory check), in every environment
# Environment: MEDSEAL_BENCH_REPS, MEDSEAL_BENCH_SAMPLE_MS,
#   MEDSEAL_BENCH_READY_REPS override the defaults (9, 100, 15).
#
# Needs what scripts/setup.sh installs. Run it on an otherwise idle machine:
# it prints the load average before each environment, and each JSON file
# records it too.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'run-bench: %s\n' "$*"; }
source "$repo_root/scripts/lib/npm.sh"

reps=${MEDSEAL_BENCH_REPS:-9}
sample_ms=${MEDSEAL_BENCH_SAMPLE_MS:-100}
ready_reps=${MEDSEAL_BENCH_READY_REPS:-15}
build=1
quick=()
cli_reps=15
only=()
while (($#)); do
  case $1 in
    --quick) reps=3 sample_ms=50 ready_reps=5 quick=(--quick) cli_reps=3 ;;
    --skip-build) build=0 ;;
    --only)
      [[ $# -ge 2 ]] || { log "--only needs a list of row ids" >&2; exit 2; }
      only=(--only "$2"); shift ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

cd "$repo_root"
out=$repo_root/build/bench
native_dir=$repo_root/build/native-release
mkdir -p "$out"

if ((build)); then
  log "native release build (MEDSEAL_BUILD_BENCH=ON) in build/native-release"
  cmake --preset native-release -DMEDSEAL_BUILD_BENCH=ON >/dev/null
  cmake --build "$native_dir" --target medseal_native_bench
  log "wasm package (scripts/build-wasm.sh)"
  bash scripts/build-wasm.sh
fi
if [[ ! -x $native_dir/bench/medseal_native_bench ]]; then
  log "build/native-release/bench/medseal_native_bench is missing (run without --skip-build)" >&2
  exit 1
fi

d=$repo_root/bench/js
npm_ci "$d"
chromium=${MEDSEAL_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  log "$chromium not found: run scripts/setup.sh (installs Debian's chromium)" >&2
  exit 1
fi

load() { log "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }

load
log "native"
"$native_dir/bench/medseal_native_bench" --reps "$reps" --sample-ms "$sample_ms" "${only[@]}" \
  --source-dir "$repo_root" --json "$out/native.json" "${quick[@]}"

load
log "age CLI (bench/age-cli.sh)"
bash "$repo_root/bench/age-cli.sh" --reps "$cli_reps" --bench "$native_dir/bench/medseal_native_bench" \
  --out "$out/age-cli.json"

load
log "node"
node "$d/node.mjs" --reps "$reps" --sample-ms "$sample_ms" "${quick[@]}" "${only[@]}" --out "$out/node.json"

load
log "chromium"
node "$d/browser.mjs" --reps "$reps" --sample-ms "$sample_ms" --ready-reps "$ready_reps" "${quick[@]}" "${only[@]}" \
  --out "$out/browser.json"

node "$d/summary.mjs" "$out"

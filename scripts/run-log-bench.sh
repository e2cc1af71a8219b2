#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The verifiable log's benchmark (issue #11; docs/performance.md, "The
# verifiable log"): natively bench/log_bench.cc (append + checkpoint per
# second, proof verification), then the same proofs verified through the
# package in Node and headless Chromium (bench/js/log-bench.mjs).
# Results: build/bench/log-{native,node,browser}.json and
# build/bench/log-proofs.json (the workload). Not part of CI.
#
# Usage: scripts/run-log-bench.sh [--skip-build] [--reps N] [--entries N]
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'run-log-bench: %s\n' "$*"; }
source "$repo_root/scripts/lib/npm.sh"

build=1
reps=5
entries=16384
while (($#)); do
  case $1 in
    --skip-build) build=0 ;;
    --reps) reps=$2; shift ;;
    --entries) entries=$2; shift ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
  cmake --build "$native_dir" --target medseal_log_bench
  log "wasm package (scripts/build-wasm.sh)"
  bash scripts/build-wasm.sh
fi
npm_ci "$repo_root/bench/js"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
log "native"
"$native_dir/bench/medseal_log_bench" --reps "$reps" --entries "$entries" \
  --json "$out/log-native.json" --write-proofs "$out/log-proofs.json" --write-history "$out"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
log "node and chromium"
node bench/js/log-bench.mjs --proofs "$out/log-proofs.json" --reps 9 --out-dir "$out"
node -e '
const fs = require("fs");
for (const env of ["native", "node", "browser"]) {
  const r = JSON.parse(fs.readFileSync(`build/bench/log-${env}.json`, "utf8"));
  for (const row of r.rows) console.log(`${env.padEnd(8)} ${row.id.padEnd(20)} ${Math.round(row.median).toLocaleString("en-US").padStart(12)} ${row.unit}`);
}'

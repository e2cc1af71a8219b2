#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The repository's style and static checks; exits non-zero on any finding.
#
#   bash scripts/lint.sh          check (what CI runs)
#   bash scripts/lint.sh --fix    apply what can be applied mechanically:
#                                 SPDX headers, clang-format, Prettier (clang-tidy
#                                 findings need a person: they are only reported)
#
# The checks, each over the files scripts/source-files.mjs lists for it:
#   1. clang-format 14 (.clang-format) over every C and C++ file of core/,
#      wasm/, native-tests/ and bench/ (third-party vector data excluded);
#   2. clang-tidy 14 (.clang-tidy) over every source of core/, with the
#      compile commands of build/native-debug (configured here if needed);
#   3. Prettier (.prettierrc.json, pinned in scripts/package.json) over every
#      TypeScript and JavaScript source;
#   4. the SPDX-License-Identifier header of every C/C++, TS/JS, shell and
#      CMake file (scripts/spdx.mjs).
# Every check runs, then the script exits 1 if any failed. MEDSEAL_JOBS
# (default 2) clang-tidy processes run at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=check
case ${1:-} in
  '') ;;
  --fix) mode=fix ;;
  *) echo "usage: bash scripts/lint.sh [--fix]" >&2; exit 2 ;;
esac
JOBS=${MEDSEAL_JOBS:-2}
# The configurations are written for Debian 12's LLVM 14: another major
# version formats some constructs differently and has other checks.
CLANG_FORMAT=${CLANG_FORMAT:-clang-format-14}
CLANG_TIDY=${CLANG_TIDY:-clang-tidy-14}
PRETTIER=scripts/node_modules/.bin/prettier

log() { printf 'lint: %s\n' "$*"; }
for tool in "$CLANG_FORMAT" "$CLANG_TIDY" node cmake; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool not found: run scripts/setup.sh" >&2; exit 1; }
done
[[ -x $PRETTIER ]] || { log "$PRETTIER not found: run scripts/setup.sh (npm ci in scripts/)" >&2; exit 1; }

files() { node scripts/source-files.mjs "$1"; }
mapfile -t cpp_files < <(files cpp)
mapfile -t tidy_files < <(files tidy)
mapfile -t js_files < <(files js)
((${#cpp_files[@]} > 0 && ${#tidy_files[@]} > 0 && ${#js_files[@]} > 0)) \
  || { log "no files to check: is this a git checkout?" >&2; exit 1; }

if [[ $mode == fix ]]; then
  node scripts/spdx.mjs fix
  "$CLANG_FORMAT" -i --style=file "${cpp_files[@]}"
  log "clang-format applied to ${#cpp_files[@]} files"
  "$PRETTIER" --write --log-level warn "${js_files[@]}"
  log "Prettier applied to ${#js_files[@]} files"
  log "done; clang-tidy findings are not fixed automatically: run bash scripts/lint.sh"
  exit 0
fi

failed=()
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. clang-format
bad=()
for f in "${cpp_files[@]}"; do
  "$CLANG_FORMAT" --dry-run --Werror --style=file "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]} == 0)); then
  log "clang-format: ${#cpp_files[@]} files formatted"
else
  for f in "${bad[@]}"; do
    n=$("$CLANG_FORMAT" --style=file "$f" | diff "$f" - | grep -c '^[<>]' || true)
    log "clang-format: $f: $n lines differ"
  done
  log "clang-format: ${#bad[@]} of ${#cpp_files[@]} files need formatting (bash scripts/lint.sh --fix)"
  failed+=(clang-format)
fi

# 2. clang-tidy (the compile commands are all it needs from the build tree)
cmake --preset native-debug >"$tmp/cmake.log" 2>&1 \
  || { cat "$tmp/cmake.log" >&2; log "cmake --preset native-debug failed" >&2; exit 1; }
# One process per file, MEDSEAL_JOBS at once, each file's report kept apart.
export CLANG_TIDY tmp
printf '%s\n' "${tidy_files[@]}" | xargs -P "$JOBS" -I{} bash -c '
  out=$tmp/tidy.$(printf %s "$1" | tr / _).log
  "$CLANG_TIDY" -p build/native-debug --quiet --header-filter="^$PWD/core/" "$1" >"$out" 2>&1 \
    || echo "$1" >>"$tmp/tidy.failed"' _ {}
if [[ ! -s $tmp/tidy.failed ]]; then
  log "clang-tidy: ${#tidy_files[@]} files of core/, no finding"
else
  # A header's finding is reported once per source that includes it: print
  # each finding once, with its notes, in file order.
  cat "$tmp"/tidy.*.log | grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' \
    | awk '/: (error|warning): /{keep = !seen[$0]++} keep' | sed "s|^$PWD/||"
  n=$(cat "$tmp"/tidy.*.log | grep -E ': (error|warning): ' | sort -u | wc -l)
  log "clang-tidy: $n distinct findings in core/ (silence one only with NOLINT(check): reason)"
  failed+=(clang-tidy)
fi

# 3. Prettier
if "$PRETTIER" --check --log-level warn "${js_files[@]}"; then
  log "Prettier: ${#js_files[@]} files formatted"
else
  log "Prettier: the files above need formatting (bash scripts/lint.sh --fix)"
  failed+=(prettier)
fi

# 4. SPDX headers
node scripts/spdx.mjs check || failed+=(spdx)

if ((${#failed[@]} > 0)); then
  log "FAILED: ${failed[*]}"
  exit 1
fi
log "all checks passed"

# SPDX-License-Identifier: Apache-2.0
# Test counts and floors for scripts/test-all.sh (tested by
# scripts/test/test-count.test.mjs).
#
# count_tests KIND LOG: prints "PASSED FAILED" read from the output LOG of a
# ctest (KIND ctest) or node --test (KIND node) run, from the runner's last
# summary; "0 0" when LOG has none.
#   - ctest: "N% tests passed, F tests failed out of T". T includes tests
#     skipped at run time (GTEST_SKIP, e.g. the death tests in the wasm
#     build), which are listed as "(Skipped)" and do not count as passed.
#     Disabled tests are not in T.
#   - node --test (TAP): "# pass N", "# fail N", "# cancelled N"; a
#     cancelled test counts as failed.
#
# test_floor STEP FLOORS: prints STEP's floor in FLOORS (nothing if none).
#
# check_floor STEP PASSED FLOORS: fails with a message on stderr when PASSED
# is 0, when FLOORS has no floor for STEP, or when PASSED is below it.
#
# check_floors_file FLOORS: fails unless every line of FLOORS (comments and
# blank lines aside) is "STEP FLOOR" with a floor of at least 1, and no step
# is listed twice.
#
# check_all_floors_used FLOORS STEP...: fails when FLOORS lists a step that
# is not among the STEPs (a step removed from test-all.sh, or renamed).

count_tests() {
  local kind=$1 log=$2 p="" f="" s=0 c=""
  case $kind in
    ctest)
      read -r p f < <(sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+)$/\2 \1/p' "$log" | tail -n1) || true
      s=$(grep -cE '^[[:space:]]+[0-9]+ - .*\(Skipped\)$' "$log" || true)
      [[ -n $p ]] && p=$((p - f - s)) ;;
    node)
      p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n1)
      f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n1)
      c=$(sed -nE 's/^# cancelled ([0-9]+)$/\1/p' "$log" | tail -n1)
      f=$(( ${f:-0} + ${c:-0} )) ;;
    *) printf 'count_tests: unknown kind %s\n' "$kind" >&2; return 2 ;;
  esac
  echo "${p:-0} ${f:-0}"
}

check_floors_file() {
  local floors=$1
  [[ -f $floors ]] || { printf 'test floors: %s is missing\n' "$floors" >&2; return 1; }
  awk '
    /^[[:space:]]*(#|$)/ { next }
    NF != 2 || $2 !~ /^[0-9]+$/ || $2 < 1 { printf "test floors: %s:%d: expected \"STEP FLOOR\" with a floor of at least 1: %s\n", FILENAME, FNR, $0; bad = 1 }
    seen[$1]++ { printf "test floors: %s:%d: step %s listed twice\n", FILENAME, FNR, $1; bad = 1 }
    END { exit bad }' "$floors" >&2
}

test_floor() {
  awk -v s="$1" '!/^[[:space:]]*#/ && $1 == s { print $2 }' "$2"
}

check_floor() {
  local step=$1 passed=$2 floors=$3 floor
  if ((passed == 0)); then
    printf 'test floors: step %s: no test passed (none ran, or its runner printed no summary)\n' "$step" >&2
    return 1
  fi
  floor=$(test_floor "$step" "$floors")
  if [[ -z $floor ]]; then
    printf 'test floors: step %s has no floor in %s (%s tests passed): add the line "%s %s"\n' \
      "$step" "$floors" "$passed" "$step" "$passed" >&2
    return 1
  fi
  if ((passed < floor)); then
    printf 'test floors: step %s: %s tests passed, fewer than its floor %s (%s)\n' \
      "$step" "$passed" "$floor" "$floors" >&2
    return 1
  fi
}

check_all_floors_used() {
  local floors=$1 step unused=()
  shift
  while read -r step _; do
    [[ " $* " == *" $step "* ]] || unused+=("$step")
  done < <(awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$floors")
  if ((${#unused[@]} > 0)); then
    printf 'test floors: %s lists steps that did not run: %s\n' "$floors" "${unused[*]}" >&2
    return 1
  fi
}

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the native-fuzz preset (or MEDSEAL_FUZZ_PRESET: CI passes native-asan,
# whose tree already holds the fuzzers) and runs every libFuzzer target for SECONDS
# seconds each (-max_total_time). Exits non-zero if a build fails or a fuzzer
# reports a crash, a sanitizer error, a leak, a timeout or an OOM.
#
#   scripts/run-fuzzers.sh SECONDS [FUZZER...]     (default: every *_fuzzer)
#
# Corpus: a scratch directory per run, seeded from
#   - every *.json and *.bin below native-tests/vectors/ (except external/,
#     which holds third-party KATs, not medseal formats); none is an error;
#   - the RFC 8785 (JCS) test inputs in external/rfc8785-jcs/input/;
#   - the age files of the C2SP CCTV kit in external/age-cctv/testdata/ (the
#     bytes after each file's textual header; compressed cases skipped);
#   - records and cards embedded in those JSON files (objects whose "type" is
#     medseal.record / medseal.card, JSON strings holding such objects, and hex
#     strings that decode to a binary record), extracted with python3 when
#     available;
#   - records sealed by record_fuzzer itself from the fixed vector identities
#     (MEDSEAL_FUZZ_SEED_DIR), so that decryption is reached in any case;
#   - age files written by age_stream_fuzzer to its fixed identities
#     (MEDSEAL_FUZZ_SEED_DIR), and the files of the CCTV age kit;
#   - signed notes in those JSON files, and the notes, vkeys and checkpoint
#     bodies of external/transparency/signed_note_checkpoint.json.
# Set MEDSEAL_FUZZ_CORPUS=DIR to keep the corpus in DIR across runs instead.
# Crash inputs are kept in build/PRESET/fuzz-artifacts/.
# Environment: MEDSEAL_JOBS (build parallelism, default 2), MEDSEAL_FUZZ_JOBS
# (fuzzers run at the same time, default 2).
set -euo pipefail

usage() {
  echo "usage: $0 SECONDS [FUZZER...]" >&2
  exit 2
}
[[ $# -ge 1 && $1 =~ ^[1-9][0-9]*$ ]] || usage
seconds=$1
shift

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"
log() { printf 'run-fuzzers: %s\n' "$*" >&2; }

preset=${MEDSEAL_FUZZ_PRESET:-native-fuzz}
case $preset in
  native-fuzz|native-asan) ;;
  *) log "MEDSEAL_FUZZ_PRESET must be native-fuzz or native-asan"; exit 2 ;;
esac
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --parallel "${MEDSEAL_JOBS:-2}"

bin_dir=build/$preset/native-tests/fuzz
artifacts=$repo_root/build/$preset/fuzz-artifacts
mkdir -p "$artifacts"

if [[ $# -gt 0 ]]; then
  fuzzers=("$@")
else
  mapfile -t fuzzers < <(find "$bin_dir" -maxdepth 1 -type f -name '*_fuzzer' -perm -u+x \
                         -printf '%f\n' | sort)
fi
[[ ${#fuzzers[@]} -gt 0 ]] || { log "no fuzzers found in $bin_dir"; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/medseal-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
corpus_root=${MEDSEAL_FUZZ_CORPUS:-$scratch/corpus}
seeds=$scratch/seeds
mkdir -p "$seeds" "$corpus_root"

# --- seeds -----------------------------------------------------------------
add_seed() {  # copies a file into $seeds under its content hash
  local sum
  sum=$(sha1sum "$1" | cut -c1-40)
  cp "$1" "$seeds/$sum"
}
mapfile -t vector_files < <(find native-tests/vectors -path native-tests/vectors/external -prune \
    -o -type f \( -name '*.json' -o -name '*.bin' \) -size -1024k -print | sort)
[[ ${#vector_files[@]} -gt 0 ]] || { log "no vector files found below native-tests/vectors"; exit 1; }
for f in "${vector_files[@]}"; do add_seed "$f"; done
log "${#vector_files[@]} vector files as seeds"
# FHIR examples for labeler_fuzzer (third-party, small ones only).
mapfile -t fhir_files < <(find native-tests/vectors/external/fhir/hl7-r4-assorted -name '*.json' -size -64k | sort)
for f in "${fhir_files[@]}"; do add_seed "$f"; done
log "${#fhir_files[@]} FHIR examples as seeds"
# The FHIR Consent examples (third-party data, but the inputs consent_fuzzer
# reads): native-tests/vectors/external/fhir/*/Consent-*.json.
mapfile -t consent_files < <(find native-tests/vectors/external/fhir -type f -name 'Consent-*.json' | sort)
for f in "${consent_files[@]}"; do add_seed "$f"; done
log "${#consent_files[@]} FHIR Consent examples as seeds"
# The HL7 and IHE AuditEvent examples (log_audit_fuzzer).
mapfile -t audit_files < <(find native-tests/vectors/external/fhir -type f -name 'AuditEvent-*.json' | sort)
for f in "${audit_files[@]}"; do add_seed "$f"; done
log "${#audit_files[@]} FHIR AuditEvent examples as seeds"
# The RFC 8785 test inputs (third-party, but plain JSON): seeds for jcs_fuzzer.
for f in native-tests/vectors/external/rfc8785-jcs/input/*.json; do add_seed "$f"; done
# The C2SP CCTV age kit (third-party, but the inputs age_header_fuzzer and
# age_armor_fuzzer read): each file is a textual header, an empty line, then
# the age file; the seed is the bytes after the first empty line. The
# zlib-compressed cases ("compressed: zlib") are skipped.
cctv_seeds=0
for f in native-tests/vectors/external/age-cctv/testdata/*; do
  [[ -n $(sed -n '1,/^$/{/^compressed: /p;}' "$f") ]] && continue
  sed '1,/^$/d' "$f" >"$scratch/cctv-seed"
  add_seed "$scratch/cctv-seed"
  cctv_seeds=$((cctv_seeds + 1))
done
[[ $cctv_seeds -gt 0 ]] || { log "no CCTV age files found"; exit 1; }
log "$cctv_seeds CCTV age files as seeds"

if command -v python3 >/dev/null 2>&1; then
  python3 - "$seeds" "${vector_files[@]}" <<'PY'
import hashlib, json, re, sys

out_dir, files = sys.argv[1], sys.argv[2:]
HEX = re.compile(r'^(?:[0-9a-f]{2})+$')
n = 0

def emit(data: bytes) -> None:
    global n
    with open(f"{out_dir}/emb-{hashlib.sha1(data).hexdigest()}", "wb") as f:
        f.write(data)
    n += 1

def walk(v) -> None:
    if isinstance(v, dict):
        if v.get("type") in ("medseal.record", "medseal.card", "medseal.erasure-receipt",
                             "medseal.consent-receipt", "medseal.attachment-signature"):
            emit(json.dumps(v, separators=(",", ":")).encode())
        if isinstance(v.get("resourceType"), str):  # a FHIR resource (labeler_fuzzer)
            emit(json.dumps(v, separators=(",", ":")).encode())
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
    elif isinstance(v, str):
        if len(v) >= 8 and HEX.match(v) and v.startswith(("6d737263", "4d53534e", "4d534c43", "4d534b53")):
            emit(bytes.fromhex(v))  # "msrc" records, "MSSN" safety QRs, "MSLC" log client states, "MSKS" keystores
        elif re.match(r'^[0-9A-Za-z]{8}([- ][0-9A-Za-z]{8}){7}$', v):  # a recovery key
            emit(v.encode())
        elif v.startswith('{"resourceType":"Consent"'):  # fhir/consent_written.json
            emit(v.encode())
        elif "\n\n\u2014 " in v:  # a signed note (log/checkpoint_v1.json)
            emit(v.encode())
        elif v.startswith("otpauth://"):  # otp/otpauth_uris.json (otpauth_fuzzer: selector 0)
            emit(b"\x00" + v.encode())
        elif v.startswith('{"resourceType":"AuditEvent"'):  # log/audit_event_v1.json
            emit(v.encode())
        elif v.startswith("{") and '"medseal.' in v:
            try:
                walk(json.loads(v))
            except ValueError:
                pass

for path in files:
    if not path.endswith(".json"):
        continue
    try:
        with open(path, encoding="utf-8") as f:
            walk(json.load(f))
    except (ValueError, UnicodeDecodeError):
        pass
print(f"run-fuzzers: {n} embedded records/cards/FHIR resources as seeds", file=sys.stderr)
PY
fi

# record_fuzzer writes sealed records and the two fixed cards (no fuzzing:
# -runs=0 only runs LLVMFuzzerInitialize and the empty input).
if [[ -x $bin_dir/record_fuzzer ]]; then
  MEDSEAL_FUZZ_SEED_DIR=$seeds "$bin_dir/record_fuzzer" -runs=0 >/dev/null 2>&1 \
    || { log "record_fuzzer could not write its seeds"; exit 1; }
fi
# age_stream_fuzzer writes age files to its fixed X25519 and passphrase
# identities and bare payloads under its fixed file key.
if [[ -x $bin_dir/age_stream_fuzzer ]]; then
  MEDSEAL_FUZZ_SEED_DIR=$seeds "$bin_dir/age_stream_fuzzer" -runs=0 >/dev/null 2>&1 \
    || { log "age_stream_fuzzer could not write its seeds"; exit 1; }
fi
# pq_fuzzer writes one valid input per post-quantum entry point.
if [[ -x $bin_dir/pq_fuzzer ]]; then
  MEDSEAL_FUZZ_SEED_DIR=$seeds "$bin_dir/pq_fuzzer" -runs=0 >/dev/null 2>&1 \
    || { log "pq_fuzzer could not write its seeds"; exit 1; }
fi
# The CCTV age kit (third-party, but age files): the file after each kit
# file's textual header, inflated when "compressed: zlib", up to 256 KiB.
if command -v python3 >/dev/null 2>&1; then
  python3 - "$seeds" native-tests/vectors/external/age-cctv/testdata <<'PY'
import hashlib, os, sys, zlib

out_dir, kit = sys.argv[1], sys.argv[2]
n = 0
for name in sorted(os.listdir(kit)):
    with open(os.path.join(kit, name), "rb") as f:
        raw = f.read()
    head, sep, body = raw.partition(b"\n\n")
    if not sep:
        continue
    if b"compressed: zlib" in head.split(b"\n"):
        body = zlib.decompress(body)
    if len(body) > 256 * 1024:
        continue
    # Named like add_seed names files: a kit file seeded above is not seeded twice.
    with open(f"{out_dir}/{hashlib.sha1(body).hexdigest()}", "wb") as f:
        f.write(body)
    n += 1
print(f"run-fuzzers: {n} CCTV age files as seeds", file=sys.stderr)
PY
fi
# The signed notes, vkeys and checkpoint bodies of the C2SP / Go transparency
# vectors (third-party, but the inputs log_note_fuzzer reads).
if command -v python3 >/dev/null 2>&1; then
  python3 - "$seeds" native-tests/vectors/external/transparency/signed_note_checkpoint.json <<'PY'
import hashlib, json, sys

out_dir, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
items = [bytes.fromhex(n["note_hex"]) for n in doc["notes"]]
items += [k["vkey"].encode() for k in doc["keys"]] + [b["vkey"].encode() for b in doc["bad_vkeys"]]
items += [c["note"].encode() for c in doc["checkpoints_parse_only"]]
items += [c["body"].encode() for c in doc["checkpoint_body_parse"]["cases"]]
for data in items:
    with open(f"{out_dir}/note-{hashlib.sha1(data).hexdigest()}", "wb") as f:
        f.write(data)
print(f"run-fuzzers: {len(items)} signed notes, vkeys and checkpoint bodies as seeds", file=sys.stderr)
PY
fi
log "$(find "$seeds" -type f | wc -l) seeds in total"

# --- run ---------------------------------------------------------------------
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Runs one fuzzer; its verdict goes to $scratch/$fuzzer.rc, its output to
# $scratch/$fuzzer.log. MEDSEAL_FUZZ_JOBS fuzzers run at a time (default 2:
# each libFuzzer process is single-threaded).
run_one() {
  local fuzzer=$1 exe=$bin_dir/$1 corpus=$corpus_root/$1 rc extra=()
  [[ -x $exe ]] || { log "no such fuzzer: $exe"; echo 127 >"$scratch/$fuzzer.rc"; return; }
  mkdir -p "$corpus"
  # Cards are at most 4096 bytes; a little more exercises the size limit.
  [[ $fuzzer == card_fuzzer ]] && extra+=(-max_len=8192)
  # The largest Consent example is 10.7 KB; 64 KiB leaves room for growth.
  [[ $fuzzer == consent_fuzzer ]] && extra+=(-max_len=65536)
  # age files: room for a header and three 64 KiB chunks.
  [[ $fuzzer == age_stream_fuzzer ]] && extra+=(-max_len=262144)
  log "running $fuzzer for ${seconds}s"
  set +e
  "$exe" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$fuzzer-" "${extra[@]}" "$corpus" "$seeds" \
    >"$scratch/$fuzzer.log" 2>&1
  rc=$?
  set -e
  echo "$rc" >"$scratch/$fuzzer.rc"
}
fuzz_jobs=${MEDSEAL_FUZZ_JOBS:-2}
pids=()
for fuzzer in "${fuzzers[@]}"; do
  run_one "$fuzzer" &
  pids+=($!)
  if ((${#pids[@]} >= fuzz_jobs)); then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
wait
failed=()
for fuzzer in "${fuzzers[@]}"; do
  rc=$(cat "$scratch/$fuzzer.rc" 2>/dev/null || echo 127)
  grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)' \
    "$scratch/$fuzzer.log" >&2 2>/dev/null || true
  if [[ $rc -ne 0 ]]; then
    log "$fuzzer FAILED (exit $rc); log tail:"
    tail -n 60 "$scratch/$fuzzer.log" >&2 2>/dev/null || true
    cp "$scratch/$fuzzer.log" "$artifacts/$fuzzer.log" 2>/dev/null || true
    failed+=("$fuzzer")
  else
    log "$fuzzer: ok ($(find "$corpus_root/$fuzzer" -type f | wc -l) corpus entries)"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  log "failed: ${failed[*]} (artifacts in $artifacts)"
  exit 1
fi
log "all fuzzers ran ${seconds}s without a finding"

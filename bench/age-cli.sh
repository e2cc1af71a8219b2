#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# medseal vs Debian's `age` CLI, natively, as whole processes: encrypt a
# 16 MiB file to an X25519 recipient (age-keygen) and decrypt it again, each
# repetition running `age` and medseal_native_bench's file mode
# (--age-encrypt / --age-decrypt: the file streamed through AgeEncryptor /
# AgeDecryptor in 1 MiB reads, as `age` streams it) one after the other, the
# order reversed every other repetition. Process start, reading and writing
# the files are included for both (the issue's "the CLI encrypts a 16 MiB
# file in about 30 ms" is such a time). Each side decrypts the other's file
# first (interoperability check; the outputs must equal the input).
#
#   bench/age-cli.sh [--reps N] [--size BYTES] [--bench PATH] [--out JSON]
#     defaults: 15 repetitions, 16 MiB, build/native-release/bench/medseal_native_bench,
#     build/bench/age-cli.json
#
# MB/s = 10^6 bytes of plaintext per second; ratio = median over the
# repetitions of medseal's MB/s / age's MB/s in the same repetition.
# scripts/run-bench.sh runs it after the native rows.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=15
size=$((16 * 1024 * 1024))
bench=$repo_root/build/native-release/bench/medseal_native_bench
out=$repo_root/build/bench/age-cli.json
while (($#)); do
  case $1 in
    --reps) reps=$2; shift ;;
    --size) size=$2; shift ;;
    --bench) bench=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "age-cli: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ $reps =~ ^[1-9][0-9]*$ && $size =~ ^[1-9][0-9]*$ ]] || { echo "age-cli: bad --reps or --size" >&2; exit 2; }
age=${MEDSEAL_AGE_CLI:-/usr/bin/age}
keygen=${MEDSEAL_AGE_KEYGEN:-/usr/bin/age-keygen}
for exe in "$age" "$keygen" "$bench"; do
  [[ -x $exe ]] || { echo "age-cli: $exe not found (scripts/setup.sh installs age; run-bench.sh builds the bench)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/medseal-age-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$keygen" -o "$tmp/key.txt" 2>/dev/null
recipient=$("$keygen" -y "$tmp/key.txt")
head -c "$size" /dev/urandom >"$tmp/plain"

# Interoperability first: each decrypts the other's file.
"$age" -e -r "$recipient" -o "$tmp/by-age.age" "$tmp/plain"
"$bench" --age-encrypt "$recipient" "$tmp/plain" "$tmp/by-medseal.age"
"$bench" --age-decrypt "$tmp/key.txt" "$tmp/by-age.age" "$tmp/check1"
"$age" -d -i "$tmp/key.txt" -o "$tmp/check2" "$tmp/by-medseal.age"
cmp -s "$tmp/plain" "$tmp/check1" || { echo "age-cli: medseal did not decrypt age's file" >&2; exit 1; }
cmp -s "$tmp/plain" "$tmp/check2" || { echo "age-cli: age did not decrypt medseal's file" >&2; exit 1; }

# One timed run, in seconds (bash's EPOCHREALTIME: no extra process).
run() {
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" >/dev/null
  t1=$EPOCHREALTIME
  echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }'
}
enc_age() { run "$age" -e -r "$recipient" -o "$tmp/out-age.age" "$tmp/plain"; }
enc_medseal() { run "$bench" --age-encrypt "$recipient" "$tmp/plain" "$tmp/out-medseal.age"; }
dec_age() { run "$age" -d -i "$tmp/key.txt" -o "$tmp/out-age" "$tmp/by-age.age"; }
dec_medseal() { run "$bench" --age-decrypt "$tmp/key.txt" "$tmp/by-age.age" "$tmp/out-medseal"; }

# Warm-up (page cache, binaries), then the interleaved repetitions.
enc_age >/dev/null; enc_medseal >/dev/null; dec_age >/dev/null; dec_medseal >/dev/null
ea=() em=() da=() dm=()
for ((r = 0; r < reps; r++)); do
  if ((r % 2 == 0)); then
    ea+=("$(enc_age)"); em+=("$(enc_medseal)"); da+=("$(dec_age)"); dm+=("$(dec_medseal)")
  else
    em+=("$(enc_medseal)"); ea+=("$(enc_age)"); dm+=("$(dec_medseal)"); da+=("$(dec_age)")
  fi
done

mkdir -p "$(dirname "$out")"
python3 - "$out" "$size" "$reps" "$(cut -d' ' -f1-3 /proc/loadavg)" "$("$age" --version 2>&1 | head -1)" \
  "${ea[*]}" "${em[*]}" "${da[*]}" "${dm[*]}" <<'PY'
import json, statistics, sys

out, size, reps, load, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
ea, em, da, dm = ([float(x) for x in a.split()] for a in sys.argv[6:10])
mbps = lambda ts: [size / 1e6 / t for t in ts]

def row(rid, label, age_t, med_t):
    a, m = mbps(age_t), mbps(med_t)
    return {
        "id": rid, "label": label, "unit": "MB/s",
        "results": {
            "age-cli": {"median": statistics.median(a), "samples": a,
                        "medianMs": statistics.median(age_t) * 1e3},
            "medseal-cli": {"median": statistics.median(m), "samples": m,
                            "medianMs": statistics.median(med_t) * 1e3},
        },
        "baseline": "age-cli",
        "ratio": statistics.median([x / y for x, y in zip(m, a)]),
        "ratioOfMedians": statistics.median(m) / statistics.median(a),
    }

mib = size / (1 << 20)
rows = [row("age-enc-16m" if size == 16 << 20 else f"age-enc-{size}",
            f"age encrypt {mib:g} MiB file (X25519), whole process", ea, em),
        row("age-dec-16m" if size == 16 << 20 else f"age-dec-{size}",
            f"age decrypt {mib:g} MiB file (X25519), whole process", da, dm)]
doc = {"environment": "native-cli", "ageVersion": version, "loadavgBefore": load,
       "method": {"reps": reps, "interleaved": True, "order": "reversed every other repetition",
                  "processStartIncluded": True, "statistic": "median",
                  "ratio": "median of per-repetition ratios (medseal-cli / age-cli)"},
       "rows": rows}
with open(out, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
for r in rows:
    a, m = r["results"]["age-cli"], r["results"]["medseal-cli"]
    print(f'{r["label"]}: age {a["median"]:.0f} MB/s ({a["medianMs"]:.1f} ms), '
          f'medseal {m["median"]:.0f} MB/s ({m["medianMs"]:.1f} ms), ratio {r["ratio"]:.2f}x')
print(f"wrote {out}")
PY

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Usage: third_party/pqclean/fetch.sh DEST
#
# Puts the pinned PQClean C sources of ML-KEM-768 and ML-DSA-44 ("clean"
# implementations, public domain / CC0) and PQClean's common/fips202 into
# DEST, for core's post-quantum primitives (MedsealPqclean.cmake beside this
# script; README.md). The sources come from the npm package pqclean@0.8.1,
# which ships PQClean commit 2cc64716044832eea747234ddbffc06746ab815d
# byte for byte. Nothing of it is committed to this repository.
#   - The tarball comes from ${MEDSEAL_CACHE:-$HOME/.cache/medseal}/pqclean/
#     if it is there, otherwise from `npm pack pqclean@0.8.1` (the npm
#     registry); a download is copied into that cache.
#   - The tarball's SHA-256 must match the pin below, and then every file
#     taken from it must match its own pinned SHA-256 (FILES below): one
#     changed byte stops the script before DEST is touched.
#   - Only the files listed are extracted, into DEST/<path inside
#     package/deps/PQClean/>.
#   - Idempotent: DEST/.medseal-pqclean.stamp records what was extracted; a
#     matching stamp (and matching files) means nothing to do.
set -euo pipefail

PQCLEAN_NPM_VERSION=0.8.1
PQCLEAN_COMMIT=2cc64716044832eea747234ddbffc06746ab815d
SHA256_TARBALL=0ba5483b34b8d8dce03d569c8a8962049ff94723c26184fa84a0bc6b2b0f4a36
TARBALL=pqclean-${PQCLEAN_NPM_VERSION}.tgz

# SHA-256 and path (inside package/deps/PQClean/) of every file used.
FILES='1d19ed89d16fdb47254df9ebf24ab21de24af08079b8f205262c2d40ad634d18  crypto_kem/ml-kem-768/clean/api.h
c00b39d8a7a1523630976fb17bf6f23a2fe949465396976d45f49cba5ad3e9fa  crypto_kem/ml-kem-768/clean/cbd.c
7310996b7838250b187627cb9da5cf2d1d0fe2abb966644e769237d93353f07d  crypto_kem/ml-kem-768/clean/cbd.h
094209bf4ce8b2d857846c8378708156e1d37c1ed4ad90678ac95f4a5950614b  crypto_kem/ml-kem-768/clean/indcpa.c
785e637c9a56d0b6a031a65548b8c3eea0b55777d1424e0c2da373b057758eb2  crypto_kem/ml-kem-768/clean/indcpa.h
f5f3f5c8c7646479923b7a978fa963d894e020917fbe9135812691b15f21f010  crypto_kem/ml-kem-768/clean/kem.c
529e8d3ce89517489827fc3eef3339bab85176a13e6c5904e0f6ac2a2ef57aad  crypto_kem/ml-kem-768/clean/kem.h
c8ef4f66d14f3e3bb40643d1f066d187d55a30008211ffcfbcfda022118c7b97  crypto_kem/ml-kem-768/clean/ntt.c
d88d9713017aef62c08b248d14895420f386fdb064fc5112587c2d24575dc2ad  crypto_kem/ml-kem-768/clean/ntt.h
67af238b14774e430d933b1a2873834d98d5555f2b578e2765f25f94416adf8e  crypto_kem/ml-kem-768/clean/params.h
94937bc6f82c7b57ee17d0c721780812d264be73fa0b2b83a79e2a9b690ddf05  crypto_kem/ml-kem-768/clean/poly.c
8367e5a190368435f6e234f4b6e4ace41bfd4b8c82377680b806077885b74c5d  crypto_kem/ml-kem-768/clean/poly.h
de5e2509f02d6e267fd0d834494c742e1964ae8defad853486bfe78ffec7acb2  crypto_kem/ml-kem-768/clean/polyvec.c
85d706d8114d9697f5428f0da187a57ec67c7e626f50a4de48c693f653b2cf34  crypto_kem/ml-kem-768/clean/polyvec.h
df8cc0ea0a9b357fc5649caba850baecaa260b166e89abf598e3ef52a79f06e9  crypto_kem/ml-kem-768/clean/reduce.c
2e942c482bedfb126b3f38ba1f7e4f5c339c24773afd21ec8b5e2b8bacd2fe8a  crypto_kem/ml-kem-768/clean/reduce.h
aea6e14d0e83429569cecc8cdddb4122ab5d3bf3dae83964c9daf5264fb62ac0  crypto_kem/ml-kem-768/clean/symmetric-shake.c
a8c0a0d440fd9baf43a1be8d4ef64c275433f150e9ab76a037835e495f7fbe7e  crypto_kem/ml-kem-768/clean/symmetric.h
8b32c676ba3e7687cbfdf6e785f3be1a53323c5b3dbce6787a671917628cdf37  crypto_kem/ml-kem-768/clean/verify.c
64e0ae3578f60a1da91179d8a413723c19730486ac13bfc58fddb402d8a82ec2  crypto_kem/ml-kem-768/clean/verify.h
5d7798eec4d8c8ef0a72dfe805ec54dfd7b212d3928bf9695fda4095d22829ab  crypto_kem/ml-kem-768/clean/LICENSE
5491174ed92dd63f7320e77c1f472401e3df758cb65fda30110bdd7960a04a9d  crypto_sign/ml-dsa-44/clean/api.h
c9fd2b30ef1175f2c66b14c4385a68b22bf500e8349c16d0b5fe1fecf31e5470  crypto_sign/ml-dsa-44/clean/ntt.c
72e60747ac88f6e3dc9ea7b7b67aed3fa120633bb1e2acfc9a9db948069cecf1  crypto_sign/ml-dsa-44/clean/ntt.h
480c3ec3053c7d361bc249f8335d231bab981d3240a897796e5f54468226f6c2  crypto_sign/ml-dsa-44/clean/packing.c
55eded057c9d78299e169ff5329915dc3beba291634186ca69f445c71167b5ea  crypto_sign/ml-dsa-44/clean/packing.h
0210251cea61d26e49b2dad16c4ed86d65474fbffa54c61af7a22c677ddd3cd2  crypto_sign/ml-dsa-44/clean/params.h
9ae04a2bf234ee6fd380826f4cc9f5fe0c55b6a04e0d8818a52da1b68c10e6d2  crypto_sign/ml-dsa-44/clean/poly.c
e6cbe386564946336452ef0694583bc9d8081ed2d81310622644bb9e36560f14  crypto_sign/ml-dsa-44/clean/poly.h
461a4b048c84c27e73daa7b9aaec94942cdcead3ea55dca5cac63bcf4f443d96  crypto_sign/ml-dsa-44/clean/polyvec.c
7fc533b6536819f5d52b31c7a4fa29d15d1f0804138b4ea82ff42bd6a8aaffdf  crypto_sign/ml-dsa-44/clean/polyvec.h
8f57fd817a50d4e9d0e6f719da352ad503ac0bacf76ea492a7f3885520857af9  crypto_sign/ml-dsa-44/clean/reduce.c
c56a083ce9ea4da55a17e9c2f2da74e7277cdede5b2f8e758e441ff9e0813863  crypto_sign/ml-dsa-44/clean/reduce.h
5bd4e7b313a898252bbb9ff6c413bbce0ddc01625bfd4604568599807fbf116e  crypto_sign/ml-dsa-44/clean/rounding.c
2e258d4407da8cc1fa4ffafdeb2ef1796ffbbdec74d8524e5fa7827d95e533aa  crypto_sign/ml-dsa-44/clean/rounding.h
474d7a8c33b45a5e19d9f8a76f501c7ecaa6ca667171a0f40942c71456cbbec2  crypto_sign/ml-dsa-44/clean/sign.c
b1157ba9d0fc7bd89029e77311373c294e52587a32c497c1bdd3c58d9c7fe964  crypto_sign/ml-dsa-44/clean/sign.h
0514f60101dba35c1d4c80154c57cf174af0f9e9a4f60cb817c4776355fb8643  crypto_sign/ml-dsa-44/clean/symmetric-shake.c
a1b2b731875c0cf33b251e063917db54c4e251a4b84cc55be780d89cdf642139  crypto_sign/ml-dsa-44/clean/symmetric.h
5d7798eec4d8c8ef0a72dfe805ec54dfd7b212d3928bf9695fda4095d22829ab  crypto_sign/ml-dsa-44/clean/LICENSE
4871baddebf2d4771d86b5088719123e2e43addce1a3c0eca75b4d18970ffc1f  common/fips202.c
bf99a54bc1988380418054a18bd5a14d059770e70c1aac23b6d9c914539168e0  common/fips202.h
7ae401d4d5eeb41bfa738d1281d57da3f78f915ca94388d89f4f33cbe6a3fe1e  common/randombytes.h
af180f65d6c77f4ee2745d12e2e9bf4d3917228e8a9bbd28dc351734f72840ff  common/compat.h
7440b5f13ed422dd9c02a5b6abb44989a672d23d84419e0a96de33497fa28be9  README.md'

log() { printf 'fetch-pqclean: %s\n' "$*" >&2; }
die() { printf 'fetch-pqclean: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 1 && -n $1 ]] || die "usage: $0 DEST"
dest=$1
cache=${MEDSEAL_CACHE:-${HOME:-/root}/.cache/medseal}/pqclean
stamp_name=.medseal-pqclean.stamp
stamp_text="pqclean npm ${PQCLEAN_NPM_VERSION} tarball=${SHA256_TARBALL} commit=${PQCLEAN_COMMIT} files=$(printf '%s\n' "$FILES" | sha256sum | cut -c1-64)"

for tool in sha256sum tar; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

# Checks every listed file under $1 against its pin.
check_files() {
  (cd "$1" && printf '%s\n' "$FILES" | sha256sum --check --quiet --strict -) >/dev/null 2>&1
}

# --- Nothing to do? ------------------------------------------------------------
if [[ -f $dest/$stamp_name ]] && [[ $(<"$dest/$stamp_name") == "$stamp_text" ]]; then
  check_files "$dest" || die "$dest was modified after extraction; remove it and run again"
  log "pqclean ${PQCLEAN_NPM_VERSION} already in $dest"
  exit 0
fi
if [[ -e $dest ]]; then
  if [[ -f $dest/$stamp_name ]]; then
    log "$dest holds another pqclean extraction; replacing it"
  elif [[ -d $dest && -z $(ls -A "$dest") ]]; then
    :
  else
    die "$dest exists and was not made by this script; remove it first"
  fi
fi

# --- The tarball ---------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -f $cache/$TARBALL ]]; then
  cp "$cache/$TARBALL" "$work/$TARBALL"
  log "tarball from $cache"
else
  command -v npm >/dev/null 2>&1 || die "npm not found: run scripts/setup.sh"
  log "npm pack pqclean@${PQCLEAN_NPM_VERSION}"
  (cd "$work" && npm pack "pqclean@${PQCLEAN_NPM_VERSION}" --silent >/dev/null) \
    || die "npm pack pqclean@${PQCLEAN_NPM_VERSION} failed (is the npm registry reachable?)"
  [[ -f $work/$TARBALL ]] || die "npm pack did not write $TARBALL"
fi
got=$(sha256sum "$work/$TARBALL" | cut -c1-64)
[[ $got == "$SHA256_TARBALL" ]] \
  || die "$TARBALL has SHA-256 $got, pinned $SHA256_TARBALL: refusing to use it"
if [[ ! -f $cache/$TARBALL ]]; then
  { mkdir -p "$cache" && cp "$work/$TARBALL" "$cache/$TARBALL.tmp" \
      && mv "$cache/$TARBALL.tmp" "$cache/$TARBALL"; } \
    || log "warning: could not cache the tarball in $cache"
fi

# --- Extract the listed files and check each -------------------------------------
mkdir -p "$work/x"
members=()
while read -r _ path; do
  [[ -n $path ]] && members+=("package/deps/PQClean/$path")
done <<<"$FILES"
tar -xzf "$work/$TARBALL" -C "$work/x" "${members[@]}" || die "$TARBALL lacks a listed file"
check_files "$work/x/package/deps/PQClean" || die "a file of $TARBALL does not match its pinned SHA-256"

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$work/x/package/deps/PQClean" "$dest"
printf '%s\n' "$stamp_text" >"$dest/$stamp_name"
log "pqclean ${PQCLEAN_NPM_VERSION} (PQClean ${PQCLEAN_COMMIT:0:8}) extracted into $dest"

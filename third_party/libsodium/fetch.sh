#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Usage: third_party/libsodium/fetch.sh DEST
#
# Puts Debian's libsodium source (pinned version, Debian patches applied,
# including the CVE-2025-69277 fix) into DEST, for the WebAssembly build
# (MedsealSodiumWasm.cmake beside this script; README.md).
#   - Source files come from ${MEDSEAL_CACHE:-$HOME/.cache/medseal}/libsodium-src/
#     if all three are there, otherwise from `apt-get source --download-only`
#     (needs dpkg-dev and the deb-src entries that scripts/setup.sh adds);
#     downloaded files are copied into that cache.
#   - Each file's SHA-256 must match the values pinned below.
#   - `dpkg-source -x` extracts and applies debian/patches; the script then
#     checks that every patch of the series is applied.
#   - Idempotent: DEST/.medseal-libsodium.stamp records what was extracted;
#     a matching stamp means nothing to do.
set -euo pipefail

# Pinned: what Debian bookworm-security serves (`apt-cache showsrc libsodium`).
# To move the pin: update these five lines, then check the patch list below.
SODIUM_DEB_VERSION=1.0.18-1+deb12u1
SODIUM_UPSTREAM_VERSION=1.0.18
SHA256_DSC=2c23c57b5a9385dab5a1916014c9b5f2cdd7dadeb8a35b28c1bfb603ce7095c4
SHA256_ORIG=d59323c6b712a1519a5daf710b68f5e7fde57040845ffec53850911f10a5d4f4
SHA256_DEBIAN=f410474e46346b06b162defa05b1be26906aeed6cf309e3d4ebe30b4d1350733
# Patches that must be in debian/patches/series and applied.
REQUIRED_PATCHES=(CVE-2025-69277.patch)

DSC=libsodium_${SODIUM_DEB_VERSION}.dsc
ORIG=libsodium_${SODIUM_UPSTREAM_VERSION}.orig.tar.gz
DEBIAN_TAR=libsodium_${SODIUM_DEB_VERSION}.debian.tar.xz

log() { printf 'fetch-libsodium: %s\n' "$*" >&2; }
die() { printf 'fetch-libsodium: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 1 && -n $1 ]] || die "usage: $0 DEST"
dest=$1
cache=${MEDSEAL_CACHE:-${HOME:-/root}/.cache/medseal}/libsodium-src
stamp_name=.medseal-libsodium.stamp
stamp_text="libsodium ${SODIUM_DEB_VERSION} orig=${SHA256_ORIG} debian=${SHA256_DEBIAN} dsc=${SHA256_DSC}"

# Reverse dry-run of each patch in the series: succeeds only if applied.
check_patches() {
  local tree=$1 series=$1/debian/patches/series p
  [[ -f $series ]] || die "$tree: debian/patches/series missing"
  local -a listed=()
  while read -r p _; do
    [[ -z $p || $p == \#* ]] && continue
    listed+=("$p")
  done <"$series"
  for p in "${REQUIRED_PATCHES[@]}"; do
    [[ " ${listed[*]} " == *" $p "* ]] || die "$tree: required patch $p is not in debian/patches/series"
  done
  for p in "${listed[@]}"; do
    grep -qxF "$p" "$tree/.pc/applied-patches" 2>/dev/null \
      || die "$tree: patch $p of debian/patches/series is not applied (.pc/applied-patches)"
    (cd "$tree" && patch -R -p1 --dry-run --force --silent <"debian/patches/$p" >/dev/null 2>&1) \
      || die "$tree: patch $p of debian/patches/series is not applied to the sources"
  done
  log "patches applied: ${listed[*]}"
}

# --- Nothing to do? --------------------------------------------------------
if [[ -f $dest/$stamp_name ]] && [[ $(<"$dest/$stamp_name") == "$stamp_text" ]]; then
  (check_patches "$dest") || die "$dest was modified after extraction; remove it and run again"
  log "libsodium $SODIUM_DEB_VERSION already in $dest"
  exit 0
fi
if [[ -e $dest ]]; then
  if [[ -f $dest/$stamp_name ]]; then
    log "$dest holds another libsodium extraction; replacing it"
  elif [[ -d $dest && -z $(ls -A "$dest") ]]; then
    :
  else
    die "$dest exists and was not made by this script; remove it first"
  fi
fi

for tool in dpkg-source sha256sum patch; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run scripts/setup.sh (needs dpkg-dev)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/medseal-libsodium.XXXXXX")
staging=""
trap 'rm -rf "$work" ${staging:+"$staging"}' EXIT
chmod 0755 "$work"  # lets apt's _apt user write there when run as root

verify() {  # verify DIR [HINT]: checks the pinned SHA-256 of the three files
  local dir=$1 hint=${2:-} f want got ok=1
  for f in "$DSC:$SHA256_DSC" "$ORIG:$SHA256_ORIG" "$DEBIAN_TAR:$SHA256_DEBIAN"; do
    want=${f#*:} f=${f%%:*}
    [[ -f $dir/$f ]] || die "$dir/$f missing"
    got=$(sha256sum "$dir/$f" | cut -d' ' -f1)
    if [[ $got != "$want" ]]; then
      printf 'fetch-libsodium: ERROR: SHA-256 mismatch for %s\n  expected %s\n  got      %s\n' \
        "$dir/$f" "$want" "$got" >&2
      ok=0
    fi
  done
  ((ok)) || die "checksum verification failed (pinned libsodium $SODIUM_DEB_VERSION); not extracting${hint:+; $hint}"
}

# --- Get the three files ---------------------------------------------------
if [[ -f $cache/$DSC && -f $cache/$ORIG && -f $cache/$DEBIAN_TAR ]]; then
  log "using cached source package in $cache"
  verify "$cache" "remove $cache to download it again"
  cp "$cache/$DSC" "$cache/$ORIG" "$cache/$DEBIAN_TAR" "$work/"
else
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found"
  log "apt-get source --download-only libsodium=$SODIUM_DEB_VERSION"
  if ! (cd "$work" && apt-get source --download-only -qq "libsodium=$SODIUM_DEB_VERSION" >&2); then
    die "apt-get source failed. Is there a deb-src entry for bookworm(-security) and a fresh
  'apt-get update'? (run scripts/setup.sh). If Debian no longer serves $SODIUM_DEB_VERSION,
  update the pin in $0 (see 'apt-cache showsrc libsodium')."
  fi
  verify "$work"
  if mkdir -p "$cache" 2>/dev/null && cp "$work/$DSC" "$work/$ORIG" "$work/$DEBIAN_TAR" "$cache/" 2>/dev/null; then
    log "cached the source package in $cache"
  else
    log "warning: could not write the cache $cache"
  fi
fi

# --- Extract (applies debian/patches) --------------------------------------
log "dpkg-source -x $DSC"
(cd "$work" && dpkg-source --no-copy -x "$DSC" src >&2) || die "dpkg-source -x failed"
check_patches "$work/src"
grep -q 'fe25519_sub(t, pl.Y, pl.Z);' "$work/src/src/libsodium/crypto_core/ed25519/ref10/ed25519_ref10.c" \
  || die "CVE-2025-69277 fix not found in ed25519_ref10.c"
printf '%s\n' "$stamp_text" >"$work/src/$stamp_name"

# Move into place (same file system as DEST, so the final rename is atomic).
mkdir -p "$(dirname "$dest")"
staging=$(mktemp -d "$(dirname "$dest")/.libsodium-staging.XXXXXX")
mv "$work/src" "$staging/src"
if [[ -e $dest ]]; then rm -rf "$dest"; fi
mv "$staging/src" "$dest"
rmdir "$staging"
staging=""
log "libsodium $SODIUM_DEB_VERSION extracted into $dest"

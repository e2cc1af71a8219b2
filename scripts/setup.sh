#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Idempotent set-up of a fresh Debian 12 (bookworm) machine for medseal; a
# second run changes nothing and does no apt-get update.
#   - makes `apt-get source libsodium` work (third_party/libsodium/fetch.sh):
#     if apt does not know the source package, adds deb-src entries derived
#     from the machine's own Debian sources, or Debian's default mirrors for
#     bookworm, bookworm-updates and bookworm-security (scripts/lib/apt-sources.sh),
#     then runs apt-get update;
#   - installs the Debian packages the build and the tests need, if one is
#     missing;
#   - runs `npm ci` in wasm/package, web-demo, bench/js and
#     native-tests/interop when node_modules is missing or older than the
#     lock file (scripts/lib/npm.sh).
# Run as root (sudo is used if available when not root).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'setup: %s\n' "$*"; }
source "$repo_root/scripts/lib/apt-sources.sh"
source "$repo_root/scripts/lib/npm.sh"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    log "not root and no sudo: cannot install system packages" >&2
    exit 1
  fi
fi
as_root() { "${SUDO[@]}" "$@"; }

# ---------------------------------------------------------------------------
# 1. deb-src entries
# ---------------------------------------------------------------------------
# Nothing to do when apt already knows the source package. Otherwise, unless
# apt has some deb-src entry for bookworm (then only its indexes are
# missing), write one (scripts/lib/apt-sources.sh); apt-get update below.
debsrc_file=/etc/apt/sources.list.d/medseal-deb-src.sources
knows_libsodium_source() { [[ -n $(apt-cache showsrc --only-source libsodium 2>/dev/null) ]]; }
need_update=0
if knows_libsodium_source; then
  log "deb-src: apt knows the libsodium source package"
else
  need_update=1
  if ! apt-get indextargets --no-release-info --format '$(TARGET_OF) $(RELEASE)' \
       | grep '^deb-src bookworm' >/dev/null; then
    tmp=$(mktemp)
    debsrc_sources >"$tmp"
    as_root install -m 0644 "$tmp" "$debsrc_file"
    rm -f "$tmp"
    log "deb-src: created $debsrc_file"
  fi
fi

# ---------------------------------------------------------------------------
# 2. Debian packages
# ---------------------------------------------------------------------------
packages=(cmake ninja-build pkg-config g++ clang lld libclang-rt-14-dev
          clang-format clang-tidy emscripten libsodium-dev nlohmann-json3-dev googletest libgtest-dev
          chromium age dpkg-dev gzip zlib1g-dev
          # npm better-sqlite3 (web-demo's relay log) builds its native addon
          # with node-gyp when no prebuilt binary can be downloaded: python3,
          # make and g++, against the headers of the node that runs it.
          python3 make)
# Node 20 may come from elsewhere (nodesource): keep it; Debian's nodejs and
# npm only when there is no node at all.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm libnode-dev)
elif ! command -v npm >/dev/null 2>&1; then
  log "warning: node is installed but npm is not; install npm alongside your node" >&2
fi

to_install=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ $status == ii* ]] || to_install+=("$p")
done

((${#to_install[@]} > 0)) && need_update=1

if ((need_update)); then
  log "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  if ! knows_libsodium_source; then
    log "apt still does not know the libsodium source package: check the deb-src entries (apt-cache policy)" >&2
    exit 1
  fi
fi
if ((${#to_install[@]} > 0)); then
  log "installing: ${to_install[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${to_install[@]}"
else
  log "Debian packages: all ${#packages[@]} present"
fi

# ---------------------------------------------------------------------------
# 3. npm dependencies
# ---------------------------------------------------------------------------
for dir in wasm/package web-demo bench/js native-tests/interop scripts; do
  npm_ci "$repo_root/$dir"
done

log "done"

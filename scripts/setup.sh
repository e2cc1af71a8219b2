#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 (bookworm) machine for medseal.
#   - adds deb-src entries for bookworm, bookworm-updates, bookworm-security
#     (needed by scripts/fetch-libsodium.sh, which runs `apt-get source`);
#   - installs the Debian packages the build and the tests need, but only if
#     one is missing (a second run does no apt-get update);
#   - runs `npm ci` in wasm/package, web-demo, bench/js and
#     native-tests/interop when node_modules is missing or older than the
#     lock file (scripts/lib/npm.sh).
# Run as root (sudo is used if available when not root).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'setup: %s\n' "$*"; }
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
debsrc_file=/etc/apt/sources.list.d/medseal-deb-src.sources
wanted_suites=(bookworm bookworm-updates bookworm-security)
created_debsrc=0

# Prints one line "TYPE URI SUITE COMPONENTS SIGNED_BY" per enabled entry of
# every one-line (.list, sources.list) and deb822 (.sources) source.
list_apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk '
      /^[[:space:]]*(#|$)/ { next }
      $1 == "deb" || $1 == "deb-src" {
        type = $1; i = 2; sb = "-"
        if ($2 ~ /^\[/) {                       # [ options ]
          while (i <= NF) {
            if ($i ~ /^\[?signed-by=/) { sb = $i; sub(/^\[?signed-by=/, "", sb); sub(/\]$/, "", sb) }
            if ($i ~ /\]$/) { i++; break }
            i++
          }
        }
        uri = $i; suite = $(i + 1); comps = ""
        for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : ",") $j
        print type, uri, suite, comps, sb
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk '
      function flush(   t, u, s, nt, nu, ns, a, b, c) {
        if (types != "" && tolower(enabled) != "no") {
          nt = split(types, t, " "); nu = split(uris, u, " "); ns = split(suites, s, " ")
          cs = comps; gsub(/ +/, ",", cs); sub(/^,/, "", cs); sub(/,$/, "", cs)
          for (a = 1; a <= nt; a++) for (b = 1; b <= nu; b++) for (c = 1; c <= ns; c++)
            print t[a], u[b], s[c], (cs == "" ? "-" : cs), (signedby == "" ? "-" : signedby)
        }
        types = uris = suites = comps = signedby = enabled = ""; last = ""
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      /^[[:space:]]/ { if (last == "uris") uris = uris " " $0; else if (last == "suites") suites = suites " " $0; else if (last == "components") comps = comps " " $0; next }
      {
        key = tolower($0); sub(/:.*/, "", key); val = $0; sub(/^[^:]*:[[:space:]]*/, "", val)
        last = key
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "components") comps = val
        else if (key == "signed-by") signedby = val
        else if (key == "enabled") enabled = val
      }
      END { flush() }' "$f"
  done
}

has_component_main() { [[ ,$1, == *,main,* ]]; }

if [[ -f $debsrc_file ]]; then
  log "deb-src entries: $debsrc_file already present"
else
  sources=$(list_apt_sources)
  missing=()
  for s in "${wanted_suites[@]}"; do
    found=0
    while read -r type uri suite comps sb; do
      [[ $type == deb-src && $suite == "$s" ]] && has_component_main "$comps" && found=1
    done <<<"$sources"
    ((found)) || missing+=("$s")
  done
  if ((${#missing[@]} == 0)); then
    log "deb-src entries for ${wanted_suites[*]} already configured elsewhere"
  else
    # Mirror the URI (and Signed-By) of the matching binary entry; fall back
    # to Debian's default mirrors if this machine has none for a suite.
    declare -A uri_suites=() uri_signedby=()
    uri_order=()
    for s in "${missing[@]}"; do
      uri="" sb_found="-"
      while read -r type uri_c suite comps sb; do
        if [[ $type == deb && $suite == "$s" ]] && has_component_main "$comps"; then
          uri=$uri_c sb_found=$sb
          break
        fi
      done <<<"$sources"
      if [[ -z $uri ]]; then
        if [[ $s == *-security ]]; then uri=http://deb.debian.org/debian-security
        else uri=http://deb.debian.org/debian; fi
        sb_found=/usr/share/keyrings/debian-archive-keyring.gpg
      fi
      if [[ -z ${uri_suites[$uri]+x} ]]; then
        uri_order+=("$uri")
        uri_suites[$uri]=$s
        uri_signedby[$uri]=$sb_found
      else
        uri_suites[$uri]+=" $s"
      fi
    done
    tmp=$(mktemp)
    {
      echo "# Added by medseal scripts/setup.sh: source packages (apt-get source libsodium)."
      first=1
      for uri in "${uri_order[@]}"; do
        ((first)) || echo
        first=0
        echo "Types: deb-src"
        echo "URIs: $uri"
        echo "Suites: ${uri_suites[$uri]}"
        echo "Components: main"
        [[ ${uri_signedby[$uri]} != - ]] && echo "Signed-By: ${uri_signedby[$uri]}"
      done
    } >"$tmp"
    as_root install -m 0644 "$tmp" "$debsrc_file"
    rm -f "$tmp"
    created_debsrc=1
    log "deb-src entries: created $debsrc_file (${missing[*]})"
  fi
fi

# ---------------------------------------------------------------------------
# 2. Debian packages
# ---------------------------------------------------------------------------
packages=(cmake ninja-build pkg-config g++ clang lld libclang-rt-14-dev
          emscripten libsodium-dev nlohmann-json3-dev googletest libgtest-dev
          chromium age dpkg-dev gzip)
# Node 20 may come from elsewhere (nodesource): keep it; Debian's nodejs and
# npm only when there is no node at all.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
  log "warning: node is installed but npm is not; install npm alongside your node" >&2
fi

to_install=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ $status == ii* ]] || to_install+=("$p")
done

# `apt-get source` needs the Sources indexes: fetch them if the deb-src file
# is new or the indexes are missing (cheap check, no network).
need_update=0
((${#to_install[@]} > 0)) && need_update=1
((created_debsrc)) && need_update=1
if ((!need_update)) && [[ -z $(apt-cache showsrc --only-source libsodium 2>/dev/null | head -n1) ]]; then
  need_update=1
fi

export DEBIAN_FRONTEND=noninteractive
if ((need_update)); then
  log "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
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
for dir in wasm/package web-demo bench/js native-tests/interop; do
  npm_ci "$repo_root/$dir"
done

log "done"

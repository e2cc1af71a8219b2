# SPDX-License-Identifier: Apache-2.0
# debsrc_sources [FILE]: prints a deb822 sources file (for
# /etc/apt/sources.list.d/) with the deb-src entries that `apt-get source
# libsodium` needs (third_party/libsodium/fetch.sh).
#   - From FILE, by default Debian 12's /etc/apt/sources.list.d/debian.sources:
#     every enabled stanza of Types "deb" is copied with "Types: deb-src", so
#     the source indexes come from the machine's own mirrors, suites,
#     components and Signed-By. Stanzas that already include deb-src are
#     left out (apt has them).
#   - If FILE is missing or yields nothing: Debian's default mirrors for
#     bookworm, bookworm-updates and bookworm-security, component main.
# Sourced by scripts/setup.sh; tested by scripts/test/apt-sources.test.mjs.

debsrc_sources() {
  local from=${1:-/etc/apt/sources.list.d/debian.sources} stanzas=""
  if [[ -r $from ]]; then
    # Paragraph mode: one record per stanza, one field per line. Field names
    # are case-insensitive in deb822.
    stanzas=$(awk 'BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; enabled = "yes"; out = ""
        for (i = 1; i <= NF; i++) {
          line = $i; key = tolower(line); sub(/:.*/, "", key)
          value = line; sub(/^[^:]*:[ \t]*/, "", value)
          if (key == "types") { types = " " value " "; line = "Types: deb-src" }
          if (key == "enabled") enabled = tolower(value)
          out = out line "\n"
        }
        if (types ~ /[ \t]deb[ \t]/ && types !~ /[ \t]deb-src[ \t]/ && enabled != "no")
          printf "%s%s", (n++ ? "\n" : ""), out
      }' "$from")
  fi
  echo "# Added by medseal scripts/setup.sh: source packages (apt-get source libsodium)."
  if [[ -n $stanzas ]]; then
    echo "# The deb stanzas of $from, as deb-src."
    printf '%s\n' "$stanzas"
  else
    cat <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
}

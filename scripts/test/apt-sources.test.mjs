// SPDX-License-Identifier: Apache-2.0
// Tests of debsrc_sources (scripts/lib/apt-sources.sh), which writes the
// deb-src entries scripts/setup.sh adds when apt does not know the libsodium
// source package. Each case runs it on a sample sources file in a temporary
// folder and checks the text; apt itself then parses the result (reading
// only that folder: no download, nothing on this machine changes) and must
// list the deb-src index targets expected from it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const lib = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'lib',
  'apt-sources.sh',
);
const HEADER = '# Added by medseal scripts/setup.sh: source packages (apt-get source libsodium).\n';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const DEFAULTS = `${HEADER}Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: ${KEYRING}

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: ${KEYRING}
`;
const DEFAULT_TARGETS = [
  'deb-src http://deb.debian.org/debian-security/ bookworm-security main',
  'deb-src http://deb.debian.org/debian/ bookworm main',
  'deb-src http://deb.debian.org/debian/ bookworm-updates main',
];

let tmp;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-apt-test-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
// debsrc_sources on `text` written to a file (or on a missing file when
// text is null); returns what it printed.
function generate(text) {
  const file = path.join(tmp, `in${n++}.sources`);
  if (text !== null) fs.writeFileSync(file, text);
  const r = spawnSync(
    'bash',
    ['-euo', 'pipefail', '-c', '. "$1"; debsrc_sources "$2"', 'test', lib, file],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return { out: r.stdout, file };
}

// The index targets apt reads from `sources` alone, sorted.
function aptTargets(sources) {
  const dir = path.join(tmp, `apt${n++}`);
  fs.mkdirSync(path.join(dir, 'parts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'parts', 'medseal-deb-src.sources'), sources);
  const r = spawnSync(
    'apt-get',
    [
      'indextargets',
      '--no-release-info',
      '-o',
      'Dir::Etc::SourceList=/dev/null',
      '-o',
      `Dir::Etc::SourceParts=${dir}/parts`,
      '-o',
      `Dir::State::Lists=${dir}/lists`,
      '--format',
      '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'apt must parse it without a warning');
  return r.stdout.trim().split('\n').filter(Boolean).sort();
}

test("Debian 12's debian.sources: each deb stanza becomes deb-src, mirror, comments and Signed-By kept", () => {
  const { out, file } = generate(`Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: ${KEYRING}

Types: deb
# http://snapshot.debian.org/archive/debian-security/20250520T000000Z
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: ${KEYRING}
`);
  assert.equal(
    out,
    `${HEADER}# The deb stanzas of ${file}, as deb-src.
Types: deb-src
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: ${KEYRING}

Types: deb-src
# http://snapshot.debian.org/archive/debian-security/20250520T000000Z
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: ${KEYRING}
`,
  );
  assert.deepEqual(aptTargets(out), DEFAULT_TARGETS);
});

test('a local mirror with more components is mirrored as it is', () => {
  const { out } = generate(`Types: deb
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates bookworm-security
Components: main contrib non-free-firmware
Signed-By: /etc/apt/keyrings/mirror.gpg
`);
  assert.match(out, /^URIs: http:\/\/mirror\.example\.org\/debian$/m);
  assert.match(out, /^Signed-By: \/etc\/apt\/keyrings\/mirror\.gpg$/m);
  const targets = aptTargets(out);
  assert.equal(targets.length, 9);
  assert.ok(targets.includes('deb-src http://mirror.example.org/debian/ bookworm-security main'));
});

test('stanzas already with deb-src, disabled stanzas and comment blocks are left out; field names in any case', () => {
  const { out } = generate(`# A comment block of its own.

types: deb deb-src
uris: http://deb.debian.org/debian
suites: bookworm
components: main

Types: deb
Enabled: no
URIs: http://disabled.example/debian
Suites: bookworm
Components: main

TYPES: deb
URIS: http://kept.example/debian
SUITES: bookworm-backports
COMPONENTS: main
`);
  assert.doesNotMatch(out, /disabled\.example|A comment block|deb\.debian\.org/);
  assert.deepEqual(aptTargets(out), [
    'deb-src http://kept.example/debian/ bookworm-backports main',
  ]);
});

test("without the file, or with no deb stanza in it: Debian's default mirrors for the three suites", () => {
  for (const text of [
    null,
    '',
    '# nothing\n',
    'Types: deb-src\nURIs: http://x.example/debian\nSuites: bookworm\nComponents: main\n',
  ]) {
    const { out } = generate(text);
    assert.equal(out, DEFAULTS, JSON.stringify(text));
  }
  assert.deepEqual(aptTargets(DEFAULTS), DEFAULT_TARGETS);
});

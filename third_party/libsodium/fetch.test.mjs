// SPDX-License-Identifier: Apache-2.0
// Tests of fetch.sh (beside this file), the step that puts Debian's pinned
// libsodium source into the WebAssembly build: the pinned SHA-256 sums are
// enforced (a changed byte in any of the three files stops it, loudly, with
// nothing extracted), Debian's patches are checked, and a second run is a
// no-op. Uses the source package the WebAssembly build already downloaded
// (${MEDSEAL_CACHE:-~/.cache/medseal}/libsodium-src); every run works on
// copies in a temporary directory, so the real cache and build are untouched.
//
//   node --test third_party/libsodium/   (scripts/test-all.sh runs it after the wasm build)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fetch.sh');
const cacheRoot = process.env.MEDSEAL_CACHE || path.join(os.homedir(), '.cache', 'medseal');
const realCache = path.join(cacheRoot, 'libsodium-src');
const FILES = {
  dsc: 'libsodium_1.0.18-1+deb12u1.dsc',
  orig: 'libsodium_1.0.18.orig.tar.gz',
  debian: 'libsodium_1.0.18-1+deb12u1.debian.tar.xz',
};
const PATCH = 'debian/patches/CVE-2025-69277.patch';

let tmp;
before(() => {
  for (const f of Object.values(FILES)) {
    assert.ok(
      fs.existsSync(path.join(realCache, f)),
      `${path.join(realCache, f)} is missing: build the wasm module first (scripts/build-wasm.sh downloads it)`,
    );
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-fetch-test-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// A cache directory with copies of the three files, `change` applied to them.
let n = 0;
function cacheWith(change = () => {}) {
  const root = path.join(tmp, `cache${n++}`);
  const dir = path.join(root, 'libsodium-src');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of Object.values(FILES)) fs.copyFileSync(path.join(realCache, f), path.join(dir, f));
  change(dir);
  return root;
}

function fetchInto(dest, cache) {
  const r = spawnSync('bash', [script, dest], {
    encoding: 'utf8',
    env: { ...process.env, MEDSEAL_CACHE: cache },
    timeout: 300_000,
  });
  return { status: r.status, stderr: r.stderr };
}

function flipByte(file, offset) {
  const data = fs.readFileSync(file);
  data[offset % data.length] ^= 0x01;
  fs.writeFileSync(file, data);
}

test("the pinned source package extracts, with Debian's patches, and a second run does nothing", () => {
  const dest = path.join(tmp, 'ok', 'libsodium');
  const cache = cacheWith();
  const first = fetchInto(dest, cache);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /patches applied: .*CVE-2025-69277\.patch/);
  assert.ok(
    fs.existsSync(
      path.join(dest, 'src', 'libsodium', 'crypto_core', 'ed25519', 'ref10', 'ed25519_ref10.c'),
    ),
  );
  assert.match(
    fs.readFileSync(path.join(dest, '.medseal-libsodium.stamp'), 'utf8'),
    /^libsodium 1\.0\.18-1\+deb12u1 /,
  );
  const second = fetchInto(dest, cache);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /already in/);
});

for (const [which, offset] of [
  ['orig', 1000],
  ['debian', 100],
  ['dsc', 10],
]) {
  test(`one changed byte in the ${which} file stops it before anything is extracted`, () => {
    const dest = path.join(tmp, `bad-${which}`, 'libsodium');
    const cache = cacheWith((dir) => flipByte(path.join(dir, FILES[which]), offset));
    const r = fetchInto(dest, cache);
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      new RegExp(`SHA-256 mismatch for \\S*${FILES[which].replace(/[.+]/g, '\\$&')}`),
    );
    assert.match(r.stderr, /checksum verification failed/);
    assert.equal(fs.existsSync(dest), false, 'nothing may be extracted');
  });
}

test('an extracted tree whose security patch was reverted is refused', () => {
  const dest = path.join(tmp, 'reverted', 'libsodium');
  const cache = cacheWith();
  assert.equal(fetchInto(dest, cache).status, 0);
  const rev = spawnSync('patch', ['-R', '-p1', '--silent', '-i', PATCH], {
    cwd: dest,
    encoding: 'utf8',
  });
  assert.equal(rev.status, 0, rev.stderr);
  const r = fetchInto(dest, cache);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /CVE-2025-69277\.patch .*is not applied to the sources/);
  assert.match(r.stderr, /was modified after extraction/);
});

test('a destination it did not make is left alone', () => {
  const dest = path.join(tmp, 'foreign');
  fs.mkdirSync(dest, { recursive: true });
  fs.writeFileSync(path.join(dest, 'notes.txt'), 'mine');
  const r = fetchInto(dest, cacheWith());
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /exists and was not made by this script/);
  assert.equal(fs.readFileSync(path.join(dest, 'notes.txt'), 'utf8'), 'mine');
});

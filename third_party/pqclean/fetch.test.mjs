// SPDX-License-Identifier: Apache-2.0
// Tests of fetch.sh (beside this file), the step that puts PQClean's pinned
// ML-KEM-768 / ML-DSA-44 / FIPS 202 C sources from the npm tarball
// pqclean@0.8.1 into every build: the tarball's pinned SHA-256 is enforced
// (one changed byte stops it, loudly, with nothing extracted); so is every
// extracted file's pinned SHA-256 (a tarball that passes the tarball pin
// but carries a changed or a missing file is refused, shown with a copy of
// the script whose tarball pin was moved to such a tarball); a tree changed
// after extraction is refused; a second run is a no-op; a destination the
// script did not make is left alone. Uses the tarball the native or wasm
// configure step already fetched (${MEDSEAL_CACHE:-~/.cache/medseal}/pqclean);
// every run works on copies in a temporary directory, so the real cache and
// build are untouched, and none of them reaches the network.
//
//   node --test third_party/pqclean/   (scripts/test-all.sh runs it in its scripts step)
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fetch.sh');
const cacheRoot = process.env.MEDSEAL_CACHE || path.join(os.homedir(), '.cache', 'medseal');
const TARBALL = 'pqclean-0.8.1.tgz';
const realTarball = path.join(cacheRoot, 'pqclean', TARBALL);
const KEM_C = 'crypto_kem/ml-kem-768/clean/kem.c';
const scriptText = fs.readFileSync(script, 'utf8');
const pinnedFiles = scriptText
  .match(/^FILES='([^']*)'$/m)[1]
  .split('\n')
  .map((l) => l.split(/\s+/)[1]);

let tmp;
before(() => {
  assert.ok(
    fs.existsSync(realTarball),
    `${realTarball} is missing: configure a build first (cmake --preset native-debug runs fetch.sh, which downloads it)`,
  );
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-pqclean-fetch-test-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

// A cache root holding `tarball` (default: a copy of the real one).
let n = 0;
function cacheWith(tarball = realTarball) {
  const root = path.join(tmp, `cache${n++}`);
  fs.mkdirSync(path.join(root, 'pqclean'), { recursive: true });
  fs.copyFileSync(tarball, path.join(root, 'pqclean', TARBALL));
  return root;
}

// Runs a fetch script into `dest` with `cache` as MEDSEAL_CACHE. Every cache
// holds a tarball, so the script never calls npm (fetch.sh takes a cached
// tarball as it is and refuses it on a mismatch, never re-downloading).
function fetchInto(dest, cache, scriptPath = script) {
  const r = spawnSync('bash', [scriptPath, dest], {
    encoding: 'utf8',
    env: { ...process.env, MEDSEAL_CACHE: cache },
    timeout: 120_000,
  });
  return { status: r.status, stderr: r.stderr };
}

// A repacked tarball with `change(packageDir)` applied, and a copy of
// fetch.sh whose tarball pin is that tarball's SHA-256 (the per-file pins
// unchanged), as an attacker who controls the tarball and the tarball pin
// but not the file pins would have it.
function repacked(name, change) {
  const work = path.join(tmp, `repack-${name}`);
  fs.mkdirSync(work, { recursive: true });
  execFileSync('tar', ['-xzf', realTarball, '-C', work]);
  change(path.join(work, 'package', 'deps', 'PQClean'));
  const tarball = path.join(tmp, `${name}.tgz`);
  execFileSync('tar', ['-czf', tarball, '-C', work, 'package']);
  const moved = scriptText.replace(
    /^SHA256_TARBALL=[0-9a-f]{64}$/m,
    `SHA256_TARBALL=${sha256(tarball)}`,
  );
  assert.notEqual(moved, scriptText);
  const movedScript = path.join(tmp, `fetch-${name}.sh`);
  fs.writeFileSync(movedScript, moved);
  return { tarball, movedScript };
}

test('the pinned tarball extracts exactly the pinned files, and a second run does nothing', () => {
  const dest = path.join(tmp, 'ok', 'pqclean');
  const cache = cacheWith();
  const first = fetchInto(dest, cache);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /pqclean 0\.8\.1 \(PQClean 2cc64716\) extracted into/);
  for (const f of pinnedFiles) assert.ok(fs.existsSync(path.join(dest, f)), f);
  assert.ok(fs.existsSync(path.join(dest, 'common', 'fips202.c')));
  // Only the listed files: no Node binding, no other scheme.
  assert.equal(fs.existsSync(path.join(dest, 'crypto_kem', 'ml-kem-512')), false);
  const stamp = fs.readFileSync(path.join(dest, '.medseal-pqclean.stamp'), 'utf8');
  assert.match(stamp, /^pqclean npm 0\.8\.1 tarball=0ba5483b[0-9a-f]{56} commit=2cc64716/);
  const before = sha256(path.join(dest, KEM_C));
  const second = fetchInto(dest, cache);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /already in/);
  assert.equal(sha256(path.join(dest, KEM_C)), before);
});

test('a tarball with one changed byte is refused before anything is extracted', () => {
  const bad = path.join(tmp, 'flipped.tgz');
  const data = fs.readFileSync(realTarball);
  data[data.length >> 1] ^= 0x01;
  fs.writeFileSync(bad, data);
  const dest = path.join(tmp, 'bad-tarball', 'pqclean');
  const r = fetchInto(dest, cacheWith(bad));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /pqclean-0\.8\.1\.tgz has SHA-256 [0-9a-f]{64}, pinned 0ba5483b/);
  assert.match(r.stderr, /refusing to use it/);
  assert.equal(fs.existsSync(dest), false, 'nothing may be extracted');
});

test('a tarball that passes the tarball pin but holds a changed file is refused', () => {
  const { tarball, movedScript } = repacked('changed-file', (dir) => {
    const f = path.join(dir, KEM_C);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('return 0;', 'return 1;'));
  });
  const dest = path.join(tmp, 'bad-file', 'pqclean');
  const r = fetchInto(dest, cacheWith(tarball), movedScript);
  assert.notEqual(r.status, 0);
  assert.doesNotMatch(r.stderr, /refusing to use it/, 'the moved tarball pin matched');
  assert.match(r.stderr, /a file of pqclean-0\.8\.1\.tgz does not match its pinned SHA-256/);
  assert.equal(fs.existsSync(dest), false, 'nothing may be extracted');
});

test('a tarball that passes the tarball pin but lacks a pinned file is refused', () => {
  const { tarball, movedScript } = repacked('missing-file', (dir) =>
    fs.rmSync(path.join(dir, 'common', 'fips202.h')),
  );
  const dest = path.join(tmp, 'missing-file', 'pqclean');
  const r = fetchInto(dest, cacheWith(tarball), movedScript);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /lacks a listed file/);
  assert.equal(fs.existsSync(dest), false, 'nothing may be extracted');
});

test('an extracted tree changed afterwards is refused', () => {
  const dest = path.join(tmp, 'edited', 'pqclean');
  const cache = cacheWith();
  assert.equal(fetchInto(dest, cache).status, 0);
  fs.appendFileSync(path.join(dest, KEM_C), '\n/* edited */\n');
  const r = fetchInto(dest, cache);
  assert.notEqual(r.status, 0);
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

// SPDX-License-Identifier: Apache-2.0
// Tests of npm_ci (scripts/lib/npm.sh), the `npm ci` + stamp step of the
// scripts. Most tests put a stand-in `npm` first on PATH that records each
// call, so they can count the runs; the last one runs the real npm, offline,
// on a package whose only dependency is a local folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const lib = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'npm.sh');
const STAMP = path.join('node_modules', '.medseal-npm-ci.stamp');

let tmp;
let fakeBin;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-npm-test-'));
  fakeBin = path.join(tmp, 'bin');
  fs.mkdirSync(fakeBin);
  // Records "cwd | args" in $NPM_CALLS; `ci` rebuilds node_modules like npm
  // ci does; NPM_FAIL=1 makes it fail after emptying node_modules.
  fs.writeFileSync(
    path.join(fakeBin, 'npm'),
    `#!/bin/sh
printf '%s | %s\\n' "$PWD" "$*" >>"$NPM_CALLS"
rm -rf node_modules
[ "$NPM_FAIL" = 1 ] && exit 7
mkdir -p node_modules/dep
`,
    { mode: 0o755 },
  );
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function project() {
  const dir = path.join(tmp, `p${n++}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    '{"name":"p","version":"1.0.0","private":true}\n',
  );
  fs.writeFileSync(
    path.join(dir, 'package-lock.json'),
    '{"name":"p","lockfileVersion":3,"packages":{}}\n',
  );
  return dir;
}

// Runs npm_ci DIR from a script named caller.sh, under set -euo pipefail.
function npmCi(dir, { fake = true, fail = false } = {}) {
  const calls = path.join(dir, '..', `${path.basename(dir)}.calls`);
  const env = { ...process.env, NPM_CALLS: calls, NPM_FAIL: fail ? '1' : '0' };
  if (fake) env.PATH = `${fakeBin}:${process.env.PATH}`;
  const r = spawnSync(
    'bash',
    ['-euo', 'pipefail', '-c', '. "$1"; npm_ci "$2"', 'caller.sh', lib, dir],
    { encoding: 'utf8', env, timeout: 120_000 },
  );
  const log = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [];
  return { status: r.status, out: r.stdout + r.stderr, calls: log };
}

// Sets a file's modification time `seconds` from now.
function age(file, seconds) {
  const t = new Date(Date.now() + seconds * 1000);
  fs.utimesSync(file, t, t);
}

test('the first run installs and stamps, the second does nothing', () => {
  const dir = project();
  const first = npmCi(dir);
  assert.equal(first.status, 0, first.out);
  assert.deepEqual(first.calls, [`${dir} | ci --no-audit --no-fund`]);
  assert.match(first.out, /^caller: npm ci in /);
  assert.ok(fs.existsSync(path.join(dir, STAMP)));

  const second = npmCi(dir);
  assert.equal(second.status, 0, second.out);
  assert.equal(second.calls.length, 1, 'npm must not run again');
  assert.match(second.out, /^caller: npm: .* up to date$/m);
});

for (const file of ['package-lock.json', 'package.json']) {
  test(`a ${file} newer than the stamp runs npm ci again`, () => {
    const dir = project();
    assert.equal(npmCi(dir).calls.length, 1);
    age(path.join(dir, 'package.json'), -120);
    age(path.join(dir, 'package-lock.json'), -120);
    age(path.join(dir, STAMP), -60);
    assert.equal(npmCi(dir).calls.length, 1, 'older files: up to date');
    age(path.join(dir, file), 0);
    const r = npmCi(dir);
    assert.equal(r.status, 0, r.out);
    assert.equal(r.calls.length, 2);
    assert.equal(npmCi(dir).calls.length, 2, 'and then it is up to date again');
  });
}

test('a missing node_modules runs npm ci again', () => {
  const dir = project();
  npmCi(dir);
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true });
  assert.equal(npmCi(dir).calls.length, 2);
});

test('a failed npm ci leaves no stamp and fails the caller; the next run tries again', () => {
  const dir = project();
  const r = npmCi(dir, { fail: true });
  assert.equal(r.status, 7);
  assert.equal(fs.existsSync(path.join(dir, STAMP)), false);
  const again = npmCi(dir);
  assert.equal(again.status, 0, again.out);
  assert.equal(again.calls.length, 2);
  assert.ok(fs.existsSync(path.join(dir, STAMP)));
});

test('with the real npm: installs a local dependency offline and stamps', () => {
  const dir = project();
  fs.mkdirSync(path.join(dir, 'dep'));
  fs.writeFileSync(path.join(dir, 'dep', 'package.json'), '{"name":"dep","version":"1.0.0"}\n');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    '{"name":"p","version":"1.0.0","private":true,"dependencies":{"dep":"file:dep"}}\n',
  );
  const lock = spawnSync(
    'npm',
    ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'],
    { cwd: dir, encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(lock.status, 0, lock.stderr);
  age(path.join(dir, 'package-lock.json'), -60);
  age(path.join(dir, 'package.json'), -60);

  const r = npmCi(dir, { fake: false });
  assert.equal(r.status, 0, r.out);
  assert.ok(fs.lstatSync(path.join(dir, 'node_modules', 'dep')).isSymbolicLink());
  assert.ok(fs.existsSync(path.join(dir, STAMP)));
  assert.match(npmCi(dir, { fake: false }).out, /up to date/);
});

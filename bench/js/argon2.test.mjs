// SPDX-License-Identifier: Apache-2.0
// Tests of the Argon2id rows (bench/js/argon2.mjs): argon2-browser's loader
// gives libsodium's answers, the cross-check before timing fails on a wrong
// key, the verdict goes to the faster peer; and a differential test of the
// package's argon2id (its WebAssembly SIMD fill-block,
// third_party/libsodium/MedsealSodiumWasm.cmake) against
// libsodium-wrappers-sumo and both argon2-browser builds on generated
// parameters. Needs the built package (scripts/build-wasm.sh), as CI's
// bench step has: it fails when wasm/package/dist is missing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import sumo from 'libsodium-wrappers-sumo';

import {
  ARGON2_PEERS,
  ARGON2_QUICK_MEMORY_KIB,
  ARGON2_ROWS,
  IMPL_SODIUM_SUMO,
  buildArgon2Rows,
  loadArgon2Browser,
} from './argon2.mjs';
import { argon2KnownAnswer, benchDir, medsealEntry } from './report.mjs';

await sumo.ready;
const dist = path.join(benchDir, 'node_modules', 'argon2-browser', 'dist');
const argon2Browser = {
  plain: await loadArgon2Browser(fs.readFileSync(path.join(dist, 'argon2.wasm'))),
  simd: await loadArgon2Browser(fs.readFileSync(path.join(dist, 'argon2-simd.wasm'))),
};
const entry = medsealEntry();
assert.ok(entry, 'wasm/package/dist is missing: run scripts/build-wasm.sh first');
const medseal = await import(pathToFileURL(entry).href);
await medseal.init();

const sumoHash = (pw, salt, passes, memoryKib, len) =>
  sumo.crypto_pwhash(len, pw, salt, passes, memoryKib * 1024, sumo.crypto_pwhash_ALG_ARGON2ID13);
const hex = (b) => Buffer.from(b).toString('hex');
const fromHex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

// A deterministic byte stream (SHA-256 in counter mode) for generated cases.
function stream(seed) {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (n) => {
    while (pool.length < n)
      pool = Buffer.concat([pool, createHash('sha256').update(`${seed}/${counter++}`).digest()]);
    const out = new Uint8Array(pool.subarray(0, n));
    pool = pool.subarray(n);
    return out;
  };
}

test("argon2-browser's two builds, loaded by the harness, give libsodium's known answer", () => {
  const k = argon2KnownAnswer();
  const pw = fromHex(k.passwordHex);
  const salt = fromHex(k.saltHex).subarray(0, 16);
  const m = Math.floor(k.memlimit / 1024);
  for (const build of [argon2Browser.plain, argon2Browser.simd]) {
    assert.equal(hex(build.hash(pw, salt, k.opslimit, m, k.outlen)), k.outHex);
  }
  assert.equal(hex(sumoHash(pw, salt, k.opslimit, m, k.outlen)), k.outHex);
});

test("differential: the package's argon2id equals libsodium-wrappers-sumo and argon2-browser on 32 generated cases", () => {
  const next = stream('argon2-differential');
  for (let i = 0; i < 32; i++) {
    const [a, b, c, d] = next(4);
    const pw = next(a % 97); // 0..96 bytes
    const salt = next(16);
    const passes = 1 + (b % 4);
    const memoryKib = 8 + ((c * 13) % 249); // 8..256 KiB
    const len = 16 + (d % 113);
    const want = hex(sumoHash(pw, salt, passes, memoryKib, len));
    const got = medseal.argon2id(pw, salt, { passes, memoryKib, outputLength: len });
    const what = `case ${i}: ${pw.length}-byte password, ${passes} passes, ${memoryKib} KiB, ${len} bytes`;
    assert.equal(hex(got), want, what);
    assert.equal(hex(argon2Browser.plain.hash(pw, salt, passes, memoryKib, len)), want, what);
    assert.equal(hex(argon2Browser.simd.hash(pw, salt, passes, memoryKib, len)), want, what);
  }
});

test('the rows: ids, parameters (quick: 1 MiB), one unlock per sample, a comparison per peer', () => {
  const { rows, checks } = buildArgon2Rows({
    medseal,
    sumo,
    argon2Browser,
    want: () => true,
    quick: true,
    knownAnswer: argon2KnownAnswer(),
  });
  assert.deepEqual(
    rows.map((r) => r.id),
    ARGON2_ROWS,
  );
  for (const r of rows) {
    assert.equal(r.params.memoryKib, ARGON2_QUICK_MEMORY_KIB);
    assert.equal(r.iters, 1);
    assert.deepEqual(Object.keys(r.comparisons), ARGON2_PEERS);
    assert.deepEqual(
      r.impls.map((x) => x.name),
      ['medseal', ...ARGON2_PEERS],
    );
    assert.ok(checks[r.id], `${r.id} cross-checked`);
  }
  assert.equal(checks.argon2KnownAnswer, argon2KnownAnswer().index);
});

test('the cross-check fails the run when an implementation gives another key', () => {
  const broken = {
    argon2id: (pw, salt, o) => {
      const k = medseal.argon2id(pw, salt, o);
      k[0] ^= 1;
      return k;
    },
  };
  assert.throws(
    () => buildArgon2Rows({ medseal: broken, sumo, argon2Browser, want: () => true, quick: true }),
    /key differs from medseal's/,
  );
  // A wrong known answer is caught before any row is built.
  assert.throws(
    () =>
      buildArgon2Rows({
        medseal,
        sumo,
        argon2Browser,
        want: () => true,
        quick: true,
        knownAnswer: { ...argon2KnownAnswer(), outHex: '00'.repeat(190) },
      }),
    /known answer/,
  );
  assert.throws(
    () => buildArgon2Rows({ medseal: {}, sumo, argon2Browser, want: () => true }),
    /no argon2id/,
  );
});

test('the verdict is against the peer with the highest median', () => {
  const { rows } = buildArgon2Rows({
    medseal,
    sumo,
    argon2Browser,
    want: (id) => id === ARGON2_ROWS[0],
    quick: true,
  });
  const row = rows[0];
  const res = (median) => ({ median, samples: [median] });
  const entry = {
    results: {
      medseal: res(10),
      [IMPL_SODIUM_SUMO]: res(8),
      'argon2-browser': res(3),
      'argon2-browser-simd': res(12),
    },
    comparisons: ARGON2_PEERS.map((b, i) => ({
      baseline: b,
      ratio: [1.25, 3.3, 0.83][i],
      ratioInterval: { lo: 0.8, hi: 0.9 },
      ratioOfMedians: 1,
      target: 1,
      status: i === 2 ? 'MISS' : 'PASS',
      clear: true,
    })),
  };
  row.finish(entry);
  assert.equal(entry.fasterPeer, 'argon2-browser-simd');
  assert.equal(entry.baseline, 'argon2-browser-simd');
  assert.equal(entry.ratio, 0.83);
  assert.equal(entry.status, 'MISS');
});

// SPDX-License-Identifier: Apache-2.0
// Tests of the attachment rows' harness (bench/js/age.mjs): the
// libsodium-wrappers secretstream construction, the generated streams, the
// cross-check (that it fails on a wrong implementation), the row sets.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as age from 'age-encryption';
import sodium from 'libsodium-wrappers';

import {
  AGE_LARGE_ROWS,
  AGE_ROWS,
  ageRowsFor,
  buildAgeRows,
  checkAgeInterop,
  chunkStream,
  drain,
  generatedStream,
  measureAgeMemory,
  patternByte,
  plaintext,
  secretstreamAge,
  streamedByte,
  typageAge,
} from './age.mjs';

await sodium.ready;

async function readAll(rs) {
  const parts = [];
  await drain(rs, (c) => parts.push(c.slice()));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

test('plaintext and the generated stream follow the pattern', async () => {
  const p = plaintext(100000);
  for (const i of [0, 1, 250, 251, 252, 65535, 99999]) assert.equal(p[i], patternByte(i));
  const n = 3 * 1024 * 1024 + 17;
  let count = 0;
  const got = await drain(generatedStream(n), (c, off) => {
    count++;
    for (const i of [0, c.length - 1]) assert.equal(c[i], streamedByte(off + i));
  });
  assert.equal(got, n);
  assert.equal(count, 4);
  assert.equal(await drain(generatedStream(0)), 0);
});

test('the secretstream construction round-trips and rejects tampering, truncation and reordering', async () => {
  const s = secretstreamAge(sodium);
  for (const n of [0, 1, 65536, 65537, 200000]) {
    const pt = plaintext(n);
    const file = await s.encrypt(pt);
    assert.deepEqual(await s.decrypt(file), pt);
    // The streamed form writes the same layout (fed in odd pieces).
    const streamed = await readAll(
      await s.encryptReadable(chunkStream([pt.subarray(0, 5), pt.subarray(5)])),
    );
    assert.equal(streamed.length, file.length);
    assert.deepEqual(await s.decrypt(streamed), pt);
    assert.deepEqual(
      await readAll(await s.decryptReadable(chunkStream([file.subarray(0, 3), file.subarray(3)]))),
      pt,
    );
    const bad = file.slice();
    bad[bad.length - 1] ^= 1;
    await assert.rejects(s.decrypt(bad));
    await assert.rejects(readAll(await s.decryptReadable(chunkStream([bad]))));
  }
  // Truncated after a whole chunk: the last chunk left is not FINAL.
  const file = await s.encrypt(plaintext(200000));
  const cut = file.subarray(0, 80 + 24 + 2 * (65536 + 17));
  await assert.rejects(s.decrypt(cut), /wrong tag/);
  await assert.rejects(readAll(await s.decryptReadable(chunkStream([cut]))), /wrong tag/);
  // Two chunks swapped.
  const c = 65536 + 17,
    o = 80 + 24;
  const swapped = file.slice();
  swapped.set(file.subarray(o + c, o + 2 * c), o);
  swapped.set(file.subarray(o, o + c), o + c);
  await assert.rejects(s.decrypt(swapped), /authenticate/);
});

test('the cross-check passes for typage against itself and fails for a wrong implementation', async () => {
  const identity = await age.generateX25519Identity();
  const recipient = await age.identityToRecipient(identity);
  const t = typageAge(age, identity, recipient);
  const s = secretstreamAge(sodium);
  const good = await checkAgeInterop({ m: t, t, s });
  assert.ok(good.medseal);
  assert.ok(good.passed >= 5 * 8);
  // A "medseal" whose decryption drops the last byte.
  const short = { ...t, decrypt: async (f) => (await t.decrypt(f)).subarray(0, -1) };
  await assert.rejects(checkAgeInterop({ m: short, t, s }), /cross-check failed/);
  // One whose files typage cannot read (a flipped byte in the payload).
  const corrupt = {
    ...t,
    encrypt: async (p) => {
      const f = await t.encrypt(p);
      f[f.length - 1] ^= 1;
      return f;
    },
  };
  await assert.rejects(checkAgeInterop({ m: corrupt, t, s }));
  // One that accepts a tampered file.
  const lax = { ...t, decrypt: async () => new Uint8Array(0) };
  await assert.rejects(checkAgeInterop({ m: lax, t, s }));
});

test('row sets: the 1 GiB rows only in the full run', () => {
  assert.deepEqual(ageRowsFor(false), AGE_ROWS);
  assert.equal(AGE_ROWS.length, 6);
  for (const id of AGE_LARGE_ROWS) {
    assert.ok(AGE_ROWS.includes(id));
    assert.ok(!ageRowsFor(true).includes(id));
  }
});

test('a package without the age API: peers-only rows, no memory measurement', async () => {
  const logs = [];
  const { rows, checks } = await buildAgeRows({
    medseal: {},
    age,
    sodium,
    want: (id) => id === 'age-enc-64k',
    quick: true,
    reps: 3,
    log: (m) => logs.push(m),
  });
  assert.equal(checks.medseal, false);
  assert.deepEqual(
    rows.map((r) => r.id),
    ['age-enc-64k'],
  );
  assert.deepEqual(
    rows[0].impls.map((i) => i.name),
    ['age-encryption', 'libsodium-wrappers-secretstream'],
  );
  for (const impl of rows[0].impls) await impl.op();
  assert.ok(logs.some((m) => /summary\.mjs fails/.test(m)));
  const mem = await measureAgeMemory({ medseal: {}, age, bytes: 1 << 20 });
  assert.equal(mem.status, 'MISSING');
});

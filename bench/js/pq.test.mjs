// SPDX-License-Identifier: Apache-2.0
// Tests of the post-quantum rows' harness (bench/js/pq.mjs): the
// cross-check before timing (that it fails on a wrong implementation), the
// rows it builds, and what happens when a package lacks the hybrid records
// or the KEMs. The "medseal" here is @noble/post-quantum behind the
// package's API (no build needed); the real package runs in the benchmark.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';

import { buildPqRows, hasHybridRecords, PQ_KEM_ROWS, PQ_RECORD_ROWS, PQ_ROWS } from './pq.mjs';

const noble = { ml_kem768, ml_kem768_x25519 };
const all = () => true;

// The package's KEM API on noble; `breakDecaps` flips a bit of every
// decapsulated secret.
function fakeMedseal({ breakDecaps = false } = {}) {
  const flip = (s) => {
    if (breakDecaps) s[0] ^= 1;
    return s;
  };
  return {
    MlKem768KeyPair: {
      fromSeed(seed) {
        const k = ml_kem768.keygen(seed);
        return {
          publicKey: k.publicKey,
          decapsulate: (ct) => flip(ml_kem768.decapsulate(ct, k.secretKey)),
          dispose() {},
        };
      },
    },
    mlkem768Encapsulate(pk) {
      const e = ml_kem768.encapsulate(pk);
      return { ciphertext: e.cipherText, sharedSecret: e.sharedSecret };
    },
    XWingPrivateKey: {
      fromSeed(seed) {
        return {
          publicKey: ml_kem768_x25519.keygen(seed).publicKey,
          decapsulate: (ct) => flip(ml_kem768_x25519.decapsulate(ct, seed)),
          dispose() {},
        };
      },
    },
    xwingEncapsulate(pk) {
      const e = ml_kem768_x25519.encapsulate(pk);
      return { ciphertext: e.cipherText, sharedSecret: e.sharedSecret };
    },
  };
}

test('the row ids', () => {
  assert.deepEqual(PQ_ROWS, [...PQ_KEM_ROWS, ...PQ_RECORD_ROWS]);
  assert.equal(new Set(PQ_ROWS).size, 8);
});

test('the KEM rows: cross-checked, then each op runs on both sides', () => {
  const { rows, checks, dispose } = buildPqRows({
    medseal: fakeMedseal(),
    noble,
    want: (id) => PQ_KEM_ROWS.includes(id),
  });
  assert.deepEqual(
    rows.map((r) => r.id),
    PQ_KEM_ROWS,
  );
  assert.deepEqual(checks.pq, { mlkem768: 'both directions', xwing: 'both directions' });
  for (const r of rows) {
    assert.deepEqual(
      r.impls.map((i) => i.name),
      ['medseal', '@noble/post-quantum'],
    );
    for (const i of r.impls) i.op();
  }
  dispose();
});

test('a medseal that decapsulates wrongly fails the cross-check', () => {
  assert.throws(
    () => buildPqRows({ medseal: fakeMedseal({ breakDecaps: true }), noble, want: all }),
    /medseal decapsulation of a noble ML-KEM ciphertext/,
  );
});

test('record rows: left out with a reason, or an error when named with --only', () => {
  const medseal = fakeMedseal();
  assert.equal(hasHybridRecords(medseal), false);
  const { rows, checks } = buildPqRows({ medseal, noble, want: all });
  assert.deepEqual(
    rows.map((r) => r.id),
    PQ_KEM_ROWS,
  );
  assert.match(checks.pqRecords.notMeasured, /no hybrid record stanza/);
  assert.throws(
    () => buildPqRows({ medseal, noble, want: (id) => id === 'pq-seal-1', explicit: true }),
    /pq-seal\/pq-open: this medseal package has no hybrid record stanza/,
  );
});

test('a package without the KEMs, or no noble: an error, not empty rows', () => {
  assert.throws(() => buildPqRows({ medseal: {}, noble, want: all }), /no MlKem768KeyPair/);
  assert.throws(
    () => buildPqRows({ medseal: fakeMedseal(), noble: null, want: all }),
    /need @noble\/post-quantum/,
  );
});

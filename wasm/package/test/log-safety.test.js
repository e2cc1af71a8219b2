// SPDX-License-Identifier: Apache-2.0
// Safety numbers and the QR payload (src/log-safety.ts,
// wasm/bindings/log_safety.cc) on the vector file the native suite reads:
// native-tests/vectors/log/safety_v1.json (docs/spec/log.md §10). The file
// is named here: a missing one fails the suite. Every card is rebuilt from
// its seed and must match the file's card text byte for byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

await medseal.init();

const file = path.join(repoRoot, 'native-tests', 'vectors', 'log', 'safety_v1.json');
const vectors = JSON.parse(readFileSync(file, 'utf8'));
const {
  Identity,
  PublicCard,
  safetyNumber,
  safetyFingerprint,
  formatSafetyNumber,
  safetyQrPayload,
  parseSafetyQr,
  verifySafetyQr,
} = medseal;

const cards = new Map(
  Object.entries(vectors.cards).map(([name, c]) => [name, PublicCard.parse(c.card)]),
);

test('the file has what the suite counts on', () => {
  assert.equal(vectors.algorithm, 'medseal safety numbers v1');
  assert.equal(Object.keys(vectors.cards).length, 6);
  assert.equal(vectors.pairs.length, 7);
  assert.equal(vectors.tests.length, 21);
  assert.equal(vectors.numberOfTests, vectors.tests.length);
});

test('each card: rebuilt from its seed, its covered bytes, fingerprint and digits', () => {
  let n = 0;
  for (const [name, c] of Object.entries(vectors.cards)) {
    const id = Identity.fromSeed(fromHex(c.seed), {
      name: c.name,
      role: c.role,
      created: c.created,
      postQuantum: c.cardKeys === 'postQuantum',
    });
    try {
      assert.equal(id.card, c.card, name);
    } finally {
      id.dispose();
    }
    const f = safetyFingerprint(cards.get(name));
    assert.equal(toHex(f.cardKeys), c.safetyCardKeys, name);
    assert.equal(toHex(f.fingerprint), c.fingerprint, name);
    assert.equal(f.digits, c.digits, name);
    // Card text works as well as a PublicCard.
    assert.equal(safetyFingerprint(c.card).digits, c.digits, name);
    n++;
  }
  assert.equal(n, 6);
});

test('each pair: the safety number both ways, formatted, and both QR payloads', () => {
  let n = 0;
  for (const p of vectors.pairs) {
    const a = cards.get(p.a);
    const b = cards.get(p.b);
    const label = `${p.a}/${p.b}`;
    assert.deepEqual(safetyNumber(a, b), { digits: p.safetyNumber, formatted: p.formatted }, label);
    assert.deepEqual(safetyNumber(b, a), { digits: p.safetyNumber, formatted: p.formatted }, label);
    assert.equal(formatSafetyNumber(p.safetyNumber), p.formatted, label);
    assert.equal(toHex(safetyQrPayload(a, b)), p.qrAB, label);
    assert.equal(toHex(safetyQrPayload(b, a)), p.qrBA, label);
    // Each side's QR, scanned by the other, verifies.
    verifySafetyQr(fromHex(p.qrAB), b, a);
    verifySafetyQr(fromHex(p.qrBA), a, b);
    const qr = parseSafetyQr(fromHex(p.qrAB));
    assert.equal(toHex(qr.selfKeyId), vectors.cards[p.a].keyId, label);
    assert.equal(toHex(qr.peerKeyId), vectors.cards[p.b].keyId, label);
    assert.equal(toHex(qr.selfFingerprint), vectors.cards[p.a].fingerprint.slice(0, 64), label);
    assert.equal(toHex(qr.peerFingerprint), vectors.cards[p.b].fingerprint.slice(0, 64), label);
    n++;
  }
  assert.equal(n, 7);
});

test('each scan: valid, or the code the file names', () => {
  let valid = 0;
  let invalid = 0;
  for (const t of vectors.tests) {
    const run = () => verifySafetyQr(fromHex(t.payload), cards.get(t.scanner), cards.get(t.shown));
    if (t.result === 'valid') {
      run();
      valid++;
    } else {
      assert.equal(t.result, 'invalid', `tcId ${t.tcId}`);
      expectCode(run, t.error);
      // The parse rules (Q*) alone decide a parse failure too.
      if (t.rule.startsWith('Q')) expectCode(() => parseSafetyQr(fromHex(t.payload)), t.error);
      invalid++;
    }
  }
  assert.equal(valid, 2);
  assert.equal(invalid, 19);
});

test('bad input: stable codes', () => {
  const p = cards.get('patient');
  expectCode(() => safetyNumber(p, p), 'INVALID_ARGUMENT');
  expectCode(() => safetyQrPayload(p, p), 'INVALID_ARGUMENT');
  expectCode(() => formatSafetyNumber(''), 'INVALID_ARGUMENT');
  expectCode(() => formatSafetyNumber('1234'), 'INVALID_ARGUMENT');
  expectCode(() => formatSafetyNumber('1234a'), 'INVALID_ARGUMENT');
  expectCode(() => safetyNumber(p, 'not a card'), 'MALFORMED');
  expectCode(() => safetyNumber(p, 42), 'INVALID_ARGUMENT');
  expectCode(() => parseSafetyQr('4d53'), 'INVALID_ARGUMENT');
  expectCode(() => verifySafetyQr(new Uint8Array(101), p, cards.get('clinician')), 'MALFORMED');
  const gone = PublicCard.parse(vectors.cards.nurse.card);
  gone.dispose();
  expectCode(() => safetyFingerprint(gone), 'DISPOSED');
});

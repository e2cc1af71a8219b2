// SPDX-License-Identifier: Apache-2.0
// Bad input from JS: every failure is a MedsealError with a code, and the
// module keeps working afterwards.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  alice,
  bob,
  detachable,
  detached,
  expectCode,
  medseal,
  seedOf,
  testing,
} from '../test-support/helpers.js';

const {
  Identity,
  PublicCard,
  sealRecord,
  openRecord,
  verifyRecord,
  inspectRecord,
  recordToJson,
  recordFromJson,
  parseCard,
} = medseal;
const { DeterministicRng, aead } = testing;

await medseal.init();
await testing.init();

const a = alice();
const b = bob();
const ta = alice(testing);
const good = sealRecord(a, [b.card], { body: 'still works', contentType: 'text/plain' });

// A normal call that must succeed after every error.
function stillWorks() {
  assert.equal(new TextDecoder().decode(openRecord(b, a.card, good).body), 'still works');
}

const NOT_BYTES = [
  undefined,
  null,
  42,
  'text',
  [1, 2, 3],
  {},
  new ArrayBuffer(32),
  new Int8Array(32),
  new Uint8ClampedArray(32),
  new Uint16Array(16),
  new DataView(new ArrayBuffer(32)),
];

test('wrong types are INVALID_ARGUMENT', () => {
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(24);
  const empty = new Uint8Array(0);
  for (const x of NOT_BYTES) {
    expectCode(() => aead.xchacha20poly1305Encrypt(x, nonce, empty, empty), 'INVALID_ARGUMENT');
    expectCode(() => aead.xchacha20poly1305Decrypt(key, x, empty, empty), 'INVALID_ARGUMENT');
    expectCode(
      () => Identity.fromSeed(x, { name: 'n', role: 'r', created: 0 }),
      'INVALID_ARGUMENT',
    );
    expectCode(() => new DeterministicRng(x), 'INVALID_ARGUMENT');
    expectCode(() => recordToJson(x), 'INVALID_ARGUMENT');
  }
  for (const x of [undefined, null, 42, {}, new Uint8Array(3), ['{}']]) {
    expectCode(() => parseCard(x), 'INVALID_ARGUMENT');
    expectCode(() => recordFromJson(x), 'INVALID_ARGUMENT');
    expectCode(() => verifyRecord(x, good), 'INVALID_ARGUMENT');
  }
  for (const x of [undefined, null, 42, {}, [good]]) {
    expectCode(() => openRecord(b, a.card, x), 'INVALID_ARGUMENT');
    expectCode(() => inspectRecord(x), 'INVALID_ARGUMENT');
  }
  for (const x of [undefined, null, 'identity', {}, a.card]) {
    expectCode(() => openRecord(x, a.card, good), 'INVALID_ARGUMENT');
    expectCode(() => sealRecord(x, [b.card], { body: '', contentType: 't' }), 'INVALID_ARGUMENT');
  }
  // Options and payload objects.
  expectCode(() => Identity.generate(), 'INVALID_ARGUMENT');
  expectCode(() => Identity.generate({ name: 5, role: 'r' }), 'INVALID_ARGUMENT');
  expectCode(() => Identity.generate({ name: 'n', role: 'r', now: 1.5 }), 'INVALID_ARGUMENT');
  expectCode(() => Identity.generate({ name: 'n', role: 'r', now: '1' }), 'INVALID_ARGUMENT');
  expectCode(() => Identity.generate({ name: 'n', role: 'r', now: NaN }), 'INVALID_ARGUMENT');
  expectCode(() => Identity.generate({ name: 'n', role: 'r', now: 2 ** 60 }), 'INVALID_ARGUMENT');
  expectCode(() => Identity.fromSeed(seedOf(1), { name: 'n', role: 'r' }), 'INVALID_ARGUMENT');
  expectCode(
    () => Identity.fromSeed(seedOf(1), { name: '\uD800', role: 'r', created: 0 }),
    'INVALID_ARGUMENT',
  );
  expectCode(() => sealRecord(a, b.card, { body: '', contentType: 't' }), 'INVALID_ARGUMENT');
  expectCode(() => sealRecord(a, [42], { body: '', contentType: 't' }), 'INVALID_ARGUMENT');
  expectCode(() => sealRecord(a, [b.card], null), 'INVALID_ARGUMENT');
  expectCode(() => sealRecord(a, [b.card], { body: 42, contentType: 't' }), 'INVALID_ARGUMENT');
  expectCode(
    () => sealRecord(a, [b.card], { body: new Int8Array(2), contentType: 't' }),
    'INVALID_ARGUMENT',
  );
  expectCode(() => sealRecord(a, [b.card], { body: '' }), 'INVALID_ARGUMENT');
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't', recordId: 7 }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't' }, { encoding: 'xml' }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => testing.sealRecord(ta, [b.card], { body: '', contentType: 't' }, { rng: {} }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't' }, { encoding: null }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't' }, { now: null }),
    'INVALID_ARGUMENT',
  );
  expectCode(() => Identity.generate({ name: 'n', role: 'r', now: null }), 'INVALID_ARGUMENT');
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't' }, { now: -0.5 }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't' }, null),
    'INVALID_ARGUMENT',
  );
  const rng = new DeterministicRng(seedOf(1));
  for (const n of [-1, 1.5, '3', NaN, Infinity]) expectCode(() => rng.fill(n), 'INVALID_ARGUMENT');
  rng.dispose();
  stillWorks();
});

test('values the core rejects carry the core code', () => {
  expectCode(
    () => Identity.fromSeed(new Uint8Array(31), { name: 'n', role: 'r', created: 0 }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => Identity.fromSeed(new Uint8Array(0), { name: 'n', role: 'r', created: 0 }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => Identity.fromSeed(seedOf(1), { name: 'n', role: 'Bad Role', created: 0 }),
    'MALFORMED',
  );
  expectCode(() => Identity.generate({ name: 'x'.repeat(129), role: 'r' }), 'TOO_LARGE');
  expectCode(() => new DeterministicRng(new Uint8Array(31)), 'INVALID_ARGUMENT');
  expectCode(
    () =>
      aead.xchacha20poly1305Encrypt(
        new Uint8Array(31),
        new Uint8Array(24),
        new Uint8Array(0),
        new Uint8Array(1),
      ),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      aead.xchacha20poly1305Encrypt(
        new Uint8Array(32),
        new Uint8Array(12),
        new Uint8Array(0),
        new Uint8Array(1),
      ),
    'INVALID_ARGUMENT',
  );
  expectCode(() => sealRecord(a, [], { body: '', contentType: 't' }), 'INVALID_ARGUMENT');
  expectCode(
    () => sealRecord(a, [b.card, b.card], { body: '', contentType: 't' }),
    'DUPLICATE_RECIPIENT',
  );
  expectCode(() => sealRecord(a, [b.card], { body: '', contentType: '' }), 'INVALID_ARGUMENT');
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't', resourceType: 'Not letters' }),
    'INVALID_ARGUMENT',
  );
  stillWorks();
});

test('garbage JSON and garbage records', () => {
  for (const text of [
    '',
    '{',
    'null',
    '[]',
    '{"type":"medseal.card"}',
    '\u0000',
    '{"a":1,"a":2}',
    'x'.repeat(5000),
  ]) {
    const e = expectCode(() => parseCard(text), text.length > 4096 ? 'TOO_LARGE' : 'MALFORMED');
    assert.ok(!e.message.includes('x'.repeat(100)));
    expectCode(() => recordFromJson(text), 'MALFORMED');
    expectCode(
      () => sealRecord(a, [text], { body: '', contentType: 't' }),
      text.length > 4096 ? 'TOO_LARGE' : 'MALFORMED',
    );
  }
  expectCode(() => openRecord(b, 'not a card', good), 'MALFORMED');
  expectCode(() => openRecord(b, a.card, '{"type":"medseal.record","v":3}'), 'UNSUPPORTED_VERSION');
  // Version 2 is read (by its own rules: K1, members missing).
  expectCode(() => openRecord(b, a.card, '{"type":"medseal.record","v":2}'), 'MALFORMED');
  expectCode(() => recordToJson(new TextEncoder().encode('{}')), 'MALFORMED');
  expectCode(() => recordToJson(good.subarray(0, 50)), 'TRUNCATED');
  const trailing = new Uint8Array(good.length + 1);
  trailing.set(good);
  expectCode(() => verifyRecord(a.card, trailing), 'TRAILING_DATA');
  const forged = JSON.parse(a.card);
  forged.name = 'Mallory';
  expectCode(() => parseCard(JSON.stringify(forged)), 'SIGNATURE_INVALID');
  stillWorks();
});

test('empty buffers', () => {
  const empty = new Uint8Array(0);
  // An empty Uint8Array is a binary record cut short; an empty string is no JSON text.
  for (const call of [
    () => openRecord(b, a.card, empty),
    () => verifyRecord(a.card, empty),
    () => inspectRecord(empty),
    () => recordToJson(empty),
  ]) {
    expectCode(call, 'TRUNCATED');
  }
  for (const call of [
    () => openRecord(b, a.card, ''),
    () => verifyRecord(a.card, ''),
    () => inspectRecord(''),
    () => recordFromJson(''),
  ]) {
    expectCode(call, 'MALFORMED');
  }
  // An empty body and empty associated data are valid.
  const sealed = sealRecord(a, [b.card], { body: empty, contentType: 't' });
  assert.equal(openRecord(b, a.card, sealed).body.length, 0);
  stillWorks();
});

test('oversized inputs are TOO_LARGE', () => {
  const body = new Uint8Array(17 * 1024 * 1024);
  expectCode(() => sealRecord(a, [b.card], { body, contentType: 't' }), 'TOO_LARGE');
  stillWorks();
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't'.repeat(128) }),
    'TOO_LARGE',
  );
  expectCode(
    () => sealRecord(a, [b.card], { body: '', contentType: 't', recordId: 'r'.repeat(65) }),
    'TOO_LARGE',
  );
  const cards = Array.from({ length: 65 }, (_, i) => {
    const id = Identity.fromSeed(seedOf(i + 10), { name: 'n', role: 'r', created: 0 });
    const card = id.card;
    id.dispose();
    return card;
  });
  expectCode(() => sealRecord(a, cards, { body: '', contentType: 't' }), 'TOO_LARGE');
  expectCode(() => recordFromJson(' '.repeat(33 * 1024 * 1024)), 'TOO_LARGE');
  // Beyond the per-call limit nothing is copied into wasm memory.
  const huge = new Uint8Array(129 * 1024 * 1024);
  expectCode(
    () =>
      aead.xchacha20poly1305Encrypt(
        new Uint8Array(32),
        new Uint8Array(24),
        new Uint8Array(0),
        huge,
      ),
    'TOO_LARGE',
  );
  stillWorks();
});

test('disposed identities and RNGs are DISPOSED', () => {
  const c = Identity.generate({ name: 'Carol', role: 'nurse' });
  const sealed = sealRecord(a, [c.card], { body: 'x', contentType: 't' });
  c.dispose();
  expectCode(() => openRecord(c, a.card, sealed), 'DISPOSED');
  expectCode(() => sealRecord(c, [b.card], { body: 'x', contentType: 't' }), 'DISPOSED');
  expectCode(() => c.exportSeed(), 'DISPOSED');
  // The card is public and still usable by others.
  verifyRecord(a.card, sealed);
  sealRecord(a, [c.card], { body: 'x', contentType: 't' });
  const rng = new DeterministicRng(seedOf(5));
  rng.dispose();
  const e = expectCode(
    () => testing.sealRecord(ta, [b.card], { body: 'x', contentType: 't' }, { rng }),
    'DISPOSED',
  );
  assert.match(e.message, /^DISPOSED: options\.rng was disposed$/);
  stillWorks();
});

test('detached buffers are DETACHED_BUFFER', () => {
  expectCode(
    () => Identity.fromSeed(detached(), { name: 'n', role: 'r', created: 0 }),
    'DETACHED_BUFFER',
  );
  expectCode(() => openRecord(b, a.card, detached(1000)), 'DETACHED_BUFFER');
  expectCode(() => verifyRecord(a.card, detached()), 'DETACHED_BUFFER');
  expectCode(
    () => sealRecord(a, [b.card], { body: detached(), contentType: 't' }),
    'DETACHED_BUFFER',
  );
  expectCode(
    () =>
      aead.xchacha20poly1305Encrypt(
        new Uint8Array(32),
        new Uint8Array(24),
        detached(0),
        new Uint8Array(1),
      ),
    'DETACHED_BUFFER',
  );
  expectCode(() => new DeterministicRng(detached()), 'DETACHED_BUFFER');
  // A zero-length view of a live buffer is not detached.
  const live = new Uint8Array(new ArrayBuffer(0));
  const ct = aead.xchacha20poly1305Encrypt(new Uint8Array(32), new Uint8Array(24), live, live);
  assert.equal(ct.length, 16);
  stillWorks();
});

test('memory growth between calls: results stay valid, later calls work', () => {
  const small = sealRecord(a, [b.card], { body: 'before growth', contentType: 't' });
  const opened = openRecord(b, a.card, small);
  const big = new Uint8Array(12 * 1024 * 1024).fill(0xab);
  const sealedBig = sealRecord(a, [b.card], { body: big, contentType: 'application/octet-stream' });
  const json = recordToJson(sealedBig); // ~16 MiB of text
  const openedBig = openRecord(b, a.card, json);
  assert.equal(openedBig.body.length, big.length);
  assert.ok(openedBig.body.every((x) => x === 0xab));
  assert.equal(new TextDecoder().decode(opened.body), 'before growth');
  assert.equal(new TextDecoder().decode(openRecord(b, a.card, small).body), 'before growth');
  const key = seedOf(3);
  const nonce = new Uint8Array(24);
  const ct = aead.xchacha20poly1305Encrypt(
    key,
    nonce,
    new Uint8Array(0),
    new Uint8Array(40 * 1024 * 1024),
  );
  assert.equal(
    aead.xchacha20poly1305Decrypt(key, nonce, new Uint8Array(0), ct).length,
    40 * 1024 * 1024,
  );
  stillWorks();
});

test('many errors in a row do not exhaust anything', () => {
  for (let i = 0; i < 5000; i++) {
    expectCode(() => parseCard('{'), 'MALFORMED');
    expectCode(
      () =>
        aead.xchacha20poly1305Decrypt(
          seedOf(1),
          new Uint8Array(24),
          new Uint8Array(0),
          new Uint8Array(32),
        ),
      'DECRYPT_FAILED',
    );
  }
  stillWorks();
});

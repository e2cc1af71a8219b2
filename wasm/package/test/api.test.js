// SPDX-License-Identifier: Apache-2.0
// Round trips through the public API; the known-answer helpers through
// medseal/testing.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  alice,
  bob,
  expectCode,
  medseal,
  seedOf,
  testing,
  toHex,
} from '../test-support/helpers.js';

const {
  Identity,
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

const NOW = 1717171717171;

test('Identity.fromSeed is deterministic; exportSeed returns the seed', () => {
  const a1 = alice();
  const a2 = alice();
  assert.equal(a1.card, a2.card);
  assert.equal(a1.keyId, a2.keyId);
  assert.match(a1.keyId, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(a1.exportSeed(), seedOf(1));
  const card = JSON.parse(a1.card);
  assert.equal(card.name, 'Alice Example');
  assert.equal(card.role, 'doctor');
  assert.equal(card.created, 1700000000000);
  assert.equal(card.kid, a1.keyId);
  a1.dispose();
  a2.dispose();
});

test('Identity.generate gives fresh keys and uses now', () => {
  const g1 = Identity.generate({ name: 'Gen', role: 'nurse', now: NOW });
  const g2 = Identity.generate({ name: 'Gen', role: 'nurse' });
  assert.notEqual(g1.keyId, g2.keyId);
  assert.notDeepEqual(g1.exportSeed(), g2.exportSeed());
  assert.equal(JSON.parse(g1.card).created, NOW);
  const before = Date.now();
  assert.ok(Math.abs(JSON.parse(g2.card).created - before) < 60000);
  const again = Identity.fromSeed(g1.exportSeed(), { name: 'Gen', role: 'nurse', created: NOW });
  assert.equal(again.card, g1.card);
  for (const id of [g1, g2, again]) id.dispose();
});

test('parseCard returns the verified fields', () => {
  const a = alice();
  const c = parseCard(a.card);
  assert.equal(c.keyId, a.keyId);
  assert.equal(c.name, 'Alice Example');
  assert.equal(c.role, 'doctor');
  assert.equal(c.created, 1700000000000);
  assert.equal(c.signPublicKey.length, 32);
  assert.equal(c.kxPublicKey.length, 32);
  const json = JSON.parse(a.card);
  assert.equal(Buffer.from(c.signPublicKey).toString('base64url'), json.sign);
  assert.equal(Buffer.from(c.kxPublicKey).toString('base64url'), json.kx);
  a.dispose();
});

test('seal and open, binary and JSON, string and byte bodies', () => {
  const a = alice();
  const b = bob();
  const bytes = new Uint8Array([0, 1, 2, 255, 254]);
  for (const encoding of ['binary', 'json']) {
    for (const body of [bytes, 'héllo wörld ✓', new Uint8Array(0)]) {
      const sealed = sealRecord(
        a,
        [b.card],
        {
          body,
          contentType: 'application/fhir+json',
          recordId: 'obs-1',
          resourceType: 'Observation',
        },
        { encoding, now: NOW },
      );
      assert.equal(typeof sealed, encoding === 'json' ? 'string' : 'object');
      const opened = openRecord(b, a.card, sealed);
      const expected = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      assert.deepEqual(opened, {
        body: expected,
        contentType: 'application/fhir+json',
        recordId: 'obs-1',
        resourceType: 'Observation',
        created: NOW,
      });
      verifyRecord(a.card, sealed);
    }
  }
  a.dispose();
  b.dispose();
});

test('optional payload fields default to empty; default encoding is binary', () => {
  const a = alice();
  const b = bob();
  const sealed = sealRecord(a, [b.card], { body: 'x', contentType: 'text/plain' });
  assert.ok(sealed instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(sealed.subarray(0, 4)), 'msrc');
  const opened = openRecord(b, a.card, sealed);
  assert.equal(opened.recordId, '');
  assert.equal(opened.resourceType, '');
  assert.ok(Math.abs(opened.created - Date.now()) < 60000);
  a.dispose();
  b.dispose();
});

test('several recipients each open; others cannot', () => {
  const a = alice();
  const b = bob();
  const c = Identity.generate({ name: 'Carol', role: 'nurse' });
  const d = Identity.generate({ name: 'Dave', role: 'nurse' });
  const sealed = sealRecord(a, [b.card, c.card, a.card], {
    body: 'shared',
    contentType: 'text/plain',
  });
  for (const r of [a, b, c])
    assert.equal(new TextDecoder().decode(openRecord(r, a.card, sealed).body), 'shared');
  expectCode(() => openRecord(d, a.card, sealed), 'NO_MATCHING_RECIPIENT');
  expectCode(() => openRecord(b, c.card, sealed), 'SENDER_MISMATCH');
  expectCode(() => verifyRecord(b.card, sealed), 'SENDER_MISMATCH');
  const info = inspectRecord(sealed);
  assert.equal(info.senderKeyId, a.keyId);
  assert.deepEqual([...info.recipientKeyIds].sort(), [a.keyId, b.keyId, c.keyId].sort());
  assert.ok(info.ciphertextBytes >= 256 + 16);
  assert.deepEqual(inspectRecord(recordToJson(sealed)), info);
  for (const id of [a, b, c, d]) id.dispose();
});

test('recordToJson / recordFromJson are lossless; the type picks the encoding', () => {
  const a = alice();
  const b = bob();
  const sealed = sealRecord(a, [b.card], { body: 'json', contentType: 'text/plain' });
  const json = recordToJson(sealed);
  assert.equal(JSON.parse(json).type, 'medseal.record');
  assert.deepEqual(recordFromJson(json), sealed);
  assert.equal(openRecord(b, a.card, json).contentType, 'text/plain');
  // Bytes are the binary encoding, a string is JSON: no guessing.
  expectCode(() => openRecord(b, a.card, new TextEncoder().encode(json)), 'MALFORMED');
  expectCode(() => openRecord(b, a.card, new TextDecoder('latin1').decode(sealed)), 'MALFORMED');
  a.dispose();
  b.dispose();
});

test('tampering is detected', () => {
  const a = alice();
  const b = bob();
  const sealed = sealRecord(a, [b.card], { body: 'secret', contentType: 'text/plain' });
  const flipped = sealed.slice();
  flipped[sealed.length - 100] ^= 1; // inside the ciphertext
  expectCode(() => openRecord(b, a.card, flipped), 'SIGNATURE_INVALID');
  expectCode(() => verifyRecord(a.card, flipped), 'SIGNATURE_INVALID');
  a.dispose();
  b.dispose();
});

test('DeterministicRng reproduces seals byte for byte (medseal/testing)', () => {
  const a = alice(testing);
  const b = bob(testing);
  const seal = (encoding) => {
    const rng = new DeterministicRng(seedOf(9));
    try {
      return testing.sealRecord(
        a,
        [b.card],
        { body: 'kat', contentType: 'text/plain', recordId: 'r' },
        { rng, now: NOW, encoding },
      );
    } finally {
      rng.dispose();
    }
  };
  assert.deepEqual(seal('binary'), seal('binary'));
  assert.equal(seal('json'), seal('json'));
  assert.equal(seal('json'), testing.recordToJson(seal('binary')));
  // Without an rng the testing instance seals with the platform CSPRNG.
  const fresh = () =>
    testing.sealRecord(a, [b.card], { body: 'kat', contentType: 'text/plain' }, { now: NOW });
  assert.notDeepEqual(fresh(), fresh());
  // The production module opens what the testing one sealed (same format).
  const pb = bob();
  assert.equal(new TextDecoder().decode(openRecord(pb, a.card, seal('binary')).body), 'kat');
  pb.dispose();
  a.dispose();
  b.dispose();
});

test('DeterministicRng.fill follows the ChaCha20 definition', async () => {
  const { createCipheriv } = await import('node:crypto');
  const seed = seedOf(7);
  const rng = new DeterministicRng(seed);
  for (let call = 0; call < 3; call++) {
    const n = [0, 100, 70000][call];
    const got = rng.fill(n);
    // ChaCha20 (RFC 8439), key = seed, nonce = call index as 12 LE bytes, counter 0.
    const iv = Buffer.alloc(16); // node: 4-byte LE counter || 12-byte nonce
    iv.writeUInt32LE(call, 4);
    const want = createCipheriv('chacha20', seed, iv).update(Buffer.alloc(n));
    assert.equal(toHex(got), want.toString('hex'), `call ${call}`);
  }
  rng.dispose();
});

test('raw XChaCha20-Poly1305', () => {
  const key = seedOf(3);
  const nonce = new Uint8Array(24).fill(4);
  const aad = new TextEncoder().encode('header');
  for (const size of [0, 1, 1024, 100000]) {
    const pt = new Uint8Array(size).map((_, i) => i & 0xff);
    const ct = aead.xchacha20poly1305Encrypt(key, nonce, aad, pt);
    assert.equal(ct.length, size + 16);
    assert.deepEqual(aead.xchacha20poly1305Decrypt(key, nonce, aad, ct), pt);
    const bad = ct.slice();
    bad[0] ^= 1;
    expectCode(() => aead.xchacha20poly1305Decrypt(key, nonce, aad, bad), 'DECRYPT_FAILED');
    expectCode(
      () => aead.xchacha20poly1305Decrypt(key, nonce, new Uint8Array(0), ct),
      'DECRYPT_FAILED',
    );
  }
  expectCode(
    () => aead.xchacha20poly1305Decrypt(key, nonce, aad, new Uint8Array(15)),
    'DECRYPT_FAILED',
  );
});

test('raw XChaCha20-Poly1305 matches the draft-irtf-cfrg-xchacha test vector (A.3.1)', () => {
  const h = (s) => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));
  const pt = new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const aad = h('50515253c0c1c2c3c4c5c6c7');
  const key = h('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = h('404142434445464748494a4b4c4d4e4f5051525354555657');
  const ct = aead.xchacha20poly1305Encrypt(key, nonce, aad, pt);
  assert.equal(toHex(ct.subarray(0, 16)), 'bd6d179d3e83d43b9576579493c0e939');
  assert.equal(toHex(ct.subarray(ct.length - 16)), 'c0875924c1c7987947deafd8780acf49');
});

test('dispose is idempotent; Symbol.dispose; card and keyId stay readable', () => {
  const a = alice();
  const keyId = a.keyId;
  assert.equal(a.disposed, false);
  a.dispose();
  a.dispose();
  assert.equal(a.disposed, true);
  assert.equal(a.keyId, keyId);
  expectCode(() => a.exportSeed(), 'DISPOSED');
  const b = bob();
  assert.equal(typeof Symbol.dispose, 'symbol');
  b[Symbol.dispose]();
  assert.equal(b.disposed, true);
  const rng = new DeterministicRng(seedOf(1));
  rng[Symbol.dispose]();
  assert.equal(rng.disposed, true);
  expectCode(() => rng.fill(1), 'DISPOSED');
});

test('key ids are the base64url of the 16 bytes the card names', () => {
  const a = alice();
  const b = bob();
  assert.equal(Buffer.from(a.keyId, 'base64url').length, 16);
  assert.equal(a.keyId, JSON.parse(a.card).kid);
  const info = inspectRecord(sealRecord(a, [b.card, a.card], { body: 'x', contentType: 't' }));
  assert.equal(info.senderKeyId, a.keyId);
  // In the record's order: sorted by key id bytes.
  const sorted = [a.keyId, b.keyId].sort((x, y) =>
    Buffer.compare(Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')),
  );
  assert.deepEqual(info.recipientKeyIds, sorted);
  a.dispose();
  b.dispose();
});

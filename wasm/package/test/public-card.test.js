// SPDX-License-Identifier: Apache-2.0
// PublicCard: a card parsed and verified once, used by handle in seal, open
// and verify; card JSON strings keep working everywhere.
import assert from 'node:assert/strict';
import test from 'node:test';

import { alice, bob, expectCode, medseal, testing } from '../test-support/helpers.js';

const { Identity, PublicCard, sealRecord, openRecord, verifyRecord, parseCard } = medseal;

await medseal.init();
await testing.init();

const NOW = 1717171717171;

test('PublicCard.parse exposes the verified fields, read-only', () => {
  const a = alice();
  const card = PublicCard.parse(a.card);
  assert.ok(card instanceof PublicCard);
  assert.equal(card.keyId, a.keyId);
  assert.equal(card.name, 'Alice Example');
  assert.equal(card.role, 'doctor');
  assert.equal(card.created, 1700000000000);
  assert.equal(card.json, a.card);
  const json = JSON.parse(a.card);
  assert.equal(Buffer.from(card.signPublicKey).toString('base64url'), json.sign);
  assert.equal(Buffer.from(card.kxPublicKey).toString('base64url'), json.kx);
  assert.deepEqual(parseCard(a.card), {
    keyId: card.keyId,
    name: card.name,
    role: card.role,
    created: card.created,
    signPublicKey: card.signPublicKey,
    kxPublicKey: card.kxPublicKey,
    version: 1,
    postQuantum: false,
    xwingPublicKey: null,
    keyTypes: [],
  });
  // Keys are copies: changing one does not change the card.
  card.kxPublicKey.fill(0);
  assert.equal(Buffer.from(card.kxPublicKey).toString('base64url'), json.kx);
  for (const prop of ['keyId', 'name', 'role', 'created', 'json', 'signPublicKey', 'kxPublicKey']) {
    assert.throws(
      () => {
        'use strict';
        card[prop] = 'x';
      },
      TypeError,
      prop,
    );
  }
  assert.equal(card.disposed, false);
  card.dispose();
  a.dispose();
});

test('json is the card as medseal writes it (member order and spaces do not matter)', () => {
  const a = alice();
  const reordered = JSON.stringify(
    Object.fromEntries(Object.entries(JSON.parse(a.card)).reverse()),
    null,
    2,
  );
  const card = PublicCard.parse(reordered);
  assert.equal(card.json, a.card);
  assert.equal(card.keyId, a.keyId);
  card.dispose();
  a.dispose();
});

test('seal, open and verify with PublicCards, strings and a mix', () => {
  const a = alice();
  const b = bob();
  const c = Identity.generate({ name: 'Carol', role: 'nurse' });
  const aCard = PublicCard.parse(a.card);
  const bCard = PublicCard.parse(b.card);
  for (const encoding of ['binary', 'json']) {
    const sealed = sealRecord(
      a,
      [bCard, c.card],
      { body: 'by handle', contentType: 'text/plain' },
      { encoding, now: NOW },
    );
    for (const [who, sender] of [
      [b, aCard],
      [c, a.card],
      [b, a.card],
      [c, aCard],
    ]) {
      const opened = openRecord(who, sender, sealed);
      assert.equal(new TextDecoder().decode(opened.body), 'by handle');
      assert.equal(opened.created, NOW);
    }
    verifyRecord(aCard, sealed);
    verifyRecord(a.card, sealed);
    expectCode(() => verifyRecord(bCard, sealed), 'SENDER_MISMATCH');
    expectCode(() => openRecord(b, bCard, sealed), 'SENDER_MISMATCH');
  }
  // The same card twice is the core's DUPLICATE_RECIPIENT, whatever its form.
  expectCode(
    () => sealRecord(a, [bCard, b.card], { body: 'x', contentType: 'text/plain' }),
    'DUPLICATE_RECIPIENT',
  );
  // A card can be used many times (the point of parsing it once).
  for (let i = 0; i < 20; i++) {
    const sealed = sealRecord(a, [bCard], { body: `n${i}`, contentType: 'text/plain' });
    assert.equal(new TextDecoder().decode(openRecord(b, aCard, sealed).body), `n${i}`);
  }
  for (const x of [a, b, c, aCard, bCard]) x.dispose();
});

test('bad card JSON: the core codes, from parse and from card strings in every call', () => {
  const a = alice();
  const b = bob();
  const sealed = sealRecord(a, [b.card], { body: 'x', contentType: 'text/plain' });
  const json = JSON.parse(a.card);
  const forged = JSON.stringify({ ...json, name: 'Mallory' });
  const wrongKid = JSON.stringify({ ...json, kid: JSON.parse(b.card).kid });
  const cases = [
    ['{', 'MALFORMED'],
    ['[]', 'MALFORMED'],
    ['', 'MALFORMED'],
    ['{"type":"medseal.card","v":3}', 'UNSUPPORTED_VERSION'],
    ['{"type":"medseal.card","v":2}', 'MALFORMED'],
    [forged, 'SIGNATURE_INVALID'],
    [wrongKid, 'KEY_ID_MISMATCH'],
    [' '.repeat(5000), 'TOO_LARGE'],
  ];
  for (const [text, code] of cases) {
    expectCode(() => PublicCard.parse(text), code);
    expectCode(() => parseCard(text), code);
    const e = expectCode(
      () => sealRecord(a, [b.card, text], { body: 'x', contentType: 'text/plain' }),
      code,
    );
    assert.match(e.message, new RegExp(`^${code}: recipients\\[1\\]: `));
    expectCode(() => openRecord(b, text, sealed), code);
    expectCode(() => verifyRecord(text, sealed), code);
  }
  for (const x of [undefined, null, 42, {}, new Uint8Array(3), a, ['{}']]) {
    expectCode(() => PublicCard.parse(x), 'INVALID_ARGUMENT');
    expectCode(
      () => sealRecord(a, [x], { body: 'x', contentType: 'text/plain' }),
      'INVALID_ARGUMENT',
    );
    expectCode(() => openRecord(b, x, sealed), 'INVALID_ARGUMENT');
    expectCode(() => verifyRecord(x, sealed), 'INVALID_ARGUMENT');
  }
  expectCode(() => PublicCard.parse('\uD800'), 'INVALID_ARGUMENT');
  assert.throws(() => new PublicCard(), /PublicCard\.parse/);
  assert.throws(() => new PublicCard(Symbol('PublicCard'), null, 1), /PublicCard\.parse/);
  // The module keeps working.
  assert.equal(new TextDecoder().decode(openRecord(b, a.card, sealed).body), 'x');
  a.dispose();
  b.dispose();
});

test('a disposed PublicCard is DISPOSED everywhere; its fields stay readable', () => {
  const a = alice();
  const b = bob();
  const aCard = PublicCard.parse(a.card);
  const bCard = PublicCard.parse(b.card);
  const sealed = sealRecord(a, [bCard], { body: 'x', contentType: 'text/plain' });
  bCard.dispose();
  bCard.dispose(); // idempotent
  assert.equal(bCard.disposed, true);
  assert.equal(bCard.keyId, b.keyId);
  assert.equal(bCard.json, b.card);
  expectCode(() => sealRecord(a, [bCard], { body: 'x', contentType: 'text/plain' }), 'DISPOSED');
  expectCode(
    () => sealRecord(a, [b.card, bCard], { body: 'x', contentType: 'text/plain' }),
    'DISPOSED',
  );
  aCard[Symbol.dispose]();
  assert.equal(aCard.disposed, true);
  expectCode(() => openRecord(b, aCard, sealed), 'DISPOSED');
  expectCode(() => verifyRecord(aCard, sealed), 'DISPOSED');
  // A disposed recipient identity still wins over a card error (checked first).
  const gone = bob();
  gone.dispose();
  expectCode(() => openRecord(gone, '{', sealed), 'DISPOSED');
  // The module keeps working, with strings and with a new PublicCard.
  const again = PublicCard.parse(a.card);
  assert.equal(new TextDecoder().decode(openRecord(b, again, sealed).body), 'x');
  again.dispose();
  assert.equal(new TextDecoder().decode(openRecord(b, a.card, sealed).body), 'x');
  a.dispose();
  b.dispose();
});

test('temporary cards from strings are freed: the live handle counts come back', () => {
  // The testing instance counts the objects in its handle tables.
  const t = testing;
  const a = alice(t);
  const b = bob(t);
  const bCard = t.PublicCard.parse(b.card);
  const sealed = t.sealRecord(a, [b.card], { body: 'loop', contentType: 'text/plain' });
  const before = t.liveHandles();
  for (let i = 0; i < 50; i++) {
    t.verifyRecord(a.card, sealed);
    assert.equal(new TextDecoder().decode(t.openRecord(b, a.card, sealed).body), 'loop');
    t.sealRecord(a, [bCard, a.card], { body: 'x', contentType: 'text/plain' });
    t.sealRecord(a, [b.card, a.card], { body: 'x', contentType: 'text/plain' });
    // Failures after some cards were parsed: the parsed ones are freed too.
    expectCode(
      () => t.sealRecord(a, [b.card, a.card, '{'], { body: 'x', contentType: 'text/plain' }),
      'MALFORMED',
    );
    expectCode(
      () => t.sealRecord(a, [b.card, a.card], { body: 'x', contentType: '' }),
      'INVALID_ARGUMENT',
    );
    expectCode(() => t.openRecord(b, b.card, sealed), 'SENDER_MISMATCH');
  }
  assert.deepEqual(t.liveHandles(), before);
  // And they were live while in use: a parsed card counts until disposed.
  const extra = t.PublicCard.parse(a.card);
  assert.equal(t.liveHandles().cards, before.cards + 1);
  extra.dispose();
  assert.deepEqual(t.liveHandles(), before);
  // The raw AEAD works alongside (it shares the scratch region).
  const ct = t.aead.xchacha20poly1305Encrypt(
    new Uint8Array(32),
    new Uint8Array(24),
    new Uint8Array(0),
    new Uint8Array(5),
  );
  assert.equal(ct.length, 21);
  for (const x of [a, b, bCard]) x.dispose();
});

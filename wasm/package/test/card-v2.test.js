// SPDX-License-Identifier: Apache-2.0
// Post-quantum identities and version 2 cards (docs/spec/record.md §3, §6):
// the postQuantum option, card.version / postQuantum / xwingPublicKey /
// keyTypes, and the same answers as identity/card_v2.json (the file the
// native suite reads; vectors.test.js runs every case of it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, seedOf } from '../test-support/helpers.js';

const { Identity, PublicCard, parseCard } = medseal;

await medseal.init();

const CREATED = 1700000000000;
const vectors = JSON.parse(
  readFileSync(path.join(repoRoot, 'native-tests', 'vectors', 'identity', 'card_v2.json'), 'utf8'),
);

test('a post-quantum identity has a version 2 card with an X-Wing key', () => {
  const pq = Identity.fromSeed(seedOf(1), {
    name: 'Patient P',
    role: 'patient',
    created: CREATED,
    postQuantum: true,
  });
  const classic = Identity.fromSeed(seedOf(1), {
    name: 'Patient P',
    role: 'patient',
    created: CREATED,
  });
  // The vector file's patient: the same seed, name, role and time.
  assert.equal(pq.card, vectors.identities.patient.card);
  assert.equal(
    Buffer.from(pq.keyId, 'base64url').toString('hex'),
    vectors.identities.patient.keyId,
  );
  const card = PublicCard.parse(pq.card);
  assert.equal(card.version, 2);
  assert.equal(card.postQuantum, true);
  assert.deepEqual(card.keyTypes, [3]);
  const json = JSON.parse(pq.card);
  assert.equal(json.v, 2);
  assert.equal(json.keys.length, 1);
  assert.equal(Buffer.from(card.xwingPublicKey).toString('base64url'), json.keys[0].key);
  assert.equal(card.xwingPublicKey.length, 1216);
  // Copies: changing one does not change the card.
  card.xwingPublicKey.fill(0);
  card.keyTypes.push(9);
  assert.equal(Buffer.from(card.xwingPublicKey).toString('base64url'), json.keys[0].key);
  assert.deepEqual(card.keyTypes, [3]);
  for (const prop of ['version', 'postQuantum', 'xwingPublicKey', 'keyTypes']) {
    assert.throws(
      () => {
        'use strict';
        card[prop] = 'x';
      },
      TypeError,
      prop,
    );
  }
  // Same signing and key-agreement keys as the classic identity of the
  // seed, another key id (it covers the X-Wing key too).
  const c1 = PublicCard.parse(classic.card);
  assert.equal(c1.version, 1);
  assert.equal(c1.postQuantum, false);
  assert.equal(c1.xwingPublicKey, null);
  assert.deepEqual(c1.keyTypes, []);
  assert.deepEqual(card.signPublicKey, c1.signPublicKey);
  assert.deepEqual(card.kxPublicKey, c1.kxPublicKey);
  assert.notEqual(card.keyId, c1.keyId);
  const parsed = parseCard(pq.card);
  assert.equal(parsed.version, 2);
  assert.equal(parsed.postQuantum, true);
  assert.deepEqual(parsed.keyTypes, [3]);
  assert.deepEqual(parsed.xwingPublicKey, card.xwingPublicKey);
  for (const x of [card, c1, pq, classic]) x.dispose();
});

test('every identity of card_v2.json rebuilds from its seed', () => {
  const entries = Object.entries(vectors.identities);
  assert.ok(entries.length >= 5);
  for (const [key, e] of entries) {
    assert.equal(e.cardKeys, 'postQuantum', key);
    const id = Identity.fromSeed(fromHex(e.seed), {
      name: e.name,
      role: e.role,
      created: e.created,
      postQuantum: true,
    });
    assert.equal(id.card, e.card, key);
    assert.equal(Buffer.from(id.keyId, 'base64url').toString('hex'), e.keyId, key);
    // The seed exported is the identity seed (the X-Wing seed derives from it).
    assert.equal(Buffer.from(id.exportSeed()).toString('hex'), e.seed, key);
    id.dispose();
  }
});

test('Identity.generate with postQuantum, and the seed round trip', () => {
  const g = Identity.generate({ name: 'Gen', role: 'nurse', now: CREATED, postQuantum: true });
  const card = PublicCard.parse(g.card);
  assert.equal(card.version, 2);
  assert.equal(card.postQuantum, true);
  assert.equal(card.created, CREATED);
  const again = Identity.fromSeed(g.exportSeed(), {
    name: 'Gen',
    role: 'nurse',
    created: CREATED,
    postQuantum: true,
  });
  assert.equal(again.card, g.card);
  const classic = Identity.generate({ name: 'Gen', role: 'nurse', postQuantum: false });
  assert.equal(PublicCard.parse(classic.card).version, 1);
  for (const x of [g, again, classic, card]) x.dispose();
});

test('postQuantum must be a boolean', () => {
  for (const bad of [1, 0, 'yes', null, {}]) {
    expectCode(
      () =>
        Identity.fromSeed(seedOf(1), { name: 'A', role: 'patient', created: 0, postQuantum: bad }),
      'INVALID_ARGUMENT',
    );
    expectCode(
      () => Identity.generate({ name: 'A', role: 'patient', postQuantum: bad }),
      'INVALID_ARGUMENT',
    );
  }
});

test('version 2 cards that break a rule throw the rule code', () => {
  const byRule = new Map();
  for (const c of vectors.tests) if (c.result === 'invalid') byRule.set(c.rule, c);
  for (const rule of ['E3', 'E11', 'E12', 'E13', 'E14', 'E16', 'E17']) {
    const c = byRule.get(rule);
    assert.ok(c, `a vector for ${rule}`);
    expectCode(() => PublicCard.parse(c.card), c.error);
  }
});

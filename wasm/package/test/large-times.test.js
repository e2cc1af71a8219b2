// Times beyond 2^53 - 1 ms: the format allows a card's `created` and a
// record's sealing time up to 2^63 - 1 (docs/spec/record.md §2.2, §4.3),
// which no JS number holds exactly. The API refuses to round one:
// TOO_LARGE where it would return it, and such a card stays usable for
// sealing. Neither can be made through this API (the times it takes must be
// safe integers), so the independent implementation of the spec
// (native-tests/interop) signs them.
import assert from 'node:assert/strict';
import test from 'node:test';

import * as spec from '../../../native-tests/interop/spec_impl.mjs';
import { bob, expectCode, medseal, seedOf } from '../test-support/helpers.js';

await medseal.init();
await spec.ready;

const PLACEHOLDER = '"medseal-test-created"';

// An identity of the spec implementation, and its signed card with
// `created` as this exact decimal text.
function identityCreatedAt(byte, decimal) {
  // u64() reads the exact BigInt through valueOf; JSON.stringify, which
  // cannot write a BigInt, gets a placeholder for the digits.
  const created = { valueOf: () => BigInt(decimal), toJSON: () => JSON.parse(PLACEHOLDER) };
  const id = spec.identityFromSeed(seedOf(byte), 'Late', 'clinician', created);
  return { id, json: spec.cardJson(id).replace(PLACEHOLDER, decimal) };
}

test('a card created beyond 2^53 - 1 ms: TOO_LARGE where created is read, and usable for sealing', () => {
  const b = bob();
  for (const decimal of ['9007199254740992', '9007199254740993', '9223372036854775807']) {
    const { json } = identityCreatedAt(9, decimal);
    assert.match(json, new RegExp(`"created":${decimal},`));
    const card = medseal.PublicCard.parse(json);
    const e = expectCode(() => card.created, 'TOO_LARGE');
    assert.equal(e.message, 'TOO_LARGE: card.created is beyond 2^53 - 1 ms, which no JS number holds exactly');
    expectCode(() => medseal.parseCard(json), 'TOO_LARGE');
    // Everything else works: it is a valid card.
    assert.equal(card.name, 'Late');
    for (const recipient of [card, json]) {
      const sealed = medseal.sealRecord(b, [recipient, b.card], { body: 'to the late card', contentType: 't' });
      assert.equal(medseal.inspectRecord(sealed).recipientKeyIds.length, 2);
    }
    card.dispose();
  }
  b.dispose();
});

test('a record sealed beyond 2^53 - 1 ms: openRecord is TOO_LARGE, verifyRecord passes', () => {
  const { id: sender, json: senderCard } = identityCreatedAt(9, '1700000000000');
  const b = bob();
  const recipient = JSON.parse(b.card);
  const to = { kid: spec.unb64u(recipient.kid), kxPk: spec.unb64u(recipient.kx) };
  const body = new TextEncoder().encode('sealed in the far future');
  const payload = { contentType: 't', recordId: '', resourceType: '', body };
  const late = spec.encodeBinary(spec.seal(sender, [to], payload, new spec.ChaChaRng(seedOf(5)), 2n ** 60n));
  medseal.verifyRecord(senderCard, late);
  const e = expectCode(() => medseal.openRecord(b, senderCard, late), 'TOO_LARGE');
  assert.match(e.message, /created is beyond 2\^53 - 1 ms/);
  // The same record at a time JS holds opens, with that time.
  const onTime = spec.encodeBinary(spec.seal(sender, [to], payload, new spec.ChaChaRng(seedOf(5)), 9007199254740991n));
  const opened = medseal.openRecord(b, senderCard, onTime);
  assert.equal(opened.created, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(opened.body, body);
  b.dispose();
});

test('2^53 - 1 ms is the largest card time returned, exactly', () => {
  const { json } = identityCreatedAt(9, '9007199254740991');
  const card = medseal.PublicCard.parse(json);
  assert.equal(card.created, Number.MAX_SAFE_INTEGER);
  assert.equal(medseal.parseCard(json).created, Number.MAX_SAFE_INTEGER);
  card.dispose();
});

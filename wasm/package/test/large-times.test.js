// SPDX-License-Identifier: Apache-2.0
// Times at the edge of what JS holds: a card's `created` and a record's
// sealing time are 0 .. 2^53 - 1 ms (docs/spec/record.md, rules C21 and P5
// and the sealing checks), so every time the API returns is an exact JS
// number. Later times cannot be made through this API (the times it takes
// must be safe integers), so the independent implementation of the spec
// (native-tests/interop) signs them: the package must refuse them with the
// core's code, not round them.
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

test('2^53 - 1 ms is the largest card time, returned exactly', () => {
  const { json } = identityCreatedAt(9, '9007199254740991');
  const card = medseal.PublicCard.parse(json);
  assert.equal(card.created, Number.MAX_SAFE_INTEGER);
  assert.equal(medseal.parseCard(json).created, Number.MAX_SAFE_INTEGER);
  card.dispose();
});

test('a card created beyond 2^53 - 1 ms is MALFORMED everywhere a card is taken', () => {
  const b = bob();
  const sealed = medseal.sealRecord(b, [b.card], { body: 'x', contentType: 't' });
  for (const decimal of ['9007199254740992', '9007199254740993', '9223372036854775807']) {
    const { json } = identityCreatedAt(9, decimal);
    assert.match(json, new RegExp(`"created":${decimal},`));
    expectCode(() => medseal.PublicCard.parse(json), 'MALFORMED');
    expectCode(() => medseal.parseCard(json), 'MALFORMED');
    expectCode(() => medseal.sealRecord(b, [json], { body: 'x', contentType: 't' }), 'MALFORMED');
    expectCode(() => medseal.verifyRecord(json, sealed), 'MALFORMED');
  }
  b.dispose();
});

// A record sealed later than 2^53 - 1 ms is the record vector for rule P5
// (MALFORMED), which test/vectors.test.js runs through this package.
test('a record sealed at 2^53 - 1 ms opens with that time, exactly', () => {
  const { id: sender, json: senderCard } = identityCreatedAt(9, '1700000000000');
  const b = bob();
  const recipient = JSON.parse(b.card);
  const to = { kid: spec.unb64u(recipient.kid), kxPk: spec.unb64u(recipient.kx) };
  const body = new TextEncoder().encode('sealed in the far future');
  const payload = { contentType: 't', recordId: '', resourceType: '', body };
  const sealAt = (now) =>
    spec.encodeBinary(spec.seal(sender, [to], payload, new spec.ChaChaRng(seedOf(5)), now));
  const opened = medseal.openRecord(b, senderCard, sealAt(Number.MAX_SAFE_INTEGER));
  assert.equal(opened.created, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(opened.body, body);
  b.dispose();
});

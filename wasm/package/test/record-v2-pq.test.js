// SPDX-License-Identifier: Apache-2.0
// Post-quantum records through the package (docs/spec/record.md §5.3-§5.6):
// the shared vectors of native-tests/vectors/record/record_v2_pq.json (the
// same file the native suite and the independent implementation read):
// every case opens or fails with its code, inspectRecord reports the
// header and which recipients are post-quantum, and the seal known answers
// (X-Wing encapsulations included) are reproduced through
// 'medseal/testing'. Then the API itself: a card with an X-Wing key gets
// only an X-Wing stanza, and inspection says what is post-quantum.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import {
  alice,
  expectCode,
  fromHex,
  medseal,
  repoRoot,
  testing,
  toHex,
} from '../test-support/helpers.js';

await medseal.init();
await testing.init();

const FILE = path.join(repoRoot, 'native-tests', 'vectors', 'record', 'record_v2_pq.json');
// Throws (fails the suite) when the file is missing.
const data = JSON.parse(readFileSync(FILE, 'utf8'));
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const TREAT = { system: ACT, code: 'TREAT' };
const b64uToHex = (s) => Buffer.from(s, 'base64url').toString('hex');

function identitiesOf(lib) {
  const byName = new Map();
  for (const [key, e] of Object.entries(data.identities)) {
    const id = lib.Identity.fromSeed(fromHex(e.seed), {
      name: e.name,
      role: e.role,
      created: e.created,
      postQuantum: e.cardKeys === 'postQuantum',
    });
    assert.equal(id.card, e.card, `card of ${key}`);
    assert.equal(b64uToHex(id.keyId), e.keyId, `key id of ${key}`);
    byName.set(key, id);
  }
  assert.ok(byName.size >= 4);
  return byName;
}

function vaultsOf(lib) {
  const byName = new Map();
  for (const [key, e] of Object.entries(data.vaultKeys)) {
    byName.set(key, lib.VaultKey.fromBytes(fromHex(e.keyId), fromHex(e.key)));
  }
  return byName;
}

const disposeAll = (m) => {
  for (const x of m.values()) x.dispose();
};

function codeOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof medseal.MedsealError, `expected a MedsealError, got ${e}`);
    return e.code;
  }
  assert.fail('expected an error');
}

const payloadInput = (p) => ({
  body: fromHex(p.body),
  contentType: p.contentType,
  recordId: p.recordId,
  resourceType: p.resourceType,
});

test('record_v2_pq.json: every case through the package', async (t) => {
  assert.equal(data.tests.length, data.numberOfTests);
  const ids = identitiesOf(medseal);
  const vaults = vaultsOf(medseal);
  let valid = 0;
  let invalid = 0;
  try {
    for (const c of data.tests) {
      await t.test(`tcId ${c.tcId}: ${c.comment}`, () => {
        const input = c.encoding === 'binary' ? fromHex(c.input) : c.input;
        const sender = ids.get(c.sender);
        const run = () => {
          medseal.verifyRecord(sender.card, input);
          if (c.opener.vaultKey !== undefined) {
            return medseal.openRecordWithVaultKey(
              vaults.get(c.opener.vaultKey),
              sender.card,
              input,
              {
                purpose: c.purpose,
              },
            );
          }
          return medseal.openRecord(ids.get(c.opener.identity), sender.card, input, {
            purpose: c.purpose,
          });
        };
        if (c.result === 'invalid') {
          assert.equal(codeOf(run), c.error);
          invalid++;
          return;
        }
        const opened = run();
        assert.equal(toHex(opened.body), c.payload.body);
        assert.equal(opened.contentType, c.payload.contentType);
        assert.equal(opened.created, c.payload.created);
        const info = medseal.inspectRecord(input);
        assert.deepEqual(
          {
            version: info.version,
            postQuantum: info.postQuantum,
            purposes: info.purposes,
            consentHashes: info.consentHashes.map(toHex),
            stanzas: info.recipients.map((r) => ({
              type: r.type,
              keyId: b64uToHex(r.keyId),
              postQuantum: r.postQuantum,
            })),
          },
          c.header,
        );
        valid++;
      });
    }
  } finally {
    disposeAll(ids);
    disposeAll(vaults);
  }
  assert.ok(valid >= 10 && invalid >= 20, `${valid} valid, ${invalid} invalid`);
});

test('record_v2_pq.json: seal known answers (medseal/testing)', async (t) => {
  // Cases with extraStanzas (stanzas no API seals) are reproduced natively
  // and by the independent implementation only.
  const known = data.tests.filter((c) => c.seal !== undefined && c.seal.extraStanzas === undefined);
  assert.ok(known.length >= 8, 'too few seal known answers');
  const ids = identitiesOf(testing);
  const vaults = vaultsOf(testing);
  let reproduced = 0;
  try {
    for (const c of known) {
      await t.test(`tcId ${c.tcId}: ${c.comment}`, () => {
        const rng = new testing.DeterministicRng(fromHex(c.seal.rngSeed));
        try {
          const sealed = testing.sealRecord(
            ids.get(c.sender),
            c.seal.recipients.map((n) => ids.get(n).card),
            payloadInput(c.seal.payload),
            {
              rng,
              now: c.seal.now,
              encoding: c.encoding,
              purposes: c.seal.purposes,
              consentHashes: c.seal.consentHashes.map(fromHex),
              vaultKeys: c.seal.vaultKeys.map((n) => vaults.get(n)),
            },
          );
          assert.equal(c.encoding === 'binary' ? toHex(sealed) : sealed, c.input);
        } finally {
          rng.dispose();
        }
        reproduced++;
      });
    }
  } finally {
    disposeAll(ids);
    disposeAll(vaults);
  }
  assert.equal(reproduced, known.length);
});

test('a card with an X-Wing key gets only an X-Wing stanza; inspection says what is post-quantum', () => {
  const sender = alice();
  const pq = medseal.Identity.generate({
    name: 'Dr. Q',
    role: 'clinician',
    postQuantum: true,
  });
  const classic = medseal.Identity.generate({ name: 'Nurse N', role: 'nurse' });
  const vault = medseal.VaultKey.generate();
  const payload = {
    body: 'a note',
    contentType: 'text/plain',
    recordId: 'n-1',
    resourceType: 'Note',
  };
  try {
    assert.equal(medseal.StanzaType.XWING, 3);
    for (const encoding of ['binary', 'json']) {
      const onlyPq = medseal.sealRecord(sender, [pq.card], payload, {
        encoding,
        purposes: [TREAT],
        vaultKeys: [vault],
      });
      const info = medseal.inspectRecord(onlyPq);
      assert.deepEqual(info.recipients, [
        { type: medseal.StanzaType.VAULT, keyId: vault.keyId, postQuantum: true },
        { type: medseal.StanzaType.XWING, keyId: pq.keyId, postQuantum: true },
      ]);
      assert.equal(info.postQuantum, true);
      const opened = medseal.openRecord(pq, sender.card, onlyPq, { purpose: TREAT });
      assert.equal(new TextDecoder().decode(opened.body), 'a note');

      const mixed = medseal.sealRecord(sender, [pq.card, classic.card], payload, {
        encoding,
        purposes: [TREAT],
      });
      const mixedInfo = medseal.inspectRecord(mixed);
      assert.equal(mixedInfo.postQuantum, false);
      assert.deepEqual(
        mixedInfo.recipients.map((r) => [r.type, r.keyId, r.postQuantum]),
        [
          [medseal.StanzaType.X25519, classic.keyId, false],
          [medseal.StanzaType.XWING, pq.keyId, true],
        ],
      );
      for (const who of [pq, classic]) {
        const o = medseal.openRecord(who, sender.card, mixed, { purpose: TREAT });
        assert.equal(new TextDecoder().decode(o.body), 'a note');
      }
      // Not sealed to the sender: no stanza for its key id.
      expectCode(
        () => medseal.openRecord(sender, sender.card, mixed, { purpose: TREAT }),
        'NO_MATCHING_RECIPIENT',
      );
    }
    // A version 1 record to the same card is X25519 only, and says so.
    const v1 = medseal.sealRecord(sender, [pq.card], payload);
    const v1Info = medseal.inspectRecord(v1);
    assert.equal(v1Info.version, 1);
    assert.equal(v1Info.postQuantum, false);
    assert.deepEqual(v1Info.recipients, [
      { type: medseal.StanzaType.X25519, keyId: pq.keyId, postQuantum: false },
    ]);
    assert.equal(new TextDecoder().decode(medseal.openRecord(pq, sender.card, v1).body), 'a note');
  } finally {
    sender.dispose();
    pq.dispose();
    classic.dispose();
    vault.dispose();
  }
});

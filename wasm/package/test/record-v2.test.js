// SPDX-License-Identifier: Apache-2.0
// Sealed record v2 through the public API (docs/api.md, docs/spec/record.md
// §5): purposes and consent hashes bound into the header, vault keys as
// disposable handles, opening for a stated purpose, v1 still opening, and
// bad input from JavaScript. The vectors of record_v2.json run in
// vectors.test.js.
import assert from 'node:assert/strict';
import test from 'node:test';

import { alice, bob, detached, expectCode, medseal, testing } from '../test-support/helpers.js';

const {
  Identity,
  VaultKey,
  StanzaType,
  sealRecord,
  openRecord,
  openRecordWithVaultKey,
  inspectRecord,
  recordToJson,
  recordFromJson,
  verifyRecord,
} = medseal;

await medseal.init();
await testing.init();

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const TREAT = { system: ACT, code: 'TREAT' };
const ETREAT = { system: ACT, code: 'ETREAT' };
const text = (b) => new TextDecoder().decode(b);
const hash = (byte) => new Uint8Array(32).fill(byte);
const payload = {
  body: 'a note',
  contentType: 'text/plain',
  recordId: 'n-1',
  resourceType: 'Note',
};

test('seal v2 to a card and a vault key; open for each purpose; inspect', () => {
  const a = alice();
  const b = bob();
  const vault = VaultKey.generate();
  try {
    for (const encoding of ['binary', 'json']) {
      const sealed = sealRecord(a, [b.card], payload, {
        encoding,
        purposes: [TREAT, ETREAT],
        consentHashes: [hash(0xcc), hash(0x0a)],
        vaultKeys: [vault],
      });
      assert.equal(typeof sealed, encoding === 'json' ? 'string' : 'object');
      for (const purpose of [TREAT, ETREAT]) {
        assert.equal(text(openRecord(b, a.card, sealed, { purpose }).body), 'a note');
        assert.equal(
          text(openRecordWithVaultKey(vault, a.card, sealed, { purpose }).body),
          'a note',
        );
      }
      verifyRecord(a.card, sealed);
      const info = inspectRecord(sealed);
      assert.equal(info.version, 2);
      assert.deepEqual(info.purposes, [ETREAT, TREAT]); // canonical order
      assert.deepEqual(info.consentHashes, [hash(0x0a), hash(0xcc)]);
      assert.deepEqual(
        info.recipients.map((r) => r.type),
        [StanzaType.X25519, StanzaType.VAULT],
      );
      assert.deepEqual(
        info.recipients.map((r) => r.keyId),
        [b.keyId, vault.keyId],
      );
      assert.deepEqual(info.recipientKeyIds, [b.keyId, vault.keyId]);
    }
  } finally {
    a.dispose();
    b.dispose();
    vault.dispose();
  }
});

test('a purpose the header does not carry is PURPOSE_MISMATCH; so is none', () => {
  const a = alice();
  const b = bob();
  const vault = VaultKey.generate();
  const sealed = sealRecord(a, [b.card], payload, { purposes: [TREAT], vaultKeys: [vault] });
  for (const purpose of [
    ETREAT,
    { system: ACT, code: 'treat' },
    { system: 'urn:x', code: 'TREAT' },
  ]) {
    expectCode(() => openRecord(b, a.card, sealed, { purpose }), 'PURPOSE_MISMATCH');
    expectCode(
      () => openRecordWithVaultKey(vault, a.card, sealed, { purpose }),
      'PURPOSE_MISMATCH',
    );
  }
  expectCode(() => openRecord(b, a.card, sealed), 'PURPOSE_MISMATCH');
  expectCode(() => openRecord(b, a.card, sealed, {}), 'PURPOSE_MISMATCH');
  // The JSON spelling is the same record.
  expectCode(
    () => openRecord(b, a.card, recordToJson(sealed), { purpose: ETREAT }),
    'PURPOSE_MISMATCH',
  );
  assert.deepEqual(recordFromJson(recordToJson(sealed)), sealed);
  a.dispose();
  b.dispose();
  vault.dispose();
});

test('version 1 records still open, for any purpose; inspect says version 1, no purposes', () => {
  const a = alice();
  const b = bob();
  const v1 = sealRecord(a, [b.card], payload);
  assert.equal(v1[4], 1);
  const info = inspectRecord(v1);
  assert.equal(info.version, 1);
  assert.deepEqual(info.purposes, []);
  assert.deepEqual(info.consentHashes, []);
  assert.deepEqual(info.recipients, [
    { type: StanzaType.X25519, keyId: b.keyId, postQuantum: false },
  ]);
  assert.equal(info.postQuantum, false);
  assert.equal(text(openRecord(b, a.card, v1).body), 'a note');
  assert.equal(
    text(openRecord(b, a.card, v1, { purpose: { system: ACT, code: 'HPAYMT' } }).body),
    'a note',
  );
  const vault = VaultKey.generate();
  expectCode(
    () => openRecordWithVaultKey(vault, a.card, v1, { purpose: TREAT }),
    'NO_MATCHING_RECIPIENT',
  );
  a.dispose();
  b.dispose();
  vault.dispose();
});

test("a vault-only record: the patient's own copy; the wrong vault key", () => {
  const a = alice();
  const mine = VaultKey.generate();
  const other = VaultKey.generate();
  assert.notEqual(mine.keyId, other.keyId);
  const sealed = sealRecord(a, [], payload, { purposes: [TREAT], vaultKeys: [mine] });
  assert.equal(
    text(openRecordWithVaultKey(mine, a.card, sealed, { purpose: TREAT }).body),
    'a note',
  );
  expectCode(
    () => openRecordWithVaultKey(other, a.card, sealed, { purpose: TREAT }),
    'NO_MATCHING_RECIPIENT',
  );
  expectCode(() => openRecord(a, a.card, sealed, { purpose: TREAT }), 'NO_MATCHING_RECIPIENT');
  // Same id, other bytes: the key is what opens it.
  const forged = VaultKey.fromBytes(mine.keyIdBytes, new Uint8Array(32).fill(9));
  expectCode(
    () => openRecordWithVaultKey(forged, a.card, sealed, { purpose: TREAT }),
    'DECRYPT_FAILED',
  );
  a.dispose();
  for (const k of [mine, other, forged]) k.dispose();
});

test('VaultKey: export for the keystore, import, dispose (crypto-shredding of the handle)', () => {
  const a = alice();
  const k = VaultKey.generate();
  assert.match(k.keyId, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(k.keyIdBytes.length, 16);
  const secret = k.exportKey();
  assert.equal(secret.length, 32);
  const again = k.exportKey();
  assert.notEqual(secret, again, 'a fresh copy each time');
  assert.deepEqual(secret, again);
  const sealed = sealRecord(a, [], payload, { purposes: [TREAT], vaultKeys: [k] });
  const restored = VaultKey.fromBytes(k.keyIdBytes, secret);
  secret.fill(0);
  again.fill(0);
  assert.equal(restored.keyId, k.keyId);
  assert.equal(
    text(openRecordWithVaultKey(restored, a.card, sealed, { purpose: TREAT }).body),
    'a note',
  );
  k.dispose();
  k.dispose(); // idempotent
  assert.equal(k.disposed, true);
  assert.equal(k.keyId.length, 22, 'the public id stays readable');
  expectCode(() => k.exportKey(), 'DISPOSED');
  expectCode(() => openRecordWithVaultKey(k, a.card, sealed, { purpose: TREAT }), 'DISPOSED');
  expectCode(() => sealRecord(a, [], payload, { purposes: [TREAT], vaultKeys: [k] }), 'DISPOSED');
  const scoped = VaultKey.fromBytes(new Uint8Array(16).fill(1), new Uint8Array(32).fill(2));
  assert.equal(typeof scoped[Symbol.dispose], 'function');
  scoped[Symbol.dispose]();
  assert.equal(scoped.disposed, true);
  restored.dispose();
  a.dispose();
});

test("vault keys of one instance are not the other's", () => {
  const k = VaultKey.generate();
  const a = testing.Identity.fromSeed(new Uint8Array(32).fill(1), {
    name: 'A',
    role: 'doctor',
    created: 0,
  });
  expectCode(
    () => testing.sealRecord(a, [], payload, { purposes: [TREAT], vaultKeys: [k] }),
    'INVALID_ARGUMENT',
  );
  k.dispose();
  a.dispose();
});

test('bad input from JavaScript gets a stable code and the module stays usable', () => {
  const a = alice();
  const b = bob();
  const k = VaultKey.generate();
  const seal = (options) => sealRecord(a, [b.card], payload, options);
  expectCode(() => seal({ purposes: 'TREAT' }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [null] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [{ system: ACT }] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [{ system: ACT, code: 7 }] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [{ system: ACT, code: '\ud800' }] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: new Array(17).fill(TREAT) }), 'TOO_LARGE');
  expectCode(() => seal({ purposes: [TREAT, TREAT] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [{ system: ACT, code: 'TRE AT' }] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [{ system: ACT, code: 'C'.repeat(65) }] }), 'TOO_LARGE');
  expectCode(() => seal({ purposes: [{ system: 's'.repeat(256), code: 'TREAT' }] }), 'TOO_LARGE');
  expectCode(() => seal({ purposes: [TREAT], consentHashes: hash(1) }), 'INVALID_ARGUMENT');
  expectCode(
    () => seal({ purposes: [TREAT], consentHashes: ['00'.repeat(32)] }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => seal({ purposes: [TREAT], consentHashes: [new Uint8Array(31)] }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => seal({ purposes: [TREAT], consentHashes: [hash(1), hash(1)] }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => seal({ purposes: [TREAT], consentHashes: new Array(65).fill(hash(1)) }),
    'TOO_LARGE',
  );
  expectCode(() => seal({ purposes: [TREAT], consentHashes: [detached(32)] }), 'DETACHED_BUFFER');
  expectCode(() => seal({ purposes: [TREAT], vaultKeys: [{}] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ purposes: [TREAT], vaultKeys: [k, k] }), 'DUPLICATE_RECIPIENT');
  expectCode(() => seal({ purposes: [TREAT], vaultKeys: new Array(64).fill(k) }), 'TOO_LARGE');
  expectCode(() => seal({ vaultKeys: [k] }), 'INVALID_ARGUMENT');
  expectCode(() => seal({ consentHashes: [hash(1)] }), 'INVALID_ARGUMENT');
  expectCode(() => sealRecord(a, [], payload, { purposes: [TREAT] }), 'INVALID_ARGUMENT');
  const sealed = seal({ purposes: [TREAT] });
  expectCode(() => openRecord(b, a.card, sealed, { purpose: 'TREAT' }), 'INVALID_ARGUMENT');
  expectCode(
    () => openRecord(b, a.card, sealed, { purpose: { system: ACT, code: '' } }),
    'INVALID_ARGUMENT',
  );
  expectCode(() => openRecord(b, a.card, sealed, { purpose: { system: ACT } }), 'INVALID_ARGUMENT');
  expectCode(() => openRecord(b, a.card, sealed, null), 'INVALID_ARGUMENT');
  expectCode(() => openRecordWithVaultKey(k, a.card, sealed, {}), 'INVALID_ARGUMENT');
  expectCode(() => openRecordWithVaultKey(k, a.card, sealed), 'INVALID_ARGUMENT');
  expectCode(
    () => openRecordWithVaultKey(b, a.card, sealed, { purpose: TREAT }),
    'INVALID_ARGUMENT',
  );
  expectCode(() => VaultKey.fromBytes(new Uint8Array(15), new Uint8Array(32)), 'INVALID_ARGUMENT');
  expectCode(() => VaultKey.fromBytes(new Uint8Array(16), new Uint8Array(31)), 'INVALID_ARGUMENT');
  expectCode(() => VaultKey.fromBytes('id', new Uint8Array(32)), 'INVALID_ARGUMENT');
  expectCode(() => VaultKey.fromBytes(new Uint8Array(16), detached(32)), 'DETACHED_BUFFER');
  // Still usable.
  assert.equal(text(openRecord(b, a.card, sealed, { purpose: TREAT }).body), 'a note');
  a.dispose();
  b.dispose();
  k.dispose();
});

test('v2 seals are reproducible with a DeterministicRng (medseal/testing)', () => {
  const a = alice(testing);
  const b = bob(testing);
  const k = testing.VaultKey.fromBytes(new Uint8Array(16).fill(3), new Uint8Array(32).fill(4));
  const once = () => {
    const rng = new testing.DeterministicRng(new Uint8Array(32).fill(5));
    try {
      return testing.sealRecord(a, [b.card], payload, {
        rng,
        now: 1700000000000,
        purposes: [TREAT],
        consentHashes: [hash(2)],
        vaultKeys: [k],
      });
    } finally {
      rng.dispose();
    }
  };
  assert.deepEqual(once(), once());
  assert.equal(once()[4], 2);
  for (const x of [a, b, k]) x.dispose();
});

test('Identity is not a VaultKey and the other way round', () => {
  const a = alice();
  const k = VaultKey.generate();
  expectCode(() => sealRecord(k, [a.card], payload), 'INVALID_ARGUMENT');
  expectCode(() => openRecord(k, a.card, new Uint8Array(10)), 'INVALID_ARGUMENT');
  assert.ok(!(k instanceof Identity));
  a.dispose();
  k.dispose();
});

// The wrapper refuses more than kMaxRecordPurposes purposes and
// kMaxConsentHashes hashes before reading them (src/record.ts): its limits
// must be core's, and exactly the limit seals.
test('the purpose and consent hash limits are core/record/sealed_record.h', async () => {
  const { readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const { repoRoot } = await import('../test-support/helpers.js');
  const header = readFileSync(path.join(repoRoot, 'core', 'record', 'sealed_record.h'), 'utf8');
  const limit = (name) => {
    const m = header.match(new RegExp(`inline constexpr size_t ${name} = (\\d+);`));
    assert.ok(m, `${name} not found`);
    return Number(m[1]);
  };
  const maxPurposes = limit('kMaxRecordPurposes');
  const maxHashes = limit('kMaxConsentHashes');
  const a = alice();
  const b = bob();
  const purposes = Array.from({ length: maxPurposes + 1 }, (_, i) => ({
    system: ACT,
    code: `P${i}`,
  }));
  const hashes = Array.from({ length: maxHashes + 1 }, (_, i) => hash(i));
  const sealed = sealRecord(a, [b.card], payload, {
    purposes: purposes.slice(0, maxPurposes),
    consentHashes: hashes.slice(0, maxHashes),
  });
  const info = inspectRecord(sealed);
  assert.equal(info.purposes.length, maxPurposes);
  assert.equal(info.consentHashes.length, maxHashes);
  expectCode(() => sealRecord(a, [b.card], payload, { purposes }), 'TOO_LARGE');
  expectCode(
    () => sealRecord(a, [b.card], payload, { purposes: [TREAT], consentHashes: hashes }),
    'TOO_LARGE',
  );
  a.dispose();
  b.dispose();
});

test('vault keys are freed by dispose(); sealing and opening leave no handle behind', () => {
  const t = testing;
  const a = alice(t);
  const before = t.liveHandles();
  const k = t.VaultKey.generate();
  const k2 = t.VaultKey.fromBytes(new Uint8Array(16).fill(8), new Uint8Array(32).fill(9));
  assert.equal(t.liveHandles().vaultKeys, before.vaultKeys + 2);
  const sealed = t.sealRecord(a, [a.card], payload, { purposes: [TREAT], vaultKeys: [k, k2] });
  t.openRecordWithVaultKey(k2, a.card, sealed, { purpose: TREAT });
  t.openRecord(a, a.card, sealed, { purpose: TREAT });
  t.inspectRecord(sealed);
  assert.equal(t.liveHandles().vaultKeys, before.vaultKeys + 2);
  assert.equal(t.liveHandles().cards, before.cards);
  k.dispose();
  k2.dispose();
  assert.deepEqual(t.liveHandles(), before);
  a.dispose();
});

// SPDX-License-Identifier: Apache-2.0
// Consent-gated sharing, withdrawal, re-sealing and erasure through the
// package (docs/spec/share.md): every case of native-tests/vectors/consent/
// share_v1.json and erasure_v1.json, the files the native suite reads
// (shares and reseals replayed through 'medseal/testing' with the recorded
// DeterministicRng seed, byte for byte; withdrawals and erasure through the
// production package, which needs no RNG for them), the withdrawn grantee
// locked out of the new versions, the vault's keys shredded, and wrong types
// from JavaScript.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, testing, toHex } from '../test-support/helpers.js';

await medseal.init();
await testing.init();

const vectorsDir =
  process.env.MEDSEAL_VECTORS_DIR ?? path.join(repoRoot, 'native-tests', 'vectors');
// Throws (fails the suite) when a file is missing or not JSON.
const readVector = (name) =>
  JSON.parse(readFileSync(path.join(vectorsDir, 'consent', name), 'utf8'));
const shareFile = readVector('share_v1.json');
const erasureFile = readVector('erasure_v1.json');

function identities(lib, file) {
  const out = {};
  for (const [key, v] of Object.entries(file.identities)) {
    out[key] = lib.Identity.fromSeed(fromHex(v.seed), {
      name: v.name,
      role: v.role,
      created: v.created,
    });
    assert.equal(out[key].card, v.card, key);
  }
  return out;
}

// The vector's request JSON as the package's arguments.
function argsOf(request, ids) {
  const r = JSON.parse(request);
  const cards = [ids.a.card, ids.b.card, ids.c.card];
  const candidates = r.candidates.map((c) =>
    c.actor === undefined ? { card: cards[c.card] } : { card: cards[c.card], actor: c.actor },
  );
  return { consents: r.consents, candidates, purpose: r.purpose };
}

const TREAT = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' };

test('share_v1.json: every share case, byte for byte with the recorded RNG', () => {
  const ids = identities(testing, shareFile);
  assert.equal(shareFile.shareTests.length, shareFile.numberOfShareTests);
  let withheld = 0;
  let errors = 0;
  for (const t of shareFile.shareTests) {
    const a = argsOf(t.request, ids);
    const rng = new testing.DeterministicRng(fromHex(t.rngSeed));
    try {
      const call = () =>
        testing.share(ids[shareFile.sender], t.resource, a.consents, a.candidates, {
          purpose: a.purpose,
          now: t.now,
          rng,
        });
      if (t.error !== undefined) {
        expectCode(call, t.error);
        errors++;
        continue;
      }
      const result = call();
      assert.deepEqual(result, JSON.parse(t.result), t.comment);
      withheld += result.withheld.length;
      // Each record opens for its recipients (for the purpose) and nobody else.
      for (const r of result.resources) {
        if (r.record === null) continue;
        for (const [name, id] of Object.entries(ids)) {
          const open = () =>
            testing.openRecord(id, ids.patient.card, r.record, { purpose: a.purpose });
          if (r.recipients.includes(id.keyId)) assert.equal(open().recordId, r.resourceId, name);
          else expectCode(open, 'NO_MATCHING_RECIPIENT');
        }
      }
    } finally {
      rng.dispose();
    }
  }
  assert.ok(withheld > 0 && errors > 5);
  for (const id of Object.values(ids)) id.dispose();
});

test('share_v1.json: every withdrawal case (production package)', () => {
  const ids = identities(medseal, shareFile);
  assert.equal(shareFile.withdrawalTests.length, shareFile.numberOfWithdrawalTests);
  for (const t of shareFile.withdrawalTests) {
    const call = () =>
      medseal.withdrawConsent(ids[shareFile.sender], t.receipt, JSON.parse(t.withdrawal), {
        now: t.now,
      });
    if (t.error !== undefined) expectCode(call, t.error);
    else assert.equal(call(), t.result, t.comment);
  }
  for (const id of Object.values(ids)) id.dispose();
});

test('share_v1.json: reseal after withdrawal locks the withdrawn grantee out of the new version', () => {
  const ids = identities(testing, shareFile);
  const t = shareFile.reseal;
  const a = argsOf(t.request, ids);
  const records = JSON.parse(t.records).records;
  const rng = new testing.DeterministicRng(fromHex(t.rngSeed));
  const results = testing.reseal(
    ids[shareFile.sender],
    records,
    ids[t.originalSender].card,
    ids[t.opener],
    a.consents,
    a.candidates,
    { purpose: a.purpose, now: t.now, rng },
  );
  rng.dispose();
  assert.deepEqual({ results }, JSON.parse(t.result));
  const fresh = results[0].resources[0].record;
  const sender = ids.patient.card;
  // Negative control: the withdrawn grantee could open the old version.
  assert.equal(
    testing.openRecord(ids[t.cannotOpen], sender, records[0], { purpose: TREAT }).recordId,
    'obs-glucose',
  );
  expectCode(
    () => testing.openRecord(ids[t.cannotOpen], sender, fresh, { purpose: TREAT }),
    'NO_MATCHING_RECIPIENT',
  );
  assert.equal(
    testing.openRecord(ids[t.canOpen], sender, fresh, { purpose: TREAT }).recordId,
    'obs-glucose',
  );
  for (const id of Object.values(ids)) id.dispose();
});

test('erasure_v1.json: the scenario replays from the stored vault, byte for byte', () => {
  const ids = identities(medseal, erasureFile);
  const s = erasureFile.scenario;
  const sender = ids[s.sender].card;
  const vault = medseal.Vault.parse(fromHex(s.vaultBefore));
  for (const r of s.records) {
    const opened = vault.open(sender, r.record, s.purpose);
    assert.equal(new TextDecoder().decode(opened.body), r.body);
  }
  const receipt = vault.erase(ids.patient, s.erase, { now: s.erasedAt });
  assert.equal(receipt.json, s.receipt);
  assert.equal(receipt.erasedAt, s.erasedAt);
  assert.deepEqual(
    receipt.erased.map((e) => e.record),
    ['cond-psy', 'cond-sud'],
  );
  medseal.verifyErasureReceipt(receipt.json, ids.patient.card);
  const stored = vault.serialize();
  assert.equal(toHex(stored), s.vaultAfter);
  stored.fill(0);
  for (const r of s.records) {
    const open = () => vault.open(sender, r.record, s.purpose);
    if (s.afterErasure[r.recordId] === 'ok') open();
    else expectCode(open, s.afterErasure[r.recordId]);
  }
  assert.deepEqual(
    vault.entries().map((e) => [e.recordId, e.erased]),
    [
      ['cond-psy', true],
      ['cond-sud', true],
      ['obs-1', false],
    ],
  );
  vault.dispose();
  expectCode(() => vault.serialize(), 'DISPOSED');
  for (const id of Object.values(ids)) id.dispose();
});

test('erasure_v1.json: every receipt case and every vault storage case', () => {
  const ids = identities(medseal, erasureFile);
  assert.equal(erasureFile.receiptTests.length, erasureFile.numberOfReceiptTests);
  for (const t of erasureFile.receiptTests) {
    const call = () => medseal.verifyErasureReceipt(t.receipt, ids[t.card].card);
    if (t.result === 'valid') call();
    else expectCode(call, t.error);
  }
  assert.equal(erasureFile.vaultTests.length, erasureFile.numberOfVaultTests);
  for (const t of erasureFile.vaultTests) {
    const call = () => medseal.Vault.parse(fromHex(t.vault));
    if (t.result !== 'valid') {
      expectCode(call, t.error);
      continue;
    }
    const v = call();
    const again = v.serialize();
    assert.equal(toHex(again), t.vault, t.comment);
    again.fill(0);
    v.dispose();
  }
  for (const id of Object.values(ids)) id.dispose();
});

test('share with a vault: self-copies, erasure by category, and the receipt', () => {
  const ids = identities(medseal, shareFile);
  const consents = [shareFile.consents.c1.receipt, shareFile.consents.c2.receipt];
  const bundle = shareFile.shareTests[0].resource;
  const { candidates } = argsOf(shareFile.shareTests[1].request, ids);
  const vault = medseal.Vault.create();
  const result = medseal.share(ids.patient, bundle, consents, candidates, {
    purpose: TREAT,
    vault,
  });
  const psy = result.resources[1];
  assert.notEqual(psy.record, null);
  assert.notEqual(psy.vaultKeyId, '');
  assert.equal(vault.open(ids.patient.card, psy.record, TREAT).recordId, 'cond-psy');
  const receipt = vault.erase(ids.patient, { categories: ['PSY'] });
  assert.deepEqual(receipt.notify, [{ recipient: ids.a.keyId, records: ['cond-psy'] }]);
  medseal.verifyErasureReceipt(receipt.json, ids.patient.card);
  expectCode(() => medseal.verifyErasureReceipt(receipt.json, ids.a.card), 'SENDER_MISMATCH');
  expectCode(() => vault.open(ids.patient.card, psy.record, TREAT), 'KEY_ERASED');
  // The copy already sent to A is not recalled.
  assert.equal(
    medseal.openRecord(ids.a, ids.patient.card, psy.record, { purpose: TREAT }).recordId,
    'cond-psy',
  );
  // The stored vault keeps the tombstone.
  const stored = vault.serialize();
  const restored = medseal.Vault.parse(stored);
  stored.fill(0);
  expectCode(() => restored.open(ids.patient.card, psy.record, TREAT), 'KEY_ERASED');
  restored.dispose();
  vault.dispose();
  for (const id of Object.values(ids)) id.dispose();
});

test('bad input from JavaScript gets stable codes and the module stays usable', () => {
  const ids = identities(medseal, shareFile);
  const bundle = shareFile.shareTests[0].resource;
  const consents = [shareFile.consents.c1.receipt];
  const cands = [{ card: ids.a.card }];
  const p = ids.patient;
  expectCode(() => medseal.share(p, bundle, 'x', cands, { purpose: TREAT }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.share(p, bundle, [1], cands, { purpose: TREAT }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.share(p, 5, consents, cands, { purpose: TREAT }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.share(p, bundle, consents, cands, {}), 'INVALID_ARGUMENT');
  expectCode(() => medseal.share(p, bundle, consents, cands, null), 'INVALID_ARGUMENT');
  expectCode(
    () => medseal.share(p, bundle, consents, cands, { purpose: { code: 1n } }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.share(p, bundle, consents, [{ card: 7 }], { purpose: TREAT }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.share(p, bundle, consents, new Array(65).fill(cands[0]), { purpose: TREAT }),
    'TOO_LARGE',
  );
  expectCode(
    () =>
      medseal.share(p, bundle, consents, [{ card: ids.a.card, actor: { keyId: 5 } }], {
        purpose: TREAT,
      }),
    'MALFORMED',
  );
  expectCode(
    () => medseal.share(p, bundle, consents, cands, { purpose: TREAT, rng: {} }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.share(p, bundle, consents, cands, { purpose: TREAT, vault: {} }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      medseal.share(p, '{"resourceType":"Bundle","entry":5}', consents, cands, { purpose: TREAT }),
    'MALFORMED',
  );
  expectCode(() => medseal.withdrawConsent(p, consents[0], { scope: 1n }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.withdrawConsent(p, consents[0], { scope: 'some' }), 'MALFORMED');
  expectCode(() => medseal.withdrawConsent(p, '{', { scope: 'whole' }), 'MALFORMED');
  expectCode(
    () => medseal.withdrawConsent({}, consents[0], { scope: 'whole' }),
    'INVALID_ARGUMENT',
  );
  const vault = medseal.Vault.create();
  expectCode(() => medseal.Vault.parse('x'), 'INVALID_ARGUMENT');
  expectCode(() => medseal.Vault.parse(new Uint8Array(3)), 'TRUNCATED');
  expectCode(() => vault.erase(p, 5), 'MALFORMED');
  expectCode(() => vault.erase(p, { records: [1] }), 'MALFORMED');
  expectCode(() => vault.erase(p, {}), 'INVALID_ARGUMENT');
  expectCode(() => vault.open(p.card, 'x', { system: 'a' }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.verifyErasureReceipt('{}', p.card), 'MALFORMED');
  expectCode(() => medseal.verifyErasureReceipt(5, p.card), 'INVALID_ARGUMENT');
  expectCode(
    () => medseal.reseal(p, ['x'], p.card, {}, consents, cands, { purpose: TREAT }),
    'INVALID_ARGUMENT',
  );
  vault.dispose();
  expectCode(() => vault.entries(), 'DISPOSED');
  // Still usable.
  const ok = medseal.share(p, bundle, consents, cands, { purpose: TREAT });
  assert.equal(ok.resources.length, 2);
  for (const id of Object.values(ids)) id.dispose();
});

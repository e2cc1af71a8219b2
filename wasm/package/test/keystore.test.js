// SPDX-License-Identifier: Apache-2.0
// The keystore and recovery key through the package (docs/spec/keystore.md):
// every case of native-tests/vectors/keystore/keystore_v1.json (the file the
// native suite reads), then the whole life of a keystore made here (create,
// passphrase, recovery key, passkey enrolment, passkey-only slot, passphrase
// change, rehash, rotation, the identities it holds), the zeroing of the
// caller's secrets, and bad input: each failure its code, and the blob as it
// was. Argon2id runs at the vectors' 8-16 KiB and 1 pass only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, seedOf, toHex } from '../test-support/helpers.js';

await medseal.init();
const { Keystore, Identity } = medseal;

// Throws (fails the suite) when the file is missing or not JSON.
const V = JSON.parse(
  readFileSync(path.join(repoRoot, 'native-tests/vectors/keystore/keystore_v1.json'), 'utf8'),
);
const enc = (s) => new TextEncoder().encode(s);
const policies = {};
for (const [name, p] of Object.entries(V.policies)) policies[name] = p;
const TEST = policies.test;
const MIN = TEST.floor;

// The vector's `unlock` on a fresh copy of its inputs.
function unlockCase(t, blob) {
  const policy = policies[t.policy];
  assert.ok(policy, `policy ${t.policy}`);
  switch (t.unlock) {
    case 'passphrase':
      return Keystore.unlockWithPassphrase(blob, enc(t.passphrase), { policy });
    case 'passphrase+passkey':
      return Keystore.unlockWithPassphraseAndPasskey(
        blob,
        enc(t.passphrase),
        { credentialId: fromHex(t.credentialId), prf: fromHex(t.prf) },
        { policy },
      );
    case 'passkey':
      return Keystore.unlockWithPasskey(blob, {
        credentialId: fromHex(t.credentialId),
        prf: fromHex(t.prf),
      });
    case 'recovery':
      return Keystore.unlockWithRecoveryKey(blob, enc(t.recoveryKey));
    case 'enroll': {
      const ks = Keystore.unlockWithPassphraseAndPasskey(
        blob,
        enc(t.passphrase),
        { credentialId: fromHex(t.credentialId), prf: fromHex(t.prf) },
        { policy },
      );
      try {
        ks.enrollPasskey(
          enc(t.enroll.passphrase),
          {
            credentialId: fromHex(t.enroll.credentialId),
            prfSalt: fromHex(t.enroll.prfSalt),
            prfFirst: fromHex(t.enroll.prfFirst),
            prfSecond: fromHex(t.enroll.prfSecond),
          },
          { params: MIN, policy },
        );
      } finally {
        ks.dispose();
      }
      return undefined;
    }
    default:
      assert.fail(`unknown unlock ${t.unlock}`);
  }
}

test('keystore_v1.json: every case, the same as the native suite', () => {
  assert.equal(V.tests.length, V.numberOfTests);
  assert.equal(V.tests.length, 46);
  let valid = 0;
  let invalid = 0;
  let diagnosed = 0;
  for (const t of V.tests) {
    const blob = fromHex(t.blob);
    const before = toHex(blob);
    const label = `tcId ${t.tcId}: ${t.comment}`;
    if (t.result === 'valid') {
      const ks = unlockCase(t, blob);
      try {
        assert.equal(ks.items.length, V.items.length, label);
        V.items.forEach((want, i) => {
          const got = ks.items[i];
          assert.deepEqual(
            { type: got.type, created: got.created, name: got.name, size: got.size },
            {
              type: want.type,
              created: want.created,
              name: want.name,
              size: want.secret.length / 2,
            },
            label,
          );
          const secret = ks.itemSecret(i);
          assert.equal(toHex(secret), want.secret, label);
          secret.fill(0);
        });
        assert.equal(ks.info.id, medseal.inspectKeystore(blob).id, label);
      } finally {
        ks.dispose();
      }
      valid++;
    } else {
      const e = expectCode(() => unlockCase(t, blob), t.error);
      assert.doesNotMatch(e.message, /correct horse|two factor/, `${label}: no secret in messages`);
      if (t.badGroups !== undefined) {
        const d = medseal.diagnoseRecoveryKey(enc(t.recoveryKey));
        assert.equal(d.code, t.error, label);
        assert.deepEqual([...d.badGroups], t.badGroups, label);
        diagnosed++;
      }
      invalid++;
    }
    assert.equal(toHex(blob), before, `${label}: the blob is as it was`);
  }
  assert.deepEqual({ valid, invalid, diagnosed }, { valid: 7, invalid: 39, diagnosed: 2 });
});

test('keystore_v1.json: the public description of A', () => {
  const a = V.tests.find((t) => t.tcId === 1);
  const info = medseal.inspectKeystore(fromHex(a.blob));
  assert.equal(info.version, 1);
  assert.equal(info.id, V.intermediates.keystoreId);
  assert.deepEqual(info.floor, { memoryKib: 8, passes: 1 });
  assert.deepEqual(
    info.slots.map((s) => s.kind),
    [
      medseal.KeystoreSlotKind.PASSPHRASE,
      medseal.KeystoreSlotKind.RECOVERY,
      medseal.KeystoreSlotKind.PASSKEY,
    ],
  );
  assert.deepEqual(info.slots[0].params, { memoryKib: 8, passes: 1 });
  const passkey = info.slots[2];
  assert.equal(toHex(passkey.credentialId), '63726564656e7469616c2d41');
  assert.equal(toHex(passkey.prfSalt), '50'.repeat(32));
  assert.equal(medseal.keystoreNeedsRehash(fromHex(a.blob), TEST), true, '8 KiB < 16 KiB');
  assert.equal(medseal.keystoreNeedsRehash(fromHex(a.blob), { ...TEST, defaults: MIN }), false);
});

test('the caller-given secrets are zeroed after use, whether the call succeeded or not', () => {
  const a = V.tests.find((t) => t.tcId === 1);
  const good = enc(a.passphrase);
  Keystore.unlockWithPassphrase(fromHex(a.blob), good, { policy: TEST }).dispose();
  assert.ok(good.every((b) => b === 0));
  const bad = enc('not it');
  expectCode(
    () => Keystore.unlockWithPassphrase(fromHex(a.blob), bad, { policy: TEST }),
    'WRONG_PASSPHRASE',
  );
  assert.ok(bad.every((b) => b === 0));
  const prf = fromHex('77'.repeat(32));
  expectCode(
    () =>
      Keystore.unlockWithPasskey(fromHex(a.blob), {
        credentialId: enc('credential-A'),
        prf,
      }),
    'WRONG_SECOND_FACTOR',
  );
  assert.ok(prf.every((b) => b === 0));
  const text = enc('N09BHKKF');
  expectCode(() => Keystore.unlockWithRecoveryKey(fromHex(a.blob), text), 'MALFORMED');
  assert.ok(text.every((b) => b === 0));
  // A JS string is never accepted as a passphrase or a PRF output.
  expectCode(
    () => Keystore.unlockWithPassphrase(fromHex(a.blob), a.passphrase, { policy: TEST }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      Keystore.unlockWithPasskey(fromHex(a.blob), {
        credentialId: enc('credential-A'),
        prf: '5'.repeat(32),
      }),
    'INVALID_ARGUMENT',
  );
});

function newIdentity(byte, created = 1700000000000) {
  return Identity.fromSeed(seedOf(byte), { name: 'Pat Example', role: 'patient', created });
}

test('a keystore made here: passphrase, recovery key, identity, passphrase change', () => {
  const id = newIdentity(7);
  const ks = Keystore.create(id, { name: 'patient', created: 1700000000000, floor: MIN });
  expectCode(() => ks.serialize(), 'INVALID_ARGUMENT'); // no slot yet
  ks.setPassphrase(enc('first passphrase'), { params: MIN, policy: TEST });
  const recovery = ks.setRecoveryKey();
  assert.equal(recovery.length, 71);
  assert.match(
    new TextDecoder().decode(recovery),
    /^([0-9A-HJKMNP-TV-Z]{8}-){7}[0-9A-HJKMNP-TV-Z]{8}$/,
  );
  assert.deepEqual(
    ks.info.slots.map((s) => s.kind),
    [medseal.KeystoreSlotKind.PASSPHRASE, medseal.KeystoreSlotKind.RECOVERY],
  );
  const blob = ks.serialize();
  ks.dispose();
  expectCode(() => ks.serialize(), 'DISPOSED');

  const opened = Keystore.unlockWithPassphrase(blob, enc('first passphrase'), { policy: TEST });
  const again = opened.identity({ name: 'Pat Example', role: 'patient' });
  assert.equal(again.keyId, id.keyId);
  assert.equal(again.card, id.card, 'same seed, name, role and time: the same card');
  again.dispose();
  // Passphrase change: a new blob; the items keep their bytes; the old blob still opens.
  opened.setPassphrase(enc('second passphrase'), { params: MIN, policy: TEST });
  const changed = opened.serialize();
  opened.dispose();
  const itemsBox = (b) => toHex(b.subarray(b.length - (24 + 4 + 2 + 12 + 7 + 32 + 16)));
  assert.equal(itemsBox(changed), itemsBox(blob), 'nothing re-encrypted');
  expectCode(
    () => Keystore.unlockWithPassphrase(changed, enc('first passphrase'), { policy: TEST }),
    'WRONG_PASSPHRASE',
  );
  Keystore.unlockWithPassphrase(changed, enc('second passphrase'), { policy: TEST }).dispose();
  Keystore.unlockWithPassphrase(blob, enc('first passphrase'), { policy: TEST }).dispose();

  // The recovery key opens both blobs, independently of the passphrase.
  for (const b of [blob, changed]) {
    const r = Keystore.unlockWithRecoveryKey(b, recovery.slice());
    assert.equal(r.identity({ name: 'Pat Example', role: 'patient' }).keyId, id.keyId);
    r.dispose();
  }
  // A typing error is located.
  const typo = recovery.slice();
  typo[10] = typo[10] === 0x41 ? 0x42 : 0x41;
  const d = medseal.diagnoseRecoveryKey(typo.slice());
  assert.deepEqual(
    { code: d.code, badGroups: [...d.badGroups] },
    {
      code: 'RECOVERY_KEY_CHECKSUM',
      badGroups: [1],
    },
  );
  expectCode(() => Keystore.unlockWithRecoveryKey(blob, typo), 'RECOVERY_KEY_CHECKSUM');
  assert.equal(medseal.diagnoseRecoveryKey(recovery.slice()).code, 'OK');
  assert.equal(medseal.recoveryGroupValid(recovery.subarray(0, 8), 0), true);
  assert.equal(medseal.recoveryGroupValid(recovery.subarray(0, 8), 1), false);
  recovery.fill(0);
  id.dispose();
});

test('passkey as second factor, passkey-only slot, two-factor passphrase change', () => {
  const id = newIdentity(8);
  const ks = Keystore.create(id, { floor: MIN });
  ks.setPassphrase(enc('pass'), { params: MIN, policy: TEST });
  const cred = enc('credential-X');
  const prfSalt = fromHex('50'.repeat(32));
  const prf = () => fromHex('61'.repeat(32));
  expectCode(
    () =>
      ks.enrollPasskey(
        enc('pass'),
        { credentialId: cred, prfSalt, prfFirst: prf(), prfSecond: fromHex('62'.repeat(32)) },
        { params: MIN, policy: TEST },
      ),
    'PRF_MISMATCH',
  );
  assert.deepEqual(
    ks.info.slots.map((s) => s.kind),
    [medseal.KeystoreSlotKind.PASSPHRASE],
    'unchanged',
  );
  const first = prf();
  const second = prf();
  ks.enrollPasskey(
    enc('pass'),
    { credentialId: cred, prfSalt, prfFirst: first, prfSecond: second },
    { params: MIN, policy: TEST },
  );
  assert.ok(first.every((b) => b === 0) && second.every((b) => b === 0), 'PRF outputs zeroed');
  assert.deepEqual(
    ks.info.slots.map((s) => s.kind),
    [medseal.KeystoreSlotKind.PASSPHRASE_PASSKEY],
  );
  expectCode(() => ks.setPassphrase(enc('pass'), { params: MIN, policy: TEST }), 'NOT_PERMITTED');
  const blob = ks.serialize();
  const two = (pass, p) =>
    Keystore.unlockWithPassphraseAndPasskey(
      blob,
      enc(pass),
      { credentialId: cred, prf: p },
      { policy: TEST },
    );
  two('pass', prf()).dispose();
  expectCode(() => two('pass', fromHex('77'.repeat(32))), 'WRONG_SECOND_FACTOR');
  expectCode(() => two('wrong', prf()), 'WRONG_PASSPHRASE');
  expectCode(
    () => Keystore.unlockWithPassphrase(blob, enc('pass'), { policy: TEST }),
    'NO_UNLOCK_SLOT',
  );
  expectCode(
    () => Keystore.unlockWithPasskey(blob, { credentialId: cred, prf: prf() }),
    'NO_UNLOCK_SLOT',
  );

  // The passkey alone, only once the user adds that slot.
  ks.addPasskeyOnlySlot({ credentialId: cred, prfSalt, prfFirst: prf(), prfSecond: prf() });
  ks.changeTwoFactorPassphrase(
    enc('new pass'),
    { credentialId: cred, prf: prf() },
    {
      params: MIN,
      policy: TEST,
    },
  );
  expectCode(
    () =>
      ks.changeTwoFactorPassphrase(
        enc('x'),
        { credentialId: cred, prf: fromHex('77'.repeat(32)) },
        {
          params: MIN,
          policy: TEST,
        },
      ),
    'WRONG_SECOND_FACTOR',
  );
  const blob2 = ks.serialize();
  Keystore.unlockWithPasskey(blob2, { credentialId: cred, prf: prf() }).dispose();
  Keystore.unlockWithPassphraseAndPasskey(
    blob2,
    enc('new pass'),
    { credentialId: cred, prf: prf() },
    { policy: TEST },
  ).dispose();
  // Removing the passkey-only slot (index 1), then the last slot is refused.
  const kinds = ks.info.slots.map((s) => s.kind);
  ks.removeSlot(kinds.indexOf(medseal.KeystoreSlotKind.PASSKEY));
  expectCode(() => ks.removeSlot(0), 'INVALID_ARGUMENT');
  expectCode(() => ks.removeSlot(5), 'INVALID_ARGUMENT');
  expectCode(
    () => Keystore.unlockWithPasskey(ks.serialize(), { credentialId: cred, prf: prf() }),
    'NO_UNLOCK_SLOT',
  );
  ks.dispose();
  id.dispose();
});

test('needs-rehash and rehash; rotation keeps the old seed; items', () => {
  const id = newIdentity(9);
  const ks = Keystore.create(id, { floor: MIN, name: 'v1', created: 1700000000000 });
  ks.setPassphrase(enc('pass'), { params: MIN, policy: TEST });
  assert.equal(ks.needsRehash(TEST), true);
  assert.equal(medseal.keystoreNeedsRehash(ks.serialize(), TEST), true);
  ks.rehash(enc('pass'), { policy: TEST });
  assert.equal(ks.needsRehash(TEST), false);
  assert.deepEqual(ks.info.slots[0].params, TEST.defaults);
  const blob = ks.serialize();
  assert.equal(medseal.keystoreNeedsRehash(blob, TEST), false);
  Keystore.unlockWithPassphrase(blob, enc('pass'), { policy: TEST }).dispose();

  const next = newIdentity(10, 1700000001000);
  ks.rotateIdentity(next, { name: 'v2', now: 1700000001000 });
  assert.deepEqual(
    ks.items.map((i) => [i.type, i.name, i.created]),
    [
      [medseal.KeystoreItemType.RETIRED_IDENTITY_SEED, 'v1', 1700000000000],
      [medseal.KeystoreItemType.IDENTITY_SEED, 'v2', 1700000001000],
    ],
  );
  const opts = { name: 'Pat Example', role: 'patient' };
  assert.equal(ks.identity(opts).keyId, next.keyId);
  assert.equal(ks.itemIdentity(0, opts).keyId, id.keyId, 'the old seed still opens old records');
  expectCode(() => ks.itemIdentity(2, opts), 'INVALID_ARGUMENT');
  const group = fromHex('ab'.repeat(48));
  ks.addItem({
    type: medseal.KeystoreItemType.GROUP_KEY,
    name: 'cardiology/nurse',
    created: 5,
    secret: group,
  });
  assert.ok(
    group.every((b) => b === 0),
    'the item secret given is zeroed',
  );
  expectCode(() => ks.itemIdentity(2, opts), 'INVALID_ARGUMENT'); // 48 bytes: not a seed
  expectCode(
    () => ks.addItem({ type: 9, name: 'x', created: 5, secret: new Uint8Array(32) }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => ks.addItem({ type: 300, name: 'x', created: 5, secret: new Uint8Array(32) }),
    'INVALID_ARGUMENT',
  );
  const rotated = Keystore.unlockWithPassphrase(ks.serialize(), enc('pass'), { policy: TEST });
  assert.equal(rotated.items.length, 3);
  assert.equal(toHex(rotated.itemSecret(2)), 'ab'.repeat(48));
  assert.equal(toHex(rotated.itemSecret(0)), toHex(seedOf(9)));
  rotated.dispose();
  ks.dispose();
  id.dispose();
  next.dispose();
});

test('the default policy refuses weak and excessive costs before Argon2id runs', () => {
  const id = newIdentity(11);
  const ks = Keystore.create(id); // floor: 19 MiB / 2 passes
  assert.deepEqual(ks.info.floor, medseal.DEFAULT_KDF_POLICY.floor);
  expectCode(() => ks.setPassphrase(enc('p'), { params: MIN }), 'KDF_DOWNGRADED');
  expectCode(
    () => ks.setPassphrase(enc('p'), { params: { memoryKib: 19456, passes: 11 } }),
    'TOO_LARGE',
  );
  expectCode(
    () => ks.setPassphrase(enc('p'), { params: { memoryKib: 1 << 19, passes: 3 } }),
    'TOO_LARGE',
  );
  assert.equal(ks.info.slots.length, 0, 'no failed call wrote a slot');
  expectCode(() => ks.serialize(), 'INVALID_ARGUMENT');
  ks.dispose();
  id.dispose();
});

test('bad input: truncated and corrupted blobs, bad arguments, each its code', () => {
  const a = V.tests.find((t) => t.tcId === 1);
  const blob = fromHex(a.blob);
  const codes = new Set();
  // Every prefix: a parse code, never a crash (no Argon2id runs on a truncated blob).
  for (let n = 0; n < blob.length; n++) {
    const e = expectCode(
      () => Keystore.unlockWithPassphrase(blob.subarray(0, n), enc(a.passphrase), { policy: TEST }),
      'TRUNCATED',
    );
    codes.add(e.code);
  }
  assert.deepEqual([...codes], ['TRUNCATED']);
  // One flipped bit in each byte after the header fields: a code from the
  // spec's list (mostly KEYSTORE_CORRUPTED), never a crash, never an unlock.
  const allowed = new Set([
    'KEYSTORE_CORRUPTED',
    'WRONG_PASSPHRASE',
    'MALFORMED',
    'TRUNCATED',
    'TOO_LARGE',
    'UNSUPPORTED_VERSION',
    'KDF_DOWNGRADED',
    'NO_UNLOCK_SLOT',
    'TRAILING_DATA',
  ]);
  const seen = new Map();
  for (let i = 0; i < blob.length; i += 3) {
    const bad = blob.slice();
    bad[i] ^= 0x01;
    let code;
    try {
      Keystore.unlockWithPassphrase(bad, enc(a.passphrase), { policy: TEST }).dispose();
      code = 'OK';
    } catch (e) {
      assert.ok(e instanceof medseal.MedsealError, String(e));
      code = e.code;
    }
    assert.ok(allowed.has(code), `byte ${i}: ${code}`);
    seen.set(code, (seen.get(code) ?? 0) + 1);
  }
  assert.ok(seen.get('KEYSTORE_CORRUPTED') > 10, JSON.stringify([...seen]));
  expectCode(() => medseal.inspectKeystore(new Uint8Array(2 << 20)), 'TOO_LARGE');
  expectCode(() => medseal.inspectKeystore('4d534b53'), 'INVALID_ARGUMENT');
  expectCode(
    () => Keystore.unlockWithPassphrase(blob, new Uint8Array(0), { policy: TEST }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      Keystore.unlockWithPassphrase(blob, enc('x'), {
        policy: { ...TEST, cap: { memoryKib: 1.5, passes: 1 } },
      }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      Keystore.unlockWithPasskey(blob, {
        credentialId: enc('credential-A'),
        prf: new Uint8Array(31),
      }),
    'INVALID_ARGUMENT',
  );
  expectCode(() => Keystore.create({}), 'INVALID_ARGUMENT');
  expectCode(() => Keystore.prototype.serialize.call({}), 'INVALID_ARGUMENT');
  const id = newIdentity(12);
  id.dispose();
  expectCode(() => Keystore.create(id), 'DISPOSED');
  assert.deepEqual(medseal.diagnoseRecoveryKey(enc('x'.repeat(300))).code, 'TOO_LARGE');
  assert.deepEqual(medseal.diagnoseRecoveryKey(enc('U')).code, 'MALFORMED');
});

test('KeystoreWorker where there is no Web Worker (Node 20): INVALID_ARGUMENT, secrets zeroed', async () => {
  assert.equal(
    typeof globalThis.Worker,
    'undefined',
    'this test is about a runtime without Worker',
  );
  const a = V.tests.find((t) => t.tcId === 1);
  const pass = enc(a.passphrase);
  await assert.rejects(
    medseal.KeystoreWorker.unlockWithPassphrase(fromHex(a.blob), pass, { policy: TEST }),
    (e) => e instanceof medseal.MedsealError && e.code === 'INVALID_ARGUMENT',
  );
  assert.ok(pass.every((b) => b === 0));
  expectCode(
    () => medseal.KeystoreWorker.unlockWithPassphrase(fromHex(a.blob), 'a string'),
    'INVALID_ARGUMENT',
  );
});

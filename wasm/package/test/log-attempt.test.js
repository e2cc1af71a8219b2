// SPDX-License-Identifier: Apache-2.0
// Emergency opens that always log (breakGlassAttemptRecord,
// breakGlassAttemptAttachment in src/log-break-glass.ts over
// core/log/break_glass.h's Attempt forms; docs/spec/log.md §6.8) and key
// rotations and revocations as log events (src/log-key-events.ts over
// core/log/key_events.h; log.md §9.5), on the identities and record of
// native-tests/vectors/log/event_v1.json, the file the native suite reads.
// A missing file fails the suite.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot } from '../test-support/helpers.js';

await medseal.init();

const events = JSON.parse(
  readFileSync(path.join(repoRoot, 'native-tests', 'vectors', 'log', 'event_v1.json'), 'utf8'),
);
const {
  AuthorChains,
  Identity,
  KeyDirectory,
  MedsealError,
  RevocationReason,
  breakGlassAttemptAttachment,
  breakGlassAttemptRecord,
  breakGlassEventsAbout,
  encryptAttachment,
  issueKeyLink,
  issueKeyRevocation,
  logCardEntry,
  matchRevocationEvent,
  matchRotationEvent,
  revocationEvent,
  rotationEvent,
  sealAttachmentSignature,
  verifyBreakGlassReason,
  verifyLogEvent,
} = medseal;

const ids = new Map(
  Object.entries(events.identities).map(([name, p]) => [
    name,
    Identity.fromSeed(fromHex(p.seed), { name: p.name, role: p.role, created: p.created }),
  ]),
);
const id = (name) => ids.get(name);
const record = fromHex(events.subjects.find((s) => s.kind === 'record').recordBinary);
const bg = events.breakGlass;
const time = JSON.parse(events.history[bg.event].encoded).time;
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const outcome = (e) => JSON.parse(e.encoded).outcome;
const access = () => ({
  purpose: 'ETREAT',
  reason: bg.reason,
  patient: id('patient').keyId,
  sensitivity: bg.labels,
});

test('breakGlassAttemptRecord: a failed emergency open is logged too, a good one returns the payload', () => {
  const clinician = id('clinician');
  const patient = id('patient');
  const chains = AuthorChains.create();
  // Not a recipient: the open fails, the event is still signed and chained.
  const failed = breakGlassAttemptRecord(record, id('nurse'), patient.card, access(), {
    chains,
    now: time,
  });
  assert.equal(failed.ok, false);
  assert.ok(failed.error instanceof MedsealError);
  assert.equal(failed.error.code, 'NO_MATCHING_RECIPIENT');
  assert.equal(failed.payload, undefined);
  assert.equal(failed.event.type, 'break-glass');
  assert.equal(outcome(failed.event), 4);
  verifyLogEvent(failed.event.encoded, id('nurse').card);
  verifyBreakGlassReason(failed.event.encoded, failed.event.salt, bg.reason);
  assert.equal(chains.next(id('nurse').keyId).seq, 1, 'the failed open advanced the chain');
  // The wrong sender: SENDER_MISMATCH, logged.
  const wrongSender = breakGlassAttemptRecord(record, clinician, id('nurse').card, access(), {
    chains,
    now: time,
  });
  assert.equal(wrongSender.error.code, 'SENDER_MISMATCH');
  assert.equal(outcome(wrongSender.event), 4);
  // The good open: outcome 0 and the payload.
  const opened = breakGlassAttemptRecord(record, clinician, patient.card, access(), {
    chains,
    now: time,
  });
  assert.equal(opened.ok, true);
  assert.equal(opened.error, undefined);
  assert.equal(outcome(opened.event), 0);
  assert.equal(
    new TextDecoder().decode(opened.payload.body),
    '{"resourceType":"Observation","status":"final"}',
  );
  assert.equal(opened.payload.recordId, 'obs-1');
  verifyLogEvent(opened.event.encoded, clinician.card);
  // The patient's device flags both the failed and the good open.
  assert.deepEqual(
    breakGlassEventsAbout([failed.event.encoded, opened.event.encoded], patient.keyId),
    [0, 1],
  );
  // The reason never appears in the logged event.
  assert.equal(failed.event.encoded.includes(bg.reason), false);
  // The checks before the open still throw and log nothing.
  for (const [a, code] of [
    [{ ...access(), reason: ' ' }, 'REASON_REQUIRED'],
    [{ ...access(), purpose: 'TREAT' }, 'INVALID_ARGUMENT'],
    [{ ...access(), patient: 'AAAA' }, 'INVALID_ARGUMENT'],
  ]) {
    expectCode(
      () => breakGlassAttemptRecord(record, id('nurse'), patient.card, a, { chains, now: time }),
      code,
    );
  }
  expectCode(
    () =>
      breakGlassAttemptRecord(record.subarray(0, 40), clinician, patient.card, access(), {
        chains,
      }),
    'TRUNCATED',
  );
  expectCode(
    () => breakGlassAttemptRecord(record, clinician, patient.card, access(), {}),
    'INVALID_ARGUMENT',
  );
  assert.equal(chains.next(id('nurse').keyId).seq, 1);
  chains.dispose();
});

test('breakGlassAttemptAttachment: an attachment opened in an emergency, and a tampered one, both logged', () => {
  const patient = id('patient');
  const clinician = id('clinician');
  const plaintext = new TextEncoder().encode('scan of the knee, page 1');
  const { file, signature } = encryptAttachment(patient, [clinician.card], plaintext, {
    mediaType: 'application/pdf',
    name: 'knee.pdf',
    created: time,
  });
  const sealed = sealAttachmentSignature(patient, [clinician.card], signature, {
    purposes: [{ system: ACT, code: 'ETREAT' }],
    now: time,
  });
  const chains = AuthorChains.create();
  const ok = breakGlassAttemptAttachment(file, sealed, clinician, patient.card, access(), {
    chains,
    now: time,
  });
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.plaintext, plaintext);
  assert.equal(ok.signature.name, 'knee.pdf');
  assert.equal(outcome(ok.event), 0);
  verifyLogEvent(ok.event.encoded, clinician.card);
  // One flipped byte in the file: the open fails, the event names the same file hash kind.
  const tampered = file.slice();
  tampered[tampered.length - 1] ^= 1;
  const bad = breakGlassAttemptAttachment(tampered, sealed, clinician, patient.card, access(), {
    chains,
    now: time,
  });
  assert.equal(bad.ok, false);
  assert.equal(bad.plaintext, undefined);
  assert.ok(['SIGNATURE_INVALID', 'DECRYPT_FAILED'].includes(bad.error.code), bad.error.code);
  assert.equal(outcome(bad.event), 4);
  assert.equal(bad.event.seq, 1);
  assert.equal(JSON.parse(bad.event.encoded).subjects[0].kind, 'attachment');
  // Sealed for TREAT only: the emergency purpose is missing, logged as a failure.
  const treatOnly = sealAttachmentSignature(patient, [clinician.card], signature, {
    purposes: [{ system: ACT, code: 'TREAT' }],
    now: time,
  });
  const purpose = breakGlassAttemptAttachment(file, treatOnly, clinician, patient.card, access(), {
    chains,
    now: time,
  });
  assert.equal(purpose.ok, false);
  assert.equal(outcome(purpose.event), 4);
  assert.deepEqual(
    breakGlassEventsAbout(
      [ok.event.encoded, bad.event.encoded, purpose.event.encoded],
      patient.keyId,
    ),
    [0, 1, 2],
  );
  expectCode(
    () =>
      breakGlassAttemptAttachment('not bytes', sealed, clinician, patient.card, access(), {
        chains,
      }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      breakGlassAttemptAttachment(
        file,
        sealed,
        clinician,
        patient.card,
        { ...access(), reason: '' },
        {
          chains,
        },
      ),
    'REASON_REQUIRED',
  );
  chains.dispose();
});

test('rotationEvent and revocationEvent: the key directory applies them; a peer matches them to the link bytes', () => {
  const oldKey = Identity.fromSeed(new Uint8Array(32).fill(7), {
    name: 'Dr. Rotating',
    role: 'clinician',
    created: time,
  });
  const newKey = Identity.fromSeed(new Uint8Array(32).fill(8), {
    name: 'Dr. Rotating',
    role: 'clinician',
    created: time + 1,
  });
  const link = issueKeyLink(oldKey, newKey.card, time + 2);
  const chains = AuthorChains.create();
  const rotate = rotationEvent(oldKey, link, { chains });
  assert.equal(rotate.type, 'rotate');
  assert.equal(rotate.author, oldKey.keyId);
  assert.equal(rotate.seq, 0);
  assert.equal(rotate.time, time + 2);
  verifyLogEvent(rotate.encoded, oldKey.card);
  matchRotationEvent(rotate.encoded, link);
  chains.append(rotate.encoded);
  const dir = KeyDirectory.create();
  dir.applyEntry(0, logCardEntry(oldKey.card));
  dir.applyEntry(1, logCardEntry(newKey.card));
  dir.applyEntry(2, rotate.entry);
  expectCode(() => dir.lookup(oldKey.keyId), 'KEY_REVOKED');
  assert.equal(dir.lookup(newKey.keyId), newKey.card);
  // The new key revokes itself (compromised): KEY_REVOKED for it too.
  const revocation = issueKeyRevocation(
    newKey,
    newKey.keyId,
    RevocationReason.compromised,
    time + 3,
  );
  const revoke = revocationEvent(newKey, revocation, { chains });
  assert.equal(revoke.type, 'revoke');
  assert.equal(revoke.seq, 0);
  matchRevocationEvent(revoke.encoded, revocation);
  dir.applyEntry(3, revoke.entry);
  expectCode(() => dir.lookup(newKey.keyId), 'KEY_REVOKED');
  // Mismatches and bad input.
  expectCode(() => matchRotationEvent(revoke.encoded, link), 'LOG_ENTRY_MODIFIED');
  expectCode(() => matchRevocationEvent(rotate.encoded, revocation), 'LOG_ENTRY_MODIFIED');
  expectCode(() => rotationEvent(newKey, link, { chains }), 'SENDER_MISMATCH');
  expectCode(() => revocationEvent(oldKey, revocation, { chains }), 'SENDER_MISMATCH');
  const forged = link.slice();
  forged[forged.length - 1] ^= 1;
  expectCode(() => rotationEvent(oldKey, forged, { chains }), 'SIGNATURE_INVALID');
  expectCode(() => rotationEvent(oldKey, link.subarray(0, 10), { chains }), 'MALFORMED');
  expectCode(() => rotationEvent(oldKey, 'link', { chains }), 'INVALID_ARGUMENT');
  expectCode(() => rotationEvent(oldKey, link, {}), 'INVALID_ARGUMENT');
  expectCode(() => matchRotationEvent('{', link), 'MALFORMED');
  chains.dispose();
  expectCode(() => rotationEvent(oldKey, link, { chains }), 'DISPOSED');
});

// SPDX-License-Identifier: Apache-2.0
// The key directory, the card watch and break-the-glass
// (src/log-directory.ts, src/log-break-glass.ts; wasm/bindings/
// log_directory.cc, log_break_glass.cc over core/log/directory.h and
// break_glass.h) on the identities, record, events and entries of
// native-tests/vectors/log/event_v1.json, the file the native suite reads.
// A missing file fails the suite.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

await medseal.init();

const events = JSON.parse(
  readFileSync(path.join(repoRoot, 'native-tests', 'vectors', 'log', 'event_v1.json'), 'utf8'),
);
const {
  AuthorChains,
  CardWatch,
  Identity,
  KeyDirectory,
  PublicCard,
  breakGlassEventsAbout,
  breakGlassOpenRecord,
  cardSubject,
  logCardEntry,
  parseLogEvent,
  recordSubject,
  signLogEvent,
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
const order = ['patient', 'clinician', 'nurse', 'clinician-rotated'];
const record = fromHex(events.subjects.find((s) => s.kind === 'record').recordBinary);

test('KeyDirectory: the vector cards and history, rotation and revocation rules with their codes', () => {
  const dir = KeyDirectory.create();
  order.forEach((name, i) => dir.applyEntry(i, logCardEntry(id(name).card)));
  assert.equal(dir.size, 4);
  assert.equal(dir.lookup(id('clinician').keyId), id('clinician').card);
  assert.deepEqual(dir.key(id('nurse').keyId), { published: 2 });
  // History 0-7 apply (grant, share, open, break-glass, export, withdraw,
  // erase, rotate); 8, the patient revoking the nurse's key, breaks K6.
  let applied = 0;
  for (const h of events.history.slice(0, 8)) {
    dir.applyEntry(4 + h.index, fromHex(h.entry));
    applied++;
  }
  assert.equal(applied, 8);
  const revoke = events.history[8];
  expectCode(() => dir.applyEntry(12, fromHex(revoke.entry)), 'NOT_PERMITTED');
  // The rotation (history 7, at index 11) retired the clinician's key.
  const old = id('clinician').keyId;
  const rotated = id('clinician-rotated').keyId;
  const retired = expectCode(() => dir.lookup(old), 'KEY_REVOKED');
  assert.match(retired.message, new RegExp(Buffer.from(rotated, 'base64url').toString('hex')));
  assert.equal(dir.current(old), id('clinician-rotated').card);
  assert.deepEqual(dir.key(old), { published: 1, rotated: 11, successor: rotated });
  assert.deepEqual(dir.key(rotated), { published: 3, predecessor: old });
  // The retired key can sign nothing the directory accepts (K2).
  const chains = AuthorChains.create();
  for (const h of events.history) if (h.signer === 'clinician') chains.append(h.encoded);
  const late = signLogEvent(
    id('clinician'),
    { type: 'revoke', subjects: [cardSubject(id('nurse').card)] },
    { chains, now: 1764590500000 },
  );
  expectCode(() => dir.applyEntry(13, late.entry), 'KEY_REVOKED');
  // The nurse revokes her own key: applied; her card is then KEY_REVOKED.
  const nurseChains = AuthorChains.create();
  const own = signLogEvent(
    id('nurse'),
    { type: 'revoke', subjects: [cardSubject(id('nurse').card)] },
    { chains: nurseChains, now: 1764590500000 },
  );
  dir.applyEntry(14, own.entry);
  expectCode(() => dir.lookup(id('nurse').keyId), 'KEY_REVOKED');
  expectCode(() => dir.current(id('nurse').keyId), 'KEY_REVOKED');
  assert.deepEqual(dir.key(id('nurse').keyId), { published: 2, revoked: 14 });
  // A forged event (signature no longer verifies): SIGNATURE_INVALID.
  const forged = new TextEncoder().encode(
    '\x01' + events.history[0].encoded.replace('"time":1764590400000', '"time":1764590400001'),
  );
  expectCode(() => dir.applyEntry(15, forged), 'SIGNATURE_INVALID');
  // Unknown keys, bad input.
  expectCode(() => dir.lookup('AAAAAAAAAAAAAAAAAAAAAA'), 'LOG_ENTRY_MISSING');
  expectCode(() => dir.key('AAAAAAAAAAAAAAAAAAAAAA'), 'LOG_ENTRY_MISSING');
  expectCode(() => dir.lookup('***'), 'MALFORMED');
  expectCode(() => dir.lookup(7), 'INVALID_ARGUMENT');
  let invalid = 0;
  for (const e of events.invalidEntries) {
    expectCode(() => dir.applyEntry(16, fromHex(e.entry)), e.error);
    invalid++;
  }
  assert.ok(invalid >= 3, `${invalid} invalid entries`);
  expectCode(() => dir.applyEntry(-1, new Uint8Array(1)), 'INVALID_ARGUMENT');
  expectCode(() => dir.applyEntry(1, 'entry'), 'INVALID_ARGUMENT');
  assert.equal(dir.size, 4);
  dir.dispose();
  expectCode(() => dir.lookup(old), 'DISPOSED');
  expectCode(() => KeyDirectory.prototype.lookup.call({}, old), 'INVALID_ARGUMENT');
  assert.throws(() => new KeyDirectory(), TypeError);
  chains.dispose();
  nurseChains.dispose();
});

test('CardWatch: a card in the watched name or role that the device did not publish', () => {
  const watch = CardWatch.create({ names: ['Dr. C'], ownKeys: [id('clinician').keyId] });
  order.forEach((name, i) => watch.observe(i, logCardEntry(id(name).card)));
  // Events and unparsable entries are not the watch's concern.
  watch.observe(4, fromHex(events.history[0].entry));
  watch.observe(5, new Uint8Array([2, 0x7b]));
  assert.deepEqual(watch.findings, [
    { index: 3, keyId: id('clinician-rotated').keyId, code: 'UNEXPECTED_CARD' },
  ]);
  const found = expectCode(() => watch.check(), 'UNEXPECTED_CARD');
  assert.doesNotMatch(found.message, /Dr\. C/);
  // The device published the rotated card itself: told so, no finding.
  const mine = CardWatch.create({ names: ['Dr. C'], ownKeys: [id('clinician').keyId] });
  mine.addOwnKey(id('clinician-rotated').keyId);
  order.forEach((name, i) => mine.observe(i, logCardEntry(id(name).card)));
  assert.deepEqual(mine.findings, []);
  mine.check();
  const roles = CardWatch.create({ roles: ['nurse'] });
  order.forEach((name, i) => roles.observe(i, logCardEntry(id(name).card)));
  assert.deepEqual(
    roles.findings.map((f) => f.index),
    [2],
  );
  expectCode(() => CardWatch.create({ ownKeys: ['AAAA'] }), 'MALFORMED');
  expectCode(() => CardWatch.create({ names: [''] }), 'MALFORMED');
  expectCode(() => CardWatch.create({ names: 'Dr. C' }), 'INVALID_ARGUMENT');
  expectCode(() => CardWatch.create({ names: new Array(1025).fill('x') }), 'TOO_LARGE');
  expectCode(() => CardWatch.create(null), 'INVALID_ARGUMENT');
  expectCode(() => watch.addOwnKey('!!'), 'MALFORMED');
  expectCode(() => watch.observe(1.5, new Uint8Array(1)), 'INVALID_ARGUMENT');
  for (const w of [watch, mine, roles]) w.dispose();
  expectCode(() => watch.check(), 'DISPOSED');
  assert.throws(() => new CardWatch(), TypeError);
});

test('breakGlassOpenRecord: the vector record opens only with its signed, chained event', () => {
  const clinician = id('clinician');
  const patient = id('patient');
  const chains = AuthorChains.create();
  const bg = events.breakGlass;
  const vector = JSON.parse(events.history[bg.event].encoded);
  const access = {
    purpose: 'ETREAT',
    reason: bg.reason,
    patient: patient.keyId,
    sensitivity: bg.labels,
  };
  const opened = breakGlassOpenRecord(record, clinician, patient.card, access, {
    chains,
    now: vector.time,
  });
  assert.equal(
    new TextDecoder().decode(opened.payload.body),
    '{"resourceType":"Observation","status":"final"}',
  );
  assert.equal(opened.payload.contentType, 'application/fhir+json');
  assert.equal(opened.payload.recordId, 'obs-1');
  assert.equal(opened.payload.resourceType, 'Observation');
  const e = opened.event;
  assert.equal(e.type, 'break-glass');
  assert.equal(e.seq, 0);
  assert.equal(e.salt.length, 32);
  verifyLogEvent(e.encoded, clinician.card);
  verifyBreakGlassReason(e.encoded, e.salt, bg.reason);
  expectCode(
    () => verifyBreakGlassReason(e.encoded, e.salt, 'another reason'),
    'LOG_ENTRY_MODIFIED',
  );
  // The same event as the vector's, but for its fresh salt and its place in the chain.
  const mine = JSON.parse(e.encoded);
  for (const k of ['salted', 'reason', 'sig', 'seq', 'prev']) {
    delete mine[k];
    delete vector[k];
  }
  assert.deepEqual(mine, vector);
  assert.equal(mine.subjects[0].id, Buffer.from(recordSubject(record).id).toString('base64url'));
  assert.equal(toHex(parseLogEvent(e.encoded).hash), toHex(e.hash));
  assert.equal(chains.next(clinician.keyId).seq, 1);
  // Refusals, each before anything is decrypted, leave the chain as it was.
  const refusals = [
    [{ ...access, reason: '' }, 'REASON_REQUIRED'],
    [{ ...access, reason: ' \t\r\n' }, 'REASON_REQUIRED'],
    [{ ...access, reason: 'x'.repeat(1025) }, 'TOO_LARGE'],
    [{ ...access, reason: 'bell \u0007' }, 'INVALID_ARGUMENT'],
    [{ ...access, purpose: 'TREAT' }, 'INVALID_ARGUMENT'],
    [{ ...access, patient: 'AAAA' }, 'INVALID_ARGUMENT'],
    [{ ...access, patient: '**' }, 'MALFORMED'],
    [{ ...access, sensitivity: [''] }, 'MALFORMED'],
    [{ ...access, sensitivity: new Array(17).fill('a|b') }, 'TOO_LARGE'],
    [{ ...access, sensitivity: [1] }, 'INVALID_ARGUMENT'],
    [{ ...access, reason: undefined }, 'INVALID_ARGUMENT'],
  ];
  for (const [a, code] of refusals) {
    expectCode(() => breakGlassOpenRecord(record, clinician, patient.card, a, { chains }), code);
  }
  // Not a recipient; a truncated record; the wrong sender.
  expectCode(
    () => breakGlassOpenRecord(record, id('nurse'), patient.card, access, { chains }),
    'NO_MATCHING_RECIPIENT',
  );
  expectCode(
    () => breakGlassOpenRecord(record.subarray(0, 50), clinician, patient.card, access, { chains }),
    'TRUNCATED',
  );
  expectCode(
    () => breakGlassOpenRecord(record, clinician, id('nurse').card, access, { chains }),
    'SENDER_MISMATCH',
  );
  expectCode(
    () => breakGlassOpenRecord(record, clinician, patient.card, access, {}),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => breakGlassOpenRecord(record, clinician, 42, access, { chains }),
    'INVALID_ARGUMENT',
  );
  assert.equal(chains.next(clinician.keyId).seq, 1);
  chains.dispose();
  expectCode(
    () => breakGlassOpenRecord(record, clinician, patient.card, access, { chains }),
    'DISPOSED',
  );
});

test('breakGlassEventsAbout: the patient device finds the vector break-glass event', () => {
  const encoded = events.history.map((h) => h.encoded);
  assert.deepEqual(breakGlassEventsAbout(encoded, id('patient').keyId), [events.breakGlass.event]);
  assert.deepEqual(
    breakGlassEventsAbout(
      encoded.map((e) => new TextEncoder().encode(e)),
      id('patient').keyId,
    ),
    [events.breakGlass.event],
  );
  assert.deepEqual(breakGlassEventsAbout(encoded, id('nurse').keyId), []);
  assert.deepEqual(breakGlassEventsAbout([], id('patient').keyId), []);
  const forged = [...encoded];
  forged[5] = ' ' + forged[5];
  const e = expectCode(() => breakGlassEventsAbout(forged, id('patient').keyId), 'NON_CANONICAL');
  assert.match(e.message, /events\[5\]/);
  expectCode(
    () => breakGlassEventsAbout([encoded[0].slice(0, 30)], id('patient').keyId),
    'MALFORMED',
  );
  expectCode(() => breakGlassEventsAbout(encoded, 'AAAA'), 'INVALID_ARGUMENT');
  expectCode(() => breakGlassEventsAbout(encoded, '***'), 'MALFORMED');
  expectCode(() => breakGlassEventsAbout([1], id('patient').keyId), 'INVALID_ARGUMENT');
  expectCode(() => breakGlassEventsAbout('x', id('patient').keyId), 'INVALID_ARGUMENT');
  expectCode(
    () => breakGlassEventsAbout([new Uint8Array(70000)], id('patient').keyId),
    'TOO_LARGE',
  );
});

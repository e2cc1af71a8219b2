// SPDX-License-Identifier: Apache-2.0
// Signing log events from JS, author chains and event subjects
// (src/log-chain.ts, wasm/bindings/log_chain.cc and log_event.cc over
// core/log/event_builder.h and event.h) on the vector files the native
// suite reads: native-tests/vectors/log/event_v1.json (docs/spec/log.md §6)
// and native-tests/vectors/consent/receipt_v1.json. The files are named
// here: a missing one fails the suite.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

await medseal.init();

const vectors = path.join(repoRoot, 'native-tests', 'vectors');
const events = JSON.parse(readFileSync(path.join(vectors, 'log', 'event_v1.json'), 'utf8'));
const receipts = JSON.parse(readFileSync(path.join(vectors, 'consent', 'receipt_v1.json'), 'utf8'));
const {
  AuthorChains,
  Identity,
  LogOperator,
  PublicCard,
  attachmentSubject,
  cardSubject,
  consentHash,
  consentSubject,
  logCardEntry,
  parseLogEvent,
  recordSubject,
  saltedHash,
  signLogEvent,
  verifyBreakGlassReason,
  verifyLogEvent,
} = medseal;

const b64url = (hex) => Buffer.from(hex, 'hex').toString('base64url');
const ids = new Map(
  Object.entries(events.identities).map(([name, p]) => [
    name,
    Identity.fromSeed(fromHex(p.seed), { name: p.name, role: p.role, created: p.created }),
  ]),
);
const bg = events.breakGlass;
// Salted hash (hex) -> the label it salts under the vectors' event salt.
const labels = new Map(
  events.saltedHashes
    .filter((c) => c.salt === bg.salt && c.domain === 'sensitivity')
    .map((c) => [c.hash, c.value]),
);

// The LogEventFields of a vector history event (lists reversed: core sorts).
function fieldsOf(f) {
  const fields = {
    type: f.type,
    purpose: f.purpose,
    outcome: f.outcome,
    subjects: f.subjects.map((s) => ({ kind: s.kind, id: fromHex(s.id) })).reverse(),
    recipients: f.recipients.map(b64url).reverse(),
    sensitivity: f.salted.map((h) => labels.get(h)),
  };
  if (f.patient !== '') fields.patient = b64url(f.patient);
  if (f.reason !== '') fields.reason = bg.reason;
  return fields;
}

test('signLogEvent rebuilds the vector history: unsalted events byte for byte, salted ones by their salt', () => {
  let exact = 0;
  let salted = 0;
  const own = AuthorChains.create();
  for (const h of events.history) {
    const what = `history ${h.index}`;
    const author = ids.get(h.signer);
    // The chains as a device that read the log so far has them: the vector
    // events before this one (a salted event's hash depends on its fresh salt).
    const chains = AuthorChains.create();
    for (const earlier of events.history.slice(0, h.index)) chains.append(earlier.encoded);
    const e = signLogEvent(author, fieldsOf(h.fields), { chains, now: h.fields.time });
    assert.equal(chains.next(author.keyId).seq, h.fields.seq + 1, what);
    chains.dispose();
    assert.equal(e.type, h.fields.type, what);
    assert.equal(e.author, author.keyId, what);
    assert.equal(e.seq, h.fields.seq, what);
    assert.equal(e.time, h.fields.time, what);
    assert.equal(e.salt.length, 32, what);
    verifyLogEvent(e.encoded, author.card);
    const parsed = parseLogEvent(e.encoded);
    assert.equal(toHex(parsed.leafHash), toHex(e.leafHash), what);
    assert.equal(toHex(parsed.entry), toHex(e.entry), what);
    assert.equal(toHex(parsed.hash), toHex(e.hash), what);
    if (h.fields.salted.length === 0 && h.fields.reason === '') {
      assert.equal(e.encoded, h.encoded, what);
      assert.equal(toHex(e.hash), h.hash, what);
      assert.equal(toHex(e.entry), h.entry, what);
      assert.equal(toHex(e.leafHash), h.leafHash, what);
      exact++;
    } else {
      // A fresh salt: the same event except its salted members (and so its
      // signature and hash); each salted value checks under the returned salt.
      const mine = JSON.parse(e.encoded);
      const theirs = JSON.parse(h.encoded);
      for (const k of ['salted', 'reason', 'sig']) {
        delete mine[k];
        delete theirs[k];
      }
      assert.deepEqual(mine, theirs, what);
      const got = JSON.parse(e.encoded).salted.sort();
      const want = h.fields.salted
        .map((x) =>
          Buffer.from(saltedHash(e.salt, 'sensitivity', labels.get(x))).toString('base64url'),
        )
        .sort();
      assert.equal(got.length, h.fields.salted.length, what);
      assert.deepEqual(got, want, what);
      if (h.fields.reason !== '') verifyBreakGlassReason(e.encoded, e.salt, bg.reason);
      salted++;
    }
    // One chain set across the whole history, as a device signing it all.
    const next = signLogEvent(author, fieldsOf(h.fields), { chains: own, now: h.fields.time });
    assert.equal(next.seq, h.fields.seq, what);
  }
  assert.equal(exact, 7);
  assert.equal(salted, 2);
  assert.equal(own.authors, 2);
  assert.equal(own.next(ids.get('patient').keyId).seq, 5);
  assert.equal(own.next(ids.get('clinician').keyId).seq, 4);
  assert.equal(own.next(ids.get('nurse').keyId).seq, 0);
  assert.equal(toHex(own.next(ids.get('nurse').keyId).prev), '00'.repeat(32));
  own.dispose();
});

test('AuthorChains: the chain vectors, each with its code', () => {
  let n = 0;
  for (const c of events.chains) {
    const chains = AuthorChains.create();
    const seq = c.sequence.map((i) =>
      typeof i === 'string' ? events.fork.encoded : events.history[i].encoded,
    );
    for (let i = 0; i + 1 < seq.length; i++) chains.append(seq[i]);
    const last = new TextEncoder().encode(seq[seq.length - 1]);
    if (c.result === 'valid') chains.append(last);
    else {
      expectCode(() => chains.append(last), c.error);
      // Nothing changed: the same event is refused again the same way.
      expectCode(() => chains.append(last), c.error);
    }
    chains.dispose();
    n++;
  }
  assert.equal(n, 7);
});

test('subjects from a sealed record, a consent receipt, an attachment and a card (vectors)', () => {
  let n = 0;
  for (const s of events.subjects) {
    let subject;
    if (s.kind === 'record') subject = recordSubject(fromHex(s.recordBinary));
    else if (s.kind === 'attachment')
      subject = attachmentSubject(createHash('sha256').update(fromHex(s.file)).digest());
    else if (s.kind === 'card') subject = cardSubject(ids.get(s.card).card);
    else assert.fail(`unknown subject kind ${s.kind}`);
    assert.equal(subject.kind, s.kind);
    assert.equal(toHex(subject.id), s.id, s.comment);
    n++;
  }
  assert.equal(n, 3);
  let consents = 0;
  for (const t of receipts.tests.filter((x) => x.result === 'valid')) {
    const subject = consentSubject(t.receipt);
    assert.equal(subject.kind, 'consent');
    assert.equal(toHex(subject.id), t.consentHash, `tcId ${t.tcId}`);
    assert.equal(toHex(subject.id), toHex(consentHash(t.receipt)));
    consents++;
  }
  assert.ok(consents >= 10, `${consents} valid receipts`);
  expectCode(
    () => recordSubject(fromHex(events.subjects[0].recordBinary).subarray(0, 40)),
    'TRUNCATED',
  );
  expectCode(() => recordSubject('{"not":"a record"}'), 'MALFORMED');
  expectCode(() => attachmentSubject(new Uint8Array(31)), 'INVALID_ARGUMENT');
  expectCode(() => attachmentSubject('00'.repeat(32)), 'INVALID_ARGUMENT');
  expectCode(() => consentSubject('{}'), 'MALFORMED');
  expectCode(() => cardSubject('{"type":"medseal.card"}'), 'MALFORMED');
});

test('a signed event enters the log: the operator checks its author card and chain', () => {
  const op = LogOperator.fromSeed('medseal.example/log/v1', new Uint8Array(32).fill(9));
  const chains = AuthorChains.create();
  const clinician = ids.get('clinician');
  const patient = ids.get('patient');
  op.append(logCardEntry(clinician.card));
  const record = recordSubject(fromHex(events.subjects[0].recordBinary));
  const open = { type: 'open', purpose: 'TREAT', patient: patient.keyId, subjects: [record] };
  const first = signLogEvent(clinician, open, { chains, now: 1764590400000 });
  assert.equal(op.append(first.entry).index, 1);
  const second = signLogEvent(clinician, open, { chains, now: 1764590401000 });
  assert.equal(second.seq, 1);
  assert.equal(op.append(second.entry).index, 2);
  // An event outside the chain (a fresh chain set restarts at seq 0) is refused.
  const replay = signLogEvent(clinician, open, {
    chains: AuthorChains.create(),
    now: 1764590402000,
  });
  expectCode(() => op.append(replay.entry), 'LOG_REORDERED');
  // A forged event: one byte of the signed JSON changed.
  const forged = second.encoded.replace('"TREAT"', '"TREAX"');
  expectCode(() => verifyLogEvent(forged, clinician.card), 'SIGNATURE_INVALID');
  expectCode(() => verifyLogEvent(first.encoded, patient.card), 'SENDER_MISMATCH');
  op.dispose();
  chains.dispose();
});

test('signLogEvent: bad fields get stable codes and leave the chain unchanged', () => {
  const chains = AuthorChains.create();
  const author = ids.get('clinician');
  const patient = ids.get('patient').keyId;
  const record = { kind: 'record', id: new Uint8Array(32).fill(0xaa) };
  const base = { type: 'open', purpose: 'TREAT', patient, subjects: [record] };
  const now = 1764590400000;
  const cases = [
    [{ ...base, type: 'peek' }, 'UNSUPPORTED_VERSION'],
    [{ ...base, type: 7 }, 'INVALID_ARGUMENT'],
    [{ ...base, subjects: [] }, 'INVALID_ARGUMENT'],
    [{ ...base, subjects: 'x' }, 'INVALID_ARGUMENT'],
    [{ ...base, subjects: [{ kind: 'record', id: 'aa' }] }, 'INVALID_ARGUMENT'],
    [{ ...base, subjects: [{ kind: 'thing', id: new Uint8Array(32) }] }, 'MALFORMED'],
    [{ ...base, subjects: [{ kind: 'record', id: new Uint8Array(31) }] }, 'MALFORMED'],
    [{ ...base, subjects: [{ kind: 'card', id: new Uint8Array(32) }] }, 'MALFORMED'],
    [{ ...base, outcome: 3 }, 'MALFORMED'],
    [{ ...base, outcome: '0' }, 'INVALID_ARGUMENT'],
    [{ ...base, outcome: 0.5 }, 'MALFORMED'],
    [{ ...base, patient: 'AAAA' }, 'MALFORMED'],
    [{ ...base, patient: '!!' }, 'MALFORMED'],
    [{ ...base, patient: 5 }, 'INVALID_ARGUMENT'],
    [{ ...base, recipients: [5] }, 'INVALID_ARGUMENT'],
    [{ ...base, purpose: 'TRE AT' }, 'INVALID_ARGUMENT'],
    [{ ...base, purpose: 'ETREAT' }, 'REASON_REQUIRED'],
    [{ ...base, reason: 'why' }, 'INVALID_ARGUMENT'],
    [{ ...base, sensitivity: [''] }, 'INVALID_ARGUMENT'],
    [{ ...base, sensitivity: new Array(17).fill('s|X') }, 'INVALID_ARGUMENT'],
    [{ ...base, type: 'share' }, 'INVALID_ARGUMENT'],
    [{ ...base, type: 'break-glass', purpose: 'ETREAT' }, 'REASON_REQUIRED'],
    [{ ...base, type: 'break-glass', purpose: 'ETREAT', reason: ' \n' }, 'REASON_REQUIRED'],
    [{ ...base, type: 'break-glass', purpose: 'ETREAT', reason: 'x'.repeat(1025) }, 'TOO_LARGE'],
    [{ ...base, type: 'break-glass', purpose: 'ETREAT', reason: 'a\u0001' }, 'INVALID_ARGUMENT'],
    [{ ...base, type: 'break-glass', purpose: 'TREAT', reason: 'why' }, 'INVALID_ARGUMENT'],
    [{ ...base, reason: '\ud800' }, 'INVALID_ARGUMENT'],
    [null, 'INVALID_ARGUMENT'],
  ];
  for (const [fields, code] of cases) {
    expectCode(() => signLogEvent(author, fields, { chains, now }), code);
  }
  expectCode(() => signLogEvent(author, base, { chains, now: -1 }), 'INVALID_ARGUMENT');
  expectCode(() => signLogEvent(author, base, { chains, now: 1.5 }), 'INVALID_ARGUMENT');
  expectCode(() => signLogEvent(author, base, { chains: {}, now }), 'INVALID_ARGUMENT');
  expectCode(() => signLogEvent(author, base, undefined), 'INVALID_ARGUMENT');
  expectCode(() => signLogEvent({}, base, { chains, now }), 'INVALID_ARGUMENT');
  assert.equal(chains.authors, 0);
  // A valid break-glass event after all that starts the chain at 0.
  const e = signLogEvent(
    author,
    { ...base, type: 'break-glass', purpose: 'BTG', reason: 'unconscious' },
    { chains, now },
  );
  assert.equal(e.seq, 0);
  verifyBreakGlassReason(e.encoded, e.salt, 'unconscious');
  expectCode(() => verifyBreakGlassReason(e.encoded, e.salt, 'conscious'), 'LOG_ENTRY_MODIFIED');
  chains.dispose();
  expectCode(() => signLogEvent(author, base, { chains, now }), 'DISPOSED');
  expectCode(() => chains.append(e.encoded), 'DISPOSED');
  const other = AuthorChains.create();
  expectCode(() => other.append(e.encoded.slice(0, 40)), 'MALFORMED');
  expectCode(() => other.append(new Uint8Array(0)), 'MALFORMED');
  expectCode(() => other.append(42), 'INVALID_ARGUMENT');
  expectCode(() => AuthorChains.prototype.append.call({}, e.encoded), 'INVALID_ARGUMENT');
  assert.throws(() => new AuthorChains(), TypeError);
  other.dispose();
});

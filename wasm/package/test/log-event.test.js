// SPDX-License-Identifier: Apache-2.0
// Signed log events and their FHIR AuditEvent form (src/log-event.ts,
// wasm/bindings/log_event.cc) on the vector files the native suite reads:
// native-tests/vectors/log/event_v1.json (docs/spec/log.md §6, §7) and
// native-tests/vectors/log/audit_event_v1.json (§11). The files are named
// here: a missing one fails the suite.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

await medseal.init();

const dir = path.join(repoRoot, 'native-tests', 'vectors', 'log');
const events = JSON.parse(readFileSync(path.join(dir, 'event_v1.json'), 'utf8'));
const audit = JSON.parse(readFileSync(path.join(dir, 'audit_event_v1.json'), 'utf8'));
const {
  PublicCard,
  parseLogEvent,
  verifyLogEvent,
  saltedHash,
  verifyBreakGlassReason,
  exportAuditEvent,
  importAuditEvent,
  SaltDomain,
} = medseal;

const cards = new Map(
  Object.entries(events.identities).map(([name, c]) => [name, PublicCard.parse(c.card)]),
);
const b64url = (hex) => Buffer.from(hex, 'hex').toString('base64url');

test('the files have what the suite counts on', () => {
  assert.equal(events.version, 1);
  assert.equal(events.history.length, 9);
  assert.equal(events.saltedHashes.length, 4);
  assert.equal(events.invalidEvents.length, 47);
  assert.equal(events.badSignatures.length, 2);
  assert.equal(events.entries.length, 2);
  assert.equal(audit.events.length, 11);
  assert.equal(audit.accepted.length, 4);
  assert.equal(audit.invalid.length, 32);
});

test('history: each event parses, verifies under its signer, with its hash, entry and leaf hash', () => {
  let n = 0;
  for (const h of events.history) {
    const label = `history ${h.index}`;
    const e = verifyLogEvent(h.encoded, cards.get(h.signer));
    assert.equal(e.encoded, h.encoded, label);
    assert.equal(e.type, h.fields.type, label);
    assert.equal(e.author, b64url(h.fields.author), label);
    assert.equal(e.seq, h.fields.seq, label);
    assert.equal(e.time, h.fields.time, label);
    assert.equal(toHex(e.hash), h.hash, label);
    assert.equal(toHex(e.entry), h.entry, label);
    assert.equal(toHex(e.leafHash), h.leafHash, label);
    // Bytes in, the same out.
    assert.equal(toHex(parseLogEvent(new TextEncoder().encode(h.encoded)).hash), h.hash, label);
    n++;
  }
  assert.equal(n, 9);
});

test('the per-author chain: each event after the first carries its predecessor hash', () => {
  const last = new Map();
  let linked = 0;
  for (const h of events.history) {
    const author = h.fields.author;
    const prev = last.get(author);
    if (prev === undefined) {
      assert.equal(h.fields.seq, 0);
      assert.equal(h.fields.prev, '00'.repeat(32));
    } else {
      assert.equal(h.fields.seq, prev.seq + 1);
      assert.equal(h.fields.prev, prev.hash);
      linked++;
    }
    last.set(author, { seq: h.fields.seq, hash: toHex(parseLogEvent(h.encoded).hash) });
  }
  assert.ok(linked >= 5, `only ${linked} linked events`);
});

test('event entries', () => {
  const byEvent = events.entries.filter((x) => x.kind === 'event');
  assert.equal(byEvent.length, 1);
  for (const x of byEvent) {
    const h = events.history[Number(x.event)];
    const e = parseLogEvent(h.encoded);
    assert.equal(toHex(e.entry), x.entry);
    assert.equal(toHex(e.leafHash), x.leafHash);
  }
});

test('salted hashes', () => {
  let n = 0;
  for (const s of events.saltedHashes) {
    assert.equal(toHex(saltedHash(fromHex(s.salt), s.domain, s.value)), s.hash, s.value);
    n++;
  }
  assert.equal(n, 4);
  assert.equal(SaltDomain.sensitivity, 'sensitivity');
  assert.equal(SaltDomain.breakGlassReason, 'break-glass-reason');
  expectCode(() => saltedHash(new Uint8Array(15), 'sensitivity', 'x'), 'INVALID_ARGUMENT');
});

test('break-the-glass: the disclosed reason checks against the logged event', () => {
  const bg = events.breakGlass;
  const h = events.history[Number(bg.event)];
  assert.equal(h.fields.type, 'break-glass');
  assert.equal(h.fields.purpose, 'ETREAT');
  verifyBreakGlassReason(h.encoded, fromHex(bg.salt), bg.reason);
  assert.equal(
    toHex(saltedHash(fromHex(bg.salt), SaltDomain.breakGlassReason, bg.reason)),
    h.fields.reason,
  );
  expectCode(
    () => verifyBreakGlassReason(h.encoded, fromHex(bg.salt), bg.reason + '.'),
    'LOG_ENTRY_MODIFIED',
  );
  expectCode(
    () => verifyBreakGlassReason(h.encoded, new Uint8Array(8), bg.reason),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => verifyBreakGlassReason(events.history[0].encoded, fromHex(bg.salt), bg.reason),
    'INVALID_ARGUMENT',
  );
});

test('invalid events: the code of the first rule broken', () => {
  let n = 0;
  for (const t of events.invalidEvents) {
    expectCode(() => parseLogEvent(t.input), t.error);
    n++;
  }
  assert.equal(n, 47);
});

test('bad signatures', () => {
  for (const t of events.badSignatures) {
    expectCode(() => verifyLogEvent(t.input, cards.get(t.signer)), t.error);
  }
  const gone = PublicCard.parse(events.identities.nurse.card);
  gone.dispose();
  expectCode(() => verifyLogEvent(events.history[0].encoded, gone), 'DISPOSED');
  expectCode(() => verifyLogEvent(events.history[0].encoded, 7), 'INVALID_ARGUMENT');
  expectCode(() => parseLogEvent(42), 'INVALID_ARGUMENT');
});

test('AuditEvent: export byte for byte, import back to the signed event', () => {
  let n = 0;
  for (const x of audit.events) {
    assert.equal(exportAuditEvent(x.signedEvent), x.auditEvent, x.type);
    const back = importAuditEvent(new TextEncoder().encode(x.auditEvent));
    assert.equal(back.encoded, x.signedEvent, x.type);
    assert.equal(back.type, x.type);
    n++;
  }
  assert.equal(n, 11);
  for (const x of audit.accepted) {
    assert.equal(importAuditEvent(x.auditEvent).encoded, x.signedEvent, x.description);
    n++;
  }
  assert.equal(n, 15);
});

test('AuditEvent: invalid ones get their code', () => {
  let n = 0;
  for (const x of audit.invalid) {
    expectCode(() => importAuditEvent(x.auditEvent), x.code);
    n++;
  }
  assert.equal(n, 32);
  expectCode(() => exportAuditEvent('{}'), 'MALFORMED');
});

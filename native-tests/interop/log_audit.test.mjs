// SPDX-License-Identifier: Apache-2.0
// Runs native-tests/vectors/log/audit_event_v1.json and the HL7 / IHE AuditEvent examples
// through log_impl.mjs (written from docs/spec/log.md §11 alone): every event exports
// to the exact AuditEvent text and imports back, every accepted rewrite imports, every invalid
// one fails with the code and the AI rule of the spec. Counts asserted.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as log from './log_impl.mjs';

const vectors = new URL('../vectors/', import.meta.url);
const read = (p) => fs.readFileSync(new URL(p, vectors), 'utf8');
const outcomeOf = (fn) => {
  try {
    fn();
    return { code: 'OK' };
  } catch (e) {
    if (e instanceof log.SpecError) return { code: e.code, rule: e.rule };
    throw e;
  }
};

test('log.md §11 AuditEvent export and import (audit_event_v1.json)', async () => {
  await log.ready;
  const v = JSON.parse(read('log/audit_event_v1.json'));
  for (const e of v.events) {
    assert.equal(log.exportAuditEvent(e.signedEvent), e.auditEvent, `export ${e.type}`);
    assert.equal(log.importAuditEvent(e.auditEvent), e.signedEvent, `import ${e.type}`);
  }
  assert.equal(v.events.length, 11);
  assert.equal(new Set(v.events.map((e) => e.type)).size, 9, 'every event type');
  for (const a of v.accepted)
    assert.equal(log.importAuditEvent(a.auditEvent), a.signedEvent, a.description);
  assert.equal(v.accepted.length, 4);
  for (const t of v.invalid) {
    const o = outcomeOf(() => log.importAuditEvent(t.auditEvent));
    const rule = o.rule?.replace(/^(AI8)\/.*$/, '$1');
    assert.deepEqual({ code: o.code, rule }, { code: t.code, rule: t.rule }, t.description);
  }
  assert.equal(v.invalid.length, 32);
});

test('log.md §11.5 HL7 R4 and IHE BALP examples import as UNSUPPORTED_VERSION (AI4)', () => {
  let n = 0;
  for (const dir of ['external/fhir/hl7-r4-auditevent/', 'external/fhir/ihe-balp-audit/'])
    for (const f of fs.readdirSync(new URL(dir, vectors)).filter((f) => f.endsWith('.json'))) {
      const o = outcomeOf(() => log.importAuditEvent(read(dir + f)));
      assert.deepEqual(o, { code: 'UNSUPPORTED_VERSION', rule: 'AI4' }, dir + f);
      n++;
    }
  assert.equal(n, 14);
});

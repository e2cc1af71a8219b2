// SPDX-License-Identifier: Apache-2.0
// Consent decisions through the package (docs/spec/consent.md): every vector
// of native-tests/vectors/consent/decisions.json, the file the native suite
// reads (consents as FHIR JSON text, requests as typed objects), the
// compiled ConsentSet reused across requests, Explain, and wrong types from
// JavaScript.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, medseal, repoRoot } from '../test-support/helpers.js';

await medseal.init();

const vectorsDir =
  process.env.MEDSEAL_VECTORS_DIR ?? path.join(repoRoot, 'native-tests', 'vectors');
// Throws (fails the suite) when the file is missing or not JSON.
const file = JSON.parse(readFileSync(path.join(vectorsDir, 'consent', 'decisions.json'), 'utf8'));
const texts = (names) => names.map((n) => JSON.stringify(file.consents[n]));

test('decisions.json: every vector, one call each', () => {
  assert.equal(file.tests.length, file.numberOfTests);
  let permits = 0;
  let errors = 0;
  for (const t of file.tests) {
    const label = `tcId ${t.tcId} (${t.comment})`;
    if (t.error !== undefined) {
      expectCode(() => medseal.evaluateConsent(texts(t.consents), t.request, t.now), t.error);
      errors++;
      continue;
    }
    const d = medseal.evaluateConsent(texts(t.consents), t.request, t.now);
    assert.deepEqual(d, t.expect, label);
    if (d.effect === 'permit') permits++;
  }
  assert.ok(permits > 20 && errors > 5);
});

test('decisions.json: a compiled ConsentSet gives the same answers, consents as bytes too', () => {
  const encoder = new TextEncoder();
  for (const t of file.tests) {
    if (t.error !== undefined) continue;
    const set = medseal.ConsentSet.compile(texts(t.consents).map((s) => encoder.encode(s)));
    try {
      assert.equal(set.size, t.consents.length);
      for (let i = 0; i < 3; i++) assert.deepEqual(set.evaluate(t.request, t.now), t.expect);
    } finally {
      set.dispose();
    }
    assert.equal(set.disposed, true);
    expectCode(() => set.evaluate(t.request, t.now), 'DISPOSED');
  }
});

test('explain: who can see what, for which purpose, until when', () => {
  const set = medseal.ConsentSet.compile(texts(['nested-period', 'careteam', 'psy-drA']));
  const records = [
    { id: 'obs', resourceType: 'Observation' },
    {
      id: 'note',
      resourceType: 'DocumentReference',
      securityLabels: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' }],
    },
  ];
  const drA = { references: [{ reference: 'Practitioner/drA' }] };
  const team = { careTeams: ['ct1'] };
  const entries = set.explain(records, [drA, team], 1780272000000);
  set.dispose();
  // No provision names a purpose: only "any purpose" (PurposeOfUse) is asked.
  const AR = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
  const want = (record, candidate, consentIndex, consentId, until) => ({
    record,
    recordId: records[record].id,
    candidate,
    purpose: { code: 'PurposeOfUse', system: AR },
    reason: { consentId, consentIndex, provisionPath: 'provision.provision[0]', rule: 'D4' },
    ...(until === undefined ? {} : { until }),
  });
  assert.deepEqual(entries, [
    want(0, 0, 0, 'nested-period', 1798761599999),
    want(0, 1, 1, 'careteam'),
    want(1, 0, 2, 'psy-drA'),
  ]);
  const one = medseal.explainConsents(texts(['careteam']), records, [team], 1780272000000);
  assert.equal(one.length, 1);
});

test('wrong types from JavaScript get stable codes', () => {
  const consents = texts(['treat-drA']);
  const ok = file.tests.find((t) => t.comment.startsWith('the treatment consent permits')).request;
  const now = 1780272000000;
  expectCode(() => medseal.evaluateConsent(consents, null, now), 'MALFORMED');
  expectCode(() => medseal.evaluateConsent(consents, 5, now), 'MALFORMED');
  expectCode(() => medseal.evaluateConsent(consents, 'TREAT', now), 'MALFORMED');
  expectCode(() => medseal.evaluateConsent(consents, undefined, now), 'INVALID_ARGUMENT');
  expectCode(
    () => medseal.evaluateConsent(consents, { ...ok, purpose: 1n }, now),
    'INVALID_ARGUMENT',
  );
  const cyclic = { ...ok };
  cyclic.actor = { references: [cyclic] };
  expectCode(() => medseal.evaluateConsent(consents, cyclic, now), 'INVALID_ARGUMENT');
  expectCode(() => medseal.evaluateConsent(consents, { ...ok, actor: [] }, now), 'MALFORMED');
  expectCode(() => medseal.evaluateConsent(consents, { ...ok, codes: 'x' }, now), 'MALFORMED');
  expectCode(() => medseal.evaluateConsent(consents, { ...ok, extra: true }, now), 'MALFORMED');
  expectCode(() => medseal.evaluateConsent(consents, ok, 1.5), 'INVALID_ARGUMENT');
  expectCode(() => medseal.evaluateConsent(consents, ok, -1), 'INVALID_ARGUMENT');
  expectCode(() => medseal.evaluateConsent(consents, ok, '1'), 'INVALID_ARGUMENT');
  expectCode(() => medseal.evaluateConsent('not a list', ok, now), 'INVALID_ARGUMENT');
  expectCode(() => medseal.evaluateConsent([42], ok, now), 'INVALID_ARGUMENT');
  expectCode(() => medseal.evaluateConsent(['{'], ok, now), 'MALFORMED');
  expectCode(() => medseal.evaluateConsent(['{"resourceType":"Patient"}'], ok, now), 'MALFORMED');
  expectCode(() => medseal.ConsentSet.compile(new Array(1025).fill('{}')), 'TOO_LARGE');
  // The module is still usable afterwards.
  assert.equal(medseal.evaluateConsent(consents, ok, now).effect, 'permit');
});

test('explain.json: every vector', () => {
  const ex = JSON.parse(readFileSync(path.join(vectorsDir, 'consent', 'explain.json'), 'utf8'));
  assert.equal(ex.tests.length, ex.numberOfTests);
  for (const t of ex.tests) {
    const run = () =>
      medseal.explainConsents(texts(t.consents), t.question.records, t.question.candidates, t.now);
    if (t.error !== undefined) {
      expectCode(run, t.error);
      continue;
    }
    assert.deepEqual(run(), t.expect.entries, `tcId ${t.tcId}`);
  }
});

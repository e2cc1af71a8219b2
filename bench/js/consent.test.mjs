// SPDX-License-Identifier: Apache-2.0
// The consent benchmark's workload: the committed data file is what the
// generator writes, the generator's purpose hierarchy is HL7's, every
// expected decision holds under every reading of the open points, the
// reference evaluator follows the stated rules on hand-made cases, and
// Cedar (the translation, preparsed) gives every request its expected
// decision.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

import {
  PURPOSE_PARENT,
  SYS,
  allVariants,
  checkDecisions,
  evaluate,
  prepareCedar,
  syntheaBundle,
} from './consent.mjs';
import { workloadFile, workloadText } from './gen-consent-workload.mjs';
import { loadSynthea, repoRoot, syntheaDir } from './report.mjs';

const workload = JSON.parse(fs.readFileSync(workloadFile, 'utf8'));

test('bench/data/consent-workload.json is what gen-consent-workload.mjs writes', () => {
  assert.ok(
    fs.readFileSync(workloadFile, 'utf8') === workloadText(),
    'out of date: run node bench/js/gen-consent-workload.mjs',
  );
});

test('50 consents of 5 provisions each, 128 requests, half permitted', () => {
  assert.equal(workload.consents.length, 50);
  const count = (p) => 1 + (p.provision ?? []).reduce((n, c) => n + count(c), 0);
  for (const c of workload.consents) assert.equal(count(c.provision), 5, c.id);
  assert.equal(workload.requests.length, 128);
  assert.equal(workload.requests.filter((q) => q.expected === 'permit').length, 64);
});

test('the purpose hierarchy is the PurposeOfUse subtree of the shipped v3-ActReason', () => {
  const file = path.join(
    repoRoot,
    'native-tests/vectors/external/fhir/terminology/CodeSystem-v3-ActReason.json',
  );
  const cs = JSON.parse(fs.readFileSync(file, 'utf8')); // fails when the file is missing
  const parents = {};
  for (const c of cs.concept) {
    parents[c.code] = (c.property ?? [])
      .filter((p) => p.code === 'subsumedBy')
      .map((p) => p.valueCode);
  }
  const below = {};
  const walk = (code) => {
    for (const [k, ps] of Object.entries(parents)) {
      if (ps.includes(code) && !(k in below)) {
        below[k] = code;
        walk(k);
      }
    }
  };
  walk('PurposeOfUse');
  assert.deepEqual(below, PURPOSE_PARENT);
});

test('every expected decision is the same under every reading of the open points', () => {
  for (const v of allVariants()) {
    for (const q of workload.requests) {
      assert.equal(
        evaluate(workload.consents, q.request, workload.nowMs, v),
        q.expected,
        `${q.id} ${JSON.stringify(v)}`,
      );
    }
  }
});

test('the requests exercise subsumption, sensitive labels and exceptions', () => {
  const permits = workload.requests.filter((q) => q.expected === 'permit');
  const rootPurposes = new Set(workload.consents.map((c) => c.provision.purpose[0].code));
  assert.ok(
    permits.some((q) => q.request.purpose.code === 'ETREAT'),
    'an ETREAT request permitted',
  );
  assert.ok(
    permits.some((q) => !rootPurposes.has(q.request.purpose.code)),
    'a purpose no consent names, permitted by subsumption',
  );
  assert.ok(
    permits.some((q) => q.request.securityLabels.some((l) => l.system === SYS.actCode)),
    'a sensitive label opened',
  );
  // Denied only because of a nested exception: permitted without them.
  const bare = workload.consents.map((c) => ({
    ...c,
    provision: { ...c.provision, provision: [] },
  }));
  const byException = workload.requests.filter(
    (q) => q.expected === 'deny' && evaluate(bare, q.request, workload.nowMs) === 'permit',
  );
  assert.ok(byException.length >= 5, `${byException.length} requests denied by an exception`);
});

// Hand-made cases for the reference evaluator.
const c = (id, status, root) => ({
  resourceType: 'Consent',
  id,
  status,
  provision: { type: 'permit', ...root },
});
const actor = (ref, role = 'PRCP') => ({
  role: { coding: [{ system: SYS.participation, code: role }] },
  reference: { reference: ref },
});
const purpose = (code) => [{ system: SYS.actReason, code }];
const req = (over) => ({
  actor: {
    references: [{ reference: 'Practitioner/a' }, { reference: 'Organization/o' }],
    roles: [{ system: SYS.participation, code: 'PRCP' }],
  },
  action: { system: SYS.consentAction, code: 'access' },
  purpose: { system: SYS.actReason, code: 'TREAT' },
  resourceType: 'Observation',
  class: [{ system: SYS.resourceTypes, code: 'Observation' }],
  codes: [],
  securityLabels: [],
  dataPeriod: { start: '2024-01-01T08:00:00Z', end: '2024-01-01T09:00:00Z' },
  ...over,
});
const now = Date.parse('2026-06-01T12:00:00Z');
const treat = c('t', 'active', { actor: [actor('Organization/o')], purpose: purpose('TREAT') });

test('evaluator: purpose subsumption goes from the provision down to the request', () => {
  assert.equal(
    evaluate([treat], req({ purpose: { system: SYS.actReason, code: 'ETREAT' } }), now),
    'permit',
  );
  const emergency = c('e', 'active', {
    actor: [actor('Organization/o')],
    purpose: purpose('ETREAT'),
  });
  assert.equal(evaluate([emergency], req(), now), 'deny');
  assert.equal(
    evaluate([treat], req({ purpose: { system: SYS.actReason, code: 'HRESCH' } }), now),
    'deny',
  );
});

test('evaluator: status, period, nested exception, deny overrides, sensitive labels', () => {
  assert.equal(evaluate([{ ...treat, status: 'inactive' }], req(), now), 'deny');
  const expired = c('x', 'active', {
    ...treat.provision,
    period: { start: '2020-01-01', end: '2025-12-31' },
  });
  assert.equal(evaluate([expired], req(), now), 'deny');
  const except = c('n', 'active', {
    ...treat.provision,
    provision: [{ type: 'deny', actor: [actor('Practitioner/a')] }],
  });
  assert.equal(evaluate([except], req(), now), 'deny');
  assert.equal(
    evaluate(
      [except],
      req({
        actor: {
          ...req().actor,
          references: [{ reference: 'Practitioner/b' }, { reference: 'Organization/o' }],
        },
      }),
      now,
    ),
    'permit',
  );
  assert.equal(evaluate([treat, except], req(), now), 'deny', 'deny overrides permit');
  const psy = [{ system: SYS.actCode, code: 'PSY' }];
  assert.equal(evaluate([treat], req({ securityLabels: psy }), now), 'deny', 'PSY stays closed');
  const opens = c('p', 'active', { ...treat.provision, securityLabel: psy });
  assert.equal(evaluate([opens], req({ securityLabels: psy }), now), 'permit');
  assert.equal(
    evaluate([opens], req(), now),
    'deny',
    'a label-naming permit covers only data with that label',
  );
});

test('Cedar (preparsed translation) gives every request its expected decision', () => {
  const { decide, policies } = prepareCedar(cedar, workload, 'consent-test');
  assert.match(policies, /^forbid/m);
  const counts = checkDecisions('cedar', workload, decide);
  assert.deepEqual(counts, { requests: 128, permits: 64, denies: 64 });
});

test('checkDecisions fails on a disagreement', () => {
  assert.throws(
    () => checkDecisions('always-permit', workload, () => 'permit'),
    /disagrees .* on 64 of 128/,
  );
});

test('the 1,000-resource Synthea Bundle: five bundles in file order, then marked copies', () => {
  const { bundle, files } = loadSynthea(); // fails when the bundles are missing
  assert.equal(files.length, 5);
  assert.equal(bundle.entry.length, 1000);
  const urls = new Set(bundle.entry.map((e) => e.fullUrl));
  const ids = new Set(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  assert.equal(urls.size, 1000);
  assert.equal(ids.size, 1000);
  const first = JSON.parse(fs.readFileSync(path.join(syntheaDir, files[0]), 'utf8'));
  assert.deepEqual(bundle.entry[0].resource, first.entry[0].resource);
  assert.throws(() => syntheaBundle([{ resourceType: 'Bundle', entry: [] }]), /no entries/);
});

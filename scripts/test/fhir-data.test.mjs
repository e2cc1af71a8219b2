// SPDX-License-Identifier: Apache-2.0
// The FHIR data files are what their scripts make of the committed sources:
// core/fhir/data/{terminology,sensitivity}.json from
// scripts/fhir/extract-terminology.mjs, and the derived expectations in
// native-tests/vectors/fhir/labels_synthea.json from the independent
// JavaScript labeler scripts/fhir/label-reference.mjs (which also checks the
// hand-written cases there). Each check is also run on a changed file, to
// show that it can fail.
//
//   node --test scripts/test/
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { extract, OUTPUTS, repoRoot } from '../fhir/extract-terminology.mjs';
import { derive, labelResource, loadData, render, VECTOR_FILE } from '../fhir/label-reference.mjs';

const read = (rel) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');

test('core/fhir/data/*.json are what the extraction gives', () => {
  const out = extract();
  for (const [k, rel] of Object.entries(OUTPUTS))
    assert.equal(read(rel), out[k], `${rel}: re-run scripts/fhir/extract-terminology.mjs`);
  // Deterministic: a second run gives the same bytes.
  assert.deepEqual(extract(), out);
});

test('the extraction keeps what the spec says and nothing else', () => {
  const t = JSON.parse(extract().terminology);
  const pou =
    t.valueSets['http://terminology.hl7.org/ValueSet/v3-PurposeOfUse'].codes[
      'http://terminology.hl7.org/CodeSystem/v3-ActReason'
    ];
  assert.equal(pou.length, 63); // PurposeOfUse + the 62 below it
  const s = JSON.parse(extract().sensitivity);
  assert.deepEqual(Object.keys(s.codes), [
    'http://hl7.org/fhir/sid/icd-10-cm',
    'http://loinc.org',
    'http://snomed.info/sct',
    'http://www.nlm.nih.gov/research/umls/rxnorm',
  ]);
  assert.ok(!s.labels.some((l) => l.code === 'DIS'));
  assert.ok('185347001' in s.suppressed['http://snomed.info/sct']);
  assert.ok(!('185347001' in s.codes['http://snomed.info/sct']));
});

test('the label expectations are what the reference labeler gives', () => {
  const now = read(VECTOR_FILE);
  assert.equal(
    render(derive(JSON.parse(now))),
    now,
    `${VECTOR_FILE}: re-run scripts/fhir/label-reference.mjs`,
  );
});

test('the checks can fail', () => {
  const v = JSON.parse(read(VECTOR_FILE));
  v.bundles[0].suppressed += 1;
  assert.notEqual(render(derive(v)), render(v));
  const bad = JSON.parse(read(VECTOR_FILE));
  bad.cases[0].results[0].confidentiality = 'N';
  assert.throws(() => derive(bad), /the reference gives/);
  // The reference labels like the spec: a sensitive code gives R.
  const r = labelResource(
    {
      resourceType: 'Condition',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '86849004' }] },
    },
    loadData(),
  );
  assert.equal(r.confidentiality, 'R');
});

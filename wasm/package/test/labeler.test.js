// SPDX-License-Identifier: Apache-2.0
// labelResource (src/labeler.ts, core/fhir/labeler.h) through the
// WebAssembly build, against the same expectations the native suite reads
// (native-tests/vectors/fhir/labels_synthea.json: hand-written cases, and
// per-file results for the 5 Synthea bundles and the HL7 R4 examples derived
// by scripts/fhir/label-reference.mjs). A missing vector or data file fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, medseal, repoRoot } from '../test-support/helpers.js';

await medseal.init();

const vectorsDir = path.join(repoRoot, 'native-tests', 'vectors');
const vectors = JSON.parse(
  readFileSync(path.join(vectorsDir, 'fhir', 'labels_synthea.json'), 'utf8'),
);

const code = (c) => `${c.system}|${c.code}`;
const reason = (r) => ({
  label: code(r.label),
  rule: r.rule,
  path: r.path,
  matched: r.matched === null ? '' : code(r.matched),
});
// A result as the vector file writes it.
function compact(r) {
  return {
    resourceType: r.resourceType,
    id: r.id,
    labels: r.labels.map(code),
    confidentiality: r.confidentiality,
    reasons: r.reasons.map(reason),
    suppressed: r.suppressed.map(reason),
  };
}

function summarize(results) {
  const labelCounts = {};
  const suppressedByCode = {};
  const confidentiality = { N: 0, R: 0, V: 0 };
  let reasons = 0;
  let suppressed = 0;
  const sample = [];
  results.forEach((r, index) => {
    confidentiality[r.confidentiality] += 1;
    for (const l of r.labels) labelCounts[code(l)] = (labelCounts[code(l)] ?? 0) + 1;
    reasons += r.reasons.length;
    suppressed += r.suppressed.length;
    for (const s of r.suppressed)
      suppressedByCode[code(s.matched)] = (suppressedByCode[code(s.matched)] ?? 0) + 1;
    if ((r.reasons.length || r.suppressed.length) && sample.length < 5)
      sample.push({ index, ...compact(r) });
  });
  const sorted = (o) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    resources: results.length,
    labeled: results.filter((r) => r.labels.length).length,
    labelCounts: sorted(labelCounts),
    confidentiality,
    reasons,
    suppressed,
    suppressedByCode: sorted(suppressedByCode),
    sample,
  };
}

test('the hand-written cases, from text and from UTF-8 bytes', () => {
  assert.ok(vectors.cases.length >= 10);
  for (const c of vectors.cases) {
    const text = JSON.stringify(c.resource);
    if (c.error !== undefined) {
      expectCode(() => medseal.labelResource(text), c.error);
      expectCode(() => medseal.labelResource(new TextEncoder().encode(text)), c.error);
      continue;
    }
    assert.deepEqual(medseal.labelResource(text).map(compact), c.results, c.name);
    assert.deepEqual(
      medseal.labelResource(new TextEncoder().encode(text)).map(compact),
      c.results,
      c.name,
    );
  }
});

for (const part of ['bundles', 'examples']) {
  test(`the ${part} label as expected`, () => {
    assert.ok(vectors[part].length >= 5);
    for (const f of vectors[part]) {
      const bytes = readFileSync(path.join(vectorsDir, f.file));
      const { file, ...want } = f;
      assert.deepEqual(summarize(medseal.labelResource(bytes)), want, file);
    }
  });
}

test('results carry displays and types', () => {
  const [r] = medseal.labelResource(JSON.stringify(vectors.cases[1].resource));
  assert.equal(r.confidentiality, 'V');
  assert.equal(r.labels[1].display, 'psychotherapy note information sensitivity');
  const last = r.reasons.at(-1);
  assert.equal(last.rule, 'confidentiality');
  assert.equal(last.label.display, 'very restricted');
  const meta = medseal.labelResource(JSON.stringify(vectors.cases[2].resource))[0].reasons[0];
  assert.equal(meta.rule, 'meta.security');
  assert.equal(meta.matched, null);
});

test('bad input gets a code and the module stays usable', () => {
  expectCode(() => medseal.labelResource(42), 'INVALID_ARGUMENT');
  expectCode(() => medseal.labelResource({ resourceType: 'Patient' }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.labelResource('\ud800'), 'INVALID_ARGUMENT');
  expectCode(() => medseal.labelResource(''), 'MALFORMED');
  expectCode(
    () =>
      medseal.labelResource(
        '{"resourceType":"Basic","x":' + '['.repeat(100000) + ']'.repeat(100000) + '}',
      ),
    'MALFORMED',
  );
  expectCode(() => medseal.labelResource(new Uint8Array([0x7b, 0xff, 0x7d])), 'MALFORMED');
  expectCode(() => medseal.labelResource(' '.repeat(16 * 1024 * 1024 + 1)), 'TOO_LARGE');
  assert.deepEqual(medseal.labelResource('{"resourceType":"Basic"}')[0].labels, []);
});

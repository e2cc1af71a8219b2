// SPDX-License-Identifier: Apache-2.0
// FHIR Consent through the package (convertConsent, wasm/bindings/consent.cc):
// the same vector file and example files as native-tests/fhir/
// consent_resource_test.cc (native-tests/vectors/fhir/consent_examples.json),
// and the MUST-reject rules of docs/spec/fhir-consent.md §7. A missing or
// extra example file fails the suite.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, medseal, repoRoot } from '../test-support/helpers.js';

await medseal.init();
const { convertConsent } = medseal;

const vectorsDir = path.join(repoRoot, 'native-tests', 'vectors');
const doc = JSON.parse(
  readFileSync(path.join(vectorsDir, 'fhir', 'consent_examples.json'), 'utf8'),
);
const examples = doc.examples.map((e) => ({
  ...e,
  text: readFileSync(path.join(vectorsDir, e.file), 'utf8'),
}));
const other = (v) => (v === 'R4' ? 'R5' : 'R4');

// Removes one reported path ("provision.provision[1].extension") from a document.
function removePath(root, p) {
  const tokens = p.split('.').map((t) => {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(t);
    assert.ok(m, `bad path ${p}`);
    return { key: m[1], idx: [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])) };
  });
  let cur = root;
  tokens.forEach(({ key, idx }, i) => {
    const last = i === tokens.length - 1;
    assert.ok(cur !== null && typeof cur === 'object' && key in cur, `path ${p} not in document`);
    if (last && idx.length === 0) {
      delete cur[key];
      return;
    }
    cur = cur[key];
    idx.forEach((n, k) => {
      assert.ok(Array.isArray(cur) && n < cur.length, `path ${p} not in document`);
      if (last && k === idx.length - 1) cur.splice(n, 1);
      else cur = cur[n];
    });
  });
}

// Drops objects and arrays that removing paths left empty.
function prune(v) {
  if (Array.isArray(v)) return v.map(prune);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    const y = prune(x);
    if (y !== null && typeof y === 'object' && Object.keys(y).length === 0) continue;
    out[k] = y;
  }
  return out;
}

test('the example folders hold exactly the listed files', () => {
  const listed = new Set(examples.map((e) => e.file));
  let total = 0;
  for (const [folder, count] of Object.entries(doc.folders)) {
    const files = readdirSync(path.join(vectorsDir, folder)).filter((f) =>
      f.startsWith('Consent-'),
    );
    assert.equal(files.length, count, folder);
    for (const f of files) assert.ok(listed.has(`${folder}/${f}`), `${f} is not listed`);
    total += files.length;
  }
  assert.equal(total, listed.size);
  assert.equal(total, 25);
});

test('consent_examples.json is what the spec-rule script writes (not what core says)', () => {
  // Throws (fails) if the committed file differs from the script's output.
  execFileSync(process.execPath, [
    path.join(vectorsDir, 'fhir', 'consent_examples.mjs'),
    '--check',
  ]);
});

test('every example reads with the expected version and unsupported paths', () => {
  for (const e of examples) {
    const detected = convertConsent(e.text);
    assert.equal(detected.fhirVersion, e.fhirVersion, e.file);
    assert.equal(detected.targetVersion, e.fhirVersion, e.file);
    assert.deepEqual(detected.unsupportedPaths, e.unsupportedPaths, e.file);
    const explicit = convertConsent(e.text, { from: e.fhirVersion });
    assert.deepEqual(explicit, detected, e.file);
    expectCode(() => convertConsent(e.text, { from: other(e.fhirVersion) }), 'MALFORMED');
  }
});

test('same-version writing keeps every modeled field', () => {
  for (const e of examples) {
    const { json, unsupportedPaths } = convertConsent(e.text);
    const original = JSON.parse(e.text);
    for (const p of [...unsupportedPaths].reverse()) removePath(original, p);
    assert.deepEqual(JSON.parse(json), prune(original), e.file);
    // What the core writes reads back to itself, with nothing unsupported.
    const again = convertConsent(json, { from: e.fhirVersion });
    assert.equal(again.json, json, e.file);
    assert.deepEqual(again.unsupportedPaths, [], e.file);
  }
});

test('R4 -> R5 -> R4 and R5 -> R4 -> R5 lose nothing', () => {
  for (const e of examples) {
    const direct = convertConsent(e.text).json;
    const there = convertConsent(e.text, { to: other(e.fhirVersion) });
    assert.equal(there.targetVersion, other(e.fhirVersion));
    const back = convertConsent(there.json, { from: other(e.fhirVersion), to: e.fhirVersion });
    assert.deepEqual(back.unsupportedPaths, [], `${e.file}: ${there.json}`);
    assert.equal(back.json, direct, e.file);
  }
});

test('the written text is the known answer, byte for byte with native', () => {
  const written = JSON.parse(
    readFileSync(path.join(vectorsDir, 'fhir', 'consent_written.json'), 'utf8'),
  );
  assert.equal(written.cases.length, 2 * examples.length);
  const seen = new Set();
  for (const c of written.cases) {
    const text = readFileSync(path.join(vectorsDir, c.file), 'utf8');
    assert.equal(convertConsent(text, { from: c.from, to: c.to }).json, c.json, c.file);
    seen.add(`${c.file} ${c.to}`);
  }
  assert.equal(seen.size, 2 * examples.length);
});

test('the cross-version extensions carry what the other version lacks', () => {
  const r5 = convertConsent(
    JSON.stringify({
      resourceType: 'Consent',
      status: 'not-done',
      grantee: [{ reference: 'Practitioner/a' }],
      decision: 'permit',
      provision: [{ purpose: [{ code: 'TREAT' }] }],
    }),
  );
  assert.equal(r5.fhirVersion, 'R5');
  const r4 = convertConsent(r5.json, { to: 'R4' });
  const j = JSON.parse(r4.json);
  assert.equal(j.status, 'rejected');
  assert.deepEqual(
    j.extension.map((x) => x.url),
    [
      'http://hl7.org/fhir/5.0/StructureDefinition/extension-Consent.status',
      'http://hl7.org/fhir/5.0/StructureDefinition/extension-Consent.grantee',
    ],
  );
  assert.equal(j.provision.type, 'permit');
  assert.equal(convertConsent(r4.json, { to: 'R5' }).json, r5.json);
});

const base = '{"resourceType":"Consent","status":"active"';
const consent = (rest) => `${base}${rest}}`;

test('MUST-reject rules FC1-FC16 with their codes', () => {
  const cases = [
    ['FC1', consent(`,"id":"${'a'.repeat(256 * 1024)}"`), 'TOO_LARGE'],
    ['FC2', '{', 'MALFORMED'],
    ['FC2', consent(',"id":"a","id":"b"'), 'MALFORMED'],
    ['FC3', consent(`,"text":${'['.repeat(40)}${']'.repeat(40)}`), 'TOO_DEEP'],
    ['FC4', '{"resourceType":"Patient","status":"active"}', 'MALFORMED'],
    [
      'FC5',
      consent(',"modifierExtension":[{"url":"urn:m","valueBoolean":true}]'),
      'UNSUPPORTED_VERSION',
    ],
    ['FC5', consent(',"implicitRules":"urn:r"'), 'UNSUPPORTED_VERSION'],
    ['FC6', consent(',"bogus":1'), 'MALFORMED'],
    ['FC7', consent(',"patient":"Patient/p"'), 'MALFORMED'],
    ['FC7', consent(',"dateTime":1e400'), 'MALFORMED'],
    ['FC7', consent(',"performer":[{"reference":123456789012345678901234567890}]'), 'MALFORMED'],
    ['FC7', consent(',"category":[]'), 'MALFORMED'],
    ['FC8', consent(`,"category":[${Array(257).fill('{"text":"c"}').join(',')}]`), 'TOO_LARGE'],
    ['FC9', '{"resourceType":"Consent","status":"ACTIVE"}', 'MALFORMED'],
    ['FC9', consent(',"provision":{"type":"allow"}'), 'MALFORMED'],
    ['FC10', consent(',"dateTime":"2016-01-01T10:00:00"'), 'MALFORMED'],
    ['FC10', consent(',"provision":{"period":{"start":"2017","end":"2016"}}'), 'MALFORMED'],
    [
      'FC11',
      consent(
        `,"provision":${'{"type":"permit","provision":['.repeat(8)}{"type":"deny"}${']}'.repeat(8)}`,
      ),
      'TOO_DEEP',
    ],
    ['FC12', consent(',"provision":{"data":[{"meaning":"related"}]}'), 'MALFORMED'],
    [
      'FC13',
      consent(',"provision":[{"resourceType":[{"system":"urn:ietf:bcp:13","code":"text/plain"}]}]'),
      'MALFORMED',
    ],
    ['FC14', consent(',"extension":[{"valueString":"x"}]'), 'MALFORMED'],
    ['FC15', '{"resourceType":"Consent"}', 'MALFORMED'],
    ['FC16', consent(',"patient":{"reference":"a"},"decision":"deny"'), 'MALFORMED'],
  ];
  for (const [rule, json, code] of cases) {
    expectCode(() => convertConsent(json), code);
    void rule;
  }
  // The module stays usable.
  assert.equal(convertConsent(examples[0].text).fhirVersion, examples[0].fhirVersion);
});

test('wrong types from JavaScript', () => {
  expectCode(() => convertConsent(42), 'INVALID_ARGUMENT');
  expectCode(() => convertConsent('\ud800'), 'INVALID_ARGUMENT');
  expectCode(() => convertConsent(consent(''), { to: 'R6' }), 'INVALID_ARGUMENT');
  expectCode(() => convertConsent(consent(''), { from: 4 }), 'INVALID_ARGUMENT');
  expectCode(() => convertConsent(consent(''), null), 'INVALID_ARGUMENT');
  assert.equal(convertConsent(consent(''), {}).fhirVersion, 'R4');
});

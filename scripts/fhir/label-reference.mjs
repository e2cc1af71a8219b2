// SPDX-License-Identifier: Apache-2.0
// A second, independent implementation of docs/spec/labeling.md in
// JavaScript, written from the spec (not from core/fhir/labeler.cc), over
// the same data file (core/fhir/data/sensitivity.json). It derives the
// expected results in native-tests/vectors/fhir/labels_synthea.json that
// the C++ tests (native-tests/fhir/labeler_test.cc) and the package's Node
// test (wasm/package/test/labeler.test.js) check core against.
//
//   node scripts/fhir/label-reference.mjs           rewrites the derived parts of the vector file
//   node scripts/fhir/label-reference.mjs --check   exits 1 if they differ
//
// The vector file's "cases" are written by hand (their expected results
// were read off the value sets in native-tests/vectors/external/fhir/
// sensitivity/); this script checks that it agrees with them too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VECTOR_FILE = 'native-tests/vectors/fhir/labels_synthea.json';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const LEVELS = ['U', 'L', 'M', 'N', 'R', 'V'];
const MAX_DEPTH = 16;

export function loadData() {
  return JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'core/fhir/data/sensitivity.json'), 'utf8'),
  );
}

// Member names in the order of their UTF-8 bytes (spec §2.2).
const byUtf8 = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const keyOf = (system, code) => JSON.stringify([system, code]);
const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

class LabelError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function inLists(lists, system, code) {
  return (lists[system] ?? []).includes(code);
}

// One resource (spec §2).
export function labelResource(resource, data) {
  if (!isObject(resource)) throw new LabelError('MALFORMED', 'a resource is not an object');
  if (typeof resource.resourceType !== 'string' || resource.resourceType === '')
    throw new LabelError('MALFORMED', 'resourceType');
  if ('id' in resource && typeof resource.id !== 'string') throw new LabelError('MALFORMED', 'id');
  const reasons = [];
  const suppressed = [];
  const labels = new Map(); // key -> {label, path}
  let existing = -1;
  const addLabel = (label, p) => {
    const k = keyOf(label.system, label.code);
    if (!labels.has(k)) labels.set(k, { label, path: p });
  };
  // §2.1 meta.security
  if ('meta' in resource) {
    const meta = resource.meta;
    if (!isObject(meta)) throw new LabelError('MALFORMED', 'meta');
    if ('security' in meta) {
      if (!Array.isArray(meta.security)) throw new LabelError('MALFORMED', 'meta.security');
      meta.security.forEach((c, i) => {
        if (!isObject(c)) throw new LabelError('MALFORMED', 'meta.security entry');
        for (const m of ['system', 'code', 'display'])
          if (m in c && typeof c[m] !== 'string')
            throw new LabelError('MALFORMED', 'meta.security member');
        const label = { system: c.system ?? '', code: c.code ?? '', display: c.display ?? '' };
        if (label.code === '') return;
        const p = `meta.security[${i}]`;
        reasons.push({
          label,
          rule: 'meta.security',
          path: p,
          matched: { system: '', code: '', display: '' },
        });
        const rank = label.system === CONFIDENTIALITY ? LEVELS.indexOf(label.code) : -1;
        if (rank >= 0) existing = Math.max(existing, rank);
        else addLabel(label, p);
      });
    }
  }
  // §2.2 the walk
  const match = (table, c, p, out, apply) => {
    const pairs = table?.[c.system]?.[c.code];
    if (!pairs) return;
    const seen = new Set();
    const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [li, vi] of sorted) {
      if (seen.has(li)) continue;
      seen.add(li);
      const label = data.labels[li];
      out.push({
        label: { system: label.system, code: label.code, display: label.display },
        rule: data.valueSets[vi].url,
        path: p,
        matched: {
          system: c.system,
          code: c.code,
          display: typeof c.display === 'string' ? c.display : '',
        },
      });
      if (apply) addLabel({ system: label.system, code: label.code, display: label.display }, p);
    }
  };
  const visit = (value, p, depth) => {
    if (value === null || typeof value !== 'object') return;
    if (depth > MAX_DEPTH) throw new LabelError('TOO_DEEP', 'deeper than 16');
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${p}[${i}]`, depth + 1));
      return;
    }
    if (typeof value.system === 'string' && 'code' in value) {
      if (typeof value.code !== 'string') throw new LabelError('MALFORMED', 'code');
      match(data.codes, value, p, reasons, true);
      match(data.suppressed, value, p, suppressed, false);
    }
    for (const k of Object.keys(value).sort(byUtf8)) {
      if (isObject(value[k]) && (k === 'meta' || k === 'text')) continue;
      visit(value[k], p === '' ? k : `${p}.${k}`, depth + 1);
    }
  };
  for (const k of Object.keys(resource).sort(byUtf8)) {
    if (isObject(resource[k]) && (k === 'meta' || k === 'text')) continue;
    visit(resource[k], k, 2);
  }
  // §2.3 labels sorted by (system, code); §2.4 confidentiality
  const sortedKeys = [...labels.keys()].sort((a, b) => {
    const [sa, ca] = JSON.parse(a);
    const [sb, cb] = JSON.parse(b);
    return byUtf8(sa, sb) || byUtf8(ca, cb);
  });
  let derived = 3;
  let cause = null;
  for (const k of sortedKeys) {
    const { label } = labels.get(k);
    const rank = inLists(data.veryRestricted, label.system, label.code)
      ? 5
      : inLists(data.sensitiveLabels, label.system, label.code)
        ? 4
        : -1;
    if (rank > derived) {
      derived = rank;
      cause = k;
    }
  }
  const level = Math.max(existing, derived, 3);
  if (cause !== null && derived > existing) {
    const { label, path: p } = labels.get(cause);
    reasons.push({
      label: {
        system: CONFIDENTIALITY,
        code: LEVELS[level],
        display: derived === 5 ? 'very restricted' : 'restricted',
      },
      rule: 'confidentiality',
      path: p,
      matched: label,
    });
  }
  return {
    resourceType: resource.resourceType,
    id: typeof resource.id === 'string' ? resource.id : '',
    labels: sortedKeys.map((k) => labels.get(k).label),
    confidentiality: LEVELS[level],
    reasons,
    suppressed,
  };
}

export function labelAll(doc, data) {
  if (!isObject(doc)) throw new LabelError('MALFORMED', 'not an object');
  if (doc.resourceType !== 'Bundle') return [labelResource(doc, data)];
  if (!('entry' in doc)) return [];
  if (!Array.isArray(doc.entry)) throw new LabelError('MALFORMED', 'entry');
  return doc.entry.map((e) => {
    if (!isObject(e) || !isObject(e.resource)) throw new LabelError('MALFORMED', 'entry.resource');
    return labelResource(e.resource, data);
  });
}

// What the vector file records per file: counts, and the full results of
// the resources that any rule touched.
export function summarize(results) {
  const labelCounts = {};
  const confidentiality = { N: 0, R: 0, V: 0 };
  const suppressedByCode = {};
  let reasons = 0;
  let suppressed = 0;
  const touched = [];
  results.forEach((r, index) => {
    confidentiality[r.confidentiality] = (confidentiality[r.confidentiality] ?? 0) + 1;
    for (const l of r.labels)
      labelCounts[`${l.system}|${l.code}`] = (labelCounts[`${l.system}|${l.code}`] ?? 0) + 1;
    reasons += r.reasons.length;
    suppressed += r.suppressed.length;
    for (const s of r.suppressed) {
      const k = `${s.matched.system}|${s.matched.code}`;
      suppressedByCode[k] = (suppressedByCode[k] ?? 0) + 1;
    }
    if (r.reasons.length || r.suppressed.length) touched.push({ index, ...compact(r) });
  });
  const sortObj = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => byUtf8(a, b)));
  return {
    resources: results.length,
    labeled: results.filter((r) => r.labels.length).length,
    labelCounts: sortObj(labelCounts),
    confidentiality,
    reasons,
    suppressed,
    suppressedByCode: sortObj(suppressedByCode),
    // The first 5 touched resources in full (the rest by count only).
    sample: touched.slice(0, 5),
  };
}

// A result as the vector file writes it: codings as "system|code".
export function compact(r) {
  const c = (x) => `${x.system}|${x.code}`;
  const reason = (x) => ({
    label: c(x.label),
    rule: x.rule,
    path: x.path,
    matched: x.matched.code === '' ? '' : c(x.matched),
  });
  return {
    resourceType: r.resourceType,
    id: r.id,
    labels: r.labels.map(c),
    confidentiality: r.confidentiality,
    reasons: r.reasons.map(reason),
    suppressed: r.suppressed.map(reason),
  };
}

const FILES = {
  bundles: [
    'Leonardo_Heaney_3a01d46f-5ac8-42f9-8aa9-24dcdefb6e6e.json',
    'Marlin_Kuphal_601f9ffc-f62a-4e01-8666-6443b3c47400.json',
    'Matt_Mosciski_11bfb5ea-d969-43ae-8411-953b246de98d.json',
    'Merlin_Howell_a15df4a5-0aae-40a0-b161-1f71381a8ce9.json',
    'Valentin_Keeling_eec512c0-d680-4dd8-a7ce-5102193974fd.json',
  ].map((f) => `external/fhir/synthea/${f}`),
  examples: [
    'Bundle-bundle-example.json',
    'Condition-example.json',
    'DiagnosticReport-102.json',
    'MedicationRequest-medrx0301.json',
    'Observation-example.json',
    'Patient-example.json',
  ].map((f) => `external/fhir/hl7-r4-assorted/${f}`),
};

const readVector = (rel) =>
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'native-tests/vectors', rel), 'utf8'));

// The vector file with its derived parts recomputed; throws if a
// hand-written case disagrees with this implementation.
export function derive(current) {
  const data = loadData();
  const out = { ...current };
  for (const part of ['bundles', 'examples'])
    out[part] = FILES[part].map((file) => ({
      file,
      ...summarize(labelAll(readVector(file), data)),
    }));
  for (const c of current.cases) {
    let got;
    try {
      got = { results: labelAll(c.resource, data).map(compact) };
    } catch (e) {
      if (!(e instanceof LabelError)) throw e;
      got = { error: e.code };
    }
    const want = c.error !== undefined ? { error: c.error } : { results: c.results };
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(`case "${c.name}": the reference gives ${JSON.stringify(got)}`);
  }
  return out;
}

export function render(v) {
  return JSON.stringify(v, null, 1) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = path.join(repoRoot, VECTOR_FILE);
  const now = fs.readFileSync(file, 'utf8');
  const next = render(derive(JSON.parse(now)));
  if (process.argv.includes('--check')) {
    if (next !== now) {
      console.error(`${VECTOR_FILE} differs from what the reference labeler gives`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(file, next);
    console.log(`wrote ${VECTOR_FILE}`);
  }
}

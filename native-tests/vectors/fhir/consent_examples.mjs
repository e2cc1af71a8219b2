// SPDX-License-Identifier: Apache-2.0
// Writes consent_examples.json from the example files and the rules of
// docs/spec/fhir-consent.md (§6 unsupported paths, §5 decisions 1 and 2),
// independently of core: the expected values the native and Node suites
// compare core against.
//
//   node native-tests/vectors/fhir/consent_examples.mjs > native-tests/vectors/fhir/consent_examples.json
//   node native-tests/vectors/fhir/consent_examples.mjs --check   (exit 1 if the committed file differs)
//
// It covers what the examples contain (no extensions, no modifier
// extensions); the suites' own cases cover the rest.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const vectors = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const FOLDERS = [
  ['external/fhir/hl7-r4-consent', 'R4'],
  ['external/fhir/hl7-r5-consent', 'R5'],
  ['external/fhir/ihe-balp-consent', 'R4'],
];

// Datatypes: [modeled members with their datatypes (null: primitive), unmodeled members].
const TYPES = {
  Coding: [
    { system: null, code: null, display: null },
    ['id', 'extension', 'version', 'userSelected'],
  ],
  CodeableConcept: [{ coding: 'Coding', text: null }, ['id', 'extension']],
  Identifier: [
    { system: null, value: null },
    ['id', 'extension', 'use', 'type', 'period', 'assigner'],
  ],
  Reference: [
    { reference: null, identifier: 'Identifier', display: null },
    ['id', 'extension', 'type'],
  ],
  Period: [{ start: null, end: null }, ['id', 'extension']],
  Meta: [
    { versionId: null, lastUpdated: null },
    ['id', 'extension', 'source', 'profile', 'security', 'tag'],
  ],
  Actor: [{ role: 'CodeableConcept', reference: 'Reference' }, ['id', 'extension']],
  Data: [{ meaning: null, reference: 'Reference' }, ['id', 'extension']],
  Policy: [{ authority: null, uri: null, url: null, reference: 'Reference' }, ['id', 'extension']],
};
const PROVISION = {
  type: null,
  period: 'Period',
  actor: 'Actor',
  action: 'CodeableConcept',
  securityLabel: 'Coding',
  purpose: 'Coding',
  class: 'Coding',
  documentType: 'Coding',
  resourceType: 'Coding',
  code: 'CodeableConcept',
  dataPeriod: 'Period',
  data: 'Data',
};
const CONSENT = {
  resourceType: null,
  id: null,
  status: null,
  dateTime: null,
  date: null,
  decision: null,
  meta: 'Meta',
  identifier: 'Identifier',
  category: 'CodeableConcept',
  regulatoryBasis: 'CodeableConcept',
  scope: 'CodeableConcept',
  policyRule: 'CodeableConcept',
  patient: 'Reference',
  subject: 'Reference',
  performer: 'Reference',
  organization: 'Reference',
  grantor: 'Reference',
  grantee: 'Reference',
  manager: 'Reference',
  controller: 'Reference',
  period: 'Period',
  policy: 'Policy',
  policyBasis: 'Policy',
};
const CONSENT_UNMODELED = [
  'language',
  'text',
  'contained',
  'sourceAttachment',
  'sourceReference',
  'verification',
  'policyText',
  'extension',
];

const join = (p, k) => (p ? `${p}.${k}` : k);

// Reports the unmodeled members of `value` (an object or an array of them).
function walk(value, p, type, out) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${p}[${i}]`, type, out));
    return;
  }
  const [modeled, unmodeled] = TYPES[type];
  for (const [k, v] of Object.entries(value)) {
    const q = join(p, k);
    if (unmodeled.includes(k) || k.startsWith('_')) out.push(q);
    else if (!(k in modeled)) throw new Error(`${q}: not an element`);
    else if (modeled[k] !== null) walk(v, q, modeled[k], out);
  }
}

function provision(value, p, version, out) {
  for (const [k, v] of Object.entries(value)) {
    const q = join(p, k);
    if (k === 'id' || k === 'extension' || k === 'expression' || k.startsWith('_')) out.push(q);
    else if (k === 'provision') v.forEach((c, i) => provision(c, `${q}[${i}]`, version, out));
    else if (PROVISION[k] !== null) walk(v, q, PROVISION[k], out);
  }
}

function unsupported(doc, version) {
  const out = [];
  for (const [k, v] of Object.entries(doc)) {
    if (CONSENT_UNMODELED.includes(k) || k.startsWith('_')) out.push(k);
    else if (k === 'provision' && version === 'R4') provision(v, k, version, out);
    else if (k === 'provision') v.forEach((c, i) => provision(c, `${k}[${i}]`, version, out));
    else if (!(k in CONSENT)) throw new Error(`${k}: not an element`);
    else if (CONSENT[k] !== null) walk(v, k, CONSENT[k], out);
  }
  return out;
}

// The R4 root's criteria: what it matches on besides period and children.
const R4_CRITERIA = [
  'actor',
  'action',
  'securityLabel',
  'purpose',
  'class',
  'code',
  'dataPeriod',
  'data',
];

// Decision 1: the consent's base decision when the R4 root writes no type
// and has criteria (null otherwise; R5 needs none).
function base(doc, version) {
  if (version !== 'R4' || !doc.provision || doc.provision.type !== undefined) return null;
  if (!R4_CRITERIA.some((k) => doc.provision[k] !== undefined)) return null;
  const codes = new Set(
    (doc.policyRule?.coding ?? []).filter((c) => c.system === ACT_CODE).map((c) => c.code),
  );
  const permit = codes.has('OPTIN') || codes.has('OPTINR');
  const deny = codes.has('OPTOUT') || codes.has('OPTOUTE');
  return permit && !deny ? 'permit' : 'deny';
}

// Decision 1 (root) and decision 2 (negation of the parent), pre-order.
function types(doc, version) {
  const rules =
    version === 'R4' ? (doc.policyRule ? [doc.policyRule] : []) : (doc.regulatoryBasis ?? []);
  const codes = new Set(
    rules.flatMap((r) => (r.coding ?? []).filter((c) => c.system === ACT_CODE).map((c) => c.code)),
  );
  const permit = codes.has('OPTIN') || codes.has('OPTINR');
  const deny = codes.has('OPTOUT') || codes.has('OPTOUTE');
  const derived = permit && !deny ? 'permit' : 'deny';
  const out = [];
  const rec = (p, parent) => {
    const t = p.type ?? (parent === 'permit' ? 'deny' : 'permit');
    out.push(t);
    for (const c of p.provision ?? []) rec(c, t);
  };
  if (version === 'R4') {
    if (!doc.provision) return out;
    // Decision 1: a root that writes no type but has criteria is an
    // exception to the base (the policy rules' decision): its negation.
    const criteria = R4_CRITERIA.some((k) => doc.provision[k] !== undefined);
    const negated = derived === 'permit' ? 'deny' : 'permit';
    const t = doc.provision.type ?? (criteria ? negated : derived);
    out.push(t);
    for (const c of doc.provision.provision ?? []) rec(c, t);
  } else {
    if (doc.decision === undefined && doc.provision === undefined) return out;
    const t = doc.decision ?? derived;
    out.push(t);
    for (const c of doc.provision ?? []) rec(c, t);
  }
  return out;
}

const examples = [];
const folders = {};
for (const [folder, version] of FOLDERS) {
  const files = readdirSync(path.join(vectors, folder))
    .filter((f) => f.startsWith('Consent-'))
    .sort();
  folders[folder] = files.length;
  for (const f of files) {
    const doc = JSON.parse(readFileSync(path.join(vectors, folder, f), 'utf8'));
    examples.push({
      file: `${folder}/${f}`,
      fhirVersion: version,
      unsupportedPaths: unsupported(doc, version),
      provisionTypes: types(doc, version),
      base: base(doc, version),
    });
  }
}
const text = `${JSON.stringify(
  {
    description:
      "The FHIR Consent examples core reads (docs/spec/fhir-consent.md §10): each file, its FHIR version, the JSON paths the reader must report as not modeled, in document order (§6), and the type of every provision of the model in pre-order, root first (decisions 1 and 2, §5), and the consent's base decision when the R4 root is an exception to it (decision 1; null otherwise). 'folders' gives the number of Consent-*.json files each folder must hold: a file missing or added fails the tests. Written by consent_examples.mjs from the spec's rules, not by core.",
    folders,
    examples,
  },
  null,
  2,
)}\n`;

if (process.argv[2] === '--check') {
  const committed = readFileSync(path.join(vectors, 'fhir', 'consent_examples.json'), 'utf8');
  if (committed !== text) {
    console.error('consent_examples.json differs from what consent_examples.mjs writes');
    process.exit(1);
  }
} else {
  process.stdout.write(text);
}

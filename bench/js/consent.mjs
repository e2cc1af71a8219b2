// SPDX-License-Identifier: Apache-2.0
// The consent-engine benchmark's workload (docs/performance.md, "The
// consent workload"): a deterministic generator of one patient's 50 FHIR R4
// Consents of 5 provisions each and of a fixed list of access requests, the
// reference evaluator that gives each request its intended decision (the
// oracle both engines are checked against), and the translation of the
// consents and requests into Cedar (@cedar-policy/cedar-wasm).
//
// Plain ES module, no imports: Node (gen-consent-workload.mjs, the tests,
// node.mjs) and Chromium (browser.mjs serves it as /js/consent.mjs) load
// the same code. The workload itself is generated once into
// bench/data/consent-workload.json (node bench/js/gen-consent-workload.mjs;
// bench/js/consent.test.mjs fails when that file is out of date), which the
// native bench, Node and Chromium all read.

// ---------------------------------------------------------------------------
// Code systems and the data the generator draws from.

export const SYS = {
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  participation: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  consentAction: 'http://terminology.hl7.org/CodeSystem/consentaction',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  resourceTypes: 'http://hl7.org/fhir/resource-types',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
};

// The PurposeOfUse subtree of HL7 v3-ActReason 3.1.0 (THO; each code's
// `subsumedBy` property, i.e. its parent; is-a hierarchy). consent.test.mjs
// checks this table against the CodeSystem file shipped in
// native-tests/vectors/external/fhir/terminology/.
export const PURPOSE_PARENT = {
  HMARKT: 'PurposeOfUse',
  HOPERAT: 'PurposeOfUse',
  CAREMGT: 'HOPERAT',
  DONAT: 'HOPERAT',
  FRAUD: 'HOPERAT',
  GOV: 'HOPERAT',
  HACCRED: 'HOPERAT',
  HCOMPL: 'HOPERAT',
  HDECD: 'HOPERAT',
  HDIRECT: 'HOPERAT',
  HDM: 'HOPERAT',
  HLEGAL: 'HOPERAT',
  HOUTCOMS: 'HOPERAT',
  HPRGRP: 'HOPERAT',
  HQUALIMP: 'HOPERAT',
  HSYSADMIN: 'HOPERAT',
  LABELING: 'HSYSADMIN',
  METAMGT: 'HSYSADMIN',
  MEMADMIN: 'HOPERAT',
  MILCDM: 'HOPERAT',
  PATADMIN: 'HOPERAT',
  PATSFTY: 'HOPERAT',
  PERFMSR: 'HOPERAT',
  RECORDMGT: 'HOPERAT',
  SYSDEV: 'HOPERAT',
  HTEST: 'SYSDEV',
  TRAIN: 'HOPERAT',
  MLTRAINING: 'HOPERAT',
  HPAYMT: 'PurposeOfUse',
  CLMATTCH: 'HPAYMT',
  COVAUTH: 'HPAYMT',
  COVERAGE: 'HPAYMT',
  ELIGDTRM: 'COVERAGE',
  ELIGVER: 'COVERAGE',
  ENROLLM: 'COVERAGE',
  MILDCRG: 'COVERAGE',
  REMITADV: 'HPAYMT',
  PMTDS: 'HPAYMT',
  HRESCH: 'PurposeOfUse',
  BIORCH: 'HRESCH',
  CLINTRCH: 'HRESCH',
  CLINTRCHNPC: 'CLINTRCH',
  CLINTRCHPC: 'CLINTRCH',
  PRECLINTRCH: 'CLINTRCH',
  DSRCH: 'HRESCH',
  POARCH: 'HRESCH',
  TRANSRCH: 'HRESCH',
  PATRQT: 'PurposeOfUse',
  FAMRQT: 'PATRQT',
  PWATRNY: 'PATRQT',
  SUPNWK: 'PATRQT',
  PUBHLTH: 'PurposeOfUse',
  DISASTER: 'PUBHLTH',
  THREAT: 'PUBHLTH',
  TREAT: 'PurposeOfUse',
  CLINTRL: 'TREAT',
  COC: 'TREAT',
  ETREAT: 'TREAT',
  BTG: 'ETREAT',
  ERTREAT: 'ETREAT',
  POPHLTH: 'TREAT',
  TREATDS: 'TREAT',
};

// The purpose and its ancestors, itself first.
export function purposeChain(code) {
  const out = [];
  for (let c = code; c !== undefined; c = PURPOSE_PARENT[c]) out.push(c);
  return out;
}

// Sensitive labels: closed unless a permitting provision names them
// (issue #10; docs/spec/consent.md). The workload uses only these
// sensitivity codes (v3-ActCode) and confidentiality N (not sensitive); it
// never uses R, V, SPI or another label whose status a spec decision sets.
export const SENSITIVE = ['ETH', 'HIV', 'PSY', 'SDV', 'STD'];

const ORGS = [
  'org-general-hospital',
  'org-city-clinic',
  'org-research-institute',
  'org-insurer',
  'org-behavioral-health',
];
// 12 practitioners (6 per care organisation), 3 specialists of a
// behavioural-health practice (named only by the consents that open a
// sensitive label) and 4 organisation staff members; each has one
// participation role in every consent and request.
const PEOPLE = [];
for (let i = 1; i <= 12; i++) {
  PEOPLE.push({
    id: `pr${String(i).padStart(2, '0')}`,
    org: ORGS[(i - 1) % 2],
    role: i % 3 === 0 ? 'IRCP' : 'PRCP',
  });
}
for (const id of ['ps01', 'ps02', 'ps03'])
  PEOPLE.push({ id, org: 'org-behavioral-health', role: 'PRCP' });
PEOPLE.push({ id: 'rs01', org: 'org-research-institute', role: 'IRCP' });
PEOPLE.push({ id: 'rs02', org: 'org-research-institute', role: 'IRCP' });
PEOPLE.push({ id: 'in01', org: 'org-insurer', role: 'IRCP' });
PEOPLE.push({ id: 'in02', org: 'org-insurer', role: 'IRCP' });

// Resource types with a few codes each (system, code) as Synthea writes them.
const DATA = {
  Observation: [
    [SYS.loinc, '4548-4'], // HbA1c
    [SYS.loinc, '8480-6'], // systolic blood pressure
    [SYS.loinc, '72166-2'], // tobacco smoking status
  ],
  Condition: [
    [SYS.snomed, '44054006'], // diabetes mellitus type 2
    [SYS.snomed, '35489007'], // depressive disorder
    [SYS.snomed, '7200002'], // alcoholism
  ],
  MedicationRequest: [
    [SYS.rxnorm, '860975'], // metformin
    [SYS.rxnorm, '312938'], // sertraline
  ],
  Procedure: [[SYS.snomed, '73761001']], // colonoscopy
  Encounter: [[SYS.snomed, '185349003']], // encounter for check up
  DiagnosticReport: [[SYS.loinc, '57698-3']], // lipid panel
  Immunization: [['http://hl7.org/fhir/sid/cvx', '140']], // influenza vaccine
  CarePlan: [[SYS.snomed, '698360004']], // diabetes self management plan
  Claim: [],
  ExplanationOfBenefit: [],
};
const TYPES = Object.keys(DATA);
const CLINICAL_TYPES = TYPES.filter((t) => t !== 'Claim' && t !== 'ExplanationOfBenefit');

export const NOW = '2026-06-01T12:00:00Z';
export const SEED = 20261201;

// mulberry32: a small deterministic PRNG (integer arithmetic only, so
// every engine draws the same sequence).
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => next() < p;
  const sample = (xs, k) => {
    const pool = [...xs];
    const out = [];
    while (out.length < k && pool.length) out.push(pool.splice(int(pool.length), 1)[0]);
    return out;
  };
  return { next, int, pick, chance, sample };
}

// ---------------------------------------------------------------------------
// FHIR building blocks.

const coding = (system, code) => ({ system, code });
const cc = (system, code) => ({ coding: [coding(system, code)] });
const day = (y, m, d) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const person = (id) => PEOPLE.find((p) => p.id === id);
const actorOf = (ref, role) => ({
  role: cc(SYS.participation, role),
  reference: { reference: ref },
});
const personActor = (p) => actorOf(`Practitioner/${p.id}`, p.role);
// An organisation is named with the role its members hold in the workload.
const orgActor = (org, role) => actorOf(`Organization/${org}`, role);

// A provision's criteria as FHIR R4 JSON (members in FHIR's element order).
function provision(type, c) {
  const p = { type };
  if (c.period) p.period = c.period;
  if (c.actor) p.actor = c.actor;
  if (c.action) p.action = c.action.map((a) => cc(SYS.consentAction, a));
  if (c.securityLabel) p.securityLabel = c.securityLabel.map((l) => coding(SYS.actCode, l));
  if (c.purpose) p.purpose = c.purpose.map((x) => coding(SYS.actReason, x));
  if (c.class) p.class = c.class.map((t) => coding(SYS.resourceTypes, t));
  if (c.code) p.code = c.code.map(([s, k]) => cc(s, k));
  if (c.dataPeriod) p.dataPeriod = c.dataPeriod;
  if (c.provision) p.provision = c.provision;
  return p;
}

// ---------------------------------------------------------------------------
// The generator.

const KINDS = [
  ...Array(18).fill('treatment'),
  ...Array(9).fill('sensitive'),
  ...Array(9).fill('research'),
  ...Array(6).fill('payment'),
  ...Array(4).fill('emergency'),
  ...Array(4).fill('operations'),
];

function rootCriteria(r, kind) {
  const care = ORGS.slice(0, 2);
  const members = (org) => PEOPLE.filter((p) => p.org === org);
  switch (kind) {
    case 'treatment': {
      const org = r.pick(care);
      const actor = r.chance(0.4)
        ? [orgActor(org, 'PRCP')]
        : r.sample(members(org), 1 + r.int(3)).map(personActor);
      return {
        actor,
        purpose: [r.pick(['TREAT', 'TREAT', 'TREAT', 'COC'])],
        action: r.chance(0.5) ? ['access'] : undefined,
        class: r.chance(0.3) ? r.sample(CLINICAL_TYPES, 3 + r.int(3)) : undefined,
      };
    }
    case 'sensitive': {
      return {
        actor: r.sample(members('org-behavioral-health'), 1 + r.int(2)).map(personActor),
        purpose: ['TREAT'],
        securityLabel: [r.pick(SENSITIVE)],
        class: r.chance(0.5) ? ['Condition', 'MedicationRequest', 'Observation'] : undefined,
      };
    }
    case 'research':
      return {
        actor: r.chance(0.5)
          ? [orgActor('org-research-institute', 'IRCP')]
          : [personActor(person(r.pick(['rs01', 'rs02'])))],
        purpose: [r.pick(['HRESCH', 'CLINTRCH', 'BIORCH'])],
        action: ['use'],
        class: r.sample(['Observation', 'Condition', 'Procedure', 'Immunization'], 2 + r.int(2)),
      };
    case 'payment':
      return {
        actor: [orgActor('org-insurer', 'IRCP')],
        purpose: [r.pick(['HPAYMT', 'COVAUTH'])],
        class: r.chance(0.7)
          ? ['Claim', 'ExplanationOfBenefit', 'Encounter', 'Procedure']
          : ['Claim', 'ExplanationOfBenefit'],
      };
    case 'emergency':
      return {
        actor: [orgActor('org-general-hospital', 'PRCP')],
        purpose: ['ETREAT'],
        action: ['access'],
      };
    case 'operations':
      return {
        actor: [orgActor(r.pick(care), 'PRCP')],
        purpose: [r.pick(['HOPERAT', 'PATSFTY'])],
        class: r.sample(CLINICAL_TYPES, 2 + r.int(3)),
      };
    default:
      throw new Error(kind);
  }
}

// One nested deny exception within its parent's scope (criteria that
// narrow the parent's).
function exception(r, kind, root) {
  const roots = root.actor.map((a) => a.reference.reference);
  const members = PEOPLE.filter(
    (p) => roots.includes(`Practitioner/${p.id}`) || roots.includes(`Organization/${p.org}`),
  );
  const types = root.class ?? TYPES;
  const codedTypes = types.filter((t) => DATA[t].length > 0);
  // A consent that opens a sensitive label for one or two specialists
  // narrows it by data, not by excluding its few actors outright.
  const menu =
    kind === 'sensitive'
      ? ['class', 'dataPeriod', 'label', 'actorClass']
      : ['actor', 'class', 'action', 'dataPeriod', 'label', 'actorClass', 'timed'];
  if (codedTypes.length) menu.push('code', 'code');
  const sub = PURPOSE_SUBS[root.purpose[0]];
  if (sub) menu.push('purpose');
  const c = {};
  switch (r.pick(menu)) {
    case 'actor':
      c.actor = [personActor(r.pick(members))];
      break;
    case 'class':
      c.class = r.sample(types, 1 + r.int(Math.min(2, types.length)));
      break;
    case 'action':
      c.action = [r.pick(['disclose', 'correct', 'use', 'access'])];
      break;
    case 'dataPeriod': {
      // Old data: everything up to the end of some year.
      const y = 2016 + r.int(4);
      c.dataPeriod = { start: '2000-01-01', end: day(y, 12, 31) };
      break;
    }
    case 'label':
      // Another sensitive label than the one the consent opens.
      c.securityLabel = [r.pick(SENSITIVE.filter((l) => !(root.securityLabel ?? []).includes(l)))];
      break;
    case 'actorClass':
      c.actor = [personActor(r.pick(members))];
      c.class = r.sample(types, 1);
      break;
    case 'timed': {
      // A temporary restriction with its own period: current at NOW or not.
      const current = r.chance(0.5);
      c.period = current
        ? { start: '2026-05-01', end: '2026-07-31' }
        : { start: '2024-01-01', end: '2024-12-31' };
      c.actor = [personActor(r.pick(members))];
      break;
    }
    case 'code': {
      const t = r.pick(codedTypes);
      c.code = [r.pick(DATA[t])];
      break;
    }
    case 'purpose':
      c.purpose = [r.pick(sub)];
      break;
    default:
      throw new Error('menu');
  }
  return provision('deny', c);
}

// Narrower purposes a deny exception may name below a root purpose.
const PURPOSE_SUBS = {
  TREAT: ['POPHLTH', 'TREATDS', 'CLINTRL'],
  HRESCH: ['BIORCH', 'DSRCH'],
  HOPERAT: ['HMARKT', 'TRAIN', 'MLTRAINING'].filter((x) => PURPOSE_PARENT[x] === 'HOPERAT'),
  HPAYMT: ['COVERAGE'],
};

function consentPeriod(r) {
  const u = r.next();
  if (u < 0.08) return { status: 'active', period: { start: '2019-03-01', end: '2024-02-29' } }; // expired
  if (u < 0.12) return { status: 'active', period: { start: '2027-01-01', end: '2030-12-31' } }; // future
  if (u < 0.2) return { status: 'inactive', period: { start: '2022-01-01', end: '2031-12-31' } };
  const y = 2020 + r.int(5);
  return {
    status: 'active',
    period: { start: day(y, 1 + r.int(12), 1 + r.int(28)), end: day(2030 + r.int(3), 12, 31) },
  };
}

export function generateConsents(seed = SEED) {
  const r = rng(seed);
  const consents = [];
  KINDS.forEach((kind, i) => {
    const id = `bench-${String(i + 1).padStart(2, '0')}-${kind}`;
    const { status, period } = consentPeriod(r);
    const root = rootCriteria(r, kind);
    const nested = [];
    while (nested.length < 4) nested.push(exception(r, kind, root));
    consents.push({
      resourceType: 'Consent',
      id,
      status,
      scope: cc(SYS.consentScope, 'patient-privacy'),
      category: [cc(SYS.loinc, '59284-0')],
      patient: { reference: 'Patient/bench-patient' },
      dateTime: period.start,
      performer: [{ reference: 'Patient/bench-patient' }],
      organization: [{ reference: 'Organization/org-general-hospital' }],
      policyRule: cc(SYS.actCode, 'OPTIN'),
      provision: provision('permit', { period, ...root, provision: nested }),
    });
  });
  return consents;
}

// Candidate requests: mostly near some consent (an actor it names, the
// purpose it names or one below it), some not.
const REQUEST_PURPOSES = [
  'TREAT',
  'TREAT',
  'ETREAT',
  'ETREAT',
  'COC',
  'POPHLTH',
  'TREATDS',
  'ERTREAT',
  'HRESCH',
  'CLINTRCH',
  'BIORCH',
  'DSRCH',
  'HPAYMT',
  'COVAUTH',
  'COVERAGE',
  'HOPERAT',
  'PATSFTY',
  'TRAIN',
  'PUBHLTH',
];

// The purposes an organisation's staff usually ask for.
const PURPOSES_OF = {
  'org-general-hospital': ['TREAT', 'ETREAT', 'ERTREAT', 'COC', 'POPHLTH', 'TREATDS', 'PATSFTY'],
  'org-city-clinic': ['TREAT', 'ETREAT', 'COC', 'POPHLTH', 'TREATDS', 'HOPERAT'],
  'org-behavioral-health': ['TREAT', 'TREAT', 'COC', 'ETREAT'],
  'org-research-institute': ['HRESCH', 'CLINTRCH', 'BIORCH', 'DSRCH', 'CLINTRCHPC'],
  'org-insurer': ['HPAYMT', 'COVAUTH', 'COVERAGE', 'CLMATTCH'],
};

function candidateRequest(r, i) {
  const p = r.pick(PEOPLE);
  const care = p.org !== 'org-research-institute' && p.org !== 'org-insurer';
  const type = care ? r.pick(CLINICAL_TYPES) : r.pick(TYPES);
  const codes = DATA[type].length ? [r.pick(DATA[type])] : [];
  const labels = [];
  const u = r.next();
  const sensitive = p.org === 'org-behavioral-health' ? 0.7 : 0.25;
  if (u < sensitive) {
    for (const l of r.sample(SENSITIVE, r.chance(0.2) ? 2 : 1)) labels.push(coding(SYS.actCode, l));
  } else if (u < sensitive + 0.2) labels.push(coding(SYS.confidentiality, 'N'));
  const y = 2012 + r.int(14);
  const m = 1 + r.int(12),
    d = 2 + r.int(26);
  // The request in the JSON form of core/consent/request.h (what the
  // package and ParseAccessRequest read).
  const request = {
    actor: {
      references: [{ reference: `Practitioner/${p.id}` }, { reference: `Organization/${p.org}` }],
      roles: [coding(SYS.participation, p.role)],
    },
    action: coding(
      SYS.consentAction,
      r.pick(['access', 'access', 'access', 'use', 'disclose', 'correct']),
    ),
    purpose: coding(
      SYS.actReason,
      r.chance(0.3) ? r.pick(REQUEST_PURPOSES) : r.pick(PURPOSES_OF[p.org]),
    ),
    resourceType: type,
    class: [coding(SYS.resourceTypes, type)],
    codes: codes.map(([s, k]) => coding(s, k)),
    securityLabels: labels,
    dataPeriod: { start: `${day(y, m, d)}T08:00:00Z`, end: `${day(y, m, d)}T09:00:00Z` },
  };
  return { id: `req-${String(i).padStart(4, '0')}`, request };
}

// ---------------------------------------------------------------------------
// The reference evaluator (the oracle). It follows the FHIR rules the issue
// states (only active consents within their period count; a nested
// provision is an exception to its parent, evaluated only where the parent
// applies; across consents deny overrides permit; no applicable consent
// means deny; a provision's purpose must subsume the request's; sensitive
// labels stay closed unless the permitting provision names them; purpose
// and security-label lists AND, class and the other lists OR). Where
// docs/spec/consent.md settles a point FHIR leaves open, the workload keeps
// only requests whose decision is the same under every reading in
// VARIANTS: so the benchmark's expected decisions do not depend on them.
export const VARIANTS = {
  // A permit that matches but cannot open a sensitive label on the data:
  // not applicable, or a deny (open point 7).
  closedLabel: ['not-applicable', 'deny'],
  // A nested exception applies where the parent's criteria match, or only
  // where the parent also opens every sensitive label.
  exceptionGate: ['criteria', 'criteria-and-labels'],
  // Within one actor entry: role and reference both, or the reference alone
  // (open point 8).
  actorRole: ['both', 'reference'],
  // Several actor entries: any of them (OR) or all (AND).
  actorList: ['or', 'and'],
  // A dataPeriod covers the request's data period, or overlaps it.
  dataPeriod: ['within', 'overlap'],
  // A nested provision's own period counts, or not (open point 9).
  nestedPeriod: ['checked', 'ignored'],
};
export const CEDAR_VARIANT = {
  closedLabel: 'not-applicable',
  exceptionGate: 'criteria',
  actorRole: 'both',
  actorList: 'or',
  dataPeriod: 'within',
  nestedPeriod: 'checked',
};

export function allVariants() {
  let out = [{}];
  for (const [k, vs] of Object.entries(VARIANTS)) {
    out = out.flatMap((o) => vs.map((v) => ({ ...o, [k]: v })));
  }
  return out;
}

// FHIR date (YYYY-MM-DD) or instant with Z -> [lo, hi] ms.
function instantRange(s) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const lo = Date.parse(`${s}T00:00:00Z`);
    return [lo, lo + 86400000 - 1];
  }
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new Error(`bad date ${s}`);
  return [t, t];
}
const periodLo = (p) => (p?.start ? instantRange(p.start)[0] : -Infinity);
const periodHi = (p) => (p?.end ? instantRange(p.end)[1] : Infinity);
const inPeriod = (p, t) => !p || (periodLo(p) <= t && t <= periodHi(p));
const sameCoding = (a, b) => a.system === b.system && a.code === b.code;

function criteria(p, q, v, nowMs, nested) {
  if (nested && v.nestedPeriod === 'checked' && !inPeriod(p.period, nowMs)) return false;
  if (p.actor) {
    const one = (a) =>
      q.actor.references.some((x) => x.reference === a.reference.reference) &&
      (v.actorRole === 'reference' ||
        a.role.coding.some((c) => q.actor.roles.some((x) => sameCoding(c, x))));
    if (!(v.actorList === 'or' ? p.actor.some(one) : p.actor.every(one))) return false;
  }
  if (p.action && !p.action.some((a) => a.coding.some((c) => sameCoding(c, q.action))))
    return false;
  if (p.purpose) {
    const chain = q.purpose.system === SYS.actReason ? purposeChain(q.purpose.code) : [];
    if (!p.purpose.every((x) => x.system === SYS.actReason && chain.includes(x.code))) return false;
  }
  if (p.class && !p.class.some((c) => q.class.some((x) => sameCoding(c, x)))) return false;
  if (p.code && !p.code.some((k) => k.coding.some((c) => q.codes.some((x) => sameCoding(c, x)))))
    return false;
  if (
    p.securityLabel &&
    !p.securityLabel.every((l) => q.securityLabels.some((x) => sameCoding(l, x)))
  )
    return false;
  if (p.dataPeriod) {
    const [lo, hi] = [periodLo(p.dataPeriod), periodHi(p.dataPeriod)];
    const [qlo, qhi] = [periodLo(q.dataPeriod), periodHi(q.dataPeriod)];
    if (v.dataPeriod === 'within' ? !(lo <= qlo && qhi <= hi) : !(lo <= qhi && qlo <= hi))
      return false;
  }
  return true;
}

// Sensitive labels on the request that provision p does not name.
function closedLabels(p, q) {
  const named = (p.securityLabel ?? []).filter((l) => l.system === SYS.actCode).map((l) => l.code);
  return q.securityLabels
    .filter(
      (l) => l.system === SYS.actCode && SENSITIVE.includes(l.code) && !named.includes(l.code),
    )
    .map((l) => l.code);
}

// 'permit' | 'deny' | null (not applicable) for one consent. The workload's
// trees are a permit root with deny exceptions (depth 2).
function evalConsent(c, q, v, nowMs) {
  if (c.status !== 'active') return null;
  const root = c.provision;
  if (!inPeriod(root.period, nowMs)) return null;
  if (!criteria(root, q, v, nowMs, false)) return null;
  const closed = closedLabels(root, q).length > 0;
  const gate = v.exceptionGate === 'criteria' || !closed;
  if (gate && (root.provision ?? []).some((n) => criteria(n, q, v, nowMs, true))) return 'deny';
  if (closed) return v.closedLabel === 'deny' ? 'deny' : null;
  return 'permit';
}

export function evaluate(consents, q, nowMs, v = CEDAR_VARIANT) {
  let permit = false;
  for (const c of consents) {
    const e = evalConsent(c, q, v, nowMs);
    if (e === 'deny') return 'deny';
    if (e === 'permit') permit = true;
  }
  return permit ? 'permit' : 'deny';
}

// The workload: consents, the kept requests with their decisions, NOW.
export const REQUEST_COUNT = 128;
export function generateWorkload(seed = SEED) {
  const consents = generateConsents(seed);
  const nowMs = Date.parse(NOW);
  const r = rng(seed ^ 0x5eed);
  const variants = allVariants();
  const permits = [],
    denies = [];
  let candidates = 0,
    dropped = 0;
  while (permits.length < REQUEST_COUNT / 2 || denies.length < REQUEST_COUNT / 2) {
    if (candidates > 200000) throw new Error('workload: not enough unambiguous requests');
    const q = candidateRequest(r, candidates++);
    const ds = new Set(variants.map((v) => evaluate(consents, q.request, nowMs, v)));
    if (ds.size !== 1) {
      dropped++;
      continue;
    }
    const d = [...ds][0];
    const list = d === 'permit' ? permits : denies;
    if (list.length < REQUEST_COUNT / 2) list.push({ id: q.id, expected: d, request: q.request });
  }
  // Interleave in candidate order (ids are increasing).
  const requests = [...permits, ...denies].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    description:
      'medseal consent-engine benchmark workload: one patient, 50 FHIR R4 Consents of 5 provisions each, and access requests with their intended decisions. Generated by bench/js/gen-consent-workload.mjs (bench/js/consent.mjs); do not edit.',
    seed,
    now: NOW,
    nowMs,
    fhirVersion: 'R4',
    candidates,
    droppedAsAmbiguous: dropped,
    consents,
    requests,
  };
}

// ---------------------------------------------------------------------------
// The Cedar translation (docs/performance.md, "Cedar"): one `permit` per
// active consent's root provision, one `forbid` per nested deny exception
// (its parent's conditions && its own), `when` conditions over the
// principal (a Practitioner entity in its Organization; attribute `roles`),
// the action (Action::"access" | "use" | ...), the resource (attributes
// `type`, `codes`, `labels`, `dataStart`, `dataEnd`) and the context
// (`purpose`, a Purpose entity whose ancestors are the v3-ActReason
// hierarchy, so that subsumption is Cedar's `in`; `now`). Cedar's own
// semantics supply the rest: forbid overrides permit, no permit means deny.
// Consents that are not active are not translated.

const cedarStr = (s) => {
  if (!/^[\x20-\x7e]*$/.test(s) || /["\\]/.test(s))
    throw new Error(`cedar: unexpected string ${s}`);
  return `"${s}"`;
};
const set = (xs) => `[${xs.map(cedarStr).join(', ')}]`;
const codeKey = (c) => `${c.system}|${c.code}`;
const entityRef = (ref) => {
  const [type, id] = ref.split('/');
  return `${type}::${cedarStr(id)}`;
};

function cedarConditions(p) {
  const out = [];
  if (p.period) {
    if (p.period.start) out.push(`context.now >= ${periodLo(p.period)}`);
    if (p.period.end) out.push(`context.now <= ${periodHi(p.period)}`);
  }
  if (p.actor) {
    const one = (a) => {
      const ref = a.reference.reference;
      const who = ref.startsWith('Organization/')
        ? `principal in ${entityRef(ref)}`
        : `principal == ${entityRef(ref)}`;
      const roles = a.role.coding.map((c) => `principal.roles.contains(${cedarStr(codeKey(c))})`);
      return `(${who} && (${roles.join(' || ')}))`;
    };
    out.push(`(${p.actor.map(one).join(' || ')})`);
  }
  if (p.action) {
    out.push(
      `(${p.action.map((a) => `action == Action::${cedarStr(a.coding[0].code)}`).join(' || ')})`,
    );
  }
  if (p.purpose)
    for (const x of p.purpose) out.push(`context.purpose in Purpose::${cedarStr(x.code)}`);
  if (p.class) out.push(`${set(p.class.map(codeKey))}.containsAny(resource.classes)`);
  if (p.code)
    out.push(`${set(p.code.flatMap((k) => k.coding.map(codeKey)))}.containsAny(resource.codes)`);
  if (p.securityLabel)
    out.push(`resource.labels.containsAll(${set(p.securityLabel.map(codeKey))})`);
  if (p.dataPeriod) {
    if (p.dataPeriod.start) out.push(`resource.dataStart >= ${periodLo(p.dataPeriod)}`);
    if (p.dataPeriod.end) out.push(`resource.dataEnd <= ${periodHi(p.dataPeriod)}`);
  }
  return out;
}

// The Cedar policy set (text) of the workload's consents.
export function cedarPolicies(consents) {
  const policies = [];
  for (const c of consents) {
    if (c.status !== 'active') continue;
    const root = c.provision;
    const base = cedarConditions(root);
    const named = (root.securityLabel ?? []).map((l) => l.code);
    const closed = SENSITIVE.filter((s) => !named.includes(s)).map((s) =>
      codeKey({ system: SYS.actCode, code: s }),
    );
    const open = closed.length ? [`!resource.labels.containsAny(${set(closed)})`] : [];
    const when = (xs) => (xs.length ? ` when {\n  ${xs.join(' &&\n  ')}\n}` : '');
    policies.push(
      `@id(${cedarStr(`${c.id}/provision`)})\npermit (principal, action, resource)${when([...base, ...open])};`,
    );
    (root.provision ?? []).forEach((n, k) => {
      const cond = [...base, ...cedarConditions(n)];
      policies.push(
        `@id(${cedarStr(`${c.id}/provision.provision[${k}]`)})\nforbid (principal, action, resource)${when(cond)};`,
      );
    });
  }
  return policies.join('\n\n') + '\n';
}

// The Cedar call for one request: principal, action, resource, context and
// the request's entities (the principal in its organisations, the resource,
// the purpose with its ancestors).
export function cedarRequest({ id, request: q }, nowMs, preparsedPolicySetId) {
  const [principalRef, ...parents] = q.actor.references.map((x) => x.reference);
  const uid = (ref) => {
    const [type, id] = ref.split('/');
    return { type, id };
  };
  const chain = purposeChain(q.purpose.code);
  const entities = [
    {
      uid: uid(principalRef),
      attrs: { roles: q.actor.roles.map(codeKey) },
      parents: parents.map(uid),
    },
    ...parents.map((p) => ({ uid: uid(p), attrs: {}, parents: [] })),
    {
      uid: { type: 'Resource', id },
      attrs: {
        classes: q.class.map(codeKey),
        codes: q.codes.map(codeKey),
        labels: q.securityLabels.map(codeKey),
        dataStart: periodLo(q.dataPeriod),
        dataEnd: periodHi(q.dataPeriod),
      },
      parents: [],
    },
    ...chain.map((c, i) => ({
      uid: { type: 'Purpose', id: c },
      attrs: {},
      parents: i + 1 < chain.length ? [{ type: 'Purpose', id: chain[i + 1] }] : [],
    })),
  ];
  return {
    principal: uid(principalRef),
    action: { type: 'Action', id: q.action.code },
    resource: { type: 'Resource', id },
    context: { purpose: { __entity: { type: 'Purpose', id: q.purpose.code } }, now: nowMs },
    preparsedPolicySetId,
    entities,
  };
}

// Prepares Cedar for the workload: preparses the policy set once and
// returns { policies, calls, decide(i) -> 'permit' | 'deny' }. `cedar` is
// the @cedar-policy/cedar-wasm namespace (initialised).
export function prepareCedar(cedar, workload, id = 'medseal-bench') {
  const policies = cedarPolicies(workload.consents);
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: policies });
  if (parsed.type !== 'success') {
    throw new Error(`cedar: policy set does not parse: ${JSON.stringify(parsed.errors)}`);
  }
  const calls = workload.requests.map((q) => cedarRequest(q, workload.nowMs, id));
  const decide = (i) => {
    const a = cedar.statefulIsAuthorized(calls[i]);
    if (a.type !== 'success') throw new Error(`cedar: ${JSON.stringify(a.errors)}`);
    if (a.response.diagnostics.errors.length) {
      throw new Error(`cedar: evaluation errors ${JSON.stringify(a.response.diagnostics.errors)}`);
    }
    return a.response.decision === 'allow' ? 'permit' : 'deny';
  };
  return { policies, calls, decide };
}

// Checks that `decide(i)` gives every request its expected decision;
// throws with the first mismatches otherwise. Returns the counts.
export function checkDecisions(name, workload, decide) {
  const bad = [];
  let permits = 0;
  workload.requests.forEach((q, i) => {
    const d = decide(i);
    if (d === 'permit') permits++;
    if (d !== q.expected) bad.push(`${q.id}: ${name} says ${d}, expected ${q.expected}`);
  });
  if (bad.length) {
    throw new Error(
      `${name} disagrees with the workload on ${bad.length} of ${workload.requests.length} requests:\n  ${bad.slice(0, 10).join('\n  ')}`,
    );
  }
  return {
    requests: workload.requests.length,
    permits,
    denies: workload.requests.length - permits,
  };
}

// ---------------------------------------------------------------------------
// The labeling and Share rows' Bundle.

export const SYNTHEA_RESOURCES = 1000;

// A collection Bundle of `n` entries from `bundles` (parsed FHIR Bundles,
// in the caller's order: file-name order): their entries in order, each
// entry's fullUrl and resource as they are. The five Synthea bundles hold
// 904 entries, so the sequence starts again from the first entry for the
// rest: in pass p (p = 1, 2, ...) a copied entry's resource id and fullUrl
// get the suffix "-copy<p>" so that the Bundle's identities stay unique.
// Throws when the bundles hold no entry.
export function syntheaBundle(bundles, n = SYNTHEA_RESOURCES) {
  const all = bundles.flatMap((b) => b.entry ?? []);
  if (all.length === 0) throw new Error('Synthea bundles: no entries');
  const entry = [];
  for (let i = 0; i < n; i++) {
    const e = all[i % all.length];
    const pass = Math.floor(i / all.length);
    if (pass === 0) {
      entry.push({ fullUrl: e.fullUrl, resource: e.resource });
    } else {
      const resource = JSON.parse(JSON.stringify(e.resource));
      if (typeof resource.id === 'string') resource.id += `-copy${pass}`;
      entry.push({ fullUrl: `${e.fullUrl}-copy${pass}`, resource });
    }
  }
  return { resourceType: 'Bundle', id: 'bench-synthea-1k', type: 'collection', entry };
}

// SPDX-License-Identifier: Apache-2.0
// Reduces the HL7 terminology files and the SHIFT sensitivity value sets
// (native-tests/vectors/external/fhir/{terminology,sensitivity}/, copied
// verbatim from their sources) to the two compact data files core compiles
// in (core/fhir/data/terminology.json and sensitivity.json). Deterministic:
// the same inputs give the same bytes (scripts/test/fhir-data.test.mjs
// re-runs it and fails if the committed files differ).
//
//   node scripts/fhir/extract-terminology.mjs            writes core/fhir/data/*.json
//   node scripts/fhir/extract-terminology.mjs --check    exits 1 if they differ
//
// What is kept and why: core/fhir/data/README.md; the formats and the rules:
// docs/spec/terminology.md and docs/spec/labeling.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXT = 'native-tests/vectors/external/fhir';
const TERMINOLOGY_DIR = `${EXT}/terminology`;
const SENSITIVITY_DIR = `${EXT}/sensitivity`;
export const OUTPUTS = {
  terminology: 'core/fhir/data/terminology.json',
  sensitivity: 'core/fhir/data/sensitivity.json',
};

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const US_PRIVACY_LAW = 'http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw';
const ACT_ISP_VS = 'http://terminology.hl7.org/ValueSet/v3-ActInformationSensitivityPolicy';
const SLS_CANONICAL = 'http://SHIFT-Task-Force.github.io/SLS-ValueSets';

// ---- Terminology -----------------------------------------------------------

const CODE_SYSTEM_FILES = [
  'CodeSystem-v3-ActCode.json',
  'CodeSystem-v3-ActReason.json',
  'CodeSystem-v3-Confidentiality.json',
  'CodeSystem-v3-ActUSPrivacyLaw.json',
  'CodeSystem-consentaction.json',
  'CodeSystem-consentscope.json',
  'CodeSystem-consentcategorycodes.json',
  'CodeSystem-consentpolicycodes.json',
];
const VALUE_SET_FILES = [
  'ValueSet-v3-PurposeOfUse.json',
  'ValueSet-v3-InformationSensitivityPolicy.json',
  'ValueSet-v3-ActInformationSensitivityPolicy.json',
  'ValueSet-v3-SecurityPolicy.json',
  'ValueSet-v3-ObligationPolicy.json',
  'ValueSet-v3-RefrainPolicy.json',
  'ValueSet-v3-ActConsentDirective.json',
  'ValueSet-v3-Confidentiality.json',
  'ValueSet-v3-ActUSPrivacyLaw.json',
  'ValueSet-consent-scope.json',
  'ValueSet-consent-action.json',
  'ValueSet-consent-policy.json',
];
// The two large systems are shipped in part: the concepts of the value sets
// above (their expansions) and every ancestor of those. All other systems
// are shipped whole.
const SUBSET_SYSTEMS = new Set([ACT_CODE, ACT_REASON]);

function readJson(rel) {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8'));
}

function fail(msg) {
  throw new Error(`extract-terminology: ${msg}`);
}

const byCodeUnits = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// code -> {display, parents}: parents are the subsumedBy property values
// plus, for a concept nested in another (concept.concept), the enclosing
// concept (both mean is-a: every system here has hierarchyMeaning is-a or
// none).
function readCodeSystem(cs) {
  if (cs.resourceType !== 'CodeSystem') fail(`${cs.url}: not a CodeSystem`);
  if (cs.hierarchyMeaning !== undefined && cs.hierarchyMeaning !== 'is-a')
    fail(`${cs.url}: hierarchyMeaning ${cs.hierarchyMeaning}`);
  const concepts = new Map();
  const walk = (list, enclosing) => {
    for (const c of list ?? []) {
      if (typeof c.code !== 'string' || c.code === '') fail(`${cs.url}: concept without code`);
      if (concepts.has(c.code)) fail(`${cs.url}: ${c.code} twice`);
      const parents = new Set();
      if (enclosing !== undefined) parents.add(enclosing);
      for (const p of c.property ?? []) if (p.code === 'subsumedBy') parents.add(p.valueCode);
      concepts.set(c.code, { display: c.display ?? '', parents: [...parents].sort(byCodeUnits) });
      walk(c.concept, c.code);
    }
  };
  walk(cs.concept, undefined);
  for (const [code, c] of concepts)
    for (const p of c.parents)
      if (!concepts.has(p)) fail(`${cs.url}: ${code} subsumedBy unknown ${p}`);
  return concepts;
}

// The codes of `system` that `root` subsumes, `root` included (FHIR is-a).
// A visited set: a cycle in the published hierarchy cannot loop.
function descendantsOrSelf(concepts, root) {
  const children = new Map();
  for (const [code, c] of concepts)
    for (const p of c.parents) {
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(code);
    }
  const out = new Set();
  const stack = [root];
  while (stack.length) {
    const code = stack.pop();
    if (out.has(code)) continue;
    out.add(code);
    for (const k of children.get(code) ?? []) stack.push(k);
  }
  return out;
}

function ancestorsOrSelf(concepts, code, out) {
  const stack = [code];
  while (stack.length) {
    const c = stack.pop();
    if (out.has(c)) continue;
    out.add(c);
    for (const p of concepts.get(c).parents) stack.push(p);
  }
}

// A ValueSet's compose expanded against the code systems: include.concept
// lists, whole systems, and is-a filters. Anything else (exclude,
// include.valueSet, other filter ops) is refused, so that no definition is
// silently misread.
function expandValueSet(vs, systems) {
  const compose = vs.compose;
  if (!compose || compose.exclude) fail(`${vs.url}: unsupported compose`);
  const out = new Map(); // system -> Set(code)
  for (const inc of compose.include) {
    if (inc.valueSet || !inc.system) fail(`${vs.url}: unsupported include`);
    const concepts = systems.get(inc.system);
    if (!concepts) fail(`${vs.url}: unknown system ${inc.system}`);
    let codes;
    if (inc.concept) {
      if (inc.filter) fail(`${vs.url}: concept and filter in one include`);
      codes = inc.concept.map((c) => c.code);
      for (const c of codes) if (!concepts.has(c)) fail(`${vs.url}: unknown code ${c}`);
    } else if (inc.filter) {
      if (inc.filter.length !== 1) fail(`${vs.url}: more than one filter`);
      const f = inc.filter[0];
      if (f.property !== 'concept' || f.op !== 'is-a') fail(`${vs.url}: filter ${f.op}`);
      if (!concepts.has(f.value)) fail(`${vs.url}: is-a unknown ${f.value}`);
      codes = [...descendantsOrSelf(concepts, f.value)];
    } else {
      codes = [...concepts.keys()];
    }
    if (!out.has(inc.system)) out.set(inc.system, new Set());
    for (const c of codes) out.get(inc.system).add(c);
  }
  return out;
}

function buildTerminology() {
  const pkg = readJson(`${TERMINOLOGY_DIR}/package.json`);
  const systems = new Map();
  const meta = new Map();
  for (const f of CODE_SYSTEM_FILES) {
    const cs = readJson(`${TERMINOLOGY_DIR}/${f}`);
    systems.set(cs.url, readCodeSystem(cs));
    meta.set(cs.url, { version: cs.version, file: f });
  }
  const valueSets = new Map();
  for (const f of VALUE_SET_FILES) {
    const vs = readJson(`${TERMINOLOGY_DIR}/${f}`);
    valueSets.set(vs.url, { version: vs.version, file: f, codes: expandValueSet(vs, systems) });
  }
  // Which concepts of the subset systems are shipped.
  const keep = new Map();
  for (const url of SUBSET_SYSTEMS) keep.set(url, new Set());
  for (const vs of valueSets.values())
    for (const [system, codes] of vs.codes)
      if (SUBSET_SYSTEMS.has(system))
        for (const c of codes) ancestorsOrSelf(systems.get(system), c, keep.get(system));

  const outSystems = {};
  for (const url of [...systems.keys()].sort(byCodeUnits)) {
    const concepts = systems.get(url);
    const codes = [...concepts.keys()]
      .filter((c) => !keep.has(url) || keep.get(url).has(c))
      .sort(byCodeUnits);
    const out = {};
    for (const c of codes) {
      const { display, parents } = concepts.get(c);
      out[c] = parents.length ? [display, parents] : [display];
    }
    outSystems[url] = {
      version: meta.get(url).version,
      source: meta.get(url).file,
      shipped: keep.has(url) ? 'subset' : 'all',
      count: concepts.size,
      concepts: out,
    };
  }
  const outValueSets = {};
  for (const url of [...valueSets.keys()].sort(byCodeUnits)) {
    const vs = valueSets.get(url);
    const codes = {};
    for (const system of [...vs.codes.keys()].sort(byCodeUnits))
      codes[system] = [...vs.codes.get(system)].sort(byCodeUnits);
    outValueSets[url] = { version: vs.version, source: vs.file, codes };
  }
  const terminology = {
    format: 'medseal-terminology-1',
    source: { package: `${pkg.name} ${pkg.version}`, license: pkg.license },
    systems: outSystems,
    valueSets: outValueSets,
  };
  return { terminology, systems, valueSets };
}

// ---- Sensitivity -------------------------------------------------------------

// The clinical code systems matched (issue #10); CPT and HCPCS codes in the
// source value sets are not shipped (CPT is AMA-licensed; the labeler does
// not match them).
export const CLINICAL_SYSTEMS = [
  'http://hl7.org/fhir/sid/icd-10-cm',
  'http://loinc.org',
  'http://snomed.info/sct',
  'http://www.nlm.nih.gov/research/umls/rxnorm',
];
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';

// Codes of the Synthea value sets that are not specific to the sensitive
// topic (encounter and admission types, record artifacts, generic
// examinations, measurements and findings that Synthea's modules share with
// many other conditions). Labeling every occurrence would label most
// encounters of every patient (e.g. 185349003 "Encounter for check up" is in
// the cystic fibrosis set). They are shipped under "suppressed" so that the
// labeler can report them without labeling (docs/spec/labeling.md §3).
export const SUPPRESSED = [
  [SNOMED, '185347001', 'encounter type'], // Encounter for problem
  [SNOMED, '185349003', 'encounter type'], // Encounter for check up
  [SNOMED, '390906007', 'encounter type'], // Follow-up encounter
  [SNOMED, '308335008', 'encounter type'], // Patient encounter procedure
  [SNOMED, '270427003', 'encounter type'], // Patient-initiated encounter
  [SNOMED, '108219001', 'encounter type'], // Physician visit with evaluation and/or management service
  [SNOMED, '4525004', 'encounter type'], // Emergency department patient visit
  [SNOMED, '281036007', 'encounter type'], // Follow-up consultation
  [SNOMED, '50849002', 'admission type'], // Emergency room admission
  [SNOMED, '183452005', 'admission type'], // Emergency hospital admission
  [SNOMED, '32485007', 'admission type'], // Hospital admission
  [SNOMED, '74857009', 'admission type'], // Hospital admission, short-term, 24 hours
  [SNOMED, '40274000', 'admission type'], // General outpatient clinic admission
  [SNOMED, '305408004', 'admission type'], // Admission to surgical department
  [SNOMED, '371883000', 'encounter type'], // Outpatient procedure
  [SNOMED, '734163000', 'record artifact'], // Care plan (record artifact)
  [SNOMED, '182836005', 'generic procedure'], // Review of medication
  [SNOMED, '182777000', 'generic procedure'], // Monitoring of patient
  [SNOMED, '5880005', 'generic procedure'], // Physical examination procedure
  [SNOMED, '82078001', 'generic procedure'], // Collection of blood specimen for laboratory
  [SNOMED, '399208008', 'generic procedure'], // Plain X-ray of chest
  [SNOMED, '23426006', 'generic procedure'], // Measurement of respiratory function
  [SNOMED, '14152002', 'generic procedure'], // Intravenous infusion
  [SNOMED, '312421008', 'generic procedure'], // Radionuclide imaging - action (qualifier value)
  [SNOMED, '133899007', 'generic procedure'], // Postoperative care
  [SNOMED, '183646003', 'generic procedure'], // Postoperative visit
  [SNOMED, '22253000', 'generic finding'], // Pain (finding)
  [SNOMED, '233604007', 'generic finding'], // Pneumonia (in the dementia and cerebral palsy sets)
  [SNOMED, '196416002', 'generic finding'], // Impacted molars (opioid module's entry path)
  [SNOMED, '65546002', 'generic procedure'], // Extraction of wisdom tooth (same)
  [LOINC, '72514-3', 'generic measurement'], // Pain severity 0-10 score
];

// Confidentiality V for these labels (docs/spec/labeling.md §4): HIPAA
// psychotherapy notes need their own authorisation (45 CFR 164.508(a)(2)).
const VERY_RESTRICTED = [
  [ACT_CODE, 'PSYTHPN'],
  [US_PRIVACY_LAW, 'HIPAAPsyNotes'],
];

// Codes of v3-ActUSPrivacyLaw that make a resource sensitive (the others,
// CommonRule, HIPAANOPP, HIPAASelfPay, Title38Part1, name laws, not kinds
// of information that need a separate consent).
const SENSITIVE_PRIVACY_LAWS = ['42CFRPart2', 'HIPAAPsyNotes', 'Title38Section7332'];

// A label as the source writes it -> as shipped. Two corrections:
// AB352HealthSensitivityCs is the FSH name of the IG's code system (its url
// is the IG canonical + /CodeSystem/AB352HealthSensitivityCs, ab352.fsh);
// 42CFRPart2 is written with the v3-ActCode system but is a code of
// v3-ActUSPrivacyLaw (v3-ActCode has no such code).
function labelAsShipped(raw) {
  if (raw.system === 'AB352HealthSensitivityCs')
    return { system: `${SLS_CANONICAL}/CodeSystem/AB352HealthSensitivityCs`, code: raw.code };
  if (raw.system === ACT_CODE && raw.code === '42CFRPart2')
    return { system: US_PRIVACY_LAW, code: raw.code };
  return { system: raw.system, code: raw.code };
}

function buildSensitivity(term) {
  const src = readJson(`${SENSITIVITY_DIR}/sensitivity_valuesets.json`);
  const actCode = term.systems.get(ACT_CODE);
  const uspl = term.systems.get(US_PRIVACY_LAW);
  const isp = term.valueSets.get(ACT_ISP_VS).codes.get(ACT_CODE);
  const localDisplays = new Map([
    ['ABORTION', 'Abortion'],
    ['GENDER_AFFIRMING_CARE', 'Gender affirming care'],
    ['CONTRACEPTION', 'Contraception'],
  ]);
  const localSystems = new Set([
    `${SLS_CANONICAL}/CodeSystem/extraSensitivityCodes`,
    `${SLS_CANONICAL}/CodeSystem/AB352HealthSensitivityCs`,
  ]);

  // Which labels a value set may give (docs/spec/labeling.md §3): a code of
  // v3-ActInformationSensitivityPolicy, a sensitive v3-ActUSPrivacyLaw code,
  // or a code of the IG's own sensitivity systems. Anything else (DIS,
  // "disability insurance policy", on the cerebral palsy set) is dropped.
  const dropped = [];
  const labelOk = (l) => {
    if (l.system === ACT_CODE) return isp.has(l.code);
    if (l.system === US_PRIVACY_LAW) return SENSITIVE_PRIVACY_LAWS.includes(l.code);
    return localSystems.has(l.system);
  };
  const labelDisplay = (l) =>
    l.system === ACT_CODE
      ? actCode.get(l.code).display
      : l.system === US_PRIVACY_LAW
        ? uspl.get(l.code).display
        : localDisplays.get(l.code);

  const vsUrl = (v) => v.url ?? `${SLS_CANONICAL}/ValueSet/${v.fsh_name}`;
  const byName = new Map();
  for (const v of src.valuesets) {
    byName.set(v.fsh_name, v);
    byName.set(vsUrl(v), v);
  }
  // (system|code) -> Map(labelKey -> Set(vsUrl)), over each value set's own
  // codes and the codes of the value sets it includes (transitively).
  const matches = new Map();
  const labels = new Map();
  const codesOf = (v, seen = new Set()) => {
    if (seen.has(v.fsh_name)) return [];
    seen.add(v.fsh_name);
    const out = [];
    for (const inc of v.compose_include ?? [])
      for (const c of inc.concepts ?? []) out.push([inc.system, c.code]);
    for (const name of v.include_valuesets ?? []) {
      const inner = byName.get(name);
      if (!inner) fail(`${v.fsh_name}: includes unknown ${name}`);
      out.push(...codesOf(inner, seen));
    }
    return out;
  };
  for (const v of src.valuesets) {
    const vLabels = [];
    for (const raw of v.labels) {
      const l = labelAsShipped(raw);
      if (!labelOk(l)) {
        dropped.push({ valueSet: vsUrl(v), label: `${l.system}|${l.code}` });
        continue;
      }
      const key = `${l.system}|${l.code}`;
      labels.set(key, { system: l.system, code: l.code, display: labelDisplay(l) });
      vLabels.push(key);
    }
    if (!vLabels.length) continue;
    for (const [system, code] of codesOf(v)) {
      if (!CLINICAL_SYSTEMS.includes(system)) continue;
      const k = `${system}|${code}`;
      if (!matches.has(k)) matches.set(k, new Map());
      for (const lk of vLabels) {
        if (!matches.get(k).has(lk)) matches.get(k).set(lk, new Set());
        matches.get(k).get(lk).add(vsUrl(v));
      }
    }
  }
  const labelKeys = [...labels.keys()].sort(byCodeUnits);
  const labelIndex = new Map(labelKeys.map((k, i) => [k, i]));
  const vsUrls = [
    ...new Set([...matches.values()].flatMap((m) => [...m.values()].flatMap((s) => [...s]))),
  ].sort(byCodeUnits);
  const vsIndex = new Map(vsUrls.map((u, i) => [u, i]));
  const titles = new Map(src.valuesets.map((v) => [vsUrl(v), v.title]));

  const suppressedKeys = new Map(SUPPRESSED.map(([s, c, why]) => [`${s}|${c}`, why]));
  for (const k of suppressedKeys.keys())
    if (!matches.has(k)) fail(`suppressed ${k} is in no value set`);
  const codes = {};
  const suppressed = {};
  for (const system of CLINICAL_SYSTEMS) {
    codes[system] = {};
    suppressed[system] = {};
  }
  for (const k of [...matches.keys()].sort(byCodeUnits)) {
    const bar = k.lastIndexOf('|');
    const system = k.slice(0, bar);
    const code = k.slice(bar + 1);
    const pairs = [];
    for (const [lk, set] of matches.get(k))
      for (const u of set) pairs.push([labelIndex.get(lk), vsIndex.get(u)]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    (suppressedKeys.has(k) ? suppressed : codes)[system][code] = pairs;
  }
  const sensitiveLabels = {
    [ACT_CODE]: [...isp].sort(byCodeUnits),
    [US_PRIVACY_LAW]: [...SENSITIVE_PRIVACY_LAWS].sort(byCodeUnits),
  };
  for (const s of [...localSystems].sort(byCodeUnits))
    sensitiveLabels[s] = labelKeys
      .filter((k) => k.startsWith(`${s}|`))
      .map((k) => labels.get(k).code);
  const veryRestricted = {};
  for (const [s, c] of VERY_RESTRICTED) (veryRestricted[s] ??= []).push(c);

  return {
    format: 'medseal-sensitivity-1',
    source: {
      repository: src.source.repository,
      commit: src.source.commit,
      files: src.source.files,
      license: 'CC-BY-4.0',
    },
    labels: labelKeys.map((k) => labels.get(k)),
    valueSets: vsUrls.map((u) => ({ url: u, title: titles.get(u) })),
    sensitiveLabels,
    veryRestricted,
    droppedLabels: dropped,
    suppressedWhy: Object.fromEntries([...suppressedKeys].sort((a, b) => byCodeUnits(a[0], b[0]))),
    codes,
    suppressed,
  };
}

// ---- Output --------------------------------------------------------------------

// JSON with one member per line down to `depth` levels and compact below,
// so that diffs stay readable and the file small.
function format(value, depth, indent = '') {
  if (depth === 0 || value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + ' ';
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => inner + format(v, depth - 1, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (!keys.length) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${format(value[k], depth - 1, inner)}`).join(',\n')}\n${indent}}`;
}

export function extract() {
  const term = buildTerminology();
  const sensitivity = buildSensitivity(term);
  return {
    terminology: format(term.terminology, 4) + '\n',
    sensitivity: format(sensitivity, 3) + '\n',
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const out = extract();
  let differ = false;
  for (const [k, rel] of Object.entries(OUTPUTS)) {
    const file = path.join(repoRoot, rel);
    if (check) {
      const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      if (now !== out[k]) {
        console.error(`${rel} differs from what the extraction gives`);
        differ = true;
      }
    } else {
      fs.writeFileSync(file, out[k]);
      console.log(`wrote ${rel} (${out[k].length} bytes)`);
    }
  }
  process.exit(differ ? 1 : 0);
}

// SPDX-License-Identifier: Apache-2.0
// medseal patient portal — first page.
// Plain DOM, no framework; bundled by web-demo/scripts/build.mjs and loaded as
// a module under a strict CSP (no inline script or style, no eval). All
// crypto goes through the `medseal` package's public API.

import {
  init,
  Identity,
  MedsealError,
  canonicalizeJson,
  evaluateConsent,
  explainConsents,
  inspectRecord,
  labelResource,
  openRecord,
  parseCard,
  parseReceipt,
  recordFromJson,
  share,
  signConsent,
  verifyReceipt,
  withdrawConsent,
} from 'medseal';

const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const US_PRIVACY_LAW = 'http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const KEY_ID_SYSTEM = 'urn:medseal:key-id';
const TREAT = { system: ACT_REASON, code: 'TREAT' };
const ACCESS = { system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access' };
// The clinician's role in the consent (R4 actor.role is required) and in requests.
const PRCP = { system: PARTICIPATION, code: 'PRCP' };
// What each checkbox opens. The labeler writes these labels (core/fhir/data/sensitivity.json).
const CATEGORIES = {
  'open-mh': [
    { system: ACT_CODE, code: 'BH' },
    { system: ACT_CODE, code: 'PSY' },
  ],
  'open-sud': [
    { system: ACT_CODE, code: 'SUD' },
    { system: US_PRIVACY_LAW, code: '42CFRPart2' },
  ],
};
// What the decision table's rows mean (docs/spec/consent.md §6), in plain words.
const RULES = {
  D1: 'no consent of yours is in force (none given, none active, or its period is over)',
  D2: 'your consent does not cover this request',
  D3: 'your consent denies it',
  D4: 'your consent permits it',
  D5: 'your consent permits treatment, but does not open a sensitive category this resource is in',
  D6: 'your consent denies everything it does not permit',
};

const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
const dec = new TextDecoder();

const state = {
  ready: false,
  patient: null, // Identity (holds secrets; disposed on replace / pagehide)
  clinician: { card: '', parsed: null, identity: null }, // identity only for the demo clinician
  sealed: null, // { json, senderCard, recipientCard, text }
  receipt: null, // the signed consent's receipt JSON (public: no secret in it)
};

// ---------------------------------------------------------------------------
// helpers

function errorText(err) {
  if (err instanceof MedsealError) return { code: err.code, message: err.message };
  return { code: null, message: err?.message ?? String(err) };
}

function showError(id, err) {
  const el = $(id);
  el.replaceChildren();
  if (!err) {
    el.hidden = true;
    return;
  }
  const { code, message } = errorText(err);
  if (code) {
    const c = document.createElement('strong');
    c.className = 'code';
    c.textContent = code;
    el.append(c, ' ');
  }
  el.append(message);
  el.hidden = false;
}

function setStatus(text) {
  $('status').textContent = text;
}

function fmtBytes(n) {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB (${n} B)`;
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function li(text, badge) {
  const item = document.createElement('li');
  const code = document.createElement('code');
  code.textContent = text;
  item.append(code);
  if (badge) {
    const b = document.createElement('span');
    b.className = 'badge';
    b.textContent = badge;
    item.append(' ', b);
  }
  return item;
}

function requireReady() {
  if (!state.ready) throw new Error('The crypto module is not loaded yet.');
}

// ---------------------------------------------------------------------------
// operations

function createPatient(name) {
  requireReady();
  const trimmed = String(name ?? '').trim();
  if (!trimmed) throw new Error('Please enter your name.');
  const fresh = Identity.generate({ name: trimmed, role: 'patient' });
  state.patient?.dispose();
  state.patient = fresh;
  $('patient-keyid').textContent = fresh.keyId;
  $('patient-role').textContent = 'patient';
  $('patient-card').value = fresh.card;
  $('patient-out').hidden = false;
  state.receipt = null; // a consent is the signer's: a new identity starts without one
  $('consent-out').hidden = true;
  renderAccess();
  updateButtons();
}

function setClinicianCard(card, identity = null) {
  const c = state.clinician;
  if (c.identity && c.identity !== identity) c.identity.dispose();
  c.card = card;
  c.identity = identity;
  c.parsed = null;
  const info = $('clinician-info');
  showError('clinician-error', null);
  info.hidden = true;
  if (card.trim() && state.ready) {
    try {
      c.parsed = parseCard(card);
      info.replaceChildren();
      const who = document.createElement('strong');
      who.textContent = c.parsed.name;
      const kid = document.createElement('code');
      kid.textContent = c.parsed.keyId;
      info.append('✓ Verified card: ', who, ` (${c.parsed.role}), key id `, kid);
      info.hidden = false;
    } catch (err) {
      showError('clinician-error', err);
    }
  }
  renderAccess();
  updateButtons();
}

// Every non-empty subset of `labels`, largest first. Within one provision
// FHIR's securityLabel list is AND (docs/spec/consent.md §5): data labeled BH
// alone, PSY alone, or both, each needs a provision naming exactly what it
// carries, so the consent holds one nested permit per combination.
function subsets(labels) {
  const out = [];
  for (let mask = (1 << labels.length) - 1; mask > 0; mask--) {
    out.push(labels.filter((_, i) => mask & (1 << i)));
  }
  return out.sort((a, b) => b.length - a.length);
}

// The FHIR R4 Consent the patient's choices describe (docs/spec/consent.md §5.2:
// the clinician is named by the key id of their card).
function buildConsent(patientKeyId, clinicianKeyId, opened, endDate) {
  const provision = {
    type: 'permit',
    period: { end: endDate },
    actor: [
      {
        role: { coding: [PRCP] },
        reference: {
          identifier: { system: KEY_ID_SYSTEM, value: clinicianKeyId },
          display: 'my clinician',
        },
      },
    ],
    action: [{ coding: [ACCESS] }],
    purpose: [TREAT],
  };
  if (opened.length) {
    provision.provision = subsets(opened).map((labels) => ({
      type: 'permit',
      securityLabel: labels,
    }));
  }
  return {
    resourceType: 'Consent',
    id: `portal-${crypto.randomUUID()}`,
    status: 'active',
    scope: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
      ],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { identifier: { system: KEY_ID_SYSTEM, value: patientKeyId } },
    dateTime: new Date().toISOString().slice(0, 10),
    provision,
  };
}

function openedCategories() {
  return Object.entries(CATEGORIES).flatMap(([id, labels]) => ($(id).checked ? labels : []));
}

function signPatientConsent() {
  requireReady();
  if (!state.patient) throw new Error('Create your identity first (step 1).');
  if (!state.clinician.parsed) throw new Error('Choose your clinician first (step 2).');
  const end = $('consent-end').value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new Error('Please choose an end date.');
  const consent = buildConsent(
    state.patient.keyId,
    state.clinician.parsed.keyId,
    openedCategories(),
    end,
  );
  setReceipt(signConsent(state.patient, JSON.stringify(consent), { fhirVersion: 'R4' }));
}

function withdrawPatientConsent() {
  requireReady();
  if (!state.receipt) throw new Error('There is no consent to withdraw.');
  setReceipt(withdrawConsent(state.patient, state.receipt, { scope: 'whole' }));
}

const b64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function setReceipt(receipt) {
  verifyReceipt(receipt, state.patient.card); // throws unless your card signed it
  const parsed = parseReceipt(receipt);
  state.receipt = receipt;
  $('consent-status').textContent = parsed.consent.status;
  $('consent-version').textContent = parsed.consent.meta?.versionId ?? '1';
  $('consent-hash').textContent = b64url(parsed.hash);
  $('consent-verified').textContent = '✓ verified with your card';
  $('consent-receipt').value = receipt;
  $('consent-out').hidden = false;
  renderAccess();
  updateButtons();
}

// The consents the package decides with: the signed FHIR Consent of the receipt.
function consentTexts() {
  return state.receipt ? [JSON.stringify(parseReceipt(state.receipt).consent)] : [];
}

// The resource's facts for a decision: its type and its labels (the labeler's).
function recordFacts(label) {
  return {
    id: label.id || label.resourceType,
    resourceType: label.resourceType,
    securityLabels: [
      ...label.labels.map(({ system, code }) => ({ system, code })),
      { system: CONFIDENTIALITY, code: label.confidentiality },
    ],
  };
}

function clinicianActor() {
  return { keyId: state.clinician.parsed.keyId, roles: [PRCP] };
}

function reasonText(reason) {
  const rule = RULES[reason.rule] ?? 'the consent rules';
  const where = reason.consentId
    ? ` (consent ${reason.consentId}, ${reason.provisionPath || 'provision'})`
    : '';
  return `rule ${reason.rule}: ${rule}${where}`;
}

function labelItem(reason) {
  const item = document.createElement('li');
  const code = document.createElement('code');
  code.textContent = reason.label.code;
  item.append(code, ' ');
  const why = reason.matched
    ? `because ${reason.path} has ${reason.matched.system} ${reason.matched.code}` +
      (reason.matched.display ? ` (${reason.matched.display})` : '') +
      `, listed in ${reason.rule}`
    : `from ${reason.rule} (${reason.path})`;
  item.append(why);
  return item;
}

// The "who can see what" panel: labels of the current resource and, for the
// clinician, what the consent allows (explainConsents) or why not (evaluateConsent).
function renderAccess() {
  try {
    renderAccessPanel();
  } catch (err) {
    $('access-list').replaceChildren();
    $('access-summary').textContent =
      `Could not work out who can see it: ${errorText(err).message}`;
  }
}

function renderAccessPanel() {
  const labels = $('labels');
  const summary = $('access-summary');
  const list = $('access-list');
  labels.replaceChildren();
  list.replaceChildren();
  summary.textContent = '';
  if (!state.ready) return;
  const text = $('resource').value;
  if (!text.trim()) return;
  let label;
  try {
    [label] = labelResource(text);
  } catch (err) {
    summary.textContent = `This resource cannot be labeled: ${errorText(err).message}`;
    return;
  }
  if (!label) return;
  const reasons = label.reasons.filter((r) => r.rule !== 'confidentiality');
  labels.append(...reasons.map(labelItem));
  const level = document.createElement('li');
  level.append('Confidentiality ');
  const c = document.createElement('code');
  c.textContent = label.confidentiality;
  level.append(c, reasons.length ? '' : ' (no sensitive code found)');
  labels.append(level);
  if (!state.clinician.parsed) {
    summary.textContent = 'Choose a clinician to see who can open it.';
    return;
  }
  const facts = recordFacts(label);
  const now = Date.now();
  const entries = explainConsents(consentTexts(), [facts], [clinicianActor()], now);
  const name = state.clinician.parsed.name;
  if (entries.length) {
    summary.textContent = `${name} can open it:`;
    list.append(
      ...entries.map((e) => {
        const item = document.createElement('li');
        const p = document.createElement('code');
        p.textContent = e.purpose.code;
        const until = e.until === undefined ? 'no end date' : new Date(e.until).toISOString();
        item.append('for ', p, `, until ${until}, because of ${reasonText(e.reason)}`);
        item.dataset.purpose = e.purpose.code;
        return item;
      }),
    );
    return;
  }
  const decision = evaluateConsent(
    consentTexts(),
    {
      resourceType: facts.resourceType,
      securityLabels: facts.securityLabels,
      actor: clinicianActor(),
      action: ACCESS,
      purpose: TREAT,
    },
    now,
  );
  summary.textContent = `Nobody may open it: ${reasonText(decision.reason)}.`;
}

// Shares FHIR JSON text as the patient: the package labels it, decides under
// the signed consent and seals it only to the clinician if permitted.
function shareToClinician(text) {
  requireReady();
  if (!state.patient) throw new Error('Create your identity first (step 1).');
  const receipts = state.receipt ? [state.receipt] : [];
  const result = share(
    state.patient,
    text,
    receipts,
    [{ card: state.clinician.card, actor: { roles: [PRCP] } }],
    {
      purpose: TREAT,
    },
  );
  return result.resources[0];
}

function describeSealed(json) {
  const bin = recordFromJson(json);
  const header = inspectRecord(bin);
  return { jsonBytes: enc.encode(json).length, binaryBytes: bin.length, header };
}

function fhirFromText(text) {
  let resource;
  try {
    resource = JSON.parse(text);
  } catch {
    throw new Error('The resource is not valid JSON.');
  }
  if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
    throw new Error('The JSON is not a FHIR resource (no "resourceType").');
  }
  return resource.resourceType;
}

// ---------------------------------------------------------------------------
// UI

function updateButtons() {
  const r = state.ready;
  $('create-identity').disabled = !r;
  $('demo-clinician').disabled = !r;
  $('sign-consent').disabled = !(r && state.patient && state.clinician.parsed);
  $('withdraw-consent').disabled = !(
    r &&
    state.receipt &&
    parseReceipt(state.receipt).consent.status === 'active'
  );
  $('seal').disabled = !(
    r &&
    state.patient &&
    state.clinician.parsed &&
    $('resource').value.trim()
  );
  const canOpen = !!(
    r &&
    state.sealed &&
    state.clinician.identity &&
    state.clinician.card === state.sealed.recipientCard
  );
  $('open').disabled = !canOpen;
  $('open-hint').textContent =
    state.sealed && !canOpen
      ? 'Only the clinician holds the key: use the demo clinician to try opening here.'
      : '';
}

function renderSealed(json, senderKeyId, recipientKeyId) {
  const { jsonBytes, binaryBytes, header } = describeSealed(json);
  $('sealed-size').textContent =
    `${fmtBytes(jsonBytes)} as JSON · ${fmtBytes(binaryBytes)} binary · ` +
    `${fmtBytes(enc.encode(state.sealed.text).length)} plaintext`;
  $('hdr-sender').textContent = header.senderKeyId;
  $('hdr-sender-note').textContent = header.senderKeyId === senderKeyId ? 'you' : '';
  $('hdr-recipients').replaceChildren(
    ...header.recipientKeyIds.map((k) => li(k, k === recipientKeyId ? 'clinician' : '')),
  );
  $('hdr-version').textContent = String(header.version);
  $('hdr-purposes').replaceChildren(...header.purposes.map((p) => li(p.code, p.system)));
  $('hdr-consents').replaceChildren(...header.consentHashes.map((h) => li(b64url(h))));
  $('hdr-ciphertext').textContent = fmtBytes(header.ciphertextBytes);
  $('sealed').value = json; // exactly the bytes measured above
  $('opened-out').hidden = true;
  $('sealed-section').hidden = false;
}

async function loadSample(url) {
  showError('record-error', null);
  if (!url) return;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`Could not load the sample (${res.status}).`);
    $('resource').value = prettyJson(await res.text());
  } catch (err) {
    showError('record-error', err);
  }
  renderAccess();
  updateButtons();
}

function wireUi() {
  $('identity-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    showError('identity-error', null);
    try {
      createPatient($('patient-name').value);
      setStatus(`Identity created for ${$('patient-name').value.trim()}.`);
    } catch (err) {
      showError('identity-error', err);
    }
  });

  $('demo-clinician').addEventListener('click', () => {
    try {
      requireReady();
      const id = Identity.generate({ name: 'Dr. Demo Clinician (synthetic)', role: 'clinician' });
      $('clinician-card').value = id.card;
      setClinicianCard($('clinician-card').value, id);
      setStatus('Demo clinician created in this page.');
    } catch (err) {
      showError('clinician-error', err);
    }
  });

  let t = 0;
  $('clinician-card').addEventListener('input', () => {
    clearTimeout(t);
    t = setTimeout(() => {
      const text = $('clinician-card').value;
      const c = state.clinician;
      setClinicianCard(text, c.identity && text === c.card ? c.identity : null);
    }, 200);
  });

  $('sample').addEventListener('change', () => loadSample($('sample').value));
  let r = 0;
  $('resource').addEventListener('input', () => {
    $('sample').value = '';
    updateButtons();
    clearTimeout(r);
    r = setTimeout(renderAccess, 200);
  });

  $('sign-consent').addEventListener('click', () => {
    showError('consent-error', null);
    try {
      signPatientConsent();
      setStatus('Consent signed.');
    } catch (err) {
      showError('consent-error', err);
    }
  });

  $('withdraw-consent').addEventListener('click', () => {
    showError('consent-error', null);
    try {
      withdrawPatientConsent();
      setStatus('Consent withdrawn: a new, inactive version is signed.');
    } catch (err) {
      showError('consent-error', err);
    }
  });

  $('seal').addEventListener('click', () => {
    showError('record-error', null);
    showError('open-error', null);
    $('withheld').hidden = true;
    try {
      const text = $('resource').value;
      const resourceType = fhirFromText(text);
      const recipientCard = state.clinician.card;
      const out = shareToClinician(text);
      if (out.record === null) {
        const why = out.decisions.map((d) => reasonText(d.reason)).join('; ');
        $('withheld').textContent =
          `Withheld: this ${resourceType} was not sealed to anyone, because ${why}.`;
        $('withheld').hidden = false;
        state.sealed = null;
        $('sealed-section').hidden = true;
        setStatus(`Withheld a ${resourceType}: your consent does not permit sharing it.`);
        updateButtons();
        return;
      }
      const json = out.record;
      state.sealed = { json, senderCard: state.patient.card, recipientCard, text };
      renderSealed(json, state.patient.keyId, state.clinician.parsed.keyId);
      setStatus(`Sealed a ${resourceType} to ${state.clinician.parsed.name}.`);
      updateButtons();
      $('sealed-section').scrollIntoView({ behavior: 'smooth', block: 'start' });
    } catch (err) {
      showError('record-error', err);
    }
  });

  $('open').addEventListener('click', () => {
    showError('open-error', null);
    try {
      const s = state.sealed;
      const rec = openRecord(state.clinician.identity, s.senderCard, s.json, { purpose: TREAT });
      const text = dec.decode(rec.body);
      // share seals the resource's RFC 8785 canonical form (docs/spec/share.md S7).
      const same = text === canonicalizeJson(s.text);
      $('opened-summary').textContent =
        `${same ? '✓' : '✗'} Signature verified and decrypted: ${rec.resourceType || '(no resource type)'}, ` +
        `${rec.contentType}, opened for treatment (TREAT), record id ${rec.recordId}, sealed ${new Date(rec.created).toLocaleString()}. ` +
        (same
          ? 'Identical to the original (in its canonical JSON form, as shared).'
          : 'Differs from the original!');
      $('opened-summary').className = same ? 'ok' : 'error';
      $('opened').value = prettyJson(text);
      $('opened-out').hidden = false;
      setStatus('Opened as the clinician.');
    } catch (err) {
      showError('open-error', err);
    }
  });

  window.addEventListener('pagehide', () => {
    state.patient?.dispose();
    state.patient = null;
    state.clinician.identity?.dispose();
    state.clinician.identity = null;
  });
}

// ---------------------------------------------------------------------------
// start-up

const ready = init().then(() => {
  state.ready = true;
});

wireUi();
// Default end date: one year from today.
$('consent-end').value = new Date(Date.now() + 365 * 864e5).toISOString().slice(0, 10);
loadSample($('sample').value);

ready.then(
  () => {
    setStatus('Ready. Keys are generated and used only in this page.');
    setClinicianCard($('clinician-card').value, state.clinician.identity);
    renderAccess();
    updateButtons();
  },
  (err) => {
    setStatus('The crypto module could not be loaded.');
    showError('init-error', err);
  },
);

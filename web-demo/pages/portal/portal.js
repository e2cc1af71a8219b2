// SPDX-License-Identifier: Apache-2.0
// medseal patient portal — first page.
// Plain DOM, no framework; bundled by web-demo/scripts/build.mjs and loaded as
// a module under a strict CSP (no inline script or style, no eval). All
// crypto goes through the `medseal` package's public API.

import {
  init,
  Identity,
  MedsealError,
  inspectRecord,
  openRecord,
  parseCard,
  recordFromJson,
  sealRecord,
} from 'medseal';

const FHIR_JSON = 'application/fhir+json';

const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
const dec = new TextDecoder();

const state = {
  ready: false,
  patient: null, // Identity (holds secrets; disposed on replace / pagehide)
  clinician: { card: '', parsed: null, identity: null }, // identity only for the demo clinician
  sealed: null, // { json, senderCard, recipientCard, text }
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
  updateButtons();
}

// Seals FHIR JSON text from `sender` to one card; returns the JSON encoding.
function seal(sender, recipientCard, text, resourceType) {
  requireReady();
  if (!sender) throw new Error('Create your identity first (step 1).');
  const payload = {
    body: text,
    contentType: FHIR_JSON,
    resourceType,
    recordId: `urn:uuid:${crypto.randomUUID()}`,
  };
  return sealRecord(sender, [recipientCard], payload, { encoding: 'json' });
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
  $('resource').addEventListener('input', () => {
    $('sample').value = '';
    updateButtons();
  });

  $('seal').addEventListener('click', () => {
    showError('record-error', null);
    showError('open-error', null);
    try {
      const text = $('resource').value;
      const resourceType = fhirFromText(text);
      const recipientCard = state.clinician.card;
      const json = seal(state.patient, recipientCard, text, resourceType);
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
      const rec = openRecord(state.clinician.identity, s.senderCard, s.json);
      const text = dec.decode(rec.body);
      const same = text === s.text;
      $('opened-summary').textContent =
        `${same ? '✓' : '✗'} Signature verified and decrypted: ${rec.resourceType || '(no resource type)'}, ` +
        `${rec.contentType}, record id ${rec.recordId}, sealed ${new Date(rec.created).toLocaleString()}. ` +
        (same ? 'Identical to the original.' : 'Differs from the original!');
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
loadSample($('sample').value);

ready.then(
  () => {
    setStatus('Ready. Keys are generated and used only in this page.');
    setClinicianCard($('clinician-card').value, state.clinician.identity);
    updateButtons();
  },
  (err) => {
    setStatus('The crypto module could not be loaded.');
    showError('init-error', err);
  },
);

// SPDX-License-Identifier: Apache-2.0
// medseal patient portal — first page.
// Plain DOM, no framework; bundled by web-demo/scripts/build.mjs and loaded as
// a module under a strict CSP (no inline script or style, no eval). All
// crypto goes through the `medseal` package's public API.

import {
  init,
  AttachmentReader,
  AttachmentWriter,
  AuthorChains,
  Identity,
  MedsealError,
  canonicalizeJson,
  evaluateConsent,
  explainConsents,
  inspectRecord,
  labelResource,
  LogClient,
  LogPolicy,
  ageRecipientForCard,
  attachmentSubject,
  breakGlassEventsAbout,
  consentSubject,
  logCardEntry,
  openAttachmentSignature,
  openRecord,
  parseCard,
  parseLogEvent,
  parseReceipt,
  recordFromJson,
  recordSubject,
  safetyNumber,
  safetyQrPayload,
  sealAttachmentSignature,
  share,
  signConsent,
  signLogEvent,
  verifyReceipt,
  verifySafetyQr,
  withdrawConsent,
} from 'medseal';
import QRCode from 'qrcode';

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
  attachment: null, // { id, senderCard, recipientCard }: what the relay holds
  download: '', // the object URL of the last decrypted attachment
  // The verifiable log (web-demo/relay/log.mjs), as this device sees it:
  // the operator's policy, the LogClient that holds the last checkpoint it
  // verified, and the entries it appended itself ({index, entry, what}),
  // whose inclusion it checks.
  // chains: the AuthorChains of the authors in this page (the patient, the
  // demo clinician), which give each new event its seq and prev.
  log: { policy: null, client: null, own: [], chains: null },
};

// The relay's attachment drop box (web-demo/relay/attachments.mjs).
const RELAY = '/relay/attachments/';

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
  // Post-quantum identities (docs/spec/record.md §6): records sealed to this
  // card get an X-Wing stanza, secret while ML-KEM-768 or X25519 holds.
  const fresh = Identity.generate({ name: trimmed, role: 'patient', postQuantum: true });
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
  const receipt = state.receipt;
  const patient = state.patient;
  const clinician = state.clinician.parsed.keyId;
  logEvent(
    patient,
    () => ({
      type: 'grant',
      subjects: [consentSubject(receipt)],
      purpose: 'TREAT',
      patient: patient.keyId,
      recipients: [clinician],
    }),
    'grant: your consent',
  );
}

function withdrawPatientConsent() {
  requireReady();
  if (!state.receipt) throw new Error('There is no consent to withdraw.');
  const withdrawn = state.receipt;
  setReceipt(withdrawConsent(state.patient, state.receipt, { scope: 'whole' }));
  const receipt = state.receipt;
  const patient = state.patient;
  logEvent(
    patient,
    () => ({
      type: 'withdraw',
      subjects: [consentSubject(withdrawn), consentSubject(receipt)],
      patient: patient.keyId,
    }),
    'withdraw: your consent',
  );
}

const b64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const fromB64url = (text) => {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(std + '='.repeat((4 - (std.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
};

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

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

// Attachments (docs/spec/attachment.md). The consent decides who receives a
// file as it decides for a record: a DocumentReference that describes the
// file goes through share() (§7); only if the clinician is permitted is the
// file encrypted, to the clinician's card, as a plain age file (streamed
// through AttachmentWriter: the wasm heap holds one 64 KiB chunk at a time),
// and the signature object, which names the file, is sealed to the same
// card with the purpose and the deciding consents' hashes bound. The relay
// gets two ciphertexts.
async function attachToClinician(file) {
  requireReady();
  if (!state.patient) throw new Error('Create your identity first (step 1).');
  if (!state.clinician.parsed) throw new Error("Paste your clinician's card first (step 2).");
  const idBytes = new Uint8Array(16);
  crypto.getRandomValues(idBytes);
  const id = hex(idBytes); // a FHIR id and a relay id
  const mediaType = file.type || 'application/octet-stream';
  const descriptor = JSON.stringify({
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    content: [{ attachment: { contentType: mediaType, title: file.name, size: file.size } }],
  });
  const decided = shareToClinician(descriptor);
  if (decided.record === null) {
    const why = decided.decisions.map((d) => reasonText(d.reason)).join('; ');
    throw new Error(`Not sent: your consent does not permit sharing this file, because ${why}.`);
  }
  const senderCard = state.patient.card;
  const recipientCard = state.clinician.card;
  const writer = new AttachmentWriter(state.patient, [recipientCard], {
    mediaType,
    name: file.name,
    size: file.size,
  });
  const parts = [];
  let signature;
  try {
    const chunks = file.stream().getReader();
    for (;;) {
      const { done, value } = await chunks.read();
      if (done) break;
      parts.push(writer.push(value));
    }
    const last = writer.finish();
    parts.push(last.file);
    signature = last.signature;
  } finally {
    writer.dispose();
  }
  const ageFile = new Blob(parts, { type: 'application/octet-stream' });
  const sealed = sealAttachmentSignature(state.patient, [recipientCard], signature, {
    purposes: [TREAT],
    consentHashes: decided.consentHashes.map(fromB64url),
    recordId: id,
    encoding: 'json',
  });
  for (const [what, body] of [
    ['file', ageFile],
    ['signature', sealed],
  ]) {
    const res = await fetch(`${RELAY}${id}/${what}`, { method: 'PUT', body });
    if (res.status !== 201) throw new Error(`The relay refused the ${what} (${res.status}).`);
  }
  state.attachment = { id, senderCard, recipientCard };
  // The share, in the log: the attachment by the SHA-256 of its age file
  // (ciphertext; what its signature signs), never its name or content.
  const fileSha256 = new Uint8Array(
    await crypto.subtle.digest('SHA-256', await ageFile.arrayBuffer()),
  );
  const patient = state.patient;
  const clinician = state.clinician.parsed.keyId;
  logEvent(
    patient,
    () => ({
      type: 'share',
      subjects: [attachmentSubject(fileSha256)],
      purpose: 'TREAT',
      patient: patient.keyId,
      recipients: [clinician],
    }),
    'share: a file',
  );
  return {
    id,
    fileBytes: ageFile.size,
    sealedBytes: enc.encode(sealed).length,
    plainBytes: file.size,
    consentHashes: decided.consentHashes,
  };
}

// As the clinician: downloads both objects, opens the sealed signature,
// then streams the age file through AttachmentReader. Plaintext released
// before finish() is authentic age plaintext but not yet proven to be the
// patient's: it is kept aside and discarded unless finish() succeeds.
async function openAttachmentAsClinician() {
  const a = state.attachment;
  const me = state.clinician.identity;
  const sigRes = await fetch(`${RELAY}${a.id}/signature`);
  if (!sigRes.ok) throw new Error(`The relay has no signature for it (${sigRes.status}).`);
  const signature = openAttachmentSignature(me, a.senderCard, await sigRes.text(), {
    purpose: TREAT,
  });
  const reader = new AttachmentReader(me, a.senderCard, signature);
  const info = reader.signature;
  // The SHA-256 of the age file the signature names: the open's subject.
  const fileSha256 = info.fileSha256.slice();
  const parts = [];
  try {
    const res = await fetch(`${RELAY}${a.id}/file`);
    if (!res.ok) throw new Error(`The relay has no file for it (${res.status}).`);
    const chunks = res.body.getReader();
    for (;;) {
      const { done, value } = await chunks.read();
      if (done) break;
      parts.push(reader.push(value));
    }
    parts.push(reader.finish());
  } catch (err) {
    for (const p of parts) p.fill(0);
    throw err;
  } finally {
    reader.dispose();
  }
  const blob = new Blob(parts, { type: info.mediaType });
  for (const p of parts) p.fill(0);
  // The open, in the log, signed by the clinician, once the file verified.
  const patient = parseCard(a.senderCard).keyId;
  logEvent(
    me,
    () => ({
      type: 'open',
      subjects: [attachmentSubject(fileSha256)],
      purpose: 'TREAT',
      patient,
    }),
    `open: a file, by ${state.clinician.parsed.name}`,
  );
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return { info, blob, sha256: hex(digest) };
}

// ---------------------------------------------------------------------------
// The verifiable log (docs/spec/log.md). The relay serves the C2SP
// checkpoint at /log/checkpoint; the proofs it hands out are checked by the
// package's LogClient (core/log/client.h) against checkpoints it verified:
// a newer checkpoint is accepted only with a consistency proof from the one
// held (a smaller one is LOG_TRUNCATED, the same size with another root
// LOG_FORK), and each own entry needs a valid inclusion proof.
const LOG = '/relay/log/';

async function logPolicy() {
  if (state.log.policy) return state.log.policy;
  // The demo trusts the relay's key on first use; a real app ships it pinned.
  const res = await fetch(`${LOG}key`);
  if (!res.ok) throw new Error(`The relay has no log key (${res.status}).`);
  state.log.policy = LogPolicy.create({ logKey: (await res.text()).trim() });
  state.log.client = LogClient.create(state.log.policy);
  $('log-key').textContent = state.log.policy.origin;
  return state.log.policy;
}

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`The relay refused ${url} (${res.status}).`);
  return new Uint8Array(await res.arrayBuffer());
}

// Appends an entry as this device, then checks the log. `event`: the
// encoded event of an event entry (kept to rebuild the chains).
async function appendToLog(entry, what, event = null) {
  await logPolicy();
  const res = await fetch(`${LOG}entries`, { method: 'POST', body: entry });
  const out = await res.json().catch(() => ({}));
  if (res.status !== 201) {
    throw new Error(`The log refused ${what}: ${out.code ?? res.status} ${out.message ?? ''}`);
  }
  state.log.client.trackOwnEntry(out.index, entry);
  state.log.own.push({ index: out.index, entry, what, event });
  return checkLog();
}

// The patient's device checks the log: the checkpoint's signature, its
// consistency with the one held, the inclusion of every own entry.
async function checkLog() {
  const policy = await logPolicy();
  const client = state.log.client;
  const res = await fetch('/log/checkpoint');
  if (!res.ok) throw new Error(`The relay has no checkpoint (${res.status}).`);
  const note = await res.text();
  const next = policy.verifyCheckpoint(note);
  const held = client.size;
  // The proof from the held size (none to fetch before the first checkpoint).
  const proof =
    held > 0
      ? await fetchBytes(`${LOG}proof/consistency?from=${held}&to=${Math.max(next.size, held)}`)
      : new Uint8Array(0);
  client.update(note, proof);
  const items = [];
  for (const e of state.log.own) {
    const inclusion = await fetchBytes(`${LOG}proof/inclusion?index=${e.index}&size=${next.size}`);
    client.verifyEntry(e.index, e.entry, inclusion);
    items.push(li(`#${e.index}`, `✓ included: ${e.what}`));
  }
  $('log-checkpoint').textContent =
    `size ${next.size}, root ${b64url(next.root)}, ✓ signed by ${next.origin}`;
  $('log-consistency').textContent =
    held > 0
      ? `✓ consistent with the checkpoint of size ${held} seen before`
      : 'first checkpoint seen on this device';
  await checkHistory(policy, note, next.size);
  // The own entries and the verdict appear together, once the whole log is checked.
  $('log-own').replaceChildren(...items);
  $('log-result').textContent =
    `✓ Log checked: ${next.size} entries, your ${state.log.own.length} entr${state.log.own.length === 1 ? 'y is' : 'ies are'} in it.`;
  $('log-result').className = 'ok';
  updateButtons();
  return next;
}

// The C2SP tlog-tiles path of entry bundle `n` (N as 3-digit groups, all
// but the last prefixed with "x"), partial when `width` < 256.
function entriesPath(n, width) {
  const groups = [];
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  const path = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return `/log/tile/entries/${path}${width < 256 ? `.p/${width}` : ''}`;
}

// The entries of an entry bundle (each a 2-byte big-endian length, then
// that many bytes): what breakGlassEventsAbout and the card lookup read,
// after verifyHistory has checked the same bytes against the checkpoint.
function bundleEntries(bundle) {
  const out = [];
  for (let at = 0; at < bundle.length;) {
    if (at + 2 > bundle.length) throw new Error('A log entry bundle is cut short.');
    const n = (bundle[at] << 8) | bundle[at + 1];
    if (at + 2 + n > bundle.length) throw new Error('A log entry bundle is cut short.');
    out.push(bundle.subarray(at + 2, at + 2 + n));
    at += 2 + n;
  }
  return out;
}

// The whole log, verified against the checkpoint this device accepted
// (verifyHistory: the root recomputed from the entries, every event's
// signature under its author's card logged before it, every author's
// chain), then the break-glass events about the patient flagged
// (breakGlassEventsAbout): who (the author's card), when, the purpose, and
// that a reason was given (it is salted: only its author can disclose it).
async function checkHistory(policy, note, size) {
  const parts = [];
  for (let n = 0; n * 256 < size; n++)
    parts.push(await fetchBytes(entriesPath(n, Math.min(256, size - n * 256))));
  const bundle = new Uint8Array(parts.reduce((k, p) => k + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bundle.set(p, at);
    at += p.length;
  }
  const summary = policy.verifyHistory(note, bundle, size);
  $('log-history').textContent =
    `✓ verified: ${summary.entries} entries (${summary.cards} cards, ${summary.events} signed events ` +
    `by ${summary.authors} author${summary.authors === 1 ? '' : 's'}), every signature and chain`;
  if (!state.patient) return;
  const cards = new Map();
  const events = [];
  for (const entry of bundleEntries(bundle)) {
    const body = dec.decode(entry.subarray(1));
    if (entry[0] === 0x02) {
      const card = parseCard(body);
      cards.set(card.keyId, card);
    } else if (entry[0] === 0x01) events.push(body);
  }
  const flagged = breakGlassEventsAbout(events, state.patient.keyId).map((i) => {
    const e = parseLogEvent(events[i]);
    // Public members of the verified event: the purpose code and subjects.
    const { purpose, subjects } = JSON.parse(e.encoded);
    const who = cards.get(e.author);
    const mine = state.sealed && recordSubject(state.sealed.json);
    const records = subjects
      .filter((x) => x.kind === 'record' || x.kind === 'attachment')
      .map((x) =>
        mine && x.id === b64url(mine.id) ? 'the record you shared' : `${x.kind} ${x.id}`,
      );
    const item = document.createElement('li');
    item.className = 'warn';
    item.textContent =
      `⚠ Break-the-glass: ${who ? `${who.name} (${who.role}, key ${e.author})` : `key ${e.author}`} ` +
      `opened ${records.join(', ')} on ${new Date(e.time).toLocaleString()} for ${purpose}; ` +
      'a reason was given (salted in the log: ask them for it).';
    return item;
  });
  $('log-breakglass').replaceChildren(...flagged);
  $('log-breakglass-none').hidden = flagged.length > 0;
}

// ---------------------------------------------------------------------------
// Signed log events (docs/spec/log.md §6): each grant, withdraw and share
// by the patient and each open by the demo clinician is signed by the
// acting identity (signLogEvent), chained per author (AuthorChains: seq and
// prev), and appended to the relay's log after the author's card. Subjects
// are hashes (the consent hash, the sealed record's hash); sensitivity
// labels are salted under the event's secret salt, which this page wipes at
// once (it discloses nothing).

function logChains() {
  state.log.chains ??= AuthorChains.create();
  return state.log.chains;
}

// After a refused append the chain head is ahead of the log: rebuild it
// from the events this page has in the log.
function rebuildChains() {
  state.log.chains?.dispose();
  state.log.chains = AuthorChains.create();
  for (const e of state.log.own) if (e.event) state.log.chains.append(e.event);
}

// Queues the event behind the pending log steps (the author's card first),
// so that the log receives each author's events in chain order. `fields`
// is a function: it runs when the event is signed.
function logEvent(author, fields, what) {
  return logStep(async () => {
    const signed = signLogEvent(author, fields(), { chains: logChains() });
    signed.salt.fill(0);
    try {
      await appendToLog(signed.entry, what, signed.encoded);
    } catch (err) {
      if (!state.log.own.some((e) => e.event === signed.encoded)) rebuildChains();
      throw err;
    }
  });
}

// Runs log steps one after the other (each check starts from the last
// checkpoint the one before accepted); a failure is shown (with its code),
// never thrown at the UI.
let logQueue = Promise.resolve();
function logStep(step) {
  logQueue = logQueue.then(async () => {
    showError('log-error', null);
    try {
      await step();
    } catch (err) {
      $('log-result').textContent = '✗ The log check failed.';
      $('log-result').className = 'error';
      showError('log-error', err);
    }
  });
  return logQueue;
}

// ---------------------------------------------------------------------------
// Safety numbers (docs/spec/log.md §10): a number from both public cards,
// the same on the patient's and the clinician's screen only if each holds
// the other's real card, and a QR payload (shown here as base64url text)
// that the other side scans and checks against the cards it holds.

// Draws the 101-byte payload as a QR code (npm qrcode encodes it, in byte
// mode, error correction M; this only paints its modules): QR_SCALE pixels
// a module and a quiet zone of QR_MARGIN modules. An empty payload clears it.
const QR_SCALE = 4;
const QR_MARGIN = 4;
function drawQr(canvas, payload) {
  if (!payload) {
    canvas.width = canvas.height = 0;
    return;
  }
  const qr = QRCode.create([{ data: payload, mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  canvas.width = canvas.height = (n + 2 * QR_MARGIN) * QR_SCALE;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c))
        ctx.fillRect((c + QR_MARGIN) * QR_SCALE, (r + QR_MARGIN) * QR_SCALE, QR_SCALE, QR_SCALE);
}

// The cards the screen was drawn for ("patient card\0clinician card").
let safetyShown = '';

function renderSafety() {
  const mine = state.patient?.card ?? '';
  const theirs = state.clinician.parsed ? state.clinician.card : '';
  const key = mine && theirs ? `${mine}\0${theirs}` : '';
  if (key === safetyShown) return;
  safetyShown = key;
  $('safety-result').textContent = '';
  showError('safety-error', null);
  $('safety-none').hidden = !!key;
  $('safety-out').hidden = !key;
  if (!key) return;
  try {
    $('safety-patient').textContent = safetyNumber(mine, theirs).formatted;
    const mineQr = safetyQrPayload(mine, theirs);
    $('safety-patient-qr').textContent = b64url(mineQr);
    drawQr($('safety-patient-qr-img'), mineQr);
    // The clinician's own screen, computed from the cards their device
    // holds: only the demo clinician lives in this page.
    const demo = state.clinician.identity;
    $('safety-clinician').textContent = demo
      ? safetyNumber(demo.card, mine).formatted
      : "shown on your clinician's own device";
    const theirQr = demo ? safetyQrPayload(demo.card, mine) : null;
    $('safety-clinician-qr').textContent = theirQr ? b64url(theirQr) : '—';
    drawQr($('safety-clinician-qr-img'), theirQr);
  } catch (err) {
    // The same card on both sides is INVALID_ARGUMENT.
    $('safety-out').hidden = true;
    showError('safety-error', err);
  }
}

// The patient scans (pastes) the clinician's code: verifySafetyQr checks
// that it names the patient's card and the clinician card this device
// holds; SAFETY_NUMBER_MISMATCH otherwise (or a parse code for a bad code).
function verifySafetyCode() {
  showError('safety-error', null);
  $('safety-result').textContent = '';
  const text = $('safety-scan').value.trim();
  let payload;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not a code');
    payload = fromB64url(text);
  } catch {
    throw new Error('This is not a safety-number code (base64url text).');
  }
  verifySafetyQr(payload, state.patient.card, state.clinician.card);
  $('safety-result').textContent =
    `✓ Match: your clinician's device holds your real card, and you hold ${state.clinician.parsed.name}'s.`;
  $('safety-result').className = 'ok';
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
  $('attach').disabled = !(
    r &&
    state.patient &&
    state.clinician.parsed &&
    $('attach-file').files.length === 1
  );
  const canOpenAttachment = !!(
    r &&
    state.attachment &&
    state.clinician.identity &&
    state.clinician.card === state.attachment.recipientCard
  );
  $('attach-open').disabled = !canOpenAttachment;
  $('log-check').disabled = !r;
  if (r) renderSafety();
  $('safety-verify').disabled = !(r && safetyShown && $('safety-scan').value.trim());
  $('attach-open-hint').textContent =
    state.attachment && !canOpenAttachment
      ? 'Only the clinician holds the key: use the demo clinician to try opening here.'
      : '';
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
    ...header.recipients.map((r) =>
      li(
        r.keyId,
        [
          r.keyId === recipientKeyId ? 'clinician' : '',
          r.postQuantum ? 'post-quantum' : 'X25519 only',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
    ),
  );
  $('hdr-pq').textContent = header.postQuantum
    ? 'yes: every copy of the key is sealed with X-Wing (ML-KEM-768 + X25519)'
    : 'no: a recipient card has no post-quantum key, so its copy uses X25519 only';
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
      const card = state.patient.card;
      logStep(() => appendToLog(logCardEntry(card), 'your card'));
    } catch (err) {
      showError('identity-error', err);
    }
  });

  $('demo-clinician').addEventListener('click', () => {
    try {
      requireReady();
      const id = Identity.generate({
        name: 'Dr. Demo Clinician (synthetic)',
        role: 'clinician',
        postQuantum: true,
      });
      $('clinician-card').value = id.card;
      setClinicianCard($('clinician-card').value, id);
      setStatus('Demo clinician created in this page.');
      logStep(() => appendToLog(logCardEntry(id.card), "the demo clinician's card"));
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
      const patient = state.patient;
      const clinician = state.clinician.parsed.keyId;
      const [label] = labelResource(text);
      logEvent(
        patient,
        () => ({
          type: 'share',
          subjects: [recordSubject(json)],
          purpose: 'TREAT',
          patient: patient.keyId,
          recipients: [clinician],
          sensitivity: (label?.labels ?? []).map(({ system, code }) => `${system}|${code}`),
        }),
        `share: a ${resourceType}`,
      );
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
      const opener = state.clinician.identity;
      const rec = openRecord(opener, s.senderCard, s.json, { purpose: TREAT });
      const patient = parseCard(s.senderCard).keyId;
      logEvent(
        opener,
        () => ({
          type: 'open',
          subjects: [recordSubject(s.json)],
          purpose: 'TREAT',
          patient,
        }),
        `open: by ${state.clinician.parsed.name}`,
      );
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

  $('attach-file').addEventListener('change', () => updateButtons());

  $('log-check').addEventListener('click', () => logStep(checkLog));

  $('safety-scan').addEventListener('input', () => updateButtons());
  $('safety-verify').addEventListener('click', () => {
    try {
      verifySafetyCode();
    } catch (err) {
      $('safety-result').textContent = '✗ No match: do not rely on these cards.';
      $('safety-result').className = 'error';
      showError('safety-error', err);
    }
  });

  $('attach').addEventListener('click', async () => {
    showError('attach-error', null);
    showError('attach-open-error', null);
    $('attach').disabled = true;
    try {
      const file = $('attach-file').files[0];
      setStatus(`Encrypting ${file.name}…`);
      const out = await attachToClinician(file);
      $('attach-id').textContent = out.id;
      $('attach-stored').textContent =
        `${fmtBytes(out.fileBytes)} age file + ${fmtBytes(out.sealedBytes)} sealed signature ` +
        `(the file was ${fmtBytes(out.plainBytes)}); nothing else`;
      $('attach-recipient').textContent = ageRecipientForCard(state.clinician.card);
      $('attach-consents').replaceChildren(...out.consentHashes.map((h) => li(h)));
      $('attach-opened').hidden = true;
      $('attach-download').hidden = true;
      $('attach-out').hidden = false;
      setStatus(`Encrypted and uploaded ${file.name} for ${state.clinician.parsed.name}.`);
    } catch (err) {
      showError('attach-error', err);
      setStatus('The file was not sent.');
    }
    updateButtons();
  });

  $('attach-open').addEventListener('click', async () => {
    showError('attach-open-error', null);
    $('attach-opened').hidden = true;
    $('attach-download').hidden = true;
    try {
      const { info, blob, sha256 } = await openAttachmentAsClinician();
      if (state.download) URL.revokeObjectURL(state.download);
      state.download = URL.createObjectURL(blob);
      const link = $('attach-download');
      link.href = state.download;
      link.download = info.name || 'attachment';
      link.hidden = false;
      $('attach-opened').textContent =
        `✓ Signed by ${info.senderKeyId} (the patient) and decrypted: ${info.name || '(no name)'}, ` +
        `${info.mediaType}, ${fmtBytes(info.size)}, attached ${new Date(info.created).toLocaleString()}. ` +
        `SHA-256 ${sha256}`;
      $('attach-opened').hidden = false;
      setStatus('Attachment downloaded, verified and decrypted as the clinician.');
    } catch (err) {
      showError('attach-open-error', err);
    }
  });

  window.addEventListener('pagehide', () => {
    if (state.download) URL.revokeObjectURL(state.download);
    state.patient?.dispose();
    state.patient = null;
    state.clinician.identity?.dispose();
    state.clinician.identity = null;
    state.log.client?.dispose();
    state.log.client = null;
    state.log.policy?.dispose();
    state.log.policy = null;
    state.log.chains?.dispose();
    state.log.chains = null;
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

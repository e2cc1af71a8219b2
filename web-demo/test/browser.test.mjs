// SPDX-License-Identifier: Apache-2.0
// Browser tests of the built portal (web-demo/dist, `npm run build`):
// Debian's Chromium (headless) driven by npm playwright-core, on an ephemeral
// 127.0.0.1 port. The other side of every exchange is the same package in
// Node, imported by name like the pages import it.
//
// The server is composed here: the demo's own request handler
// (server/server.mjs createHandler, serving dist/ and taking CSP reports)
// plus, under /__test__/, this test's pages, served by a second handler over
// a temporary folder:
//   /__test__/harness/      test/harness/, its script bundled here exactly as
//                           the app is (scripts/build.mjs bundle()); drives the
//                           package in a page and the app's /worker.js
//   /__test__/csp-control/  test/csp-control/, the negative control (eval)
// The shipped page and server have no hooks: the portal is driven through
// its UI, and CSP reports are read from the handler's in-memory list.
//
// Needs: the built app (scripts/test-browser.sh builds it) and /usr/bin/chromium.
// Never `npx playwright install`: the browser is Debian's.
// Writes build/screenshots/portal.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';
import * as medseal from 'medseal';

import { createHandler, listen, DEFAULT_APP_DIR } from '../server/server.mjs';
import { bundle } from '../scripts/build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const screenshotPath = path.join(repoRoot, 'build', 'screenshots', 'portal.png');
const CHROMIUM = process.env.MEDSEAL_CHROMIUM || '/usr/bin/chromium';
const T = { timeout: 90_000 };
const HARNESS = '/__test__/harness/';
const CONTROL = '/__test__/csp-control/';

const SAMPLE = JSON.stringify({
  resourceType: 'Observation',
  id: 'synthetic-glucose-1',
  status: 'final',
  code: {
    coding: [
      { system: 'http://loinc.org', code: '2339-0', display: 'Glucose [Mass/volume] in Blood' },
    ],
  },
  subject: { reference: 'Patient/synthetic-patient-1' },
  valueQuantity: { value: 104, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  note: [{ text: 'Synthetic — ünïcødé ✓ 糖' }],
});

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium's omnibox-popup WebUI, built for every new tab even headless
  // (bench/js/browser.mjs): browser UI, not part of the pages under test.
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];

let demo; // the demo's handler: { handle, cspReports }
let srv;
let context;
let profileDir;
let testDir; // the test's own pages, served under /__test__/
let nodeClinician; // Identity, in Node
let SHARED; // SAMPLE as share seals it: its RFC 8785 canonical form
const pages = [];

before(async () => {
  assert.ok(
    existsSync(path.join(DEFAULT_APP_DIR, 'index.html')),
    `${DEFAULT_APP_DIR} holds no built app: run \`npm run build\` in web-demo (scripts/test-browser.sh does)`,
  );
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh`);
  await medseal.init();
  SHARED = medseal.canonicalizeJson(SAMPLE);
  nodeClinician = medseal.Identity.generate({
    name: 'Dr. Node Clinician (synthetic)',
    role: 'clinician',
  });

  testDir = mkdtempSync(path.join(tmpdir(), 'medseal-browser-test-'));
  const served = path.join(testDir, '__test__');
  cpSync(path.join(here, 'csp-control'), path.join(served, 'csp-control'), { recursive: true });
  cpSync(path.join(here, 'harness', 'index.html'), path.join(served, 'harness', 'index.html'));
  await bundle([path.join(here, 'harness', 'harness.js')], path.join(served, 'harness'));

  demo = createHandler();
  const testPages = createHandler({ appDir: testDir });
  srv = await listen(
    (req, res) => {
      const { pathname } = new URL(req.url, 'http://localhost');
      return (pathname.startsWith('/__test__/') ? testPages : demo).handle(req, res);
    },
    { port: 0, host: '127.0.0.1' },
  );

  profileDir = mkdtempSync(path.join(tmpdir(), 'medseal-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: 1100, height: 900 },
  });
});

after(async () => {
  nodeClinician?.dispose();
  await context?.close();
  await srv?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  if (testDir) rmSync(testDir, { recursive: true, force: true });
});

// Opens `p` in a new tab, recording CSP violations (DOM event), page errors,
// console errors (page and its workers) and requests.
async function openPage(p, initScript = null) {
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  const rec = {
    violations: [],
    pageErrors: [],
    consoleErrors: [],
    requests: [],
    scripts: [],
    page,
    control: p.startsWith(CONTROL),
  };
  page.on('request', (r) => {
    const pathname = new URL(r.url()).pathname;
    rec.requests.push(pathname);
    if (r.resourceType() === 'script') rec.scripts.push(pathname);
  });
  await page.exposeFunction('__medsealTestViolation', (v) => rec.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__medsealTestViolation({
        effectiveDirective: e.effectiveDirective,
        blockedURI: e.blockedURI,
        sourceFile: e.sourceFile,
        lineNumber: e.lineNumber,
      });
    });
  });
  page.on('pageerror', (err) => rec.pageErrors.push(String(err?.stack ?? err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') rec.consoleErrors.push(msg.text());
  });
  page.on('worker', (w) => {
    // Workers' own console (Playwright versions differ on whether page 'console' covers it).
    w.on?.('console', (msg) => {
      if (msg.type() === 'error') rec.consoleErrors.push(`[worker] ${msg.text()}`);
    });
  });
  pages.push(rec);
  await page.goto(new URL(p, srv.url).href);
  return rec;
}

const READY = 'Ready. Keys are generated and used only in this page.';

// The portal, loaded until its status line leaves "Loading…".
async function openPortal(initScript = null) {
  const rec = await openPage('/', initScript);
  await rec.page.waitForFunction(
    () => !document.getElementById('status').textContent.startsWith('Loading'),
  );
  const status = await rec.page.textContent('#status');
  assert.equal(
    status,
    READY,
    `portal status (init error: ${await rec.page.textContent('#init-error')})`,
  );
  return rec;
}

async function openHarness() {
  const rec = await openPage(HARNESS);
  await rec.page.waitForFunction(() => window.harness !== undefined);
  await rec.page.evaluate(() => window.harness.ready);
  return rec;
}

const TREAT = {
  purpose: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' },
};

// Through the portal's UI: signs a treatment consent for the clinician in
// step 2 and waits until the page has verified it. Returns the receipt JSON.
async function signConsentInPortal(page) {
  const before = await page.inputValue('#consent-receipt');
  await page.click('#sign-consent');
  await page.waitForFunction((b) => document.getElementById('consent-receipt').value !== b, before);
  assert.equal(await page.locator('#consent-error').isHidden(), true);
  assert.equal(await page.textContent('#consent-verified'), '✓ verified with your card');
  return page.inputValue('#consent-receipt');
}

// Through the portal's UI: creates the patient, pastes `clinicianCard`,
// signs a treatment consent for them, enters `resource` and shares it.
// Returns the patient's card and the sealed JSON.
async function sealInPortal(page, clinicianCard, resource) {
  await page.fill('#patient-name', 'Pat Page (synthetic)');
  await page.click('#create-identity');
  await page.locator('#patient-out').waitFor({ state: 'visible' });
  const patientCard = await page.inputValue('#patient-card');
  await page.fill('#clinician-card', clinicianCard);
  await page.locator('#clinician-info').waitFor({ state: 'visible' });
  await signConsentInPortal(page);
  // The first sample loads at start-up: wait for it, so it cannot replace ours.
  await page.waitForFunction(() => document.getElementById('resource').value.includes('4548-4'));
  await page.fill('#resource', resource);
  await page.click('#seal');
  await page.locator('#sealed-section').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#record-error').isHidden(), true);
  return { patientCard, sealed: await page.inputValue('#sealed') };
}

const isControl = (r) => {
  const doc = r.report?.['csp-report']?.['document-uri'] ?? r.report?.['document-uri'] ?? '';
  return doc.includes(CONTROL);
};

// Fails if the page saw a CSP violation, an uncaught error or a console error,
// or if the server received any CSP report not from the control pages.
async function assertClean(rec) {
  await rec.page.waitForTimeout(300); // let reports reach the server
  assert.deepEqual(rec.violations, [], 'securitypolicyviolation events');
  assert.deepEqual(rec.pageErrors, [], 'page errors');
  assert.deepEqual(rec.consoleErrors, [], 'console errors');
  assert.deepEqual(
    demo.cspReports.filter((r) => !isControl(r)),
    [],
    'CSP reports received by the server',
  );
}

const text = (bytes) => new TextDecoder().decode(bytes);

test('(a) the portal seals to a clinician made in Node; Node opens it', T, async () => {
  const rec = await openPortal();
  const { page } = rec;
  assert.equal(
    await page.evaluate(() => 'medsealDemo' in window),
    false,
    'the shipped page exposes no test hook',
  );

  const { patientCard, sealed } = await sealInPortal(page, nodeClinician.card, SAMPLE);
  assert.equal(medseal.parseCard(patientCard).role, 'patient');
  assert.ok(!sealed.includes('104'), 'no plaintext in the sealed JSON');
  // The page holds no key of the Node clinician: it cannot open what it sealed.
  assert.equal(await page.locator('#open').isDisabled(), true);
  assert.match(await page.textContent('#open-hint'), /Only the clinician holds the key/);

  const hdr = medseal.inspectRecord(medseal.recordFromJson(sealed));
  assert.equal(hdr.senderKeyId, medseal.parseCard(patientCard).keyId);
  assert.deepEqual(hdr.recipientKeyIds, [nodeClinician.keyId]);
  assert.equal(hdr.version, 2);
  assert.deepEqual(hdr.purposes, [TREAT.purpose]);
  assert.equal(await page.textContent('#hdr-sender'), hdr.senderKeyId);

  medseal.verifyRecord(patientCard, sealed);
  // A version 2 record opens only for a purpose its header carries.
  assert.throws(
    () => medseal.openRecord(nodeClinician, patientCard, sealed),
    (e) => e.code === 'PURPOSE_MISMATCH',
  );
  const opened = medseal.openRecord(nodeClinician, patientCard, sealed, TREAT);
  // share seals the resource's canonical (RFC 8785) form, named by its id.
  assert.equal(text(opened.body), SHARED);
  assert.deepEqual(JSON.parse(text(opened.body)), JSON.parse(SAMPLE));
  assert.equal(opened.contentType, 'application/fhir+json');
  assert.equal(opened.resourceType, 'Observation');
  assert.equal(opened.recordId, 'synthetic-glucose-1');

  // The binary encoding of the same record opens too.
  const bin = medseal.recordFromJson(sealed);
  assert.equal(text(medseal.openRecord(nodeClinician, patientCard, bin, TREAT).body), SHARED);

  // One script, the app's bundle, with the package and its module inside.
  assert.deepEqual(rec.scripts, ['/portal.js'], JSON.stringify(rec.requests));
  assert.deepEqual(
    rec.requests.filter((r) => r.endsWith('.wasm')),
    [],
    'no .wasm fetched',
  );

  await assertClean(rec);
  await page.close();
});

test(
  '(b) a page makes an identity; Node seals to it; the page opens (JSON and binary)',
  T,
  async () => {
    const rec = await openHarness();
    const { page } = rec;
    const patientCard = await page.evaluate(() =>
      window.harness.createIdentity('Pat Reverse (synthetic)'),
    );
    assert.equal(medseal.parseCard(patientCard).role, 'patient');
    const payload = {
      body: SAMPLE,
      contentType: 'application/fhir+json',
      resourceType: 'Observation',
    };

    const sealedJson = medseal.sealRecord(nodeClinician, [patientCard], payload, {
      encoding: 'json',
    });
    const got = await page.evaluate(
      ([c, s]) => window.harness.openFrom(c, s),
      [nodeClinician.card, sealedJson],
    );
    assert.equal(got, SAMPLE);

    const sealedBin = medseal.sealRecord(nodeClinician, [patientCard], payload);
    assert.ok(sealedBin instanceof Uint8Array);
    const got2 = await page.evaluate(
      ([c, bytes]) => window.harness.openFrom(c, new Uint8Array(bytes)),
      [nodeClinician.card, Array.from(sealedBin)],
    );
    assert.equal(got2, SAMPLE);

    // A tampered record is refused with a MedsealError code, and the module stays usable.
    const tampered = Array.from(sealedBin);
    tampered[tampered.length - 80] ^= 1;
    const err = await page.evaluate(
      ([c, bytes]) => window.harness.openError(c, new Uint8Array(bytes)),
      [nodeClinician.card, tampered],
    );
    assert.ok(err, 'tampered record must not open');
    assert.equal(err.isMedseal, true, JSON.stringify(err));
    assert.equal(err.name, 'MedsealError');
    assert.match(err.code, /^[A-Z_]+$/);
    const again = await page.evaluate(
      ([c, s]) => window.harness.openFrom(c, s),
      [nodeClinician.card, sealedJson],
    );
    assert.equal(again, SAMPLE);

    await assertClean(rec);
    await page.close();
  },
);

test(
  '(f) consent-gated sharing in a page: share, withdraw one grantee, reseal, erase; Node opens what it may',
  T,
  async () => {
    const rec = await openHarness();
    const { page } = rec;
    const patientCard = await page.evaluate(() =>
      window.harness.createIdentity('Pat Share (synthetic)'),
    );
    const a = medseal.Identity.generate({ name: 'Dr A (synthetic)', role: 'clinician' });
    const b = medseal.Identity.generate({ name: 'Dr B (synthetic)', role: 'clinician' });
    const prcp = {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
      code: 'PRCP',
    };
    const actor = (ref) => ({ role: { coding: [prcp] }, reference: { reference: ref } });
    const consent = JSON.stringify({
      resourceType: 'Consent',
      id: 'share-e2e',
      status: 'active',
      scope: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
        ],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: 'Patient/p1' },
      dateTime: '2026-01-01',
      provision: {
        type: 'permit',
        actor: [actor('Practitioner/a'), actor('Practitioner/b')],
        purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }],
      },
    });
    const bundle = JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: JSON.parse(SAMPLE) },
        {
          resource: {
            resourceType: 'Condition',
            id: 'psy-1',
            meta: {
              security: [
                { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' },
              ],
            },
            subject: { reference: 'Patient/p1' },
          },
        },
      ],
    });
    const out = await page.evaluate(
      ([ca, cb, bu, co]) => window.harness.shareFlow(ca, cb, bu, co),
      [a.card, b.card, bundle, consent],
    );
    const treat = TREAT;
    // The PSY condition: a general treatment consent does not open it.
    assert.deepEqual(out.withheld, [1]);
    assert.equal(out.records.length, 1);
    // Before the withdrawal both doctors open; after it, B cannot open the new version.
    assert.equal(
      medseal.openRecord(a, patientCard, out.records[0], treat).resourceType,
      'Observation',
    );
    assert.equal(
      medseal.openRecord(b, patientCard, out.records[0], treat).resourceType,
      'Observation',
    );
    assert.equal(
      medseal.openRecord(a, patientCard, out.resealed[0], treat).resourceType,
      'Observation',
    );
    assert.throws(
      () => medseal.openRecord(b, patientCard, out.resealed[0], treat),
      (e) => e.code === 'NO_MATCHING_RECIPIENT',
    );
    // The erasure receipt verifies with the patient's card alone and names whom to ask.
    medseal.verifyErasureReceipt(out.erasure, patientCard);
    assert.deepEqual(out.notify.map((n) => n.recipient).sort(), [a.keyId, b.keyId].sort());
    assert.equal(out.afterErasure, 'KEY_ERASED');
    a.dispose();
    b.dispose();
    await assertClean(rec);
    await page.close();
  },
);

test(
  'without DecompressionStream the portal fetches medseal_core.wasm beside its bundle, and works',
  T,
  async () => {
    const rec = await openPortal(() => {
      delete globalThis.DecompressionStream;
    });
    const { page } = rec;
    assert.equal(await page.evaluate(() => typeof DecompressionStream), 'undefined');
    const { patientCard, sealed } = await sealInPortal(page, nodeClinician.card, SAMPLE);
    assert.equal(text(medseal.openRecord(nodeClinician, patientCard, sealed, TREAT).body), SHARED);
    assert.deepEqual(
      rec.requests.filter((r) => r.endsWith('.wasm')),
      ['/medseal_core.wasm'],
      JSON.stringify(rec.requests),
    );
    assert.deepEqual(rec.scripts, ['/portal.js'], JSON.stringify(rec.requests));
    await assertClean(rec);
    await page.close();
  },
);

test(
  "(c) the portal's module Web Worker seals with its own identity; Node opens it",
  T,
  async () => {
    const rec = await openHarness();
    const { page } = rec;
    const out = await page.evaluate(
      ([c, t]) => window.harness.workerSeal(c, t),
      [nodeClinician.card, SAMPLE],
    );
    assert.equal(page.workers().length, 1, 'one worker running');
    assert.equal(
      new URL(page.workers()[0].url()).pathname,
      '/worker.js',
      "the app's worker, not a test copy",
    );

    const workerCard = medseal.parseCard(out.card);
    assert.equal(workerCard.role, 'device');
    const opened = medseal.openRecord(nodeClinician, out.card, out.sealed);
    assert.equal(text(opened.body), SAMPLE);
    assert.equal(opened.resourceType, 'Observation');

    // Second request: same worker identity.
    const out2 = await page.evaluate(
      ([c]) => window.harness.workerSeal(c, 'plain note'),
      [nodeClinician.card],
    );
    assert.equal(out2.card, out.card);
    const opened2 = medseal.openRecord(nodeClinician, out2.card, out2.sealed);
    assert.equal(text(opened2.body), 'plain note');
    assert.match(opened2.contentType, /^text\/plain/);

    // A bad card comes back as the package's error code.
    await assert.rejects(
      page.evaluate(
        ([c]) =>
          window.harness
            .workerSeal(c, 'x')
            .catch((e) => Promise.reject(new Error(`code ${e.code}`))),
        ['{"v":1}'],
      ),
      /code [A-Z_]+/,
    );

    await assertClean(rec);
    await page.close();
  },
);

test(
  'the portal UI: identity, demo clinician, sample, seal, open as clinician (screenshot)',
  T,
  async () => {
    const rec = await openPortal();
    const { page } = rec;

    // A bad clinician card shows the MedsealError code.
    await page.fill('#clinician-card', '{"v":1,"name":"not a card"}');
    await page.locator('#clinician-error').waitFor({ state: 'visible' });
    assert.match(await page.locator('#clinician-error .code').textContent(), /^[A-Z_]+$/);

    await page.fill('#patient-name', 'Alex Example (synthetic)');
    await page.click('#create-identity');
    await page.locator('#patient-out').waitFor({ state: 'visible' });
    const patientCard = await page.inputValue('#patient-card');
    const patientKeyId = medseal.parseCard(patientCard).keyId;
    assert.equal(await page.textContent('#patient-keyid'), patientKeyId);

    await page.click('#demo-clinician');
    await page.locator('#clinician-info').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#clinician-error').isHidden(), true);
    const clinicianCard = await page.inputValue('#clinician-card');
    const clinicianKeyId = medseal.parseCard(clinicianCard).keyId;
    await signConsentInPortal(page);

    await page.selectOption('#sample', 'samples/observation-hba1c.json');
    await page.waitForFunction(() => document.getElementById('resource').value.includes('4548-4'));
    const resource = await page.inputValue('#resource');

    await page.click('#seal');
    await page.locator('#sealed-section').waitFor({ state: 'visible' });
    assert.equal(await page.textContent('#hdr-sender'), patientKeyId);
    assert.equal(
      (await page.locator('#hdr-recipients li code').allTextContents()).join(),
      clinicianKeyId,
    );
    // The demo's identities are post-quantum: the clinician's copy of the key
    // is an X-Wing stanza, and Node's inspectRecord agrees with the page.
    assert.ok(medseal.parseCard(clinicianCard).postQuantum);
    assert.match(await page.textContent('#hdr-recipients li'), /clinician · post-quantum/);
    assert.match(await page.textContent('#hdr-pq'), /^yes: /);
    assert.match(await page.textContent('#sealed-size'), /as JSON .* binary .* plaintext/);
    const sealed = await page.inputValue('#sealed');
    medseal.verifyRecord(patientCard, sealed); // Node agrees the patient sealed it
    const pqHeader = medseal.inspectRecord(medseal.recordFromJson(sealed));
    assert.equal(pqHeader.postQuantum, true);
    assert.deepEqual(
      pqHeader.recipients.map((r) => [r.type, r.postQuantum]),
      [[medseal.StanzaType.XWING, true]],
    );

    await page.click('#open');
    await page.locator('#opened-out').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#opened-summary'), /Identical to the original/);
    // The same resource; share seals its canonical form, so members may be reordered.
    assert.deepEqual(JSON.parse(await page.inputValue('#opened')), JSON.parse(resource));

    // The other samples load and seal too.
    for (const s of ['samples/condition-t2dm.json', 'samples/medicationstatement-metformin.json']) {
      await page.selectOption('#sample', s);
      await page.waitForFunction(
        (name) => document.getElementById('resource').value.includes(name),
        s.includes('condition') ? '"Condition"' : '"MedicationStatement"',
      );
      await page.click('#seal');
      await page.waitForFunction(() => document.getElementById('opened-out').hidden);
      await page.click('#open');
      await page.locator('#opened-out').waitFor({ state: 'visible' });
      assert.match(await page.textContent('#opened-summary'), /Identical to the original/);
    }

    // Back to the HbA1c for the picture.
    await page.selectOption('#sample', 'samples/observation-hba1c.json');
    await page.waitForFunction(() => document.getElementById('resource').value.includes('4548-4'));
    await page.click('#seal');
    await page.click('#open');
    await page.locator('#opened-out').waitFor({ state: 'visible' });
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });

    await assertClean(rec);
    await page.close();
  },
);

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

// The panel's text, once it has settled on something matching `re`.
async function panelMatches(page, re) {
  await page.waitForFunction(
    (src) => new RegExp(src).test(document.getElementById('access-panel').textContent),
    re.source,
  );
  return page.textContent('#access-panel');
}

test(
  '(g) consent in the portal: sign, who-can-see-what, consent-gated share, open for TREAT, sensitive category, withdraw',
  T,
  async () => {
    const rec = await openPortal();
    const { page } = rec;
    await page.fill('#patient-name', 'Pat Consent (synthetic)');
    await page.click('#create-identity');
    await page.locator('#patient-out').waitFor({ state: 'visible' });
    const patientCard = await page.inputValue('#patient-card');
    await page.click('#demo-clinician');
    await page.locator('#clinician-info').waitFor({ state: 'visible' });
    const clinicianKeyId = medseal.parseCard(await page.inputValue('#clinician-card')).keyId;
    await page.waitForFunction(() => document.getElementById('resource').value.includes('4548-4'));

    // No consent yet: nobody may open the HbA1c, and sharing withholds it.
    assert.match(await panelMatches(page, /Nobody may open it/), /rule D1/);
    await page.click('#seal');
    await page.locator('#withheld').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#withheld'), /^Withheld: .*rule D1/);
    assert.equal(await page.locator('#sealed-section').isHidden(), true);

    // Sign a treatment consent until 2027-06-30.
    await page.fill('#consent-end', '2027-06-30');
    const receipt = await signConsentInPortal(page);
    medseal.verifyReceipt(receipt, patientCard); // Node agrees: the patient's card signed it
    const parsed = medseal.parseReceipt(receipt);
    assert.equal(parsed.fhirVersion, '4.0.1');
    assert.equal(await page.textContent('#consent-hash'), b64url(parsed.hash));
    assert.equal(await page.textContent('#consent-status'), 'active');
    const c = parsed.consent;
    assert.equal(c.resourceType, 'Consent');
    assert.deepEqual(c.provision.actor[0].reference.identifier, {
      system: 'urn:medseal:key-id',
      value: clinicianKeyId,
    });
    assert.deepEqual(c.provision.purpose, [TREAT.purpose]);
    assert.match(c.provision.period.end, /^2027-06-30/);
    assert.equal(c.provision.provision, undefined, 'no sensitive category opened');

    // The panel lists the clinician for TREAT, until the end date, because of this consent.
    const panel = await panelMatches(page, /can open it/);
    assert.match(panel, /for TREAT, until 2027-06-30T23:59:59\.999Z, because of rule D4/);
    assert.match(panel, new RegExp(`consent ${c.id}, provision\\)`));
    assert.deepEqual(
      await page.locator('#access-list li').evaluateAll((l) => l.map((x) => x.dataset.purpose)),
      ['TREAT'],
    );

    // Share seals to the clinician, binding the purpose and the consent's hash.
    await page.click('#seal');
    await page.locator('#sealed-section').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#withheld').isHidden(), true);
    const sealed = await page.inputValue('#sealed');
    const hdr = medseal.inspectRecord(sealed);
    assert.equal(hdr.version, 2);
    assert.deepEqual(hdr.purposes, [TREAT.purpose]);
    assert.deepEqual(hdr.consentHashes.map(b64url), [b64url(parsed.hash)]);
    assert.deepEqual(hdr.recipientKeyIds, [clinicianKeyId]);
    assert.equal(await page.textContent('#hdr-version'), '2');
    assert.equal((await page.locator('#hdr-purposes li code').allTextContents()).join(), 'TREAT');
    assert.equal(
      (await page.locator('#hdr-consents li code').allTextContents()).join(),
      b64url(parsed.hash),
    );
    medseal.verifyRecord(patientCard, sealed);

    // The clinician opens it, stating the purpose.
    await page.click('#open');
    await page.locator('#opened-out').waitFor({ state: 'visible' });
    assert.match(
      await page.textContent('#opened-summary'),
      /opened for treatment \(TREAT\).*Identical to the original/,
    );

    // A mental-health Condition: labeled BH because of its SNOMED code, withheld by a general consent.
    await page.selectOption('#sample', 'samples/condition-depression.json');
    await page.waitForFunction(() =>
      document.getElementById('resource').value.includes('310496002'),
    );
    let panelText = await panelMatches(page, /Nobody may open it/);
    assert.match(
      panelText,
      /BH because code\.coding\[0\] has http:\/\/snomed\.info\/sct 310496002/,
    );
    assert.match(panelText, /Confidentiality R/);
    assert.match(panelText, /rule D5: .*does not open a sensitive category/);
    await page.click('#seal');
    await page.locator('#withheld').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#withheld'), /Withheld: this Condition .*rule D5/);
    assert.equal(await page.locator('#sealed-section').isHidden(), true);

    // Opening mental health in a new consent lets it through, to the clinician only.
    await page.check('#open-mh');
    const receipt2 = await signConsentInPortal(page);
    const parsed2 = medseal.parseReceipt(receipt2);
    assert.ok(
      parsed2.consent.provision.provision.some((p) => p.securityLabel.some((l) => l.code === 'BH')),
    );
    panelText = await panelMatches(page, /can open it/);
    assert.match(panelText, /for TREAT, .*rule D4.*provision\.provision\[\d+\]/);
    await page.click('#seal');
    await page.locator('#sealed-section').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#withheld').isHidden(), true);
    const sealed2 = await page.inputValue('#sealed');
    assert.deepEqual(medseal.inspectRecord(sealed2).consentHashes.map(b64url), [
      b64url(parsed2.hash),
    ]);
    assert.ok(!sealed2.includes('310496002'), 'no plaintext in the sealed JSON');
    await page.click('#open');
    await page.locator('#opened-out').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#opened-summary'), /Identical to the original/);

    // Withdraw: a new signed version, inactive; nobody may open; a new share is withheld.
    assert.match(await page.textContent('#withdraw-note'), /cannot be recalled/);
    await page.click('#withdraw-consent');
    await page.waitForFunction(
      () => document.getElementById('consent-status').textContent === 'inactive',
    );
    const withdrawn = await page.inputValue('#consent-receipt');
    medseal.verifyReceipt(withdrawn, patientCard);
    assert.equal(medseal.parseReceipt(withdrawn).consent.status, 'inactive');
    assert.equal(await page.textContent('#consent-version'), '2');
    assert.equal(await page.locator('#withdraw-consent').isDisabled(), true);
    assert.match(await panelMatches(page, /Nobody may open it/), /rule D1/);
    await page.click('#seal');
    await page.locator('#withheld').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#withheld'), /rule D1/);
    assert.equal(await page.locator('#sealed-section').isHidden(), true);

    // No secret in storage or in the URL; only the page's own files were
    // fetched, and the log's public endpoints (the card and the signed
    // events published, checkpoints, proofs and entry bundles: tests (i), (k)).
    const where = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      href: location.href,
    }));
    assert.deepEqual(where, { local: 0, session: 0, href: new URL('/', srv.url).href });
    assert.deepEqual(
      rec.requests.filter(
        (r) =>
          !['/', '/portal.js', '/portal.css', '/favicon.svg', '/log/checkpoint'].includes(r) &&
          !r.startsWith('/samples/') &&
          !r.startsWith('/relay/log/') &&
          !r.startsWith('/log/tile/entries/'),
      ),
      [],
    );
    await assertClean(rec);
    await page.close();
  },
);

test(
  '(e) negative control: eval is blocked and seen as a violation by every check',
  T,
  async () => {
    const rec = await openPage(`${CONTROL}index.html`);
    const { page } = rec;
    await page.waitForFunction(() => document.getElementById('out').textContent !== 'pending');
    await page.waitForFunction(
      () => document.getElementById('worker-out').textContent !== 'pending',
    );
    assert.equal(await page.textContent('#out'), 'EvalError');
    assert.equal(await page.textContent('#worker-out'), 'EvalError');

    // The DOM event…
    const deadline = Date.now() + 10_000;
    let reports = [];
    while (Date.now() < deadline) {
      reports = demo.cspReports.filter(isControl);
      if (reports.length >= 3 && rec.violations.length >= 2 && rec.pageErrors.length >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(
      rec.violations.some((v) => v.effectiveDirective === 'script-src' && v.blockedURI === 'eval'),
      `page violation event: ${JSON.stringify(rec.violations)}`,
    );
    // …an uncaught EvalError as a page error…
    assert.ok(
      rec.pageErrors.some((t) => /EvalError/.test(t)),
      `page error: ${JSON.stringify(rec.pageErrors)}`,
    );
    // …and the server's report endpoint, for the page and for its worker.
    const docs = reports.map((r) => r.report['csp-report']);
    assert.ok(
      docs.some(
        (d) => d['blocked-uri'] === 'eval' && d['document-uri'].endsWith(`${CONTROL}index.html`),
      ),
      `page report: ${JSON.stringify(docs)}`,
    );
    assert.ok(
      docs.some(
        (d) =>
          d['blocked-uri'] === 'eval' && d['document-uri'].endsWith(`${CONTROL}eval-worker.js`),
      ),
      `worker report: ${JSON.stringify(docs)}`,
    );
    // So assertClean would have failed on this page:
    await assert.rejects(assertClean(rec));
    await page.close();
  },
);

test(
  '(h) attachment: the patient attaches a file, encrypted on the device; the relay holds only ciphertext; the clinician downloads, verifies the sender and decrypts',
  T,
  async () => {
    const rec = await openPortal();
    const { page } = rec;
    await page.fill('#patient-name', 'Pat Attach (synthetic)');
    await page.click('#create-identity');
    await page.locator('#patient-out').waitFor({ state: 'visible' });
    const patientCard = await page.inputValue('#patient-card');
    await page.fill('#clinician-card', nodeClinician.card);
    await page.locator('#clinician-info').waitFor({ state: 'visible' });
    // A synthetic "PDF": random bytes (so that no run of them can occur in a
    // ciphertext by chance) around a marker, 3 age chunks and a bit.
    const MARK = 'SYNTHETIC-RASH-PHOTO-PLAINTEXT';
    const NAME = 'rash-photo-synthetic.pdf';
    const plaintext = Buffer.concat([
      Buffer.from(`%PDF-1.4\n% ${MARK}\n`),
      randomBytes(3 * 65536 + 777),
    ]);
    const input = { name: NAME, mimeType: 'application/pdf', buffer: plaintext };
    const stored = () => [...demo.attachments.keys()];
    const before = stored();

    // No consent yet: nothing is encrypted, nothing reaches the relay.
    await page.setInputFiles('#attach-file', input);
    await page.click('#attach');
    await page.locator('#attach-error').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#attach-error'), /^Not sent: .*consent.*rule D1/);
    assert.deepEqual(stored(), before);

    // With a treatment consent: encrypted to the card, uploaded as two ciphertexts.
    const receipt = await signConsentInPortal(page);
    await page.click('#attach');
    await page.locator('#attach-out').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#attach-error').isHidden(), true);
    const id = await page.textContent('#attach-id');
    assert.deepEqual(stored(), [...before, id]);
    const { file, signature } = demo.attachments.get(id);
    assert.ok(file.length > plaintext.length, 'the age file');
    assert.equal(file.subarray(0, 22).toString('latin1'), 'age-encryption.org/v1\n');
    for (const blob of [file, signature]) {
      assert.equal(blob.indexOf(MARK), -1, 'no plaintext marker on the server');
      assert.equal(blob.indexOf(NAME), -1, 'no file name on the server');
      for (const at of [100, 65536, 2 * 65536 + 5, plaintext.length - 40]) {
        assert.equal(
          blob.indexOf(plaintext.subarray(at, at + 32)),
          -1,
          `no plaintext run at ${at}`,
        );
      }
    }
    assert.equal(
      await page.textContent('#attach-recipient'),
      medseal.ageRecipientForCard(nodeClinician.card),
    );
    // What the relay holds is what Node, as the clinician, needs: the sealed
    // signature (purpose and consent bound) and the plain age file.
    const sealedSig = signature.toString('utf8');
    const hdr = medseal.inspectRecord(sealedSig);
    assert.deepEqual(hdr.recipientKeyIds, [nodeClinician.keyId]);
    assert.deepEqual(hdr.purposes, [TREAT.purpose]);
    assert.deepEqual(hdr.consentHashes, [medseal.parseReceipt(receipt).hash]);
    const sig = medseal.openAttachmentSignature(nodeClinician, patientCard, sealedSig, TREAT);
    const info = medseal.parseAttachmentSignature(sig);
    assert.equal(info.name, NAME);
    assert.equal(info.mediaType, 'application/pdf');
    assert.equal(info.size, plaintext.length);
    assert.equal(info.senderKeyId, medseal.parseCard(patientCard).keyId);
    const opened = medseal.decryptAttachment(nodeClinician, patientCard, new Uint8Array(file), sig);
    assert.deepEqual(Buffer.from(opened), plaintext);
    // The page holds no key of the Node clinician.
    assert.equal(await page.locator('#attach-open').isDisabled(), true);
    assert.match(await page.textContent('#attach-open-hint'), /Only the clinician holds the key/);

    // The clinician's view in the page (demo clinician): download, verify, decrypt.
    await page.click('#demo-clinician');
    await page.locator('#clinician-info').waitFor({ state: 'visible' });
    await signConsentInPortal(page);
    await page.click('#attach');
    await page.waitForFunction(
      (prev) => document.getElementById('attach-id').textContent !== prev,
      id,
    );
    await page.locator('#attach-open').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#attach-open').isDisabled(), false);
    await page.click('#attach-open');
    await page.locator('#attach-opened').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#attach-open-error').isHidden(), true);
    const summary = await page.textContent('#attach-opened');
    assert.match(summary, /^✓ Signed by /);
    assert.ok(summary.includes(medseal.parseCard(patientCard).keyId), summary);
    assert.ok(summary.includes(NAME), summary);
    const digest = createHash('sha256').update(plaintext).digest('hex');
    assert.ok(summary.endsWith(`SHA-256 ${digest}`), summary);
    assert.equal(await page.getAttribute('#attach-download', 'download'), NAME);
    assert.match(await page.getAttribute('#attach-download', 'href'), /^blob:/);
    // Two uploads (file, signature) per attachment, each a PUT to the drop box.
    assert.equal(rec.requests.filter((r) => r.startsWith('/relay/attachments/')).length, 6);
    // In the log: each upload a signed share by the patient, the open a
    // signed open by the demo clinician, all about the age file by its
    // SHA-256 (ciphertext), never its name.
    await page.waitForFunction(() =>
      document.getElementById('log-own').textContent.includes('open: a file, by'),
    );
    const second = demo.attachments.get(await page.textContent('#attach-id')).file;
    const fileSubject = (f) => ({
      kind: 'attachment',
      id: createHash('sha256').update(f).digest('base64url'),
    });
    const log = await readLog();
    const ofFile = (author) =>
      log.events
        .filter((e) => e.author === author)
        .map((e) => [e.type, JSON.parse(e.encoded).subjects])
        .filter(([, subjects]) => subjects[0].kind === 'attachment');
    assert.deepEqual(ofFile(medseal.parseCard(patientCard).keyId), [
      ['share', [fileSubject(file)]],
      ['share', [fileSubject(second)]],
    ]);
    assert.deepEqual(ofFile(medseal.parseCard(await page.inputValue('#clinician-card')).keyId), [
      ['open', [fileSubject(second)]],
    ]);
    for (const e of log.events) assert.ok(!e.encoded.includes(NAME));
    await assertClean(rec);
    await page.close();
  },
);

test(
  '(i) the audit log: cards published, checkpoints verified, consistency and own inclusion checked; a forged or truncated view is refused with its code',
  T,
  async () => {
    const rec = await openPortal();
    const { page } = rec;
    await page.fill('#patient-name', 'Pat Log (synthetic)');
    await page.click('#create-identity');
    await page.waitForFunction(() => document.getElementById('log-own').children.length === 1);
    assert.match(
      await page.textContent('#log-result'),
      /^✓ Log checked: \d+ entries, your 1 entry is in it\.$/,
    );
    assert.equal(await page.textContent('#log-key'), 'medseal.example/log/v1');
    assert.match(await page.textContent('#log-own'), /✓ included: your card/);
    await page.click('#demo-clinician');
    await page.waitForFunction(() => document.getElementById('log-own').children.length === 2);
    assert.match(
      await page.textContent('#log-consistency'),
      /^✓ consistent with the checkpoint of size \d+ seen before$/,
    );

    // What the relay holds, checked from Node with the same package: the
    // patient's card is an entry, under a checkpoint signed by the log key.
    const vkey = (await (await fetch(new URL('/relay/log/key', srv.url))).text()).trim();
    const policy = medseal.LogPolicy.create({ logKey: vkey });
    try {
      const cp = policy.verifyCheckpoint(
        await (await fetch(new URL('/log/checkpoint', srv.url))).text(),
      );
      const card = await page.inputValue('#patient-card');
      assert.match(
        await page.textContent('#log-checkpoint'),
        new RegExp(`^size ${cp.size}, root `),
      );
      const index = Number((await page.textContent('#log-own li:first-child code')).slice(1));
      const proof = new Uint8Array(
        await (
          await fetch(new URL(`/relay/log/proof/inclusion?index=${index}&size=${cp.size}`, srv.url))
        ).arrayBuffer(),
      );
      medseal.verifyInclusion(
        index,
        cp.size,
        medseal.logLeafHash(medseal.logCardEntry(card)),
        proof,
        cp.root,
      );

      // A checkpoint the operator did not sign: SIGNATURE_INVALID.
      const forged = cp.note.replace(`\n${cp.size}\n`, `\n${cp.size + 1}\n`);
      await page.route('**/log/checkpoint', (route) =>
        route.fulfill({ status: 200, contentType: 'text/plain', body: forged }),
      );
      await page.click('#log-check');
      await page.locator('#log-error').waitFor({ state: 'visible' });
      assert.match(await page.textContent('#log-error'), /^SIGNATURE_INVALID /);
      assert.equal(await page.textContent('#log-result'), '✗ The log check failed.');
      // An older, genuinely signed checkpoint after a newer one: the log
      // shrank, which no consistency proof can explain.
      await page.unroute('**/log/checkpoint');
      const older = await (await fetch(new URL('/log/checkpoint', srv.url))).text();
      await page.click('#log-check'); // accepts the current one again
      await page.waitForFunction(() =>
        document.getElementById('log-result').textContent.startsWith('✓'),
      );
      const c = await fetch(new URL('/relay/log/entries', srv.url), {
        method: 'POST',
        body: medseal.logCardEntry(nodeClinician.card),
      });
      assert.equal(c.status, 201);
      await page.click('#log-check');
      await page.waitForFunction(
        (o) => !document.getElementById('log-checkpoint').textContent.startsWith(`size ${o}`),
        policy.verifyCheckpoint(older).size,
      );
      await page.route('**/log/checkpoint', (route) =>
        route.fulfill({ status: 200, contentType: 'text/plain', body: older }),
      );
      await page.click('#log-check');
      await page.locator('#log-error').waitFor({ state: 'visible' });
      assert.match(await page.textContent('#log-error'), /^LOG_TRUNCATED /);
      await page.unroute('**/log/checkpoint');
    } finally {
      policy.dispose();
    }
    await assertClean(rec);
    await page.close();
  },
);

test(
  "(j) safety numbers: both screens show the same number; the clinician's code matches, another card's is SAFETY_NUMBER_MISMATCH",
  T,
  async () => {
    const rec = await openPortal();
    const { page } = rec;
    assert.equal(await page.locator('#safety-out').isHidden(), true);
    await page.fill('#patient-name', 'Pat Safety (synthetic)');
    await page.click('#create-identity');
    await page.locator('#patient-out').waitFor({ state: 'visible' });
    await page.click('#demo-clinician');
    await page.locator('#safety-out').waitFor({ state: 'visible' });
    const patientCard = await page.inputValue('#patient-card');
    const clinicianCard = await page.inputValue('#clinician-card');
    const mine = await page.textContent('#safety-patient');
    assert.match(mine, /^(\d{5} ){11}\d{5}$/);
    assert.equal(await page.textContent('#safety-clinician'), mine);
    // The same number from Node, from the public cards alone.
    assert.equal(medseal.safetyNumber(clinicianCard, patientCard).formatted, mine);
    const code = await page.textContent('#safety-clinician-qr');
    assert.deepEqual(
      new Uint8Array(Buffer.from(code, 'base64url')),
      medseal.safetyQrPayload(clinicianCard, patientCard),
    );
    // The QR images: the canvas's modules (sampled at each module's centre,
    // 4 pixels a module, a quiet zone of 4) are those of the payload.
    for (const [id, payload] of [
      ['#safety-clinician-qr-img', code],
      ['#safety-patient-qr-img', await page.textContent('#safety-patient-qr')],
    ]) {
      const qr = QRCode.create([{ data: Buffer.from(payload, 'base64url'), mode: 'byte' }], {
        errorCorrectionLevel: 'M',
      });
      const n = qr.modules.size;
      const expected = Array.from(qr.modules.data, (d) => (d ? '1' : '0')).join('');
      const drawn = await page.$eval(
        id,
        (canvas, n) => {
          if (canvas.width !== (n + 8) * 4) return `width ${canvas.width}`;
          const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let bits = '';
          for (let r = 0; r < n; r++)
            for (let c = 0; c < n; c++)
              bits +=
                px[(((r + 4) * 4 + 2) * canvas.width + (c + 4) * 4 + 2) * 4] < 128 ? '1' : '0';
          return bits;
        },
        n,
      );
      assert.equal(drawn, expected, id);
    }
    // The patient's own code is what the clinician's device checks.
    medseal.verifySafetyQr(
      new Uint8Array(Buffer.from(await page.textContent('#safety-patient-qr'), 'base64url')),
      clinicianCard,
      patientCard,
    );

    const verify = async (pasted) => {
      await page.fill('#safety-scan', pasted);
      await page.click('#safety-verify');
      await page.waitForFunction(() => document.getElementById('safety-result').textContent !== '');
      return page.textContent('#safety-result');
    };
    assert.match(await verify(code), /^✓ Match: /);
    assert.equal(await page.locator('#safety-error').isHidden(), true);
    // A code from a device that holds another card for the clinician's side
    // (here: a clinician made in Node): the cards differ.
    const other = Buffer.from(medseal.safetyQrPayload(nodeClinician.card, patientCard));
    assert.match(await verify(other.toString('base64url')), /^✗ No match/);
    assert.match(await page.textContent('#safety-error'), /^SAFETY_NUMBER_MISMATCH /);
    // The patient's own code pasted back, a cut code, and text that is no code.
    assert.match(await verify(await page.textContent('#safety-patient-qr')), /^✗ No match/);
    assert.match(await page.textContent('#safety-error'), /^SAFETY_NUMBER_MISMATCH /);
    await verify(Buffer.from(code, 'base64url').subarray(0, 50).toString('base64url'));
    assert.match(await page.textContent('#safety-error'), /^TRUNCATED /);
    await verify('not a code!');
    assert.equal(
      await page.textContent('#safety-error'),
      'This is not a safety-number code (base64url text).',
    );
    assert.match(await verify(code), /^✓ Match: /);
    await assertClean(rec);
    await page.close();
  },
);

// The log as Node reads it: the checkpoint verified under the relay's key,
// the entries of its entry bundles (one bundle: the test log stays below
// 256 entries), and the whole history verified.
async function readLog() {
  const vkey = (await (await fetch(new URL('/relay/log/key', srv.url))).text()).trim();
  const policy = medseal.LogPolicy.create({ logKey: vkey });
  try {
    const note = await (await fetch(new URL('/log/checkpoint', srv.url))).text();
    const cp = policy.verifyCheckpoint(note);
    assert.ok(cp.size < 256, `log size ${cp.size}`);
    const res = await fetch(new URL(`/log/tile/entries/000.p/${cp.size}`, srv.url));
    const bundle = new Uint8Array(await res.arrayBuffer());
    const summary = policy.verifyHistory(note, bundle, cp.size);
    const entries = [];
    for (let at = 0; at < bundle.length;) {
      const n = (bundle[at] << 8) | bundle[at + 1];
      entries.push(bundle.subarray(at + 2, at + 2 + n));
      at += 2 + n;
    }
    assert.equal(entries.length, cp.size);
    const events = entries
      .filter((e) => e[0] === 0x01)
      .map((e) => medseal.parseLogEvent(e.subarray(1)));
    return { size: cp.size, summary, events };
  } finally {
    policy.dispose();
  }
}

test(
  '(k) the portal logs signed grant, share, open and withdraw events that verify; a break-glass event about the patient is flagged',
  T,
  async () => {
    const rec = await openPortal();
    const { page } = rec;
    const own = (n) =>
      page.waitForFunction((k) => document.getElementById('log-own').children.length === k, n);
    await page.fill('#patient-name', 'Pat Events (synthetic)');
    await page.click('#create-identity');
    await own(1);
    await page.click('#demo-clinician');
    await own(2);
    const patientCard = await page.inputValue('#patient-card');
    const clinicianCard = await page.inputValue('#clinician-card');
    const patientId = medseal.parseCard(patientCard).keyId;
    const clinicianId = medseal.parseCard(clinicianCard).keyId;

    const receipt = await signConsentInPortal(page);
    await own(3);
    await page.waitForFunction(() => document.getElementById('resource').value.includes('4548-4'));
    await page.fill('#resource', SAMPLE);
    await page.click('#seal');
    await page.locator('#sealed-section').waitFor({ state: 'visible' });
    await own(4);
    const sealed = await page.inputValue('#sealed');
    await page.click('#open');
    await page.locator('#opened-out').waitFor({ state: 'visible' });
    await own(5);
    await page.click('#withdraw-consent');
    await page.waitForFunction(
      () => document.getElementById('consent-status').textContent === 'inactive',
    );
    await own(6);
    const withdrawal = await page.inputValue('#consent-receipt');
    assert.equal(await page.locator('#log-error').isHidden(), true);
    assert.match(
      await page.textContent('#log-result'),
      /^✓ Log checked: \d+ entries, your 6 entries are in it\.$/,
    );
    const ownText = await page.textContent('#log-own');
    for (const what of [
      'grant: your consent',
      'share: a Observation',
      'open: by Dr. Demo',
      'withdraw: your consent',
    ])
      assert.ok(ownText.includes(`✓ included: ${what}`), ownText);
    assert.match(await page.textContent('#log-history'), /^✓ verified: \d+ entries/);
    assert.equal(await page.textContent('#log-breakglass-none'), 'none seen');

    // From Node: the whole log verifies (every signature, every chain), and
    // the page's events are there, by the right authors, in chain order,
    // about the right consents and record (by hash).
    const log = await readLog();
    const mine = log.events.filter((e) => e.author === patientId);
    assert.deepEqual(
      mine.map((e) => [e.type, e.seq]),
      [
        ['grant', 0],
        ['share', 1],
        ['withdraw', 2],
      ],
    );
    const theirs = log.events.filter((e) => e.author === clinicianId);
    assert.deepEqual(
      theirs.map((e) => [e.type, e.seq]),
      [['open', 0]],
    );
    for (const e of mine) medseal.verifyLogEvent(e.encoded, patientCard);
    medseal.verifyLogEvent(theirs[0].encoded, clinicianCard);
    const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
    const body = (e) => JSON.parse(e.encoded);
    assert.deepEqual(body(mine[0]).subjects, [
      { kind: 'consent', id: b64(medseal.consentSubject(receipt).id) },
    ]);
    assert.deepEqual(body(mine[0]).recipients, [clinicianId]);
    const record = { kind: 'record', id: b64(medseal.recordSubject(sealed).id) };
    assert.deepEqual(body(mine[1]).subjects, [record]);
    assert.deepEqual(body(theirs[0]).subjects, [record]);
    assert.equal(body(theirs[0]).patient, patientId);
    assert.deepEqual(
      body(mine[2])
        .subjects.map((x) => x.id)
        .sort(),
      [medseal.consentSubject(receipt).id, medseal.consentSubject(withdrawal).id].map(b64).sort(),
    );
    // No health data in the events: neither the resource's values nor its codes.
    for (const e of [...mine, ...theirs])
      for (const word of ['Glucose', '2339-0', 'mg/dL', 'synthetic-glucose-1'])
        assert.ok(!e.encoded.includes(word), word);

    // An emergency doctor, made in Node, logs a break-glass open of the
    // patient's record, and another about someone else: the page flags the first only.
    const er = medseal.Identity.generate({
      name: 'Dr. Night Shift (synthetic)',
      role: 'clinician',
    });
    const chains = medseal.AuthorChains.create();
    try {
      const post = async (entry) =>
        (await fetch(new URL('/relay/log/entries', srv.url), { method: 'POST', body: entry }))
          .status;
      assert.equal(await post(medseal.logCardEntry(er.card)), 201);
      const reason = 'Unconscious in the emergency room (synthetic)';
      const about = (patient, subject) =>
        medseal.signLogEvent(
          er,
          { type: 'break-glass', purpose: 'ETREAT', reason, patient, subjects: [subject] },
          { chains },
        );
      const subject = medseal.recordSubject(sealed);
      const other = about(medseal.parseCard(nodeClinician.card).keyId, subject);
      assert.equal(await post(other.entry), 201);
      const flagged = about(patientId, subject);
      assert.equal(await post(flagged.entry), 201);
      // The reason is salted: not in the log; its author can prove it.
      assert.ok(!flagged.encoded.includes('Unconscious'));
      medseal.verifyBreakGlassReason(flagged.encoded, flagged.salt, reason);
      await page.click('#log-check');
      await page.waitForFunction(
        () => document.getElementById('log-breakglass').children.length > 0,
      );
      const items = await page.$$eval('#log-breakglass li', (li) => li.map((x) => x.textContent));
      assert.equal(items.length, 1, items.join('\n'));
      assert.match(
        items[0],
        new RegExp(
          `^⚠ Break-the-glass: Dr\\. Night Shift \\(synthetic\\) \\(clinician, key ${er.keyId}\\) ` +
            'opened the record you shared on .+ for ETREAT; a reason was given',
        ),
      );
      assert.ok(!items[0].includes('Unconscious'));
      assert.equal(await page.locator('#log-breakglass-none').isHidden(), true);
      assert.equal(await page.locator('#log-error').isHidden(), true);
      assert.equal((await readLog()).summary.breakGlass >= 2, true);
    } finally {
      chains.dispose();
      er.dispose();
    }
    await assertClean(rec);
    await page.close();
  },
);

test(
  '(d) no CSP violation anywhere in the portal and harness pages (server reports, events, errors)',
  T,
  async () => {
    const checked = pages.filter((r) => !r.control);
    assert.ok(checked.length >= 5, `pages checked: ${checked.length}`);
    for (const r of checked) {
      assert.deepEqual(r.violations, []);
      assert.deepEqual(r.pageErrors, []);
      assert.deepEqual(r.consoleErrors, []);
    }
    assert.deepEqual(
      demo.cspReports.filter((r) => !isControl(r)),
      [],
    );
    assert.ok(
      demo.cspReports.filter(isControl).length >= 2,
      'the control reports are there, so reporting works',
    );
  },
);

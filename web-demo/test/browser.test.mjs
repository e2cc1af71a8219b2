// Browser tests of the portal: Debian's Chromium (headless) driven by npm
// playwright-core, against web-demo/server.mjs (strict CSP) on an ephemeral
// 127.0.0.1 port. The other side of every exchange is the same package
// running in Node (wasm/package/dist/index.js).
//
// Needs: a built package (scripts/build-wasm.sh) and /usr/bin/chromium.
// Never `npx playwright install`: the browser is Debian's.
// Writes build/screenshots/portal.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from '../server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
// MEDSEAL_DIST: another build of the package (default wasm/package/dist).
const distDir = path.resolve(process.env.MEDSEAL_DIST || path.join(repoRoot, 'wasm', 'package', 'dist'));
const distIndex = path.join(distDir, 'index.js');
const screenshotPath = path.join(repoRoot, 'build', 'screenshots', 'portal.png');
const CHROMIUM = process.env.MEDSEAL_CHROMIUM || '/usr/bin/chromium';
const T = { timeout: 90_000 };

const SAMPLE = JSON.stringify({
  resourceType: 'Observation',
  id: 'synthetic-glucose-1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose [Mass/volume] in Blood' }] },
  subject: { reference: 'Patient/synthetic-patient-1' },
  valueQuantity: { value: 104, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  note: [{ text: 'Synthetic — ünïcødé ✓ 糖' }],
});

// Negative control: pages served by this test only, never by the demo.
const CONTROL_ROUTES = {
  '/__test__/eval.html': {
    body:
      '<!doctype html><html lang="en"><meta charset="utf-8"><title>CSP control</title>' +
      '<script type="module" src="/__test__/eval.js"></script>' +
      '<p id="out">pending</p><p id="worker-out">pending</p></html>',
  },
  '/__test__/eval.js': {
    body: `
      let r;
      try { r = 'ran:' + eval('1'); } catch (e) { r = e.name; }
      document.getElementById('out').textContent = r;
      setTimeout(() => eval('3')); // uncaught: must surface as a page error
      const w = new Worker('/__test__/eval-worker.js', { type: 'module' });
      w.onmessage = (ev) => { document.getElementById('worker-out').textContent = ev.data; };
    `,
  },
  '/__test__/eval-worker.js': {
    body: `
      let r;
      try { r = 'ran:' + (0, eval)('2'); } catch (e) { r = e.name; }
      self.postMessage(r);
    `,
  },
};

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

let medseal; // the package, in Node
let srv;
let context;
let profileDir;
let nodeClinician; // Identity, in Node
const pages = [];

before(async () => {
  assert.ok(existsSync(distIndex), `${distIndex} is missing: run scripts/build-wasm.sh first`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh`);
  medseal = await import(pathToFileURL(distIndex).href);
  await medseal.init();
  nodeClinician = medseal.Identity.generate({ name: 'Dr. Node Clinician (synthetic)', role: 'clinician' });

  srv = await startServer({ port: 0, host: '127.0.0.1', packageDir: distDir, routes: CONTROL_ROUTES });
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
});

// Opens `p` in a new tab, recording CSP violations (DOM event), page errors
// and console errors (page and its workers).
async function openPage(p, initScript = null) {
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  const rec = { violations: [], pageErrors: [], consoleErrors: [], requests: [], page, control: p.includes('/__test__/') };
  page.on('request', (r) => rec.requests.push(new URL(r.url()).pathname));
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

async function openPortal() {
  const rec = await openPage('/');
  await rec.page.waitForFunction(() => window.medsealDemo !== undefined);
  await rec.page.evaluate(() => window.medsealDemo.ready);
  return rec;
}

async function fetchReports() {
  const res = await fetch(new URL('/csp-reports', srv.url));
  assert.equal(res.status, 200);
  return res.json();
}

const isControl = (r) => {
  const doc = r.report?.['csp-report']?.['document-uri'] ?? r.report?.['document-uri'] ?? '';
  return doc.includes('/__test__/');
};

// Fails if the page saw a CSP violation, an uncaught error or a console error,
// or if the server received any CSP report not from the control pages.
async function assertClean(rec) {
  await rec.page.waitForTimeout(300); // let reports reach the server
  assert.deepEqual(rec.violations, [], 'securitypolicyviolation events');
  assert.deepEqual(rec.pageErrors, [], 'page errors');
  assert.deepEqual(rec.consoleErrors, [], 'console errors');
  assert.deepEqual((await fetchReports()).filter((r) => !isControl(r)), [], 'CSP reports at /csp-reports');
}

const text = (bytes) => new TextDecoder().decode(bytes);

test('(a) the page seals to a clinician made in Node; Node opens it', T, async () => {
  const rec = await openPortal();
  const { page } = rec;
  const patientCard = await page.evaluate(() => window.medsealDemo.createIdentity('Pat Page (synthetic)'));
  assert.equal(medseal.parseCard(patientCard).role, 'patient');

  const sealed = await page.evaluate(([card, t]) => window.medsealDemo.sealTo(card, t), [nodeClinician.card, SAMPLE]);
  assert.equal(typeof sealed, 'string');
  assert.ok(!sealed.includes('104'), 'no plaintext in the sealed JSON');

  const hdr = medseal.inspectRecord(medseal.recordFromJson(sealed));
  assert.equal(hdr.senderKeyId, medseal.parseCard(patientCard).keyId);
  assert.deepEqual(hdr.recipientKeyIds, [nodeClinician.keyId]);

  medseal.verifyRecord(patientCard, sealed);
  const opened = medseal.openRecord(nodeClinician, patientCard, sealed);
  assert.equal(text(opened.body), SAMPLE);
  assert.equal(opened.contentType, 'application/fhir+json');
  assert.equal(opened.resourceType, 'Observation');
  assert.match(opened.recordId, /^urn:uuid:[0-9a-f-]{36}$/);

  // The binary encoding of the same record opens too.
  const bin = medseal.recordFromJson(sealed);
  assert.equal(text(medseal.openRecord(nodeClinician, patientCard, bin).body), SAMPLE);

  // The package is one script: the module comes embedded in it.
  assert.ok(rec.requests.includes('/medseal/index.js'), JSON.stringify(rec.requests));
  assert.deepEqual(rec.requests.filter((r) => r.endsWith('.wasm')), [], 'no .wasm fetched');

  await assertClean(rec);
  await page.close();
});

test('(b) the page makes an identity; Node seals to it; the page opens (JSON and binary)', T, async () => {
  const rec = await openPortal();
  const { page } = rec;
  const patientCard = await page.evaluate(() => window.medsealDemo.createIdentity('Pat Reverse (synthetic)'));
  const payload = { body: SAMPLE, contentType: 'application/fhir+json', resourceType: 'Observation' };

  const sealedJson = medseal.sealRecord(nodeClinician, [patientCard], payload, { encoding: 'json' });
  const got = await page.evaluate(([c, s]) => window.medsealDemo.openFrom(c, s), [nodeClinician.card, sealedJson]);
  assert.equal(got, SAMPLE);

  const sealedBin = medseal.sealRecord(nodeClinician, [patientCard], payload);
  assert.ok(sealedBin instanceof Uint8Array);
  const got2 = await page.evaluate(
    ([c, bytes]) => window.medsealDemo.openFrom(c, new Uint8Array(bytes)),
    [nodeClinician.card, Array.from(sealedBin)],
  );
  assert.equal(got2, SAMPLE);

  // A tampered record is refused with a MedsealError code, and the module stays usable.
  const tampered = Array.from(sealedBin);
  tampered[tampered.length - 80] ^= 1;
  const err = await page.evaluate(async ([c, bytes]) => {
    const m = await import('/medseal/index.js');
    try {
      window.medsealDemo.openFrom(c, new Uint8Array(bytes));
      return null;
    } catch (e) {
      return { isMedseal: e instanceof m.MedsealError, code: e.code };
    }
  }, [nodeClinician.card, tampered]);
  assert.ok(err, 'tampered record must not open');
  assert.equal(err.isMedseal, true);
  assert.match(err.code, /^[A-Z_]+$/);
  const again = await page.evaluate(([c, s]) => window.medsealDemo.openFrom(c, s), [nodeClinician.card, sealedJson]);
  assert.equal(again, SAMPLE);

  await assertClean(rec);
  await page.close();
});

test('without DecompressionStream the page fetches medseal_core.wasm instead, and works', T, async () => {
  const rec = await openPage('/', () => { delete globalThis.DecompressionStream; });
  const { page } = rec;
  await page.waitForFunction(() => window.medsealDemo !== undefined);
  await page.evaluate(() => window.medsealDemo.ready);
  assert.equal(await page.evaluate(() => typeof DecompressionStream), 'undefined');
  const card = await page.evaluate(() => window.medsealDemo.createIdentity('Fallback Page (synthetic)'));
  const sealed = await page.evaluate(([c, t]) => window.medsealDemo.sealTo(c, t), [nodeClinician.card, SAMPLE]);
  assert.equal(text(medseal.openRecord(nodeClinician, card, sealed).body), SAMPLE);
  assert.ok(rec.requests.includes('/medseal/medseal_core.wasm'), JSON.stringify(rec.requests));
  await assertClean(rec);
  await page.close();
});

test('(c) a module Web Worker seals with its own identity; Node opens it', T, async () => {
  const rec = await openPortal();
  const { page } = rec;
  const out = await page.evaluate(([c, t]) => window.medsealDemo.workerSeal(c, t), [nodeClinician.card, SAMPLE]);
  assert.equal(page.workers().length, 1, 'one worker running');
  assert.ok(page.workers()[0].url().endsWith('/worker.js'));

  const workerCard = medseal.parseCard(out.card);
  assert.equal(workerCard.role, 'device');
  const opened = medseal.openRecord(nodeClinician, out.card, out.sealed);
  assert.equal(text(opened.body), SAMPLE);
  assert.equal(opened.resourceType, 'Observation');

  // Second request: same worker identity.
  const out2 = await page.evaluate(([c]) => window.medsealDemo.workerSeal(c, 'plain note'), [nodeClinician.card]);
  assert.equal(out2.card, out.card);
  const opened2 = medseal.openRecord(nodeClinician, out2.card, out2.sealed);
  assert.equal(text(opened2.body), 'plain note');
  assert.match(opened2.contentType, /^text\/plain/);

  await assertClean(rec);
  await page.close();
});

test('the portal UI: identity, demo clinician, sample, seal, open as clinician (screenshot)', T, async () => {
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

  await page.selectOption('#sample', 'samples/observation-hba1c.json');
  await page.waitForFunction(() => document.getElementById('resource').value.includes('4548-4'));
  const resource = await page.inputValue('#resource');

  await page.click('#seal');
  await page.locator('#sealed-section').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#hdr-sender'), patientKeyId);
  assert.equal((await page.locator('#hdr-recipients li code').allTextContents()).join(), clinicianKeyId);
  assert.match(await page.textContent('#sealed-size'), /as JSON .* binary .* plaintext/);
  const sealed = await page.inputValue('#sealed');
  medseal.verifyRecord(patientCard, sealed); // Node agrees the patient sealed it

  await page.click('#open');
  await page.locator('#opened-out').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#opened-summary'), /Identical to the original/);
  assert.equal(JSON.stringify(JSON.parse(await page.inputValue('#opened'))), JSON.stringify(JSON.parse(resource)));

  // The other samples load and seal too.
  for (const s of ['samples/condition-t2dm.json', 'samples/medicationstatement-metformin.json']) {
    await page.selectOption('#sample', s);
    await page.waitForFunction((name) => document.getElementById('resource').value.includes(name),
      s.includes('condition') ? '"Condition"' : '"MedicationStatement"');
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
});

test('(e) negative control: eval is blocked and seen as a violation by every check', T, async () => {
  const rec = await openPage('/__test__/eval.html');
  const { page } = rec;
  await page.waitForFunction(() => document.getElementById('out').textContent !== 'pending');
  await page.waitForFunction(() => document.getElementById('worker-out').textContent !== 'pending');
  assert.equal(await page.textContent('#out'), 'EvalError');
  assert.equal(await page.textContent('#worker-out'), 'EvalError');

  // The DOM event…
  const deadline = Date.now() + 10_000;
  let reports = [];
  while (Date.now() < deadline) {
    reports = (await fetchReports()).filter(isControl);
    if (reports.length >= 3 && rec.violations.length >= 2 && rec.pageErrors.length >= 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(rec.violations.some((v) => v.effectiveDirective === 'script-src' && v.blockedURI === 'eval'),
    `page violation event: ${JSON.stringify(rec.violations)}`);
  // …an uncaught EvalError as a page error…
  assert.ok(rec.pageErrors.some((t) => /EvalError/.test(t)), `page error: ${JSON.stringify(rec.pageErrors)}`);
  // …and the server's report endpoint, for the page and for its worker.
  const docs = reports.map((r) => r.report['csp-report']);
  assert.ok(docs.some((d) => d['blocked-uri'] === 'eval' && d['document-uri'].endsWith('/__test__/eval.html')),
    `page report: ${JSON.stringify(docs)}`);
  assert.ok(docs.some((d) => d['blocked-uri'] === 'eval' && d['document-uri'].endsWith('/__test__/eval-worker.js')),
    `worker report: ${JSON.stringify(docs)}`);
  // So assertClean would have failed on this page:
  await assert.rejects(assertClean(rec));
  await page.close();
});

test('(d) no CSP violation anywhere in the portal pages (server reports, events, errors)', T, async () => {
  const portalPages = pages.filter((r) => !r.control);
  assert.ok(portalPages.length >= 1);
  for (const r of portalPages) {
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.pageErrors, []);
    assert.deepEqual(r.consoleErrors, []);
  }
  const all = await fetchReports();
  assert.deepEqual(all.filter((r) => !isControl(r)), []);
  assert.ok(all.filter(isControl).length >= 2, 'the control reports are there, so reporting works');
});

// SPDX-License-Identifier: Apache-2.0
// The age Web Streams and the Worker client in real Chromium, under the
// demo's strict CSP (server/server.mjs): encryptStream / decryptStream in a
// page and encryptFileInWorker / decryptFileInWorker (the package's
// dist/age-worker.js) on multi-MiB inputs. Checks the round trips, progress,
// errors with their codes (a tampered chunk releases nothing of itself), the
// wasm heap's size, that no CSP violation occurs, and that the page stays
// responsive: a 5 ms timer keeps firing, and with the Worker the page's
// thread is never busy for long.
//
// The harness page (test/age-harness/, never shipped) is bundled with the
// app's bundle() and served with the demo's handler, so with its headers.
// Needs /usr/bin/chromium and the built package (wasm/package/dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { createHandler, listen } from '../server/server.mjs';
import { bundle } from '../scripts/build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.MEDSEAL_CHROMIUM || '/usr/bin/chromium';
const T = { timeout: 180_000 };
const PAGE = '/__test__/age-harness/';
const MiB = 1024 * 1024;

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];

let srv;
let context;
let profileDir;
let testDir;
let page;
const violations = [];
const errors = [];

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh`);
  testDir = mkdtempSync(path.join(tmpdir(), 'medseal-age-browser-'));
  const served = path.join(testDir, '__test__', 'age-harness');
  mkdirSync(served, { recursive: true });
  cpSync(path.join(here, 'age-harness', 'index.html'), path.join(served, 'index.html'));
  await bundle([path.join(here, 'age-harness', 'age-harness.js')], served);
  // The Worker script beside the page's script: the client's default URL
  // is new URL('./age-worker.js', import.meta.url).
  copyFileSync(
    createRequire(import.meta.url).resolve('medseal/age-worker.js'),
    path.join(served, 'age-worker.js'),
  );
  const handler = createHandler({ appDir: testDir });
  srv = await listen((req, res) => handler.handle(req, res), { port: 0, host: '127.0.0.1' });
  profileDir = mkdtempSync(path.join(tmpdir(), 'medseal-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
  });
  page = await context.newPage();
  await page.exposeFunction('__ageTestViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__ageTestViolation({ directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
  page.on('pageerror', (e) => errors.push(String(e?.stack ?? e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const response = await page.goto(new URL(PAGE, srv.url).href);
  assert.match(
    response.headers()['content-security-policy'] ?? '',
    /script-src 'self' 'wasm-unsafe-eval'/,
  );
  await page.waitForFunction(() => window.ageHarness !== undefined);
  await page.evaluate(() => window.ageHarness.ready);
});

after(async () => {
  await context?.close();
  await srv?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  if (testDir) rmSync(testDir, { recursive: true, force: true });
});

test('encryptStream / decryptStream in the page: 24 MiB round trip, tamper, heap', T, async (t) => {
  const size = 24 * MiB;
  const r = await page.evaluate((n) => window.ageHarness.streams(n), size);
  t.diagnostic(
    `peak wasm memory ${r.peakMemory} bytes; timer ticks ${r.ticks}, longest gap ${r.maxGap.toFixed(0)} ms`,
  );
  assert.equal(r.ok, true, 'the plaintext came back');
  assert.equal(r.encryptedSize > size, true);
  assert.ok(r.progressCalls >= 2, `progress reported ${r.progressCalls} times`);
  assert.equal(r.lastBytesIn, size);
  assert.ok(r.peakMemory <= 32 * MiB, `wasm memory reached ${r.peakMemory}`);
  assert.ok(r.ticks > 10, `the page's timer fired ${r.ticks} times`);
  assert.equal(r.tamper.error?.code, 'DECRYPT_FAILED');
  assert.equal(r.tamper.error?.isMedsealError, true);
  assert.ok(r.tamper.released <= r.tamper.half, `${r.tamper.released} bytes released`);
  assert.equal(r.tamper.released % (64 * 1024), 0, 'whole chunks only');
});

test('the Worker client: 48 MiB both ways, the page stays responsive', T, async (t) => {
  const size = 48 * MiB;
  const r = await page.evaluate((n) => window.ageHarness.worker(n), size);
  t.diagnostic(
    `timer ticks ${r.ticks}, longest gap ${r.maxGap.toFixed(0)} ms; page wasm memory ${r.pageMemory}`,
  );
  assert.equal(r.ok, true, 'the plaintext came back');
  assert.equal(r.passphraseOk, true, 'passphrase through the Worker');
  assert.equal(r.transferred, true, 'the secret key bytes were transferred, not copied');
  assert.equal(r.lastBytesIn, size);
  assert.ok(r.progressCalls >= 10, `progress reported ${r.progressCalls} times`);
  assert.deepEqual(r.wrongKey, {
    name: 'MedsealError',
    code: 'NO_MATCHING_RECIPIENT',
    isMedsealError: true,
  });
  assert.deepEqual(r.tamper, {
    name: 'MedsealError',
    code: 'DECRYPT_FAILED',
    isMedsealError: true,
  });
  assert.deepEqual(r.badRecipient, {
    name: 'MedsealError',
    code: 'MALFORMED',
    isMedsealError: true,
  });
  assert.ok(r.ticks > 50, `the page's timer fired ${r.ticks} times`);
  // The page only moves buffers: it is never busy for long (generous for a
  // shared 2-core machine).
  assert.ok(r.maxGap < 250, `the page's thread was busy for ${r.maxGap.toFixed(0)} ms`);
});

test('no CSP violation, no page error', () => {
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
});

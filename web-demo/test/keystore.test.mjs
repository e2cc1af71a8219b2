// SPDX-License-Identifier: Apache-2.0
// The keystore's passkey factor in real Chromium (docs/spec/keystore.md §2.3,
// §5.3): the DevTools protocol's virtual authenticator with the PRF
// extension (WebAuthn.addVirtualAuthenticator, hasPrf: true) on
// http://localhost (a secure context; rp.id 'localhost'). The harness page
// (test/keystore-harness/, never shipped) enrols a passkey, checks that the
// PRF gives the same 32 bytes twice, makes a keystore whose slot needs
// passphrase + passkey in the package's keystore Worker at the default
// Argon2id cost (64 MiB, 3 passes), unlocks it there, and fails with
// WRONG_SECOND_FACTOR, WRONG_PASSPHRASE, NO_UNLOCK_SLOT and PRF_MISMATCH
// where it must, while the page's timer and requestAnimationFrame keep
// running. The same unlock on the page's own thread is timed too, to show
// what the Worker avoids.
//
// Served with the demo's handler (its CSP) on 127.0.0.1 and opened as
// http://localhost:PORT. Needs /usr/bin/chromium and the built package.
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
const PAGE = '/__test__/keystore-harness/';

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
  testDir = mkdtempSync(path.join(tmpdir(), 'medseal-keystore-browser-'));
  const served = path.join(testDir, '__test__', 'keystore-harness');
  mkdirSync(served, { recursive: true });
  cpSync(path.join(here, 'keystore-harness', 'index.html'), path.join(served, 'index.html'));
  await bundle([path.join(here, 'keystore-harness', 'keystore-harness.js')], served);
  // The Worker beside the page's script: KeystoreWorker's default URL is
  // new URL('./keystore-worker.js', import.meta.url).
  copyFileSync(
    createRequire(import.meta.url).resolve('medseal/keystore-worker.js'),
    path.join(served, 'keystore-worker.js'),
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
  await page.exposeFunction('__keystoreTestViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__keystoreTestViolation({ directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
  page.on('pageerror', (e) => errors.push(String(e?.stack ?? e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
      automaticPresenceSimulation: true,
    },
  });
  // localhost, not 127.0.0.1: an IP address is not a valid RP ID.
  const url = new URL(PAGE, srv.url);
  url.hostname = 'localhost';
  const response = await page.goto(url.href);
  assert.match(
    response.headers()['content-security-policy'] ?? '',
    /script-src 'self' 'wasm-unsafe-eval'/,
  );
  await page.waitForFunction(() => window.keystoreHarness !== undefined);
  await page.evaluate(() => window.keystoreHarness.ready);
});

after(async () => {
  await context?.close();
  await srv?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  if (testDir) rmSync(testDir, { recursive: true, force: true });
});

test(
  'passkey PRF as second factor: enrol, unlock in the Worker, wrong factors, responsive page',
  T,
  async (t) => {
    const r = await page.evaluate(() => window.keystoreHarness.passkeyFlow());
    assert.equal(r.madeError, undefined, JSON.stringify(r.madeError));
    t.diagnostic(
      `Argon2id 64 MiB / 3 passes in the Worker: unlock ${r.unlock.ms.toFixed(0)} ms ` +
        `(timer ticks ${r.unlock.ticks}, frames ${r.unlock.frames}, longest gap ` +
        `${r.unlock.maxGap.toFixed(0)} ms); wrong passphrase ${r.wrongPassphrase.ms.toFixed(0)} ms; ` +
        `create + enrol (2 Argon2id runs) ${r.enrolment.ms.toFixed(0)} ms, longest gap ` +
        `${r.enrolment.maxGap.toFixed(0)} ms; the same unlock on the page's thread ` +
        `${r.onPage.ms.toFixed(0)} ms (Argon2id and the unlock only), longest gap ${r.onPage.maxGap.toFixed(0)} ms`,
    );
    // The authenticator: PRF enabled, 32 bytes, the same twice, another credential's differs.
    assert.equal(r.prfEnabled, true);
    assert.equal(r.prfLength, 32);
    assert.equal(r.prfStable, true);
    assert.equal(r.otherDiffers, true);
    // Enrolment: two different PRF outputs are PRF_MISMATCH and change nothing;
    // then one passphrase + passkey slot at the default cost, the passphrase
    // slot gone, the caller's PRF array zeroed.
    assert.deepEqual(r.enrolment.mismatch, {
      name: 'MedsealError',
      code: 'PRF_MISMATCH',
      isMedsealError: true,
    });
    assert.deepEqual(r.enrolment.kindsAfterMismatch, [1]);
    assert.deepEqual(r.enrolment.kinds, [2]);
    assert.deepEqual(r.enrolment.params, { memoryKib: 65536, passes: 3 });
    assert.equal(r.enrolment.callerPrfZeroed, true);
    // The unlock: the same identity, the caller's secrets zeroed.
    assert.equal(r.unlock.error, undefined, JSON.stringify(r.unlock.error));
    assert.equal(r.unlock.ok, true);
    assert.equal(r.unlock.passZeroed, true);
    assert.equal(r.unlock.prfZeroed, true);
    // Wrong factors.
    assert.deepEqual(r.wrongPasskey, {
      name: 'MedsealError',
      code: 'WRONG_SECOND_FACTOR',
      isMedsealError: true,
    });
    assert.equal(r.wrongPassphrase.code, 'WRONG_PASSPHRASE');
    assert.equal(r.wrongPassphrase.isMedsealError, true);
    assert.deepEqual(r.passphraseAlone, {
      name: 'MedsealError',
      code: 'NO_UNLOCK_SLOT',
      isMedsealError: true,
    });
    // The page stayed responsive while Argon2id ran in the Worker: the timer
    // and frames kept coming, and no gap came near the unlock's length.
    assert.ok(r.unlock.ticks > 10, `timer fired ${r.unlock.ticks} times`);
    assert.ok(r.unlock.frames > 2, `${r.unlock.frames} animation frames`);
    assert.ok(
      r.unlock.maxGap < 250,
      `the page's thread was busy for ${r.unlock.maxGap.toFixed(0)} ms`,
    );
    assert.ok(
      r.enrolment.maxGap < 250,
      `busy for ${r.enrolment.maxGap.toFixed(0)} ms while enrolling`,
    );
    // On the page's own thread the same unlock blocks the timer (this is what
    // the check above would see without the Worker).
    assert.equal(r.onPage.ok, true, JSON.stringify(r.onPage.error));
    assert.ok(
      r.onPage.maxGap > 0.8 * r.onPage.ms && r.onPage.maxGap > 100,
      `in the page the thread was busy for ${r.onPage.maxGap.toFixed(0)} of ${r.onPage.ms.toFixed(0)} ms`,
    );
  },
);

test(
  'every other KeystoreWorker call, and failures inside the Worker with their codes',
  T,
  async () => {
    const r = await page.evaluate(() => window.keystoreHarness.workerCalls());
    const err = (code) => ({ name: 'MedsealError', code, isMedsealError: true });
    assert.equal(r.needsRehash, true);
    assert.deepEqual(r.afterRehash, { needs: false, params: { memoryKib: 16, passes: 1 } });
    assert.equal(r.recoveryLength, 71);
    assert.deepEqual(r.items, [
      [2, 'v1'],
      [1, 'v2'],
    ]);
    assert.equal(r.itemSecretIsOldSeed, true);
    assert.deepEqual(r.tooLarge, err('TOO_LARGE'));
    assert.deepEqual(r.badIndex, err('INVALID_ARGUMENT'));
    assert.deepEqual(r.afterDispose, err('DISPOSED'));
    assert.equal(r.recoveryZeroed, true);
    assert.equal(r.current, true);
    assert.equal(r.retired, true);
    assert.deepEqual(r.wrongPassphrase, err('WRONG_PASSPHRASE'));
    assert.deepEqual(r.truncated, err('TRUNCATED'));
    assert.deepEqual(r.future, err('UNSUPPORTED_VERSION'));
  },
);

test('keystore harness: no CSP violation, no page error', () => {
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
});

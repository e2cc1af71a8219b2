// SPDX-License-Identifier: Apache-2.0
// What the demo ships: web-demo/dist as `npm run build` leaves it, and the
// server as run-demo.sh starts it (defaults). No browser. Needs the built app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer, CSP, DEFAULT_APP_DIR } from '../server/server.mjs';
import { buildApp, packageWasmPath } from '../scripts/build.mjs';

const demo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => path.relative(demo, p).split(path.sep).join('/');

const SHIPPED = [
  'favicon.svg',
  'index.html',
  'medseal_core.wasm',
  'portal.css',
  'portal.js',
  'samples/condition-depression.json',
  'samples/condition-t2dm.json',
  'samples/medicationstatement-metformin.json',
  'samples/observation-hba1c.json',
  'worker.js',
];

// Every file under `dir`, as sorted '/'-separated relative paths.
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      path
        .relative(dir, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join('/'),
    )
    .sort();
}

let fresh; // a second build of the app, from the current sources
let metafile;
let srv;

before(async () => {
  assert.ok(
    existsSync(path.join(DEFAULT_APP_DIR, 'index.html')),
    `${DEFAULT_APP_DIR} holds no built app: run \`npm run build\` in web-demo`,
  );
  fresh = mkdtempSync(path.join(tmpdir(), 'medseal-app-build-'));
  metafile = await buildApp(fresh);
  srv = await startServer({ port: 0 });
});

after(async () => {
  await srv?.close();
  if (fresh) rmSync(fresh, { recursive: true, force: true });
});

test('dist holds exactly the app, and is what the build makes from the current sources', () => {
  assert.deepEqual(listFiles(DEFAULT_APP_DIR), SHIPPED);
  assert.deepEqual(listFiles(fresh), SHIPPED);
  for (const f of SHIPPED) {
    assert.ok(
      readFileSync(path.join(DEFAULT_APP_DIR, f)).equals(readFileSync(path.join(fresh, f))),
      `dist/${f} is stale: run \`npm run build\``,
    );
  }
  assert.ok(
    readFileSync(path.join(DEFAULT_APP_DIR, 'medseal_core.wasm')).equals(
      readFileSync(packageWasmPath()),
    ),
    "the fallback .wasm is the installed package's",
  );
});

test("the pages import only `medseal` by name, which is the package's built entry (and the portal npm `qrcode`, bundled); each bundle stands alone", () => {
  const pkgEntry = rel(fileURLToPath(import.meta.resolve('medseal')));
  // The one other library: npm qrcode's browser build (package.json "browser").
  const qrEntry = 'node_modules/qrcode/lib/browser.js';
  const expected = {
    'pages/portal/portal.js': [
      ['medseal', pkgEntry],
      ['qrcode', qrEntry],
    ],
    'pages/portal/worker.js': [['medseal', pkgEntry]],
  };
  const pageInputs = Object.keys(metafile.inputs)
    .filter((p) => p.startsWith('pages/'))
    .sort();
  assert.deepEqual(pageInputs, ['pages/portal/portal.js', 'pages/portal/worker.js']);
  for (const p of pageInputs) {
    assert.deepEqual(
      metafile.inputs[p].imports.map((i) => [i.original, i.path]),
      expected[p],
      p,
    );
  }
  for (const [out, info] of Object.entries(metafile.outputs)) {
    assert.deepEqual(info.imports, [], `${out} imports nothing at run time`);
  }
});

test('the shipped bundles carry no test hook', () => {
  for (const f of ['portal.js', 'worker.js', 'index.html']) {
    const body = readFileSync(path.join(DEFAULT_APP_DIR, f), 'utf8');
    for (const hook of ['medsealDemo', '__test__', 'window.harness', '/medseal/']) {
      assert.ok(!body.includes(hook), `dist/${f} contains ${JSON.stringify(hook)}`);
    }
  }
});

test('the shipped server serves the app and refuses DELETE /csp-reports; it has no test route', async () => {
  const get = async (p, init) => fetch(new URL(p, srv.url), init);
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-security-policy'), CSP);
  assert.match(await index.text(), /<script type="module" src="portal\.js"><\/script>/);
  const bundle = await get('/portal.js');
  assert.equal(bundle.status, 200);
  assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await get('/medseal_core.wasm')).headers.get('content-type'), 'application/wasm');

  assert.equal(
    (
      await get('/csp-report', {
        method: 'POST',
        body: '{"csp-report":{}}',
        headers: { 'content-type': 'application/csp-report' },
      })
    ).status,
    204,
  );
  assert.equal(srv.cspReports.length, 1);
  const del = await get('/csp-reports', { method: 'DELETE' });
  assert.equal(del.status, 405);
  assert.equal(del.headers.get('content-security-policy'), CSP);
  assert.equal(srv.cspReports.length, 1, 'DELETE cleared nothing');
  for (const p of [
    '/csp-reports',
    '/__test__/harness/',
    '/__test__/csp-control/index.html',
    '/medseal/index.js',
    '/medseal/medseal_core.wasm',
  ]) {
    assert.equal((await get(p)).status, 404, p);
  }
});

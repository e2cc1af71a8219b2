// SPDX-License-Identifier: Apache-2.0
// init() in fresh realms: Node worker threads (each has its own module
// instance): the module embedded in dist/index.js, wasmBinary, wasmUrl, and
// retry after a failed init(). (The browser's fallback to the .wasm file
// where DecompressionStream is missing: web-demo/test/browser.test.mjs.)
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';

const indexUrl = new URL('../dist/index.js', import.meta.url).href;
const testingUrl = new URL('../dist/testing.js', import.meta.url).href;
const wasmPath = new URL('../dist/medseal_core.wasm', import.meta.url);
const testingWasmPath = new URL('../dist/medseal_core_testing.wasm', import.meta.url);

// Runs `body` (an async function body with `medseal` and `data` in scope) in
// a new worker thread and returns what it returns. `before`: statements run
// before the package is imported; `index`: another copy of dist/index.js.
function inWorker(body, data, { before = '', index = indexUrl } = {}) {
  const source = `
    import { parentPort, workerData } from 'node:worker_threads';
    ${before}
    const medseal = await import(${JSON.stringify(index)});
    const data = workerData;
    try {
      const result = await (async () => { ${body} })();
      parentPort.postMessage({ result });
    } catch (e) {
      parentPort.postMessage({ error: { name: e.name, code: e.code, message: e.message } });
    }`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
      workerData: data,
    });
    worker.once('message', (m) => {
      worker.terminate();
      if (m.error) reject(Object.assign(new Error(m.error.message), m.error));
      else resolve(m.result);
    });
    worker.once('error', reject);
  });
}

const ROUND_TRIP = `
  const a = medseal.Identity.generate({ name: 'W', role: 'worker' });
  const sealed = medseal.sealRecord(a, [a.card], { body: 'from a worker', contentType: 'text/plain' });
  const text = new TextDecoder().decode(medseal.openRecord(a, a.card, sealed).body);
  a.dispose();
  return text;`;

test('init() uses the module embedded in dist/index.js in a Node worker thread', async () => {
  const text = await inWorker(`await medseal.init(); ${ROUND_TRIP}`);
  assert.equal(text, 'from a worker');
});

test('each bundle embeds its own module, byte for byte, and nothing else', () => {
  for (const [bundle, wasm] of [
    [indexUrl, wasmPath],
    [testingUrl, testingWasmPath],
  ]) {
    const source = readFileSync(new URL(bundle), 'utf8');
    const literals = [...source.matchAll(/"([A-Za-z0-9+/]{1000,}={0,2})"/g)].map((m) => m[1]);
    assert.equal(literals.length, 1, `one base64 literal in ${bundle}`);
    assert.ok(
      inflateRawSync(Buffer.from(literals[0], 'base64')).equals(readFileSync(wasm)),
      bundle,
    );
    // One self-contained script: no import of another file of the package.
    assert.doesNotMatch(source, /\bfrom\s*["']\.{1,2}\//, `${bundle} imports a file`);
    assert.doesNotMatch(source, /\bimport\(\s*["']\.{1,2}\//, `${bundle} imports a file`);
  }
});

test('init({ wasmUrl }) loads that file instead (absolute or relative to dist/index.js)', async () => {
  for (const url of [wasmPath.href, './medseal_core.wasm']) {
    const text = await inWorker(`await medseal.init({ wasmUrl: data }); ${ROUND_TRIP}`, url);
    assert.equal(text, 'from a worker', url);
  }
  await assert.rejects(
    inWorker('await medseal.init({ wasmUrl: data });', './no-such.wasm'),
    (e) => e.code === 'ENOENT',
  );
});

test('the built files embed no path of the machine they were built on', () => {
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)); // ends with '/'
  for (const file of [wasmPath, testingWasmPath, new URL(indexUrl), new URL(testingUrl)]) {
    const bytes = readFileSync(file);
    assert.equal(bytes.indexOf(repoRoot), -1, `${fileURLToPath(file)} contains ${repoRoot}`);
  }
  // ... while the source-relative names are there (core/base/status.h's checks).
  assert.notEqual(readFileSync(wasmPath).indexOf('core/base/status.h'), -1);
});

// dist/index.js alone in a directory, no .wasm beside it.
function copyOfIndex() {
  const dir = mkdtempSync(path.join(tmpdir(), 'medseal-index-'));
  copyFileSync(fileURLToPath(indexUrl), path.join(dir, 'index.js'));
  return { dir, url: pathToFileURL(path.join(dir, 'index.js')).href };
}

test('init() needs no file beside dist/index.js', async (t) => {
  const copy = copyOfIndex();
  t.after(() => rmSync(copy.dir, { recursive: true, force: true }));
  assert.equal(
    await inWorker(`await medseal.init(); ${ROUND_TRIP}`, undefined, { index: copy.url }),
    'from a worker',
  );
});

test('Node inflates the embedded copy with zlib: web streams are not needed', async (t) => {
  const copy = copyOfIndex();
  t.after(() => rmSync(copy.dir, { recursive: true, force: true }));
  const text = await inWorker(`await medseal.init(); ${ROUND_TRIP}`, undefined, {
    index: copy.url,
    before: 'delete globalThis.DecompressionStream; delete globalThis.Response;',
  });
  assert.equal(text, 'from a worker');
});

test('init({ wasmBinary }) uses the given bytes', async () => {
  const bytes = readFileSync(wasmPath);
  const text = await inWorker(`await medseal.init({ wasmBinary: data }); ${ROUND_TRIP}`, bytes);
  assert.equal(text, 'from a worker');
});

test('a failed init() rejects with a reason and can be retried', async () => {
  const result = await inWorker(`
    const errors = [];
    const gone = new Uint8Array(8);
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    for (const bad of [null, { wasmBinary: 'nope' }, { wasmUrl: 42 }, { wasmBinary: new Uint8Array([0, 97, 115, 109]) },
                       { wasmBinary: new Proxy(new Uint8Array(8), {}) }, { wasmUrl: new Proxy(new URL('file:///x'), {}) },
                       { wasmBinary: gone }, { wasmBinary: gone.buffer }]) {
      try { await medseal.init(bad); errors.push('resolved'); } catch (e) { errors.push(e.code ?? e.name); }
    }
    await medseal.init();
    ${ROUND_TRIP.replace('return text;', 'return { errors, text };')}`);
  assert.deepEqual(result.errors, [
    'INVALID_ARGUMENT',
    'INVALID_ARGUMENT',
    'INVALID_ARGUMENT',
    'CompileError',
    'INVALID_ARGUMENT',
    'INVALID_ARGUMENT',
    'DETACHED_BUFFER',
    'DETACHED_BUFFER',
  ]);
  assert.equal(result.text, 'from a worker');
});

// A valid WebAssembly module that is not this one: refused with a
// MedsealError before the glue sees it (the ABI markers, wasm custom
// sections, do not match), and init() can be retried.
test('init({ wasmBinary }) refuses another module: INVALID_ARGUMENT, not a TypeError', async () => {
  const empty = [0, 97, 115, 109, 1, 0, 0, 0]; // the smallest valid module
  // A module with a custom section medseal_abi of another version.
  const otherVersion = [...empty, 0, 13, 11, ...Buffer.from('medseal_abi'), 0x31];
  const cases = [
    [
      indexUrl,
      empty,
      /wasmBinary is not medseal_core\.wasm of this version .*medseal_abi is missing/,
    ],
    [indexUrl, otherVersion, /medseal_abi is "1", not "2"/],
    // The production module lacks the testing module's marker.
    [testingUrl, [...readFileSync(wasmPath)], /medseal_testing_abi is missing/],
  ];
  for (const [index, bytes, message] of cases) {
    const result = await inWorker(
      `
      try { await medseal.init({ wasmBinary: new Uint8Array(data) }); return 'resolved'; }
      catch (e) {
        await medseal.init();
        const id = medseal.Identity.generate({ name: 'n', role: 'r' });
        id.dispose();
        return { name: e.name, code: e.code, message: e.message };
      }`,
      bytes,
      { index },
    );
    assert.equal(result.name, 'MedsealError', JSON.stringify(result));
    assert.equal(result.code, 'INVALID_ARGUMENT');
    assert.match(result.message, message);
  }
});

test('medseal/testing loads its own module, embedded or given', async () => {
  const body = `
    await medseal.init(data === null ? undefined : { wasmBinary: new Uint8Array(data) });
    const rng = new medseal.DeterministicRng(new Uint8Array(32));
    const bytes = rng.fill(8);
    rng.dispose();
    return Array.from(bytes);`;
  const embedded = await inWorker(body, null, { index: testingUrl });
  const given = await inWorker(body, [...readFileSync(testingWasmPath)], { index: testingUrl });
  assert.deepEqual(embedded, given);
  assert.equal(embedded.length, 8);
});

test('instantiation takes milliseconds', async () => {
  const ms = await inWorker(`
    const t0 = performance.now();
    await medseal.init();
    return performance.now() - t0;`);
  assert.ok(ms < 2000, `init() took ${ms} ms`);
});

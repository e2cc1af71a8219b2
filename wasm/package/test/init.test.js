// init() in fresh realms: Node worker threads (each has its own module
// instance), with and without wasmBinary, and retry after a failed init().
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { Worker } from 'node:worker_threads';

const indexUrl = new URL('../dist/index.js', import.meta.url).href;
const wasmPath = new URL('../dist/medseal_core.wasm', import.meta.url);

// Runs `body` (an async function body with `medseal` and `data` in scope) in
// a new worker thread and returns what it returns.
function inWorker(body, data) {
  const source = `
    import { parentPort, workerData } from 'node:worker_threads';
    const medseal = await import(${JSON.stringify(indexUrl)});
    const data = workerData;
    try {
      const result = await (async () => { ${body} })();
      parentPort.postMessage({ result });
    } catch (e) {
      parentPort.postMessage({ error: { name: e.name, code: e.code, message: e.message } });
    }`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData: data });
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

test('init() reads its own .wasm in a Node worker thread', async () => {
  const text = await inWorker(`await medseal.init(); ${ROUND_TRIP}`);
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
    for (const bad of [null, { wasmBinary: 'nope' }, { wasmUrl: 42 }, { wasmBinary: new Uint8Array([0, 97, 115, 109]) }]) {
      try { await medseal.init(bad); errors.push('resolved'); } catch (e) { errors.push(e.code ?? e.name); }
    }
    await medseal.init();
    ${ROUND_TRIP.replace('return text;', 'return { errors, text };')}`);
  assert.deepEqual(result.errors, ['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'CompileError']);
  assert.equal(result.text, 'from a worker');
});

test('instantiation takes milliseconds', async () => {
  const ms = await inWorker(`
    const t0 = performance.now();
    await medseal.init();
    return performance.now() - t0;`);
  assert.ok(ms < 2000, `init() took ${ms} ms`);
});

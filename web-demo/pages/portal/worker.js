// SPDX-License-Identifier: Apache-2.0
// medseal module worker: runs the package in a Web Worker and seals there,
// off the page's main thread. Bundled by web-demo/scripts/build.mjs into
// dist/worker.js, a module worker (new Worker(url, { type: 'module' })).
//
// Messages in:  { id, cmd: 'seal', recipientCard, text, contentType?, resourceType?, name? }
//               { id, cmd: 'card', name? }      -> { id, ok, card }
//               { id, cmd: 'dispose' }          -> { id, ok }  (wipes the worker's identity)
// Messages out: { id, ok: true, card, sealed } | { id, ok: false, error: { code, message } }
// The worker creates its own identity (role 'device') on first use and keeps
// it until 'dispose' or termination; the sealed record is in JSON encoding.

import { Identity, init, sealRecord } from 'medseal';

const FHIR_JSON = 'application/fhir+json';

const ready = init();
ready.catch(() => {}); // reported per message instead

let identity = null;

function ensureIdentity(name) {
  if (!identity)
    identity = Identity.generate({ name: name || 'Portal worker (synthetic)', role: 'device' });
  return identity;
}

function resourceTypeOf(text) {
  try {
    const r = JSON.parse(text);
    return r && typeof r === 'object' && typeof r.resourceType === 'string'
      ? r.resourceType
      : undefined;
  } catch {
    return undefined;
  }
}

async function handle(msg) {
  await ready;
  switch (msg.cmd) {
    case 'seal': {
      if (typeof msg.recipientCard !== 'string')
        throw new TypeError('recipientCard must be card JSON text');
      if (typeof msg.text !== 'string') throw new TypeError('text must be a string');
      const me = ensureIdentity(msg.name);
      const resourceType = msg.resourceType ?? resourceTypeOf(msg.text);
      const payload = {
        body: msg.text,
        contentType: msg.contentType ?? (resourceType ? FHIR_JSON : 'text/plain; charset=utf-8'),
        recordId: `urn:uuid:${crypto.randomUUID()}`,
      };
      if (resourceType) payload.resourceType = resourceType;
      const sealed = sealRecord(me, [msg.recipientCard], payload, { encoding: 'json' });
      return { card: me.card, sealed };
    }
    case 'card':
      return { card: ensureIdentity(msg.name).card };
    case 'dispose':
      identity?.dispose();
      identity = null;
      return {};
    default:
      throw new TypeError(`unknown cmd ${JSON.stringify(msg.cmd)}`);
  }
}

self.addEventListener('message', async (ev) => {
  const msg = ev.data ?? {};
  try {
    const result = await handle(msg);
    self.postMessage({ id: msg.id, ok: true, ...result });
  } catch (err) {
    const code = typeof err?.code === 'string' ? err.code : null;
    self.postMessage({
      id: msg.id,
      ok: false,
      error: { code, message: String(err?.message ?? err) },
    });
  }
});

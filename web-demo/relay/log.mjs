// SPDX-License-Identifier: Apache-2.0
// The relay's verifiable log (docs/spec/log.md): the demo's log operator.
// Every decision about an entry is core's (LogOperator.append of the
// `medseal` package, core/log/operator.h: a card must verify and be new; an
// event must be signed by a card already in the log and continue its
// author's chain); this file only moves bytes and keeps the files the
// operator publishes, which it serves in the C2SP tlog-tiles layout as
// static files:
//
//   POST /relay/log/entries          <- one entry (kind byte || bytes,
//                                       application/octet-stream, at most
//                                       65,535 bytes). 201 + JSON {index,
//                                       kind, size} once it is in the tree
//                                       and a new checkpoint is published;
//                                       422 + JSON {code, message} when core
//                                       refuses it (nothing changes)
//   GET  /relay/log/key              -> the operator's verifier key (C2SP
//                                       vkey); a real client pins it instead
//   GET  /relay/log/proof/inclusion?index=I&size=N
//   GET  /relay/log/proof/consistency?from=M&to=N
//                                    -> a proof (hashes back to back), for
//                                       clients that do not read tiles;
//                                       checked by the client against a
//                                       checkpoint it verified
//   GET  /log/checkpoint             -> the latest signed checkpoint
//   GET  /log/tile/<L>/<N>[.p/<W>]   -> hash tiles
//   GET  /log/tile/entries/<N>[.p/<W>] -> entry bundles
//
// Stored in SQLite (./log-store.mjs, npm better-sqlite3): every entry and
// every published file, so that a restart keeps the log. At start the
// stored entries are replayed through a fresh operator (core checks each
// one again) and what it publishes must equal the stored checkpoint and
// tiles, byte for byte (Ed25519 signatures are deterministic): a store
// edited behind the relay's back is refused at start with a core code
// (LOG_ENTRY_MISSING for a gap, LOG_ENTRY_MODIFIED for bytes that differ,
// the operator's code for an entry it refuses), never served. The default
// database is ':memory:' (tests); `npm start` keeps it in web-demo/data/.
// The operator's signing seed is given, or read from its own key file
// (mode 0600, created on first start), or drawn per process for an
// in-memory log; it is never in the database.
import { randomBytes } from 'node:crypto';

import { loadOrCreateSeed, openLogStore, storeError } from './log-store.mjs';

export const PREFIX = '/relay/log/';
export const TILES_PREFIX = '/log/';
export const ORIGIN = 'medseal.example/log/v1';
export const MAX_ENTRY_BYTES = 65535;
// The demo's bound on the log (the operator keeps every entry in wasm
// memory, and a restart replays them all).
export const MAX_ENTRIES = 100000;

const COUNT = /^(0|[1-9][0-9]{0,15})$/;

/**
 * @param {object} [opts]
 * @param {Uint8Array} [opts.seed]  the operator's 32-byte Ed25519 seed (default: keyFile's, or random)
 * @param {string} [opts.db]        the SQLite database file (default ':memory:')
 * @param {string} [opts.keyFile]   where the seed is kept for a file database (created 0600 if missing)
 * @param {string} [opts.origin]    the checkpoint origin (default ORIGIN)
 * @param {Promise<object>} [opts.medseal]  the package, initialised (default: import('medseal'))
 * @returns {{handle: Function, handleTiles: Function, ready: () => Promise<object>,
 *            file: (path: string) => Buffer|undefined, close: () => void}}
 */
export function createLogRelay(opts = {}) {
  const store = openLogStore(opts.db ?? ':memory:');
  const seed =
    opts.seed ??
    (opts.keyFile ? loadOrCreateSeed(opts.keyFile, randomBytes) : new Uint8Array(randomBytes(32)));
  const origin = opts.origin ?? ORIGIN;
  // Once a write to the store failed, the operator is ahead of it: nothing
  // more is accepted or served until a restart replays the store.
  let broken = false;
  // The package is loaded, the operator made and the store replayed at the
  // first log request or ready() (a server never asked about the log never
  // loads it).
  let started;
  const ready = () => {
    started ??= (async () => {
      const lib = await (opts.medseal ?? import('medseal'));
      await lib.init();
      const op = lib.LogOperator.fromSeed(origin, seed);
      seed.fill(0);
      try {
        replay(lib, op);
      } catch (err) {
        op.dispose();
        throw err;
      }
      return { lib, op };
    })();
    return started;
  };

  // Replays the stored entries and checks that the publication equals the
  // stored files; a new store gets the empty log's checkpoint.
  function replay(lib, op) {
    const known = store.identity();
    if (known === undefined) {
      if (store.count() !== 0)
        throw storeError('LOG_ENTRY_MISSING', 'log store: entries without a log identity');
      const p = op.publish();
      store.init(origin, op.verifierKey, [['checkpoint', new TextEncoder().encode(p.checkpoint)]]);
      return;
    }
    if (known.origin !== origin || known.vkey !== op.verifierKey)
      throw storeError('SIGNATURE_INVALID', 'log store: kept under another origin or operator key');
    let expected = 0;
    for (const { idx, bytes } of store.entries()) {
      if (idx !== expected)
        throw storeError('LOG_ENTRY_MISSING', `log store: entry ${expected} is missing`);
      try {
        op.append(new Uint8Array(bytes));
      } catch (err) {
        if (!(err instanceof lib.MedsealError)) throw err;
        throw storeError(err.code, `log store: entry ${idx} refused on replay (${err.code})`);
      }
      expected += 1;
    }
    const p = op.publish();
    const published = [['checkpoint', new TextEncoder().encode(p.checkpoint)], ...p.tiles];
    for (const [file, bytes] of published) {
      const kept = store.file(file);
      if (kept === undefined || !Buffer.from(bytes).equals(kept))
        throw storeError('LOG_ENTRY_MODIFIED', `log store: ${file} differs from the replayed log`);
    }
  }

  function publish(op, index, entry) {
    const p = op.publish();
    try {
      store.append(index, entry, [
        ...p.tiles,
        ['checkpoint', new TextEncoder().encode(p.checkpoint)],
      ]);
    } catch (err) {
      broken = true;
      throw err;
    }
  }

  function json(send, res, status, value) {
    return send(res, status, JSON.stringify(value) + '\n', 'application/json; charset=utf-8');
  }

  async function handle(req, res, pathname, send, readBody, url) {
    const { lib, op } = await ready();
    if (broken) return send(res, 503, 'the log store failed: restart the relay\n');
    const route = pathname.slice(PREFIX.length);
    if (route === 'entries') {
      if (req.method !== 'POST')
        return send(res, 405, 'method not allowed\n', undefined, { Allow: 'POST' });
      const body = await readBody(req, MAX_ENTRY_BYTES);
      if (op.size >= MAX_ENTRIES) return send(res, 507, 'the log is full\n');
      let appended;
      const entry = new Uint8Array(body);
      try {
        appended = op.append(entry);
      } catch (err) {
        if (!(err instanceof lib.MedsealError)) throw err;
        return json(send, res, 422, { code: err.code, message: err.message });
      }
      publish(op, appended.index, entry);
      return json(send, res, 201, appended);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    if (route === 'key') return send(res, 200, op.verifierKey + '\n');
    const q = (name) => {
      const v = url.searchParams.get(name) ?? '';
      return COUNT.test(v) ? Number(v) : NaN;
    };
    let proof;
    try {
      if (route === 'proof/inclusion') proof = op.inclusionProof(q('index'), q('size'));
      else if (route === 'proof/consistency') proof = op.consistencyProof(q('from'), q('to'));
      else return send(res, 404, 'not found\n');
    } catch (err) {
      if (!(err instanceof lib.MedsealError)) throw err;
      return json(send, res, 400, { code: err.code, message: err.message });
    }
    return send(res, 200, Buffer.from(proof), 'application/octet-stream');
  }

  // The static layout: GET/HEAD only; full tiles never change (immutable),
  // partial tiles and the checkpoint do (no-store, the server's default).
  async function handleTiles(req, res, pathname, send) {
    await ready();
    if (broken) return send(res, 503, 'the log store failed: restart the relay\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    const path = pathname.slice(TILES_PREFIX.length);
    const body = store.file(path);
    if (body === undefined) return send(res, 404, 'not found\n');
    if (path === 'checkpoint') return send(res, 200, body, 'text/plain; charset=utf-8');
    const extra = path.includes('.p/')
      ? {}
      : { 'Cache-Control': 'public, max-age=31536000, immutable' };
    return send(res, 200, body, 'application/octet-stream', extra);
  }

  // Closes the store and wipes the operator's key (after ready(); idempotent).
  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    try {
      const { op } = await (started ?? Promise.resolve({}));
      op?.dispose();
    } catch {
      // a store that failed at start has no operator to dispose
    }
    seed.fill(0);
    store.close();
  }

  return { handle, handleTiles, ready, close, file: (p) => store.file(p) };
}

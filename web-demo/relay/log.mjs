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
// In memory, like the attachment drop box: the log lives until the process
// ends (a production deployment runs Tessera or Sunlight on the same
// layout). The operator's signing seed is drawn once per process unless
// given.
import { randomBytes } from 'node:crypto';

export const PREFIX = '/relay/log/';
export const TILES_PREFIX = '/log/';
export const ORIGIN = 'medseal.example/log/v1';
export const MAX_ENTRY_BYTES = 65535;
// The demo's bound on the log (each entry is kept in memory twice: in the
// operator and in its entry bundle).
export const MAX_ENTRIES = 100000;

const COUNT = /^(0|[1-9][0-9]{0,15})$/;

/**
 * @param {object} [opts]
 * @param {Uint8Array} [opts.seed]  the operator's 32-byte Ed25519 seed (default: random)
 * @param {string} [opts.origin]    the checkpoint origin (default ORIGIN)
 * @param {Promise<object>} [opts.medseal]  the package, initialised (default: import('medseal'))
 * @returns {{handle: Function, handleTiles: Function, ready: () => Promise<object>,
 *            files: Map<string, Buffer>}}
 */
export function createLogRelay(opts = {}) {
  const files = new Map(); // path under /log/ -> bytes ("checkpoint", "tile/...")
  const seed = opts.seed ?? new Uint8Array(randomBytes(32));
  // The package is loaded and the operator made at the first log request
  // (a server that is never asked about the log never loads it).
  let started;
  const ready = () => {
    started ??= (async () => {
      const lib = await (opts.medseal ?? import('medseal'));
      await lib.init();
      const op = lib.LogOperator.fromSeed(opts.origin ?? ORIGIN, seed);
      seed.fill(0);
      files.set('checkpoint', Buffer.from(op.publish().checkpoint, 'utf8'));
      return { lib, op };
    })();
    return started;
  };

  function publish(op) {
    const p = op.publish();
    for (const [path, bytes] of p.tiles) files.set(path, Buffer.from(bytes));
    files.set('checkpoint', Buffer.from(p.checkpoint, 'utf8'));
  }

  function json(send, res, status, value) {
    return send(res, status, JSON.stringify(value) + '\n', 'application/json; charset=utf-8');
  }

  async function handle(req, res, pathname, send, readBody, url) {
    const { lib, op } = await ready();
    const route = pathname.slice(PREFIX.length);
    if (route === 'entries') {
      if (req.method !== 'POST')
        return send(res, 405, 'method not allowed\n', undefined, { Allow: 'POST' });
      const body = await readBody(req, MAX_ENTRY_BYTES);
      if (op.size >= MAX_ENTRIES) return send(res, 507, 'the log is full\n');
      let appended;
      try {
        appended = op.append(new Uint8Array(body));
      } catch (err) {
        if (!(err instanceof lib.MedsealError)) throw err;
        return json(send, res, 422, { code: err.code, message: err.message });
      }
      publish(op);
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
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    const path = pathname.slice(TILES_PREFIX.length);
    const body = files.get(path);
    if (body === undefined) return send(res, 404, 'not found\n');
    if (path === 'checkpoint') return send(res, 200, body, 'text/plain; charset=utf-8');
    const extra = path.includes('.p/')
      ? {}
      : { 'Cache-Control': 'public, max-age=31536000, immutable' };
    return send(res, 200, body, 'application/octet-stream', extra);
  }

  return { handle, handleTiles, ready, files };
}

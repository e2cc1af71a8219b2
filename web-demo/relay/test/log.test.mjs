// SPDX-License-Identifier: Apache-2.0
// The relay's log (../log.mjs) over HTTP, with the `medseal` package as a
// client would use it: entries in (core refuses what it must, 422 with the
// code, nothing stored), the checkpoint verified under the operator's key,
// the tiles served as static files in the C2SP tlog-tiles layout, proofs
// that verify against the checkpoints. Needs the package built
// (scripts/build-wasm.sh); the server is composed like the demo's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as medseal from 'medseal';

import { startServer } from '../../server/server.mjs';

let srv;
let tmp;
const people = [];

before(async () => {
  await medseal.init();
  tmp = mkdtempSync(path.join(tmpdir(), 'medseal-log-test-'));
  writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>t</title>');
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    appDir: tmp,
    logSeed: new Uint8Array(32).fill(7),
  });
  for (const b of [1, 2, 3])
    people.push(
      medseal.Identity.fromSeed(new Uint8Array(32).fill(b), {
        name: `Person ${b}`,
        role: b === 1 ? 'patient' : 'clinician',
        created: 1767225600000,
      }),
    );
});

after(async () => {
  for (const p of people) p.dispose();
  await srv?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const get = async (p) => {
  const res = await fetch(new URL(p, srv.url));
  return {
    status: res.status,
    headers: res.headers,
    body: new Uint8Array(await res.arrayBuffer()),
  };
};
const text = (r) => new TextDecoder().decode(r.body);
const post = async (bytes) => {
  const res = await fetch(new URL('/relay/log/entries', srv.url), { method: 'POST', body: bytes });
  return { status: res.status, json: await res.json() };
};
const cardEntry = (card) =>
  new Uint8Array([medseal.LogEntryKind.card, ...new TextEncoder().encode(card)]);

test('log relay: entries checked by core, checkpoint and tiles served statically, proofs verify', async () => {
  const vkey = text(await get('/relay/log/key')).trim();
  const policy = medseal.LogPolicy.create({ logKey: vkey });
  try {
    // The empty log is published at start.
    const c0 = policy.verifyCheckpoint(text(await get('/log/checkpoint')));
    assert.equal(c0.size, 0);

    const a = await post(cardEntry(people[0].card));
    assert.equal(a.status, 201);
    assert.deepEqual(a.json, { index: 0, kind: 2, size: 1 });
    assert.equal((await post(cardEntry(people[1].card))).json.index, 1);
    // Refused by core: the same card again, garbage, too large.
    const again = await post(cardEntry(people[0].card));
    assert.equal(again.status, 422);
    assert.equal(again.json.code, 'INVALID_ARGUMENT');
    assert.equal((await post(new Uint8Array([0x7f, 1]))).json.code, 'UNSUPPORTED_VERSION');
    const big = await fetch(new URL('/relay/log/entries', srv.url), {
      method: 'POST',
      body: new Uint8Array(65536),
    });
    assert.equal(big.status, 413);

    const cp = await get('/log/checkpoint');
    assert.equal(cp.status, 200);
    assert.match(cp.headers.get('content-type'), /^text\/plain/);
    const c2 = policy.verifyCheckpoint(text(cp));
    assert.equal(c2.size, 2);

    // The leaf tile and the entry bundle, as static files.
    const leaves = await get('/log/tile/0/000.p/2');
    assert.equal(leaves.status, 200);
    assert.equal(leaves.headers.get('content-type'), 'application/octet-stream');
    assert.equal(leaves.headers.get('cache-control'), 'no-store');
    const hashes = [cardEntry(people[0].card), cardEntry(people[1].card)].map(medseal.logLeafHash);
    assert.deepEqual(leaves.body, new Uint8Array([...hashes[0], ...hashes[1]]));
    assert.equal((await get('/log/tile/entries/000.p/2')).status, 200);
    // The partial tile of an older size stays (a client that verified that
    // checkpoint may still ask for it); sizes never published do not exist.
    assert.equal((await get('/log/tile/0/000.p/1')).status, 200);
    assert.equal((await get('/log/tile/0/000.p/3')).status, 404);
    assert.equal((await get('/log/tile/0/x')).status, 404);

    await post(cardEntry(people[2].card));
    const c3 = policy.verifyCheckpoint(text(await get('/log/checkpoint')));
    assert.equal(c3.size, 3);
    const consistency = await get('/relay/log/proof/consistency?from=2&to=3');
    medseal.verifyConsistency(2, 3, c2.root, c3.root, consistency.body);
    const inclusion = await get('/relay/log/proof/inclusion?index=2&size=3');
    medseal.verifyInclusion(
      2,
      3,
      medseal.logLeafHash(cardEntry(people[2].card)),
      inclusion.body,
      c3.root,
    );
    const bad = await get('/relay/log/proof/inclusion?index=3&size=3');
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(text(bad)).code, 'INVALID_ARGUMENT');
    assert.equal((await get('/relay/log/proof/inclusion?index=-1&size=3')).status, 400);
    assert.equal((await get('/relay/log/other')).status, 404);
    const put = await fetch(new URL('/log/checkpoint', srv.url), { method: 'PUT', body: 'x' });
    assert.equal(put.status, 405);
    assert.equal((await fetch(new URL('/relay/log/entries', srv.url))).status, 405);
  } finally {
    policy.dispose();
  }
});

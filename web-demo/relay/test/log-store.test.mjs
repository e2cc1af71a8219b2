// SPDX-License-Identifier: Apache-2.0
// The relay's log on SQLite (../log-store.mjs): a restart keeps the log (the
// same checkpoint, tiles and proofs, and appends go on from where they
// stopped); a store edited behind the relay's back is refused at start with
// a core code; bad input over HTTP gets stable answers and the relay keeps
// serving. Needs the package built (scripts/build-wasm.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import * as medseal from 'medseal';

import { startServer } from '../../server/server.mjs';

const SERVER = new URL('../../server/server.mjs', import.meta.url).pathname;

let tmp;
const people = [];

before(async () => {
  await medseal.init();
  tmp = mkdtempSync(path.join(tmpdir(), 'medseal-log-store-'));
  for (const b of [1, 2, 3])
    people.push(
      medseal.Identity.fromSeed(new Uint8Array(32).fill(b), {
        name: `Person ${b}`,
        role: b === 1 ? 'patient' : 'clinician',
        created: 1767225600000,
      }),
    );
});

after(() => {
  for (const p of people) p.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const cardEntry = (card) =>
  new Uint8Array([medseal.LogEntryKind.card, ...new TextEncoder().encode(card)]);

async function client(srv) {
  const get = async (p, init) => {
    const res = await fetch(new URL(p, srv.url), init);
    return {
      status: res.status,
      headers: res.headers,
      body: new Uint8Array(await res.arrayBuffer()),
    };
  };
  const text = (r) => new TextDecoder().decode(r.body);
  const post = async (body, headers) => {
    const res = await get('/relay/log/entries', { method: 'POST', body, headers });
    return { status: res.status, json: JSON.parse(text(res)) };
  };
  return { get, text, post };
}

const start = (dir, extra = {}) =>
  startServer({
    port: 0,
    host: '127.0.0.1',
    appDir: tmp,
    logDb: path.join(dir, 'log.sqlite'),
    logKeyFile: path.join(dir, 'log.sqlite.operator-key'),
    ...extra,
  });

test('log store: a restart keeps the log, its key, its tiles, and appends go on', async () => {
  const dir = mkdtempSync(path.join(tmp, 'restart-'));
  let srv = await start(dir);
  let c = await client(srv);
  const vkey = c.text(await c.get('/relay/log/key')).trim();
  assert.equal((await c.post(cardEntry(people[0].card))).status, 201);
  assert.equal((await c.post(cardEntry(people[1].card))).status, 201);
  const cp2 = c.text(await c.get('/log/checkpoint'));
  const tile2 = (await c.get('/log/tile/0/000.p/2')).body;
  const tile1 = (await c.get('/log/tile/0/000.p/1')).body;
  const bundle = (await c.get('/log/tile/entries/000.p/2')).body;
  await srv.close();
  // The seed is in its own file, owner-only; the database holds no secret.
  const keyFile = path.join(dir, 'log.sqlite.operator-key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(statSync(keyFile).size, 32);

  srv = await start(dir);
  c = await client(srv);
  const policy = medseal.LogPolicy.create({ logKey: vkey });
  try {
    assert.equal(c.text(await c.get('/relay/log/key')).trim(), vkey);
    assert.equal(c.text(await c.get('/log/checkpoint')), cp2);
    assert.deepEqual((await c.get('/log/tile/0/000.p/2')).body, tile2);
    assert.deepEqual((await c.get('/log/tile/0/000.p/1')).body, tile1);
    assert.deepEqual((await c.get('/log/tile/entries/000.p/2')).body, bundle);
    // The operator was rebuilt from the store: a card already in it is
    // refused, a new one goes on at index 2, consistent with before.
    assert.equal((await c.post(cardEntry(people[0].card))).json.code, 'INVALID_ARGUMENT');
    assert.deepEqual((await c.post(cardEntry(people[2].card))).json, {
      index: 2,
      kind: 2,
      size: 3,
    });
    const c2 = policy.verifyCheckpoint(cp2);
    const c3 = policy.verifyCheckpoint(c.text(await c.get('/log/checkpoint')));
    assert.equal(c3.size, 3);
    const proof = (await c.get('/relay/log/proof/consistency?from=2&to=3')).body;
    medseal.verifyConsistency(2, 3, c2.root, c3.root, proof);
  } finally {
    policy.dispose();
    await srv.close();
  }

  // Another operator key for the same store is refused (it would fork the log).
  await assert.rejects(start(dir, { logSeed: new Uint8Array(32).fill(9) }), {
    code: 'SIGNATURE_INVALID',
  });
});

// Edits the stored log, then expects the start to be refused with `code`.
async function refusedAfter(name, edit, code) {
  const dir = mkdtempSync(path.join(tmp, `${name}-`));
  const srv = await start(dir);
  const c = await client(srv);
  for (const p of people) assert.equal((await c.post(cardEntry(p.card))).status, 201);
  await srv.close();
  const db = new Database(path.join(dir, 'log.sqlite'));
  try {
    edit(db);
  } finally {
    db.close();
  }
  await assert.rejects(start(dir), { code });
}

test('log store: an edited, deleted or swapped stored entry or tile is refused at start', async () => {
  await refusedAfter(
    'deleted',
    (db) => db.prepare('DELETE FROM entries WHERE idx = 1').run(),
    'LOG_ENTRY_MISSING',
  );
  await refusedAfter(
    'truncated',
    (db) => db.prepare('DELETE FROM entries WHERE idx = 2').run(),
    'LOG_ENTRY_MODIFIED',
  );
  await refusedAfter(
    'edited',
    (db) => {
      const row = db.prepare('SELECT bytes FROM entries WHERE idx = 1').get();
      const s = row.bytes.toString('latin1').replace('Person 2', 'Person 9');
      db.prepare('UPDATE entries SET bytes = ? WHERE idx = 1').run(Buffer.from(s, 'latin1'));
    },
    'SIGNATURE_INVALID',
  );
  await refusedAfter(
    'swapped',
    (db) => {
      const a = db.prepare('SELECT bytes FROM entries WHERE idx = 0').pluck().get();
      const b = db.prepare('SELECT bytes FROM entries WHERE idx = 2').pluck().get();
      db.prepare('UPDATE entries SET bytes = ? WHERE idx = 0').run(b);
      db.prepare('UPDATE entries SET bytes = ? WHERE idx = 2').run(a);
    },
    'LOG_ENTRY_MODIFIED',
  );
  await refusedAfter(
    'tile',
    (db) => db.prepare("UPDATE files SET bytes = x'00' WHERE path = 'tile/0/000.p/3'").run(),
    'LOG_ENTRY_MODIFIED',
  );
  await refusedAfter(
    'schema',
    (db) => db.prepare("UPDATE meta SET value = '2' WHERE key = 'schema'").run(),
    'UNSUPPORTED_VERSION',
  );
  // A key file that is not a 32-byte seed.
  const dir = mkdtempSync(path.join(tmp, 'key-'));
  writeFileSync(path.join(dir, 'log.sqlite.operator-key'), 'short', { mode: 0o600 });
  await assert.rejects(start(dir), { code: 'INVALID_ARGUMENT' });
});

test('log relay: bad entries, oversize bodies and wrong paths get stable answers, no crash', async () => {
  const srv = await startServer({ port: 0, host: '127.0.0.1', appDir: tmp });
  const c = await client(srv);
  try {
    const bad = [
      [new Uint8Array(0), 'TRUNCATED'],
      [new Uint8Array([0x01]), null],
      [new Uint8Array([0x02]), null],
      [new Uint8Array([0x00, 1, 2, 3]), 'UNSUPPORTED_VERSION'],
      [new Uint8Array([0x01, ...new TextEncoder().encode('{"v":1}')]), null],
      [new Uint8Array([0x02, ...new TextEncoder().encode('not a card')]), null],
      [new Uint8Array([0x02, 0xff, 0xfe, 0x00]), null],
    ];
    for (const [bytes, code] of bad) {
      const r = await c.post(bytes, { 'Content-Type': 'application/octet-stream' });
      assert.equal(r.status, 422, `${bytes.slice(0, 4)}`);
      assert.equal(typeof r.json.code, 'string');
      assert.ok(r.json.code in medseal.ErrorCode, r.json.code);
      if (code) assert.equal(r.json.code, code);
      // No input is echoed back.
      assert.ok(!r.json.message.includes('not a card'));
    }
    const big = await c.get('/relay/log/entries', { method: 'POST', body: new Uint8Array(65536) });
    assert.equal(big.status, 413);
    // The largest allowed body is read and judged by core.
    const max = await c.post(new Uint8Array(65535).fill(0x02));
    assert.equal(max.status, 422);

    for (const p of [
      '/log/tile/0/000.p/0',
      '/log/tile/0/000.p/256',
      '/log/tile/0/001',
      '/log/tile/0/x001',
      '/log/tile/entries/000',
      '/log/tile/entries/000.p/1/',
      '/log/tile/0/%30%30%30.p/1',
      '/log/tile/0/000%00',
      '/log/tile/',
      '/log/',
      '/log/checkpoint/',
      '/log/checkpoint.sqlite',
      `/log/tile/${'9'.repeat(5000)}`,
      "/log/tile/0/000' OR '1'='1",
    ]) {
      const r = await c.get(p);
      assert.equal(r.status, 404, p);
      assert.equal(c.text(r), 'not found\n');
    }
    for (const q of [
      'proof/inclusion?index=0&size=0',
      'proof/inclusion?index=x&size=1',
      'proof/inclusion',
      'proof/consistency?from=2&to=1',
      'proof/consistency?from=0&to=99999999999999999999',
    ]) {
      const r = await c.get(`/relay/log/${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(JSON.parse(c.text(r)).code, 'INVALID_ARGUMENT');
    }
    // Still serving, and nothing was stored.
    const vkey = c.text(await c.get('/relay/log/key')).trim();
    const policy = medseal.LogPolicy.create({ logKey: vkey });
    try {
      assert.equal(policy.verifyCheckpoint(c.text(await c.get('/log/checkpoint'))).size, 0);
    } finally {
      policy.dispose();
    }
    assert.equal((await c.post(cardEntry(people[0].card))).status, 201);
  } finally {
    await srv.close();
  }
});

// `npm start` as a process (needs the built app, like the demo): its log in
// MEDSEAL_LOG_DB survives a restart, under the same key.
async function runServer(db) {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: '0', MEDSEAL_LOG_DB: db },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /medseal demo: (http:\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

test('npm start keeps the log in MEDSEAL_LOG_DB across a restart', async () => {
  const db = path.join(mkdtempSync(path.join(tmp, 'main-')), 'log.sqlite');
  let srv = await runServer(db);
  let c = await client(srv);
  assert.equal((await c.post(cardEntry(people[0].card))).status, 201);
  const cp = c.text(await c.get('/log/checkpoint'));
  await srv.stop();
  assert.equal(statSync(`${db}.operator-key`).mode & 0o777, 0o600);
  srv = await runServer(db);
  c = await client(srv);
  try {
    assert.equal(c.text(await c.get('/log/checkpoint')), cp);
    assert.equal((await c.post(cardEntry(people[1].card))).json.index, 1);
  } finally {
    await srv.stop();
  }
});

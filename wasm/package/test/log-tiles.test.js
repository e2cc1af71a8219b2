// SPDX-License-Identifier: Apache-2.0
// Tiles and the client's tile-based checks (src/log.ts TileSet,
// tilesFor*, LogClient.updateFromTiles / tilesForAudit / auditOwnEntries /
// verifyCard; wasm/bindings/log.cc over core/log/tiles.h, client.h,
// directory.h) on the vector files the native suite reads:
// native-tests/vectors/log/tiles_v1.json and client_v1.json (all ten client
// scenarios). The files are named here: a missing one fails the suite.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

await medseal.init();

const dir = path.join(repoRoot, 'native-tests', 'vectors', 'log');
const tiles = JSON.parse(readFileSync(path.join(dir, 'tiles_v1.json'), 'utf8'));
const client = JSON.parse(readFileSync(path.join(dir, 'client_v1.json'), 'utf8'));
const {
  Identity,
  LogClient,
  LogOperator,
  LogPolicy,
  TileSet,
  logCardEntry,
  tilesForConsistency,
  tilesForInclusion,
  tilesForRoot,
} = medseal;

test('the files have what the suite counts on', () => {
  assert.equal(tiles.trees.length, 6);
  assert.equal(client.scenarios.length, 10);
  assert.equal(client.numberOfScenarios, 10);
});

test('TileSet: every tree of tiles_v1 gives its root and proofs from its tiles alone', () => {
  let roots = 0;
  let inclusions = 0;
  let consistencies = 0;
  for (const t of tiles.trees) {
    const set = TileSet.create();
    for (const p of t.tiles) set.add(p, fromHex(tiles.tiles[p]));
    assert.deepEqual(tilesForRoot(t.size), t.rootTiles, `size ${t.size}`);
    assert.equal(toHex(set.root(t.size)), t.root, `size ${t.size}`);
    roots++;
    for (const c of t.inclusion) {
      assert.deepEqual(tilesForInclusion(c.index, t.size), c.tiles);
      assert.equal(toHex(set.inclusionProof(c.index, t.size)), c.proof);
      assert.equal(toHex(set.leafHash(c.index, t.size)), c.leafHash);
      inclusions++;
    }
    for (const c of t.consistency) {
      assert.deepEqual(tilesForConsistency(c.oldSize, t.size), c.tiles);
      assert.equal(toHex(set.consistencyProof(c.oldSize, t.size)), c.proof);
      consistencies++;
    }
    set.dispose();
  }
  assert.equal(roots, 6);
  assert.ok(inclusions >= 10 && consistencies >= 6, `${inclusions} / ${consistencies}`);
});

test('TileSet: bad paths and bytes get their codes; missing tiles are named', () => {
  const set = TileSet.create();
  let n = 0;
  for (const p of tiles.badPaths) {
    expectCode(() => set.add(p, new Uint8Array(32)), 'MALFORMED');
    n++;
  }
  assert.equal(n, 15);
  expectCode(() => set.add('tile/0/000.p/2', new Uint8Array(63)), 'MALFORMED');
  expectCode(() => set.add('tile/8/000.p/1', new Uint8Array(32)), 'INVALID_ARGUMENT');
  expectCode(() => set.add('tile/0/000', 'bytes'), 'INVALID_ARGUMENT');
  expectCode(() => set.add(7, new Uint8Array(32)), 'INVALID_ARGUMENT');
  const missing = expectCode(() => set.root(300), 'LOG_TRUNCATED');
  assert.match(missing.message, /missing tile tile\/\d\//);
  expectCode(() => set.inclusionProof(5, 3), 'INVALID_ARGUMENT');
  expectCode(() => set.root(-1), 'INVALID_ARGUMENT');
  expectCode(() => set.root(2 ** 53), 'INVALID_ARGUMENT');
  set.dispose();
  expectCode(() => set.root(1), 'DISPOSED');
  expectCode(() => TileSet.prototype.root.call({}, 1), 'INVALID_ARGUMENT');
  assert.throws(() => new TileSet(), TypeError);
  assert.deepEqual(tilesForRoot(1), ['tile/0/000.p/1']);
  assert.deepEqual(tilesForRoot(0), []);
  assert.deepEqual(tilesForConsistency(5, 3), []);
});

function policyOf(p) {
  return LogPolicy.create({
    logKey: client.log.vkey,
    witnesses: p.witnesses.map((w) => client.witnesses[w].vkey),
    quorum: p.quorum,
  });
}

test('LogClient: the ten client_v1 scenarios, audits from their tiles included', () => {
  let steps = 0;
  let audits = 0;
  for (const s of client.scenarios) {
    const policy = policyOf(s.policy);
    const c = LogClient.create(policy);
    for (const st of s.steps) {
      const what = `${s.name}: ${st.op} (${st.rule ?? ''})`;
      let run;
      if (st.op === 'update') run = () => c.update(st.note, fromHex(st.proof));
      else if (st.op === 'verifyEntry')
        run = () => c.verifyEntry(st.index, fromHex(st.entry), fromHex(st.proof));
      else if (st.op === 'track') run = () => c.trackOwnEntry(st.index, fromHex(st.entry));
      else if (st.op === 'audit') {
        const set = TileSet.create();
        for (const [p, hex] of Object.entries(st.files)) set.add(p, fromHex(hex));
        const report = c.auditOwnEntries(set);
        set.dispose();
        assert.equal(report.checked, st.checked, what);
        assert.equal(report.pending, st.pending, what);
        assert.deepEqual(
          report.findings,
          st.findings.map((f) => ({
            index: f.index,
            code: f.error,
            ...(f.foundAt === undefined ? {} : { foundAt: f.foundAt }),
          })),
          what,
        );
        audits++;
        steps++;
        continue;
      } else assert.fail(`unknown op ${st.op}`);
      if (st.result === 'invalid') expectCode(run, st.error);
      else if (st.result === 'valid' || st.result === undefined) run();
      if (st.sizeAfter !== undefined) assert.equal(c.size, st.sizeAfter, what);
      steps++;
    }
    c.dispose();
    policy.dispose();
  }
  assert.equal(audits, 4);
  assert.ok(steps >= 35, `${steps} steps`);
});

// A live log: an operator, two cards, then a growing tree served as tiles.
function people(n) {
  return Array.from({ length: n }, (_, i) =>
    Identity.fromSeed(new Uint8Array([i & 0xff, i >> 8, ...new Array(30).fill(0x40)]), {
      name: `Person ${i}`,
      role: 'clinician',
      created: 1700000000000,
    }),
  );
}

test('LogClient.updateFromTiles, tilesForAudit, auditOwnEntries and verifyCard on a live operator', () => {
  const seed = new Uint8Array(32).fill(0x71);
  const op = LogOperator.fromSeed('medseal.example/log/v1', seed);
  const policy = LogPolicy.create({ logKey: op.verifierKey });
  const c = LogClient.create(policy);
  const who = people(302);
  const own = [];
  const served = new Map();
  const publish = () => {
    const p = op.publish();
    for (const [k, v] of p.tiles) served.set(k, v);
    return p;
  };
  for (let i = 0; i < 3; i++) op.append(logCardEntry(who[i].card));
  const first = publish();
  c.update(first.checkpoint, new Uint8Array(0));
  for (let i = 3; i < 300; i++) {
    // who[300] and who[301] are kept for the fork below.
    const e = logCardEntry(who[i].card);
    const { index } = op.append(e);
    if (i % 97 === 0) {
      c.trackOwnEntry(index, e);
      own.push(index);
    }
  }
  const second = publish();
  const set = TileSet.create();
  for (const p of tilesForConsistency(first.size, second.size)) set.add(p, served.get(p));
  // Without the tiles' consistency the held checkpoint stays.
  const empty = TileSet.create();
  expectCode(() => c.updateFromTiles(second.checkpoint, empty), 'LOG_TRUNCATED');
  assert.equal(c.size, 3);
  assert.equal(c.updateFromTiles(second.checkpoint, set), 300);
  // The client verifies a card it is handed against the checkpoint.
  c.verifyCard(who[150].card, 150, op.inclusionProof(150, 300));
  expectCode(() => c.verifyCard(who[151].card, 150, op.inclusionProof(150, 300)), 'PROOF_INVALID');
  expectCode(() => c.verifyCard(who[150].card, 300, new Uint8Array(0)), 'LOG_ENTRY_MISSING');
  expectCode(() => c.verifyCard('{"no":"card"}', 1, new Uint8Array(0)), 'MALFORMED');
  // The audit of the own entries from exactly the tiles it asks for.
  const wanted = c.tilesForAudit();
  assert.ok(
    wanted.includes('tile/entries/000') && wanted.includes('tile/entries/001.p/44'),
    wanted.join(),
  );
  const audit = TileSet.create();
  for (const p of wanted) audit.add(p, served.get(p));
  assert.deepEqual(c.auditOwnEntries(audit), { checked: own.length, pending: 0, findings: [] });
  // An own entry edited in the served bundle: it no longer matches the
  // checkpoint's tree, so the audit cannot vouch for anything (PROOF_INVALID;
  // an operator that also re-signs the edited tree is the client_v1
  // "audit-edited" scenario above: LOG_ENTRY_MODIFIED).
  const bundle = served.get('tile/entries/001.p/44').slice();
  const at = Buffer.from(bundle).indexOf(Buffer.from(logCardEntry(who[291].card)));
  assert.ok(at > 0);
  bundle[at + 40] ^= 1;
  audit.add('tile/entries/001.p/44', bundle);
  const caught = expectCode(() => c.auditOwnEntries(audit), 'PROOF_INVALID');
  assert.doesNotMatch(caught.message, /Person/);
  // A missing bundle: the audit cannot be done.
  const partial = TileSet.create();
  for (const p of wanted.filter((x) => !x.startsWith('tile/entries/')))
    partial.add(p, served.get(p));
  expectCode(() => c.auditOwnEntries(partial), 'LOG_TRUNCATED');
  // A fork served as tiles: the same key signs another tree of the same size.
  const fork = LogOperator.fromSeed('medseal.example/log/v1', seed);
  for (let i = 0; i < 3; i++) fork.append(logCardEntry(who[i].card));
  for (let i = 4; i < 302; i++) fork.append(logCardEntry(who[i].card));
  const forked = fork.publish();
  const forkTiles = TileSet.create();
  for (const [p, b] of forked.tiles) forkTiles.add(p, b);
  expectCode(() => c.updateFromTiles(forked.checkpoint, forkTiles), 'LOG_FORK');
  assert.equal(c.size, 300);
  // Bad arguments.
  expectCode(() => c.updateFromTiles(second.checkpoint, {}), 'INVALID_ARGUMENT');
  expectCode(() => c.auditOwnEntries(null), 'INVALID_ARGUMENT');
  audit.dispose();
  expectCode(() => c.auditOwnEntries(audit), 'DISPOSED');
  for (const x of [set, empty, partial, forkTiles, c, policy, op, fork]) x.dispose();
});

test('LogClient.auditOwnEntries without a checkpoint is INVALID_ARGUMENT', () => {
  const op = LogOperator.fromSeed('medseal.example/log/v1', new Uint8Array(32).fill(3));
  const policy = LogPolicy.create({ logKey: op.verifierKey });
  const c = LogClient.create(policy);
  const set = TileSet.create();
  expectCode(() => c.auditOwnEntries(set), 'INVALID_ARGUMENT');
  assert.deepEqual(c.tilesForAudit(), []);
  for (const x of [set, c, policy, op]) x.dispose();
});

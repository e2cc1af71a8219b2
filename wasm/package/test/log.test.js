// SPDX-License-Identifier: Apache-2.0
// The verifiable log through the package (src/log.ts, wasm/bindings/log.cc):
// the transparency vectors the native suite reads
// (native-tests/vectors/external/transparency/: transparency-dev/merkle's
// 196 proof probes, the RFC 6962 reference tree, the signed notes of C2SP
// and golang/mod), each file's count asserted so that a missing or short
// file fails; then the log operator a relay runs: append, refusals,
// checkpoints under a LogPolicy, published tiles, proofs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { fromHex, medseal, repoRoot } from '../test-support/helpers.js';

await medseal.init();
const {
  Identity,
  LogClient,
  LogEntryKind,
  LogOperator,
  LogPolicy,
  MedsealError,
  logCardEntry,
  logLeafHash,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
} = medseal;

const dir = path.join(repoRoot, 'native-tests', 'vectors', 'external', 'transparency');
const readJson = (p) => JSON.parse(readFileSync(path.join(dir, p), 'utf8'));
const b64 = (s) => new Uint8Array(Buffer.from(s ?? '', 'base64'));
const concat = (parts) => new Uint8Array(Buffer.concat((parts ?? []).map((p) => Buffer.from(p))));
const codeOf = (fn) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    assert.ok(err instanceof MedsealError, `not a MedsealError: ${err}`);
    return err.code;
  }
};

// Every .json file under merkle-testdata/<kind>/, recursively.
function probes(kind) {
  const root = path.join(dir, 'merkle-testdata', kind);
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json'))
        out.push({ name: path.relative(root, p), ...JSON.parse(readFileSync(p, 'utf8')) });
    }
  };
  walk(root);
  return out;
}

// A probe whose proof has an element that is not 32 bytes (transparency-dev's
// "preceding/trailing garbage": an empty element) has no wire form: proofs
// cross as their hashes back to back (docs/spec/log.md §2.4), where an empty
// element is no bytes at all. Such probes are counted (all must expect an
// error), not run; the native suite runs them on its Proof lists.
const unframed = (c) => (c.proof ?? []).some((h) => b64(h).length !== 32);

test('merkle-testdata: the 98 inclusion probes (6 good, 92 bad; 10 without a wire form)', () => {
  const all = probes('inclusion');
  assert.equal(all.length, 98);
  const skipped = all.filter(unframed);
  assert.equal(skipped.length, 10);
  assert.ok(skipped.every((c) => c.wantErr));
  const cases = all.filter((c) => !unframed(c));
  let good = 0;
  for (const c of cases) {
    const code = codeOf(() =>
      verifyInclusion(
        c.leafIdx,
        c.treeSize,
        b64(c.leafHash),
        concat(c.proof?.map(b64)),
        b64(c.root),
      ),
    );
    assert.equal(code === 'OK', !c.wantErr, `${c.name} (${c.desc}): ${code}`);
    good += c.wantErr ? 0 : 1;
  }
  assert.equal(good, 6);
});

test('merkle-testdata: the 98 consistency probes (6 good, 92 bad; 8 without a wire form)', () => {
  const all = probes('consistency');
  assert.equal(all.length, 98);
  const skipped = all.filter(unframed);
  assert.equal(skipped.length, 8);
  assert.ok(skipped.every((c) => c.wantErr));
  const cases = all.filter((c) => !unframed(c));
  let good = 0;
  for (const c of cases) {
    const code = codeOf(() =>
      verifyConsistency(c.size1, c.size2, b64(c.root1), b64(c.root2), concat(c.proof?.map(b64))),
    );
    assert.equal(code === 'OK', !c.wantErr, `${c.name} (${c.desc}): ${code}`);
    good += c.wantErr ? 0 : 1;
  }
  assert.equal(good, 6);
});

test('rfc6962 reference tree: leaf hashes, the 5 inclusion and 5 consistency proofs', () => {
  const doc = readJson('rfc6962_reference_tree.json');
  const leaves = doc.hasher_vectors.filter((v) => v.op === 'leaf');
  assert.equal(leaves.length, 2);
  for (const v of leaves)
    assert.equal(Buffer.from(logLeafHash(fromHex(v.input_hex))).toString('hex'), v.want);
  const roots = doc.root_hashes_by_tree_size.roots;
  assert.equal(roots.length, 9);
  const inclusion = doc.inclusion_proofs.cases;
  assert.equal(inclusion.length, 5);
  for (const c of inclusion) {
    const leaf = logLeafHash(fromHex(c.leaf_input_hex));
    assert.equal(Buffer.from(leaf).toString('hex'), c.leaf_hash);
    assert.equal(c.root, roots[c.tree_size]);
    const proof = concat(c.proof.map(fromHex));
    verifyInclusion(c.leaf_index, c.tree_size, leaf, proof, fromHex(c.root));
    // One flipped bit of the root: PROOF_INVALID.
    const bad = fromHex(c.root);
    bad[0] ^= 1;
    assert.equal(
      codeOf(() => verifyInclusion(c.leaf_index, c.tree_size, leaf, proof, bad)),
      'PROOF_INVALID',
    );
  }
  const consistency = doc.consistency_proofs.cases;
  assert.equal(consistency.length, 5);
  for (const c of consistency) {
    const proof = concat(c.proof.map(fromHex));
    verifyConsistency(c.size1, c.size2, fromHex(roots[c.size1]), fromHex(roots[c.size2]), proof);
  }
  // Bad input gets its code.
  const r = fromHex(roots[8]);
  assert.equal(
    codeOf(() => verifyInclusion(8, 8, r, new Uint8Array(0), r)),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    codeOf(() => verifyInclusion(0, 8, r, new Uint8Array(31), r)),
    'MALFORMED',
  );
  assert.equal(
    codeOf(() => verifyInclusion(-1, 8, r, new Uint8Array(0), r)),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    codeOf(() => verifyInclusion(0, 2 ** 53, r, new Uint8Array(0), r)),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    codeOf(() => verifyConsistency(0, 8, r, r, new Uint8Array(0))),
    'PROOF_INVALID',
  );
  assert.equal(
    codeOf(() => verifyConsistency(8, 7, r, r, new Uint8Array(0))),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    codeOf(() => verifyConsistency(8, 8, r, r, 'x')),
    'INVALID_ARGUMENT',
  );
});

test('signed notes: the 16 notes of C2SP and golang/mod (6 valid, 10 refused)', () => {
  const doc = readJson('signed_note_checkpoint.json');
  assert.equal(doc.notes.length, 16);
  let valid = 0;
  for (const n of doc.notes) {
    const bytes = fromHex(n.note_hex);
    const results = n.trusted_vkeys.map((k) => codeOf(() => verifyNote(bytes, k)));
    if (n.expect === 'valid') {
      valid++;
      // Every key it names as verifying does; the text is what was signed.
      for (const name of n.verified_by) {
        const k = n.trusted_vkeys.find((v) => v.startsWith(`${name}+`));
        assert.ok(k, n.id);
        const text = verifyNote(bytes, k);
        if (n.text !== undefined) assert.equal(text, n.text, n.id);
      }
      for (const name of n.unverified ?? [])
        assert.ok(!n.trusted_vkeys.some((v) => v.startsWith(`${name}+`)));
    } else {
      assert.ok(!results.includes('OK'), `${n.id}: ${results}`);
      if (n.expect.startsWith('error: malformed'))
        assert.deepEqual(new Set(results), new Set(['MALFORMED']), n.id);
      if (n.expect.startsWith('error: invalid signature'))
        assert.deepEqual(results, ['SIGNATURE_INVALID'], n.id);
    }
  }
  assert.equal(valid, 6);
  assert.equal(doc.bad_vkeys.length, 2);
  const note = fromHex(doc.notes[0].note_hex);
  for (const b of doc.bad_vkeys)
    assert.notEqual(
      codeOf(() => verifyNote(note, b.vkey)),
      'OK',
      b.reason,
    );
});

// The log operator ------------------------------------------------------------

const ORIGIN = 'medseal.example/log/v1';
const seed = (b) => new Uint8Array(32).fill(b);
const cardEntry = (card) => concat([[LogEntryKind.card], Buffer.from(card, 'utf8')]);

test('logCardEntry: 0x02 || the card as medseal writes it; bad cards get their codes', () => {
  const id = Identity.fromSeed(seed(4), {
    name: 'Card Entry',
    role: 'patient',
    created: 1767225600000,
  });
  try {
    assert.deepEqual(logCardEntry(id.card), cardEntry(id.card));
    assert.notEqual(
      codeOf(() => logCardEntry('{}')),
      'OK',
    );
    assert.equal(
      codeOf(() => logCardEntry(42)),
      'INVALID_ARGUMENT',
    );
  } finally {
    id.dispose();
  }
});

test('LogOperator: cards in, checkpoints that verify under a LogPolicy, tiles and proofs', () => {
  const op = LogOperator.fromSeed(ORIGIN, seed(9));
  const people = [1, 2, 3].map((b) =>
    Identity.fromSeed(seed(b), { name: `Person ${b}`, role: 'patient', created: 1767225600000 }),
  );
  try {
    assert.match(op.verifierKey, /^medseal\.example\/log\/v1\+[0-9a-f]{8}\+/);
    const first = op.append(cardEntry(people[0].card));
    assert.deepEqual(first, { index: 0, kind: LogEntryKind.card, size: 1 });
    assert.equal(op.append(cardEntry(people[1].card)).index, 1);
    // Refusals change nothing.
    assert.equal(
      codeOf(() => op.append(cardEntry(people[0].card))),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => op.append(new Uint8Array(0))),
      'TRUNCATED',
    );
    assert.equal(
      codeOf(() => op.append(Uint8Array.of(0x7f, 0x7b, 0x7d))),
      'UNSUPPORTED_VERSION',
    );
    assert.equal(
      codeOf(() => op.append(new Uint8Array(65536))),
      'TOO_LARGE',
    );
    assert.equal(
      codeOf(() => op.append('text')),
      'INVALID_ARGUMENT',
    );
    assert.equal(op.size, 2);

    const policy = LogPolicy.create({ logKey: op.verifierKey });
    const other = LogOperator.fromSeed(ORIGIN, seed(10));
    const strangers = LogPolicy.create({ logKey: other.verifierKey });
    try {
      assert.equal(policy.origin, ORIGIN);
      const p1 = op.publish();
      assert.equal(p1.oldSize, 0);
      assert.equal(p1.size, 2);
      assert.deepEqual([...p1.tiles.keys()], ['tile/0/000.p/2', 'tile/entries/000.p/2']);
      const c1 = policy.verifyCheckpoint(p1.checkpoint);
      assert.equal(c1.origin, ORIGIN);
      assert.equal(c1.size, 2);
      assert.deepEqual(c1.extensions, []);
      assert.equal(c1.note, p1.checkpoint);
      assert.equal(c1.cosignatures, 0);
      assert.equal(
        codeOf(() => strangers.verifyCheckpoint(p1.checkpoint)),
        'SIGNATURE_INVALID',
      );
      const tampered = p1.checkpoint.replace('\n2\n', '\n3\n');
      assert.equal(
        codeOf(() => policy.verifyCheckpoint(tampered)),
        'SIGNATURE_INVALID',
      );
      assert.equal(
        codeOf(() => policy.verifyCheckpoint('no note')),
        'MALFORMED',
      );

      // The leaf tile holds the entries' leaf hashes.
      const leaves = p1.tiles.get('tile/0/000.p/2');
      const entries = [cardEntry(people[0].card), cardEntry(people[1].card)];
      assert.deepEqual(leaves, concat(entries.map(logLeafHash)));

      op.append(cardEntry(people[2].card));
      const p2 = op.publish();
      assert.equal(p2.oldSize, 2);
      assert.equal(p2.size, 3);
      assert.ok(p2.tiles.has('tile/0/000.p/3'));
      assert.ok(!p2.tiles.has('tile/0/000.p/2'));
      const c2 = policy.verifyCheckpoint(p2.checkpoint);
      verifyConsistency(2, 3, c1.root, c2.root, op.consistencyProof(2, 3));
      const leaf = logLeafHash(cardEntry(people[2].card));
      verifyInclusion(2, 3, leaf, op.inclusionProof(2, 3), c2.root);
      assert.equal(
        codeOf(() => verifyInclusion(1, 3, leaf, op.inclusionProof(1, 3), c2.root)),
        'PROOF_INVALID',
      );
      assert.equal(
        codeOf(() => op.inclusionProof(3, 3)),
        'INVALID_ARGUMENT',
      );
      assert.equal(op.checkpoint().split('\n')[1], '3');
    } finally {
      policy.dispose();
      strangers.dispose();
      other.dispose();
    }
    op.dispose();
    assert.equal(
      codeOf(() => op.publish()),
      'DISPOSED',
    );
  } finally {
    for (const p of people) p.dispose();
    op.dispose();
  }
});

test('LogPolicy: witnesses and quorum are checked; bad keys get their codes', () => {
  const op = LogOperator.fromSeed(ORIGIN, seed(9));
  try {
    assert.equal(
      codeOf(() => LogPolicy.create({ logKey: 'nonsense' })),
      'MALFORMED',
    );
    assert.equal(
      codeOf(() => LogPolicy.create({ logKey: op.verifierKey, quorum: 1 })),
      'INVALID_ARGUMENT',
    );
    // An Ed25519 (0x01) key is not a witness key (0x04).
    assert.equal(
      codeOf(() => LogPolicy.create({ logKey: op.verifierKey, witnesses: [op.verifierKey] })),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => LogPolicy.create({ logKey: op.verifierKey, witnesses: 'x' })),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => LogOperator.fromSeed(ORIGIN, seed(1).subarray(1))),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => LogOperator.fromSeed('bad name', seed(1))),
      'INVALID_ARGUMENT',
    );
  } finally {
    op.dispose();
  }
});

test('LogClient: consistent growth accepted; truncation, fork and bad proofs refused with their codes; own entries verified', () => {
  const op = LogOperator.fromSeed(ORIGIN, seed(9));
  const fork = LogOperator.fromSeed(ORIGIN, seed(9)); // the same key, other entries
  const people = [1, 2, 3].map((b) =>
    Identity.fromSeed(seed(b), { name: `Person ${b}`, role: 'patient', created: 1767225600000 }),
  );
  const policy = LogPolicy.create({ logKey: op.verifierKey });
  const client = LogClient.create(policy);
  try {
    assert.equal(client.size, 0);
    op.append(logCardEntry(people[0].card));
    op.append(logCardEntry(people[1].card));
    fork.append(logCardEntry(people[0].card));
    fork.append(logCardEntry(people[2].card));
    const two = op.checkpoint();
    assert.equal(client.update(two, new Uint8Array(0)), 2);
    client.verifyEntry(1, logCardEntry(people[1].card), op.inclusionProof(1, 2));
    client.trackOwnEntry(1, logCardEntry(people[1].card));
    assert.equal(
      codeOf(() => client.verifyEntry(1, logCardEntry(people[0].card), op.inclusionProof(1, 2))),
      'PROOF_INVALID',
    );
    assert.equal(
      codeOf(() => client.verifyEntry(2, logCardEntry(people[0].card), new Uint8Array(0))),
      'LOG_ENTRY_MISSING',
    );
    // A fork: the same size, another root.
    assert.equal(
      codeOf(() => client.update(fork.checkpoint(), new Uint8Array(0))),
      'LOG_FORK',
    );
    op.append(logCardEntry(people[2].card));
    const three = op.checkpoint();
    // A wrong proof is a fork too; nothing changes.
    assert.equal(
      codeOf(() => client.update(three, new Uint8Array(32).fill(7))),
      'LOG_FORK',
    );
    assert.equal(client.size, 2);
    assert.equal(client.update(three, op.consistencyProof(2, 3)), 3);
    // Back to the older checkpoint: truncated.
    assert.equal(
      codeOf(() => client.update(two, new Uint8Array(0))),
      'LOG_TRUNCATED',
    );
    const strangers = LogOperator.fromSeed(ORIGIN, seed(10));
    assert.equal(
      codeOf(() => client.update(strangers.checkpoint(), new Uint8Array(0))),
      'SIGNATURE_INVALID',
    );
    strangers.dispose();

    // The whole history verifies; one entry changed does not.
    const entries = [0, 1, 2].map((i) => logCardEntry(people[i].card));
    const bundle = (list) =>
      concat(list.flatMap((e) => [Uint8Array.of(e.length >> 8, e.length & 255), e]));
    const summary = policy.verifyHistory(three, bundle(entries), 3);
    assert.deepEqual(summary, {
      entries: 3,
      events: 0,
      cards: 3,
      authors: 0,
      breakGlass: 0,
      keyChanges: 0,
    });
    assert.notEqual(
      codeOf(() => policy.verifyHistory(three, bundle([entries[0], entries[2], entries[1]]), 3)),
      'OK',
    );
    assert.notEqual(
      codeOf(() => policy.verifyHistory(three, bundle(entries), 4)),
      'OK',
    );
  } finally {
    client.dispose();
    policy.dispose();
    op.dispose();
    fork.dispose();
    for (const p of people) p.dispose();
  }
});

test('verifyHistory: a log longer than one entry bundle (300 cards: tile/entries/0, 1 and a partial 2, concatenated)', () => {
  const op = LogOperator.fromSeed(ORIGIN, seed(9));
  const policy = LogPolicy.create({ logKey: op.verifierKey });
  const entries = [];
  try {
    for (let i = 0; i < 300; i++) {
      const s = new Uint8Array(32);
      s[0] = i & 255;
      s[1] = i >> 8;
      s[31] = 0x5a;
      const who = Identity.fromSeed(s, {
        name: `Person ${i}`,
        role: 'patient',
        created: 1767225600000,
      });
      try {
        entries.push(logCardEntry(who.card));
      } finally {
        who.dispose();
      }
      op.append(entries[i]);
    }
    const parts = [];
    for (const e of entries) parts.push(Uint8Array.of(e.length >> 8, e.length & 255), e);
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    const note = op.checkpoint();
    assert.equal(policy.verifyHistory(note, all, 300).cards, 300);
    assert.equal(
      codeOf(() => policy.verifyHistory(note, all, 299)),
      'TRAILING_DATA',
    );
    assert.equal(
      codeOf(() => policy.verifyHistory(note, all.subarray(0, all.length - 1), 300)),
      'TRUNCATED',
    );
  } finally {
    policy.dispose();
    op.dispose();
  }
});

// SPDX-License-Identifier: Apache-2.0
// Runs issue #11's vectors through log_impl.mjs, the implementation written from
// docs/spec/log-*.md alone: the RFC 9162 reference tree and transparency-dev's
// 196 proof probes (§2), and medseal's tiles_v1.json (§3). Counts are asserted,
// so a missing file or case fails.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as log from './log_impl.mjs';

const vectors = new URL('../vectors/', import.meta.url);
const read = (p) => fs.readFileSync(new URL(p, vectors), 'utf8');
const load = (p) => JSON.parse(read(p));
const { hex, unhex } = log;
const b64 = (s) => new Uint8Array(Buffer.from(s ?? '', 'base64'));

const outcomeOf = (fn) => {
  try {
    fn();
    return { code: 'OK' };
  } catch (e) {
    if (e instanceof log.SpecError) return { code: e.code, rule: e.rule };
    throw e;
  }
};

test('§2.1 hashes: the RFC 6962 reference tree', () => {
  const t = load('external/transparency/rfc6962_reference_tree.json');
  for (const v of t.hasher_vectors) {
    const got =
      v.op === 'empty_root'
        ? log.emptyRoot()
        : v.op === 'leaf'
          ? log.leafHash(unhex(v.input_hex))
          : log.nodeHash(unhex(v.left_hex), unhex(v.right_hex));
    assert.equal(hex(got), v.want, v.desc);
  }
  assert.equal(t.hasher_vectors.length, 4);
  const leaves = t.leaf_inputs_hex.map((h) => log.leafHash(unhex(h)));
  const sub = log.leavesSource(leaves);
  t.node_hashes_by_level.levels.forEach((lvl, h) =>
    lvl.forEach((want, i) => assert.equal(hex(sub(h, i)), want, `node ${h}/${i}`)),
  );
  assert.equal(t.node_hashes_by_level.levels.flat().length, 15);
  t.root_hashes_by_tree_size.roots.forEach((want, n) =>
    assert.equal(hex(log.root(sub, n)), want, `root of ${n}`),
  );
  assert.equal(t.root_hashes_by_tree_size.roots.length, 9);
  for (const c of t.inclusion_proofs.cases) {
    const proof = log.inclusionProof(sub, c.leaf_index, c.tree_size);
    assert.deepEqual(proof.map(hex), c.proof, `PATH(${c.leaf_index}, ${c.tree_size})`);
    log.verifyInclusion(c.leaf_index, c.tree_size, unhex(c.leaf_hash), proof, unhex(c.root));
  }
  for (const c of t.consistency_proofs.cases) {
    const proof = log.consistencyProof(sub, c.size1, c.size2);
    assert.deepEqual(proof.map(hex), c.proof, `PROOF(${c.size1}, ${c.size2})`);
    log.verifyConsistency(c.size1, c.size2, unhex(c.root1), unhex(c.root2), proof);
  }
  assert.equal(t.inclusion_proofs.cases.length, 5);
  assert.equal(t.consistency_proofs.cases.length, 5);
});

// Reads a probe keeping uint64 values exact.
function probe(file) {
  const text = fs.readFileSync(file, 'utf8');
  const j = JSON.parse(text);
  for (const k of ['leafIdx', 'treeSize', 'size1', 'size2']) {
    const m = new RegExp(`"${k}"\\s*:\\s*(-?[0-9]+)`).exec(text);
    if (m) j[k] = BigInt(m[1]);
  }
  return j;
}
function probes(kind) {
  const dir = new URL(`external/transparency/merkle-testdata/${kind}/`, vectors);
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out.push([path.relative(dir.pathname, p), probe(p)]);
    }
  };
  walk(dir.pathname);
  return out;
}

test('§2.3 verification: 98 inclusion + 98 consistency probes of transparency-dev/merkle', () => {
  const counts = { incOk: 0, incErr: 0, conOk: 0, conErr: 0 };
  for (const [name, p] of probes('inclusion')) {
    const o = outcomeOf(() =>
      log.verifyInclusion(
        p.leafIdx,
        p.treeSize,
        b64(p.leafHash),
        (p.proof ?? []).map(b64),
        b64(p.root),
      ),
    );
    assert.equal(o.code !== 'OK', p.wantErr, `inclusion/${name}: ${p.desc} -> ${o.code} ${o.rule}`);
    counts[p.wantErr ? 'incErr' : 'incOk']++;
  }
  for (const [name, p] of probes('consistency')) {
    const o = outcomeOf(() =>
      log.verifyConsistency(p.size1, p.size2, b64(p.root1), b64(p.root2), (p.proof ?? []).map(b64)),
    );
    assert.equal(
      o.code !== 'OK',
      p.wantErr,
      `consistency/${name}: ${p.desc} -> ${o.code} ${o.rule}`,
    );
    counts[p.wantErr ? 'conErr' : 'conOk']++;
  }
  // log.md "Vectors": 6 accepted + 92 rejected of each kind.
  assert.deepEqual(counts, { incOk: 6, incErr: 92, conOk: 6, conErr: 92 });
});

test('§2.4 proof bytes: MP1, MP2 and the round trip', () => {
  assert.equal(outcomeOf(() => log.parseProof(new Uint8Array(2049))).rule, 'MP1');
  assert.equal(outcomeOf(() => log.parseProof(new Uint8Array(2080))).rule, 'MP1');
  assert.equal(outcomeOf(() => log.parseProof(new Uint8Array(33))).rule, 'MP2');
  assert.equal(log.parseProof(new Uint8Array(2048)).length, 64);
  assert.equal(log.parseProof(new Uint8Array(0)).length, 0);
});

test('§3 tiles: paths, bad paths, trees computed from their tiles alone (tiles_v1.json)', () => {
  const v = load('log/tiles_v1.json');
  for (const p of v.paths) {
    const id = { level: p.level, index: BigInt(p.index), width: p.width, entries: p.entries };
    assert.equal(log.tilePath(id), p.path);
    assert.deepEqual(log.parseTilePath(p.path), id, p.path);
  }
  assert.equal(v.paths.length, 14);
  for (const p of v.badPaths)
    assert.equal(outcomeOf(() => log.parseTilePath(p)).code, 'MALFORMED', p);
  assert.equal(v.badPaths.length, 15);

  const entry = (i) => Uint8Array.of(1, i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255);
  let inc = 0,
    con = 0;
  for (const t of v.trees) {
    const s = t.size;
    const ts = new log.TileSet();
    const bundles = [];
    for (const p of t.tiles) {
      const id = log.parseTilePath(p);
      const bytes = unhex(v.tiles[p]);
      assert.ok(v.tiles[p] !== undefined, `tile ${p} present`);
      if (id.entries) bundles.push([id, bytes]);
      else ts.add(id, bytes);
    }
    if (t.allTiles)
      assert.deepEqual(
        log.tileIdsForTree(s).map(log.tilePath).sort(),
        [...t.tiles].sort(),
        `tiles of ${s}`,
      );
    // §3.3: every entry of every bundle hashes to the level-0 tile's leaf, and is entry i.
    for (const [id, bytes] of bundles) {
      const es = log.parseEntryBundle(bytes, id.width);
      es.forEach((e, k) => {
        const i = Number(id.index) * 256 + k;
        assert.equal(hex(e), hex(entry(i)));
        assert.equal(hex(log.leafHash(e)), hex(ts.leafHashAt(i, s)));
      });
      assert.equal(hex(log.formatEntryBundle(es)), hex(bytes));
    }
    if (t.allTiles) assert.ok(bundles.length > 0);
    assert.equal(hex(ts.root(s)), t.root, `root of ${s}`);
    assert.deepEqual(log.tilesForRoot(s), t.rootTiles, `TilesForRoot(${s})`);
    for (const c of t.inclusion) {
      const leaf = ts.leafHashAt(c.index, s);
      assert.equal(hex(leaf), c.leafHash);
      const proof = ts.inclusionProof(c.index, s);
      assert.equal(hex(log.serializeProof(proof)), c.proof, `inclusion ${c.index} in ${s}`);
      log.verifyInclusion(c.index, s, leaf, log.parseProof(unhex(c.proof)), unhex(t.root));
      assert.deepEqual(
        log.tilesForInclusion(c.index, s),
        c.tiles,
        `TilesForInclusion(${c.index}, ${s})`,
      );
      inc++;
    }
    for (const c of t.consistency) {
      const proof = ts.consistencyProof(c.oldSize, s);
      assert.equal(hex(log.serializeProof(proof)), c.proof, `consistency ${c.oldSize} -> ${s}`);
      assert.equal(hex(ts.root(c.oldSize)), c.oldRoot);
      log.verifyConsistency(
        c.oldSize,
        s,
        unhex(c.oldRoot),
        unhex(t.root),
        log.parseProof(unhex(c.proof)),
      );
      assert.deepEqual(
        log.tilesForConsistency(c.oldSize, s),
        c.tiles,
        `TilesForConsistency(${c.oldSize}, ${s})`,
      );
      con++;
    }
  }
  assert.deepEqual(
    v.trees.map((t) => t.size),
    [1, 255, 256, 257, 513, 65537],
  );
  assert.equal(inc, 12);
  assert.equal(con, 14);
});

test('log.md §10 safety numbers and QR payloads (safety_v1.json)', async () => {
  const spec = await import('./spec_impl.mjs');
  await spec.ready;
  await log.ready;
  const v = load('log/safety_v1.json');
  assert.equal(v.iterations, 1024);
  const cards = {};
  for (const [k, c] of Object.entries(v.cards)) {
    const id = spec.identityFromSeed(
      unhex(c.seed),
      c.name,
      c.role,
      Number(c.created),
      c.cardKeys === 'postQuantum',
    );
    assert.equal(spec.cardJson(id), c.card, `card ${k} from its seed`);
    const card = spec.parseCard(c.card);
    assert.equal(hex(card.kid), c.keyId);
    assert.equal(hex(log.safetyCardKeys(card)), c.safetyCardKeys, `card_keys of ${k}`);
    assert.equal(hex(log.safetyFingerprint(card)), c.fingerprint, `fingerprint of ${k}`);
    assert.equal(log.safetyDigits(card), c.digits, `digits of ${k}`);
    cards[k] = card;
  }
  assert.equal(Object.keys(cards).length, 6);
  for (const p of v.pairs) {
    const [a, b] = [cards[p.a], cards[p.b]];
    assert.equal(log.safetyNumber(a, b), p.safetyNumber, `${p.a}/${p.b}`);
    assert.equal(log.safetyNumber(b, a), p.safetyNumber);
    assert.equal(log.formatSafetyNumber(p.safetyNumber), p.formatted);
    assert.equal(hex(log.safetyQrPayload(a, b)), p.qrAB);
    assert.equal(hex(log.safetyQrPayload(b, a)), p.qrBA);
    log.verifySafetyQr(unhex(p.qrAB), b, a);
    log.verifySafetyQr(unhex(p.qrBA), a, b);
  }
  assert.equal(v.pairs.length, 7);
  assert.equal(
    outcomeOf(() => log.safetyNumber(cards.patient, cards.patient)).code,
    'INVALID_ARGUMENT',
  );
  assert.equal(outcomeOf(() => log.formatSafetyNumber('1234')).code, 'INVALID_ARGUMENT');
  let valid = 0;
  for (const t of v.tests) {
    const o = outcomeOf(() =>
      log.verifySafetyQr(unhex(t.payload), cards[t.scanner], cards[t.shown]),
    );
    const what = `tcId ${t.tcId}: ${t.comment}`;
    if (t.result === 'valid') {
      assert.equal(o.code, 'OK', what);
      valid++;
    } else assert.deepEqual(o, { code: t.error, rule: t.rule }, what);
  }
  assert.equal(v.tests.length, v.numberOfTests);
  assert.deepEqual([valid, v.tests.length], [2, 21]);
});

test('log.md §6-§7 events, salted hashes, chains and entries (event_v1.json)', async () => {
  const spec = await import('./spec_impl.mjs');
  await spec.ready;
  await log.ready;
  const v = load('log/event_v1.json');
  assert.deepEqual(v.labels, { signature: 'medseal/v1/log-event', salt: 'medseal/v1/log-salt' });
  const ids = {};
  const cards = {};
  for (const [k, c] of Object.entries(v.identities)) {
    ids[k] = spec.identityFromSeed(unhex(c.seed), c.name, c.role, c.created);
    assert.equal(spec.cardJson(ids[k]), c.card, `card of ${k}`);
    cards[k] = spec.parseCard(c.card);
  }
  // §6.3: sign the fields, get the exact bytes; parse them back; verify.
  const fromFields = (f) => ({
    type: f.type,
    author: unhex(f.author),
    seq: f.seq,
    prev: unhex(f.prev),
    time: f.time,
    purpose: f.purpose,
    outcome: f.outcome,
    patient: unhex(f.patient),
    recipients: f.recipients.map(unhex),
    subjects: f.subjects.map((s) => ({ kind: s.kind, id: unhex(s.id) })),
    salted: f.salted.map(unhex),
    reason: unhex(f.reason),
  });
  const events = [];
  v.history.forEach((h, i) => {
    const what = `history ${i}: ${h.comment}`;
    assert.equal(Number(h.index), i);
    const e = fromFields(h.fields);
    assert.equal(hex(log.signedBytes(e)), h.signedBytes, what);
    const s = log.signEvent(e, ids[h.signer].signSk);
    assert.equal(hex(s.sig), h.signature, what);
    assert.equal(s.encoded, h.encoded, what);
    assert.equal(hex(log.eventHash(s.encoded)), h.hash, what);
    const entry = new Uint8Array([1, ...Buffer.from(s.encoded)]);
    assert.equal(hex(entry), h.entry, what);
    assert.equal(hex(log.leafHash(entry)), h.leafHash, what);
    const p = log.parseEntry(entry);
    assert.equal(p.kind, 'event');
    assert.deepEqual(log.eventObject(p.event), JSON.parse(h.encoded), what);
    log.verifyEvent(p.event, cards[h.signer]);
    events.push(p.event);
  });
  assert.equal(new Set(events.map((e) => e.type)).size, 9, 'an event of every type');

  // §6.4 salted hashes and the break-glass event's salted values.
  for (const s of v.saltedHashes)
    assert.equal(
      hex(log.saltedHash(unhex(s.salt), s.domain, Buffer.from(s.value))),
      s.hash,
      s.value,
    );
  assert.equal(v.saltedHashes.length, 4);
  const bg = v.breakGlass;
  assert.equal(
    hex(new spec.ChaChaRng(unhex(bg.saltRngSeed)).fill(32)),
    bg.salt,
    'salt from ChaChaRng',
  );
  const bgEvent = events[bg.event];
  assert.equal(bgEvent.type, 'break-glass');
  assert.equal(
    hex(bgEvent.reason),
    hex(log.saltedHash(unhex(bg.salt), 'break-glass-reason', Buffer.from(bg.reason))),
  );
  const labels = bg.labels
    .map((l) => hex(log.saltedHash(unhex(bg.salt), 'sensitivity', Buffer.from(l))))
    .sort();
  assert.deepEqual(bgEvent.salted.map(hex), labels);
  assert.equal(
    outcomeOf(() => log.saltedHash(new Uint8Array(15), 'x', new Uint8Array(0))).code,
    'INVALID_ARGUMENT',
  );
  assert.equal(
    outcomeOf(() => log.saltedHash(new Uint8Array(16), 'a b', new Uint8Array(0))).code,
    'INVALID_ARGUMENT',
  );

  // §6.5 subjects
  const sub = Object.fromEntries(v.subjects.map((s) => [s.kind, s]));
  assert.equal(hex(log.recordSubject(unhex(sub.record.recordBinary))), sub.record.id);
  assert.equal(hex(log.attachmentSubject(unhex(sub.attachment.file))), sub.attachment.id);
  assert.equal(hex(cards[sub.card.card].kid), sub.card.id);
  assert.equal(v.subjects.length, 3);

  // §6.7 chains
  const fork = log.parseEvent(v.fork.encoded);
  assert.equal(hex(log.eventHash(v.fork.encoded)), v.fork.hash);
  for (const c of v.chains) {
    const chains = new log.AuthorChains();
    const seq = c.sequence.map((i) => (i === 'fork' ? fork : events[i]));
    const last = seq.length - 1;
    seq.slice(0, last).forEach((e) => chains.append(e));
    const o = outcomeOf(() => chains.append(seq[last]));
    assert.equal(o.code, c.result === 'valid' ? 'OK' : c.error, c.comment);
  }
  assert.equal(v.chains.length, 7);

  // §6.6 invalid events: the code and the rule.
  for (const t of v.invalidEvents) {
    const o = outcomeOf(() => log.parseEvent(t.input));
    const rule = o.rule?.replace(/^(E\d+)\/(?:.*\/)?(D\d)$/, '$1/$2');
    assert.deepEqual(
      { code: o.code, rule },
      { code: t.error, rule: t.rule },
      `tcId ${t.tcId}: ${t.comment}`,
    );
  }
  assert.equal(v.invalidEvents.length, 47);
  // §6.3 V1-V2
  for (const t of v.badSignatures) {
    const e = log.parseEvent(t.input);
    assert.equal(outcomeOf(() => log.verifyEvent(e, cards[t.signer])).code, t.error, t.comment);
  }
  assert.equal(v.badSignatures.length, 2);

  // §7 entries
  for (const t of v.entries) {
    const p = log.parseEntry(unhex(t.entry));
    assert.equal(p.kind, t.kind, t.comment);
    assert.equal(hex(log.leafHash(unhex(t.entry))), t.leafHash);
    if (t.kind === 'card')
      assert.equal(
        hex(unhex(t.entry).subarray(1)),
        Buffer.from(v.identities[t.card].card).toString('hex'),
      );
    else assert.equal(t.entry, v.history[Number(t.event)].entry);
  }
  assert.equal(v.entries.length, 2);
  for (const t of v.invalidEntries) {
    const o = outcomeOf(() => log.parseEntry(unhex(t.entry)));
    const rule = o.rule?.replace(/\/§[^/]*/, '');
    assert.deepEqual({ code: o.code, rule }, { code: t.error, rule: t.rule }, t.comment);
  }
  assert.equal(v.invalidEntries.length, 6);
});

test('log.md §4-§5 signed notes, vkeys, checkpoint bodies (external signed_note_checkpoint.json)', async () => {
  await log.ready;
  const v = load('external/transparency/signed_note_checkpoint.json');
  const keys = {};
  for (const k of v.keys) {
    const key = log.parseVerifierKey(k.vkey);
    assert.equal(key.name, k.name);
    assert.equal(hex(key.keyId), k.key_id);
    assert.equal(hex(key.pk), k.public_key_hex);
    assert.equal(hex(log.noteKeyId(k.name, 1, key.pk)), k.key_id);
    assert.equal(log.formatVerifierKey(key), k.vkey);
    keys[k.name] = key;
    if (k.skey) {
      // Go's private key format: PRIVATE+KEY+name+hex(id)+base64(0x01 || seed).
      const parts = k.skey.split('+');
      const raw = log.b64std(parts.slice(4).join('+'));
      assert.equal(raw[0], 1);
      const signer = log.noteSigner(k.name, raw.slice(1));
      assert.equal(hex(signer.key.pk), k.public_key_hex);
      keys[k.name].seed = raw.slice(1);
    }
  }
  assert.equal(v.keys.length, 4);
  const badCodes = v.bad_vkeys.map((b) => outcomeOf(() => log.parseVerifierKey(b.vkey)));
  // log.md §4.1: the wrong-length key fails K4 (non-zero unused bits), the unknown algorithm K5.
  assert.deepEqual(badCodes, [
    { code: 'MALFORMED', rule: 'K4' },
    { code: 'UNSUPPORTED_VERSION', rule: 'K5' },
  ]);
  let valid = 0,
    invalid = 0;
  for (const n of v.notes) {
    const bytes = unhex(n.note_hex);
    if (n.note !== undefined) assert.equal(Buffer.from(n.note, 'utf8').toString('hex'), n.note_hex);
    const known = n.trusted_vkeys.map(log.parseVerifierKey);
    const o = outcomeOf(() => log.verifyNote(log.parseNote(bytes), known));
    if (n.expect === 'valid') {
      const note = log.parseNote(bytes);
      assert.equal(
        Buffer.from(note.text).toString('utf8'),
        n.text ?? Buffer.from(note.text).toString('utf8'),
        n.id,
      );
      assert.deepEqual(log.verifyNote(note, known), n.verified_by, n.id);
      assert.equal(hex(log.formatNote(note)), n.note_hex, `FormatNote(ParseNote(x)) = x: ${n.id}`);
      for (const k of known) {
        const line = note.sigs.find((s) => s.name === k.name);
        if (keys[k.name]?.seed && line) {
          // Ed25519 is deterministic: re-signing the text gives the same line.
          const re = log.parseNote(log.noteSigner(k.name, keys[k.name].seed).sign(bytes));
          assert.equal(hex(re.sigs.at(-1).sig), hex(line.sig), `re-signed ${n.id}`);
        }
      }
      if (n.checkpoint) {
        const cp = log.parseCheckpointBody(note.text);
        assert.equal(cp.origin, n.checkpoint.origin);
        assert.equal(cp.size, BigInt(n.checkpoint.size));
        assert.equal(Buffer.from(cp.root).toString('base64'), n.checkpoint.root_hash_b64);
        // §5.4: Go's sumdb heads fail P3 (origin is not the key name).
        const policy = { logKey: known[0], witnesses: [], quorum: 0 };
        assert.deepEqual(
          outcomeOf(() => log.verifyCheckpoint(bytes, policy)),
          {
            code: 'SIGNATURE_INVALID',
            rule: 'P3',
          },
        );
      }
      valid++;
    } else {
      const want = n.expect.startsWith('error: malformed note') ? 'MALFORMED' : 'SIGNATURE_INVALID';
      assert.equal(o.code, want, `${n.id}: ${n.expect} (${o.rule})`);
      invalid++;
    }
  }
  assert.deepEqual([valid, invalid], [6, 10]);
  for (const c of v.checkpoints_parse_only) {
    const note = log.parseNote(Buffer.from(c.note, 'utf8'));
    const cp = log.parseCheckpointBody(note.text);
    assert.deepEqual(
      {
        origin: cp.origin,
        size: Number(cp.size),
        root_hash_b64: Buffer.from(cp.root).toString('base64'),
        extension_lines: cp.extensions,
      },
      c.expect_parse,
    );
    assert.deepEqual(
      note.sigs.map((s) => ({
        name: s.name,
        key_id: hex(s.keyId),
        signature_bytes_after_key_id: s.sig.length,
      })),
      c.signatures,
    );
  }
  assert.equal(v.checkpoints_parse_only.length, 2);
  // transparency-dev/formats bodies: with any root length (ParseCheckpointBody(text, 0)).
  // medseal is stricter (§5.1): trailing empty lines are C7; everything else as Go.
  let bodies = 0;
  for (const c of v.checkpoint_body_parse.cases) {
    const o = outcomeOf(() => log.parseCheckpointBody(c.body, 0));
    const stricter = c.desc === 'valid with trailing newlines';
    assert.equal(o.code === 'OK', !c.want_error && !stricter, `${c.desc}: ${o.code} ${o.rule}`);
    if (stricter) assert.equal(o.rule, 'C7');
    if (o.code === 'OK') {
      const cp = log.parseCheckpointBody(c.body, 0);
      assert.equal(cp.origin, c.want.origin);
      assert.equal(Number(cp.size), c.want.size);
      assert.equal(Buffer.from(cp.root).toString('base64'), c.want.root_hash_b64);
      assert.equal(cp.extensions.map((l) => `${l}\n`).join(''), c.want.rest);
    }
    bodies++;
  }
  assert.equal(bodies, 12);
  for (const c of v.checkpoint_body_marshal.cases)
    assert.equal(
      log
        .formatCheckpointBody({ origin: c.origin, size: c.size, root: log.b64std(c.root_hash_b64) })
        .toString(),
      c.want,
    );
  assert.equal(v.checkpoint_body_marshal.cases.length, 2);
  const t = v.sumdb_tree_format;
  const h = log.leafHash(Buffer.from('hello world'));
  assert.equal(
    log.formatCheckpointBody({ origin: 'go.sum database tree', size: t.size, root: h }).toString(),
    t.want,
  );
  assert.deepEqual(
    t.bad.map((b) => {
      try {
        const cp = log.parseCheckpointBody(b);
        return cp.origin === 'go.sum database tree' ? 'OK' : 'origin';
      } catch (e) {
        return e.rule;
      }
    }),
    ['origin', 'C5', 'C6'],
  );
});

test('log.md §8 the client: updates, entry inclusion, own-entry audits (client_v1.json)', async () => {
  await log.ready;
  const v = load('log/client_v1.json');
  const logKey = log.parseVerifierKey(v.log.vkey);
  assert.equal(logKey.name, v.log.origin);
  const witnesses = Object.fromEntries(
    Object.entries(v.witnesses).map(([n, w]) => [n, log.parseVerifierKey(w.vkey)]),
  );
  const counts = {};
  for (const sc of v.scenarios) {
    const policy = {
      logKey,
      witnesses: sc.policy.witnesses.map((n) => witnesses[n]),
      quorum: sc.policy.quorum,
    };
    const client = new log.LogClient(policy);
    sc.steps.forEach((st, k) => {
      const what = `${sc.name} step ${k} (${st.op})`;
      counts[st.op] = (counts[st.op] ?? 0) + 1;
      if (st.op === 'track') return client.track(Number(st.index), unhex(st.entry));
      if (st.op === 'audit') {
        const files = Object.fromEntries(Object.entries(st.files).map(([p, h]) => [p, unhex(h)]));
        assert.deepEqual(
          Object.keys(st.files).sort(),
          client.tilesForAudit(),
          `TilesForAudit: ${what}`,
        );
        const r = client.audit(files);
        assert.deepEqual(
          r.findings.map(({ rule, ...f }) => f),
          st.findings,
          what,
        );
        assert.deepEqual([r.checked, r.pending], [st.checked, st.pending], what);
        assert.equal(r.findings[0]?.rule, st.rule, `the first finding's rule: ${what}`);
        return;
      }
      const o = outcomeOf(() =>
        st.op === 'update'
          ? client.update(Buffer.from(st.note, 'utf8'), unhex(st.proof))
          : client.verifyEntry(Number(st.index), unhex(st.entry), log.parseProof(unhex(st.proof))),
      );
      if (st.result === 'valid') assert.equal(o.code, 'OK', `${what}: ${o.code} ${o.rule}`);
      else assert.deepEqual(o, { code: st.error, rule: st.rule }, what);
      if (st.sizeAfter !== undefined) assert.equal(String(client.size), String(st.sizeAfter), what);
    });
  }
  assert.equal(v.scenarios.length, v.numberOfScenarios);
  assert.deepEqual(counts, { update: 21, verifyEntry: 3, track: 12, audit: 4 });
});

// SPDX-License-Identifier: Apache-2.0
// Runs native-tests/vectors/log/checkpoint_v1.json through log_impl.mjs (written from
// docs/spec/log.md §4-§5 alone): every note verified under its policy with the
// code and rule of the spec, and every valid note rebuilt byte for byte by signing
// and cosigning as its `build` says. Counts asserted.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import sodium from 'libsodium-wrappers';
import * as log from './log_impl.mjs';

const vectors = new URL('../vectors/', import.meta.url);
const read = (p) => fs.readFileSync(new URL(p, vectors), 'utf8');
const { hex, unhex } = log;
const sodium_pk = (seed) => sodium.crypto_sign_seed_keypair(seed).publicKey;
const outcomeOf = (fn) => {
  try {
    fn();
    return { code: 'OK' };
  } catch (e) {
    if (e instanceof log.SpecError) return { code: e.code, rule: e.rule };
    throw e;
  }
};

test('log.md §5 checkpoints, cosignatures, witness policies (checkpoint_v1.json)', async () => {
  await log.ready;
  // Sizes and timestamps (up to 2^63 - 1) are decimal strings in the file, so plain
  // JSON.parse reads them exactly; a JSON number there would be a defect.
  const v = JSON.parse(read('log/checkpoint_v1.json'));
  const decimal = (x, what) => {
    assert.ok(typeof x === 'string' && /^(0|[1-9][0-9]*)$/.test(x), `${what}: decimal string`);
    return BigInt(x);
  };
  const key = {};
  const seeds = {};
  for (const group of ['logs', 'witnesses'])
    for (const [id, k] of Object.entries(v.keys[group])) {
      key[id] = log.parseVerifierKey(k.vkey);
      seeds[id] = unhex(k.seed);
      const type = group === 'logs' ? 1 : 4;
      const pk = sodium_pk(seeds[id]);
      assert.equal(key[id].type, type, id);
      assert.equal(hex(key[id].pk), hex(pk), `${id}: seed gives the vkey's key`);
      assert.equal(key[id].name, k.name);
    }
  const policies = Object.fromEntries(
    Object.entries(v.policies).map(([n, p]) => [
      n,
      { logKey: key[p.log], witnesses: p.witnesses.map((w) => key[w]), quorum: p.quorum },
    ]),
  );
  let valid = 0,
    built = 0;
  for (const t of v.tests) {
    const what = `tcId ${t.tcId}: ${t.comment}`;
    const bytes = Buffer.from(t.note, 'utf8');
    const o = outcomeOf(() => log.verifyCheckpoint(bytes, policies[t.policy]));
    if (t.result === 'valid') {
      assert.equal(o.code, 'OK', `${what}: ${o.code} ${o.rule}`);
      const r = log.verifyCheckpoint(bytes, policies[t.policy]);
      assert.deepEqual(
        {
          origin: r.checkpoint.origin,
          size: String(r.checkpoint.size),
          root: Buffer.from(r.checkpoint.root).toString('base64'),
          extensions: r.checkpoint.extensions,
        },
        t.checkpoint,
        what,
      );
      assert.deepEqual(
        r.cosignatures.map((c) => ({ witness: c.name, timestamp: String(c.timestamp) })),
        t.cosignatures.map((c) => ({
          witness: c.witness,
          timestamp: String(decimal(c.timestamp, what)),
        })),
        what,
      );
      if (t.build) {
        let note;
        for (const step of t.build) {
          if (step.timestamp === undefined) {
            const body = log.formatCheckpointBody({
              origin: t.checkpoint.origin,
              size: t.checkpoint.size,
              root: log.b64std(t.checkpoint.root),
              extensions: t.checkpoint.extensions,
            });
            note = log.noteSigner(key[step.signer].name, seeds[step.signer]).signText(body);
          } else
            note = log.cosign(
              note,
              key[step.signer].name,
              seeds[step.signer],
              decimal(step.timestamp, what),
            );
        }
        assert.equal(Buffer.from(note).toString('utf8'), t.note, `build: ${what}`);
        built++;
      }
      valid++;
    } else {
      // The vectors write "<outer>/<inner>" (log.md §5.3): "P1/N<n>" for note
      // failures, "P2/C<n>" for body failures, "P5/W<n>" for bad cosignatures;
      // log_impl.mjs reports the N and C rules bare.
      const rule = o.rule?.replace(/^(N\d+)$/, 'P1/$1').replace(/^(C\d+)$/, 'P2/$1');
      assert.deepEqual({ code: o.code, rule }, { code: t.error, rule: t.rule }, what);
    }
  }
  assert.equal(v.tests.length, v.numberOfTests);
  assert.deepEqual([v.tests.length, valid, built], [38, 11, 8]);
});

test('log.md §5.2 type 0x06: the ML-DSA-44 subtree cosignature of torchwood (mldsa_checkpoint.json)', async () => {
  await log.ready;
  const v = JSON.parse(read('external/torchwood-mldsa/mldsa_checkpoint.json'));
  const w = log.parseVerifierKey(v.vkey);
  assert.deepEqual([w.type, w.pk.length, hex(w.keyId), w.name], [6, 1312, v.key_id, v.name]);
  assert.equal(hex(ml_dsa44.keygen(unhex(v.seed_hex)).publicKey), hex(w.pk), 'seed gives the vkey');
  // FIPS 204 pure ML-DSA with the empty context (noble's default).
  const mldsa = (sig, msg, pk) => ml_dsa44.verify(sig, msg, pk);
  const note = log.parseNote(Buffer.from(v.note, 'utf8'));
  const cp = log.parseCheckpointBody(note.text);
  assert.equal(hex(cp.root), hex(log.leafHash(Buffer.from('testonly'))));
  assert.deepEqual([cp.origin, Number(cp.size)], [v.checkpoint.origin, v.checkpoint.size]);
  const line = note.sigs.find((s) => s.name === w.name);
  assert.equal(line.sig.length, 2428);
  assert.equal(log.verifyCosignature(line, w, note.text, mldsa), BigInt(v.timestamp));
  // One bit flipped in the signature, or another size in the body: W3.
  const flipped = { ...line, sig: line.sig.slice() };
  flipped.sig[100] ^= 1;
  assert.equal(outcomeOf(() => log.verifyCosignature(flipped, w, note.text, mldsa)).rule, 'W3');
  const other = Buffer.from(Buffer.from(note.text).toString().replace('\n1\n', '\n2\n'));
  assert.equal(outcomeOf(() => log.verifyCosignature(line, w, other, mldsa)).rule, 'W3');
  // ... and it does not cover extension lines (§5.2): adding one still verifies.
  const ext = Buffer.concat([Buffer.from(note.text), Buffer.from('ext\n')]);
  assert.equal(log.verifyCosignature(line, w, ext, mldsa), 0n);
});

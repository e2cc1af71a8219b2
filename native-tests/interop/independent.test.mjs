// SPDX-License-Identifier: Apache-2.0
// Runs the shared vectors through the independent implementation of the spec
// (spec_impl.mjs): every valid record (v1 and v2) opens and re-seals to the same bytes,
// every invalid one fails with the same code as the C++ core and at the
// rule the vector names, every card verifies or fails the same way, every
// JSON text medseal wrote is its RFC 8785 form (checked with canonicalize,
// the RFC's reference implementation), and the accumulated digest matches.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import canonicalize from 'canonicalize';
import * as spec from './spec_impl.mjs';

await spec.ready;
const vectors = new URL('../vectors/', import.meta.url);
const load = (p) => JSON.parse(fs.readFileSync(new URL(p, vectors), 'utf8'));

function identities(file) {
  const out = {};
  for (const [k, v] of Object.entries(file.identities)) {
    const pq = v.cardKeys === 'postQuantum';
    out[k] = spec.identityFromSeed(spec.unhex(v.seed), v.name, v.role, v.created, pq);
    assert.equal(spec.cardJson(out[k]), v.card, `card of ${k}`);
    if (pq) assert.equal(spec.hex(out[k].xwingSeed), v.xwingSeed, `X-Wing seed of ${k}`);
    assert.equal(canonicalize(JSON.parse(v.card)), v.card, `card of ${k} is in JCS form`);
  }
  assert.ok(Object.keys(out).length > 0, 'no identities');
  return out;
}

// The code and the rule of the first failure, or OK.
const outcomeOf = (fn) => {
  try {
    fn();
    return { code: 'OK' };
  } catch (e) {
    if (e instanceof spec.SpecError) return { code: e.code, rule: e.rule };
    throw e;
  }
};

test('record vectors: open, reject and re-seal as the spec says', () => {
  const file = load('record/record_v1.json');
  const ids = identities(file);
  let valid = 0,
    invalid = 0,
    resealed = 0;
  for (const t of file.tests) {
    const what = `tcId ${t.tcId}: ${t.comment}`;
    const run = () => {
      const r =
        t.encoding === 'binary' ? spec.parseBinary(spec.unhex(t.input)) : spec.parseJson(t.input);
      return spec.open(r, ids[t.opener], ids[t.sender]);
    };
    if (t.result === 'valid') {
      const p = run();
      assert.equal(p.contentType, t.payload.contentType, what);
      assert.equal(p.recordId, t.payload.recordId, what);
      assert.equal(p.resourceType, t.payload.resourceType, what);
      assert.equal(p.created, t.payload.created, what);
      assert.equal(spec.hex(p.body), t.payload.body, what);
      if (t.encoding === 'json')
        assert.equal(canonicalize(JSON.parse(t.input)), t.input, `${what}: JCS form`);
      valid++;
      assert.ok(t.seal, `${what}: a valid case carries its sealing inputs`);
      const rng = new spec.ChaChaRng(spec.unhex(t.seal.rngSeed));
      const payload = { ...t.seal.payload, body: spec.unhex(t.seal.payload.body) };
      const r = spec.seal(
        ids[t.sender],
        t.seal.recipients.map((n) => ids[n]),
        payload,
        rng,
        t.seal.now,
      );
      const out = t.encoding === 'binary' ? spec.hex(spec.encodeBinary(r)) : spec.encodeJson(r);
      assert.equal(out, t.input, `${what}: re-seal`);
      resealed++;
    } else {
      assert.equal(t.result, 'invalid', what);
      assert.deepEqual(outcomeOf(run), { code: t.error, rule: t.rule }, what);
      invalid++;
    }
  }
  assert.equal(valid + invalid, file.numberOfTests);
  assert.equal(resealed, valid);
  assert.ok(valid > 0 && invalid > 0);
});

test('record v2 vectors: open for a purpose, reject and re-seal as the spec says', () => {
  const file = load('record/record_v2.json');
  const ids = identities(file);
  const vaults = {};
  let generated = 0;
  for (const [k, v] of Object.entries(file.vaultKeys)) {
    vaults[k] = { id: spec.unhex(v.keyId), key: spec.unhex(v.key) };
    if (v.rngSeed) {
      const g = spec.generateVaultKey(new spec.ChaChaRng(spec.unhex(v.rngSeed)));
      assert.equal(spec.hex(g.id), v.keyId, `vault key ${k}: id`);
      assert.equal(spec.hex(g.key), v.key, `vault key ${k}: key`);
      generated++;
    }
  }
  assert.ok(generated > 60);
  let valid = 0,
    invalid = 0,
    resealed = 0,
    byVault = 0;
  for (const t of file.tests) {
    const what = `tcId ${t.tcId}: ${t.comment}`;
    const parse = () =>
      t.encoding === 'binary' ? spec.parseBinary(spec.unhex(t.input)) : spec.parseJson(t.input);
    const run = () => {
      const r = parse();
      return t.opener.vaultKey !== undefined
        ? spec.openWithVault(r, vaults[t.opener.vaultKey], ids[t.sender], t.purpose)
        : spec.open(r, ids[t.opener.identity], ids[t.sender], t.purpose);
    };
    if (t.result !== 'valid') {
      assert.equal(t.result, 'invalid', what);
      assert.deepEqual(outcomeOf(run), { code: t.error, rule: t.rule }, what);
      invalid++;
      continue;
    }
    const p = run();
    assert.equal(p.contentType, t.payload.contentType, what);
    assert.equal(p.recordId, t.payload.recordId, what);
    assert.equal(p.resourceType, t.payload.resourceType, what);
    assert.equal(p.created, t.payload.created, what);
    assert.equal(spec.hex(p.body), t.payload.body, what);
    if (t.opener.vaultKey !== undefined) byVault++;
    const r = parse();
    const header = {
      version: r.version,
      purposes: r.version === 2 ? r.purposes.map((x) => ({ system: x.system, code: x.code })) : [],
      consentHashes: r.version === 2 ? r.consents.map(spec.hex) : [],
      stanzas: r.stanzas.map((s) => ({ type: s.type ?? 1, keyId: spec.hex(s.kid) })),
    };
    assert.deepEqual(header, t.header, `${what}: header`);
    if (t.encoding === 'json')
      assert.equal(canonicalize(JSON.parse(t.input)), t.input, `${what}: JCS form`);
    valid++;
    if (!t.seal) continue;
    const s = t.seal;
    const sealed = spec.sealV2(
      ids[t.sender],
      s.recipients.map((n) => ids[n]),
      s.vaultKeys.map((n) => vaults[n]),
      { ...s.payload, body: spec.unhex(s.payload.body) },
      s.purposes,
      s.consentHashes.map(spec.unhex),
      new spec.ChaChaRng(spec.unhex(s.rngSeed)),
      s.now,
      (s.extraStanzas ?? []).map((e) => ({
        type: e.type,
        kid: spec.unhex(e.keyId),
        body: spec.unhex(e.body),
      })),
    );
    const out =
      t.encoding === 'binary' ? spec.hex(spec.encodeBinary(sealed)) : spec.encodeJson(sealed);
    assert.equal(out, t.input, `${what}: re-seal`);
    resealed++;
  }
  assert.equal(valid + invalid, file.numberOfTests);
  assert.ok(valid > 10 && invalid > 100 && resealed >= 12 && byVault > 3);
});

for (const name of ['identity/card_v1.json', 'identity/card_v2.json'])
  test(`card vectors: ${name}`, () => {
    const file = load(name);
    identities(file);
    let n = 0;
    for (const t of file.tests) {
      const what = `tcId ${t.tcId}: ${t.comment}`;
      if (t.result === 'valid') {
        assert.equal(outcomeOf(() => spec.parseCard(t.card)).code, 'OK', what);
        assert.equal(canonicalize(JSON.parse(t.card)), t.card, `${what}: JCS form`);
        if ('keyTypes' in t) {
          const c = spec.parseCard(t.card);
          assert.equal(c.version, t.version, what);
          assert.deepEqual(c.keys?.map((k) => k.type) ?? [], t.keyTypes, what);
          assert.equal(c.xwingPk !== undefined, t.postQuantum, what);
        }
      } else {
        assert.equal(t.result, 'invalid', what);
        assert.deepEqual(
          outcomeOf(() => spec.parseCard(t.card)),
          { code: t.error, rule: t.rule },
          what,
        );
      }
      n++;
    }
    assert.equal(n, file.numberOfTests);
    assert.ok(n > 0);
  });

test('accumulated randomized test gives the same digest', () => {
  const acc = load('record/accumulated.json');
  const rng = new spec.ChaChaRng(new Uint8Array(32));
  const mk = (b, n, r) => spec.identityFromSeed(new Uint8Array(32).fill(b), n, r, 1700000000000);
  const sender = mk(1, 'Patient P', 'patient');
  const R = [
    mk(2, 'Dr. C', 'clinician'),
    mk(3, 'Nurse N', 'nurse'),
    mk(4, 'Outsider O', 'clinician'),
  ];
  const h = crypto.createHash('blake2b512');
  for (let i = 0; i < acc.iterations; i++) {
    const b = rng.fill(2);
    const body = rng.fill((b[0] + 256 * b[1]) % 2048);
    const now = 1700000000000 + i;
    const r = spec.seal(
      sender,
      R.slice(0, 1 + (i % 3)),
      { contentType: 'application/octet-stream', recordId: `r${i}`, resourceType: 'Binary', body },
      rng,
      now,
    );
    const bin = spec.encodeBinary(r);
    h.update(bin);
    const opened = spec.open(spec.parseBinary(bin), R[0], sender);
    assert.equal(spec.hex(opened.body), spec.hex(body));
    assert.equal(opened.created, now);
  }
  assert.equal(h.digest('hex'), acc.blake2b512);
});

// ---- record_v2_pq.json: post-quantum (type 3, X-Wing) stanzas ----

// The identities of the post-quantum file, rebuilt from their seeds (spec
// §3, §6: a post-quantum one has a version 2 card with its X-Wing key).
function identitiesPq(file) {
  const out = {};
  for (const [k, v] of Object.entries(file.identities)) {
    assert.ok(v.cardKeys === 'classic' || v.cardKeys === 'postQuantum', k);
    const pq = v.cardKeys === 'postQuantum';
    out[k] = spec.identityFromSeed(spec.unhex(v.seed), v.name, v.role, v.created, pq);
    assert.equal(spec.cardJson(out[k]), v.card, `card of ${k}`);
    assert.equal(spec.hex(out[k].kid), v.keyId, `key id of ${k}`);
    assert.equal(spec.xwingPkOf(out[k]) !== null, pq, `X-Wing key of ${k}`);
  }
  return out;
}

test('record v2 post-quantum vectors: open, reject and re-seal as the spec says', () => {
  const file = load('record/record_v2_pq.json');
  const ids = identitiesPq(file);
  const vaults = {};
  for (const [k, v] of Object.entries(file.vaultKeys)) {
    const g = spec.generateVaultKey(new spec.ChaChaRng(spec.unhex(v.rngSeed)));
    assert.equal(spec.hex(g.id), v.keyId, `vault key ${k}`);
    vaults[k] = g;
  }
  let valid = 0,
    invalid = 0,
    resealed = 0,
    xwingOpened = 0;
  const rules = new Set();
  for (const t of file.tests) {
    const what = `tcId ${t.tcId}: ${t.comment}`;
    const parse = () =>
      t.encoding === 'binary' ? spec.parseBinary(spec.unhex(t.input)) : spec.parseJson(t.input);
    const run = () => {
      const r = parse();
      return t.opener.vaultKey !== undefined
        ? spec.openWithVault(r, vaults[t.opener.vaultKey], ids[t.sender], t.purpose)
        : spec.open(r, ids[t.opener.identity], ids[t.sender], t.purpose);
    };
    if (t.result !== 'valid') {
      assert.equal(t.result, 'invalid', what);
      assert.deepEqual(outcomeOf(run), { code: t.error, rule: t.rule }, what);
      rules.add(t.rule);
      invalid++;
      continue;
    }
    const p = run();
    assert.equal(p.contentType, t.payload.contentType, what);
    assert.equal(p.created, t.payload.created, what);
    assert.equal(spec.hex(p.body), t.payload.body, what);
    const r = parse();
    if (
      t.opener.identity !== undefined &&
      r.stanzas.some(
        (s) => s.type === 3 && spec.hex(s.kid) === spec.hex(ids[t.opener.identity].kid),
      )
    )
      xwingOpened++;
    const pq = r.stanzas.map((s) => spec.postQuantumStanza(s.type));
    assert.deepEqual(
      {
        version: r.version,
        postQuantum: pq.every((x) => x),
        purposes: r.purposes.map((x) => ({ system: x.system, code: x.code })),
        consentHashes: r.consents.map(spec.hex),
        stanzas: r.stanzas.map((s, i) => ({
          type: s.type,
          keyId: spec.hex(s.kid),
          postQuantum: pq[i],
        })),
      },
      t.header,
      `${what}: header`,
    );
    if (t.encoding === 'json')
      assert.equal(canonicalize(JSON.parse(t.input)), t.input, `${what}: JCS form`);
    valid++;
    if (!t.seal) continue;
    const s = t.seal;
    const sealed = spec.sealV2(
      ids[t.sender],
      s.recipients.map((n) => ids[n]),
      s.vaultKeys.map((n) => vaults[n]),
      { ...s.payload, body: spec.unhex(s.payload.body) },
      s.purposes,
      s.consentHashes.map(spec.unhex),
      new spec.ChaChaRng(spec.unhex(s.rngSeed)),
      s.now,
      (s.extraStanzas ?? []).map((e) => ({
        type: e.type,
        kid: spec.unhex(e.keyId),
        body: spec.unhex(e.body),
      })),
    );
    const out =
      t.encoding === 'binary' ? spec.hex(spec.encodeBinary(sealed)) : spec.encodeJson(sealed);
    assert.equal(out, t.input, `${what}: re-seal`);
    resealed++;
  }
  assert.equal(valid + invalid, file.numberOfTests);
  assert.ok(valid >= 10 && invalid >= 20 && resealed >= 10 && xwingOpened >= 6);
  for (const rule of ['H1', 'H2', 'O1', 'O4', 'W19', 'W20', 'W21', 'K27', 'K28', 'K29'])
    assert.ok(rules.has(rule), `no case for ${rule}`);
});

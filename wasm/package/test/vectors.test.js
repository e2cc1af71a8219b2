// The shared test vectors (native-tests/vectors/, docs/spec/record.md §9),
// run through the WebAssembly build: the same files the native suite reads.
// MEDSEAL_VECTORS_DIR overrides the folder (for trying out a new generator).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

const { Identity, DeterministicRng, sealRecord, openRecord, verifyRecord, parseCard, MedsealError } = medseal;

await medseal.init();

const vectorsDir = process.env.MEDSEAL_VECTORS_DIR ?? path.join(repoRoot, 'native-tests', 'vectors');
const recordDir = path.join(vectorsDir, 'record');
const identityDir = path.join(vectorsDir, 'identity');

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function jsonFiles(dir, except = []) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json') && !except.includes(f)).sort()
    .map((f) => path.join(dir, f));
}

// Wycheproof-style files keep cases in `tests` (or in `testGroups[].tests`).
function casesOf(file) {
  const cases = [...(file.tests ?? [])];
  for (const group of file.testGroups ?? []) cases.push(...(group.tests ?? []));
  return cases;
}

// `identities`: an object keyed by the names the cases use (or an array of
// entries naming themselves with `id` or `name`). Each entry is rebuilt from
// its seed, and its card and key id, when given, must match.
function loadIdentities(file) {
  const entries = Array.isArray(file.identities)
    ? file.identities.map((e) => [e.id ?? e.name, e])
    : Object.entries(file.identities ?? {});
  const byName = new Map();
  for (const [key, e] of entries) {
    const identity = Identity.fromSeed(fromHex(e.seed), { name: e.name, role: e.role, created: e.created });
    if (e.card !== undefined) assert.equal(identity.card, e.card, `card of identity ${key}`);
    // Binary values in the vector files are hex; the API's key ids are base64url.
    if (e.keyId !== undefined) {
      assert.equal(Buffer.from(identity.keyId, 'base64url').toString('hex'), e.keyId, `key id of identity ${key}`);
    }
    byName.set(key, identity);
  }
  return byName;
}

function disposeAll(identities) {
  for (const id of identities.values()) id.dispose();
}

function errorCodeOf(fn) {
  try {
    fn();
  } catch (e) {
    if (e instanceof MedsealError) return e.code;
    throw e;
  }
  return undefined;
}

function payloadInput(p) {
  return { body: fromHex(p.body), contentType: p.contentType, recordId: p.recordId ?? '',
           resourceType: p.resourceType ?? '' };
}

for (const file of jsonFiles(recordDir, ['accumulated.json'])) {
  test(`record vectors: ${path.relative(vectorsDir, file)}`, async (t) => {
    const data = readJson(file);
    const identities = loadIdentities(data);
    const person = (name) => {
      const id = identities.get(name);
      assert.ok(id, `unknown identity ${name}`);
      return id;
    };
    const cases = casesOf(data);
    assert.ok(cases.length > 0, 'no test cases');
    try {
      for (const c of cases) {
        await t.test(`tcId ${c.tcId}: ${c.comment ?? ''}`, () => {
          const input = c.encoding === 'binary' ? fromHex(c.input) : c.input;
          assert.ok(c.encoding === 'binary' || c.encoding === 'json', `encoding ${c.encoding}`);
          const sender = person(c.sender);
          const opener = c.opener === undefined ? undefined : person(c.opener);
          // Procedure (spec §9): parse; verify with the sender's card; open.
          const run = () => {
            verifyRecord(sender.card, input);
            return opener === undefined ? undefined : openRecord(opener, sender.card, input);
          };
          if (c.result === 'invalid') {
            assert.equal(errorCodeOf(run), c.error);
            return;
          }
          assert.equal(c.result, 'valid');
          const opened = run();
          if (c.payload !== undefined) {
            assert.ok(opened, 'a valid case with a payload needs an opener');
            assert.deepEqual({ ...opened, body: toHex(opened.body) }, {
              body: c.payload.body, contentType: c.payload.contentType, recordId: c.payload.recordId ?? '',
              resourceType: c.payload.resourceType ?? '', created: c.payload.created,
            });
          }
          if (c.seal !== undefined) {
            const rng = new DeterministicRng(fromHex(c.seal.rngSeed));
            try {
              const sealed = sealRecord(sender, c.seal.recipients.map((n) => person(n).card),
                                        payloadInput(c.seal.payload),
                                        { rng, now: c.seal.now, encoding: c.encoding });
              if (c.encoding === 'binary') assert.equal(toHex(sealed), c.input);
              else assert.equal(sealed, c.input);
            } finally {
              rng.dispose();
            }
          }
        });
      }
    } finally {
      disposeAll(identities);
    }
  });
}

for (const file of jsonFiles(identityDir)) {
  test(`card vectors: ${path.relative(vectorsDir, file)}`, async (t) => {
    const data = readJson(file);
    disposeAll(loadIdentities(data));  // rebuilding each identity checks its card
    for (const c of casesOf(data)) {
      await t.test(`tcId ${c.tcId}: ${c.comment ?? ''}`, () => {
        if (c.result === 'invalid') {
          assert.equal(errorCodeOf(() => parseCard(c.card)), c.error);
          return;
        }
        assert.equal(c.result, 'valid');
        // The API has no card serializer for a parsed card (Identity.card is
        // the serialized form, checked through `identities` above), so check
        // that the verified fields are the ones in the text.
        const parsed = parseCard(c.card);
        const json = JSON.parse(c.card);
        assert.deepEqual({
          kid: parsed.keyId, name: parsed.name, role: parsed.role, created: parsed.created,
          sign: Buffer.from(parsed.signPublicKey).toString('base64url'),
          kx: Buffer.from(parsed.kxPublicKey).toString('base64url'),
        }, { kid: json.kid, name: json.name, role: json.role, created: json.created, sign: json.sign, kx: json.kx });
      });
    }
  });
}

// docs/spec/record.md §9, record/accumulated.json.
function accumulatedDigest(iterations) {
  const created = 1700000000000;
  const rng = new DeterministicRng(new Uint8Array(32));
  const make = (byte, name, role) =>
    Identity.fromSeed(new Uint8Array(32).fill(byte), { name, role, created });
  const sender = make(1, 'Patient P', 'patient');
  const r = [make(2, 'Dr. C', 'clinician'), make(3, 'Nurse N', 'nurse'), make(4, 'Outsider O', 'clinician')];
  const cards = r.map((id) => id.card);
  const h = createHash('blake2b512');
  try {
    for (let i = 0; i < iterations; i++) {
      const b = rng.fill(2);
      const len = (b[0] + 256 * b[1]) % 2048;
      const body = rng.fill(len);
      const now = created + i;
      const sealed = sealRecord(sender, cards.slice(0, 1 + (i % 3)), {
        body, contentType: 'application/octet-stream', recordId: `r${i}`, resourceType: 'Binary',
      }, { rng, now });
      h.update(sealed);
      const opened = openRecord(r[0], sender.card, sealed);
      assert.deepEqual(opened.body, body, `round ${i}: body`);
      assert.equal(opened.created, now, `round ${i}: created`);
    }
  } finally {
    rng.dispose();
    sender.dispose();
    for (const id of r) id.dispose();
  }
  return h.digest('hex');
}

const accumulatedFile = path.join(recordDir, 'accumulated.json');
test('accumulated randomized record test', { skip: !existsSync(accumulatedFile) && 'record/accumulated.json not generated yet' }, () => {
  const { iterations, blake2b512 } = readJson(accumulatedFile);
  assert.ok(Number.isSafeInteger(iterations) && iterations > 0, 'iterations');
  assert.equal(accumulatedDigest(iterations), blake2b512);
});

test('vector files are present', { skip: jsonFiles(recordDir, ['accumulated.json']).length === 0 && 'native-tests/vectors/record/ has no vector files yet' }, () => {
  assert.ok(jsonFiles(recordDir).length > 0);
});

// SPDX-License-Identifier: Apache-2.0
// The shared test vectors (native-tests/vectors/, docs/spec/record.md §11),
// run through the WebAssembly build: the same files the native suite reads.
// Opening, verifying and card cases go through the production package
// ('medseal'); the seal known answers and the accumulated digest need a
// DeterministicRng, so they go through 'medseal/testing' (the same core,
// with the known-answer helpers).
//
// The files are listed here, not discovered: a missing folder or file fails
// the suite (as it fails the native one), and so does a vector file that
// this list does not name, so that no file goes unread. MEDSEAL_VECTORS_DIR
// overrides the folder (for trying out a new generator).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { fromHex, medseal, repoRoot, testing, toHex } from '../test-support/helpers.js';

await medseal.init();
await testing.init();

const vectorsDir =
  process.env.MEDSEAL_VECTORS_DIR ?? path.join(repoRoot, 'native-tests', 'vectors');
const CARD_FILES = ['identity/card_v1.json', 'identity/card_v2.json'];
const RECORD_FILES = ['record/record_v1.json'];
const RECORD_V2_FILE = 'record/record_v2.json';
const ACCUMULATED_FILE = 'record/accumulated.json';
// Post-quantum records: run by record-v2-pq.test.js (it needs cards with
// X-Wing keys), listed here so that the folder check below knows it.
const RECORD_V2_PQ_FILE = 'record/record_v2_pq.json';
const AREAS = ['identity', 'record'];

// Throws (fails the test) when the file is missing or not JSON.
function readVector(name) {
  return JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8'));
}

test('the vector folders hold exactly the files this suite runs', () => {
  const found = AREAS.flatMap((area) =>
    readdirSync(path.join(vectorsDir, area))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${area}/${f}`),
  ).sort();
  assert.deepEqual(
    found,
    [...CARD_FILES, ...RECORD_FILES, RECORD_V2_FILE, RECORD_V2_PQ_FILE, ACCUMULATED_FILE].sort(),
  );
});

// Wycheproof-style files keep cases in `tests`; numberOfTests must match, so
// that a truncated or empty file fails instead of passing vacuously.
function casesOf(file, name) {
  const cases = [...(file.tests ?? [])];
  for (const group of file.testGroups ?? []) cases.push(...(group.tests ?? []));
  assert.ok(cases.length > 0, `${name}: no test cases`);
  assert.equal(cases.length, file.numberOfTests, `${name}: numberOfTests`);
  assert.equal(new Set(cases.map((c) => c.tcId)).size, cases.length, `${name}: a tcId repeats`);
  return cases;
}

// `identities`: an object keyed by the names the cases use. Each entry is
// rebuilt from its seed in `lib` (post-quantum when `cardKeys` says so), and
// its card and key id must match.
function loadIdentities(lib, file) {
  const entries = Object.entries(file.identities ?? {});
  assert.ok(entries.length > 0, 'no identities');
  const byName = new Map();
  for (const [key, e] of entries) {
    const identity = lib.Identity.fromSeed(fromHex(e.seed), {
      name: e.name,
      role: e.role,
      created: e.created,
      postQuantum: e.cardKeys === 'postQuantum',
    });
    assert.equal(identity.card, e.card, `card of identity ${key}`);
    // Binary values in the vector files are hex; the API's key ids are base64url.
    assert.equal(
      Buffer.from(identity.keyId, 'base64url').toString('hex'),
      e.keyId,
      `key id of identity ${key}`,
    );
    byName.set(key, identity);
  }
  return byName;
}

function disposeAll(identities) {
  for (const id of identities.values()) id.dispose();
}

// The code of the MedsealError that fn() throws; fails if it throws
// something else or nothing.
function errorCodeOf(lib, fn) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof lib.MedsealError, `expected a MedsealError, got ${error}`);
  return error.code;
}

function payloadInput(p) {
  return {
    body: fromHex(p.body),
    contentType: p.contentType,
    recordId: p.recordId ?? '',
    resourceType: p.resourceType ?? '',
  };
}

for (const name of RECORD_FILES) {
  test(`record vectors: ${name}`, async (t) => {
    const data = readVector(name);
    const cases = casesOf(data, name);
    const identities = loadIdentities(medseal, data);
    const person = (who) => {
      const id = identities.get(who);
      assert.ok(id, `unknown identity ${who}`);
      return id;
    };
    let ran = 0;
    try {
      for (const c of cases) {
        await t.test(`tcId ${c.tcId}: ${c.comment ?? ''}`, () => {
          assert.ok(c.encoding === 'binary' || c.encoding === 'json', `encoding ${c.encoding}`);
          const input = c.encoding === 'binary' ? fromHex(c.input) : c.input;
          const sender = person(c.sender);
          const opener = c.opener === undefined ? undefined : person(c.opener);
          // Procedure (spec §11): parse; verify with the sender's card; open.
          const run = () => {
            medseal.verifyRecord(sender.card, input);
            return opener === undefined
              ? undefined
              : medseal.openRecord(opener, sender.card, input);
          };
          if (c.result === 'invalid') {
            assert.equal(errorCodeOf(medseal, run), c.error);
          } else {
            assert.equal(c.result, 'valid');
            const opened = run();
            if (c.payload !== undefined) {
              assert.ok(opened, 'a valid case with a payload needs an opener');
              assert.deepEqual(
                { ...opened, body: toHex(opened.body) },
                {
                  body: c.payload.body,
                  contentType: c.payload.contentType,
                  recordId: c.payload.recordId ?? '',
                  resourceType: c.payload.resourceType ?? '',
                  created: c.payload.created,
                },
              );
            }
          }
          ran++;
        });
      }
    } finally {
      disposeAll(identities);
    }
    assert.equal(ran, cases.length, 'cases run');
  });

  // The seal known answers: sealing the case's payload with its RNG seed
  // gives the case's input, byte for byte.
  test(`seal known answers: ${name} (medseal/testing)`, async (t) => {
    const data = readVector(name);
    const known = casesOf(data, name).filter((c) => c.seal !== undefined);
    assert.ok(known.length > 0, `${name} has no seal known answers`);
    const identities = loadIdentities(testing, data);
    let reproduced = 0;
    try {
      for (const c of known) {
        await t.test(`tcId ${c.tcId}: ${c.comment ?? ''}`, () => {
          assert.equal(c.result, 'valid', 'a known answer is a valid record');
          const rng = new testing.DeterministicRng(fromHex(c.seal.rngSeed));
          try {
            const sealed = testing.sealRecord(
              identities.get(c.sender),
              c.seal.recipients.map((n) => identities.get(n).card),
              payloadInput(c.seal.payload),
              { rng, now: c.seal.now, encoding: c.encoding },
            );
            assert.equal(c.encoding === 'binary' ? toHex(sealed) : sealed, c.input);
          } finally {
            rng.dispose();
          }
          reproduced++;
        });
      }
    } finally {
      disposeAll(identities);
    }
    assert.equal(reproduced, known.length, 'known answers reproduced');
  });
}

// Sealed record v2 (docs/spec/record.md §5, §11): open for the stated
// purpose with an identity or a vault key, the parsed header as
// inspectRecord reports it, and the seal known answers through
// 'medseal/testing' (sealRecord with options.purposes, consentHashes and
// vaultKeys).
function loadVaultKeys(lib, file) {
  const entries = Object.entries(file.vaultKeys ?? {});
  assert.ok(entries.length > 0, 'no vault keys');
  const byName = new Map();
  for (const [key, e] of entries) {
    const k = lib.VaultKey.fromBytes(fromHex(e.keyId), fromHex(e.key));
    assert.equal(toHex(k.keyIdBytes), e.keyId, `vault key ${key}`);
    assert.equal(Buffer.from(k.keyId, 'base64url').toString('hex'), e.keyId);
    byName.set(key, k);
  }
  return byName;
}

test(`record v2 vectors: ${RECORD_V2_FILE}`, async (t) => {
  const data = readVector(RECORD_V2_FILE);
  const cases = casesOf(data, RECORD_V2_FILE);
  const identities = loadIdentities(medseal, data);
  const vaults = loadVaultKeys(medseal, data);
  let ran = 0;
  let valid = 0;
  try {
    for (const c of cases) {
      await t.test(`tcId ${c.tcId}: ${c.comment ?? ''}`, () => {
        const input = c.encoding === 'binary' ? fromHex(c.input) : c.input;
        const sender = identities.get(c.sender);
        assert.ok(sender, `unknown sender ${c.sender}`);
        const options = c.purpose === null ? {} : { purpose: c.purpose };
        const run = () => {
          medseal.verifyRecord(sender.card, input);
          if (c.opener.vaultKey !== undefined) {
            const k = vaults.get(c.opener.vaultKey);
            assert.ok(k, `unknown vault key ${c.opener.vaultKey}`);
            return medseal.openRecordWithVaultKey(k, sender.card, input, options);
          }
          const who = identities.get(c.opener.identity);
          assert.ok(who, `unknown opener ${c.opener.identity}`);
          return medseal.openRecord(who, sender.card, input, options);
        };
        if (c.result === 'invalid') {
          assert.equal(errorCodeOf(medseal, run), c.error);
        } else {
          assert.equal(c.result, 'valid');
          const opened = run();
          assert.deepEqual(
            { ...opened, body: toHex(opened.body) },
            {
              body: c.payload.body,
              contentType: c.payload.contentType,
              recordId: c.payload.recordId,
              resourceType: c.payload.resourceType,
              created: c.payload.created,
            },
          );
          const info = medseal.inspectRecord(input);
          assert.deepEqual(
            {
              version: info.version,
              purposes: info.purposes,
              consentHashes: info.consentHashes.map(toHex),
              stanzas: info.recipients.map((r) => ({
                type: r.type,
                keyId: Buffer.from(r.keyId, 'base64url').toString('hex'),
              })),
            },
            c.header,
          );
          valid++;
        }
        ran++;
      });
    }
  } finally {
    disposeAll(identities);
    disposeAll(vaults);
  }
  assert.equal(ran, cases.length, 'cases run');
  assert.ok(valid > 10);
});

test(`seal known answers: ${RECORD_V2_FILE} (medseal/testing)`, async (t) => {
  const data = readVector(RECORD_V2_FILE);
  // Cases with extraStanzas (types no API seals) are reproduced natively and
  // by the independent implementation only.
  const known = casesOf(data, RECORD_V2_FILE).filter(
    (c) => c.seal !== undefined && c.seal.extraStanzas === undefined,
  );
  assert.ok(known.length >= 10, `${RECORD_V2_FILE} has too few seal known answers`);
  const identities = loadIdentities(testing, data);
  const vaults = loadVaultKeys(testing, data);
  let reproduced = 0;
  try {
    for (const c of known) {
      await t.test(`tcId ${c.tcId}: ${c.comment ?? ''}`, () => {
        const rng = new testing.DeterministicRng(fromHex(c.seal.rngSeed));
        try {
          const sealed = testing.sealRecord(
            identities.get(c.sender),
            c.seal.recipients.map((n) => identities.get(n).card),
            payloadInput(c.seal.payload),
            {
              rng,
              now: c.seal.now,
              encoding: c.encoding,
              purposes: c.seal.purposes,
              consentHashes: c.seal.consentHashes.map(fromHex),
              vaultKeys: c.seal.vaultKeys.map((n) => vaults.get(n)),
            },
          );
          assert.equal(c.encoding === 'binary' ? toHex(sealed) : sealed, c.input);
        } finally {
          rng.dispose();
        }
        reproduced++;
      });
    }
  } finally {
    disposeAll(identities);
    disposeAll(vaults);
  }
  assert.equal(reproduced, known.length, 'known answers reproduced');
});

for (const name of CARD_FILES) {
  test(`card vectors: ${name}`, async (t) => {
    const data = readVector(name);
    const cases = casesOf(data, name);
    disposeAll(loadIdentities(medseal, data)); // rebuilding each identity checks its card
    let ran = 0;
    for (const c of cases) {
      await t.test(`tcId ${c.tcId}: ${c.comment ?? ''}`, () => {
        if (c.result === 'invalid') {
          assert.equal(
            errorCodeOf(medseal, () => medseal.parseCard(c.card)),
            c.error,
          );
        } else {
          assert.equal(c.result, 'valid');
          // The verified fields are the ones in the text, and `json` is the
          // text as medseal writes it.
          const card = medseal.PublicCard.parse(c.card);
          const json = JSON.parse(c.card);
          assert.deepEqual(
            {
              kid: card.keyId,
              name: card.name,
              role: card.role,
              created: card.created,
              sign: Buffer.from(card.signPublicKey).toString('base64url'),
              kx: Buffer.from(card.kxPublicKey).toString('base64url'),
            },
            {
              kid: json.kid,
              name: json.name,
              role: json.role,
              created: json.created,
              sign: json.sign,
              kx: json.kx,
            },
          );
          assert.deepEqual(JSON.parse(card.json), json);
          assert.equal(card.version, json.v);
          // card_v2.json states the key types and the post-quantum flag.
          if ('keyTypes' in c) {
            assert.equal(card.version, c.version);
            assert.deepEqual(card.keyTypes, c.keyTypes);
            assert.equal(card.postQuantum, c.postQuantum);
            assert.equal(card.xwingPublicKey?.length ?? 0, c.postQuantum ? 1216 : 0);
          }
          card.dispose();
        }
        ran++;
      });
    }
    assert.equal(ran, cases.length, 'cases run');
  });
}

// docs/spec/record.md §11, record/accumulated.json.
function accumulatedDigest(iterations) {
  const { DeterministicRng, Identity, sealRecord, openRecord } = testing;
  const created = 1700000000000;
  const rng = new DeterministicRng(new Uint8Array(32));
  const make = (byte, name, role) =>
    Identity.fromSeed(new Uint8Array(32).fill(byte), { name, role, created });
  const sender = make(1, 'Patient P', 'patient');
  const r = [
    make(2, 'Dr. C', 'clinician'),
    make(3, 'Nurse N', 'nurse'),
    make(4, 'Outsider O', 'clinician'),
  ];
  const cards = r.map((id) => id.card);
  const h = createHash('blake2b512');
  try {
    for (let i = 0; i < iterations; i++) {
      const b = rng.fill(2);
      const len = (b[0] + 256 * b[1]) % 2048;
      const body = rng.fill(len);
      const now = created + i;
      const sealed = sealRecord(
        sender,
        cards.slice(0, 1 + (i % 3)),
        {
          body,
          contentType: 'application/octet-stream',
          recordId: `r${i}`,
          resourceType: 'Binary',
        },
        { rng, now },
      );
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

test(`accumulated randomized record test: ${ACCUMULATED_FILE} (medseal/testing)`, () => {
  const { iterations, blake2b512 } = readVector(ACCUMULATED_FILE);
  assert.ok(Number.isSafeInteger(iterations) && iterations > 0, 'iterations');
  assert.match(blake2b512, /^[0-9a-f]{128}$/);
  assert.equal(accumulatedDigest(iterations), blake2b512);
});

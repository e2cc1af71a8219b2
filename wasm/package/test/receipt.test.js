// SPDX-License-Identifier: Apache-2.0
// RFC 8785 canonical JSON and consent receipts through the package: the
// RFC's test data and the ES6 number file's published hashes, a cross-check
// against the npm package `canonicalize` (the reference implementation by
// one of the RFC's authors) on generated inputs, and the receipt vectors
// (native-tests/vectors/consent/receipt_v1.json) that the native suite reads.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import canonicalize from 'canonicalize';

import { expectCode, fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

const {
  canonicalizeJson,
  signConsent,
  parseReceipt,
  verifyReceipt,
  consentHash,
  exportKantaraReceipt,
  Identity,
  PublicCard,
} = medseal;

await medseal.init();

const vectorsDir = path.join(repoRoot, 'native-tests', 'vectors');
const jcsDir = path.join(vectorsDir, 'external', 'rfc8785-jcs');
// Every file of the RFC's test data: a missing one fails (readFileSync throws).
const RFC_CASES = ['arrays', 'french', 'structures', 'unicode', 'values', 'weird'];

test('canonicalizeJson passes every RFC 8785 test data pair', () => {
  for (const name of RFC_CASES) {
    const input = readFileSync(path.join(jcsDir, 'input', `${name}.json`));
    const output = readFileSync(path.join(jcsDir, 'output', `${name}.json`), 'utf8');
    const hex = readFileSync(path.join(jcsDir, 'outhex', `${name}.txt`), 'utf8').replace(
      /\s+/g,
      '',
    );
    assert.equal(Buffer.from(output, 'utf8').toString('hex'), hex, name);
    assert.equal(canonicalizeJson(input.toString('utf8')), output, name);
    assert.equal(canonicalizeJson(new Uint8Array(input)), output, `${name} (bytes)`);
    assert.equal(canonicalizeJson(output), output, `${name} is a fixed point`);
    assert.equal(
      canonicalize(JSON.parse(input.toString('utf8'))),
      output,
      `${name} (canonicalize)`,
    );
  }
});

// The README of the test data defines a sequence of doubles and publishes
// the SHA-256 of its first N "hex,expected\n" lines; the static list and
// the hashes are read from it.
test('numbers: the ES6 test file hashes of the RFC test data README', () => {
  const readme = readFileSync(path.join(jcsDir, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('staticU64s = new BigUint64Array(['));
  const statics = [...block.slice(0, block.indexOf('])')).matchAll(/0x([0-9a-f]+)n/g)].map((m) =>
    BigInt(`0x${m[1]}`),
  );
  assert.equal(statics.length, 168);
  const hashes = [...readme.matchAll(/^\| ([0-9a-f]{64}) \| (\d+) /gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  assert.deepEqual(
    hashes.slice(0, 3).map((h) => h[1]),
    [1000, 10000, 100000],
  );
  hashes.length = 2;
  const u64 = new BigUint64Array(1);
  const f64 = new Float64Array(u64.buffer);
  let block32 = new Uint8Array(32);
  let pool = [];
  const sha = createHash('sha256');
  let next = 0;
  // 10 000 lines here (the native suite runs 100 000).
  const lines = 10000;
  for (let idx = 0; idx < lines; idx++) {
    let v = 0;
    if (idx < statics.length) {
      u64[0] = statics[idx];
      v = f64[0];
    } else if (idx < statics.length + 2000) {
      u64[0] = 0x0010000000000000n + BigInt(idx - statics.length);
      v = f64[0];
    } else {
      while (v === 0 || !Number.isFinite(v)) {
        if (pool.length === 0) {
          block32 = new Uint8Array(createHash('sha256').update(block32).digest());
          pool = [...new Float64Array(block32.buffer.slice(0))];
        }
        v = pool.shift();
      }
    }
    f64[0] = v;
    // JSON text of the number that reads back as exactly v.
    const got = canonicalizeJson(String(v));
    sha.update(`${u64[0].toString(16)},${got}\n`);
    if (idx + 1 === hashes[next][1]) {
      assert.equal(sha.copy().digest('hex'), hashes[next][0], `first ${idx + 1} lines`);
      next++;
    }
  }
  assert.equal(next, 2);
});

// A seeded PRNG (mulberry32) for the generated inputs.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Generates JSON *text* (so that escapes, number spellings and whitespace
// vary) whose value JSON.parse reads exactly as our parser does.
function generator(seed) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const ws = () => pick(['', '', '', ' ', '\n', '\t', ' \r\n ']);
  const codePoint = () => {
    switch (int(6)) {
      case 0:
        return int(0x20); // control characters
      case 1:
        return 0x20 + int(0x60); // ASCII
      case 2:
        return 0x80 + int(0x780);
      case 3: {
        const c = 0x800 + int(0xf800 - 0x800);
        return c >= 0xd800 && c <= 0xdfff ? 0xe000 + (c & 0xfff) : c; // no surrogates
      }
      case 4:
        return 0x10000 + int(0x100000); // astral
      default:
        return pick([0x22, 0x5c, 0x2f, 0x7f, 0x2028, 0x2029, 0xfeff, 0xffff, 0xe000, 0x1f600]);
    }
  };
  const escapeUnit = (u) => `\\u${u.toString(16).padStart(4, '0')}`;
  // A string value and its JSON text, each character written plainly or as
  // an escape (astral characters as escaped surrogate pairs).
  const string = () => {
    const cps = Array.from({ length: int(8) }, codePoint);
    const value = String.fromCodePoint(...cps);
    let text = '"';
    for (const cp of cps) {
      const ch = String.fromCodePoint(cp);
      const mustEscape = cp < 0x20 || cp === 0x22 || cp === 0x5c;
      if (mustEscape || rnd() < 0.3) {
        const short = {
          0x22: '\\"',
          0x5c: '\\\\',
          0x2f: '\\/',
          8: '\\b',
          9: '\\t',
          10: '\\n',
          12: '\\f',
          13: '\\r',
        };
        if (short[cp] !== undefined && rnd() < 0.5) text += short[cp];
        else
          text += [...ch]
            .map((c) =>
              c
                .split('')
                .map((u) => escapeUnit(u.charCodeAt(0)))
                .join(''),
            )
            .join('');
      } else {
        text += ch;
      }
    }
    return [value, `${text}"`];
  };
  const digits = (n) => Array.from({ length: n }, () => String(int(10))).join('');
  const number = () => {
    const sign = rnd() < 0.3 ? '-' : '';
    switch (int(9)) {
      case 0:
        return sign + String(int(1000));
      case 1:
        return sign + String(9007199254740992 + int(5) - 2); // near 2^53
      case 2:
        return sign + `${1 + int(9)}${digits(15 + int(10))}`; // beyond 2^53, beyond 2^64
      case 3:
        return `${sign}${int(10)}.${digits(1 + int(20))}`;
      case 4:
        return `${sign}${1 + int(9)}.${digits(1 + int(16))}e${pick(['', '+', '-'])}${int(300)}`;
      case 5:
        return `${sign}${1 + int(9)}${pick(['e', 'E'])}-${300 + int(30)}`; // subnormals
      case 6:
        return `${sign}0.${'0'.repeat(int(10))}${digits(1 + int(5))}`; // around 1e-6
      case 7:
        return `${sign}${1 + int(9)}${digits(int(3))}e${18 + int(6)}`; // around 1e21
      default: {
        const f = new Float64Array(
          new BigUint64Array([BigInt(int(2 ** 31)) * BigInt(2 ** 32) + BigInt(int(2 ** 32))])
            .buffer,
        )[0];
        return Number.isFinite(f) ? String(f) : '0';
      }
    }
  };
  const value = (depth) => {
    const kind = depth >= 6 ? int(4) : int(7);
    if (kind === 0) return pick(['null', 'true', 'false']);
    if (kind === 1 || kind === 2) return number();
    if (kind === 3) return string()[1];
    if (kind === 4 || kind === 5) {
      const names = new Set();
      const members = [];
      for (let i = int(6); i > 0; i--) {
        const [name, text] = string();
        if (names.has(name)) continue; // I-JSON: no duplicate names
        names.add(name);
        members.push(`${ws()}${text}${ws()}:${ws()}${value(depth + 1)}${ws()}`);
      }
      return `{${members.join(',')}}`;
    }
    const items = Array.from({ length: int(5) }, () => `${ws()}${value(depth + 1)}${ws()}`);
    return `[${items.join(',')}]`;
  };
  return () => `${ws()}${value(1)}${ws()}`;
}

test('canonicalizeJson agrees with `canonicalize` on 4000 generated inputs', () => {
  const next = generator(20261201);
  let numbers = 0;
  for (let i = 0; i < 4000; i++) {
    const text = next();
    const expected = canonicalize(JSON.parse(text));
    const got = canonicalizeJson(text);
    assert.equal(got, expected, `input ${i}: ${text}`);
    if (/[0-9]/.test(text)) numbers++;
  }
  assert.ok(numbers > 1000);
});

test('canonicalizeJson agrees with `canonicalize` on 5000 random doubles', () => {
  const rnd = prng(7);
  const words = new Uint32Array(2);
  const f = new Float64Array(words.buffer);
  for (let i = 0; i < 5000; i++) {
    words[0] = Math.floor(rnd() * 2 ** 32);
    words[1] = Math.floor(rnd() * 2 ** 32);
    if (!Number.isFinite(f[0])) continue;
    const v = f[0];
    assert.equal(canonicalizeJson(`[${v}]`), canonicalize([v]), String(v));
  }
});

test('canonicalizeJson: bad input and wrong types get stable codes', () => {
  expectCode(() => canonicalizeJson(new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d])), 'MALFORMED');
  expectCode(() => canonicalizeJson('["\\ud800"]'), 'MALFORMED');
  expectCode(() => canonicalizeJson('{"a":1,"\\u0061":2}'), 'MALFORMED');
  expectCode(() => canonicalizeJson('[1e400]'), 'MALFORMED');
  expectCode(() => canonicalizeJson(`${'['.repeat(17)}${']'.repeat(17)}`), 'MALFORMED');
  assert.equal(
    canonicalizeJson(`${'['.repeat(16)}${']'.repeat(16)}`),
    `${'['.repeat(16)}${']'.repeat(16)}`,
  );
  expectCode(() => canonicalizeJson('[1,]'), 'MALFORMED');
  expectCode(() => canonicalizeJson(''), 'MALFORMED');
  expectCode(() => canonicalizeJson(' '.repeat(16 * 1024 * 1024 + 1)), 'TOO_LARGE');
  expectCode(() => canonicalizeJson(5), 'INVALID_ARGUMENT');
  expectCode(() => canonicalizeJson({ a: 1 }), 'INVALID_ARGUMENT');
  expectCode(() => canonicalizeJson(null), 'INVALID_ARGUMENT');
  // Still usable afterwards.
  assert.equal(canonicalizeJson('{"b":1,"a":[1.0,-0]}'), '{"a":[1,0],"b":1}');
});

// --- receipts -----------------------------------------------------------

const receiptFile = JSON.parse(
  readFileSync(path.join(vectorsDir, 'consent', 'receipt_v1.json'), 'utf8'),
);

function identityOf(key) {
  const e = receiptFile.identities[key];
  const id = Identity.fromSeed(fromHex(e.seed), { name: e.name, role: e.role, created: e.created });
  assert.equal(id.card, e.card);
  return id;
}

test('receipt vectors: every case, as the native suite runs them', () => {
  assert.equal(receiptFile.algorithm, 'medseal consent receipt v1');
  const cases = receiptFile.tests;
  assert.equal(cases.length, receiptFile.numberOfTests);
  const cards = Object.fromEntries(
    Object.entries(receiptFile.identities).map(([k, e]) => [k, PublicCard.parse(e.card)]),
  );
  const patient = identityOf('patient');
  let valid = 0;
  let invalid = 0;
  for (const t of cases) {
    const what = `tcId ${t.tcId} (${t.comment})`;
    if (t.result === 'valid') {
      valid++;
      const r = parseReceipt(t.receipt);
      assert.equal(r.json, t.canonical ?? t.receipt, what);
      assert.equal(r.fhirVersion, t.fhirVersion, what);
      assert.equal(r.signed, t.signed, what);
      assert.equal(toHex(r.signature), t.sig, what);
      assert.equal(toHex(r.hash), t.consentHash, what);
      assert.equal(toHex(consentHash(t.receipt)), t.consentHash, what);
      assert.equal(
        Buffer.from(r.signerKeyId, 'base64url').toString('hex'),
        receiptFile.identities[t.signer].keyId,
      );
      verifyReceipt(t.receipt, cards[t.signer]);
      verifyReceipt(t.receipt, receiptFile.identities[t.signer].card);
      assert.equal(
        canonicalizeJson(JSON.stringify(exportKantaraReceipt(t.receipt))),
        t.kantara,
        what,
      );
      if (t.consent !== undefined) {
        assert.deepEqual(r.consent, t.consent, what);
        const again = signConsent(patient, JSON.stringify(t.consent), {
          fhirVersion: t.fhirVersion,
          now: t.signed,
        });
        assert.equal(again, t.receipt, what);
      }
      continue;
    }
    invalid++;
    assert.ok(t.rule, what);
    if (t.stage === 'parse') {
      expectCode(() => parseReceipt(t.receipt), t.error);
      expectCode(() => verifyReceipt(t.receipt, cards.patient), t.error);
    } else {
      parseReceipt(t.receipt);
      expectCode(() => verifyReceipt(t.receipt, cards[t.verifyWith]), t.error);
    }
  }
  assert.equal(valid, 26);
  assert.ok(invalid >= 30);
  patient.dispose();
  for (const c of Object.values(cards)) c.dispose();
});

test('signConsent, verifyReceipt and exportKantaraReceipt from JS', () => {
  const patient = identityOf('patient');
  const outsider = identityOf('outsider');
  const consent = readFileSync(
    path.join(
      vectorsDir,
      'external',
      'fhir',
      'hl7-r5-consent',
      'Consent-consent-example-basic.json',
    ),
  );
  const receipt = signConsent(patient, new Uint8Array(consent), {
    fhirVersion: 'R5',
    now: 1764590400000,
  });
  assert.equal(
    signConsent(patient, consent.toString('utf8'), { fhirVersion: '5.0.0', now: 1764590400000 }),
    receipt,
  );
  const parsed = parseReceipt(receipt);
  assert.equal(parsed.fhirVersion, '5.0.0');
  assert.deepEqual(parsed.consent, JSON.parse(consent.toString('utf8')));
  assert.equal(parsed.signerKeyId, patient.keyId);
  verifyReceipt(receipt, patient.card);
  expectCode(() => verifyReceipt(receipt, outsider.card), 'SENDER_MISMATCH');
  const tampered = JSON.parse(receipt);
  tampered.consent.status = 'inactive';
  expectCode(() => verifyReceipt(JSON.stringify(tampered), patient.card), 'SIGNATURE_INVALID');
  assert.notEqual(toHex(consentHash(JSON.stringify(tampered))), toHex(parsed.hash));
  const k = exportKantaraReceipt(receipt);
  assert.equal(k.version, 'KI-CR-v1.1.0');
  assert.equal(k.consentReceiptID, Buffer.from(parsed.hash).toString('base64url'));
  assert.ok(Array.isArray(k.services));
  // Wrong types and bad arguments.
  expectCode(() => signConsent(patient, consent, { fhirVersion: 'R6' }), 'INVALID_ARGUMENT');
  expectCode(() => signConsent(patient, '{"resourceType":"Patient"}'), 'MALFORMED');
  expectCode(() => signConsent(patient, '{"resourceType":'), 'MALFORMED');
  expectCode(() => signConsent(patient, 42), 'INVALID_ARGUMENT');
  expectCode(() => signConsent({}, consent), 'INVALID_ARGUMENT');
  expectCode(() => signConsent(patient, consent, { now: -1 }), 'INVALID_ARGUMENT');
  expectCode(() => signConsent(patient, consent, { now: 1.5 }), 'INVALID_ARGUMENT');
  expectCode(() => parseReceipt(new Uint8Array(4)), 'INVALID_ARGUMENT');
  expectCode(() => parseReceipt('[]'), 'MALFORMED');
  expectCode(() => verifyReceipt(receipt, 7), 'INVALID_ARGUMENT');
  expectCode(() => verifyReceipt(receipt, 'not a card'), 'MALFORMED');
  expectCode(() => exportKantaraReceipt('{}'), 'MALFORMED');
  const disposed = identityOf('patient');
  disposed.dispose();
  expectCode(() => signConsent(disposed, consent), 'DISPOSED');
  patient.dispose();
  outsider.dispose();
});

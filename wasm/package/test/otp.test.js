// SPDX-License-Identifier: Apache-2.0
// One-time passwords through the package (docs/spec/otp.md): every row of the
// RFC 4226 and RFC 6238 files and every otpauth:// case that the native suite
// reads (native-tests/otp/), then codes, verification and URIs cross-checked
// in both directions against the npm package `otpauth` on generated secrets,
// parameters and times.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import * as OTPAuth from 'otpauth';

import { expectCode, fromHex, medseal, repoRoot, toHex } from '../test-support/helpers.js';

await medseal.init();

const vectorsDir = path.join(repoRoot, 'native-tests', 'vectors');
// Throws (fails the test) when the file is missing or not JSON.
const readVector = (name) => JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8'));

// A deterministic byte stream (SHA-256 in counter mode) for generated cases.
function stream(seed) {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    while (pool.length < n) {
      const block = createHash('sha256').update(`${seed}/${counter++}`).digest();
      pool = Uint8Array.from([...pool, ...block]);
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}
const uint = (bytes) => bytes.reduce((v, b) => v * 256 + b, 0);

test('RFC 4226 Appendix D: every HOTP row', () => {
  const v = readVector('external/rfc/rfc4226_hotp.json');
  const secret = fromHex(v.secret_hex);
  let n = 0;
  for (const t of v.tests) {
    assert.equal(medseal.hotpCode(secret, t.count), t.hotp, `count ${t.count}`);
    assert.equal(medseal.hotpCode(secret, t.count, { digits: 8 }).slice(2), t.hotp);
    n++;
  }
  assert.equal(n, 10);
});

test('RFC 6238 Appendix B: every TOTP row, generated and verified', () => {
  const v = readVector('external/rfc/rfc6238_totp.json');
  assert.equal(v.time_step_X, 30);
  assert.equal(v.T0, 0);
  let n = 0;
  for (const t of v.tests) {
    const options = { algorithm: t.mode, digits: v.digits, period: 30 };
    const secret = fromHex(t.secret_hex);
    assert.equal(medseal.totpCode(secret, t.time * 1000, options), t.totp, `${t.mode} ${t.time}`);
    const state = medseal.verifyTotp(secret, t.totp, { ...options, now: t.time * 1000 });
    assert.equal(state.lastAcceptedStep, parseInt(t.T_hex, 16));
    n++;
  }
  assert.equal(n, 18);
});

test('otpauth:// vectors: every parse case (rules U1-U12) and every format case', () => {
  const v = readVector('otp/otpauth_uris.json');
  let n = 0;
  let accepted = 0;
  for (const c of v.parse) {
    n++;
    const bytes = new TextEncoder().encode(c.uri);
    if (c.expect !== 'OK') {
      expectCode(() => medseal.parseOtpauthUri(bytes), c.expect);
      continue;
    }
    accepted++;
    const key = medseal.parseOtpauthUri(bytes);
    assert.equal(key.issuer, c.issuer);
    assert.equal(key.account, c.account);
    assert.equal(toHex(key.secret), c.secret_hex);
    assert.deepEqual(
      [key.algorithm, key.digits, key.period],
      [c.algorithm, c.digits, c.period],
      c.uri,
    );
    // The string form parses alike.
    assert.equal(toHex(medseal.parseOtpauthUri(c.uri).secret), c.secret_hex);
  }
  assert.equal(n, 58);
  assert.equal(accepted, 6);
  let f = 0;
  for (const c of v.format) {
    const uri = medseal.formatOtpauthUri({
      issuer: c.issuer,
      account: c.account,
      secret: fromHex(c.secret_hex),
      algorithm: c.algorithm,
      digits: c.digits,
      period: c.period,
    });
    assert.ok(uri instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(uri), c.uri);
    f++;
  }
  assert.equal(f, 3);
});

const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'];
const PERIODS = [1, 15, 30, 60, 90, 3600];
const NAMES = ['alice@example.org', 'Dr. Müller', '患者 42', "o'brien (ward 3)*!", 'a~b.c_d-e'];

function generatedCase(next) {
  const size = 16 + (next(1)[0] % 49); // 16..64 bytes
  return {
    secret: next(size),
    algorithm: ALGORITHMS[next(1)[0] % 3],
    digits: 6 + (next(1)[0] % 3),
    period: PERIODS[next(1)[0] % PERIODS.length],
    time: uint(next(6)) % 2 ** 42, // up to the year 2109, in ms
    counter: uint(next(6)),
  };
}

function theirs(c, issuer = 'Clinic', label = 'alice') {
  const secret = new OTPAuth.Secret({ buffer: c.secret.slice().buffer });
  const options = { algorithm: c.algorithm, digits: c.digits, secret };
  return {
    totp: new OTPAuth.TOTP({ ...options, issuer, label, period: c.period }),
    hotp: new OTPAuth.HOTP({ ...options, issuer, label }),
  };
}

test('codes agree with the otpauth package on 300 generated secrets, times and counters', () => {
  const next = stream('otp codes');
  for (let i = 0; i < 300; i++) {
    const c = generatedCase(next);
    const { totp, hotp } = theirs(c);
    const where = `case ${i}: ${c.algorithm}/${c.digits}/${c.period}s at ${c.time}`;
    const options = { algorithm: c.algorithm, digits: c.digits, period: c.period };
    // medseal -> otpauth: their generator gives our code, their validator accepts it.
    const ours = medseal.totpCode(c.secret, c.time, options);
    assert.equal(ours, totp.generate({ timestamp: c.time }), where);
    assert.equal(totp.validate({ token: ours, timestamp: c.time, window: 0 }), 0, where);
    assert.equal(
      medseal.hotpCode(c.secret, c.counter, options),
      hotp.generate({ counter: c.counter }),
    );
    // otpauth -> medseal: their code one step early, on time and one step late.
    for (const delta of [-1, 0, 1]) {
      const code = totp.generate({ timestamp: c.time + delta * c.period * 1000 });
      const step = Math.floor(c.time / 1000 / c.period) + delta;
      const state = medseal.verifyTotp(c.secret, code, { ...options, now: c.time });
      assert.equal(state.lastAcceptedStep, step, `${where}, delta ${delta}`);
    }
    // Two steps away is outside the window (unless the codes collide).
    const far = totp.generate({ timestamp: c.time + 2 * c.period * 1000 });
    const near = [-1, 0, 1].map((d) => totp.generate({ timestamp: c.time + d * c.period * 1000 }));
    if (!near.includes(far)) {
      expectCode(
        () => medseal.verifyTotp(c.secret, far, { ...options, now: c.time }),
        'OTP_MISMATCH',
      );
    }
  }
});

test('otpauth:// URIs interoperate with the otpauth package in both directions', () => {
  const next = stream('otp uris');
  for (let i = 0; i < 100; i++) {
    const c = generatedCase(next);
    const issuer = i % 4 === 0 ? '' : NAMES[i % NAMES.length];
    const account = NAMES[(i + 2) % NAMES.length];
    const options = { algorithm: c.algorithm, digits: c.digits, period: c.period };
    // medseal writes, otpauth reads.
    const uri = medseal.formatOtpauthUri({ issuer, account, secret: c.secret, ...options });
    const parsed = OTPAuth.URI.parse(new TextDecoder().decode(uri));
    assert.equal(parsed.issuer, issuer);
    assert.equal(parsed.label, account);
    assert.equal(toHex(parsed.secret.bytes), toHex(c.secret));
    assert.deepEqual(
      [parsed.algorithm, parsed.digits, parsed.period],
      [c.algorithm, c.digits, c.period],
    );
    assert.equal(
      parsed.generate({ timestamp: c.time }),
      medseal.totpCode(c.secret, c.time, options),
    );
    // otpauth writes, medseal reads.
    const { totp } = theirs(c, issuer, account);
    const key = medseal.parseOtpauthUri(new TextEncoder().encode(totp.toString()));
    assert.equal(key.issuer, issuer);
    assert.equal(key.account, account);
    assert.equal(toHex(key.secret), toHex(c.secret));
    assert.deepEqual([key.algorithm, key.digits, key.period], [c.algorithm, c.digits, c.period]);
  }
});

test('verifyTotp accepts a code once and never changes the state on failure', () => {
  const secret = new TextEncoder().encode('12345678901234567890');
  const options = { digits: 8, now: 59_000 };
  const first = medseal.verifyTotp(secret, '94287082', options);
  assert.deepEqual(first, { lastAcceptedStep: 1 });
  assert.ok(Object.isFrozen(first));
  expectCode(
    () => medseal.verifyTotp(secret, '94287082', { ...options, state: first }),
    'OTP_REPLAYED',
  );
  // The previous step's code (HOTP count 0) is older than the accepted one.
  expectCode(
    () => medseal.verifyTotp(secret, '84755224', { ...options, state: first }),
    'OTP_REPLAYED',
  );
  const later = medseal.verifyTotp(secret, '37359152', { ...options, state: first });
  assert.equal(later.lastAcceptedStep, 2);
  expectCode(() => medseal.verifyTotp(secret, '37359153', options), 'OTP_MISMATCH');
  for (const code of ['', '9428708', '942870820', '9428708a', ' 94287082']) {
    expectCode(() => medseal.verifyTotp(secret, code, options), 'MALFORMED');
  }
  expectCode(
    () => medseal.verifyTotp(secret, '94287082', { ...options, state: { lastAcceptedStep: -2 } }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.verifyTotp(secret, '94287082', { ...options, state: { lastAcceptedStep: 1.5 } }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.verifyTotp(secret, '94287082', { ...options, now: -1 }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.verifyTotp(secret, '94287082', { ...options, algorithm: 'MD5' }),
    'OTP_UNSUPPORTED',
  );
  expectCode(
    () => medseal.verifyTotp(secret, '94287082', { ...options, digits: 9 }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.verifyTotp(secret, '94287082', { ...options, period: 0 }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => medseal.verifyTotp(secret.subarray(0, 15), '94287082', options),
    'OTP_SECRET_WEAK',
  );
  expectCode(
    () => medseal.verifyTotp('12345678901234567890', '94287082', options),
    'INVALID_ARGUMENT',
  );
  expectCode(() => medseal.verifyTotp(secret, 94287082, options), 'INVALID_ARGUMENT');
});

test('generateOtpSecret draws fresh secrets of the asked size', () => {
  const a = medseal.generateOtpSecret();
  const b = medseal.generateOtpSecret();
  assert.equal(a.length, 20);
  assert.notEqual(toHex(a), toHex(b));
  assert.equal(medseal.generateOtpSecret(32).length, 32);
  assert.equal(medseal.generateOtpSecret(128).length, 128);
  expectCode(() => medseal.generateOtpSecret(15), 'INVALID_ARGUMENT');
  expectCode(() => medseal.generateOtpSecret(129), 'INVALID_ARGUMENT');
  expectCode(() => medseal.generateOtpSecret(-1), 'INVALID_ARGUMENT');
  expectCode(() => medseal.generateOtpSecret('20'), 'INVALID_ARGUMENT');
});

test('bad arguments: stable codes, no crash', () => {
  const secret = new Uint8Array(20);
  expectCode(() => medseal.hotpCode(secret, -1), 'INVALID_ARGUMENT');
  expectCode(() => medseal.hotpCode(secret, 2 ** 53), 'INVALID_ARGUMENT');
  expectCode(() => medseal.hotpCode(secret, 0, { digits: 5 }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.hotpCode(new Uint8Array(129), 0), 'TOO_LARGE');
  expectCode(() => medseal.totpCode(secret, 1.5), 'INVALID_ARGUMENT');
  expectCode(() => medseal.totpCode(secret, 0, { algorithm: 'sha1' }), 'OTP_UNSUPPORTED');
  expectCode(() => medseal.totpCode(secret, 0, null), 'INVALID_ARGUMENT');
  expectCode(() => medseal.formatOtpauthUri({ account: '', secret }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.formatOtpauthUri({ account: 'a:b', secret }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.formatOtpauthUri({ account: 'a', secret: 'AAAA' }), 'INVALID_ARGUMENT');
  expectCode(() => medseal.parseOtpauthUri(42), 'INVALID_ARGUMENT');
  expectCode(() => medseal.parseOtpauthUri(new Uint8Array([0xff])), 'MALFORMED');
  // HOTP counters above 2^32 cross intact (two u32 halves).
  const big = 2 ** 40 + 5;
  const { hotp } = theirs({
    secret: new Uint8Array(20).fill(3),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  assert.equal(medseal.hotpCode(new Uint8Array(20).fill(3), big), hotp.generate({ counter: big }));
});

// SPDX-License-Identifier: Apache-2.0
// Argon2id through the package (wasm/bindings/argon2.cc): libsodium's own
// known answers, the same file native-tests/crypto/argon2_test.cc reads
// (native-tests/vectors/external/libsodium-argon2id/), and bad input: each
// argument the core refuses, and the JS types the wrapper refuses before it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import {
  detached,
  expectCode,
  fromHex,
  medseal,
  repoRoot,
  toHex,
} from '../test-support/helpers.js';

await medseal.init();

// Throws (fails the test) when the file is missing or not JSON.
const vectors = JSON.parse(
  readFileSync(
    path.join(
      repoRoot,
      'native-tests',
      'vectors',
      'external',
      'libsodium-argon2id',
      'pwhash_argon2id.json',
    ),
    'utf8',
  ),
);

const SALT = new Uint8Array(16).fill(0x5a);
const small = { passes: 1, memoryKib: 8, outputLength: 32 };

test('libsodium known answers (pwhash_argon2id.json), as the native suite reads them', () => {
  let valid = 0;
  let invalid = 0;
  for (const t of vectors.tests) {
    const password = fromHex(t.passwordHex);
    const salt = fromHex(t.saltHex).subarray(0, 16); // libsodium reads the first 16 bytes
    const options = {
      passes: t.opslimit,
      memoryKib: Math.floor(t.memlimit / 1024),
      outputLength: t.outlen,
    };
    if (t.result === 'valid') {
      assert.equal(toHex(medseal.argon2id(password, salt, options)), t.outHex, `entry ${t.index}`);
      valid++;
    } else {
      expectCode(() => medseal.argon2id(password, salt, options), 'INVALID_ARGUMENT');
      invalid++;
    }
  }
  assert.equal(valid, 3);
  assert.equal(invalid, 1);
});

test('the key is a fresh Uint8Array of outputLength bytes, the same for the same inputs', () => {
  const a = medseal.argon2id(new TextEncoder().encode('pw'), SALT, small);
  const b = medseal.argon2id(new TextEncoder().encode('pw'), SALT, small);
  assert.ok(a instanceof Uint8Array);
  assert.equal(a.length, 32);
  assert.equal(toHex(a), toHex(b));
  assert.notEqual(a.buffer, b.buffer);
  // Not a view of the wasm heap: wiping it does not change the next result.
  a.fill(0);
  assert.equal(toHex(medseal.argon2id(new TextEncoder().encode('pw'), SALT, small)), toHex(b));
  assert.equal(
    medseal.argon2id(new Uint8Array(0), SALT, { ...small, outputLength: 16 }).length,
    16,
  );
});

test('every input changes the output', () => {
  const pw = new TextEncoder().encode('pw');
  const base = toHex(medseal.argon2id(pw, SALT, small));
  const salt2 = SALT.slice();
  salt2[15] ^= 1;
  const variants = [
    medseal.argon2id(new TextEncoder().encode('pW'), SALT, small),
    medseal.argon2id(pw, salt2, small),
    medseal.argon2id(pw, SALT, { ...small, passes: 2 }),
    medseal.argon2id(pw, SALT, { ...small, memoryKib: 16 }),
    medseal.argon2id(new Uint8Array(0), SALT, small),
  ];
  for (const v of variants) assert.notEqual(toHex(v), base);
  // A longer output is not the shorter one extended (Argon2's H' depends on the length).
  assert.notEqual(
    toHex(medseal.argon2id(pw, SALT, { ...small, outputLength: 64 })).slice(0, 64),
    base,
  );
});

test('arguments the core refuses: INVALID_ARGUMENT', () => {
  const pw = new Uint8Array(4);
  const bad = [
    [new Uint8Array(15), small],
    [new Uint8Array(17), small],
    [new Uint8Array(0), small],
    [SALT, { ...small, passes: 0 }],
    [SALT, { ...small, memoryKib: 7 }],
    [SALT, { ...small, memoryKib: 2097153 }],
    [SALT, { ...small, memoryKib: 0xffffffff }],
    [SALT, { ...small, outputLength: 15 }],
    [SALT, { ...small, outputLength: 1025 }],
  ];
  for (const [salt, options] of bad) {
    expectCode(() => medseal.argon2id(pw, salt, options), 'INVALID_ARGUMENT');
  }
});

test('JS types the wrapper refuses', () => {
  const pw = new Uint8Array(4);
  // A password must be bytes: never a string, which cannot be wiped.
  expectCode(() => medseal.argon2id('password', SALT, small), 'INVALID_ARGUMENT');
  expectCode(() => medseal.argon2id([1, 2, 3], SALT, small), 'INVALID_ARGUMENT');
  expectCode(() => medseal.argon2id(pw, 'salt-salt-salt-s', small), 'INVALID_ARGUMENT');
  expectCode(() => medseal.argon2id(pw, SALT), 'INVALID_ARGUMENT');
  expectCode(() => medseal.argon2id(pw, SALT, null), 'INVALID_ARGUMENT');
  for (const field of ['passes', 'memoryKib', 'outputLength']) {
    for (const value of [undefined, '3', 1.5, -1, 2 ** 32, NaN, Infinity, 1n]) {
      expectCode(
        () => medseal.argon2id(pw, SALT, { ...small, [field]: value }),
        'INVALID_ARGUMENT',
      );
    }
  }
  expectCode(() => medseal.argon2id(detached(4), SALT, small), 'DETACHED_BUFFER');
  expectCode(() => medseal.argon2id(pw, detached(16), small), 'DETACHED_BUFFER');
});

test('an error names no secret: the password is not in the message', () => {
  const pw = new TextEncoder().encode('correct horse battery staple');
  const e = expectCode(() => medseal.argon2id(pw, new Uint8Array(15), small), 'INVALID_ARGUMENT');
  assert.doesNotMatch(e.message, /horse/);
  assert.doesNotMatch(e.message, new RegExp(toHex(pw)));
});

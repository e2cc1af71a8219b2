// SPDX-License-Identifier: Apache-2.0
// Shared by test/*.test.js (kept outside test/ so that `node --test test/`
// does not run it as a test file). Tests run against the built dist/:
// `medseal` is the production entry point (dist/index.js), `testing` the
// medseal/testing one (dist/testing.js), a separate instance of the library
// with the known-answer helpers; objects of one work only with the
// functions of the same one.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = path.resolve(packageDir, '..', '..');

export const medseal = await import('../dist/index.js');
export const testing = await import('../dist/testing.js');

export function fromHex(text) {
  assert.match(text, /^(?:[0-9a-f]{2})*$/, 'test data: lower-case hex');
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Asserts that fn() throws a MedsealError with `code`; returns the error. */
export function expectCode(fn, code) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `expected MedsealError ${code}, but nothing was thrown`);
  assert.ok(
    error instanceof medseal.MedsealError || error instanceof testing.MedsealError,
    `expected MedsealError ${code}, got ${error?.name}: ${error?.message}`,
  );
  assert.equal(error.code, code, `message: ${error.message}`);
  assert.equal(error.numericCode, medseal.ErrorCode[code]);
  return error;
}

/** A detached Uint8Array (its buffer was transferred away). */
export function detached(size = 32) {
  const view = new Uint8Array(size);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  assert.equal(view.byteLength, 0);
  return view;
}

export function seedOf(byte) {
  return new Uint8Array(32).fill(byte);
}

/** Two fixed identities (of `lib`: medseal or testing); callers dispose them. */
export function alice(lib = medseal) {
  return lib.Identity.fromSeed(seedOf(1), {
    name: 'Alice Example',
    role: 'doctor',
    created: 1700000000000,
  });
}
export function bob(lib = medseal) {
  return lib.Identity.fromSeed(seedOf(2), {
    name: 'Bob Example',
    role: 'patient',
    created: 1700000000001,
  });
}

/** A Uint8Array and a function that transfers its buffer away (for getters that detach it mid-call). */
export function detachable(size = 32) {
  const view = new Uint8Array(size).fill(7);
  return { view, detach: () => structuredClone(view.buffer, { transfer: [view.buffer] }) };
}

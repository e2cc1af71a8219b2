// SPDX-License-Identifier: Apache-2.0
// Argon2id (RFC 9106, version 0x13; wasm/bindings/argon2.cc over
// core/crypto/argon2.h, libsodium's crypto_pwhash): one lane, no secret and
// no associated data. The keystore derives its key-encryption keys with it;
// exported so that an application (and the benchmark) can derive a key from
// a passphrase at chosen parameters.
//
// The password is bytes, never a string (a JS string cannot be wiped); the
// derived key comes back as a new Uint8Array that the caller owns and
// should fill(0) when done, like every other secret the package returns
// (generateOtpSecret, exportSecretKey). The core's copy is wiped before
// argon2id returns.
import { checkBytes, fail, readFields } from './checks.js';
import { invoke, outBytes, release, u32 } from './heap.js';
import { mod } from './loading.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 password, 1 salt, 2 passes, 3 memory KiB, 4 output length (u32); slot 0 = the key. */
    _argon2id(args: number): number;
  }
}

/** Argon2id's cost and output size (parallelism is always 1). */
export interface Argon2idOptions {
  /** Passes over the memory (t), at least 1. */
  passes: number;
  /** Memory in KiB (m), 8 .. 2097152 (2 GiB). */
  memoryKib: number;
  /** Bytes of output, 16 .. 1024. */
  outputLength: number;
}

// A u32 as JS holds it; the ranges are the core's to judge.
function u32Field(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    fail('INVALID_ARGUMENT', `${what} must be an integer`);
  }
  return x;
}

/**
 * Argon2id(password, salt) with `options.passes` passes over
 * `options.memoryKib` KiB, `options.outputLength` bytes of output.
 * The salt is 16 bytes. MedsealError INVALID_ARGUMENT for a salt of another
 * size or a parameter out of range; INTERNAL when the memory cannot be
 * allocated. Blocks the thread for the whole computation (about a
 * quarter of a second at 64 MiB and 3 passes in a browser): run it in a Web
 * Worker in a page.
 */
export function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  options: Argon2idOptions,
): Uint8Array {
  const m = mod();
  const pw = checkBytes(password, 'password');
  const s = checkBytes(salt, 'salt');
  const o = readFields(options, 'options', ['passes', 'memoryKib', 'outputLength']);
  const passes = u32Field(o.passes, 'options.passes');
  const memoryKib = u32Field(o.memoryKib, 'options.memoryKib');
  const outputLength = u32Field(o.outputLength, 'options.outputLength');
  invoke(m, m._argon2id, [pw, s, u32(passes), u32(memoryKib), u32(outputLength)]);
  try {
    return outBytes(m, 0);
  } finally {
    release(m);
  }
}

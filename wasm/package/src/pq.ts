// SPDX-License-Identifier: Apache-2.0
// Post-quantum KEMs on their own (wasm/bindings/pq.cc): ML-KEM-768
// (FIPS 203) and X-Wing (ML-KEM-768 + X25519, the KEM of age's
// mlkem768x25519 recipient and of HPKE's MLKEM768-X25519). Sealed records
// and attachments use X-Wing through cards; these are for applications that
// need the KEM itself. Secrets cross as bytes only (Uint8Array), never as
// strings; key pairs stay in wasm memory by handle until dispose().
import { checkBytes, fail, isObject } from './checks.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { invoke, outBytes, outNum, release, throwCoreError, u32 } from './heap.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 seed d || z (region); num = handle, slot 0 = encapsulation key. */
    _mlkemKeyPairFromSeed(args: number): number;
    /** No arguments; results as _mlkemKeyPairFromSeed. */
    _mlkemGenerate(): number;
    /** 0 key pair (u32); slot 0 = a view of the decapsulation key. */
    _mlkemExportSecretKey(args: number): number;
    /** 0 key pair (u32). */
    _mlkemFree(args: number): number;
    /** 0 encapsulation key (region); slot 0 = ciphertext, 1 = shared secret. */
    _mlkemEncapsulate(args: number): number;
    /** 0 key pair (u32), 1 ciphertext (region); slot 0 = shared secret. */
    _mlkemDecapsulate(args: number): number;
    /** 0 decapsulation key, 1 ciphertext (regions); slot 0 = shared secret. */
    _mlkemDecapsulateWithSecretKey(args: number): number;
    /** 0 seed (region); num = handle, slot 0 = public key. */
    _xwingFromSeed(args: number): number;
    /** No arguments; results as _xwingFromSeed. */
    _xwingGenerate(): number;
    /** 0 private key (u32); slot 0 = a view of the seed. */
    _xwingExportSeed(args: number): number;
    /** 0 private key (u32). */
    _xwingFree(args: number): number;
    /** 0 seed (region); slot 0 = public key. */
    _xwingPublicKey(args: number): number;
    /** 0 public key (region); slot 0 = ciphertext, 1 = shared secret. */
    _xwingEncapsulate(args: number): number;
    /** 0 private key (u32), 1 ciphertext (region); slot 0 = shared secret. */
    _xwingDecapsulate(args: number): number;
  }
}

/** Sizes in bytes (FIPS 203 ML-KEM-768; draft-connolly-cfrg-xwing-kem). */
export const PqSizes = Object.freeze({
  mlkem768PublicKey: 1184,
  mlkem768SecretKey: 2400,
  mlkem768Ciphertext: 1088,
  mlkem768Seed: 64,
  xwingPublicKey: 1216,
  xwingSecretKey: 32,
  xwingCiphertext: 1120,
  sharedSecret: 32,
} as const);

/** What an encapsulation returns. `sharedSecret` is secret: fill(0) it after use. */
export interface KemEncapsulation {
  ciphertext: Uint8Array;
  sharedSecret: Uint8Array;
}

// Copies a secret slot out and wipes the core's copy at once.
function takeSecret(m: MedsealCoreModule, slot: number): Uint8Array {
  try {
    return outBytes(m, slot);
  } finally {
    release(m);
  }
}

function takeEncapsulation(m: MedsealCoreModule): KemEncapsulation {
  try {
    return { ciphertext: outBytes(m, 0), sharedSecret: outBytes(m, 1) };
  } finally {
    release(m);
  }
}

// ---------------------------------------------------------------------------
// ML-KEM-768

const mlkemKind = handleKind((m) => m._mlkemFree);
let mlkemHandleOf: (key: unknown, what: string) => number;

/**
 * An ML-KEM-768 key pair (FIPS 203) in wasm memory: the 1184-byte
 * encapsulation key (public) and the 2400-byte decapsulation key (secret).
 * It holds a secret: call dispose() (or use `using`). After dispose(),
 * decapsulate() and exportSecretKey() throw MedsealError DISPOSED;
 * `publicKey` stays readable.
 */
export class MlKem768KeyPair {
  readonly #slot: HandleSlot;
  readonly #publicKey: Uint8Array;

  static {
    mlkemHandleOf = (key, what) => MlKem768KeyPair.#of(key, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): MlKem768KeyPair {
    if (!isObject(x) || !(#slot in x))
      fail('INVALID_ARGUMENT', `${what} must be an MlKem768KeyPair`);
    return x;
  }

  private constructor(m: MedsealCoreModule) {
    this.#publicKey = outBytes(m, 0);
    this.#slot = new HandleSlot(this, outNum(m), mlkemKind);
  }

  /** A fresh key pair from the platform CSPRNG (crypto.getRandomValues). */
  static generate(): MlKem768KeyPair {
    const m = mod();
    const code = m._mlkemGenerate();
    if (code !== 0) throwCoreError(m, code);
    return new MlKem768KeyPair(m);
  }

  /**
   * ML-KEM.KeyGen_internal(d, z) from the 64-byte seed d || z (the
   * compact form to store). INVALID_ARGUMENT unless 64 bytes.
   */
  static fromSeed(seed: Uint8Array): MlKem768KeyPair {
    const m = mod();
    const s = checkBytes(seed, 'seed');
    invoke(m, m._mlkemKeyPairFromSeed, [s]);
    return new MlKem768KeyPair(m);
  }

  /** The 1184-byte encapsulation key (a copy; public). */
  get publicKey(): Uint8Array {
    return MlKem768KeyPair.#of(this, 'this').#publicKey.slice();
  }

  /**
   * ML-KEM.Decaps: the 32-byte shared secret (fill(0) it after use).
   * INVALID_ARGUMENT unless the ciphertext is 1088 bytes. A ciphertext of
   * that size that was not made for this key gives a pseudorandom secret,
   * not an error (implicit rejection).
   */
  decapsulate(ciphertext: Uint8Array): Uint8Array {
    const m = mod();
    const h = mlkemHandleOf(this, 'mlkemKeyPair');
    const c = checkBytes(ciphertext, 'ciphertext');
    invoke(m, m._mlkemDecapsulate, [u32(h), c]);
    return takeSecret(m, 0);
  }

  /**
   * The 2400-byte decapsulation key (FIPS 203's expanded form), for a
   * keystore or another implementation. The caller must fill(0) it.
   */
  exportSecretKey(): Uint8Array {
    const m = mod();
    const h = mlkemHandleOf(this, 'mlkemKeyPair');
    invoke(m, m._mlkemExportSecretKey, [u32(h)]);
    return takeSecret(m, 0);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return MlKem768KeyPair.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees the keys in wasm memory. Idempotent. */
  dispose(): void {
    MlKem768KeyPair.#of(this, 'this').#slot.dispose();
  }
}

export interface MlKem768KeyPair {
  [Symbol.dispose](): void;
}

publicClass(MlKem768KeyPair, 'MlKem768KeyPair');

/**
 * ML-KEM.Encaps(ek) with 32 random bytes from the platform CSPRNG.
 * INVALID_ARGUMENT unless the key is 1184 bytes; INVALID_KEY if it fails
 * FIPS 203's modulus check (§7.2).
 */
export function mlkem768Encapsulate(publicKey: Uint8Array): KemEncapsulation {
  const m = mod();
  const pk = checkBytes(publicKey, 'publicKey');
  invoke(m, m._mlkemEncapsulate, [pk]);
  return takeEncapsulation(m);
}

/**
 * ML-KEM.Decaps(dk, c) with a 2400-byte decapsulation key given as bytes
 * (one stored in the expanded form, e.g. by another implementation).
 * INVALID_ARGUMENT for wrong sizes; INVALID_KEY if its embedded H(ek) does
 * not match (§7.3). Prefer MlKem768KeyPair, which keeps the key in wasm
 * memory.
 */
export function mlkem768Decapsulate(secretKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const m = mod();
  const dk = checkBytes(secretKey, 'secretKey');
  const c = checkBytes(ciphertext, 'ciphertext');
  invoke(m, m._mlkemDecapsulateWithSecretKey, [dk, c]);
  return takeSecret(m, 0);
}

// ---------------------------------------------------------------------------
// X-Wing

const xwingKind = handleKind((m) => m._xwingFree);
let xwingHandleOf: (key: unknown, what: string) => number;

/**
 * An X-Wing private key (a 32-byte seed, expanded once) in wasm memory.
 * The same key is an age AGE-SECRET-KEY-PQ-1 identity, and its public key
 * an age1pq1 recipient. It holds a secret: call dispose() (or use `using`).
 */
export class XWingPrivateKey {
  readonly #slot: HandleSlot;
  readonly #publicKey: Uint8Array;

  static {
    xwingHandleOf = (key, what) => XWingPrivateKey.#of(key, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): XWingPrivateKey {
    if (!isObject(x) || !(#slot in x))
      fail('INVALID_ARGUMENT', `${what} must be an XWingPrivateKey`);
    return x;
  }

  private constructor(m: MedsealCoreModule) {
    this.#publicKey = outBytes(m, 0);
    this.#slot = new HandleSlot(this, outNum(m), xwingKind);
  }

  /** A fresh key from the platform CSPRNG. */
  static generate(): XWingPrivateKey {
    const m = mod();
    const code = m._xwingGenerate();
    if (code !== 0) throwCoreError(m, code);
    return new XWingPrivateKey(m);
  }

  /** The key of a 32-byte seed (INVALID_ARGUMENT otherwise). */
  static fromSeed(seed: Uint8Array): XWingPrivateKey {
    const m = mod();
    const s = checkBytes(seed, 'seed');
    invoke(m, m._xwingFromSeed, [s]);
    return new XWingPrivateKey(m);
  }

  /** The 1216-byte public key, ML-KEM-768 ek || X25519 pk (a copy). */
  get publicKey(): Uint8Array {
    return XWingPrivateKey.#of(this, 'this').#publicKey.slice();
  }

  /**
   * Decaps(sk, ct): the 32-byte shared secret (fill(0) it after use).
   * INVALID_ARGUMENT unless 1120 bytes; WEAK_KEY if the X25519 share gives
   * an all-zero output. A wrong ciphertext of the right size gives a wrong
   * secret, not an error.
   */
  decapsulate(ciphertext: Uint8Array): Uint8Array {
    const m = mod();
    const h = xwingHandleOf(this, 'xwingPrivateKey');
    const c = checkBytes(ciphertext, 'ciphertext');
    invoke(m, m._xwingDecapsulate, [u32(h), c]);
    return takeSecret(m, 0);
  }

  /** The 32-byte seed, for a keystore. The caller must fill(0) it. */
  exportSeed(): Uint8Array {
    const m = mod();
    const h = xwingHandleOf(this, 'xwingPrivateKey');
    invoke(m, m._xwingExportSeed, [u32(h)]);
    return takeSecret(m, 0);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return XWingPrivateKey.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees the key in wasm memory. Idempotent. */
  dispose(): void {
    XWingPrivateKey.#of(this, 'this').#slot.dispose();
  }
}

export interface XWingPrivateKey {
  [Symbol.dispose](): void;
}

publicClass(XWingPrivateKey, 'XWingPrivateKey');

/** The 1216-byte public key of a 32-byte X-Wing seed (PrivateKeyToPublicKey). */
export function xwingPublicKey(seed: Uint8Array): Uint8Array {
  const m = mod();
  const s = checkBytes(seed, 'seed');
  invoke(m, m._xwingPublicKey, [s]);
  return outBytes(m, 0);
}

/**
 * X-Wing Encaps(pk) with 64 random bytes from the platform CSPRNG.
 * INVALID_ARGUMENT unless 1216 bytes; INVALID_KEY if the ML-KEM part fails
 * FIPS 203 §7.2; WEAK_KEY if the X25519 part is a point of small order.
 */
export function xwingEncapsulate(publicKey: Uint8Array): KemEncapsulation {
  const m = mod();
  const pk = checkBytes(publicKey, 'publicKey');
  invoke(m, m._xwingEncapsulate, [pk]);
  return takeEncapsulation(m);
}

// SPDX-License-Identifier: Apache-2.0
// Identity: a signing (Ed25519) and key-agreement (X25519) key pair, and for
// a post-quantum identity an X-Wing key pair, kept in wasm memory by handle
// (wasm/bindings/identity.cc).
import {
  checkBytes,
  checkMillis,
  checkString,
  fail,
  isObject,
  millisOrNow,
  readFields,
} from './checks.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { f64, invoke, outBytes, outKeyId, outNum, outText, release, u32 } from './heap.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 seed, 1 name, 2 role (regions), 3 created (f64), 4 card keys (u32). */
    _identityFromSeed(args: number): number;
    /** 0 name, 1 role (regions), 2 now (f64), 3 card keys (u32). */
    _identityGenerate(args: number): number;
    /** 0 identity (u32); slot 0 = a view of the seed. */
    _identityExportSeed(args: number): number;
    /** 0 identity (u32). */
    _identityFree(args: number): number;
  }
}

export interface IdentityGenerateOptions {
  /** Display name, UTF-8, at most 128 bytes. */
  name: string;
  /** 1..32 of [a-z0-9-]. */
  role: string;
  /** Creation time in ms since the epoch; default Date.now(). */
  now?: number;
  /**
   * true: also an X-Wing (ML-KEM-768 + X25519) key, on a version 2 card, so
   * that records and files sealed to the card are post-quantum protected
   * (docs/spec/record.md §3, §6). Default false: a version 1 card.
   */
  postQuantum?: boolean;
}

export interface IdentitySeedOptions {
  name: string;
  role: string;
  /** Creation time in ms since the epoch (part of the signed card). */
  created: number;
  /** As IdentityGenerateOptions.postQuantum; the same seed gives the same keys. */
  postQuantum?: boolean;
}

// The core's CardKeys (core/identity/identity.h): 0 classic, 1 post-quantum.
function cardKeysOf(x: unknown): number {
  if (x === undefined || x === false) return 0;
  if (x === true) return 1;
  fail('INVALID_ARGUMENT', 'postQuantum must be a boolean');
}

const identityKind = handleKind((m) => m._identityFree);
let handleOf: (identity: unknown, what: string) => number;
let adopt: (m: MedsealCoreModule) => Identity;

/** @internal The Identity an entry point just published (num = handle, slot 0 card, 1 key id). */
export function identityFromOutput(m: MedsealCoreModule): Identity {
  return adopt(m);
}

/**
 * @internal The live handle of an Identity argument: INVALID_ARGUMENT for
 * anything that is not one, DISPOSED after dispose().
 */
export function identityHandle(identity: unknown, what: string): number {
  return handleOf(identity, what);
}

/**
 * A signing (Ed25519) and key-agreement (X25519) key pair in wasm memory.
 * It holds secret keys: call dispose() (or use `using`) when done. After
 * dispose() every operation that needs the keys throws MedsealError DISPOSED;
 * the public `card` and `keyId` stay readable.
 */
export class Identity {
  readonly #slot: HandleSlot;
  readonly #card: string;
  readonly #keyId: string;

  static {
    handleOf = (identity, what) => Identity.#of(identity, what).#slot.get(what);
    adopt = (m) => new Identity(m);
  }

  // Recognises an Identity by its private field (not a Proxy, not
  // Object.create(Identity.prototype)).
  static #of(x: unknown, what: string): Identity {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be an Identity`);
    return x;
  }

  private constructor(m: MedsealCoreModule) {
    this.#card = outText(m, 0);
    this.#keyId = outKeyId(m, 1);
    this.#slot = new HandleSlot(this, outNum(m), identityKind);
  }

  /** Fresh keys from the platform CSPRNG (crypto.getRandomValues). */
  static generate(options: IdentityGenerateOptions): Identity {
    const m = mod();
    const o = readFields(options, 'options', ['name', 'role', 'now', 'postQuantum']);
    const name = checkString(o.name, 'name');
    const role = checkString(o.role, 'role');
    const now = millisOrNow(o.now, 'now');
    const keys = cardKeysOf(o.postQuantum);
    invoke(m, m._identityGenerate, [name, role, f64(now), u32(keys)]);
    return new Identity(m);
  }

  /** Deterministic keys from a 32-byte seed (keystores, tests). */
  static fromSeed(seed: Uint8Array, options: IdentitySeedOptions): Identity {
    const m = mod();
    const o = readFields(options, 'options', ['name', 'role', 'created', 'postQuantum']);
    const s = checkBytes(seed, 'seed');
    const name = checkString(o.name, 'name');
    const role = checkString(o.role, 'role');
    const created = checkMillis(o.created, 'created');
    const keys = cardKeysOf(o.postQuantum);
    invoke(m, m._identityFromSeed, [s, name, role, f64(created), u32(keys)]);
    return new Identity(m);
  }

  /** The public card (JSON text), safe to publish: version 2 for a post-quantum identity. */
  get card(): string {
    return Identity.#of(this, 'this').#card;
  }

  /** The base64url key id. */
  get keyId(): string {
    return Identity.#of(this, 'this').#keyId;
  }

  /** The 32-byte secret seed. The caller must fill(0) it after use. */
  exportSeed(): Uint8Array {
    const m = mod();
    const h = handleOf(this, 'identity');
    invoke(m, m._identityExportSeed, [u32(h)]);
    try {
      return outBytes(m, 0);
    } finally {
      release(m);
    }
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return Identity.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees the keys in wasm memory. Idempotent. */
  dispose(): void {
    Identity.#of(this, 'this').#slot.dispose();
  }
}

export interface Identity {
  [Symbol.dispose](): void;
}

publicClass(Identity, 'Identity');

// SPDX-License-Identifier: Apache-2.0
// medseal/testing: the known-answer helpers, which are not production API.
//
// A separate instance of the library: dist/testing.js is its own bundle
// with its own module (medseal_core_testing.wasm: the production bindings
// plus wasm/bindings/testing.cc) and its own heap, handle tables and init().
// It re-exports the whole public API for that instance, and adds
// DeterministicRng, sealRecord's `rng` option, the raw AEAD with
// caller-chosen nonces and live handle counts. Objects of one instance work
// only with the functions of the same instance: an Identity from 'medseal'
// passed to 'medseal/testing' is INVALID_ARGUMENT, and the other way round.
export * from './index.js';

import { type CardInput } from './card.js';
import { checkBytes, fail, isObject, lengthOf } from './checks.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import {
  checkCallSize,
  invoke,
  outBytes,
  outNum,
  outWords,
  regionAt,
  release,
  stageFourAndRoom,
  throwCoreError,
  u32,
  unstageExcept,
} from './heap.js';
import { type Identity } from './identity.js';
import { mod } from './loading.js';
import {
  sealWith,
  type RecordPayloadInput,
  type SealOptions,
  type SealRandomness,
} from './record.js';
import {
  resealWith,
  shareWith,
  type ShareCandidate,
  type ShareOptions,
  type ShareRandomness,
  type ShareResult,
  type Vault,
} from './share.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 seed (region); num = handle. */
    _rngCreate(args: number): number;
    /** 0 rng, 1 size (u32); slot 0 = the bytes. */
    _rngFill(args: number): number;
    /** 0 rng (u32). */
    _rngFree(args: number): number;
    /** _sealRecord's slots, then 8 rng (u32). */
    _sealRecordWithRng(args: number): number;
    /** _sealRecordV2's slots, then 10 rng (u32). */
    _sealRecordV2WithRng(args: number): number;
    _shareWithRng(args: number): number;
    _resealAsIdentityWithRng(args: number): number;
    /** 0 key, 1 nonce, 2 aad, 3 input, 4 output (regions). */
    _xchachaSeal(args: number): number;
    _xchachaOpen(args: number): number;
    /** Slot 0 = live identities, cards, RNGs, vault keys (u32 each). */
    _liveHandles(): number;
  }
}

// ---------------------------------------------------------------------------
// Deterministic randomness

const rngKind = handleKind((m) => m._rngFree);
let rngHandle: (rng: unknown, what: string) => number;

/**
 * The core's ChaChaRng (docs/spec/record.md): reproducible randomness for
 * known-answer tests ONLY. Never use it for real keys or records.
 */
export class DeterministicRng {
  readonly #slot: HandleSlot;

  static {
    rngHandle = (rng, what) => DeterministicRng.#of(rng, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): DeterministicRng {
    if (!isObject(x) || !(#slot in x))
      fail('INVALID_ARGUMENT', `${what} must be a DeterministicRng`);
    return x;
  }

  /** `seed`: 32 bytes. */
  constructor(seed: Uint8Array) {
    const m = mod();
    invoke(m, m._rngCreate, [checkBytes(seed, 'seed')]);
    this.#slot = new HandleSlot(this, outNum(m), rngKind);
  }

  /** The next `n` bytes (one call of the core's Fill). */
  fill(n: number): Uint8Array {
    const m = mod();
    const h = rngHandle(this, 'DeterministicRng');
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      fail('INVALID_ARGUMENT', 'n must be a non-negative integer');
    }
    checkCallSize(n);
    invoke(m, m._rngFill, [u32(h), u32(n)]);
    try {
      return outBytes(m, 0);
    } finally {
      release(m);
    }
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return DeterministicRng.#of(this, 'this').#slot.disposed;
  }

  /** Frees the generator in wasm memory. Idempotent. */
  dispose(): void {
    DeterministicRng.#of(this, 'this').#slot.dispose();
  }
}

export interface DeterministicRng {
  [Symbol.dispose](): void;
}

publicClass(DeterministicRng, 'DeterministicRng');

// ---------------------------------------------------------------------------
// sealRecord with options.rng

export interface TestingSealOptions extends SealOptions {
  /** Known-answer tests only: the randomness of the seal. */
  rng?: DeterministicRng;
}

const chosenRandomness: SealRandomness = (rng, m, version) => {
  if (rng === undefined)
    return { entry: version === 2 ? m._sealRecordV2 : m._sealRecord, extra: [] };
  const extra = [u32(rngHandle(rng, 'options.rng'))];
  return { entry: version === 2 ? m._sealRecordV2WithRng : m._sealRecordWithRng, extra };
};

/** sealRecord of 'medseal', plus `options.rng` (a DeterministicRng). */
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options?: TestingSealOptions & { encoding?: 'binary' },
): Uint8Array;
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options: TestingSealOptions & { encoding: 'json' },
): string;
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options?: TestingSealOptions,
): Uint8Array | string;
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options: TestingSealOptions = {},
): Uint8Array | string {
  return sealWith(chosenRandomness, sender, recipients, payload, options);
}

// ---------------------------------------------------------------------------
// Raw AEAD (benchmarks and interop)

const AEAD_TAG = 16;

// One argument block: key, nonce, aad and input regions and room for the
// output, which the core writes in place; one call, one copy out. Wiped
// before returning: everything but the ciphertext (the input when opening,
// the output when sealing), which is not secret (skipping it saves a pass
// over large messages).
function xchacha(
  seal: boolean,
  key: unknown,
  nonce: unknown,
  aad: unknown,
  input: unknown,
): Uint8Array {
  const m = mod();
  const k = checkBytes(key, 'key');
  const n = checkBytes(nonce, 'nonce');
  const d = checkBytes(aad, 'aad');
  const x = checkBytes(input, seal ? 'plaintext' : 'ciphertext');
  const xl = lengthOf(x);
  const outLen = seal ? xl + AEAD_TAG : Math.max(0, xl - AEAD_TAG);
  const p = stageFourAndRoom(m, k, n, d, x, outLen);
  const out = regionAt(4);
  const ciphertext = seal ? out : regionAt(3);
  let code: number;
  try {
    code = seal ? m._xchachaSeal(p) : m._xchachaOpen(p);
    if (code === 0) return m.HEAPU8.slice(out, out + outLen);
  } finally {
    unstageExcept(m, ciphertext, ciphertext + (seal ? outLen : xl));
  }
  throwCoreError(m, code);
}

export const aead = Object.freeze({
  /** XChaCha20-Poly1305 (IETF): key 32 bytes, nonce 24; returns ciphertext || tag. */
  xchacha20poly1305Encrypt(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
  ): Uint8Array {
    return xchacha(true, key, nonce, aad, plaintext);
  },
  /** Throws DECRYPT_FAILED when the tag does not verify. */
  xchacha20poly1305Decrypt(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    ciphertext: Uint8Array,
  ): Uint8Array {
    return xchacha(false, key, nonce, aad, ciphertext);
  },
});

// ---------------------------------------------------------------------------
// share and reseal with options.rng

const shareRandomness: ShareRandomness = (rng, m, kind) =>
  rng === undefined
    ? undefined
    : {
        entry: kind === 'share' ? m._shareWithRng : m._resealAsIdentityWithRng,
        extra: [u32(rngHandle(rng, 'options.rng'))],
      };

/** share (the public API) with an optional `rng`: known-answer tests only. */
export function share(
  sender: Identity,
  resource: string,
  consents: readonly string[],
  candidates: readonly ShareCandidate[],
  options: ShareOptions & { rng?: DeterministicRng },
): ShareResult {
  return shareWith(shareRandomness, sender, resource, consents, candidates, options);
}

/** reseal (the public API) with an optional `rng` (Identity openers only). */
export function reseal(
  sender: Identity,
  records: readonly string[],
  originalSender: CardInput,
  opener: Identity | Vault,
  consents: readonly string[],
  candidates: readonly ShareCandidate[],
  options: Omit<ShareOptions, 'vault'> & { rng?: DeterministicRng },
): ShareResult[] {
  return resealWith(
    shareRandomness,
    sender,
    records,
    originalSender,
    opener,
    consents,
    candidates,
    options,
  );
}

// ---------------------------------------------------------------------------
// Leak checks

export interface LiveHandles {
  identities: number;
  cards: number;
  rngs: number;
  vaultKeys: number;
  /** MlKem768KeyPair objects (pq.ts). */
  mlkemKeys: number;
  /** XWingPrivateKey objects (pq.ts). */
  xwingKeys: number;
}

/**
 * How many objects each handle table of this instance holds now: after a
 * call and a dispose() of what it created, the counts must be back where
 * they were.
 */
export function liveHandles(): LiveHandles {
  const m = mod();
  const code = m._liveHandles();
  if (code !== 0) throwCoreError(m, code);
  const [identities, cards, rngs, vaultKeys, mlkemKeys, xwingKeys] = outWords(m, 0);
  return {
    identities: identities!,
    cards: cards!,
    rngs: rngs!,
    vaultKeys: vaultKeys!,
    mlkemKeys: mlkemKeys!,
    xwingKeys: xwingKeys!,
  };
}

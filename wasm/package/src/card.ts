// SPDX-License-Identifier: Apache-2.0
// Public cards: parsed and verified once by the core and kept in wasm
// memory by handle (wasm/bindings/card.cc); card JSON text is accepted
// wherever a card is, parsed into a temporary handle for the call.
import { checkString, fail, isObject } from './checks.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { invoke, outBytes, outKeyId, outMillis, outNum, outText, u32 } from './heap.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 card JSON (region); num = handle, millis = created, slots 0-5 = its fields. */
    _cardParse(args: number): number;
    /** 0 card (u32); num = version, slot 0 = X-Wing key (or empty), 1 = key types. */
    _cardKeys(args: number): number;
    /** 0 card (u32). */
    _cardFree(args: number): number;
  }
}

const cardKind = handleKind((m) => m._cardFree);
const constructCard = Symbol('PublicCard'); // only PublicCard.parse constructs
let handleOf: (card: PublicCard, what: string) => number;
let isCard: (x: unknown) => x is PublicCard;

// Parses and verifies `json` into a new handle (the caller frees it). On
// failure the core's code, its message prefixed with `what` when given.
function parseCardHandle(m: MedsealCoreModule, json: string, what?: string): number {
  invoke(m, m._cardParse, [json], what);
  return outNum(m);
}

/**
 * A verified public card, parsed once and kept in wasm memory, to seal to and
 * open from as often as needed without parsing and verifying the card again.
 * It holds no secret; dispose() frees the wasm copy (a FinalizationRegistry
 * frees forgotten cards as a backstop). The properties stay readable after
 * dispose(); using a disposed card throws MedsealError DISPOSED.
 */
export class PublicCard {
  readonly #slot: HandleSlot;
  readonly #keyId: string;
  readonly #name: string;
  readonly #role: string;
  readonly #created: number;
  readonly #json: string;
  readonly #signPublicKey: Uint8Array;
  readonly #kxPublicKey: Uint8Array;
  readonly #version: number;
  readonly #xwingPublicKey: Uint8Array;
  readonly #keyTypes: readonly number[];

  static {
    handleOf = (card, what) => card.#slot.get(what);
    isCard = (x): x is PublicCard => isObject(x) && #slot in x;
  }

  // Recognises a PublicCard by its private field (not a Proxy, not
  // Object.create(PublicCard.prototype)).
  static #of(x: unknown): PublicCard {
    if (!isCard(x)) fail('INVALID_ARGUMENT', 'this must be a PublicCard');
    return x;
  }

  private constructor(token: symbol, m: MedsealCoreModule) {
    if (token !== constructCard) throw new TypeError('PublicCard: use PublicCard.parse(json)');
    this.#keyId = outKeyId(m, 0);
    this.#name = outText(m, 1);
    this.#role = outText(m, 2);
    this.#signPublicKey = outBytes(m, 3);
    this.#kxPublicKey = outBytes(m, 4);
    this.#json = outText(m, 5);
    this.#created = outMillis(m);
    const handle = outNum(m);
    this.#slot = new HandleSlot(this, handle, cardKind);
    invoke(m, m._cardKeys, [u32(handle)]);
    this.#version = outNum(m);
    this.#xwingPublicKey = outBytes(m, 0);
    this.#keyTypes = Object.freeze(Array.from(outBytes(m, 1)));
  }

  /**
   * Parses and fully verifies a card (every field, key id, self-signature).
   * Bad input throws MedsealError (MALFORMED, SIGNATURE_INVALID, ...).
   */
  static parse(json: string): PublicCard {
    const m = mod();
    const text = checkString(json, 'json');
    parseCardHandle(m, text);
    return new PublicCard(constructCard, m);
  }

  /** The base64url key id. */
  get keyId(): string {
    return PublicCard.#of(this).#keyId;
  }

  /** Display name. */
  get name(): string {
    return PublicCard.#of(this).#name;
  }

  /** Role, 1..32 of [a-z0-9-]. */
  get role(): string {
    return PublicCard.#of(this).#role;
  }

  /** Creation time, ms since the epoch (covered by the self-signature), at most 2^53 - 1. */
  get created(): number {
    return PublicCard.#of(this).#created;
  }

  /** The card as JSON text, as medseal writes it (what Identity.card holds). */
  get json(): string {
    return PublicCard.#of(this).#json;
  }

  /** Ed25519 public key (32 bytes; a fresh copy on each read). */
  get signPublicKey(): Uint8Array {
    return PublicCard.#of(this).#signPublicKey.slice();
  }

  /** X25519 public key (32 bytes; a fresh copy on each read). */
  get kxPublicKey(): Uint8Array {
    return PublicCard.#of(this).#kxPublicKey.slice();
  }

  /** The card version: 1 (Ed25519 + X25519) or 2 (also a typed key list). */
  get version(): number {
    return PublicCard.#of(this).#version;
  }

  /**
   * True when the card has an X-Wing (ML-KEM-768 + X25519) key: records and
   * files sealed to it are post-quantum protected.
   */
  get postQuantum(): boolean {
    return PublicCard.#of(this).#xwingPublicKey.length > 0;
  }

  /** The X-Wing public key (1216 bytes; a fresh copy on each read), or null. */
  get xwingPublicKey(): Uint8Array | null {
    const k = PublicCard.#of(this).#xwingPublicKey;
    return k.length > 0 ? k.slice() : null;
  }

  /**
   * The types of the card's key list, in order (version 2; empty for
   * version 1): 3 is X-Wing; other types are kept but never used.
   */
  get keyTypes(): number[] {
    return [...PublicCard.#of(this).#keyTypes];
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return PublicCard.#of(this).#slot.disposed;
  }

  /** Frees the card in wasm memory. Idempotent. */
  dispose(): void {
    PublicCard.#of(this).#slot.dispose();
  }
}

export interface PublicCard {
  [Symbol.dispose](): void;
}

publicClass(PublicCard, 'PublicCard');

/** A card argument: a PublicCard or card JSON text. */
export type CardInput = PublicCard | string;

/**
 * @internal Checks a card argument (already read): a live PublicCard (else
 * DISPOSED) or well-formed text; anything else is INVALID_ARGUMENT.
 */
export function checkCard(x: unknown, what: string): CardInput {
  if (isCard(x)) {
    handleOf(x, what); // DISPOSED before any work
    return x;
  }
  if (typeof x === 'string') return checkString(x, what);
  fail('INVALID_ARGUMENT', `${what} must be a PublicCard or card JSON text`);
}

/**
 * @internal Runs `call` with a handle per card: PublicCards as they are,
 * card texts parsed into temporary handles that are freed afterwards.
 * `call` must copy its results out before returning (freeing resets the
 * output slots). `what(i)` names card i in errors.
 */
export function withCards<T>(
  m: MedsealCoreModule,
  cards: readonly CardInput[],
  what: (i: number) => string,
  call: (handles: number[]) => T,
): T {
  const temporary: number[] = [];
  try {
    const handles = cards.map((c, i) => {
      if (typeof c !== 'string') return handleOf(c, what(i));
      const h = parseCardHandle(m, c, what(i));
      temporary.push(h);
      return h;
    });
    return call(handles);
  } finally {
    for (const h of temporary) cardKind.free(m, h);
  }
}

export interface ParsedCard {
  keyId: string;
  name: string;
  role: string;
  created: number;
  signPublicKey: Uint8Array;
  kxPublicKey: Uint8Array;
  /** 1 or 2. */
  version: number;
  /** The card has an X-Wing key. */
  postQuantum: boolean;
  /** The X-Wing public key (1216 bytes), or null. */
  xwingPublicKey: Uint8Array | null;
  /** The key list's types, in order. */
  keyTypes: number[];
}

/**
 * Parses and fully verifies a card (self-signature, key id) and returns its
 * fields as plain data. To seal to or open from a card repeatedly, keep a
 * PublicCard (PublicCard.parse) instead.
 */
export function parseCard(json: string): ParsedCard {
  const card = PublicCard.parse(json);
  card.dispose();
  return {
    keyId: card.keyId,
    name: card.name,
    role: card.role,
    created: card.created,
    signPublicKey: card.signPublicKey,
    kxPublicKey: card.kxPublicKey,
    version: card.version,
    postQuantum: card.postQuantum,
    xwingPublicKey: card.xwingPublicKey,
    keyTypes: card.keyTypes,
  };
}

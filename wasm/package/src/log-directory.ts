// SPDX-License-Identifier: Apache-2.0
// The key directory (wasm/bindings/log_directory.cc over
// core/log/directory.h; docs/spec/log.md §9): a KeyDirectory fed the log's
// entries in order (cards, key rotations and revocations as events) that
// gives the card published under a key id, or KEY_REVOKED once it was
// revoked or rotated away; and a CardWatch, with which a device watches the
// log for cards in its own name or role that it did not publish
// (UNEXPECTED_CARD). Key ids are base64url (as PublicCard.keyId); indexes
// are safe integers.
import { checkBytes, checkString, fail, isObject, readFields, readList } from './checks.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { type Arg, invoke, outNum, outText, throwCoreError, u32 } from './heap.js';
import { mod } from './loading.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** No arguments; num = handle. */
    _logDirectoryNew(): number;
    /** 0 directory (u32), 1-2 index (u64), 3 entry; num = keys. */
    _logDirectoryApplyEntry(args: number): number;
    /** 0 directory (u32), 1 key id (text); slot 0 = card JSON. */
    _logDirectoryLookup(args: number): number;
    /** As _logDirectoryLookup, at the end of the rotation chain. */
    _logDirectoryCurrent(args: number): number;
    /** 0 directory (u32), 1 key id (text); slot 0 = key JSON. */
    _logDirectoryKey(args: number): number;
    /** 0 directory (u32). */
    _logDirectoryFree(args: number): number;
    /** 0 watch JSON; num = handle. */
    _logCardWatchNew(args: number): number;
    /** 0 watch (u32), 1 key id (text). */
    _logCardWatchAddOwnKey(args: number): number;
    /** 0 watch (u32), 1-2 index (u64), 3 entry. */
    _logCardWatchObserve(args: number): number;
    /** 0 watch (u32); slot 0 = findings JSON. */
    _logCardWatchFindings(args: number): number;
    /** 0 watch (u32). */
    _logCardWatchCheck(args: number): number;
    /** 0 watch (u32). */
    _logCardWatchFree(args: number): number;
  }
}

const TWO_32 = 4294967296;
const MAX_WATCHED = 1024;

function u64(x: unknown, what: string): [Arg, Arg] {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)
    fail('INVALID_ARGUMENT', `${what} must be an integer from 0 to 2^53 - 1`);
  return [u32(Math.floor(x / TWO_32)), u32(x % TWO_32)];
}

/** What the directory knows about one key (spec §9.2). */
export interface DirectoryKeyInfo {
  /** The index of its first publication. */
  published: number;
  /** The key id it was rotated to. */
  successor?: string;
  /** The key id it was rotated from. */
  predecessor?: string;
  /** The index of its revocation. */
  revoked?: number;
  /** The index of its rotation away. */
  rotated?: number;
}

const directoryKind = handleKind((m) => m._logDirectoryFree);
const constructDirectory = Symbol('KeyDirectory');

/**
 * The key directory (core/log/directory.h KeyDirectory): apply every log
 * entry in order with applyEntry; then lookup(keyId) gives the card
 * published under it.
 */
export class KeyDirectory {
  readonly #slot: HandleSlot;
  #size = 0;

  static #of(x: unknown): KeyDirectory {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be a KeyDirectory');
    return x;
  }

  private constructor(token: symbol, handle: number) {
    if (token !== constructDirectory)
      throw new TypeError('KeyDirectory: use KeyDirectory.create()');
    this.#slot = new HandleSlot(this, handle, directoryKind);
  }

  /** An empty directory. */
  static create(): KeyDirectory {
    const m = mod();
    const code = m._logDirectoryNew();
    if (code !== 0) throwCoreError(m, code);
    return new KeyDirectory(constructDirectory, outNum(m));
  }

  static #handle(x: unknown): number {
    return KeyDirectory.#of(x).#slot.get('directory');
  }

  /**
   * Applies log entry `index` (indexes increase): a card is published (a
   * known key id's card replaced); an event's signature is verified against
   * its author's card (SIGNATURE_INVALID), and rotate / revoke events change
   * the directory (rules K1-K6): LOG_ENTRY_MISSING (author or named card not
   * published before), KEY_REVOKED (the author was revoked or rotated
   * away), INVALID_ARGUMENT, NOT_PERMITTED; the entry parser's codes.
   */
  applyEntry(index: number, entry: Uint8Array): void {
    const m = mod();
    invoke(m, m._logDirectoryApplyEntry, [
      u32(KeyDirectory.#handle(this)),
      ...u64(index, 'index'),
      checkBytes(entry, 'entry'),
    ]);
    this.#size = outNum(m);
  }

  /** The number of keys published. */
  get size(): number {
    return KeyDirectory.#of(this).#size;
  }

  static #card(x: unknown, entry: (args: number) => number, keyId: string): string {
    const m = mod();
    invoke(m, entry, [u32(KeyDirectory.#handle(x)), checkString(keyId, 'keyId')]);
    return outText(m, 0);
  }

  /**
   * The card (JSON text) published under `keyId` (spec §9.3):
   * LOG_ENTRY_MISSING when none was, KEY_REVOKED when it was revoked or
   * rotated away.
   */
  lookup(keyId: string): string {
    const m = mod();
    return KeyDirectory.#card(this, m._logDirectoryLookup, keyId);
  }

  /** The card at the end of `keyId`'s rotation chain: LOG_ENTRY_MISSING, KEY_REVOKED. */
  current(keyId: string): string {
    const m = mod();
    return KeyDirectory.#card(this, m._logDirectoryCurrent, keyId);
  }

  /** Everything known about `keyId`: LOG_ENTRY_MISSING when nothing. */
  key(keyId: string): DirectoryKeyInfo {
    const m = mod();
    return JSON.parse(KeyDirectory.#card(this, m._logDirectoryKey, keyId)) as DirectoryKeyInfo;
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return KeyDirectory.#of(this).#slot.disposed;
  }

  /** Frees the directory in wasm memory. Idempotent. */
  dispose(): void {
    KeyDirectory.#of(this).#slot.dispose();
  }
}

export interface KeyDirectory {
  [Symbol.dispose](): void;
}

publicClass(KeyDirectory, 'KeyDirectory');

/** A card in a watched name or role that this device did not publish. */
export interface CardFinding {
  index: number;
  keyId: string;
  /** "UNEXPECTED_CARD". */
  code: string;
}

/** What a CardWatch watches for. */
export interface CardWatchOptions {
  /** Card names (exact bytes) to watch. */
  names?: readonly string[];
  /** Card roles to watch. */
  roles?: readonly string[];
  /** Key ids (base64url) this device published: never findings. */
  ownKeys?: readonly string[];
}

const watchKind = handleKind((m) => m._logCardWatchFree);
const constructWatch = Symbol('CardWatch');

function stringList(x: unknown, what: string): string[] {
  if (x === undefined) return [];
  return readList(x, what, MAX_WATCHED, 'strings').map((s, i) => checkString(s, `${what}[${i}]`));
}

/**
 * Watches log entries for cards in a watched name or role with a key id
 * the device did not publish (core/log/directory.h CardWatch, spec §9.4).
 */
export class CardWatch {
  readonly #slot: HandleSlot;

  static #of(x: unknown): CardWatch {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be a CardWatch');
    return x;
  }

  private constructor(token: symbol, handle: number) {
    if (token !== constructWatch) throw new TypeError('CardWatch: use CardWatch.create(options)');
    this.#slot = new HandleSlot(this, handle, watchKind);
  }

  /**
   * A watch (names, roles: up to 1024 each, 1..1024 bytes each; own key ids
   * of 16 bytes): MALFORMED otherwise, TOO_LARGE for longer lists.
   */
  static create(options: CardWatchOptions): CardWatch {
    const m = mod();
    const o = readFields(options, 'options', ['names', 'roles', 'ownKeys'] as const);
    const json = JSON.stringify({
      names: stringList(o.names, 'options.names'),
      roles: stringList(o.roles, 'options.roles'),
      ownKeys: stringList(o.ownKeys, 'options.ownKeys'),
    });
    invoke(m, m._logCardWatchNew, [json]);
    return new CardWatch(constructWatch, outNum(m));
  }

  static #handle(x: unknown): number {
    return CardWatch.#of(x).#slot.get('watch');
  }

  /** The device published (or is about to publish) this key id. */
  addOwnKey(keyId: string): void {
    const m = mod();
    invoke(m, m._logCardWatchAddOwnKey, [
      u32(CardWatch.#handle(this)),
      checkString(keyId, 'keyId'),
    ]);
  }

  /** Log entry `index`; entries that are no card (or do not parse) are ignored. */
  observe(index: number, entry: Uint8Array): void {
    const m = mod();
    invoke(m, m._logCardWatchObserve, [
      u32(CardWatch.#handle(this)),
      ...u64(index, 'index'),
      checkBytes(entry, 'entry'),
    ]);
  }

  /** What the watch found so far, in the order observed. */
  get findings(): CardFinding[] {
    const m = mod();
    invoke(m, m._logCardWatchFindings, [u32(CardWatch.#handle(this))]);
    return JSON.parse(outText(m, 0)) as CardFinding[];
  }

  /** Throws UNEXPECTED_CARD (naming the first finding's index) when there is a finding. */
  check(): void {
    const m = mod();
    invoke(m, m._logCardWatchCheck, [u32(CardWatch.#handle(this))]);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return CardWatch.#of(this).#slot.disposed;
  }

  /** Frees the watch in wasm memory. Idempotent. */
  dispose(): void {
    CardWatch.#of(this).#slot.dispose();
  }
}

export interface CardWatch {
  [Symbol.dispose](): void;
}

publicClass(CardWatch, 'CardWatch');

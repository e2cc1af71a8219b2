// SPDX-License-Identifier: Apache-2.0
// Sealed records: seal (version 1, or version 2 with purposes, consent
// hashes and vault keys), open (for a stated purpose, or with a vault key),
// verify, inspect and convert (wasm/bindings/record.cc). A sealed record
// argument is a Uint8Array (the binary encoding) or a string (the JSON
// encoding): the type says which, and the core is told (RecordEncoding),
// nothing is guessed.
import {
  checkBytes,
  checkBytesOrString,
  checkString,
  fail,
  isObject,
  millisOrNow,
  optionalString,
  readFields,
  readList,
} from './checks.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { type CardInput, checkCard, withCards } from './card.js';
import {
  type Arg,
  f64,
  invoke,
  outBytes,
  outKeyId,
  outKeyIds,
  outMillis,
  outNum,
  outText,
  release,
  throwCoreError,
  u32,
} from './heap.js';
import { identityHandle, type Identity } from './identity.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** wasm/bindings/record.h: 0 sender, 1 card handles, 2-5 payload, 6 encoding, 7 now. */
    _sealRecord(args: number): number;
    /** 0 recipient, 1 sender card (u32), 2 sealed (region), 3 encoding (u32). */
    _openRecord(args: number): number;
    /** 0 sender card (u32), 1 sealed (region), 2 encoding (u32). */
    _verifyRecord(args: number): number;
    /** 0 sealed (region), 1 encoding (u32). */
    _inspectRecord(args: number): number;
    /** 0 sealed (region), 1 its encoding, 2 the encoding wanted (u32). */
    _recordReencode(args: number): number;
    /**
     * wasm/bindings/record.h: 0 sender, 1 card handles, 2 vault key handles,
     * 3 context JSON, 4-7 payload, 8 encoding, 9 now.
     */
    _sealRecordV2(args: number): number;
    /** _openRecord's slots, then 4 purpose system, 5 purpose code (regions). */
    _openRecordForPurpose(args: number): number;
    /** 0 vault key, 1 sender card (u32), 2 sealed, 3 encoding, 4-5 purpose. */
    _openRecordWithVaultKey(args: number): number;
    /** No arguments; num = handle, slot 0 = key id. */
    _vaultKeyGenerate(): number;
    /** 0 key id, 1 key (regions); num = handle, slot 0 = key id. */
    _vaultKeyFromBytes(args: number): number;
    /** 0 vault key (u32); slot 0 = a view of the key. */
    _vaultKeyExport(args: number): number;
    /** 0 vault key (u32). */
    _vaultKeyFree(args: number): number;
  }
}

/**
 * @internal The most recipients of one record (core/record/sealed_record.h,
 * kMaxRecipients; test/codes.test.js checks that the two agree). Known here
 * so that a huge array is refused before its elements are read.
 */
export const MAX_RECIPIENTS = 64;
/** @internal core/record/sealed_record.h kMaxRecordPurposes, kMaxConsentHashes. */
export const MAX_PURPOSES = 16;
/** @internal */
export const MAX_CONSENT_HASHES = 64;

/**
 * A purpose of use: a code of a code system, e.g. HL7 v3 PurposeOfUse
 * `{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }`.
 */
export interface RecordPurpose {
  /** 1..255 printable ASCII characters without space. */
  system: string;
  /** 1..64 printable ASCII characters without space. */
  code: string;
}

/** Stanza types of a version 2 record (docs/spec/record.md §5.3). */
export const StanzaType = Object.freeze({
  /** A card's X25519 key (every stanza of a version 1 record). */
  X25519: 1,
  /** A vault key: the patient's own, erasable copies. */
  VAULT: 2,
  /**
   * A card's X-Wing key (ML-KEM-768 + X25519, post-quantum hybrid): what a
   * card with a post-quantum key gets instead of an X25519 stanza.
   */
  XWING: 3,
} as const);

/** One recipient stanza of a sealed record, as inspectRecord reports it. */
export interface RecordRecipientInfo {
  /** StanzaType; other numbers: types of a later spec, which this build skips. */
  type: number;
  /** The card's or vault key's id, base64url. */
  keyId: string;
  /**
   * Whether this recipient's copy of the data key resists a quantum
   * adversary: true for an X-Wing stanza (secret while ML-KEM-768 or
   * X25519 holds) and a vault stanza (a 256-bit symmetric key); false for
   * X25519 and for types this build does not know (docs/spec/record.md §5.3).
   */
  postQuantum: boolean;
}

// ---------------------------------------------------------------------------
// Vault keys

const vaultKeyKind = handleKind((m) => m._vaultKeyFree);
let vaultHandleOf: (key: unknown, what: string) => number;

/** @internal The live handle of a VaultKey argument. */
export function vaultKeyHandle(key: unknown, what: string): number {
  return vaultHandleOf(key, what);
}

/**
 * A 32-byte symmetric key the patient holds (its keystore), identified by a
 * 16-byte id, kept in wasm memory by handle. Records sealed to it (the
 * `vaultKeys` option of sealRecord) open with openRecordWithVaultKey;
 * destroying every copy of the key makes them unreadable for good
 * (crypto-shredding). It holds a secret: call dispose() (or use `using`).
 */
export class VaultKey {
  readonly #slot: HandleSlot;
  readonly #keyId: string;
  readonly #keyIdBytes: Uint8Array;

  static {
    vaultHandleOf = (key, what) => VaultKey.#of(key, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): VaultKey {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be a VaultKey`);
    return x;
  }

  private constructor(m: MedsealCoreModule) {
    this.#keyId = outKeyId(m, 0);
    this.#keyIdBytes = outBytes(m, 0);
    this.#slot = new HandleSlot(this, outNum(m), vaultKeyKind);
  }

  /** A fresh key and id from the platform CSPRNG. */
  static generate(): VaultKey {
    const m = mod();
    const code = m._vaultKeyGenerate();
    if (code !== 0) throwCoreError(m, code);
    return new VaultKey(m);
  }

  /**
   * A key back from a keystore: its 16-byte id and its 32 bytes (copied into
   * wasm memory; the caller wipes its own copy).
   */
  static fromBytes(keyId: Uint8Array, key: Uint8Array): VaultKey {
    const m = mod();
    const id = checkBytes(keyId, 'keyId');
    const k = checkBytes(key, 'key');
    invoke(m, m._vaultKeyFromBytes, [id, k]);
    return new VaultKey(m);
  }

  /** The key id, base64url (as it appears in inspectRecord). */
  get keyId(): string {
    return VaultKey.#of(this, 'this').#keyId;
  }

  /** The 16-byte key id (a copy; not secret). */
  get keyIdBytes(): Uint8Array {
    return VaultKey.#of(this, 'this').#keyIdBytes.slice();
  }

  /**
   * The 32 secret bytes, for the keystore only. The caller must fill(0)
   * the returned array after use.
   */
  exportKey(): Uint8Array {
    const m = mod();
    const h = vaultHandleOf(this, 'vaultKey');
    invoke(m, m._vaultKeyExport, [u32(h)]);
    try {
      return outBytes(m, 0);
    } finally {
      release(m);
    }
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return VaultKey.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees the key in wasm memory. Idempotent. */
  dispose(): void {
    VaultKey.#of(this, 'this').#slot.dispose();
  }
}

export interface VaultKey {
  [Symbol.dispose](): void;
}

publicClass(VaultKey, 'VaultKey');

// core/record/sealed_record.h, enum class RecordEncoding.
const BINARY = 0;
const JSON_TEXT = 1;

export interface RecordPayloadInput {
  /** The content; a string is encoded as UTF-8. At most 16 MiB. */
  body: Uint8Array | string;
  /** 1..127 printable ASCII characters, e.g. "application/fhir+json". */
  contentType: string;
  /** 0..64 printable ASCII characters without space. */
  recordId?: string;
  /** 0..64 ASCII letters (a FHIR resource type). */
  resourceType?: string;
}

export interface SealOptions {
  /** 'binary' (the default: a Uint8Array) or 'json' (a string). */
  encoding?: 'binary' | 'json';
  /** ms since the epoch; default Date.now(). */
  now?: number;
  /**
   * The purposes of use the record is shared for (1..16, any order, no
   * duplicate). Given: a version 2 record, which opens only for one of
   * them. Left out: a version 1 record (no purpose binding).
   */
  purposes?: readonly RecordPurpose[];
  /** Version 2 only: the 32-byte hashes of the deciding consents (0..64). */
  consentHashes?: readonly Uint8Array[];
  /** Version 2 only: vault keys to seal to besides the cards (64 recipients in all). */
  vaultKeys?: readonly VaultKey[];
}

export interface OpenOptions {
  /**
   * The purpose the opener acts under. A version 2 record opens only for a
   * purpose its header carries (else PURPOSE_MISMATCH; without one a
   * version 2 record is PURPOSE_MISMATCH too); a version 1 record opens for
   * any.
   */
  purpose?: RecordPurpose;
}

export interface OpenedRecord {
  body: Uint8Array;
  contentType: string;
  recordId: string;
  resourceType: string;
  /** ms since the epoch, set by the sender when sealing. */
  created: number;
}

export interface RecordInfo {
  /** 1 or 2. A version 1 record has no purpose binding. */
  version: number;
  senderKeyId: string;
  /** Every stanza's key id (cards' and vault keys'), in the record's order. */
  recipientKeyIds: string[];
  /** Each stanza's type, key id and whether it is post-quantum, in the record's order. */
  recipients: RecordRecipientInfo[];
  /**
   * True when every recipient is post-quantum: all stanzas wrap the same
   * data key, so one X25519 stanza makes the whole record readable to
   * whoever breaks X25519 (docs/spec/record.md §7).
   */
  postQuantum: boolean;
  /** The purposes the header binds, canonical order; [] for version 1. */
  purposes: RecordPurpose[];
  /** The consent hashes the header binds (32 bytes each); [] for version 1. */
  consentHashes: Uint8Array[];
  ciphertextBytes: number;
}

/**
 * @internal Where sealRecord's randomness comes from, given options.rng as
 * read: the entry point to call and the slots after the common ones.
 * Production refuses any rng; medseal/testing accepts a DeterministicRng.
 */
export type SealRandomness = (
  rng: unknown,
  m: MedsealCoreModule,
  version: 1 | 2,
) => { entry: (args: number) => number; extra: Arg[] };

const platformRandomness: SealRandomness = (rng, m, version) => {
  if (rng !== undefined)
    fail('INVALID_ARGUMENT', "options.rng: a DeterministicRng is in 'medseal/testing' only");
  return { entry: version === 2 ? m._sealRecordV2 : m._sealRecord, extra: [] };
};

const hexOf = (b: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < b.length; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out;
};

/** Reads a purpose object once (its fields as strings). */
function readPurpose(x: unknown, what: string): RecordPurpose {
  const p = readFields(x, what, ['system', 'code']);
  return {
    system: checkString(p.system, `${what}.system`),
    code: checkString(p.code, `${what}.code`),
  };
}

/** The type picks the encoding: Uint8Array = binary, string = JSON text. */
function sealedInput(sealed: unknown): [Uint8Array | string, number] {
  const s = checkBytesOrString(sealed, 'sealed');
  return [s, typeof s === 'string' ? JSON_TEXT : BINARY];
}

/**
 * Seals `payload` from `sender` to every card in `recipients` (1..64 cards:
 * PublicCard objects or card JSON texts, which are parsed and verified on
 * every call). Returns bytes (binary encoding, the default) or JSON text.
 * With `options.purposes` the record is version 2: the purposes and
 * `options.consentHashes` are bound into its authenticated header, and
 * `options.vaultKeys` are recipients too (then `recipients` may be empty).
 */
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options?: SealOptions & { encoding?: 'binary' },
): Uint8Array;
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options: SealOptions & { encoding: 'json' },
): string;
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options?: SealOptions,
): Uint8Array | string;
export function sealRecord(
  sender: Identity,
  recipients: readonly CardInput[],
  payload: RecordPayloadInput,
  options: SealOptions = {},
): Uint8Array | string {
  return sealWith(platformRandomness, sender, recipients, payload, options);
}

/** @internal sealRecord with the randomness `randomness` picks. */
export function sealWith(
  randomness: SealRandomness,
  sender: unknown,
  recipients: unknown,
  payload: unknown,
  options: unknown,
): Uint8Array | string {
  const m = mod();
  // 1. Every caller object is read once, here.
  const list = readList(recipients, 'recipients', MAX_RECIPIENTS, 'cards');
  const p = readFields(payload, 'payload', ['body', 'contentType', 'recordId', 'resourceType']);
  const o = readFields(options, 'options', [
    'encoding',
    'now',
    'rng',
    'purposes',
    'consentHashes',
    'vaultKeys',
  ]);
  const v2 = o.purposes !== undefined;
  const purposeList = v2 ? readList(o.purposes, 'options.purposes', MAX_PURPOSES, 'purposes') : [];
  const hashList =
    o.consentHashes === undefined
      ? []
      : readList(o.consentHashes, 'options.consentHashes', MAX_CONSENT_HASHES, 'consent hashes');
  const vaultList =
    o.vaultKeys === undefined
      ? []
      : readList(o.vaultKeys, 'options.vaultKeys', MAX_RECIPIENTS, 'vault keys');
  const purposes = purposeList.map((x, i) => readPurpose(x, `options.purposes[${i}]`));
  // 2. Checks of what was read: no caller code runs from here on.
  const senderHandle = identityHandle(sender, 'sender');
  const cards = list.map((c, i) => checkCard(c, `recipients[${i}]`));
  const body = checkBytesOrString(p.body, 'payload.body');
  const contentType = checkString(p.contentType, 'payload.contentType');
  const recordId = optionalString(p.recordId, 'payload.recordId');
  const resourceType = optionalString(p.resourceType, 'payload.resourceType');
  // Only undefined means the default (null is not an encoding).
  const encoding =
    o.encoding === undefined || o.encoding === 'binary'
      ? BINARY
      : o.encoding === 'json'
        ? JSON_TEXT
        : fail('INVALID_ARGUMENT', "options.encoding must be 'binary' or 'json'");
  const now = millisOrNow(o.now, 'options.now');
  if (!v2 && (o.consentHashes !== undefined || o.vaultKeys !== undefined))
    fail('INVALID_ARGUMENT', 'options.consentHashes and options.vaultKeys need options.purposes');
  const hashes = hashList.map((h, i) => hexOf(checkBytes(h, `options.consentHashes[${i}]`)));
  const vaultHandles = vaultList.map((k, i) => vaultKeyHandle(k, `options.vaultKeys[${i}]`));
  const { entry, extra } = randomness(o.rng, m, v2 ? 2 : 1);
  // 3. Into wasm memory and the call.
  return withCards(
    m,
    cards,
    (i) => `recipients[${i}]`,
    (handles) => {
      // u32 words in the platform's byte order, as HEAPU32 writes them (the
      // Emscripten heap views require a little-endian platform, as wasm is).
      const words = new Uint8Array(new Uint32Array(handles).buffer);
      const context = v2
        ? [
            new Uint8Array(new Uint32Array(vaultHandles).buffer),
            JSON.stringify({ purposes, consentHashes: hashes }),
          ]
        : [];
      invoke(m, entry, [
        u32(senderHandle),
        words,
        ...context,
        contentType,
        recordId,
        resourceType,
        body,
        u32(encoding),
        f64(now),
        ...extra,
      ]);
      return encoding === JSON_TEXT ? outText(m, 0) : outBytes(m, 0);
    },
  );
}

/** The opened payload of the last call, copied out, then wiped in the core. */
function takeOpened(m: MedsealCoreModule): OpenedRecord {
  try {
    return {
      body: outBytes(m, 0),
      contentType: outText(m, 1),
      recordId: outText(m, 2),
      resourceType: outText(m, 3),
      created: outMillis(m),
    };
  } finally {
    release(m);
  }
}

/**
 * Verifies that `senderCard` (a PublicCard or card JSON text) sealed the
 * record, then decrypts it with `recipient`'s key. `sealed`: the binary
 * encoding (Uint8Array) or the JSON encoding (string), as sealRecord returns
 * them. A version 2 record needs `options.purpose` (OpenOptions).
 */
export function openRecord(
  recipient: Identity,
  senderCard: CardInput,
  sealed: Uint8Array | string,
  options: OpenOptions = {},
): OpenedRecord {
  const m = mod();
  const o = readFields(options, 'options', ['purpose']);
  const purpose = o.purpose === undefined ? undefined : readPurpose(o.purpose, 'options.purpose');
  const h = identityHandle(recipient, 'recipient');
  const card = checkCard(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  return withCards(
    m,
    [card],
    () => 'senderCard',
    ([cardHandle]) => {
      if (purpose === undefined) {
        invoke(m, m._openRecord, [u32(h), u32(cardHandle!), s, u32(encoding)]);
      } else {
        invoke(m, m._openRecordForPurpose, [
          u32(h),
          u32(cardHandle!),
          s,
          u32(encoding),
          purpose.system,
          purpose.code,
        ]);
      }
      // The plaintext is the core's until release() wipes it.
      return takeOpened(m);
    },
  );
}

/**
 * Verifies that `senderCard` sealed the record, then decrypts it with a
 * vault key (a version 2 record's type 2 stanza) for `options.purpose`,
 * which is required.
 */
export function openRecordWithVaultKey(
  vaultKey: VaultKey,
  senderCard: CardInput,
  sealed: Uint8Array | string,
  options: OpenOptions,
): OpenedRecord {
  const m = mod();
  const o = readFields(options, 'options', ['purpose']);
  if (o.purpose === undefined) fail('INVALID_ARGUMENT', 'options.purpose is required');
  const purpose = readPurpose(o.purpose, 'options.purpose');
  const h = vaultKeyHandle(vaultKey, 'vaultKey');
  const card = checkCard(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  return withCards(
    m,
    [card],
    () => 'senderCard',
    ([cardHandle]) => {
      invoke(m, m._openRecordWithVaultKey, [
        u32(h),
        u32(cardHandle!),
        s,
        u32(encoding),
        purpose.system,
        purpose.code,
      ]);
      return takeOpened(m);
    },
  );
}

/** Throws unless `senderCard` sealed the record. Needs no secret. */
export function verifyRecord(senderCard: CardInput, sealed: Uint8Array | string): void {
  const m = mod();
  const card = checkCard(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  withCards(
    m,
    [card],
    () => 'senderCard',
    ([cardHandle]) => {
      invoke(m, m._verifyRecord, [u32(cardHandle!), s, u32(encoding)]);
    },
  );
}

/** The public header fields of a sealed record (nothing is verified). */
export function inspectRecord(sealed: Uint8Array | string): RecordInfo {
  const m = mod();
  const [s, encoding] = sealedInput(sealed);
  invoke(m, m._inspectRecord, [s, u32(encoding)]);
  // Slot 2: core's RecordHeaderJson (written by the core, public data).
  const header = JSON.parse(outText(m, 2)) as {
    version: number;
    postQuantum: boolean;
    purposes: RecordPurpose[];
    consentHashes: string[];
    recipients: RecordRecipientInfo[];
  };
  return {
    version: header.version,
    senderKeyId: outKeyId(m, 0),
    recipientKeyIds: outKeyIds(m, 1),
    recipients: header.recipients.map((r) => ({
      type: r.type,
      keyId: r.keyId,
      postQuantum: r.postQuantum,
    })),
    postQuantum: header.postQuantum,
    purposes: header.purposes.map((p) => ({ system: p.system, code: p.code })),
    consentHashes: header.consentHashes.map(
      (x) => new Uint8Array(x.match(/../g)!.map((b) => parseInt(b, 16))),
    ),
    ciphertextBytes: outNum(m),
  };
}

/** Binary encoding -> JSON encoding (strict parse, lossless). */
export function recordToJson(sealed: Uint8Array): string {
  const m = mod();
  const s = checkBytes(sealed, 'sealed');
  invoke(m, m._recordReencode, [s, u32(BINARY), u32(JSON_TEXT)]);
  return outText(m, 0);
}

/** JSON encoding -> binary encoding (strict parse, lossless). */
export function recordFromJson(json: string): Uint8Array {
  const m = mod();
  const s = checkString(json, 'json');
  invoke(m, m._recordReencode, [s, u32(JSON_TEXT), u32(BINARY)]);
  return outBytes(m, 0);
}

// SPDX-License-Identifier: Apache-2.0
// Sealed records: seal, open, verify, inspect and convert
// (wasm/bindings/record.cc). A sealed record argument is a Uint8Array (the
// binary encoding) or a string (the JSON encoding): the type says which,
// and the core is told (RecordEncoding), nothing is guessed.
import {
  checkBytes,
  checkBytesOrString,
  checkString,
  fail,
  millisOrNow,
  optionalString,
  readFields,
  readList,
} from './checks.js';
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
  }
}

/**
 * @internal The most recipients of one record (core/record/sealed_record.h,
 * kMaxRecipients; test/codes.test.js checks that the two agree). Known here
 * so that a huge array is refused before its elements are read.
 */
export const MAX_RECIPIENTS = 64;

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
  senderKeyId: string;
  recipientKeyIds: string[];
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
) => { entry: (args: number) => number; extra: Arg[] };

const platformRandomness: SealRandomness = (rng, m) => {
  if (rng !== undefined)
    fail('INVALID_ARGUMENT', "options.rng: a DeterministicRng is in 'medseal/testing' only");
  return { entry: m._sealRecord, extra: [] };
};

/** The type picks the encoding: Uint8Array = binary, string = JSON text. */
function sealedInput(sealed: unknown): [Uint8Array | string, number] {
  const s = checkBytesOrString(sealed, 'sealed');
  return [s, typeof s === 'string' ? JSON_TEXT : BINARY];
}

/**
 * Seals `payload` from `sender` to every card in `recipients` (1..64 cards:
 * PublicCard objects or card JSON texts, which are parsed and verified on
 * every call). Returns bytes (binary encoding, the default) or JSON text.
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
  const o = readFields(options, 'options', ['encoding', 'now', 'rng']);
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
  const { entry, extra } = randomness(o.rng, m);
  // 3. Into wasm memory and the call.
  return withCards(
    m,
    cards,
    (i) => `recipients[${i}]`,
    (handles) => {
      // u32 words in the platform's byte order, as HEAPU32 writes them (the
      // Emscripten heap views require a little-endian platform, as wasm is).
      const words = new Uint8Array(new Uint32Array(handles).buffer);
      invoke(m, entry, [
        u32(senderHandle),
        words,
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

/**
 * Verifies that `senderCard` (a PublicCard or card JSON text) sealed the
 * record, then decrypts it with `recipient`'s key. `sealed`: the binary
 * encoding (Uint8Array) or the JSON encoding (string), as sealRecord returns
 * them.
 */
export function openRecord(
  recipient: Identity,
  senderCard: CardInput,
  sealed: Uint8Array | string,
): OpenedRecord {
  const m = mod();
  const h = identityHandle(recipient, 'recipient');
  const card = checkCard(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  return withCards(
    m,
    [card],
    () => 'senderCard',
    ([cardHandle]) => {
      invoke(m, m._openRecord, [u32(h), u32(cardHandle!), s, u32(encoding)]);
      // The plaintext is the core's until release() wipes it.
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
  return {
    senderKeyId: outKeyId(m, 0),
    recipientKeyIds: outKeyIds(m, 1),
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

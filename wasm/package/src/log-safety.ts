// SPDX-License-Identifier: Apache-2.0
// Safety numbers and the in-person QR check (wasm/bindings/log_safety.cc,
// core/log/safety.h, docs/spec/log.md §10): a short fingerprint of two
// public cards that a patient and a clinician compare at a visit, and a QR
// payload that one device shows and the other scans. Public data only.
import { checkBytes, checkString } from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { invoke, outBytes, outText, release, u32 } from './heap.js';
import { mod } from './loading.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 card a, 1 card b (u32); slot 0 = 60 digits, 1 = formatted. */
    _logSafetyNumber(args: number): number;
    /** 0 card (u32); slot 0 = 30 digits, 1 = fingerprint, 2 = covered bytes. */
    _logSafetyCard(args: number): number;
    /** 0 digits (region); slot 0 = groups of five. */
    _logSafetyFormat(args: number): number;
    /** 0 self card, 1 peer card (u32); slot 0 = the QR payload. */
    _logSafetyQrPayload(args: number): number;
    /** 0 payload; slots 0-3 = self key id, self fingerprint, peer key id, peer fingerprint. */
    _logSafetyQrParse(args: number): number;
    /** 0 payload, 1 scanner card, 2 shown card (u32). */
    _logSafetyQrVerify(args: number): number;
  }
}

/** The safety number of two cards: the same for (a, b) and (b, a). */
export interface SafetyNumber {
  /** 60 ASCII digits. */
  readonly digits: string;
  /** The digits in 12 groups of five separated by one space. */
  readonly formatted: string;
}

/** One card's half of a safety number (spec §10.1-§10.3). */
export interface SafetyCardFingerprint {
  /** 30 ASCII digits. */
  readonly digits: string;
  /** The iterated BLAKE2b-512 fingerprint, 64 bytes. */
  readonly fingerprint: Uint8Array;
  /** The bytes the fingerprint covers (version, key id, every public key). */
  readonly cardKeys: Uint8Array;
}

/** A parsed QR payload (spec §10.4). */
export interface SafetyQr {
  /** The showing device's own card: key id (16 bytes) and fingerprint prefix (32 bytes). */
  readonly selfKeyId: Uint8Array;
  readonly selfFingerprint: Uint8Array;
  /** The card the showing device holds for the scanner. */
  readonly peerKeyId: Uint8Array;
  readonly peerFingerprint: Uint8Array;
}

function take<T>(read: () => T): T {
  const m = mod();
  try {
    return read();
  } finally {
    release(m);
  }
}

/** The safety number of cards `a` and `b`; INVALID_ARGUMENT when both are the same card. */
export function safetyNumber(a: CardInput, b: CardInput): SafetyNumber {
  const m = mod();
  const cards = [checkCard(a, 'a'), checkCard(b, 'b')];
  return withCards(
    m,
    cards,
    (i) => ['a', 'b'][i]!,
    ([ha, hb]) => {
      invoke(m, m._logSafetyNumber, [u32(ha!), u32(hb!)]);
      return take(() => ({ digits: outText(m, 0), formatted: outText(m, 1) }));
    },
  );
}

/** One card's fingerprint and 30 digits. */
export function safetyFingerprint(card: CardInput): SafetyCardFingerprint {
  const m = mod();
  return withCards(
    m,
    [checkCard(card, 'card')],
    () => 'card',
    ([h]) => {
      invoke(m, m._logSafetyCard, [u32(h!)]);
      return take(() => ({
        digits: outText(m, 0),
        fingerprint: outBytes(m, 1),
        cardKeys: outBytes(m, 2),
      }));
    },
  );
}

/** "12345 67890 ...": INVALID_ARGUMENT unless a non-empty multiple of 5 ASCII digits. */
export function formatSafetyNumber(digits: string): string {
  const m = mod();
  invoke(m, m._logSafetyFormat, [checkString(digits, 'digits')]);
  return take(() => outText(m, 0));
}

/**
 * The QR payload (101 bytes) the device whose own card is `self` shows, for
 * the card `peer` it holds for the person who scans it.
 */
export function safetyQrPayload(self: CardInput, peer: CardInput): Uint8Array {
  const m = mod();
  const cards = [checkCard(self, 'self'), checkCard(peer, 'peer')];
  return withCards(
    m,
    cards,
    (i) => ['self', 'peer'][i]!,
    ([hs, hp]) => {
      invoke(m, m._logSafetyQrPayload, [u32(hs!), u32(hp!)]);
      return take(() => outBytes(m, 0));
    },
  );
}

/** Parses a scanned payload (rules Q1-Q6): MALFORMED, TRUNCATED, UNSUPPORTED_VERSION, TRAILING_DATA. */
export function parseSafetyQr(payload: Uint8Array): SafetyQr {
  const m = mod();
  invoke(m, m._logSafetyQrParse, [checkBytes(payload, 'payload')]);
  return take(() => ({
    selfKeyId: outBytes(m, 0),
    selfFingerprint: outBytes(m, 1),
    peerKeyId: outBytes(m, 2),
    peerFingerprint: outBytes(m, 3),
  }));
}

/**
 * The scanner's check: `scanner` is the scanning device's own card, `shown`
 * the card it holds for the person whose screen it scans. Returns normally
 * when both sides hold each other's real cards; throws SAFETY_NUMBER_MISMATCH
 * (V1, V2) or a parse code (Q1-Q6).
 */
export function verifySafetyQr(payload: Uint8Array, scanner: CardInput, shown: CardInput): void {
  const m = mod();
  const p = checkBytes(payload, 'payload');
  const cards = [checkCard(scanner, 'scanner'), checkCard(shown, 'shown')];
  withCards(
    m,
    cards,
    (i) => ['scanner', 'shown'][i]!,
    ([hs, hh]) => {
      invoke(m, m._logSafetyQrVerify, [p, u32(hs!), u32(hh!)]);
    },
  );
}

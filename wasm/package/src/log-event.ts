// SPDX-License-Identifier: Apache-2.0
// Signed log events (wasm/bindings/log_event.cc, core/log/event.h, entry.h,
// audit_event.h; docs/spec/log.md §6, §7, §11): parsing an encoded event,
// verifying its signature under its author's card, its hash (what the
// author's next event carries as `prev`), its log entry (0x01 || encoded)
// and leaf hash, salted hashes of small-domain values, and the FHIR R4
// AuditEvent export and import. Events and AuditEvents cross as UTF-8 bytes.
import { checkBytes, checkBytesOrString, checkString } from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { invoke, outBytes, outKeyId, outMillis, outNum, outText, release, u32 } from './heap.js';
import { mod } from './loading.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 encoded event; num = seq, millis = time, slots 0-5 = encoded, type, author, hash, entry, leaf hash. */
    _logEventParse(args: number): number;
    /** 0 encoded event, 1 author card (u32). */
    _logEventVerify(args: number): number;
    /** 0 salt, 1 domain, 2 value; slot 0 = the salted hash. */
    _logSaltedHash(args: number): number;
    /** 0 encoded break-glass event, 1 salt, 2 reason. */
    _logBreakGlassVerifyReason(args: number): number;
    /** 0 encoded event; slot 0 = the AuditEvent JSON. */
    _logAuditEventExport(args: number): number;
    /** 0 AuditEvent JSON; outputs as _logEventParse. */
    _logAuditEventImport(args: number): number;
  }
}

/** The salt domains of medseal events (spec §6). */
export const SaltDomain = Object.freeze({
  sensitivity: 'sensitivity',
  breakGlassReason: 'break-glass-reason',
} as const);

/** An encoded event that parsed (rules E1.. of spec §6.5). */
export interface ParsedLogEvent {
  /** The canonical JSON text of the signed event, exactly as it was given. */
  readonly encoded: string;
  /** "grant", "withdraw", "share", "open", "break-glass", "export", "erase", "rotate", "revoke". */
  readonly type: string;
  /** The author's card key id, base64url (as PublicCard.keyId). */
  readonly author: string;
  /** The author's sequence number. */
  readonly seq: number;
  /** ms since the epoch. */
  readonly time: number;
  /** SHA-256 of the encoded event (32 bytes). */
  readonly hash: Uint8Array;
  /** The log entry: 0x01 || encoded. */
  readonly entry: Uint8Array;
  /** The entry's RFC 9162 leaf hash (32 bytes). */
  readonly leafHash: Uint8Array;
}

function readParsed(): ParsedLogEvent {
  const m = mod();
  try {
    return {
      encoded: outText(m, 0),
      type: outText(m, 1),
      author: outKeyId(m, 2),
      seq: outNum(m),
      time: outMillis(m),
      hash: outBytes(m, 3),
      entry: outBytes(m, 4),
      leafHash: outBytes(m, 5),
    };
  } finally {
    release(m);
  }
}

/**
 * Parses an encoded signed event (text or its UTF-8 bytes). Throws the code
 * of the first rule it breaks (MALFORMED, NON_CANONICAL, TOO_LARGE,
 * UNSUPPORTED_VERSION, REASON_REQUIRED, ...). Does not check the signature.
 */
export function parseLogEvent(encoded: Uint8Array | string): ParsedLogEvent {
  const m = mod();
  invoke(m, m._logEventParse, [checkBytesOrString(encoded, 'encoded')]);
  return readParsed();
}

/**
 * Parses the event and verifies its signature under `author`'s card:
 * SENDER_MISMATCH when the card is not the event's author,
 * SIGNATURE_INVALID when the signature does not verify.
 */
export function verifyLogEvent(encoded: Uint8Array | string, author: CardInput): ParsedLogEvent {
  const m = mod();
  const e = checkBytesOrString(encoded, 'encoded');
  withCards(
    m,
    [checkCard(author, 'author')],
    () => 'author',
    ([h]) => {
      invoke(m, m._logEventVerify, [e, u32(h!)]);
    },
  );
  return parseLogEvent(e);
}

/**
 * The salted hash of `value` in `domain` (label "medseal/v1/log-salt",
 * spec §6.4): how a small-domain value (a sensitivity label, a
 * break-the-glass reason) enters an event. `salt` is 16..64 bytes.
 */
export function saltedHash(
  salt: Uint8Array,
  domain: string,
  value: Uint8Array | string,
): Uint8Array {
  const m = mod();
  invoke(m, m._logSaltedHash, [
    checkBytes(salt, 'salt'),
    checkString(domain, 'domain'),
    checkBytesOrString(value, 'value'),
  ]);
  try {
    return outBytes(m, 0);
  } finally {
    release(m);
  }
}

/**
 * Checks a break-the-glass reason disclosed to the patient (with its event
 * salt) against the logged event, which carries only its salted hash:
 * LOG_ENTRY_MODIFIED when it is not the logged reason, INVALID_ARGUMENT for
 * an event that is not "break-glass" or a salt outside 16..64 bytes.
 */
export function verifyBreakGlassReason(
  encoded: Uint8Array | string,
  salt: Uint8Array,
  reason: string,
): void {
  const m = mod();
  invoke(m, m._logBreakGlassVerifyReason, [
    checkBytesOrString(encoded, 'encoded'),
    checkBytes(salt, 'salt'),
    checkString(reason, 'reason'),
  ]);
}

/** The FHIR R4 AuditEvent of an encoded signed event (JSON text, spec §11). */
export function exportAuditEvent(encoded: Uint8Array | string): string {
  const m = mod();
  invoke(m, m._logAuditEventExport, [checkBytesOrString(encoded, 'encoded')]);
  try {
    return outText(m, 0);
  } finally {
    release(m);
  }
}

/**
 * The signed event an AuditEvent carries (rules AI1.. of spec §11).
 * The signature is not checked here: verifyLogEvent(result.encoded, card).
 */
export function importAuditEvent(auditEvent: Uint8Array | string): ParsedLogEvent {
  const m = mod();
  invoke(m, m._logAuditEventImport, [checkBytesOrString(auditEvent, 'auditEvent')]);
  return readParsed();
}

// SPDX-License-Identifier: Apache-2.0
// Break-the-glass (wasm/bindings/log_break_glass.cc over
// core/log/break_glass.h; docs/spec/log.md §6.7): an emergency open of a
// sealed record (purpose ETREAT or BTG) needs a stated reason and yields
// the plaintext only together with its signed, chained break-glass event;
// the patient's device picks the break-glass events about the patient out
// of the events it reads, to flag them.
import {
  checkBytes,
  checkBytesOrString,
  checkString,
  fail,
  millisOrNow,
  readFields,
  readList,
} from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import {
  type Arg,
  f64,
  invoke,
  outBytes,
  outMillis,
  outNum,
  outText,
  release,
  u32,
} from './heap.js';
import { type AttachmentSignatureInfo, parseAttachmentSignature } from './attachment.js';
import { errorFromCore, type MedsealError } from './errors.js';
import { identityHandle } from './identity.js';
import type { Identity } from './identity.js';
import { mod } from './loading.js';
import { type AuthorChains, authorChainsHandle, type SignedLogEvent } from './log-chain.js';
import { parseLogEvent } from './log-event.js';
import type { OpenedRecord } from './record.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 author, 1 sender card, 2 chains (u32), 3 sealed, 4 encoding (u32), 5 purpose, 6 reason, 7 patient, 8 labels JSON, 9 now; slots 0-3 payload, 4 event, 5 salt; millis = created. */
    _logBreakGlassOpen(args: number): number;
    /** As _logBreakGlassOpen; num = the open's code, slots 0-3 payload (empty when it failed), 4 event, 5 salt; millis = created. */
    _logBreakGlassAttempt(args: number): number;
    /** As _logBreakGlassOpen with 3-4 the signature record, then 10 the age file; num = code, slots 0 plaintext, 1 signature JSON, 2 message, 4 event, 5 salt. */
    _logBreakGlassAttemptAttachment(args: number): number;
    /** 0 framed events, 1 count (u32), 2 patient key id; slot 0 = positions JSON. */
    _logBreakGlassEventsAbout(args: number): number;
  }
}

/** What the clinician states for an emergency open. */
export interface EmergencyAccess {
  /** "ETREAT" or "BTG" (HL7 v3 PurposeOfUse). */
  purpose: string;
  /** Free text, 1..1024 bytes, not only white space: salted into the event, never logged in clear. */
  reason: string;
  /** The patient's card key id (base64url, as PublicCard.keyId). */
  patient: string;
  /** The record's sensitivity labels as FHIR tokens "system|code" (0..16), salted. */
  sensitivity?: readonly string[];
}

/** The options of breakGlassOpenRecord. */
export interface BreakGlassOptions {
  /** The opener's chains: the event continues them and is appended. */
  chains: AuthorChains;
  /** The event's time (ms); default Date.now(). */
  now?: number;
}

/** An emergency open's result: the plaintext and the event that logs it. */
export interface BreakGlassOpened {
  payload: OpenedRecord;
  /** The signed break-glass event (its salt: disclose it with the reason to the patient only). */
  event: SignedLogEvent;
}

const MAX_LABELS = 16;
// A 2-byte length prefix per event (the entry-bundle framing, spec §3.3).
const MAX_EVENT_BYTES = 65535;

/**
 * Opens `sealed` (binary or JSON) from `senderCard` as `author` for an
 * emergency purpose and signs the break-glass event about it
 * (BreakGlassOpenRecord). Checks before anything is decrypted, in order:
 * REASON_REQUIRED (an empty or blank reason), TOO_LARGE (over 1024 bytes),
 * INVALID_ARGUMENT (control characters, a purpose other than ETREAT/BTG, a
 * patient key id that is not 16 bytes, more than 16 or empty labels); then
 * the open's codes (PURPOSE_MISMATCH for a v2 record without the purpose,
 * NOT_A_RECIPIENT, ...). On error the chain is unchanged and nothing is
 * returned.
 */
export function breakGlassOpenRecord(
  sealed: Uint8Array | string,
  author: Identity,
  senderCard: CardInput,
  access: EmergencyAccess,
  options: BreakGlassOptions,
): BreakGlassOpened {
  const m = mod();
  const s = checkBytesOrString(sealed, 'sealed');
  const [chains, ...fields] = readAccess(access, options);
  const authorHandle = u32(identityHandle(author, 'author'));
  const card = checkCard(senderCard, 'senderCard');
  const rest: Arg[] = [chains!, s, u32(typeof s === 'string' ? 1 : 0), ...fields];
  const [payload, encoded, salt] = withCards(
    m,
    [card],
    () => 'senderCard',
    ([h]) => {
      invoke(m, m._logBreakGlassOpen, [authorHandle, u32(h!), ...rest]);
      try {
        const opened: OpenedRecord = {
          body: outBytes(m, 0),
          contentType: outText(m, 1),
          recordId: outText(m, 2),
          resourceType: outText(m, 3),
          created: outMillis(m),
        };
        return [opened, outText(m, 4), outBytes(m, 5)] as const;
      } finally {
        release(m);
      }
    },
  );
  return { payload, event: { ...parseLogEvent(encoded), salt } };
}

/** The result of breakGlassAttemptRecord: the event always, the payload only when the open worked. */
export interface BreakGlassAttempted {
  /** The signed break-glass event: outcome 0 when the open worked, 4 (minor failure) when it failed. */
  event: SignedLogEvent;
  /** Whether the open worked. */
  ok: boolean;
  /** The open's error when it failed (NOT_A_RECIPIENT, PURPOSE_MISMATCH, AUTH_FAILED, ...). */
  error?: MedsealError;
  /** The plaintext when the open worked. */
  payload?: OpenedRecord;
}

/** The result of breakGlassAttemptAttachment. */
export interface BreakGlassAttachmentAttempted {
  /** The signed break-glass event (outcome 0 or 4), its subject the attachment's hash. */
  event: SignedLogEvent;
  ok: boolean;
  error?: MedsealError;
  /** The file's plaintext when the open worked. */
  plaintext?: Uint8Array;
  /** Its verified signature object (sender, metadata) when the open worked. */
  signature?: AttachmentSignatureInfo;
}

function readAccess(access: EmergencyAccess, options: BreakGlassOptions): Arg[] {
  const a = readFields(access, 'access', ['purpose', 'reason', 'patient', 'sensitivity'] as const);
  const o = readFields(options, 'options', ['chains', 'now'] as const);
  const labels =
    a.sensitivity === undefined
      ? []
      : readList(a.sensitivity, 'access.sensitivity', MAX_LABELS, 'labels').map((l, i) =>
          checkString(l, `access.sensitivity[${i}]`),
        );
  return [
    u32(authorChainsHandle(o.chains, 'options.chains')),
    checkString(a.purpose, 'access.purpose'),
    checkString(a.reason, 'access.reason'),
    checkString(a.patient, 'access.patient'),
    JSON.stringify(labels),
    f64(millisOrNow(o.now, 'options.now')),
  ];
}

/**
 * An emergency open of a sealed record that ALWAYS logs (issue #11: "it
 * always writes an event"; BreakGlassAttemptRecord, docs/spec/log.md §6.8).
 * Throws only for the checks made before anything is decrypted (B1-B5,
 * with breakGlassOpenRecord's codes and order): then nothing is signed and
 * the chain is unchanged. Otherwise the break-glass event is signed and
 * chained whether the open worked (outcome 0, `payload`) or failed (outcome
 * 4, `error`): publish `event` in both cases.
 */
export function breakGlassAttemptRecord(
  sealed: Uint8Array | string,
  author: Identity,
  senderCard: CardInput,
  access: EmergencyAccess,
  options: BreakGlassOptions,
): BreakGlassAttempted {
  const m = mod();
  const s = checkBytesOrString(sealed, 'sealed');
  const [chains, purpose, reason, patient, labels, now] = readAccess(access, options);
  const authorHandle = u32(identityHandle(author, 'author'));
  const card = checkCard(senderCard, 'senderCard');
  const [code, payload, encoded, salt] = withCards(
    m,
    [card],
    () => 'senderCard',
    ([h]) => {
      invoke(m, m._logBreakGlassAttempt, [
        authorHandle,
        u32(h!),
        chains!,
        s,
        u32(typeof s === 'string' ? 1 : 0),
        purpose!,
        reason!,
        patient!,
        labels!,
        now!,
      ]);
      try {
        const opened: OpenedRecord = {
          body: outBytes(m, 0),
          contentType: outText(m, 1),
          recordId: outText(m, 2),
          resourceType: outText(m, 3),
          created: outMillis(m),
        };
        return [outNum(m), opened, outText(m, 4), outBytes(m, 5)] as const;
      } finally {
        release(m);
      }
    },
  );
  const event = { ...parseLogEvent(encoded), salt };
  if (code === 0) return { event, ok: true, payload };
  payload.body.fill(0);
  return {
    event,
    ok: false,
    error: errorFromCore(code, 'the emergency open failed; it is logged'),
  };
}

/**
 * The emergency open of an attachment (the age file and the sealed record
 * carrying its signature object), always logged like
 * breakGlassAttemptRecord (BreakGlassAttemptAttachment, log.md §6.8): the
 * purpose is checked on the signature record, then the file is verified and
 * decrypted; the event names the attachment by the SHA-256 of the file
 * given, so a failed open names the same attachment as a successful one.
 */
export function breakGlassAttemptAttachment(
  file: Uint8Array,
  signatureRecord: Uint8Array | string,
  author: Identity,
  senderCard: CardInput,
  access: EmergencyAccess,
  options: BreakGlassOptions,
): BreakGlassAttachmentAttempted {
  const m = mod();
  const f = checkBytes(file, 'file');
  const r = checkBytesOrString(signatureRecord, 'signatureRecord');
  const [chains, purpose, reason, patient, labels, now] = readAccess(access, options);
  const authorHandle = u32(identityHandle(author, 'author'));
  const card = checkCard(senderCard, 'senderCard');
  const [code, plaintext, signatureJson, message, encoded, salt] = withCards(
    m,
    [card],
    () => 'senderCard',
    ([h]) => {
      invoke(m, m._logBreakGlassAttemptAttachment, [
        authorHandle,
        u32(h!),
        chains!,
        r,
        u32(typeof r === 'string' ? 1 : 0),
        purpose!,
        reason!,
        patient!,
        labels!,
        now!,
        f,
      ]);
      try {
        return [
          outNum(m),
          outBytes(m, 0),
          outText(m, 1),
          outText(m, 2),
          outText(m, 4),
          outBytes(m, 5),
        ] as const;
      } finally {
        release(m);
      }
    },
  );
  const event = { ...parseLogEvent(encoded), salt };
  if (code === 0) {
    return { event, ok: true, plaintext, signature: parseAttachmentSignature(signatureJson) };
  }
  return { event, ok: false, error: errorFromCore(code, message) };
}

/**
 * The positions in `events` (encoded events, text or UTF-8 bytes) of the
 * break-glass events whose patient is `patient` (a base64url key id): what
 * the patient's device flags. Every event must parse (its code, the
 * message naming its position); signatures are not checked here
 * (verifyLogEvent with the author's card does that).
 */
export function breakGlassEventsAbout(
  events: readonly (Uint8Array | string)[],
  patient: string,
): number[] {
  const m = mod();
  const list = readList(events, 'events', 0xffffffff, 'events').map((e, i) => {
    const x = checkBytesOrString(e, `events[${i}]`);
    const bytes = typeof x === 'string' ? new TextEncoder().encode(x) : x;
    // The framing's limit; core's own event limit (16 KiB) is far lower.
    if (bytes.length > MAX_EVENT_BYTES) fail('TOO_LARGE', `events[${i}] is over 65535 bytes`);
    return bytes;
  });
  let size = 0;
  for (const e of list) size += 2 + e.length;
  const framed = new Uint8Array(size);
  let at = 0;
  for (const e of list) {
    framed[at] = e.length >>> 8;
    framed[at + 1] = e.length & 0xff;
    framed.set(e, at + 2);
    at += 2 + e.length;
  }
  invoke(m, m._logBreakGlassEventsAbout, [
    framed,
    u32(list.length),
    checkString(patient, 'patient'),
  ]);
  return JSON.parse(outText(m, 0)) as number[];
}

// SPDX-License-Identifier: Apache-2.0
// Break-the-glass (wasm/bindings/log_break_glass.cc over
// core/log/break_glass.h; docs/spec/log.md §6.7): an emergency open of a
// sealed record (purpose ETREAT or BTG) needs a stated reason and yields
// the plaintext only together with its signed, chained break-glass event;
// the patient's device picks the break-glass events about the patient out
// of the events it reads, to flag them.
import {
  checkBytesOrString,
  checkString,
  fail,
  millisOrNow,
  readFields,
  readList,
} from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { type Arg, f64, invoke, outBytes, outMillis, outText, release, u32 } from './heap.js';
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
  const a = readFields(access, 'access', ['purpose', 'reason', 'patient', 'sensitivity'] as const);
  const o = readFields(options, 'options', ['chains', 'now'] as const);
  const labels =
    a.sensitivity === undefined
      ? []
      : readList(a.sensitivity, 'access.sensitivity', MAX_LABELS, 'labels').map((l, i) =>
          checkString(l, `access.sensitivity[${i}]`),
        );
  const authorHandle = u32(identityHandle(author, 'author'));
  const card = checkCard(senderCard, 'senderCard');
  const rest: Arg[] = [
    u32(authorChainsHandle(o.chains, 'options.chains')),
    s,
    u32(typeof s === 'string' ? 1 : 0),
    checkString(a.purpose, 'access.purpose'),
    checkString(a.reason, 'access.reason'),
    checkString(a.patient, 'access.patient'),
    JSON.stringify(labels),
    f64(millisOrNow(o.now, 'options.now')),
  ];
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

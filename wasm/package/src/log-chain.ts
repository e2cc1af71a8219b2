// SPDX-License-Identifier: Apache-2.0
// Signing log events and the per-author chains they continue
// (wasm/bindings/log_chain.cc and log_event.cc over core/log/event.h and
// event_builder.h; docs/spec/log.md §6): an AuthorChains set kept in wasm
// memory, signLogEvent (the event built by core from typed fields: author,
// seq and prev from the identity and its chain, the time from the clock,
// sensitivity labels and a break-the-glass reason salted under a fresh
// secret salt), and the subjects of records, consents, attachments and
// cards. The fields cross as JSON in UTF-8 bytes; core decides what is valid.
import {
  checkBytes,
  checkBytesOrString,
  checkString,
  fail,
  isObject,
  millisOrNow,
  readFields,
  readList,
} from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { identityHandle } from './identity.js';
import {
  type Arg,
  f64,
  invoke,
  outBytes,
  outKeyId,
  outMillis,
  outNum,
  outText,
  outWords,
  release,
  throwCoreError,
  u32,
} from './heap.js';
import type { Identity } from './identity.js';
import { mod } from './loading.js';
import type { ParsedLogEvent } from './log-event.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** No arguments; num = handle. */
    _logChainsNew(): number;
    /** 0 chains (u32), 1 encoded event. */
    _logChainsAppend(args: number): number;
    /** 0 chains (u32), 1 author key id (base64url text); num = seq, slot 0 = prev, 1 = authors (u32 word). */
    _logChainsNext(args: number): number;
    /** 0 chains (u32). */
    _logChainsFree(args: number): number;
    /** 0 identity (u32), 1 chains (u32), 2 fields JSON, 3 now (f64); num = seq, millis = time, slots 0 encoded, 1 salt, 2 author, 3 hash, 4 entry, 5 leaf hash. */
    _logEventSign(args: number): number;
    /** 0 sealed record, 1 encoding (u32); slot 0 = id. */
    _logRecordSubject(args: number): number;
    /** 0 receipt (text); slot 0 = id. */
    _logConsentSubject(args: number): number;
    /** 0 file SHA-256; slot 0 = id. */
    _logAttachmentSubject(args: number): number;
    /** 0 card (u32); slot 0 = id. */
    _logCardSubject(args: number): number;
  }
}

/** The nine event types (docs/spec/log.md §6.2). */
export type LogEventType =
  | 'grant'
  | 'withdraw'
  | 'share'
  | 'open'
  | 'break-glass'
  | 'export'
  | 'erase'
  | 'rotate'
  | 'revoke';

/** What an event is about: a record, consent or attachment by hash (32 bytes), a card by key id (16 bytes). */
export interface LogSubject {
  kind: 'record' | 'consent' | 'attachment' | 'card';
  id: Uint8Array;
}

/** FHIR AuditEvent.outcome: 0 success, 4 minor, 8 serious, 12 major failure. */
export type LogEventOutcome = 0 | 4 | 8 | 12;

/** The typed fields of a new event (docs/spec/log.md §6.2, §6.6). */
export interface LogEventFields {
  type: LogEventType;
  /** At least one (rule S2); any order, equal subjects count once. */
  subjects: readonly LogSubject[];
  /** HL7 v3 PurposeOfUse code ("TREAT", "ETREAT", "BTG", ...); default "". */
  purpose?: string;
  /** Default 0 (success). */
  outcome?: LogEventOutcome;
  /** The patient's card key id (base64url, as PublicCard.keyId). */
  patient?: string;
  /** Card key ids (base64url): who a share or grant is to. */
  recipients?: readonly string[];
  /** Sensitivity labels as FHIR tokens "system|code" (at most 16): salted, never logged in clear. */
  sensitivity?: readonly string[];
  /** Break-the-glass only (required there): the free-text reason, salted. */
  reason?: string;
}

/** Options of signLogEvent. */
export interface SignLogEventOptions {
  /** The chains the event continues (its author's seq and prev); it is appended there. */
  chains: AuthorChains;
  /** The event's time in ms since the epoch; default Date.now(). */
  now?: number;
}

/** A new signed event and its secret salt. */
export interface SignedLogEvent extends ParsedLogEvent {
  /**
   * The event's secret 32-byte salt: it is never logged. Disclose it only
   * with the values it salts (e.g. the break-glass reason to the patient);
   * fill(0) it when no longer needed.
   */
  readonly salt: Uint8Array;
}

const MAX_LIST = 64;

// base64url without padding (subject ids: public hashes and key ids).
function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function strings(x: unknown, what: string): string[] {
  return readList(x, what, MAX_LIST, 'strings').map((s, i) => checkString(s, `${what}[${i}]`));
}

// The fields as the JSON core reads (EventFieldsFromJson): only the shapes
// JS must know to write it are checked here; every rule is core's.
function fieldsJson(x: unknown): [string, string] {
  const f = readFields(x, 'fields', [
    'type',
    'subjects',
    'purpose',
    'outcome',
    'patient',
    'recipients',
    'sensitivity',
    'reason',
  ] as const);
  const json: Record<string, unknown> = {
    type: checkString(f.type, 'fields.type'),
    subjects: readList(f.subjects, 'fields.subjects', MAX_LIST, 'subjects').map((s, i) => {
      const what = `fields.subjects[${i}]`;
      const o = readFields(s, what, ['kind', 'id'] as const);
      return {
        kind: checkString(o.kind, `${what}.kind`),
        id: base64Url(checkBytes(o.id, `${what}.id`)),
      };
    }),
  };
  if (f.purpose !== undefined) json.purpose = checkString(f.purpose, 'fields.purpose');
  if (f.outcome !== undefined) {
    if (typeof f.outcome !== 'number') fail('INVALID_ARGUMENT', 'fields.outcome must be a number');
    json.outcome = f.outcome;
  }
  if (f.patient !== undefined) json.patient = checkString(f.patient, 'fields.patient');
  if (f.recipients !== undefined) json.recipients = strings(f.recipients, 'fields.recipients');
  if (f.sensitivity !== undefined) json.sensitivity = strings(f.sensitivity, 'fields.sensitivity');
  if (f.reason !== undefined) json.reason = checkString(f.reason, 'fields.reason');
  return [JSON.stringify(json), json.type as string];
}

const chainsKind = handleKind((m) => m._logChainsFree);
const constructChains = Symbol('AuthorChains');
let chainsHandleOf: (x: unknown, what: string) => number;

/** @internal The live handle of an AuthorChains argument. */
export function authorChainsHandle(x: unknown, what: string): number {
  return chainsHandleOf(x, what);
}

/**
 * Each author's chain head (core/log/event.h AuthorChains): the seq and prev
 * of an author's next event, and the check of events read from a log in
 * order. A skipped seq is LOG_ENTRY_MISSING, a repeated or lower one
 * LOG_REORDERED, a prev that is not the hash of the author's previous event
 * LOG_ENTRY_MODIFIED. A device that restarts appends its own events from
 * the log again before signing new ones.
 */
export class AuthorChains {
  readonly #slot: HandleSlot;

  static {
    chainsHandleOf = (x, what) => {
      if (!isObject(x) || !(#slot in x))
        fail('INVALID_ARGUMENT', `${what} must be an AuthorChains`);
      return (x as AuthorChains).#slot.get(what);
    };
  }

  private constructor(token: symbol, handle: number) {
    if (token !== constructChains) throw new TypeError('AuthorChains: use AuthorChains.create()');
    this.#slot = new HandleSlot(this, handle, chainsKind);
  }

  /** An empty set of chains. */
  static create(): AuthorChains {
    const m = mod();
    const code = m._logChainsNew();
    if (code !== 0) throwCoreError(m, code);
    return new AuthorChains(constructChains, outNum(m));
  }

  /**
   * Checks an encoded event (text or UTF-8 bytes) against its author's chain
   * and advances it: parseLogEvent's codes, then LOG_ENTRY_MISSING,
   * LOG_REORDERED, LOG_ENTRY_MODIFIED. The signature is not checked here
   * (verifyLogEvent does that). On error nothing changes.
   */
  append(encoded: Uint8Array | string): void {
    const m = mod();
    invoke(m, m._logChainsAppend, [
      u32(chainsHandleOf(this, 'chains')),
      checkBytesOrString(encoded, 'encoded'),
    ]);
  }

  /** The seq and prev (32 bytes) of `author`'s next event (a base64url key id): 0 and zeros at first. */
  next(author: string): { seq: number; prev: Uint8Array } {
    const m = mod();
    invoke(m, m._logChainsNext, [
      u32(chainsHandleOf(this, 'chains')),
      checkString(author, 'author'),
    ]);
    return { seq: outNum(m), prev: outBytes(m, 0) };
  }

  /** The number of authors seen. */
  get authors(): number {
    const m = mod();
    invoke(m, m._logChainsNext, [u32(chainsHandleOf(this, 'chains')), '']);
    return outWords(m, 1)[0]!;
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    if (!isObject(this) || !(#slot in this))
      fail('INVALID_ARGUMENT', 'this must be an AuthorChains');
    return this.#slot.disposed;
  }

  /** Frees the chains in wasm memory. Idempotent. */
  dispose(): void {
    if (!isObject(this) || !(#slot in this))
      fail('INVALID_ARGUMENT', 'this must be an AuthorChains');
    this.#slot.dispose();
  }
}

export interface AuthorChains {
  [Symbol.dispose](): void;
}

publicClass(AuthorChains, 'AuthorChains');

/**
 * Builds, signs and chains a new event by `author` (core/log/event_builder.h
 * SignNewEvent): author, seq and prev from the identity and
 * `options.chains` (which is advanced), time = options.now, sensitivity
 * labels and the reason salted under a fresh 32-byte salt. Codes:
 * INVALID_ARGUMENT (a field rule of spec §6.2 / §6.6: no subject, a share
 * without recipients, a key id of the wrong size, a reason outside a
 * break-glass event, more than 16 labels, ...), REASON_REQUIRED (a
 * break-glass event without a reason or with a blank one, an open for
 * ETREAT/BTG), TOO_LARGE (a reason over 1024 bytes), MALFORMED (a field of
 * the wrong JSON type or an unknown subject kind), UNSUPPORTED_VERSION (an
 * unknown type). On error the chain is unchanged.
 */
export function signLogEvent(
  author: Identity,
  fields: LogEventFields,
  options: SignLogEventOptions,
): SignedLogEvent {
  const m = mod();
  const o = readFields(options, 'options', ['chains', 'now'] as const);
  const [json, type] = fieldsJson(fields);
  invoke(m, m._logEventSign, [
    u32(identityHandle(author, 'author')),
    u32(chainsHandleOf(o.chains, 'options.chains')),
    json,
    f64(millisOrNow(o.now, 'options.now')),
  ]);
  try {
    const salt = outBytes(m, 1);
    return {
      encoded: outText(m, 0),
      type,
      author: outKeyId(m, 2),
      seq: outNum(m),
      time: outMillis(m),
      hash: outBytes(m, 3),
      entry: outBytes(m, 4),
      leafHash: outBytes(m, 5),
      salt,
    };
  } finally {
    release(m);
  }
}

function subjectId(entry: (args: number) => number, args: readonly Arg[]): Uint8Array {
  const m = mod();
  invoke(m, entry, args);
  return outBytes(m, 0);
}

/**
 * The subject of a sealed record (binary Uint8Array or JSON text): its
 * SealedRecordHash, which names the ciphertext and so survives
 * crypto-shredding (spec §6.5). The record parser's codes.
 */
export function recordSubject(sealed: Uint8Array | string): LogSubject {
  const m = mod();
  const s = checkBytesOrString(sealed, 'sealed');
  return {
    kind: 'record',
    id: subjectId(m._logRecordSubject, [s, u32(typeof s === 'string' ? 1 : 0)]),
  };
}

/** The subject of a signed consent receipt (JSON text): its consent hash. The receipt parser's codes. */
export function consentSubject(receipt: string | Uint8Array): LogSubject {
  const m = mod();
  return {
    kind: 'consent',
    id: subjectId(m._logConsentSubject, [checkBytesOrString(receipt, 'receipt')]),
  };
}

/**
 * The subject of an attachment: the SHA-256 of its whole age file (what its
 * attachment signature signs); INVALID_ARGUMENT unless 32 bytes.
 */
export function attachmentSubject(fileSha256: Uint8Array): LogSubject {
  const m = mod();
  return {
    kind: 'attachment',
    id: subjectId(m._logAttachmentSubject, [checkBytes(fileSha256, 'fileSha256')]),
  };
}

/** The subject of a card (rotations, revocations): its 16-byte key id. */
export function cardSubject(card: CardInput): LogSubject {
  const m = mod();
  return withCards(
    m,
    [checkCard(card, 'card')],
    () => 'card',
    ([h]) => ({ kind: 'card' as const, id: subjectId(m._logCardSubject, [u32(h!)]) }),
  );
}

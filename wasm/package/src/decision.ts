// SPDX-License-Identifier: Apache-2.0
// Consent decisions (wasm/bindings/decision.cc, docs/spec/consent.md): a
// patient's FHIR Consent resources (R4 or R5 JSON) are parsed and compiled
// once into a ConsentSet kept in wasm memory; requests are evaluated and
// explained against it as often as needed. Requests cross the boundary as
// JSON text and the core checks every member, type and limit (spec §10), so
// a wrong type from JavaScript gets the core's stable code (MALFORMED,
// TOO_LARGE, UNKNOWN_CODE, ...), never a crash.
import {
  checkBytesOrString,
  checkMillis,
  fail,
  isObject,
  millisOrNow,
  readList,
} from './checks.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { f64, invoke, outNum, outText, u32 } from './heap.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 consent texts back to back (region), 1 their lengths (u32 words); num = handle. */
    _consentSetCompile(args: number): number;
    /** 0 set (u32), 1 request JSON (region), 2 now (f64); slot 0 = decision JSON. */
    _consentSetEvaluate(args: number): number;
    /** 0 set (u32), 1 question JSON (region), 2 now (f64); slot 0 = answer JSON. */
    _consentSetExplain(args: number): number;
    /** 0 set (u32). */
    _consentSetFree(args: number): number;
  }
}

/**
 * @internal The most consents of one set (core/consent/decision.h,
 * kMaxConsentsPerSet); known here so that a huge array is refused before
 * its elements are read.
 */
export const MAX_CONSENTS = 1024;

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

export interface Reference {
  reference?: string;
  identifier?: { system?: string; value: string };
  display?: string;
}

/** Who asks (spec §5.2). */
export interface RequestActor {
  /** base64url of the 16-byte medseal key id (matches identifier urn:medseal:key-id). */
  keyId?: string;
  /** e.g. { reference: 'Practitioner/f204' }. */
  references?: Reference[];
  /** Participation / role codings, e.g. v3-ParticipationType PRCP. */
  roles?: Coding[];
  /** Care-team ids (match CareTeam/<id> and Group/<id>). */
  careTeams?: string[];
}

/** The data part of a request (and an Explain record). */
export interface RecordFacts {
  resourceType?: string;
  class?: Coding[];
  codes?: Coding[];
  /** Sensitivity (v3-ActCode) and confidentiality (v3-Confidentiality) labels. */
  securityLabels?: Coding[];
  /** FHIR dateTimes. */
  dataPeriod?: { start?: string; end?: string };
  data?: Reference[];
}

export interface AccessRequest extends RecordFacts {
  actor?: RequestActor;
  /** consentaction, e.g. { system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access' }. */
  action: Coding;
  /** v3-ActReason (PurposeOfUse), e.g. TREAT, ETREAT, BTG, HPAYMT. */
  purpose: Coding;
}

export interface DecisionReason {
  /** Index into the consents given; absent when no consent decided (D1, D2). */
  consentIndex?: number;
  consentId: string;
  /** e.g. 'provision.provision[1]' (spec §7). */
  provisionPath: string;
  /** The decision table's row, 'D1' .. 'D6' (spec §6). */
  rule: string;
}

export interface ConsentDecision {
  effect: 'permit' | 'deny';
  reason: DecisionReason;
  /** For a permit: the earliest end (ms) of the periods that bound it. */
  until?: number;
}

export interface ExplainRecord extends RecordFacts {
  /** The caller's name for the record, echoed as recordId. */
  id?: string;
}

export interface ExplainEntry {
  record: number;
  recordId: string;
  candidate: number;
  /** 'PurposeOfUse' stands for any purpose that no provision names. */
  purpose: { system: string; code: string };
  until?: number;
  reason: DecisionReason;
}

const setKind = handleKind((m) => m._consentSetFree);
const constructSet = Symbol('ConsentSet');
const encoder = new TextEncoder();
let isSet: (x: unknown) => x is ConsentSet;

// JSON text of a caller's value; the core checks what it says. A value
// JSON cannot express (a BigInt, a cycle, a throwing getter) is
// INVALID_ARGUMENT.
function jsonOf(x: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(x);
  } catch {
    fail('INVALID_ARGUMENT', `${what} cannot be written as JSON`);
  }
  if (typeof text !== 'string') fail('INVALID_ARGUMENT', `${what} must be an object`);
  return text;
}

/**
 * A patient's consents, parsed and compiled once (core ConsentSet) and kept
 * in wasm memory; evaluate() and explain() use them without parsing again.
 * dispose() frees the wasm copy (a FinalizationRegistry is the backstop).
 */
export class ConsentSet {
  readonly #slot: HandleSlot;
  readonly #size: number;

  static {
    isSet = (x): x is ConsentSet => isObject(x) && #slot in x;
  }

  static #of(x: unknown): ConsentSet {
    if (!isSet(x)) fail('INVALID_ARGUMENT', 'this must be a ConsentSet');
    return x;
  }

  private constructor(token: symbol, m: MedsealCoreModule, size: number) {
    if (token !== constructSet) throw new TypeError('ConsentSet: use ConsentSet.compile(consents)');
    this.#size = size;
    this.#slot = new HandleSlot(this, outNum(m), setKind);
  }

  /**
   * Parses each FHIR Consent (R4 or R5 JSON text, or its UTF-8 bytes) and
   * compiles them. Bad input throws MedsealError with the core's code
   * (MALFORMED, TOO_LARGE, TOO_DEEP, ...), the message naming consents[i].
   */
  static compile(consents: readonly (string | Uint8Array)[]): ConsentSet {
    const m = mod();
    const list = readList(consents, 'consents', MAX_CONSENTS, 'FHIR Consent texts');
    const parts = list.map((c, i) => {
      const v = checkBytesOrString(c, `consents[${i}]`);
      return typeof v === 'string' ? encoder.encode(v) : v;
    });
    const lengths = new Uint32Array(parts.map((p) => p.length));
    const all = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    invoke(m, m._consentSetCompile, [all, new Uint8Array(lengths.buffer)]);
    return new ConsentSet(constructSet, m, parts.length);
  }

  /** The number of consents. */
  get size(): number {
    return ConsentSet.#of(this).#size;
  }

  /** Permit or deny, with the reason (spec §4, §6). `now`: ms, default Date.now(). */
  evaluate(request: AccessRequest, now?: number): ConsentDecision {
    const self = ConsentSet.#of(this);
    const m = mod();
    const handle = self.#slot.get('consentSet');
    const text = jsonOf(request, 'request');
    const t = millisOrNow(now, 'now');
    invoke(m, m._consentSetEvaluate, [u32(handle), text, f64(t)]);
    return JSON.parse(outText(m, 0)) as ConsentDecision;
  }

  /**
   * Who can open which record, for which purposes, until when, because of
   * which consent (spec §9): only permits are listed.
   */
  explain(
    records: readonly ExplainRecord[],
    candidates: readonly RequestActor[],
    now?: number,
    action?: Coding,
  ): ExplainEntry[] {
    const self = ConsentSet.#of(this);
    const m = mod();
    const handle = self.#slot.get('consentSet');
    const question: Record<string, unknown> = { records, candidates };
    if (action !== undefined) question.action = action;
    const text = jsonOf(question, 'records and candidates');
    const t = millisOrNow(now, 'now');
    invoke(m, m._consentSetExplain, [u32(handle), text, f64(t)]);
    return (JSON.parse(outText(m, 0)) as { entries: ExplainEntry[] }).entries;
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return ConsentSet.#of(this).#slot.disposed;
  }

  /** Frees the set in wasm memory. Idempotent. */
  dispose(): void {
    ConsentSet.#of(this).#slot.dispose();
  }
}

export interface ConsentSet {
  [Symbol.dispose](): void;
}

publicClass(ConsentSet, 'ConsentSet');

/** One decision: compiles `consents`, evaluates, frees. For many requests keep a ConsentSet. */
export function evaluateConsent(
  consents: readonly (string | Uint8Array)[],
  request: AccessRequest,
  now: number,
): ConsentDecision {
  const t = checkMillis(now, 'now');
  const set = ConsentSet.compile(consents);
  try {
    return set.evaluate(request, t);
  } finally {
    set.dispose();
  }
}

/** Explain in one call: compiles `consents`, explains, frees. */
export function explainConsents(
  consents: readonly (string | Uint8Array)[],
  records: readonly ExplainRecord[],
  candidates: readonly RequestActor[],
  now: number,
): ExplainEntry[] {
  const t = checkMillis(now, 'now');
  const set = ConsentSet.compile(consents);
  try {
    return set.explain(records, candidates, t);
  } finally {
    set.dispose();
  }
}

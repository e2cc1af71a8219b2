// SPDX-License-Identifier: Apache-2.0
// Consent-gated sharing, withdrawal, re-sealing and erasure by
// crypto-shredding (wasm/bindings/share.cc; docs/spec/share.md). Requests
// and results cross the boundary as JSON text; every rule is the core's.
// A Vault holds the patient's self-copy keys in wasm memory: its keys never
// become JS strings (serialize() returns bytes the caller must fill(0)).
import { type CardInput, checkCard, withCards } from './card.js';
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
import { handleKind, HandleSlot, publicClass } from './handles.js';
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
import { identityHandle, type Identity } from './identity.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';
import { MAX_RECIPIENTS, type OpenedRecord } from './record.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 sender, 1 card handles, 2 resource, 3 request (regions), 4 now. */
    _share(args: number): number;
    /** _share's slots, 5 vault (u32). */
    _shareToVault(args: number): number;
    /** 0 sender, 1 cards, 2 records, 3 request, 4 now, 5 original sender card, 6 opener. */
    _resealAsIdentity(args: number): number;
    /** _resealAsIdentity's slots with 6 = vault. */
    _resealFromVault(args: number): number;
    /** 0 patient, 1 receipt, 2 withdrawal (regions), 3 now. */
    _withdrawConsent(args: number): number;
    _vaultCreate(args: number): number;
    /** 0 stored vault (region). */
    _vaultParse(args: number): number;
    /** 0 vault; slot 0 = a view of the stored form. */
    _vaultSerialize(args: number): number;
    /** 0 vault; slot 0 = entries JSON. */
    _vaultEntries(args: number): number;
    /** 0 vault, 1 patient (u32), 2 selector JSON, 3 now. */
    _vaultErase(args: number): number;
    /** 0 vault, 1 sender card (u32), 2 sealed, 3 encoding, 4 purpose system, 5 code. */
    _vaultOpen(args: number): number;
    /** 0 vault. */
    _vaultFree(args: number): number;
    /** 0 patient card (u32), 1 receipt JSON. */
    _verifyErasureReceipt(args: number): number;
  }
}

/** The most signed consents one share takes (core/consent/share.h). */
const MAX_CONSENTS = 256;
/** The most records one reseal takes (core/consent/share.h kMaxShareResources). */
const MAX_RESEAL_RECORDS = 10000;

export interface CodingInput {
  system?: string;
  code: string;
  display?: string;
}

export interface ReferenceInput {
  reference?: string;
  identifier?: { system?: string; value: string };
  display?: string;
}

/** Who a candidate is for the consents (docs/spec/consent.md, request JSON). */
export interface RequestActorInput {
  /** base64url key id; default: the card's. */
  keyId?: string;
  references?: ReferenceInput[];
  roles?: CodingInput[];
  careTeams?: string[];
}

export interface ShareCandidate {
  card: CardInput;
  actor?: RequestActorInput;
}

export interface ShareOptions {
  /** v3-ActReason purpose of use, e.g. {system: '...v3-ActReason', code: 'TREAT'}. */
  purpose: CodingInput;
  /** consentaction; default access. */
  action?: CodingInput;
  /** Self-copies of every sealed record into this vault (erasable). */
  vault?: Vault;
  /** ms since the epoch; default Date.now(). */
  now?: number;
}

export interface ShareReason {
  consentIndex?: number;
  consentId: string;
  provisionPath: string;
  rule: string;
}

export interface ShareDecision {
  keyId: string;
  effect: 'permit' | 'deny';
  reason: ShareReason;
}

export interface ShareLabelCoding {
  system: string;
  code: string;
}

export interface SharedResource {
  index: number;
  resourceType: string;
  resourceId: string;
  labels: ShareLabelCoding[];
  confidentiality: string;
  reasons: { label: ShareLabelCoding; rule: string; path: string; matched: ShareLabelCoding }[];
  decisions: ShareDecision[];
  /** The sealed record (JSON encoding), or null: nobody may see it. */
  record: string | null;
  recipients: string[];
  consentHashes: string[];
  vaultKeyId: string;
}

export interface ShareResult {
  resources: SharedResource[];
  withheld: number[];
}

export type Withdrawal =
  | { scope: 'whole' }
  | {
      scope: 'actor';
      actor: { reference: ReferenceInput; role?: { coding?: CodingInput[]; text?: string } };
    };

export interface ErasureSelector {
  records?: string[];
  categories?: string[];
}

export interface ErasureReceipt {
  /** The signed receipt's JSON text (what to store and hand out). */
  json: string;
  patient: string;
  erasedAt: number;
  requested: { records: string[]; categories: string[] };
  erased: { record: string; key: string; categories: string[]; hashes: string[] }[];
  /** Whom to ask to delete their copies (GDPR Art. 17(2), PIPL Art. 47). */
  notify: { recipient: string; records: string[] }[];
}

export interface VaultEntry {
  recordId: string;
  keyId: string;
  categories: string[];
  recordHashes: string[];
  recipients: string[];
  erased: boolean;
}

// JSON of caller data, read through JSON.stringify (getters run once, here);
// a value JSON cannot hold is INVALID_ARGUMENT. The core checks the rest.
function jsonOf(x: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(x);
  } catch {
    fail('INVALID_ARGUMENT', `${what} cannot be written as JSON`);
  }
  if (text === undefined) fail('INVALID_ARGUMENT', `${what} cannot be written as JSON`);
  return text;
}

const words = (handles: number[]): Uint8Array => new Uint8Array(new Uint32Array(handles).buffer);

interface ReadRequest {
  cards: CardInput[];
  request: string;
  now: number;
  vault: unknown;
  rng: unknown;
}

function readRequest(
  consents: unknown,
  candidates: unknown,
  options: unknown,
  what: string,
): ReadRequest {
  const consentList = readList(consents, 'consents', MAX_CONSENTS, 'receipt JSON texts').map(
    (c, i) => checkString(c, `consents[${i}]`),
  );
  const list = readList(candidates, 'candidates', MAX_RECIPIENTS, 'candidates');
  const o = readFields(options, 'options', ['purpose', 'action', 'vault', 'now', 'rng']);
  const cards: CardInput[] = [];
  const entries = list.map((c, i) => {
    const f = readFields(c, `candidates[${i}]`, ['card', 'actor']);
    cards.push(checkCard(f.card, `candidates[${i}].card`));
    return f.actor === undefined ? { card: i } : { card: i, actor: f.actor };
  });
  if (o.purpose === undefined) fail('INVALID_ARGUMENT', 'options.purpose is required');
  const body: Record<string, unknown> = {
    purpose: o.purpose,
    candidates: entries,
    consents: consentList,
  };
  if (o.action !== undefined) body.action = o.action;
  return {
    cards,
    request: jsonOf(body, what),
    now: millisOrNow(o.now, 'options.now'),
    vault: o.vault,
    rng: o.rng,
  };
}

/**
 * @internal Where share's and reseal's randomness comes from: production
 * refuses any rng; medseal/testing accepts a DeterministicRng.
 */
export type ShareRandomness = (
  rng: unknown,
  m: MedsealCoreModule,
  kind: 'share' | 'reseal',
) => { entry: (args: number) => number; extra: Arg[] } | undefined;

const platformRandomness: ShareRandomness = (rng) => {
  if (rng !== undefined)
    fail('INVALID_ARGUMENT', "options.rng: a DeterministicRng is in 'medseal/testing' only");
  return undefined;
};

function parseResult<T>(text: string): T {
  return JSON.parse(text) as T;
}

/**
 * Shares a FHIR resource or Bundle (JSON text): each resource is labeled,
 * evaluated against the signed consents (receipt JSON texts) for every
 * candidate, and sealed only to the candidates permitted, with the purpose
 * and the deciding consents' hashes bound into the record. A resource
 * nobody may see is not sealed and is listed in `withheld`.
 */
export function share(
  sender: Identity,
  resource: string,
  consents: readonly string[],
  candidates: readonly ShareCandidate[],
  options: ShareOptions,
): ShareResult {
  return shareWith(platformRandomness, sender, resource, consents, candidates, options);
}

/** @internal share with the randomness `randomness` picks. */
export function shareWith(
  randomness: ShareRandomness,
  sender: unknown,
  resource: unknown,
  consents: unknown,
  candidates: unknown,
  options: unknown,
): ShareResult {
  const m = mod();
  const r = readRequest(consents, candidates, options, 'share request');
  const senderHandle = identityHandle(sender, 'sender');
  const text = checkString(resource, 'resource');
  const vaultHandle = r.vault === undefined ? 0 : vaultHandleOf(r.vault, 'options.vault');
  const chosen = randomness(r.rng, m, 'share');
  if (chosen !== undefined && vaultHandle !== 0)
    fail('INVALID_ARGUMENT', 'options.rng and options.vault cannot be combined');
  return withCards(
    m,
    r.cards,
    (i) => `candidates[${i}].card`,
    (handles) => {
      const args: Arg[] = [u32(senderHandle), words(handles), text, r.request, f64(r.now)];
      if (chosen !== undefined) invoke(m, chosen.entry, [...args, ...chosen.extra]);
      else if (vaultHandle !== 0) invoke(m, m._shareToVault, [...args, u32(vaultHandle)]);
      else invoke(m, m._share, args);
      return parseResult<ShareResult>(outText(m, 0));
    },
  );
}

/**
 * Opens existing records (JSON encodings; as `opener`, an Identity the
 * records were sealed to, or the patient's Vault) and shares them again
 * under `consents`: new versions with new data keys, sealed only to the
 * candidates still permitted. A withdrawn grantee cannot open them.
 */
export function reseal(
  sender: Identity,
  records: readonly string[],
  originalSender: CardInput,
  opener: Identity | Vault,
  consents: readonly string[],
  candidates: readonly ShareCandidate[],
  options: Omit<ShareOptions, 'vault'>,
): ShareResult[] {
  return resealWith(
    platformRandomness,
    sender,
    records,
    originalSender,
    opener,
    consents,
    candidates,
    options,
  );
}

/** @internal reseal with the randomness `randomness` picks. */
export function resealWith(
  randomness: ShareRandomness,
  sender: unknown,
  records: unknown,
  originalSender: unknown,
  opener: unknown,
  consents: unknown,
  candidates: unknown,
  options: unknown,
): ShareResult[] {
  const m = mod();
  const list = readList(records, 'records', MAX_RESEAL_RECORDS, 'sealed record JSON texts').map(
    (x, i) => checkString(x, `records[${i}]`),
  );
  const r = readRequest(consents, candidates, options, 'reseal request');
  if (r.vault !== undefined) fail('INVALID_ARGUMENT', 'reseal: options.vault is the opener');
  const senderHandle = identityHandle(sender, 'sender');
  const original = checkCard(originalSender, 'originalSender');
  const fromVault = isVault(opener);
  const openerHandle = fromVault
    ? vaultHandleOf(opener, 'opener')
    : identityHandle(opener, 'opener');
  const chosen = randomness(r.rng, m, 'reseal');
  if (chosen !== undefined && fromVault)
    fail('INVALID_ARGUMENT', 'options.rng needs an Identity opener');
  const recordsJson = jsonOf({ records: list }, 'records');
  return withCards(
    m,
    [original, ...r.cards],
    (i) => (i === 0 ? 'originalSender' : `candidates[${i - 1}].card`),
    ([originalHandle, ...handles]) => {
      const args: Arg[] = [
        u32(senderHandle),
        words(handles),
        recordsJson,
        r.request,
        f64(r.now),
        u32(originalHandle!),
        u32(openerHandle),
      ];
      if (chosen !== undefined) invoke(m, chosen.entry, [...args, ...chosen.extra]);
      else invoke(m, fromVault ? m._resealFromVault : m._resealAsIdentity, args);
      return parseResult<{ results: ShareResult[] }>(outText(m, 0)).results;
    },
  );
}

/**
 * Withdraws a signed consent (receipt JSON) in one call: the whole consent
 * (status inactive) or one grantee. Returns the new signed version's
 * receipt JSON (meta.versionId + 1); later shares count only it. What was
 * already downloaded and decrypted cannot be recalled (docs/threat-model.md).
 */
export function withdrawConsent(
  patient: Identity,
  receipt: string,
  withdrawal: Withdrawal,
  options: { now?: number } = {},
): string {
  const m = mod();
  const o = readFields(options, 'options', ['now']);
  const h = identityHandle(patient, 'patient');
  const r = checkString(receipt, 'receipt');
  const w = jsonOf(withdrawal, 'withdrawal');
  const now = millisOrNow(o.now, 'options.now');
  invoke(m, m._withdrawConsent, [u32(h), r, w, f64(now)]);
  return outText(m, 0);
}

/** Throws MedsealError unless `patientCard` signed the erasure receipt (JSON text). */
export function verifyErasureReceipt(receipt: string, patientCard: CardInput): void {
  const m = mod();
  const r = checkString(receipt, 'receipt');
  const card = checkCard(patientCard, 'patientCard');
  withCards(
    m,
    [card],
    () => 'patientCard',
    ([cardHandle]) => {
      invoke(m, m._verifyErasureReceipt, [u32(cardHandle!), r]);
    },
  );
}

const vaultKind = handleKind((m) => m._vaultFree);
let vaultHandleOf: (vault: unknown, what: string) => number;
let isVault: (x: unknown) => boolean;

/**
 * The patient's erasure vault: one key per record id for the patient's own
 * copies, filed under the record's sensitivity categories. erase() destroys
 * keys for good (crypto-shredding) and returns a signed receipt. Holds
 * secret keys: dispose() (or `using`) when done.
 */
export class Vault {
  readonly #slot: HandleSlot;

  static {
    vaultHandleOf = (vault, what) => Vault.#of(vault, what).#slot.get(what);
    isVault = (x) => isObject(x) && #slot in x;
  }

  static #of(x: unknown, what: string): Vault {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be a Vault`);
    return x;
  }

  private constructor(m: MedsealCoreModule) {
    this.#slot = new HandleSlot(this, outNum(m), vaultKind);
  }

  /** An empty vault. */
  static create(): Vault {
    const m = mod();
    invoke(m, m._vaultCreate, []);
    return new Vault(m);
  }

  /** A vault from its stored form (serialize()). */
  static parse(stored: Uint8Array): Vault {
    const m = mod();
    invoke(m, m._vaultParse, [checkBytes(stored, 'stored')]);
    return new Vault(m);
  }

  /** The stored form, with every live key: encrypt it at rest; fill(0) it after use. */
  serialize(): Uint8Array {
    const m = mod();
    invoke(m, m._vaultSerialize, [u32(vaultHandleOf(this, 'vault'))]);
    try {
      return outBytes(m, 0);
    } finally {
      release(m);
    }
  }

  /** What the vault holds about each record (public data only). */
  entries(): VaultEntry[] {
    const m = mod();
    invoke(m, m._vaultEntries, [u32(vaultHandleOf(this, 'vault'))]);
    return JSON.parse(outText(m, 0)) as VaultEntry[];
  }

  /** Destroys the keys of the selected records and categories; the receipt is signed by `patient`. */
  erase(patient: Identity, what: ErasureSelector, options: { now?: number } = {}): ErasureReceipt {
    const m = mod();
    const o = readFields(options, 'options', ['now']);
    const h = vaultHandleOf(this, 'vault');
    const p = identityHandle(patient, 'patient');
    const selector = jsonOf(what, 'what');
    const now = millisOrNow(o.now, 'options.now');
    invoke(m, m._vaultErase, [u32(h), u32(p), selector, f64(now)]);
    const json = outText(m, 0);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    return {
      json,
      patient: parsed.patient as string,
      erasedAt: parsed.erased_at as number,
      requested: parsed.requested as ErasureReceipt['requested'],
      erased: parsed.erased as ErasureReceipt['erased'],
      notify: parsed.notify as ErasureReceipt['notify'],
    };
  }

  /** Opens the patient's self-copy of a record; KEY_ERASED once its key was destroyed. */
  open(senderCard: CardInput, sealed: Uint8Array | string, purpose: CodingInput): OpenedRecord {
    const m = mod();
    const h = vaultHandleOf(this, 'vault');
    const card = checkCard(senderCard, 'senderCard');
    const s = checkBytesOrString(sealed, 'sealed');
    const pf = readFields(purpose, 'purpose', ['system', 'code']);
    const system = checkString(pf.system, 'purpose.system');
    const code = checkString(pf.code, 'purpose.code');
    return withCards(
      m,
      [card],
      () => 'senderCard',
      ([cardHandle]) => {
        invoke(m, m._vaultOpen, [
          u32(h),
          u32(cardHandle!),
          s,
          u32(typeof s === 'string' ? 1 : 0),
          system,
          code,
        ]);
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

  get disposed(): boolean {
    return Vault.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees the keys in wasm memory. Idempotent. */
  dispose(): void {
    Vault.#of(this, 'this').#slot.dispose();
  }
}

export interface Vault {
  [Symbol.dispose](): void;
}

publicClass(Vault, 'Vault');

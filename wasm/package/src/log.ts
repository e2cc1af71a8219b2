// SPDX-License-Identifier: Apache-2.0
// The verifiable log (wasm/bindings/log.cc over core/log/; format:
// docs/spec/log.md): RFC 9162 leaf hashes and inclusion / consistency proof
// verification, C2SP checkpoints verified under a LogPolicy (the operator's
// key and a k-of-n witness policy), and the LogOperator a relay runs: it
// checks and appends entries, signs checkpoints and says which C2SP
// tlog-tiles files changed. Everything is public data except the
// operator's seed, which crosses once as bytes and stays in wasm memory.
// Tree sizes and indexes are numbers (safe integers, 0 .. 2^53 - 1); they
// cross as two u32 words.
import {
  checkBytes,
  checkBytesOrString,
  checkString,
  fail,
  isObject,
  readFields,
  readList,
} from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import {
  type Arg,
  invoke,
  outBytes,
  outNum,
  outText,
  outWords,
  throwCoreError,
  u32,
} from './heap.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 entry (region); slot 0 = leaf hash. */
    _logLeafHash(args: number): number;
    /** 0-1 index, 2-3 size (u64 as hi, lo), 4 leaf hash, 5 proof, 6 root (regions). */
    _logVerifyInclusion(args: number): number;
    /** 0-1 size1, 2-3 size2 (u64), 4 root1, 5 root2, 6 proof (regions). */
    _logVerifyConsistency(args: number): number;
    /** 0 note (region), 1 vkey (text); slot 0 = the note's text. */
    _logVerifyNote(args: number): number;
    /** 0 card (u32); slot 0 = its log entry. */
    _logCardEntry(args: number): number;
    /** 0 operator vkey (text); num = handle, slot 0 = origin. */
    _logPolicyNew(args: number): number;
    /** 0 policy (u32), 1 witness vkey (text). */
    _logPolicyAddWitness(args: number): number;
    /** 0 policy (u32), 1 quorum (u32). */
    _logPolicyFinish(args: number): number;
    /** 0 policy (u32). */
    _logPolicyFree(args: number): number;
    /** 0 policy (u32), 1 note (text); slots 0 origin, 1 root, 2 note, 3 size words, 4 body; num = cosignatures. */
    _logVerifyCheckpoint(args: number): number;
    /** 0 policy (u32), 1 note (text), 2 entry bundle (region), 3-4 count (u64); slots 0-4 u64 words. */
    _logVerifyHistory(args: number): number;
    /** 0 policy (u32); num = handle. */
    _logClientNew(args: number): number;
    /** 0 client (u32), 1 note (text), 2 proof (region); slot 0 = size words. */
    _logClientUpdate(args: number): number;
    /** 0 client (u32); slot 0 = size words. */
    _logClientSize(args: number): number;
    /** 0 client (u32), 1-2 index (u64), 3 entry, 4 proof (regions). */
    _logClientVerifyEntry(args: number): number;
    /** 0 client (u32), 1-2 index (u64), 3 entry (region). */
    _logClientTrackOwnEntry(args: number): number;
    /** 0 client (u32). */
    _logClientFree(args: number): number;
    /** 0 client (u32); slot 0 = the state JSON. */
    _logClientSaveState(args: number): number;
    /** 0 policy (u32), 1 state JSON (text); num = handle. */
    _logClientRestoreState(args: number): number;
    /** 0 origin (text), 1 seed (region); num = handle, slot 0 = vkey. */
    _logOperatorNew(args: number): number;
    /** 0 operator (u32), 1 entry (region); num = index, slot 0 = kind, 1 = size words. */
    _logOperatorAppend(args: number): number;
    /** 0 operator (u32); slot 0 = checkpoint, 1 old size, 2 size (words); num = tiles. */
    _logOperatorPublish(args: number): number;
    /** 0 operator (u32), 1-2 i (u64); slot 0 = path, 1 = bytes. */
    _logOperatorTile(args: number): number;
    /** 0 operator (u32); slot 0 = checkpoint. */
    _logOperatorCheckpoint(args: number): number;
    /** 0 operator (u32), 1-2 index, 3-4 size (u64); slot 0 = proof. */
    _logOperatorInclusionProof(args: number): number;
    /** 0 operator (u32), 1-2 size1, 3-4 size2 (u64); slot 0 = proof. */
    _logOperatorConsistencyProof(args: number): number;
    /** 0 operator (u32). */
    _logOperatorFree(args: number): number;
    /** No arguments; num = handle. */
    _logTileSetNew(): number;
    /** 0 tiles (u32), 1 path (text), 2 bytes. */
    _logTileSetAdd(args: number): number;
    /** 0 tiles (u32), 1-2 size (u64); slot 0 = root. */
    _logTileSetRoot(args: number): number;
    /** 0 tiles (u32), 1-2 index, 3-4 size (u64); slot 0 = proof. */
    _logTileSetInclusionProof(args: number): number;
    /** 0 tiles (u32), 1-2 size1, 3-4 size2 (u64); slot 0 = proof. */
    _logTileSetConsistencyProof(args: number): number;
    /** 0 tiles (u32), 1-2 index, 3-4 size (u64); slot 0 = leaf hash. */
    _logTileSetLeafHash(args: number): number;
    /** 0 tiles (u32). */
    _logTileSetFree(args: number): number;
    /** 0-1 size (u64); slot 0 = paths JSON. */
    _logTilesForRoot(args: number): number;
    /** 0-1 index, 2-3 size (u64); slot 0 = paths JSON. */
    _logTilesForInclusion(args: number): number;
    /** 0-1 old size, 2-3 size (u64); slot 0 = paths JSON. */
    _logTilesForConsistency(args: number): number;
    /** 0 client (u32), 1 note (text), 2 tiles (u32); slot 0 = size words. */
    _logClientUpdateFromTiles(args: number): number;
    /** 0 client (u32); slot 0 = paths JSON. */
    _logClientTilesForAudit(args: number): number;
    /** 0 client (u32), 1 tiles (u32); slot 0 = report JSON. */
    _logClientAuditOwnEntries(args: number): number;
    /** 0 client, 1 card (u32), 2-3 index (u64), 4 proof. */
    _logClientVerifyCard(args: number): number;
  }
}

const TWO_32 = 4294967296;
// A note carries at most 100 signatures (core/log/note.h kMaxNoteSignatures).
const MAX_WITNESSES = 100;

// A tree size or index: a safe non-negative integer, as (hi, lo) slots.
function u64(x: unknown, what: string): [Arg, Arg] {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)
    fail('INVALID_ARGUMENT', `${what} must be an integer from 0 to 2^53 - 1`);
  return [u32(Math.floor(x / TWO_32)), u32(x % TWO_32)];
}

// A u64 output slot (hi, lo words) as a number.
function outU64(m: MedsealCoreModule, slot: number, what: string): number {
  const [hi, lo] = outWords(m, slot) as [number, number];
  const n = hi * TWO_32 + lo;
  if (!Number.isSafeInteger(n)) fail('TOO_LARGE', `${what} exceeds 2^53 - 1`);
  return n;
}

/** The kinds of log entries (docs/spec/log.md §7): the first byte of an entry. */
export const LogEntryKind = Object.freeze({ event: 0x01, card: 0x02 } as const);

/**
 * The log entry that publishes a card in the key directory (docs/spec/log.md
 * §7): 0x02 || the card's JSON as medseal writes it. The card is parsed and
 * verified first (its codes when text is given).
 */
export function logCardEntry(card: CardInput): Uint8Array {
  const m = mod();
  const c = checkCard(card, 'card');
  return withCards(
    m,
    [c],
    () => 'card',
    ([h]) => {
      invoke(m, m._logCardEntry, [u32(h!)]);
      return outBytes(m, 0);
    },
  );
}

/**
 * RFC 9162 leaf hash of a log entry: SHA-256(0x00 || entry), 32 bytes.
 */
export function logLeafHash(entry: Uint8Array): Uint8Array {
  const m = mod();
  invoke(m, m._logLeafHash, [checkBytes(entry, 'entry')]);
  return outBytes(m, 0);
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree of `size` leaves
 * with root `root` (RFC 9162 §2.1.3.2). `proof` is the proof's hashes back
 * to back (32 bytes each, docs/spec/log.md §2.4). Throws MedsealError:
 * PROOF_INVALID when it does not verify; INVALID_ARGUMENT for index >= size
 * or a hash that is not 32 bytes; MALFORMED / TOO_LARGE for a proof that
 * is not a list of at most 64 hashes.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: Uint8Array,
  root: Uint8Array,
): void {
  const m = mod();
  invoke(m, m._logVerifyInclusion, [
    ...u64(index, 'index'),
    ...u64(size, 'size'),
    checkBytes(leafHash, 'leafHash'),
    checkBytes(proof, 'proof'),
    checkBytes(root, 'root'),
  ]);
}

/**
 * Verifies that the tree of `size1` leaves with `root1` is a prefix of the
 * tree of `size2` leaves with `root2` (RFC 9162 §2.1.4.2, plus
 * docs/spec/log.md §2: size1 = 0 is always PROOF_INVALID; equal sizes need
 * an empty proof and equal roots). Codes as verifyInclusion; size1 > size2
 * is INVALID_ARGUMENT.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: Uint8Array,
): void {
  const m = mod();
  invoke(m, m._logVerifyConsistency, [
    ...u64(size1, 'size1'),
    ...u64(size2, 'size2'),
    checkBytes(root1, 'root1'),
    checkBytes(root2, 'root2'),
    checkBytes(proof, 'proof'),
  ]);
}

/**
 * Verifies the signature of one key on a C2SP signed note and returns the
 * note's text (what the signatures cover). `note` as text or as its exact
 * bytes; `verifierKey` a vkey ("name+hex8+base64(type || key)", Ed25519).
 * Throws MedsealError: MALFORMED / TOO_LARGE for a note that does not
 * follow the grammar (docs/spec/log.md §4) or a bad vkey, SIGNATURE_INVALID
 * when no line of that key verifies.
 */
export function verifyNote(note: string | Uint8Array, verifierKey: string): string {
  const m = mod();
  invoke(m, m._logVerifyNote, [
    checkBytesOrString(note, 'note'),
    checkString(verifierKey, 'verifierKey'),
  ]);
  return outText(m, 0);
}

/** A checkpoint whose operator signature (and witness quorum) verified. */
export interface VerifiedCheckpoint {
  /** The log's origin (the operator key's name). */
  origin: string;
  /** Number of leaves. */
  size: number;
  /** The tree's root hash (32 bytes). */
  root: Uint8Array;
  /** Extension lines of the body, after origin, size and root. */
  extensions: string[];
  /** The signed note exactly as given (what a client keeps). */
  note: string;
  /** How many witness cosignatures of the policy verified. */
  cosignatures: number;
}

/** What LogPolicy.verifyHistory found in a history that verified. */
export interface HistorySummary {
  entries: number;
  events: number;
  cards: number;
  /** Distinct event authors. */
  authors: number;
  /** Break-glass events (the patient's device flags them). */
  breakGlass: number;
  /** Rotations and revocations. */
  keyChanges: number;
}

/** What LogPolicy.create takes. Keys are C2SP vkeys ("name+hex8+base64"). */
export interface LogPolicyOptions {
  /** The operator's Ed25519 verifier key (type 0x01); its name is the origin. */
  logKey: string;
  /** Witness keys (C2SP tlog-cosignature, type 0x04). */
  witnesses?: readonly string[];
  /** At least this many witnesses must cosign (0: verified when present). */
  quorum?: number;
}

const policyKind = handleKind((m) => m._logPolicyFree);
const constructPolicy = Symbol('LogPolicy');
let policyHandleOf: (p: unknown, what: string) => number;

/**
 * Whom a client trusts for one log: the operator's key, which signs every
 * checkpoint, and a k-of-n witness policy. Kept in wasm memory (public
 * data); dispose() frees it.
 */
export class LogPolicy {
  readonly #slot: HandleSlot;
  readonly #origin: string;

  static {
    policyHandleOf = (p, what) => LogPolicy.#of(p, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): LogPolicy {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be a LogPolicy`);
    return x;
  }

  private constructor(token: symbol, handle: number, origin: string) {
    if (token !== constructPolicy) throw new TypeError('LogPolicy: use LogPolicy.create()');
    this.#slot = new HandleSlot(this, handle, policyKind);
    this.#origin = origin;
  }

  /**
   * Parses the keys and checks the policy (MALFORMED, KEY_ID_MISMATCH,
   * UNSUPPORTED_VERSION for a bad vkey; INVALID_ARGUMENT for a quorum
   * above the number of witnesses, a witness key of the wrong type or one
   * given twice).
   */
  static create(options: LogPolicyOptions): LogPolicy {
    const m = mod();
    const o = readFields(options, 'options', ['logKey', 'witnesses', 'quorum']);
    const logKey = checkString(o.logKey, 'options.logKey');
    const witnesses =
      o.witnesses === undefined
        ? []
        : readList(o.witnesses, 'options.witnesses', MAX_WITNESSES, 'vkey strings').map((w, i) =>
            checkString(w, `options.witnesses[${i}]`),
          );
    const quorum = o.quorum ?? 0;
    if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 0 || quorum >= TWO_32)
      fail('INVALID_ARGUMENT', 'options.quorum must be a non-negative integer');
    invoke(m, m._logPolicyNew, [logKey], 'options.logKey');
    const policy = new LogPolicy(constructPolicy, outNum(m), outText(m, 0));
    try {
      const h = policy.#slot.get('policy');
      witnesses.forEach((w, i) =>
        invoke(m, m._logPolicyAddWitness, [u32(h), w], `options.witnesses[${i}]`),
      );
      invoke(m, m._logPolicyFinish, [u32(h), u32(quorum)], 'options');
    } catch (err) {
      policy.dispose();
      throw err;
    }
    return policy;
  }

  /** The log's origin (the operator key's name). */
  get origin(): string {
    return LogPolicy.#of(this, 'this').#origin;
  }

  /**
   * Parses and verifies a signed checkpoint note (docs/spec/log.md §5.3, in
   * order): the note's and the body's grammar (MALFORMED, TOO_LARGE), the
   * origin and the operator signature (SIGNATURE_INVALID), each cosignature
   * of a policy witness (SIGNATURE_INVALID), the quorum (WITNESS_QUORUM).
   */
  verifyCheckpoint(note: string): VerifiedCheckpoint {
    const m = mod();
    const h = policyHandleOf(this, 'policy');
    invoke(m, m._logVerifyCheckpoint, [u32(h), checkString(note, 'note')]);
    const body = outText(m, 4).split('\n');
    return {
      origin: outText(m, 0),
      root: outBytes(m, 1),
      note: outText(m, 2),
      size: outU64(m, 3, 'checkpoint size'),
      extensions: body.slice(3, -1),
      cosignatures: outNum(m),
    };
  }

  /**
   * Full verification of a log's history (docs/spec/log.md §8.8): the
   * checkpoint as verifyCheckpoint, then every entry (given as the log's
   * C2SP entry bundles concatenated in order, tile/entries/0, 1, ...:
   * `count` entries, each with its 2-byte length, index 0 first): the root recomputed,
   * each event's signature under its author's card published before it,
   * each author's chain, rotations and revocations. Codes: as
   * verifyCheckpoint; the bundle's (MALFORMED, TRUNCATED, TRAILING_DATA);
   * LOG_TRUNCATED, LOG_ENTRY_MISSING, LOG_ENTRY_MODIFIED, LOG_REORDERED,
   * KEY_REVOKED, SIGNATURE_INVALID, NOT_PERMITTED, ParseEntry's.
   */
  verifyHistory(note: string, bundle: Uint8Array, count: number): HistorySummary {
    const m = mod();
    const h = policyHandleOf(this, 'policy');
    invoke(m, m._logVerifyHistory, [
      u32(h),
      checkString(note, 'note'),
      checkBytes(bundle, 'bundle'),
      ...u64(count, 'count'),
    ]);
    return {
      entries: outU64(m, 0, 'entries'),
      events: outU64(m, 1, 'events'),
      cards: outU64(m, 2, 'cards'),
      authors: outU64(m, 3, 'authors'),
      breakGlass: outU64(m, 4, 'break-glass events'),
      keyChanges: outNum(m),
    };
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return LogPolicy.#of(this, 'this').#slot.disposed;
  }

  /** Frees the policy in wasm memory. Idempotent. */
  dispose(): void {
    LogPolicy.#of(this, 'this').#slot.dispose();
  }
}

export interface LogPolicy {
  [Symbol.dispose](): void;
}

publicClass(LogPolicy, 'LogPolicy');

const clientKind = handleKind((m) => m._logClientFree);
const constructClient = Symbol('LogClient');

/**
 * A device's view of one log (core/log/client.h, docs/spec/log.md §8): it
 * holds the last checkpoint it verified and accepts a newer one only with a
 * consistency proof from it, and verifies the inclusion of entries. Public
 * data; dispose() frees it.
 */
export class LogClient {
  readonly #slot: HandleSlot;

  static #of(x: unknown): LogClient {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be a LogClient');
    return x;
  }

  private constructor(token: symbol, handle: number) {
    if (token !== constructClient) throw new TypeError('LogClient: use LogClient.create(policy)');
    this.#slot = new HandleSlot(this, handle, clientKind);
  }

  /** A client without a checkpoint: the first one it verifies is trusted on first use. */
  static create(policy: LogPolicy): LogClient {
    const m = mod();
    invoke(m, m._logClientNew, [u32(policyHandleOf(policy, 'policy'))]);
    return new LogClient(constructClient, outNum(m));
  }

  /**
   * A client from a state that saveState() wrote (spec §8.7): the held
   * checkpoint is verified again under `policy` (verifyCheckpoint's codes),
   * then the JSON rules in order (MALFORMED, TRUNCATED, TRAILING_DATA,
   * UNSUPPORTED_VERSION, NON_CANONICAL, TOO_LARGE). What a device keeps
   * between sessions (public data: it may live in ordinary storage).
   */
  static restoreState(policy: LogPolicy, state: string): LogClient {
    const m = mod();
    invoke(m, m._logClientRestoreState, [
      u32(policyHandleOf(policy, 'policy')),
      checkString(state, 'state'),
    ]);
    return new LogClient(constructClient, outNum(m));
  }

  /** The client's state as JSON text (spec §8.7): its held checkpoint and its own entries. */
  saveState(): string {
    const m = mod();
    invoke(m, m._logClientSaveState, [u32(this.#handle())]);
    return outText(m, 0);
  }

  #handle(): number {
    return LogClient.#of(this).#slot.get('client');
  }

  /** The size of the held checkpoint (0 without one). */
  get size(): number {
    const m = mod();
    invoke(m, m._logClientSize, [u32(this.#handle())]);
    return outU64(m, 0, 'size');
  }

  /**
   * Accepts `note` as the new checkpoint if `proof` (from the held size to
   * the note's; empty when there is none or the sizes are equal) proves the
   * held one is its prefix (spec §8.3, rules U1..U7): verifyCheckpoint's
   * codes, LOG_TRUNCATED (smaller), LOG_FORK (same size and another root,
   * or a proof that does not verify). On any error nothing changes.
   * Returns the held size.
   */
  update(note: string, proof: Uint8Array): number {
    const m = mod();
    invoke(m, m._logClientUpdate, [
      u32(this.#handle()),
      checkString(note, 'note'),
      checkBytes(proof, 'proof'),
    ]);
    return outU64(m, 0, 'size');
  }

  /**
   * Verifies that `entry` is leaf `index` of the held checkpoint (spec
   * §8.4): INVALID_ARGUMENT without a checkpoint, LOG_ENTRY_MISSING for an
   * index past its size, PROOF_INVALID.
   */
  verifyEntry(index: number, entry: Uint8Array, proof: Uint8Array): void {
    const m = mod();
    invoke(m, m._logClientVerifyEntry, [
      u32(this.#handle()),
      ...u64(index, 'index'),
      checkBytes(entry, 'entry'),
      checkBytes(proof, 'proof'),
    ]);
  }

  /** Records one of this device's own entries at `index`, as the log reported it (spec §8.5). */
  trackOwnEntry(index: number, entry: Uint8Array): void {
    const m = mod();
    invoke(m, m._logClientTrackOwnEntry, [
      u32(this.#handle()),
      ...u64(index, 'index'),
      checkBytes(entry, 'entry'),
    ]);
  }

  /**
   * As update(), with the consistency proof computed from fetched tiles of
   * the new tree (tilesForConsistency(size, new size)): LOG_TRUNCATED /
   * MALFORMED naming a missing tile, LOG_FORK when the tiles' proof does not
   * verify, and update()'s codes. Returns the held size.
   */
  updateFromTiles(note: string, tiles: TileSet): number {
    const m = mod();
    invoke(m, m._logClientUpdateFromTiles, [
      u32(this.#handle()),
      checkString(note, 'note'),
      u32(tileSetHandleOf(tiles, 'tiles')),
    ]);
    return outU64(m, 0, 'size');
  }

  /**
   * Verifies that `card` is log entry `index` of the held checkpoint
   * (spec §9.1): what a client demands of a card it is handed.
   * LOG_ENTRY_MISSING, PROOF_INVALID, INVALID_ARGUMENT without a checkpoint.
   */
  verifyCard(card: CardInput, index: number, proof: Uint8Array): void {
    const m = mod();
    const h = this.#handle();
    const i = u64(index, 'index');
    const p = checkBytes(proof, 'proof');
    withCards(
      m,
      [checkCard(card, 'card')],
      () => 'card',
      ([c]) => invoke(m, m._logClientVerifyCard, [u32(h), u32(c!), ...i, p]),
    );
  }

  /** The tile paths (hash tiles and entry bundles) an audit of the own entries needs. */
  tilesForAudit(): string[] {
    const m = mod();
    invoke(m, m._logClientTilesForAudit, [u32(this.#handle())]);
    return JSON.parse(outText(m, 0)) as string[];
  }

  /**
   * Audits every own entry below the held checkpoint's size from fetched
   * tiles and entry bundles (spec §8.5). Throws when the audit cannot be
   * done (INVALID_ARGUMENT without a checkpoint, a missing tile or bundle,
   * PROOF_INVALID when they do not match the checkpoint); what it finds is
   * in the report: LOG_ENTRY_MODIFIED, LOG_ENTRY_MISSING, LOG_REORDERED.
   */
  auditOwnEntries(tiles: TileSet): AuditReport {
    const m = mod();
    invoke(m, m._logClientAuditOwnEntries, [
      u32(this.#handle()),
      u32(tileSetHandleOf(tiles, 'tiles')),
    ]);
    return JSON.parse(outText(m, 0)) as AuditReport;
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return LogClient.#of(this).#slot.disposed;
  }

  /** Frees the client in wasm memory. Idempotent. */
  dispose(): void {
    LogClient.#of(this).#slot.dispose();
  }
}

export interface LogClient {
  [Symbol.dispose](): void;
}

publicClass(LogClient, 'LogClient');

/** What LogOperator.append accepted. */
export interface AppendedEntry {
  /** The entry's index (its leaf). */
  index: number;
  /** LogEntryKind.event or LogEntryKind.card. */
  kind: number;
  /** The tree's size after the append. */
  size: number;
}

/** What LogOperator.publish returns: the files to serve (C2SP tlog-tiles). */
export interface LogPublication {
  /** The size of the previous publication (0 for the first). */
  oldSize: number;
  size: number;
  /** The signed checkpoint note: the file "checkpoint". */
  checkpoint: string;
  /** New or changed tiles and entry bundles by path ("tile/0/000.p/5", ...), in path order. */
  tiles: Map<string, Uint8Array>;
}

const operatorKind = handleKind((m) => m._logOperatorFree);
const constructOperator = Symbol('LogOperator');

/**
 * A log operator (core/log/operator.h): what a relay runs. It checks every
 * entry before it enters the tree (a card must verify and be new; an event
 * must be signed by a card already in the log and continue its author's
 * chain: docs/spec/log.md §7.3, rules O1..O5), signs checkpoints with its
 * Ed25519 note key and says which tiles changed. It holds the signing
 * seed: dispose() wipes it.
 */
export class LogOperator {
  readonly #slot: HandleSlot;
  readonly #verifierKey: string;
  #size = 0;

  static #of(x: unknown): LogOperator {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be a LogOperator');
    return x;
  }

  private constructor(token: symbol, m: MedsealCoreModule) {
    if (token !== constructOperator) throw new TypeError('LogOperator: use LogOperator.fromSeed()');
    this.#verifierKey = outText(m, 0);
    this.#slot = new HandleSlot(this, outNum(m), operatorKind);
  }

  /**
   * An empty log whose checkpoints `origin` (the key's name, e.g.
   * "medseal.example/log/v1") signs with the Ed25519 key of the 32-byte
   * `seed` (INVALID_ARGUMENT otherwise, or for a bad name). The caller
   * should fill(0) the seed afterwards.
   */
  static fromSeed(origin: string, seed: Uint8Array): LogOperator {
    const m = mod();
    invoke(m, m._logOperatorNew, [checkString(origin, 'origin'), checkBytes(seed, 'seed')]);
    return new LogOperator(constructOperator, m);
  }

  #handle(): number {
    return LogOperator.#of(this).#slot.get('operator');
  }

  /** The operator's verifier key (C2SP vkey text): what clients pin in their LogPolicy. */
  get verifierKey(): string {
    return LogOperator.#of(this).#verifierKey;
  }

  /** The number of entries. */
  get size(): number {
    return LogOperator.#of(this).#size;
  }

  /**
   * Checks and appends an entry (kind byte || bytes). Refused entries
   * change nothing; codes: TOO_LARGE, TRUNCATED, UNSUPPORTED_VERSION, the
   * card's or event's parser codes, INVALID_ARGUMENT (a card already in the
   * log), LOG_ENTRY_MISSING (no card for the author, or a skipped seq),
   * SIGNATURE_INVALID / SENDER_MISMATCH, LOG_REORDERED, LOG_ENTRY_MODIFIED.
   */
  append(entry: Uint8Array): AppendedEntry {
    const m = mod();
    const h = this.#handle();
    invoke(m, m._logOperatorAppend, [u32(h), checkBytes(entry, 'entry')]);
    const size = outU64(m, 1, 'size');
    this.#size = size;
    return { index: outNum(m), kind: outBytes(m, 0)[0]!, size };
  }

  /**
   * Signs the checkpoint of the current tree and returns it with every tile
   * and entry bundle that is new or changed since the last publish().
   */
  publish(): LogPublication {
    const m = mod();
    const h = this.#handle();
    invoke(m, m._logOperatorPublish, [u32(h)]);
    const checkpoint = outText(m, 0);
    const oldSize = outU64(m, 1, 'old size');
    const size = outU64(m, 2, 'size');
    const count = outNum(m);
    const tiles = new Map<string, Uint8Array>();
    for (let i = 0; i < count; i++) {
      invoke(m, m._logOperatorTile, [u32(h), ...u64(i, 'i')]);
      tiles.set(outText(m, 0), outBytes(m, 1));
    }
    return { oldSize, size, checkpoint, tiles };
  }

  /** The signed checkpoint of the current tree (signed note text). */
  checkpoint(): string {
    const m = mod();
    invoke(m, m._logOperatorCheckpoint, [u32(this.#handle())]);
    return outText(m, 0);
  }

  /** The inclusion proof of leaf `index` in the tree of `size` leaves (hashes back to back). */
  inclusionProof(index: number, size: number): Uint8Array {
    const m = mod();
    const h = this.#handle();
    invoke(m, m._logOperatorInclusionProof, [u32(h), ...u64(index, 'index'), ...u64(size, 'size')]);
    return outBytes(m, 0);
  }

  /** The consistency proof from the tree of `size1` leaves to that of `size2`. */
  consistencyProof(size1: number, size2: number): Uint8Array {
    const m = mod();
    const h = this.#handle();
    invoke(m, m._logOperatorConsistencyProof, [
      u32(h),
      ...u64(size1, 'size1'),
      ...u64(size2, 'size2'),
    ]);
    return outBytes(m, 0);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return LogOperator.#of(this).#slot.disposed;
  }

  /** Wipes the signing key and frees the log in wasm memory. Idempotent. */
  dispose(): void {
    LogOperator.#of(this).#slot.dispose();
  }
}

export interface LogOperator {
  [Symbol.dispose](): void;
}

publicClass(LogOperator, 'LogOperator');

/** What an own-entry audit found about one entry (spec §8.5). */
export interface AuditFinding {
  /** The own entry's index. */
  index: number;
  /** "LOG_ENTRY_MODIFIED", "LOG_ENTRY_MISSING" or "LOG_REORDERED". */
  code: string;
  /** LOG_REORDERED: where the entry is now. */
  foundAt?: number;
}

/** The result of LogClient.auditOwnEntries. */
export interface AuditReport {
  /** Own entries below the checkpoint's size (all checked). */
  checked: number;
  /** Own entries at or past it (not yet logged). */
  pending: number;
  findings: AuditFinding[];
}

function tilePaths(entry: (args: number) => number, args: readonly Arg[]): string[] {
  const m = mod();
  invoke(m, entry, args);
  return JSON.parse(outText(m, 0)) as string[];
}

/** The hash tile paths a reader needs to recompute the root of the tree of `size` leaves (C2SP tlog-tiles). */
export function tilesForRoot(size: number): string[] {
  const m = mod();
  return tilePaths(m._logTilesForRoot, u64(size, 'size'));
}

/** The hash tile paths for the inclusion proof of leaf `index` in the tree of `size` leaves. */
export function tilesForInclusion(index: number, size: number): string[] {
  const m = mod();
  return tilePaths(m._logTilesForInclusion, [...u64(index, 'index'), ...u64(size, 'size')]);
}

/** The hash tile paths for the consistency proof from `oldSize` to `size`. */
export function tilesForConsistency(oldSize: number, size: number): string[] {
  const m = mod();
  return tilePaths(m._logTilesForConsistency, [...u64(oldSize, 'oldSize'), ...u64(size, 'size')]);
}

const tileSetKind = handleKind((m) => m._logTileSetFree);
const constructTileSet = Symbol('TileSet');
let tileSetHandleOf: (x: unknown, what: string) => number;

/**
 * Tiles an app fetched (core/log/tiles.h TileSet, with the entry bundles
 * kept beside it): add each file by its path; roots and proofs computed
 * from them are checked by the caller against a verified checkpoint.
 */
export class TileSet {
  readonly #slot: HandleSlot;

  static {
    tileSetHandleOf = (x, what) => TileSet.#of(x, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): TileSet {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be a TileSet`);
    return x;
  }

  private constructor(token: symbol, handle: number) {
    if (token !== constructTileSet) throw new TypeError('TileSet: use TileSet.create()');
    this.#slot = new HandleSlot(this, handle, tileSetKind);
  }

  /** An empty tile set. */
  static create(): TileSet {
    const m = mod();
    const code = m._logTileSetNew();
    if (code !== 0) throwCoreError(m, code);
    return new TileSet(constructTileSet, outNum(m));
  }

  /**
   * Adds a fetched file by its path ("tile/0/x001/234", "tile/entries/000.p/5"):
   * MALFORMED for a path tlog-tiles cannot produce or a hash tile that is not
   * its width of hashes, INVALID_ARGUMENT for a level past 7. Replaces a file
   * of the same path.
   */
  add(path: string, bytes: Uint8Array): void {
    const m = mod();
    invoke(m, m._logTileSetAdd, [
      u32(tileSetHandleOf(this, 'tiles')),
      checkString(path, 'path'),
      checkBytes(bytes, 'bytes'),
    ]);
  }

  /** The root of the tree of `size` leaves: LOG_TRUNCATED / MALFORMED naming a missing or short tile. */
  root(size: number): Uint8Array {
    const m = mod();
    invoke(m, m._logTileSetRoot, [u32(tileSetHandleOf(this, 'tiles')), ...u64(size, 'size')]);
    return outBytes(m, 0);
  }

  /** The inclusion proof of leaf `index` in the tree of `size` leaves (hashes back to back). */
  inclusionProof(index: number, size: number): Uint8Array {
    const m = mod();
    invoke(m, m._logTileSetInclusionProof, [
      u32(tileSetHandleOf(this, 'tiles')),
      ...u64(index, 'index'),
      ...u64(size, 'size'),
    ]);
    return outBytes(m, 0);
  }

  /** The consistency proof from the tree of `size1` leaves to that of `size2`. */
  consistencyProof(size1: number, size2: number): Uint8Array {
    const m = mod();
    invoke(m, m._logTileSetConsistencyProof, [
      u32(tileSetHandleOf(this, 'tiles')),
      ...u64(size1, 'size1'),
      ...u64(size2, 'size2'),
    ]);
    return outBytes(m, 0);
  }

  /** Leaf hash `index` of the tree of `size` leaves, from its level-0 tile. */
  leafHash(index: number, size: number): Uint8Array {
    const m = mod();
    invoke(m, m._logTileSetLeafHash, [
      u32(tileSetHandleOf(this, 'tiles')),
      ...u64(index, 'index'),
      ...u64(size, 'size'),
    ]);
    return outBytes(m, 0);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return TileSet.#of(this, 'this').#slot.disposed;
  }

  /** Frees the tiles in wasm memory. Idempotent. */
  dispose(): void {
    TileSet.#of(this, 'this').#slot.dispose();
  }
}

export interface TileSet {
  [Symbol.dispose](): void;
}

publicClass(TileSet, 'TileSet');

// SPDX-License-Identifier: Apache-2.0
// Key chains, revocations and care-team groups (wasm/bindings/group.cc,
// core/group/, docs/spec/group.md): signed links from key N to key N+1,
// revocations, the records a revoked key could open, and groups whose
// per-epoch secret is wrapped to each member's card. Links, revocations,
// membership states and wraps are public bytes; a Group holds every epoch's
// group secret in wasm memory (dispose() it); an opened epoch key is an
// Identity.
import {
  checkBytes,
  checkString,
  fail,
  isObject,
  millisOrNow,
  readFields,
  readList,
} from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import {
  f64,
  invoke,
  outBytes,
  outKeyId,
  outKeyIds,
  outMillis,
  outNum,
  outText,
  outWords,
  release,
  u32,
} from './heap.js';
import { Identity, identityFromOutput, identityHandle } from './identity.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 link; slots 0 previous key id, 1 next card, 2 signature; millis issued. */
    _groupParseKeyLink(args: number): number;
    /** 0 link, 1 previous card (u32). */
    _groupVerifyKeyLink(args: number): number;
    /** 0 identity, 1 next card (u32), 2 now (f64); slot 0 = link. */
    _groupIssueKeyLink(args: number): number;
    /** 0 root card (u32), 1 links (list); slot 0 key ids, 1 cards (list). */
    _groupVerifyKeyChain(args: number): number;
    /** 0 revocation; slots 0 revoked id, 1 signer id, 2 signature; millis, num reason. */
    _groupParseKeyRevocation(args: number): number;
    /** 0 revocation, 1 root card (u32), 2 links (list). */
    _groupVerifyKeyRevocation(args: number): number;
    /** 0 signer (u32), 1 revoked key id, 2 reason (u32), 3 now (f64); slot 0 = revocation. */
    _groupIssueKeyRevocation(args: number): number;
    /** 0 state; slots 0 group id, 1 prev hash, 2 admin id, 3 card, 4 members, 5 {seq, epoch}. */
    _groupParseState(args: number): number;
    /** 0 state; slot 0 state hash, 1 signed bytes. */
    _groupStateHash(args: number): number;
    /** 0 state, 1 admin card (u32). */
    _groupVerifyState(args: number): number;
    /** 0 states (list), 1 admin card (u32). */
    _groupVerifyHistory(args: number): number;
    /** 0 wrap, 1 epoch (u32), 2 member (u32), 3 admin card (u32), 4 state; a new identity. */
    _groupOpenEpochKey(args: number): number;
    /** 0 revoked key id, 1 records (list); slot 0 = indices (u32 words). */
    _groupRecordsToReseal(args: number): number;
    /** 0 admin, 1 name, 2 role, 3 member cards (words), 4 now; num handle, slots update. */
    _groupCreate(args: number): number;
    /** 0 group, 1 admin, 2 member card, 3 share history (u32), 4 now. */
    _groupAddMember(args: number): number;
    /** 0 group, 1 admin, 2 member key id, 3 now. */
    _groupRemoveMember(args: number): number;
    /** 0 group (u32). */
    _groupFree(args: number): number;
  }
}

/** Why a key was revoked (docs/spec/group.md §3.1). */
export const RevocationReason = { superseded: 0, compromised: 1 } as const;
export type RevocationReason = (typeof RevocationReason)[keyof typeof RevocationReason];

/** A parsed key-chain link (spec §2.1). Key ids are base64url. */
export interface KeyLinkInfo {
  readonly previousKeyId: string;
  /** Key N+1's public card (JSON text). */
  readonly nextCard: string;
  /** Time of issue, ms since the epoch. */
  readonly issued: number;
  readonly signature: Uint8Array;
}

/** A verified chain: cards[0] is the root, the last card the current key. */
export interface VerifiedKeyChain {
  readonly keyIds: readonly string[];
  readonly cards: readonly string[];
  /** The current key's card: new shares go to it. */
  readonly current: string;
}

/** A parsed revocation (spec §3.1). */
export interface KeyRevocationInfo {
  readonly revokedKeyId: string;
  readonly signerKeyId: string;
  readonly revoked: number;
  readonly reason: RevocationReason;
  readonly signature: Uint8Array;
}

/** A parsed membership state (spec §5.1). */
export interface MembershipStateInfo {
  readonly groupId: Uint8Array;
  readonly seq: number;
  readonly epoch: number;
  readonly previousHash: Uint8Array;
  readonly adminKeyId: string;
  /** The epoch's group card (JSON text): seal to it. */
  readonly groupCard: string;
  /** Member card key ids, ascending by their bytes. */
  readonly members: readonly string[];
  readonly time: number;
  /** SHA-256 of the whole state (spec §5.3). */
  readonly stateHash: Uint8Array;
}

/** An epoch seed sealed to members (spec §7): a binary sealed record v1. */
export interface EpochKeyWrap {
  readonly epoch: number;
  readonly record: Uint8Array;
}

/** What the admin publishes after a change. */
export interface GroupUpdate {
  /** The new signed membership state (bytes). */
  readonly state: Uint8Array;
  /** The wraps to hand to members. */
  readonly wraps: readonly EpochKeyWrap[];
}

const MAX_LIST = 10000;
const MAX_LINKS = 1024;
const KEY_ID = /^[A-Za-z0-9_-]{22}$/;

function keyIdBytes(x: unknown, what: string): Uint8Array {
  const s = checkString(x, what);
  if (!KEY_ID.test(s)) fail('INVALID_ARGUMENT', `${what} must be a base64url key id (16 bytes)`);
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// core/group/wire.h's list: u32 length (little-endian) || bytes, repeated.
function joinList(x: unknown, what: string, max: number): Uint8Array {
  const items = readList(x, what, max, 'Uint8Array').map((b, i) => checkBytes(b, `${what}[${i}]`));
  const total = items.reduce((n, b) => n + 4 + b.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const b of items) {
    view.setUint32(at, b.length, true);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

function splitList(list: Uint8Array): Uint8Array[] {
  const view = new DataView(list.buffer, list.byteOffset, list.byteLength);
  const items: Uint8Array[] = [];
  for (let at = 0; at < list.length;) {
    const n = view.getUint32(at, true);
    items.push(list.slice(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return items;
}

function readUpdate(m: MedsealCoreModule): { update: GroupUpdate; card: string } {
  const wraps = splitList(outBytes(m, 1)).map((item) => ({
    epoch: new DataView(item.buffer, item.byteOffset, 4).getUint32(0, true),
    record: item.slice(4),
  }));
  return { update: { state: outBytes(m, 0), wraps }, card: outText(m, 2) };
}

function take<T>(read: () => T): T {
  const m = mod();
  try {
    return read();
  } finally {
    release(m);
  }
}

/** Parses a link (rules K1-K7); does not verify it. */
export function parseKeyLink(link: Uint8Array): KeyLinkInfo {
  const m = mod();
  invoke(m, m._groupParseKeyLink, [checkBytes(link, 'link')]);
  return take(() => ({
    previousKeyId: outKeyId(m, 0),
    nextCard: outText(m, 1),
    issued: outMillis(m),
    signature: outBytes(m, 2),
  }));
}

/** Verifies a link against key N's card (L1-L3); throws MedsealError otherwise. */
export function verifyKeyLink(link: Uint8Array, previousCard: CardInput): void {
  const m = mod();
  const bytes = checkBytes(link, 'link');
  withCards(
    m,
    [checkCard(previousCard, 'previousCard')],
    () => 'previousCard',
    ([h]) => {
      invoke(m, m._groupVerifyKeyLink, [bytes, u32(h!)]);
    },
  );
}

/** The link from `current` (key N) to `nextCard` (key N+1), signed by key N. */
export function issueKeyLink(current: Identity, nextCard: CardInput, now?: number): Uint8Array {
  const m = mod();
  const h = identityHandle(current, 'current');
  const t = millisOrNow(now, 'now');
  return withCards(
    m,
    [checkCard(nextCard, 'nextCard')],
    () => 'nextCard',
    ([c]) => {
      invoke(m, m._groupIssueKeyLink, [u32(h), u32(c!), f64(t)]);
      return take(() => outBytes(m, 0));
    },
  );
}

/** Verifies a chain: the root card (obtained out of band) and links 1..n in order. */
export function verifyKeyChain(root: CardInput, links: readonly Uint8Array[]): VerifiedKeyChain {
  const m = mod();
  const list = joinList(links, 'links', MAX_LINKS);
  return withCards(
    m,
    [checkCard(root, 'root')],
    () => 'root',
    ([h]) => {
      invoke(m, m._groupVerifyKeyChain, [u32(h!), list]);
      return take(() => {
        const cards = splitList(outBytes(m, 1)).map((b) => new TextDecoder().decode(b));
        return { keyIds: outKeyIds(m, 0), cards, current: cards[cards.length - 1]! };
      });
    },
  );
}

/** Parses a revocation (rules R1-R6); does not verify it. */
export function parseKeyRevocation(revocation: Uint8Array): KeyRevocationInfo {
  const m = mod();
  invoke(m, m._groupParseKeyRevocation, [checkBytes(revocation, 'revocation')]);
  return take(() => ({
    revokedKeyId: outKeyId(m, 0),
    signerKeyId: outKeyId(m, 1),
    revoked: outMillis(m),
    reason: outNum(m) as RevocationReason,
    signature: outBytes(m, 2),
  }));
}

/** Verifies a revocation against the chain of `root` and `links` (V1-V3). */
export function verifyKeyRevocation(
  revocation: Uint8Array,
  root: CardInput,
  links: readonly Uint8Array[],
): void {
  const m = mod();
  const bytes = checkBytes(revocation, 'revocation');
  const list = joinList(links, 'links', MAX_LINKS);
  withCards(
    m,
    [checkCard(root, 'root')],
    () => 'root',
    ([h]) => {
      invoke(m, m._groupVerifyKeyRevocation, [bytes, u32(h!), list]);
    },
  );
}

/** A revocation of `revokedKeyId` (base64url) signed by `signer`. */
export function issueKeyRevocation(
  signer: Identity,
  revokedKeyId: string,
  reason: RevocationReason,
  now?: number,
): Uint8Array {
  const m = mod();
  const h = identityHandle(signer, 'signer');
  const id = keyIdBytes(revokedKeyId, 'revokedKeyId');
  if (typeof reason !== 'number') fail('INVALID_ARGUMENT', 'reason must be a RevocationReason');
  const t = millisOrNow(now, 'now');
  invoke(m, m._groupIssueKeyRevocation, [u32(h), id, u32(reason), f64(t)]);
  return take(() => outBytes(m, 0));
}

/** The indices (ascending) of the binary sealed records with a card stanza to the revoked key. */
export function recordsToReseal(revokedKeyId: string, records: readonly Uint8Array[]): number[] {
  const m = mod();
  const id = keyIdBytes(revokedKeyId, 'revokedKeyId');
  invoke(m, m._groupRecordsToReseal, [id, joinList(records, 'records', MAX_LIST)]);
  return take(() => outWords(m, 0));
}

/** Parses a membership state (rules S1-S10); does not verify its signature. */
export function parseMembershipState(state: Uint8Array): MembershipStateInfo {
  const m = mod();
  const bytes = checkBytes(state, 'state');
  invoke(m, m._groupParseState, [bytes]);
  const parsed = take(() => {
    const [seq, epoch] = outWords(m, 5);
    return {
      groupId: outBytes(m, 0),
      seq: seq!,
      epoch: epoch!,
      previousHash: outBytes(m, 1),
      adminKeyId: outKeyId(m, 2),
      groupCard: outText(m, 3),
      members: outKeyIds(m, 4),
      time: outMillis(m),
    };
  });
  invoke(m, m._groupStateHash, [bytes]);
  return { ...parsed, stateHash: take(() => outBytes(m, 0)) };
}

/** Verifies one state's admin signature (M1-M2). */
export function verifyMembershipState(state: Uint8Array, admin: CardInput): void {
  const m = mod();
  const bytes = checkBytes(state, 'state');
  withCards(
    m,
    [checkCard(admin, 'admin')],
    () => 'admin',
    ([h]) => {
      invoke(m, m._groupVerifyState, [bytes, u32(h!)]);
    },
  );
}

/** Verifies a whole history, first state first (M1-M3, T1-T4). */
export function verifyMembershipHistory(states: readonly Uint8Array[], admin: CardInput): void {
  const m = mod();
  const list = joinList(states, 'states', MAX_LIST);
  withCards(
    m,
    [checkCard(admin, 'admin')],
    () => 'admin',
    ([h]) => {
      invoke(m, m._groupVerifyHistory, [list, u32(h!)]);
    },
  );
}

/**
 * A member opens an epoch key (spec §7): the group identity of that epoch,
 * which opens records sealed to the epoch's group card. `state` is a state
 * of the wrap's epoch, signed by `admin`. Dispose the identity when done.
 */
export function openEpochKey(
  wrap: EpochKeyWrap,
  member: Identity,
  admin: CardInput,
  state: Uint8Array,
): Identity {
  const m = mod();
  const w = readFields(wrap, 'wrap', ['epoch', 'record']);
  const record = checkBytes(w.record, 'wrap.record');
  if (
    typeof w.epoch !== 'number' ||
    !Number.isInteger(w.epoch) ||
    w.epoch < 0 ||
    w.epoch > 0xffffffff
  ) {
    fail('INVALID_ARGUMENT', 'wrap.epoch must be an integer 0..2^32-1');
  }
  const epoch = w.epoch;
  const h = identityHandle(member, 'member');
  const s = checkBytes(state, 'state');
  return withCards(
    m,
    [checkCard(admin, 'admin')],
    () => 'admin',
    ([a]) => {
      invoke(m, m._groupOpenEpochKey, [record, u32(epoch), u32(h), u32(a!), s]);
      return take(() => identityFromOutput(m));
    },
  );
}

export interface GroupCreateOptions {
  /** The team, e.g. "Cardiology ward" (the group card's name). */
  name: string;
  /** The role, e.g. "nurse" (the group card's role). */
  role: string;
  /** 1..64 member cards. */
  members: readonly CardInput[];
  now?: number;
}

const groupKind = handleKind((m) => m._groupFree);
const MAX_MEMBERS = 64;

/**
 * The admin's view of a care-team group: every epoch's group secret, in wasm
 * memory. Create, add and remove return the signed state and the wraps to
 * hand to members. Call dispose() when done.
 */
export class Group {
  readonly #slot: HandleSlot;
  #card: string;
  #states: Uint8Array[];

  static #of(x: unknown, what: string): Group {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be a Group`);
    return x;
  }

  private constructor(handle: number, card: string, state: Uint8Array) {
    this.#slot = new HandleSlot(this, handle, groupKind);
    this.#card = card;
    this.#states = [state];
  }

  /** A new group, epoch 0 (fresh group id and seed from the platform CSPRNG). */
  static create(
    admin: Identity,
    options: GroupCreateOptions,
  ): { group: Group; update: GroupUpdate } {
    const m = mod();
    const o = readFields(options, 'options', ['name', 'role', 'members', 'now']);
    const a = identityHandle(admin, 'admin');
    const name = checkString(o.name, 'name');
    const role = checkString(o.role, 'role');
    const members = readList(o.members, 'members', MAX_MEMBERS, 'cards').map((c, i) =>
      checkCard(c, `members[${i}]`),
    );
    const t = millisOrNow(o.now, 'now');
    return withCards(
      m,
      members,
      (i) => `members[${i}]`,
      (handles) => {
        const words = new Uint8Array(new Uint32Array(handles).buffer);
        invoke(m, m._groupCreate, [u32(a), name, role, words, f64(t)]);
        return take(() => {
          const handle = outNum(m);
          const { update, card } = readUpdate(m);
          return { group: new Group(handle, card, update.state), update };
        });
      },
    );
  }

  /** The current epoch's group card (JSON text): seal to it. */
  get card(): string {
    return Group.#of(this, 'this').#card;
  }

  /** Every signed state so far, first first. */
  get history(): readonly Uint8Array[] {
    return Group.#of(this, 'this').#states.map((s) => s.slice());
  }

  /** The latest signed state. */
  get state(): Uint8Array {
    const s = Group.#of(this, 'this').#states;
    return s[s.length - 1]!.slice();
  }

  #apply(call: (m: MedsealCoreModule, h: number) => void): GroupUpdate {
    const m = mod();
    const h = this.#slot.get('group');
    call(m, h);
    return take(() => {
      const { update, card } = readUpdate(m);
      this.#card = card;
      this.#states.push(update.state);
      return update;
    });
  }

  /** Adds a member in the current epoch; with shareHistory also the older epochs' keys. */
  addMember(
    admin: Identity,
    member: CardInput,
    options?: { shareHistory?: boolean; now?: number },
  ): GroupUpdate {
    const self = Group.#of(this, 'this');
    const o = readFields(options ?? {}, 'options', ['shareHistory', 'now']);
    if (o.shareHistory !== undefined && typeof o.shareHistory !== 'boolean') {
      fail('INVALID_ARGUMENT', 'shareHistory must be a boolean');
    }
    const a = identityHandle(admin, 'admin');
    const t = millisOrNow(o.now, 'now');
    const card = checkCard(member, 'member');
    return withCards(
      mod(),
      [card],
      () => 'member',
      ([c]) =>
        self.#apply((m, h) =>
          invoke(m, m._groupAddMember, [
            u32(h),
            u32(a),
            u32(c!),
            u32(o.shareHistory === true ? 1 : 0),
            f64(t),
          ]),
        ),
    );
  }

  /** Removes a member (base64url key id) and starts a new epoch wrapped to the rest. */
  removeMember(admin: Identity, keyId: string, options?: { now?: number }): GroupUpdate {
    const self = Group.#of(this, 'this');
    const o = readFields(options ?? {}, 'options', ['now']);
    const a = identityHandle(admin, 'admin');
    const id = keyIdBytes(keyId, 'keyId');
    const t = millisOrNow(o.now, 'now');
    return self.#apply((m, h) => invoke(m, m._groupRemoveMember, [u32(h), u32(a), id, f64(t)]));
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return Group.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees every epoch's group secret. Idempotent. */
  dispose(): void {
    Group.#of(this, 'this').#slot.dispose();
  }
}

export interface Group {
  [Symbol.dispose](): void;
}

publicClass(Group, 'Group');

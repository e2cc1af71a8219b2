// SPDX-License-Identifier: Apache-2.0
// The keystore (wasm/bindings/keystore.cc, docs/spec/keystore.md): an
// identity's seed and its other secrets (retired seeds after a rotation,
// group keys) encrypted under a random master key, wrapped in unlock slots
// (passphrase; passphrase + passkey PRF; passkey alone if the user chooses;
// recovery key). An unlocked Keystore lives in wasm memory by handle; its
// identities are made there from its seeds, as Identity handles.
//
// Secrets cross as Uint8Array only, never as strings: passphrases, PRF
// outputs and typed recovery keys are filled with zeros after the call that
// takes them, whether it succeeded or not (copy them first if you need
// them again). Secrets the package returns (a new recovery key's text, an
// item's secret) are the caller's to fill(0) after use.
//
// Argon2id runs on the calling thread here: in a page, use the Worker
// client (keystore-worker-client.ts, KeystoreWorker), which runs this same
// class in a dedicated Worker so that the page never freezes.
import { checkBytes, checkMillis, checkString, fail, isObject, readFields } from './checks.js';
import type { ErrorCodeName } from './codes.js';
import { errorCodeName } from './codes.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import {
  f64,
  invoke,
  outBytes,
  outNum,
  outText,
  outWords,
  release,
  u32,
  type Arg,
} from './heap.js';
import { Identity, identityFromOutput, identityHandle } from './identity.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 identity, 1 item name, 2 created (f64), 3-4 floor; num = handle, 0 info, 1 items. */
    _keystoreCreate(args: number): number;
    /** 0 blob; slot 0 = info JSON. */
    _keystoreInspect(args: number): number;
    /** 0 blob, 1-6 policy; num = 0/1. */
    _keystoreNeedsRehash(args: number): number;
    /** 0 blob, 1 passphrase, 2-7 policy. */
    _keystoreUnlockPassphrase(args: number): number;
    /** 0 blob, 1 passphrase, 2 credential id, 3 PRF output, 4-9 policy. */
    _keystoreUnlockTwoFactor(args: number): number;
    /** 0 blob, 1 credential id, 2 PRF output. */
    _keystoreUnlockPasskey(args: number): number;
    /** 0 blob, 1 recovery text. */
    _keystoreUnlockRecovery(args: number): number;
    /** 0 keystore; 0 info JSON, 1 items JSON. */
    _keystoreDescribe(args: number): number;
    /** 0 keystore, 1-6 policy; num = 0/1. */
    _keystoreSlotsNeedRehash(args: number): number;
    /** 0 keystore, 1 passphrase, 2-3 params, 4-9 policy. */
    _keystoreSetPassphrase(args: number): number;
    /** 0 keystore, 1 passphrase, 2-3 params, 4 cred, 5 PRF salt, 6-7 PRF outputs, 8-13 policy. */
    _keystoreEnrollPasskey(args: number): number;
    /** 0 keystore, 1 new passphrase, 2-3 params, 4 cred, 5 PRF output, 6-11 policy. */
    _keystoreChangeTwoFactorPassphrase(args: number): number;
    /** 0 keystore, 1 cred, 2 PRF salt, 3-4 PRF outputs. */
    _keystoreAddPasskeyOnly(args: number): number;
    /** 0 keystore; slot 0 = a view of the recovery text. */
    _keystoreSetRecoveryKey(args: number): number;
    /** 0 keystore, 1 index. */
    _keystoreRemoveSlot(args: number): number;
    /** 0 keystore, 1 type, 2 created (f64), 3 name, 4 secret. */
    _keystoreAddItem(args: number): number;
    /** 0 keystore, 1 identity, 2 name, 3 now (f64). */
    _keystoreRotate(args: number): number;
    /** 0 keystore, 1 name, 2 role, 3 created (f64), 4 card keys; as _identityFromSeed. */
    _keystoreIdentity(args: number): number;
    /** 0 keystore, 1 index, 2 name, 3 role, 4 created (f64), 5 card keys. */
    _keystoreItemIdentity(args: number): number;
    /** 0 keystore, 1 index; slot 0 = a view of the secret. */
    _keystoreItemSecret(args: number): number;
    /** 0 keystore; slot 0 = the blob. */
    _keystoreSerialize(args: number): number;
    /** 0 keystore. */
    _keystoreFree(args: number): number;
    /** 0 text; slot 0 = words (code, bad-group mask). */
    _recoveryDiagnose(args: number): number;
    /** 0 group, 1 index; num = 0/1. */
    _recoveryGroupCheck(args: number): number;
  }
}

/** Argon2id cost: memory in KiB and passes (parallelism is always 1). */
export interface KdfParams {
  readonly memoryKib: number;
  readonly passes: number;
}

/**
 * What a caller accepts and writes (docs/spec/keystore.md §3): slots below
 * `floor` are KDF_DOWNGRADED, new slots get `defaults` (slots below them
 * need a rehash), slots above `cap` are TOO_LARGE before Argon2id runs.
 */
export interface KdfPolicy {
  readonly floor: KdfParams;
  readonly defaults: KdfParams;
  readonly cap: KdfParams;
}

/**
 * The default policy: OWASP's minimum (19 MiB, 2 passes) as the floor,
 * RFC 9106's second recommended option (64 MiB, 3 passes) as the default,
 * 256 MiB / 10 passes as the cap.
 */
export const DEFAULT_KDF_POLICY: KdfPolicy = Object.freeze({
  floor: Object.freeze({ memoryKib: 19456, passes: 2 }),
  defaults: Object.freeze({ memoryKib: 65536, passes: 3 }),
  cap: Object.freeze({ memoryKib: 262144, passes: 10 }),
});

/** The slot kinds, with the numbers of the format (spec §2.2). */
export const KeystoreSlotKind = Object.freeze({
  PASSPHRASE: 1,
  PASSPHRASE_PASSKEY: 2,
  PASSKEY: 3,
  RECOVERY: 4,
} as const);

/** The item types (spec §4). */
export const KeystoreItemType = Object.freeze({
  IDENTITY_SEED: 1,
  RETIRED_IDENTITY_SEED: 2,
  GROUP_KEY: 3,
} as const);

/** One unlock slot, as the public part of the blob describes it. */
export interface KeystoreSlotInfo {
  /** KeystoreSlotKind. */
  readonly kind: number;
  /** Kinds 1 and 2; zero otherwise. */
  readonly params: KdfParams;
  /** Kinds 2 and 3: the WebAuthn credential id (allowCredentials). */
  readonly credentialId?: Uint8Array;
  /** Kinds 2 and 3: the PRF input (extensions.prf.eval.first). */
  readonly prfSalt?: Uint8Array;
}

/** What a blob says without a secret: which factors to ask for. */
export interface KeystoreInfo {
  readonly version: number;
  /** The keystore id, hex. */
  readonly id: string;
  /** The keystore's own Argon2id floor. */
  readonly floor: KdfParams;
  readonly slots: readonly KeystoreSlotInfo[];
}

/** An item without its secret. */
export interface KeystoreItemInfo {
  /** KeystoreItemType. */
  readonly type: number;
  readonly created: number;
  readonly name: string;
  /** Bytes of its secret. */
  readonly size: number;
}

/** A passkey's contribution to an unlock: its credential id and the PRF output. */
export interface PasskeyFactor {
  credentialId: Uint8Array;
  /** The 32-byte PRF output (getClientExtensionResults().prf.results.first); zeroed after use. */
  prf: Uint8Array;
}

/** An enrolment: two PRF evaluations at `prfSalt`, which must be equal (else PRF_MISMATCH). */
export interface PasskeyEnrolment {
  credentialId: Uint8Array;
  /** 32 bytes, the PRF input stored in the slot. */
  prfSalt: Uint8Array;
  /** Zeroed after use. */
  prfFirst: Uint8Array;
  /** Zeroed after use. */
  prfSecond: Uint8Array;
}

/** Options of calls that write a passphrase slot. */
export interface KdfOptions {
  /** The slot's Argon2id cost; default policy.defaults. */
  params?: KdfParams;
  /** Default DEFAULT_KDF_POLICY. */
  policy?: KdfPolicy;
}

/** Options of Keystore.create. */
export interface KeystoreCreateOptions {
  /** The seed item's name (UTF-8, at most 64 bytes); default the identity's key id. */
  name?: string;
  /** ms since the epoch; default Date.now(). */
  created?: number;
  /** The keystore's own floor (no slot below it is ever accepted); default policy.floor. */
  floor?: KdfParams;
}

/** Options of identity(): the card's fields (the keystore holds only the seed). */
export interface KeystoreIdentityOptions {
  name: string;
  role: string;
  /** The card's creation time; default the seed item's `created`. */
  created?: number;
  postQuantum?: boolean;
}

/** What DiagnoseRecoveryKey found in a typed key. */
export interface RecoveryKeyDiagnosis {
  /** 'OK' for a well-formed key; TOO_LARGE, MALFORMED or RECOVERY_KEY_CHECKSUM otherwise. */
  readonly code: ErrorCodeName | 'OK';
  /** 0-based groups whose check character does not match. */
  readonly badGroups: readonly number[];
}

// ---------------------------------------------------------------------------
// Argument reading

function u32Of(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    fail('INVALID_ARGUMENT', `${what} must be an integer in 0..2^32-1`);
  }
  return x;
}

function paramsOf(x: unknown, what: string): KdfParams {
  const o = readFields(x, what, ['memoryKib', 'passes']);
  return {
    memoryKib: u32Of(o.memoryKib, `${what}.memoryKib`),
    passes: u32Of(o.passes, `${what}.passes`),
  };
}

/** @internal A policy as checked values (read once). */
export function policyOf(x: unknown, what = 'policy'): KdfPolicy {
  if (x === undefined) return DEFAULT_KDF_POLICY;
  const o = readFields(x, what, ['floor', 'defaults', 'cap']);
  return {
    floor: paramsOf(o.floor, `${what}.floor`),
    defaults: paramsOf(o.defaults, `${what}.defaults`),
    cap: paramsOf(o.cap, `${what}.cap`),
  };
}

const policyArgs = (p: KdfPolicy): Arg[] => [
  u32(p.floor.memoryKib),
  u32(p.floor.passes),
  u32(p.defaults.memoryKib),
  u32(p.defaults.passes),
  u32(p.cap.memoryKib),
  u32(p.cap.passes),
];
const paramArgs = (p: KdfParams): Arg[] => [u32(p.memoryKib), u32(p.passes)];

function kdfOptions(options: unknown): { params: KdfParams; policy: KdfPolicy } {
  const o = readFields(options, 'options', ['params', 'policy']);
  const policy = policyOf(o.policy, 'options.policy');
  const params = o.params === undefined ? policy.defaults : paramsOf(o.params, 'options.params');
  return { params, policy };
}

function passkeyOf(x: unknown, what: string): { credentialId: Uint8Array; prf: Uint8Array } {
  const o = readFields(x, what, ['credentialId', 'prf']);
  return {
    credentialId: checkBytes(o.credentialId, `${what}.credentialId`),
    prf: checkBytes(o.prf, `${what}.prf`),
  };
}

function enrolmentOf(x: unknown): PasskeyEnrolment {
  const o = readFields(x, 'enrolment', ['credentialId', 'prfSalt', 'prfFirst', 'prfSecond']);
  return {
    credentialId: checkBytes(o.credentialId, 'enrolment.credentialId'),
    prfSalt: checkBytes(o.prfSalt, 'enrolment.prfSalt'),
    prfFirst: checkBytes(o.prfFirst, 'enrolment.prfFirst'),
    prfSecond: checkBytes(o.prfSecond, 'enrolment.prfSecond'),
  };
}

// Runs `body`, then zeroes the caller's secrets, whatever happened.
function consuming<T>(secrets: readonly Uint8Array[], body: () => T): T {
  try {
    return body();
  } finally {
    for (const s of secrets) s.fill(0);
  }
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

interface InfoJson {
  version: number;
  id: string;
  floor: KdfParams;
  slots: {
    kind: number;
    memoryKib: number;
    passes: number;
    credentialId: string;
    prfSalt: string;
  }[];
}

function infoFromJson(text: string): KeystoreInfo {
  const j = JSON.parse(text) as InfoJson;
  return Object.freeze({
    version: j.version,
    id: j.id,
    floor: Object.freeze({ memoryKib: j.floor.memoryKib, passes: j.floor.passes }),
    slots: Object.freeze(
      j.slots.map((s) =>
        Object.freeze({
          kind: s.kind,
          params: Object.freeze({ memoryKib: s.memoryKib, passes: s.passes }),
          ...(s.credentialId === ''
            ? {}
            : { credentialId: hexBytes(s.credentialId), prfSalt: hexBytes(s.prfSalt) }),
        }),
      ),
    ),
  });
}

function itemsFromJson(text: string): readonly KeystoreItemInfo[] {
  const j = JSON.parse(text) as KeystoreItemInfo[];
  return Object.freeze(j.map((i) => Object.freeze({ ...i })));
}

function takeSecret(m: MedsealCoreModule): Uint8Array {
  try {
    return outBytes(m, 0);
  } finally {
    release(m);
  }
}

// ---------------------------------------------------------------------------
// The keystore

const keystoreKind = handleKind((m) => m._keystoreFree);

/**
 * The public description of a keystore blob (rules KS1-KS10): which slots
 * it has, their Argon2id costs, and the credential ids and PRF inputs to
 * pass to WebAuthn. Needs no secret.
 */
export function inspectKeystore(blob: Uint8Array): KeystoreInfo {
  const m = mod();
  const b = checkBytes(blob, 'blob');
  invoke(m, m._keystoreInspect, [b]);
  return infoFromJson(outText(m, 0));
}

/**
 * True if a passphrase slot's cost is below policy.defaults: unlock, call
 * rehash() with the same passphrase, serialize, store the new blob.
 */
export function keystoreNeedsRehash(blob: Uint8Array, policy?: KdfPolicy): boolean {
  const m = mod();
  const b = checkBytes(blob, 'blob');
  const p = policyOf(policy);
  invoke(m, m._keystoreNeedsRehash, [b, ...policyArgs(p)]);
  return outNum(m) === 1;
}

/**
 * An unlocked keystore in wasm memory. It holds the master key and every
 * secret item: call dispose() (or use `using`) when done. Nothing changes a
 * stored blob: every change is made here and serialize() returns the new
 * blob; the old one stays valid until the caller replaces it.
 */
export class Keystore {
  readonly #slot: HandleSlot;
  #info: KeystoreInfo;
  #items: readonly KeystoreItemInfo[];

  private constructor(m: MedsealCoreModule) {
    this.#info = infoFromJson(outText(m, 0));
    this.#items = itemsFromJson(outText(m, 1));
    this.#slot = new HandleSlot(this, outNum(m), keystoreKind);
  }

  static #of(x: unknown, what: string): Keystore {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be a Keystore`);
    return x;
  }

  // The live handle of `x` (INVALID_ARGUMENT for anything but a Keystore,
  // DISPOSED after dispose()). Static, so that a foreign `this` is refused
  // with a MedsealError rather than a TypeError from a private member.
  static #handleOf(x: unknown): number {
    return Keystore.#of(x, 'this').#slot.get('keystore');
  }

  static #refresh(ks: Keystore, m: MedsealCoreModule): void {
    invoke(m, m._keystoreDescribe, [u32(Keystore.#handleOf(ks))]);
    ks.#info = infoFromJson(outText(m, 0));
    ks.#items = itemsFromJson(outText(m, 1));
  }

  // Calls a mutating entry point on `x`, then re-reads its description.
  static #change(
    x: unknown,
    entry: (m: MedsealCoreModule) => (args: number) => number,
    args: Arg[],
  ): void {
    const m = mod();
    const h = Keystore.#handleOf(x);
    invoke(m, entry(m), [u32(h), ...args]);
    Keystore.#refresh(x as Keystore, m);
  }

  /**
   * A new keystore holding `identity`'s seed as its current seed, with no
   * slot yet: add one (setPassphrase, enrollPasskey, ...) before serialize().
   */
  static create(identity: Identity, options: KeystoreCreateOptions = {}): Keystore {
    const m = mod();
    const h = identityHandle(identity, 'identity');
    const o = readFields(options, 'options', ['name', 'created', 'floor']);
    const name = o.name === undefined ? identity.keyId : checkString(o.name, 'options.name');
    const created =
      o.created === undefined ? Date.now() : checkMillis(o.created, 'options.created');
    const floor =
      o.floor === undefined ? DEFAULT_KDF_POLICY.floor : paramsOf(o.floor, 'options.floor');
    invoke(m, m._keystoreCreate, [u32(h), name, f64(created), ...paramArgs(floor)]);
    return new Keystore(m);
  }

  /** Unlocks a passphrase slot (kind 1). `passphrase` (1..4096 bytes) is zeroed. */
  static unlockWithPassphrase(
    blob: Uint8Array,
    passphrase: Uint8Array,
    options: { policy?: KdfPolicy } = {},
  ): Keystore {
    const m = mod();
    const pass = checkBytes(passphrase, 'passphrase');
    return consuming([pass], () => {
      const b = checkBytes(blob, 'blob');
      const o = readFields(options, 'options', ['policy']);
      const p = policyOf(o.policy, 'options.policy');
      invoke(m, m._keystoreUnlockPassphrase, [b, pass, ...policyArgs(p)]);
      return new Keystore(m);
    });
  }

  /**
   * Unlocks a passphrase + passkey slot (kind 2): both factors are needed.
   * The passphrase and the PRF output are zeroed.
   */
  static unlockWithPassphraseAndPasskey(
    blob: Uint8Array,
    passphrase: Uint8Array,
    passkey: PasskeyFactor,
    options: { policy?: KdfPolicy } = {},
  ): Keystore {
    const m = mod();
    const pass = checkBytes(passphrase, 'passphrase');
    const pk = passkeyOf(passkey, 'passkey');
    return consuming([pass, pk.prf], () => {
      const b = checkBytes(blob, 'blob');
      const o = readFields(options, 'options', ['policy']);
      const p = policyOf(o.policy, 'options.policy');
      invoke(m, m._keystoreUnlockTwoFactor, [b, pass, pk.credentialId, pk.prf, ...policyArgs(p)]);
      return new Keystore(m);
    });
  }

  /** Unlocks a passkey-only slot (kind 3). The PRF output is zeroed. */
  static unlockWithPasskey(blob: Uint8Array, passkey: PasskeyFactor): Keystore {
    const m = mod();
    const pk = passkeyOf(passkey, 'passkey');
    return consuming([pk.prf], () => {
      const b = checkBytes(blob, 'blob');
      invoke(m, m._keystoreUnlockPasskey, [b, pk.credentialId, pk.prf]);
      return new Keystore(m);
    });
  }

  /**
   * Unlocks the recovery slot (kind 4) with a typed recovery key (ASCII or
   * UTF-8 bytes; case, spaces, hyphens and O/I/L confusables are accepted).
   * The text is zeroed.
   */
  static unlockWithRecoveryKey(blob: Uint8Array, recoveryKey: Uint8Array): Keystore {
    const m = mod();
    const text = checkBytes(recoveryKey, 'recoveryKey');
    return consuming([text], () => {
      const b = checkBytes(blob, 'blob');
      invoke(m, m._keystoreUnlockRecovery, [b, text]);
      return new Keystore(m);
    });
  }

  /** The keystore's public description (its slots as serialize() would write them). */
  get info(): KeystoreInfo {
    Keystore.#handleOf(this);
    return this.#info;
  }

  /** Its items, without their secrets. */
  get items(): readonly KeystoreItemInfo[] {
    Keystore.#handleOf(this);
    return this.#items;
  }

  /** True if a passphrase slot is below policy.defaults (then rehash()). */
  needsRehash(policy?: KdfPolicy): boolean {
    const m = mod();
    const p = policyOf(policy);
    invoke(m, m._keystoreSlotsNeedRehash, [u32(Keystore.#handleOf(this)), ...policyArgs(p)]);
    return outNum(m) === 1;
  }

  /**
   * The Identity of the current seed, made in wasm memory (the seed does not
   * leave it). The card's name, role and time are the caller's: the
   * keystore holds the seed only.
   */
  identity(options: KeystoreIdentityOptions): Identity {
    const m = mod();
    const h = Keystore.#handleOf(this);
    const current = this.#items.find((i) => i.type === KeystoreItemType.IDENTITY_SEED);
    const args = identityArgs(options, current?.created ?? 0);
    invoke(m, m._keystoreIdentity, [u32(h), ...args]);
    return identityFromOutput(m);
  }

  /** The Identity of item `index`'s seed (e.g. a retired seed, to open records sealed to it). */
  itemIdentity(index: number, options: KeystoreIdentityOptions): Identity {
    const m = mod();
    const h = Keystore.#handleOf(this);
    const i = u32Of(index, 'index');
    const args = identityArgs(options, this.#items[i]?.created ?? 0);
    invoke(m, m._keystoreItemIdentity, [u32(h), u32(i), ...args]);
    return identityFromOutput(m);
  }

  /** A copy of item `index`'s secret (e.g. a group key). The caller must fill(0) it after use. */
  itemSecret(index: number): Uint8Array {
    const m = mod();
    invoke(m, m._keystoreItemSecret, [u32(Keystore.#handleOf(this)), u32(u32Of(index, 'index'))]);
    return takeSecret(m);
  }

  /** Adds an item (a group key, typically). `secret` is zeroed. */
  addItem(item: { type: number; name: string; created?: number; secret: Uint8Array }): void {
    const o = readFields(item, 'item', ['type', 'name', 'created', 'secret']);
    const secret = checkBytes(o.secret, 'item.secret');
    consuming([secret], () => {
      const type = u32Of(o.type, 'item.type');
      if (type > 255) fail('INVALID_ARGUMENT', 'item.type must be a byte');
      const name = checkString(o.name, 'item.name');
      const created = o.created === undefined ? Date.now() : checkMillis(o.created, 'item.created');
      Keystore.#change(this, (m) => m._keystoreAddItem, [u32(type), f64(created), name, secret]);
    });
  }

  /**
   * Rotation: the current seed becomes a retired seed item (records sealed
   * to it still open through itemIdentity) and `identity`'s seed the
   * current one.
   */
  rotateIdentity(identity: Identity, options: { name?: string; now?: number } = {}): void {
    const h = identityHandle(identity, 'identity');
    const o = readFields(options, 'options', ['name', 'now']);
    const name = o.name === undefined ? identity.keyId : checkString(o.name, 'options.name');
    const now = o.now === undefined ? Date.now() : checkMillis(o.now, 'options.now');
    Keystore.#change(this, (m) => m._keystoreRotate, [u32(h), name, f64(now)]);
  }

  /**
   * Adds or replaces the passphrase-only slot (NOT_PERMITTED while a
   * passphrase + passkey slot exists). `passphrase` is zeroed.
   */
  setPassphrase(passphrase: Uint8Array, options: KdfOptions = {}): void {
    const pass = checkBytes(passphrase, 'passphrase');
    consuming([pass], () => {
      const { params, policy } = kdfOptions(options);
      Keystore.#change(this, (m) => m._keystoreSetPassphrase, [
        pass,
        ...paramArgs(params),
        ...policyArgs(policy),
      ]);
    });
  }

  /**
   * Enrols a passkey as second factor: adds a passphrase + passkey slot and
   * removes the passphrase-only slot. PRF_MISMATCH if the two PRF
   * evaluations differ. The passphrase and both PRF outputs are zeroed.
   */
  enrollPasskey(
    passphrase: Uint8Array,
    enrolment: PasskeyEnrolment,
    options: KdfOptions = {},
  ): void {
    const pass = checkBytes(passphrase, 'passphrase');
    const e = enrolmentOf(enrolment);
    consuming([pass, e.prfFirst, e.prfSecond], () => {
      const { params, policy } = kdfOptions(options);
      Keystore.#change(this, (m) => m._keystoreEnrollPasskey, [
        pass,
        ...paramArgs(params),
        e.credentialId,
        e.prfSalt,
        e.prfFirst,
        e.prfSecond,
        ...policyArgs(policy),
      ]);
    });
  }

  /**
   * Changes the passphrase of a passphrase + passkey slot (the passkey must
   * be that slot's: WRONG_SECOND_FACTOR otherwise). Zeroes the passphrase
   * and the PRF output.
   */
  changeTwoFactorPassphrase(
    newPassphrase: Uint8Array,
    passkey: PasskeyFactor,
    options: KdfOptions = {},
  ): void {
    const pass = checkBytes(newPassphrase, 'newPassphrase');
    const pk = passkeyOf(passkey, 'passkey');
    consuming([pass, pk.prf], () => {
      const { params, policy } = kdfOptions(options);
      Keystore.#change(this, (m) => m._keystoreChangeTwoFactorPassphrase, [
        pass,
        ...paramArgs(params),
        pk.credentialId,
        pk.prf,
        ...policyArgs(policy),
      ]);
    });
  }

  /**
   * Rewrites the passphrase slot at policy.defaults (the "needs rehash"
   * upgrade): setPassphrase for a passphrase slot, changeTwoFactorPassphrase
   * when `passkey` is given. Zeroes what it takes.
   */
  rehash(
    passphrase: Uint8Array,
    options: { passkey?: PasskeyFactor; policy?: KdfPolicy } = {},
  ): void {
    const o = readFields(options, 'options', ['passkey', 'policy']);
    const policy = policyOf(o.policy, 'options.policy');
    if (o.passkey === undefined) {
      this.setPassphrase(passphrase, { params: policy.defaults, policy });
    } else {
      this.changeTwoFactorPassphrase(passphrase, o.passkey as PasskeyFactor, {
        params: policy.defaults,
        policy,
      });
    }
  }

  /** Adds (or replaces) a passkey-only slot: the passkey alone opens the keystore. */
  addPasskeyOnlySlot(enrolment: PasskeyEnrolment): void {
    const e = enrolmentOf(enrolment);
    consuming([e.prfFirst, e.prfSecond], () => {
      Keystore.#change(this, (m) => m._keystoreAddPasskeyOnly, [
        e.credentialId,
        e.prfSalt,
        e.prfFirst,
        e.prfSecond,
      ]);
    });
  }

  /**
   * A new recovery key (replacing the previous recovery slot): its 71-byte
   * ASCII text, to be shown once. The caller must fill(0) it after use.
   */
  setRecoveryKey(): Uint8Array {
    const m = mod();
    invoke(m, m._keystoreSetRecoveryKey, [u32(Keystore.#handleOf(this))]);
    const text = takeSecret(m);
    Keystore.#refresh(this, m);
    return text;
  }

  /** Removes slot `index` (of info.slots); INVALID_ARGUMENT for the last one. */
  removeSlot(index: number): void {
    Keystore.#change(this, (m) => m._keystoreRemoveSlot, [u32(u32Of(index, 'index'))]);
  }

  /** The blob to store (encrypted; no secret readable without a factor). */
  serialize(): Uint8Array {
    const m = mod();
    invoke(m, m._keystoreSerialize, [u32(Keystore.#handleOf(this))]);
    return outBytes(m, 0);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return Keystore.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees the keystore in wasm memory. Idempotent. */
  dispose(): void {
    Keystore.#of(this, 'this').#slot.dispose();
  }
}

export interface Keystore {
  [Symbol.dispose](): void;
}

publicClass(Keystore, 'Keystore');

// Slots name, role, created, card keys of the identity entry points.
function identityArgs(options: unknown, fallbackCreated: number): Arg[] {
  const o = readFields(options, 'options', ['name', 'role', 'created', 'postQuantum']);
  const name = checkString(o.name, 'options.name');
  const role = checkString(o.role, 'options.role');
  const created =
    o.created === undefined ? fallbackCreated : checkMillis(o.created, 'options.created');
  if (o.postQuantum !== undefined && typeof o.postQuantum !== 'boolean') {
    fail('INVALID_ARGUMENT', 'options.postQuantum must be a boolean');
  }
  return [name, role, f64(created), u32(o.postQuantum === true ? 1 : 0)];
}

// ---------------------------------------------------------------------------
// Recovery keys

/**
 * What is wrong with a typed recovery key, for the UI: code 'OK' for a
 * well-formed key, else the code and the groups (0-based) whose check
 * character does not match. `text` is zeroed.
 */
export function diagnoseRecoveryKey(text: Uint8Array): RecoveryKeyDiagnosis {
  const m = mod();
  const t = checkBytes(text, 'text');
  return consuming([t], () => {
    invoke(m, m._recoveryDiagnose, [t]);
    const [code, mask] = outWords(m, 0) as [number, number];
    const badGroups: number[] = [];
    for (let g = 0; g < 8; g++) if ((mask >>> g) & 1) badGroups.push(g);
    return Object.freeze({
      code: code === 0 ? 'OK' : (errorCodeName(code) ?? 'INTERNAL'),
      badGroups: Object.freeze(badGroups),
    });
  });
}

/** Whether one typed group (8 characters) is plausible at position `index` (0..7). */
export function recoveryGroupValid(group: Uint8Array, index: number): boolean {
  const m = mod();
  const g = checkBytes(group, 'group');
  invoke(m, m._recoveryGroupCheck, [g, u32(u32Of(index, 'index'))]);
  return outNum(m) === 1;
}

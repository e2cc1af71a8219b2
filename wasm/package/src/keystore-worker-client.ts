// SPDX-License-Identifier: Apache-2.0
// KeystoreWorker: the keystore of keystore.ts in a dedicated module Worker
// (dist/keystore-worker.js, src/keystore-worker.ts), so that Argon2id (about
// a second at the default 64 MiB / 3 passes) never blocks the page.
//
// The whole unlocked keystore lives in the Worker, not only the KDF: the
// master key, the slots' KEKs and every item stay in the Worker's own wasm
// memory, and every operation that runs Argon2id (unlock, a passphrase
// slot, a passkey enrolment, a rehash) runs there. What reaches the page is
// the public description (info, items without secrets), the serialized
// blob, and, when the page asks for it, one seed per identity(), from which
// the page makes its Identity in its own wasm memory; the seed is
// transferred, not copied, and zeroed at once. Secrets sent to the Worker
// (passphrases, PRF outputs, recovery texts, a seed) are copied into fresh
// ArrayBuffers that are transferred (the caller's arrays are zeroed, as the
// synchronous API does); no secret is ever put in a string or a cloned
// object. docs/api.md explains why not only the KDF.
import { fail, checkBytes, isObject, readFields } from './checks.js';
import { ErrorCode, type ErrorCodeName } from './codes.js';
import { MedsealError } from './errors.js';
import { Identity, identityHandle } from './identity.js';
import type {
  KdfOptions,
  KdfPolicy,
  KeystoreCreateOptions,
  KeystoreIdentityOptions,
  KeystoreInfo,
  KeystoreItemInfo,
  PasskeyEnrolment,
  PasskeyFactor,
} from './keystore.js';

/** @internal What the Worker reports after each change. */
export interface KeystoreWorkerState {
  info: KeystoreInfo;
  items: readonly KeystoreItemInfo[];
}

/** @internal A request: `secrets` are the args' secret arrays, whose buffers are transferred. */
export interface KeystoreWorkerRequest {
  id: number;
  op: string;
  args: unknown[];
  secrets: Uint8Array[];
}

/** @internal */
export type KeystoreWorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; code: ErrorCodeName; message: string };

/** Options of the Worker client's unlock and create calls. */
export interface KeystoreWorkerOptions {
  /** Where dist/keystore-worker.js is; default: beside this script. */
  workerUrl?: string | URL;
  /** Default DEFAULT_KDF_POLICY. */
  policy?: KdfPolicy;
}

function defaultWorkerUrl(): URL {
  return new URL('./keystore-worker.js', import.meta.url);
}

// A fresh, whole-buffer copy of a caller's secret (transferable without
// detaching anything of the caller's); the caller's array is zeroed.
function moveSecret(x: unknown, what: string): Uint8Array {
  const s = checkBytes(x, what);
  const copy = s.slice();
  s.fill(0);
  return copy;
}

function passkeyWire(x: unknown, what: string, secrets: Uint8Array[]): PasskeyFactor {
  const o = readFields(x, what, ['credentialId', 'prf']);
  const prf = moveSecret(o.prf, `${what}.prf`);
  secrets.push(prf);
  return { credentialId: checkBytes(o.credentialId, `${what}.credentialId`).slice(), prf };
}

function enrolmentWire(x: unknown, secrets: Uint8Array[]): PasskeyEnrolment {
  const o = readFields(x, 'enrolment', ['credentialId', 'prfSalt', 'prfFirst', 'prfSecond']);
  const prfFirst = moveSecret(o.prfFirst, 'enrolment.prfFirst');
  const prfSecond = moveSecret(o.prfSecond, 'enrolment.prfSecond');
  secrets.push(prfFirst, prfSecond);
  return {
    credentialId: checkBytes(o.credentialId, 'enrolment.credentialId').slice(),
    prfSalt: checkBytes(o.prfSalt, 'enrolment.prfSalt').slice(),
    prfFirst,
    prfSecond,
  };
}

// Options are sent as plain data (structured clone); Uint8Arrays and
// functions have no place in them.
function plainOptions(x: unknown, keys: readonly string[]): Record<string, unknown> {
  const o = readFields(x, 'options', keys as string[]);
  return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
}

/**
 * An unlocked keystore held by a dedicated Web Worker. Every method that
 * changes it returns once the Worker is done; info and items are updated
 * then. Call dispose() when done: it wipes the keystore and terminates the
 * Worker.
 */
export class KeystoreWorker {
  readonly #worker: Worker;
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #state: KeystoreWorkerState | undefined;
  #failure: MedsealError | undefined;
  #disposed = false;

  private constructor(url: string | URL) {
    this.#worker = new Worker(url, { type: 'module' });
    this.#worker.onmessage = (event: MessageEvent<KeystoreWorkerReply>) => {
      const msg = event.data;
      const p = this.#pending.get(msg.id);
      this.#pending.delete(msg.id);
      if (msg.ok) p?.resolve(msg.result);
      else p?.reject(new MedsealError(msg.code in ErrorCode ? msg.code : 'INTERNAL', msg.message));
    };
    this.#worker.onerror = (event: ErrorEvent) => {
      event.preventDefault?.();
      this.#failure = new MedsealError(
        'INTERNAL',
        `the keystore worker failed: ${event.message ?? ''}`,
      );
      for (const p of this.#pending.values()) p.reject(this.#failure);
      this.#pending.clear();
    };
  }

  static #of(x: unknown): KeystoreWorker {
    if (!isObject(x) || !(#worker in x)) fail('INVALID_ARGUMENT', 'this must be a KeystoreWorker');
    return x;
  }

  #call<T>(op: string, args: unknown[], secrets: Uint8Array[]): Promise<T> {
    if (this.#failure !== undefined) {
      for (const s of secrets) s.fill(0);
      return Promise.reject(this.#failure);
    }
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const request: KeystoreWorkerRequest = { id, op, args, secrets };
      this.#worker.postMessage(
        request,
        secrets.map((s) => s.buffer as ArrayBuffer),
      );
    });
  }

  async #change(op: string, args: unknown[], secrets: Uint8Array[]): Promise<void> {
    this.#state = await this.#call<KeystoreWorkerState>(op, args, secrets);
  }

  static async #start(
    options: unknown,
    op: string,
    args: (o: Record<string, unknown>) => unknown[],
    secrets: Uint8Array[],
  ): Promise<KeystoreWorker> {
    if (typeof Worker !== 'function') {
      for (const s of secrets) s.fill(0);
      fail('INVALID_ARGUMENT', 'this runtime has no Web Worker');
    }
    const o = readFields(options, 'options', ['workerUrl', 'policy']);
    let kw: KeystoreWorker;
    try {
      kw = new KeystoreWorker((o.workerUrl as string | URL | undefined) ?? defaultWorkerUrl());
    } catch (e) {
      for (const s of secrets) s.fill(0);
      throw e;
    }
    try {
      await kw.#change(op, args(o.policy === undefined ? {} : { policy: o.policy }), secrets);
    } catch (e) {
      kw.dispose();
      throw e;
    }
    return kw;
  }

  /**
   * A new keystore in a Worker, holding `identity`'s seed (sent to the
   * Worker transferred); add a slot, then serialize().
   */
  static create(
    identity: Identity,
    options: KeystoreCreateOptions & { workerUrl?: string | URL } = {},
  ): Promise<KeystoreWorker> {
    identityHandle(identity, 'identity');
    const o = readFields(options, 'options', ['name', 'created', 'floor', 'workerUrl']);
    const seed = identity.exportSeed();
    const createOptions = {
      name: o.name ?? identity.keyId,
      ...(o.created === undefined ? {} : { created: o.created }),
      ...(o.floor === undefined ? {} : { floor: o.floor }),
    };
    return KeystoreWorker.#start(
      { workerUrl: o.workerUrl },
      'create',
      () => [seed, createOptions],
      [seed],
    );
  }

  /** Keystore.unlockWithPassphrase in a Worker. `passphrase` is zeroed. */
  static unlockWithPassphrase(
    blob: Uint8Array,
    passphrase: Uint8Array,
    options: KeystoreWorkerOptions = {},
  ): Promise<KeystoreWorker> {
    const pass = moveSecret(passphrase, 'passphrase');
    const b = checkBytes(blob, 'blob').slice();
    return KeystoreWorker.#start(options, 'unlockWithPassphrase', (o) => [b, pass, o], [pass]);
  }

  /** Keystore.unlockWithPassphraseAndPasskey in a Worker. Passphrase and PRF output are zeroed. */
  static unlockWithPassphraseAndPasskey(
    blob: Uint8Array,
    passphrase: Uint8Array,
    passkey: PasskeyFactor,
    options: KeystoreWorkerOptions = {},
  ): Promise<KeystoreWorker> {
    const secrets: Uint8Array[] = [];
    const pass = moveSecret(passphrase, 'passphrase');
    secrets.push(pass);
    const pk = passkeyWire(passkey, 'passkey', secrets);
    const b = checkBytes(blob, 'blob').slice();
    return KeystoreWorker.#start(
      options,
      'unlockWithPassphraseAndPasskey',
      (o) => [b, pass, pk, o],
      secrets,
    );
  }

  /** Keystore.unlockWithPasskey in a Worker. The PRF output is zeroed. */
  static unlockWithPasskey(
    blob: Uint8Array,
    passkey: PasskeyFactor,
    options: { workerUrl?: string | URL } = {},
  ): Promise<KeystoreWorker> {
    const secrets: Uint8Array[] = [];
    const pk = passkeyWire(passkey, 'passkey', secrets);
    const b = checkBytes(blob, 'blob').slice();
    return KeystoreWorker.#start(options, 'unlockWithPasskey', () => [b, pk], secrets);
  }

  /** Keystore.unlockWithRecoveryKey in a Worker. The text is zeroed. */
  static unlockWithRecoveryKey(
    blob: Uint8Array,
    recoveryKey: Uint8Array,
    options: { workerUrl?: string | URL } = {},
  ): Promise<KeystoreWorker> {
    const text = moveSecret(recoveryKey, 'recoveryKey');
    const b = checkBytes(blob, 'blob').slice();
    return KeystoreWorker.#start(options, 'unlockWithRecoveryKey', () => [b, text], [text]);
  }

  // Static, so that a foreign `this` is a MedsealError, not a TypeError.
  static #currentOf(x: unknown): KeystoreWorkerState {
    const s = KeystoreWorker.#of(x).#state;
    if (s === undefined) fail('DISPOSED', 'keystore was disposed');
    return s;
  }

  /** The keystore's public description, as of the last completed change. */
  get info(): KeystoreInfo {
    return KeystoreWorker.#currentOf(this).info;
  }

  /** Its items without secrets, as of the last completed change. */
  get items(): readonly KeystoreItemInfo[] {
    return KeystoreWorker.#currentOf(this).items;
  }

  /**
   * The Identity of the current seed, made in the page's wasm memory from
   * the seed the Worker transfers (zeroed once the Identity holds it).
   */
  async identity(options: KeystoreIdentityOptions): Promise<Identity> {
    const items = KeystoreWorker.#currentOf(this).items;
    const index = items.findIndex((i) => i.type === 1);
    if (index < 0) fail('INVALID_ARGUMENT', 'the keystore holds no identity seed');
    return this.itemIdentity(index, options);
  }

  /** The Identity of item `index`'s seed (a retired seed after a rotation). */
  async itemIdentity(index: number, options: KeystoreIdentityOptions): Promise<Identity> {
    const item = KeystoreWorker.#currentOf(this).items[index];
    const o = readFields(options, 'options', ['name', 'role', 'created', 'postQuantum']);
    const seed = await this.#call<Uint8Array>('itemSecret', [index], []);
    try {
      return Identity.fromSeed(seed, {
        name: o.name as string,
        role: o.role as string,
        created: (o.created as number | undefined) ?? item?.created ?? 0,
        ...(o.postQuantum === undefined ? {} : { postQuantum: o.postQuantum as boolean }),
      });
    } finally {
      seed.fill(0);
    }
  }

  /** A copy of item `index`'s secret; the caller must fill(0) it. */
  itemSecret(index: number): Promise<Uint8Array> {
    KeystoreWorker.#currentOf(this);
    return this.#call<Uint8Array>('itemSecret', [index], []);
  }

  /** As Keystore.setPassphrase, in the Worker. */
  setPassphrase(passphrase: Uint8Array, options: KdfOptions = {}): Promise<void> {
    KeystoreWorker.#currentOf(this);
    const pass = moveSecret(passphrase, 'passphrase');
    return this.#change(
      'setPassphrase',
      [pass, plainOptions(options, ['params', 'policy'])],
      [pass],
    );
  }

  /** As Keystore.enrollPasskey, in the Worker. */
  enrollPasskey(
    passphrase: Uint8Array,
    enrolment: PasskeyEnrolment,
    options: KdfOptions = {},
  ): Promise<void> {
    KeystoreWorker.#currentOf(this);
    const secrets: Uint8Array[] = [];
    const pass = moveSecret(passphrase, 'passphrase');
    secrets.push(pass);
    const e = enrolmentWire(enrolment, secrets);
    return this.#change(
      'enrollPasskey',
      [pass, e, plainOptions(options, ['params', 'policy'])],
      secrets,
    );
  }

  /** As Keystore.changeTwoFactorPassphrase, in the Worker. */
  changeTwoFactorPassphrase(
    newPassphrase: Uint8Array,
    passkey: PasskeyFactor,
    options: KdfOptions = {},
  ): Promise<void> {
    KeystoreWorker.#currentOf(this);
    const secrets: Uint8Array[] = [];
    const pass = moveSecret(newPassphrase, 'newPassphrase');
    secrets.push(pass);
    const pk = passkeyWire(passkey, 'passkey', secrets);
    return this.#change(
      'changeTwoFactorPassphrase',
      [pass, pk, plainOptions(options, ['params', 'policy'])],
      secrets,
    );
  }

  /** As Keystore.rehash, in the Worker. */
  rehash(
    passphrase: Uint8Array,
    options: { passkey?: PasskeyFactor; policy?: KdfPolicy } = {},
  ): Promise<void> {
    KeystoreWorker.#currentOf(this);
    const o = readFields(options, 'options', ['passkey', 'policy']);
    const secrets: Uint8Array[] = [];
    const pass = moveSecret(passphrase, 'passphrase');
    secrets.push(pass);
    const wire: Record<string, unknown> =
      o.policy === undefined ? {} : plainOptions({ policy: o.policy }, ['policy']);
    if (o.passkey !== undefined) wire.passkey = passkeyWire(o.passkey, 'options.passkey', secrets);
    return this.#change('rehash', [pass, wire], secrets);
  }

  /** As Keystore.addPasskeyOnlySlot, in the Worker. */
  addPasskeyOnlySlot(enrolment: PasskeyEnrolment): Promise<void> {
    KeystoreWorker.#currentOf(this);
    const secrets: Uint8Array[] = [];
    const e = enrolmentWire(enrolment, secrets);
    return this.#change('addPasskeyOnlySlot', [e], secrets);
  }

  /** As Keystore.setRecoveryKey: the text, transferred from the Worker; fill(0) it after use. */
  async setRecoveryKey(): Promise<Uint8Array> {
    KeystoreWorker.#currentOf(this);
    const r = await this.#call<{ state: KeystoreWorkerState; text: Uint8Array }>(
      'setRecoveryKey',
      [],
      [],
    );
    this.#state = r.state;
    return r.text;
  }

  /** As Keystore.removeSlot. */
  removeSlot(index: number): Promise<void> {
    KeystoreWorker.#currentOf(this);
    return this.#change('removeSlot', [index], []);
  }

  /** As Keystore.rotateIdentity: `identity`'s seed is transferred to the Worker. */
  rotateIdentity(identity: Identity, options: { name?: string; now?: number } = {}): Promise<void> {
    KeystoreWorker.#currentOf(this);
    identityHandle(identity, 'identity');
    const o = plainOptions(options, ['name', 'now']);
    const seed = identity.exportSeed();
    return this.#change(
      'rotateIdentity',
      [seed, { name: o.name ?? identity.keyId, ...(o.now === undefined ? {} : { now: o.now }) }],
      [seed],
    );
  }

  /** As Keystore.needsRehash. */
  needsRehash(policy?: KdfPolicy): Promise<boolean> {
    KeystoreWorker.#currentOf(this);
    const wire = policy === undefined ? undefined : plainOptions({ policy }, ['policy']).policy;
    return this.#call<boolean>('needsRehash', [wire], []);
  }

  /** The blob to store. */
  serialize(): Promise<Uint8Array> {
    KeystoreWorker.#currentOf(this);
    return this.#call<Uint8Array>('serialize', [], []);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return KeystoreWorker.#of(this).#disposed;
  }

  /** Wipes the keystore in the Worker and terminates it. Idempotent. */
  dispose(): void {
    const self = KeystoreWorker.#of(this);
    if (self.#disposed) return;
    self.#disposed = true;
    self.#state = undefined;
    const failure = new MedsealError('DISPOSED', 'keystore was disposed');
    for (const p of self.#pending.values()) p.reject(failure);
    self.#pending.clear();
    // The Worker wipes the keystore (its SecretBytes) when it handles the
    // dispose message, after any call still running there; it is terminated
    // on its reply (terminating alone would free the memory without zeroing
    // it), or after 2 s if it does not answer.
    const id = self.#next++;
    const stop = () => self.#worker.terminate();
    const timer = setTimeout(stop, 2000);
    self.#pending.set(id, {
      resolve: () => {
        clearTimeout(timer);
        stop();
      },
      reject: () => {
        clearTimeout(timer);
        stop();
      },
    });
    self.#worker.postMessage({ id, op: 'dispose', args: [], secrets: [] });
  }
}

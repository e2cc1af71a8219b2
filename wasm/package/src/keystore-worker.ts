// SPDX-License-Identifier: Apache-2.0
// The keystore Worker (dist/keystore-worker.js, a module Worker with its own
// copy of the library and its own wasm memory): holds one unlocked Keystore
// for a KeystoreWorker (keystore-worker-client.ts) and runs every operation
// that costs an Argon2id evaluation (unlocking, writing a passphrase slot,
// enrolling a passkey, a rehash) off the page's thread. Secrets arrive as
// transferred ArrayBuffers, never inside strings; keystore.ts zeroes them
// once they are in wasm memory. A secret result (a recovery key's text, a
// seed for the page's Identity) is transferred back and not kept here.
import { MedsealError } from './errors.js';
import { Identity } from './identity.js';
import {
  type KeystoreWorkerReply,
  type KeystoreWorkerRequest,
  type KeystoreWorkerState,
} from './keystore-worker-client.js';
import { Keystore, type PasskeyEnrolment, type PasskeyFactor } from './keystore.js';
import { init } from './loading.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<KeystoreWorkerRequest>) => void) | null;
  postMessage(message: KeystoreWorkerReply, transfer: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

let keystore: Keystore | undefined;

function current(): Keystore {
  if (keystore === undefined) throw new MedsealError('DISPOSED', 'keystore was disposed');
  return keystore;
}

function state(): KeystoreWorkerState {
  const ks = current();
  return { info: ks.info, items: ks.items };
}

function adopt(ks: Keystore): KeystoreWorkerState {
  keystore?.dispose();
  keystore = ks;
  return state();
}

// A throwaway Identity for a seed that arrived from the page: only the seed
// matters to the keystore (the card's fields are the page's).
function seedIdentity(seed: Uint8Array): Identity {
  try {
    return Identity.fromSeed(seed, { name: 'keystore', role: 'keystore', created: 0 });
  } finally {
    seed.fill(0);
  }
}

type Args = readonly unknown[];
const b = (x: unknown): Uint8Array => x as Uint8Array;

// Each operation: its result and the secret buffers to transfer back.
const ops: Record<string, (a: Args) => { result: unknown; transfer?: Uint8Array[] }> = {
  create: ([seed, options]) => {
    const id = seedIdentity(b(seed));
    try {
      return { result: adopt(Keystore.create(id, options as object)) };
    } finally {
      id.dispose();
    }
  },
  unlockWithPassphrase: ([blob, pass, options]) => ({
    result: adopt(Keystore.unlockWithPassphrase(b(blob), b(pass), options as object)),
  }),
  unlockWithPassphraseAndPasskey: ([blob, pass, passkey, options]) => ({
    result: adopt(
      Keystore.unlockWithPassphraseAndPasskey(
        b(blob),
        b(pass),
        passkey as PasskeyFactor,
        options as object,
      ),
    ),
  }),
  unlockWithPasskey: ([blob, passkey]) => ({
    result: adopt(Keystore.unlockWithPasskey(b(blob), passkey as PasskeyFactor)),
  }),
  unlockWithRecoveryKey: ([blob, text]) => ({
    result: adopt(Keystore.unlockWithRecoveryKey(b(blob), b(text))),
  }),
  setPassphrase: ([pass, options]) => {
    current().setPassphrase(b(pass), options as object);
    return { result: state() };
  },
  enrollPasskey: ([pass, enrolment, options]) => {
    current().enrollPasskey(b(pass), enrolment as PasskeyEnrolment, options as object);
    return { result: state() };
  },
  changeTwoFactorPassphrase: ([pass, passkey, options]) => {
    current().changeTwoFactorPassphrase(b(pass), passkey as PasskeyFactor, options as object);
    return { result: state() };
  },
  rehash: ([pass, options]) => {
    current().rehash(b(pass), options as object);
    return { result: state() };
  },
  addPasskeyOnlySlot: ([enrolment]) => {
    current().addPasskeyOnlySlot(enrolment as PasskeyEnrolment);
    return { result: state() };
  },
  setRecoveryKey: () => {
    const text = current().setRecoveryKey();
    return { result: { state: state(), text }, transfer: [text] };
  },
  removeSlot: ([index]) => {
    current().removeSlot(index as number);
    return { result: state() };
  },
  rotateIdentity: ([seed, options]) => {
    const id = seedIdentity(b(seed));
    try {
      current().rotateIdentity(id, options as object);
    } finally {
      id.dispose();
    }
    return { result: state() };
  },
  addItem: ([item]) => {
    current().addItem(item as { type: number; name: string; secret: Uint8Array });
    return { result: state() };
  },
  itemSecret: ([index]) => {
    const secret = current().itemSecret(index as number);
    return { result: secret, transfer: [secret] };
  },
  serialize: () => ({ result: current().serialize() }),
  needsRehash: ([policy]) => ({ result: current().needsRehash(policy as undefined) }),
  dispose: () => {
    keystore?.dispose();
    keystore = undefined;
    return { result: null };
  },
};

// The secret buffers of a request (transferred here; the keystore zeroes
// them as it takes them, and this zeroes any left, e.g. after a failure).
function wipe(secrets: readonly Uint8Array[]): void {
  for (const s of secrets) if (s.byteLength !== 0) s.fill(0);
}

async function handle(msg: KeystoreWorkerRequest): Promise<void> {
  try {
    await init();
    const op = Object.hasOwn(ops, msg.op) ? ops[msg.op] : undefined;
    if (op === undefined) throw new MedsealError('INVALID_ARGUMENT', 'unknown keystore operation');
    const { result, transfer = [] } = op(msg.args);
    scope.postMessage(
      { id: msg.id, ok: true, result },
      transfer.map((t) => t.buffer as ArrayBuffer),
    );
  } catch (e: unknown) {
    const error =
      e instanceof MedsealError ? e : new MedsealError('INTERNAL', 'the keystore worker failed');
    const message = error.message.replace(/^[A-Z_]+: ?/, '');
    scope.postMessage({ id: msg.id, ok: false, code: error.code, message }, []);
  } finally {
    wipe(msg.secrets);
  }
}

// Messages are handled one at a time, in order.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event) => {
  const msg = event.data;
  queue = queue.then(() => handle(msg));
};

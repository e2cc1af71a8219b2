// SPDX-License-Identifier: Apache-2.0
// The age Worker (dist/age-worker.js, a module Worker with its own copy of
// the library): runs one encryption or decryption job for
// encryptFileInWorker / decryptFileInWorker (age-stream.ts), which talk to
// it with the messages ToWorker / FromWorker. Key bytes arrive transferred
// and are wiped once the keys are in wasm memory; output buffers are
// transferred back.
import { AgeIdentity, AgeRecipient } from './age.js';
import {
  type AgeJob,
  decryptJob,
  encryptJob,
  type FromWorker,
  type ToWorker,
  type WireKey,
} from './age-stream.js';
import { MedsealError } from './errors.js';
import { init } from './loading.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

let job: AgeJob | undefined;
let keys: { dispose(): void }[] = [];

function post(message: FromWorker, data: Uint8Array[] = []): void {
  scope.postMessage(
    message,
    data.map((d) => d.buffer as ArrayBuffer),
  );
}

function recipientOf(k: WireKey): AgeRecipient {
  if (k.kind === 'recipient') return AgeRecipient.parse(k.text);
  try {
    return AgeRecipient.passphrase(
      k.bytes,
      k.kind === 'passphrase' && k.workFactor !== undefined ? { workFactor: k.workFactor } : {},
    );
  } finally {
    k.bytes.fill(0);
  }
}

function identityOf(k: WireKey): AgeIdentity {
  if (k.kind === 'recipient') throw new MedsealError('INVALID_ARGUMENT', 'not an identity');
  try {
    if (k.kind === 'secretKey') return AgeIdentity.parse(k.bytes);
    return AgeIdentity.passphrase(
      k.bytes,
      k.workFactor !== undefined ? { maxWorkFactor: k.workFactor } : {},
    );
  } finally {
    k.bytes.fill(0);
  }
}

function disposeAll(): void {
  job?.dispose();
  job = undefined;
  for (const k of keys) k.dispose();
  keys = [];
}

function wipeKeys(list: WireKey[] | undefined): void {
  for (const k of list ?? []) if (k.kind !== 'recipient') k.bytes.fill(0);
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'start') {
    try {
      await init();
      if (msg.op === 'encrypt') {
        const list = (msg.recipients ?? []).map(recipientOf);
        keys = list;
        job = encryptJob(list, msg.armor);
      } else {
        const list = (msg.identities ?? []).map(identityOf);
        keys = list;
        job = decryptJob(list);
      }
    } finally {
      wipeKeys(msg.recipients);
      wipeKeys(msg.identities);
    }
    post({ type: 'ready' });
    return;
  }
  if (job === undefined) throw new MedsealError('INVALID_ARGUMENT', 'no age job');
  const out: Uint8Array[] = [];
  if (msg.type === 'push') {
    try {
      job.push(msg.data, (o) => out.push(o));
    } finally {
      msg.data.fill(0);
    }
    post({ type: 'out', data: out }, out);
    return;
  }
  job.finish((o) => out.push(o));
  disposeAll();
  post({ type: 'done', data: out }, out);
}

// Messages are handled one at a time, in order.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event) => {
  const msg = event.data;
  queue = queue.then(() =>
    handle(msg).catch((e: unknown) => {
      disposeAll();
      const error =
        e instanceof MedsealError ? e : new MedsealError('INTERNAL', 'the age worker failed');
      const message = error.message.replace(/^[A-Z_]+: ?/, '');
      post({ type: 'error', code: error.code, message });
    }),
  );
};

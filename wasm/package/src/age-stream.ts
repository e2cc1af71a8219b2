// SPDX-License-Identifier: Apache-2.0
// age files as Web Streams: encryptStream and decryptStream are
// TransformStream<Uint8Array, Uint8Array>s over the incremental Encryptor
// and Decryptor (age.ts), usable in a page and in a Web Worker, in constant
// memory. encryptFileInWorker / decryptFileInWorker run the same streams in
// a dedicated Worker (dist/age-worker.js, src/age-worker.ts) so that the
// page never blocks, whatever the file's size.
import {
  type AgeIdentity,
  type AgeProgress,
  type AgeRecipient,
  Decryptor,
  decryptFile,
  Encryptor,
  encryptFile,
  looksArmored,
  recipientHandles,
} from './age.js';
import { fail, isObject, readFields } from './checks.js';
import { MedsealError } from './errors.js';
import type { ErrorCodeName } from './codes.js';
import { ErrorCode } from './codes.js';

export interface AgeStreamOptions {
  /** Called after every chunk the stream consumed. */
  onProgress?: (progress: AgeProgress) => void;
}

export interface AgeEncryptStreamOptions extends AgeStreamOptions {
  /**
   * ASCII armor. The armored file is built at the end (armor is for small
   * files: at most 64 MiB), not streamed.
   */
  armor?: boolean;
}

/** core/age/armor.h kAgeMaxArmoredBytes. */
const MAX_ARMORED = 64 * 1024 * 1024;
/** Bytes looked at before deciding whether a file is armored. */
const SNIFF = 64;

function progressOption(x: unknown): ((p: AgeProgress) => void) | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'function') fail('INVALID_ARGUMENT', 'options.onProgress must be a function');
  return x as (p: AgeProgress) => void;
}

function armorOption(x: unknown): boolean {
  if (x !== undefined && typeof x !== 'boolean') {
    fail('INVALID_ARGUMENT', 'options.armor must be a boolean');
  }
  return x === true;
}

function chunkOf(x: unknown): Uint8Array {
  if (!(x instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'stream chunks must be Uint8Arrays');
  return x;
}

// Collects up to `max` bytes (armored files), TOO_LARGE beyond.
class Collector {
  readonly #parts: Uint8Array[] = [];
  #size = 0;
  constructor(readonly max: number) {}
  add(chunk: Uint8Array): void {
    this.#size += chunk.length;
    if (this.#size > this.max) fail('TOO_LARGE', `an armored file is at most ${this.max} bytes`);
    this.#parts.push(chunk.slice());
  }
  get size(): number {
    return this.#size;
  }
  take(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
      p.fill(0);
    }
    this.#parts.length = 0;
    this.#size = 0;
    return out;
  }
  wipe(): void {
    for (const p of this.#parts) p.fill(0);
    this.#parts.length = 0;
    this.#size = 0;
  }
}

type Emit = (out: Uint8Array) => void;

/** @internal What a stream or a Worker job does with each chunk. */
export interface AgeJob {
  push(chunk: Uint8Array, emit: Emit): void;
  finish(emit: Emit): void;
  dispose(): void;
}

/** @internal Encryption to `recipients` (checked now), armored at the end or streamed. */
export function encryptJob(recipients: readonly AgeRecipient[], armor: boolean): AgeJob {
  if (armor) {
    const list = [...recipients];
    // Checked now (the core checks the list again at the end: a passphrase
    // recipient must be alone).
    if (recipientHandles(list).length === 0) fail('INVALID_ARGUMENT', 'recipients is empty');
    const collected = new Collector(MAX_ARMORED);
    return {
      push: (c) => collected.add(c),
      finish(emit) {
        const plaintext = collected.take();
        try {
          emit(encryptFile(plaintext, list, { armor: true }));
        } finally {
          plaintext.fill(0);
        }
      },
      dispose: () => collected.wipe(),
    };
  }
  const encryptor = new Encryptor(recipients);
  return {
    push: (c, emit) => encryptor.pushTo(c, emit),
    finish: (emit) => emit(encryptor.finish()),
    dispose: () => encryptor.dispose(),
  };
}

/**
 * @internal Decryption with `identities` (checked now): binary files
 * streamed, an armored one (detected from its first bytes) collected and
 * opened at the end.
 */
export function decryptJob(identities: readonly AgeIdentity[]): AgeJob {
  const list = [...identities];
  const decryptor = new Decryptor(list);
  // Until SNIFF bytes have arrived, whether the file is armored is unknown.
  let mode: 'unknown' | 'binary' | 'armored' = 'unknown';
  const head = new Collector(MAX_ARMORED);
  const decide = (emit: Emit) => {
    const bytes = head.take();
    mode = looksArmored(bytes) ? 'armored' : 'binary';
    if (mode === 'armored') head.add(bytes);
    else decryptor.pushTo(bytes, emit);
  };
  return {
    push(c, emit) {
      if (mode === 'binary') {
        decryptor.pushTo(c, emit);
        return;
      }
      head.add(c);
      if (mode === 'unknown' && head.size >= SNIFF) decide(emit);
    },
    finish(emit) {
      if (mode === 'unknown') decide(emit);
      if (mode === 'armored') {
        const file = head.take();
        decryptor.dispose();
        emit(decryptFile(file, list));
        return;
      }
      decryptor.finishTo(emit);
    },
    dispose() {
      decryptor.dispose();
      head.wipe();
    },
  };
}

function jobStream(job: AgeJob, onProgress: ((p: AgeProgress) => void) | undefined) {
  let bytesIn = 0;
  let bytesOut = 0;
  const emitTo =
    (controller: TransformStreamDefaultController<Uint8Array>) => (out: Uint8Array) => {
      bytesOut += out.length;
      controller.enqueue(out);
    };
  const guarded = (step: () => void) => {
    try {
      step();
    } catch (e) {
      job.dispose();
      throw e;
    }
    onProgress?.({ bytesIn, bytesOut });
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      guarded(() => {
        const c = chunkOf(chunk);
        bytesIn += c.length;
        job.push(c, emitTo(controller));
      });
    },
    flush(controller) {
      guarded(() => {
        job.finish(emitTo(controller));
        job.dispose();
      });
    },
    cancel() {
      job.dispose();
    },
  } as Transformer<Uint8Array, Uint8Array>);
}

/**
 * A TransformStream from plaintext to an age file encrypted to `recipients`
 * (checked now: a bad list throws here). Memory does not grow with the
 * file. Errors (MedsealError) error the stream.
 */
export function encryptStream(
  recipients: readonly AgeRecipient[],
  options: AgeEncryptStreamOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const o = readFields(options, 'options', ['onProgress', 'armor']);
  const onProgress = progressOption(o.onProgress);
  return jobStream(encryptJob(recipients, armorOption(o.armor)), onProgress);
}

/**
 * A TransformStream from an age file (binary; ASCII armor is detected and
 * decrypted at the end, armored files being at most 64 MiB) to its
 * plaintext. Only plaintext of chunks that authenticated is enqueued: a
 * truncated, reordered or tampered chunk, or a wrong key, errors the stream
 * (MedsealError with its code) before anything of that chunk is released.
 */
export function decryptStream(
  identities: readonly AgeIdentity[],
  options: AgeStreamOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const o = readFields(options, 'options', ['onProgress']);
  const onProgress = progressOption(o.onProgress);
  return jobStream(decryptJob(identities), onProgress);
}

// ---------------------------------------------------------------------------
// The Worker client

/**
 * A recipient for a Worker job: an "age1..." / "age1pq1..." string (public),
 * an AgeRecipient of type 'x25519' or 'mlkem768x25519', or a passphrase as bytes (transferred to
 * the Worker: the caller's array is detached).
 */
export type WorkerRecipient =
  string | AgeRecipient | { passphrase: Uint8Array; workFactor?: number };
/**
 * An identity for a Worker job: "AGE-SECRET-KEY-1..." / "AGE-SECRET-KEY-PQ-1..."
 * as UTF-8 bytes or a passphrase (both transferred: the caller's array is
 * detached), or an AgeIdentity of type 'x25519' or 'mlkem768x25519' (its key is exported into a fresh array that
 * is transferred). Never a string.
 */
export type WorkerIdentity =
  | Uint8Array
  | AgeIdentity
  | { secretKey: Uint8Array }
  | { passphrase: Uint8Array; maxWorkFactor?: number };

export interface AgeWorkerOptions extends AgeStreamOptions {
  /** Where dist/age-worker.js is; default: beside this script. */
  workerUrl?: string | URL;
  /** encryptFileInWorker only: ASCII armor (files up to 64 MiB). */
  armor?: boolean;
}

/** @internal Messages to the Worker (src/age-worker.ts). */
export type ToWorker =
  | {
      type: 'start';
      op: 'encrypt' | 'decrypt';
      recipients?: WireKey[];
      identities?: WireKey[];
      armor: boolean;
    }
  | { type: 'push'; data: Uint8Array }
  | { type: 'finish' };
/** @internal */
export type WireKey =
  | { kind: 'recipient'; text: string }
  | { kind: 'secretKey'; bytes: Uint8Array }
  | { kind: 'passphrase'; bytes: Uint8Array; workFactor?: number | undefined };
/** @internal Messages from the Worker. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'out'; data: Uint8Array[] }
  | { type: 'done'; data: Uint8Array[] }
  | { type: 'error'; code: ErrorCodeName; message: string };

type Source = Blob | ReadableStream<Uint8Array>;

function isKeyObject(x: unknown, name: string): boolean {
  return isObject(x) && (x as { constructor?: { name?: string } }).constructor?.name === name;
}

function wireRecipients(list: readonly WorkerRecipient[], transfer: ArrayBuffer[]): WireKey[] {
  return [...list].map((r, i): WireKey => {
    if (typeof r === 'string') return { kind: 'recipient', text: r };
    if (isKeyObject(r, 'AgeRecipient')) {
      const text = (r as AgeRecipient).toString();
      if (text === '') {
        fail('INVALID_ARGUMENT', `recipients[${i}]: give a passphrase recipient as { passphrase }`);
      }
      return { kind: 'recipient', text };
    }
    const o = readFields(r, `recipients[${i}]`, ['passphrase', 'workFactor']);
    if (!(o.passphrase instanceof Uint8Array)) {
      fail(
        'INVALID_ARGUMENT',
        `recipients[${i}] must be a string, an AgeRecipient or { passphrase }`,
      );
    }
    transfer.push(o.passphrase.buffer as ArrayBuffer);
    return {
      kind: 'passphrase',
      bytes: o.passphrase,
      workFactor: o.workFactor as number | undefined,
    };
  });
}

function wireIdentities(list: readonly WorkerIdentity[], transfer: ArrayBuffer[]): WireKey[] {
  return [...list].map((x, i): WireKey => {
    if (x instanceof Uint8Array) {
      transfer.push(x.buffer as ArrayBuffer);
      return { kind: 'secretKey', bytes: x };
    }
    if (isKeyObject(x, 'AgeIdentity')) {
      const bytes = (x as AgeIdentity).exportSecretKey();
      transfer.push(bytes.buffer as ArrayBuffer);
      return { kind: 'secretKey', bytes };
    }
    const o = readFields(x, `identities[${i}]`, ['secretKey', 'passphrase', 'maxWorkFactor']);
    if (o.secretKey instanceof Uint8Array) {
      transfer.push(o.secretKey.buffer as ArrayBuffer);
      return { kind: 'secretKey', bytes: o.secretKey };
    }
    if (!(o.passphrase instanceof Uint8Array)) {
      fail(
        'INVALID_ARGUMENT',
        `identities[${i}] must be a Uint8Array, an AgeIdentity, { secretKey } or { passphrase }`,
      );
    }
    transfer.push(o.passphrase.buffer as ArrayBuffer);
    return {
      kind: 'passphrase',
      bytes: o.passphrase,
      workFactor: o.maxWorkFactor as number | undefined,
    };
  });
}

function defaultWorkerUrl(): URL {
  return new URL('./age-worker.js', import.meta.url);
}

// Input pieces sent to the Worker (transferred; 1 MiB: the Worker's pushes).
const WORKER_PIECE = 1024 * 1024;

function runInWorker(
  op: 'encrypt' | 'decrypt',
  source: Source,
  keys: WireKey[],
  transfer: ArrayBuffer[],
  options: AgeWorkerOptions,
  armor: boolean,
): ReadableStream<Uint8Array> {
  const onProgress = progressOption(options.onProgress);
  let worker: Worker;
  try {
    worker = new Worker(options.workerUrl ?? defaultWorkerUrl(), { type: 'module' });
  } catch (e) {
    wipeWire(keys); // never sent
    throw e;
  }
  const reader =
    typeof (source as Blob).stream === 'function'
      ? (source as Blob).stream().getReader()
      : (source as ReadableStream<Uint8Array>).getReader();
  let bytesIn = 0;
  let bytesOut = 0;
  // One request at a time: the reply to it resolves `pending`.
  let pending: { resolve: (m: FromWorker) => void } | undefined;
  let failure: MedsealError | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const msg = event.data;
      if (msg.type === 'ready') {
        resolve();
        return;
      }
      if (msg.type === 'error') {
        failure = new MedsealError(msg.code in ErrorCode ? msg.code : 'INTERNAL', msg.message);
        reject(failure);
      }
      const p = pending;
      pending = undefined;
      p?.resolve(msg);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault?.();
      failure = new MedsealError('INTERNAL', `the age worker failed: ${event.message ?? ''}`);
      reject(failure);
      const p = pending;
      pending = undefined;
      p?.resolve({ type: 'error', code: 'INTERNAL', message: failure.message });
    };
  });
  ready.catch(() => {});
  const request = (msg: ToWorker, moved: ArrayBuffer[]): Promise<FromWorker> =>
    new Promise((resolve) => {
      pending = { resolve };
      worker.postMessage(msg, moved);
    });
  const start: ToWorker =
    op === 'encrypt'
      ? { type: 'start', op, recipients: keys, armor }
      : { type: 'start', op, identities: keys, armor };
  worker.postMessage(start, transfer);
  let leftover: Uint8Array | undefined;
  const stop = () => {
    worker.terminate();
    reader.cancel().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    // A pull must enqueue or close: the stream does not call pull again for
    // a read that is still waiting, so pieces that produce no output (the
    // header, a chunk held back) are followed by the next one at once.
    async pull(controller) {
      try {
        await ready;
        for (;;) {
          let piece: Uint8Array | undefined = leftover;
          leftover = undefined;
          if (piece === undefined) {
            const next = await reader.read();
            if (!next.done) piece = next.value;
          }
          let reply: FromWorker;
          if (piece === undefined) {
            reply = await request({ type: 'finish' }, []);
          } else {
            if (piece.length > WORKER_PIECE) {
              leftover = piece.subarray(WORKER_PIECE);
              piece = piece.slice(0, WORKER_PIECE);
            } else if (piece.byteOffset !== 0 || piece.byteLength !== piece.buffer.byteLength) {
              piece = piece.slice();
            }
            bytesIn += piece.length;
            reply = await request({ type: 'push', data: piece }, [piece.buffer as ArrayBuffer]);
          }
          if (reply.type === 'error') {
            throw failure ?? new MedsealError(reply.code, reply.message);
          }
          let enqueued = 0;
          if (reply.type === 'out' || reply.type === 'done') {
            for (const d of reply.data) {
              bytesOut += d.length;
              enqueued += d.length;
              controller.enqueue(d);
            }
          }
          onProgress?.({ bytesIn, bytesOut });
          if (reply.type === 'done') {
            worker.terminate();
            controller.close();
            return;
          }
          if (enqueued !== 0) return;
        }
      } catch (e) {
        stop();
        throw e;
      }
    },
    cancel() {
      stop();
    },
  });
}

function wipeWire(keys: WireKey[]): void {
  for (const k of keys) if (k.kind !== 'recipient') k.bytes.fill(0);
}

function checkWorker(): void {
  if (typeof Worker !== 'function') fail('INVALID_ARGUMENT', 'this runtime has no Web Worker');
}

function checkSource(x: unknown): Source {
  if (typeof Blob === 'function' && x instanceof Blob) return x;
  if (typeof ReadableStream === 'function' && x instanceof ReadableStream) return x;
  fail('INVALID_ARGUMENT', 'source must be a Blob, a File or a ReadableStream');
}

/**
 * Encrypts `source` (a File, a Blob or a ReadableStream of Uint8Arrays) in
 * a dedicated Web Worker and returns the age file as a ReadableStream, read
 * at the consumer's pace: the page's thread only moves buffers. Key bytes
 * given as Uint8Arrays are transferred (detached here).
 */
export function encryptFileInWorker(
  source: Blob | ReadableStream<Uint8Array>,
  recipients: readonly WorkerRecipient[],
  options: AgeWorkerOptions = {},
): ReadableStream<Uint8Array> {
  const o = readFields(options, 'options', ['onProgress', 'workerUrl', 'armor']);
  const s = checkSource(source);
  progressOption(o.onProgress);
  checkWorker();
  const transfer: ArrayBuffer[] = [];
  const keys = wireRecipients(recipients, transfer);
  return runInWorker('encrypt', s, keys, transfer, o as AgeWorkerOptions, armorOption(o.armor));
}

/**
 * Decrypts an age file (binary or armored) in a dedicated Web Worker; the
 * plaintext as a ReadableStream. Errors (MedsealError with the core's code)
 * error the stream; nothing of a chunk that does not authenticate is
 * released.
 */
export function decryptFileInWorker(
  source: Blob | ReadableStream<Uint8Array>,
  identities: readonly WorkerIdentity[],
  options: AgeWorkerOptions = {},
): ReadableStream<Uint8Array> {
  const o = readFields(options, 'options', ['onProgress', 'workerUrl']);
  const s = checkSource(source);
  progressOption(o.onProgress);
  checkWorker();
  const transfer: ArrayBuffer[] = [];
  const keys = wireIdentities(identities, transfer);
  return runInWorker('decrypt', s, keys, transfer, o as AgeWorkerOptions, false);
}

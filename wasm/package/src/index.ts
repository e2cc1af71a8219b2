// medseal: sealed medical records in pages, Web Workers and Node 20.
//
// A thin typed wrapper over the WebAssembly build of the C++ core
// (docs/api.md is the contract). Every decision about data is made by the
// core; this file validates JS types, moves bytes in and out of the wasm heap
// and turns the core's error codes into MedsealError.
//
// Calling convention (wasm/marshal.h): inputs are written back to back into
// one reusable scratch region of the heap and passed as (pointer, length);
// each entry point returns an error code and leaves its results in output
// slots whose pointers and lengths sit in a fixed struct (the "out area").
// The scratch region is zeroed after every call; secret results (seeds,
// opened bodies, plaintexts) are zeroed in the heap as soon as they are
// copied out. HEAPU8 is re-read after every call that may grow memory.

import { ErrorCode, type ErrorCodeName } from './codes.js';
import { MedsealError, errorFromCore } from './errors.js';
import type { MedsealCoreModule, MedsealCoreOptions } from './medseal_core.mjs';

export { ErrorCode, MedsealError };
export type { ErrorCodeName };

// ---------------------------------------------------------------------------
// Loading

export interface InitOptions {
  /** The bytes of medseal_core.wasm. In Node the package reads its own file when omitted. */
  wasmBinary?: BufferSource;
  /** Browser: where to fetch medseal_core.wasm (default: next to this file). */
  wasmUrl?: string | URL;
}

let core: MedsealCoreModule | undefined;
let outArea = 0;  // byte address of the OutArea struct
let loading: Promise<void> | undefined;

/**
 * Loads and instantiates the module, once per realm. Idempotent: a second call
 * returns the same promise (a failed load may be retried).
 */
export function init(options: InitOptions = {}): Promise<void> {
  if (loading === undefined) {
    loading = load(options).catch((e: unknown) => {
      loading = undefined;
      throw e;
    });
  }
  return loading;
}

interface NodeProcess { versions?: { node?: unknown } }

// The same test as the Emscripten glue's ENVIRONMENT_IS_NODE: where it is
// true the glue reads __dirname when the factory runs.
function isNode(): boolean {
  const p = (globalThis as { process?: NodeProcess }).process;
  return typeof p === 'object' && p !== null && typeof p.versions === 'object' &&
         typeof p.versions?.node === 'string';
}

// Node built-ins by a specifier that bundlers do not try to resolve for the
// browser build.
function importNode(specifier: string): Promise<any> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

function isBufferSource(x: unknown): x is BufferSource {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x);
}

async function load(options: InitOptions): Promise<void> {
  if (typeof options !== 'object' || options === null) {
    fail('INVALID_ARGUMENT', 'init options must be an object');
  }
  let binary = options.wasmBinary;
  if (binary !== undefined && !isBufferSource(binary)) {
    fail('INVALID_ARGUMENT', 'wasmBinary must be an ArrayBuffer or a typed array');
  }
  const wasmUrl = options.wasmUrl;
  if (wasmUrl !== undefined && typeof wasmUrl !== 'string' && !(wasmUrl instanceof URL)) {
    fail('INVALID_ARGUMENT', 'wasmUrl must be a string or a URL');
  }
  let url: string | URL = wasmUrl ?? new URL('./medseal_core.wasm', import.meta.url);
  const node = isNode();
  let globals: Record<string, unknown> | undefined;
  if (node) {
    // Read file URLs (the default) ourselves: fetch() in Node 20 cannot.
    const resolved = typeof url === 'string' ? new URL(url, import.meta.url) : url;
    url = resolved;
    if (binary === undefined && resolved.protocol === 'file:') {
      const fs = await importNode('node:fs/promises');
      binary = (await fs.readFile(resolved)) as Uint8Array<ArrayBuffer>;
    }
    // The ES6 glue still uses CommonJS names in Node (it reads __dirname as
    // the factory starts; require only on paths this wrapper avoids).
    const [{ createRequire }, { fileURLToPath }] = await Promise.all(
      [importNode('node:module'), importNode('node:url')]);
    globals = {
      require: createRequire(import.meta.url),
      __dirname: fileURLToPath(new URL('.', import.meta.url)),
    };
  }
  const factory = (await import('./medseal_core.mjs')).default;

  let instantiateFailed!: (reason: unknown) => void;
  const failed = new Promise<never>((_, reject) => { instantiateFailed = reject; });
  const moduleOptions: MedsealCoreOptions = {
    instantiateWasm(imports, receive) {
      instantiate(binary, url, imports)
        .then((source) => receive(source.instance, source.module))
        .catch(instantiateFailed);
      return {};
    },
    getRandomValue,
  };
  const restore = globals ? defineGlobals(globals) : undefined;
  let ready: Promise<MedsealCoreModule>;
  try {
    ready = factory(moduleOptions);
  } finally {
    restore?.();
  }
  const m = await Promise.race([ready, failed]);
  const code = m._init();
  if (code !== 0) throw errorFromCore(code, 'module initialisation failed');
  outArea = m._outArea();
  core = m;
}

// Defines the missing ones of `values` on globalThis; returns a function that
// removes exactly those again.
function defineGlobals(values: Record<string, unknown>): () => void {
  const g = globalThis as Record<string, unknown>;
  const added: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (name in g) continue;
    Object.defineProperty(g, name, { value, configurable: true, writable: true });
    added.push(name);
  }
  return () => { for (const name of added) delete g[name]; };
}

async function instantiate(binary: BufferSource | undefined, url: string | URL,
                           imports: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  if (binary !== undefined) return WebAssembly.instantiate(binary, imports);
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    try {
      return await WebAssembly.instantiateStreaming(fetch(url, { credentials: 'same-origin' }), imports);
    } catch {
      // e.g. served without Content-Type application/wasm: fall through.
    }
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`medseal: fetching ${String(url)} failed: HTTP ${response.status}`);
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

// libsodium's Emscripten randombytes reads Module.getRandomValue (only for
// sodium_init's canary: all other randomness comes from the bindings' Web
// Crypto generator). Supplying it avoids the glue's window/self/require probe,
// which fails in ES-module Node.
function getRandomValue(): number {
  const word = new Uint32Array(1);
  globalThis.crypto.getRandomValues(word);
  return word[0]!;
}

function mod(): MedsealCoreModule {
  if (core === undefined) throw new Error('medseal: call `await init()` before using the library');
  return core;
}

// ---------------------------------------------------------------------------
// Argument checks (types only: values are the core's business)

function fail(code: ErrorCodeName, message: string): never {
  throw new MedsealError(code, message);
}

function isDetached(view: ArrayBufferView): boolean {
  if (view.byteLength !== 0) return false;
  const buffer = view.buffer as ArrayBuffer & { detached?: boolean };
  if (typeof buffer.detached === 'boolean') return buffer.detached;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);  // throws TypeError on a detached buffer
    return false;
  } catch {
    return true;
  }
}

function isUint8Array(x: unknown): x is Uint8Array {
  // Works across realms (iframes, vm contexts) and for Node's Buffer.
  return ArrayBuffer.isView(x) && (x as Uint8Array)[Symbol.toStringTag] === 'Uint8Array';
}

function checkBytes(x: unknown, what: string): Uint8Array {
  if (!isUint8Array(x)) fail('INVALID_ARGUMENT', `${what} must be a Uint8Array`);
  if (isDetached(x)) fail('DETACHED_BUFFER', `${what}: its ArrayBuffer was detached (transferred)`);
  return x;
}

const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

function checkString(x: unknown, what: string): string {
  if (typeof x !== 'string') fail('INVALID_ARGUMENT', `${what} must be a string`);
  if (!isWellFormed(x)) fail('INVALID_ARGUMENT', `${what} contains a lone UTF-16 surrogate`);
  return x;
}

function checkBytesOrString(x: unknown, what: string): Uint8Array | string {
  if (typeof x === 'string') return checkString(x, what);
  if (isUint8Array(x)) return checkBytes(x, what);
  fail('INVALID_ARGUMENT', `${what} must be a Uint8Array or a string`);
}

function checkMillis(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
    fail('INVALID_ARGUMENT', `${what} must be an integer number of milliseconds`);
  }
  return x;
}

function checkObject(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null) fail('INVALID_ARGUMENT', `${what} must be an object`);
  return x as Record<string, unknown>;
}

function optionalString(x: unknown, what: string): string {
  return x === undefined ? '' : checkString(x, what);
}

// ---------------------------------------------------------------------------
// The heap

/** Largest total input of one call; more is TOO_LARGE before anything is copied. */
const MAX_CALL_BYTES = 128 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let scratchPtr = 0;
let scratchCapacity = 0;
let scratchUsed = 0;

type Input = Uint8Array | string | readonly string[];

/** Strings longer than this are encoded exactly before staging (see stage()). */
const LONG_STRING = 1 << 20;

function inputBound(x: Input): number {
  if (typeof x === 'string') return x.length * 3;  // UTF-8 bytes per UTF-16 unit, at most
  if (isUint8Array(x)) return x.length;
  let n = 0;
  for (const s of x as readonly string[]) n += 4 + s.length * 3;
  return n;
}

/**
 * Writes `inputs` back to back into the scratch region and returns
 * [ptr0, len0, ptr1, len1, ...]. A string[] becomes [u32 LE length][UTF-8]
 * per item. Call unstage() after the call (in a finally).
 */
function stage(m: MedsealCoreModule, inputs: readonly Input[]): number[] {
  // A long string would reserve 3 bytes of scratch per UTF-16 unit, and wasm
  // memory never shrinks: encode it exactly first (the copy is wiped below).
  let temporaries: Uint8Array[] | undefined;
  if (inputs.some((x) => typeof x === 'string' && x.length > LONG_STRING)) {
    temporaries = [];
    inputs = inputs.map((x) => {
      if (typeof x !== 'string' || x.length <= LONG_STRING) return x;
      const bytes = encoder.encode(x);
      temporaries!.push(bytes);
      return bytes;
    });
  }
  try {
    return stageExact(m, inputs);
  } finally {
    if (temporaries) for (const t of temporaries) t.fill(0);
  }
}

function stageExact(m: MedsealCoreModule, inputs: readonly Input[]): number[] {
  let bound = 0;
  for (const x of inputs) bound += inputBound(x);
  if (bound > MAX_CALL_BYTES) {
    fail('TOO_LARGE', `inputs of ${bound} bytes exceed the ${MAX_CALL_BYTES}-byte limit per call`);
  }
  if (bound > scratchCapacity || scratchPtr === 0) {
    const p = m._scratch(bound);  // may grow memory
    if (p === 0) fail('TOO_LARGE', 'not enough WebAssembly memory for the inputs');
    scratchPtr = p;
    scratchCapacity = bound;
  }
  const heap = m.HEAPU8;
  const args: number[] = [];
  let p = scratchPtr;
  for (const x of inputs) {
    const start = p;
    if (typeof x === 'string') {
      p += encoder.encodeInto(x, heap.subarray(p, p + x.length * 3)).written;
    } else if (isUint8Array(x)) {
      heap.set(x, p);
      p += x.length;
    } else {
      for (const s of x as readonly string[]) {
        const n = encoder.encodeInto(s, heap.subarray(p + 4, p + 4 + s.length * 3)).written;
        heap[p] = n & 0xff;
        heap[p + 1] = (n >>> 8) & 0xff;
        heap[p + 2] = (n >>> 16) & 0xff;
        heap[p + 3] = n >>> 24;
        p += 4 + n;
      }
    }
    args.push(start, p - start);
    scratchUsed = p - scratchPtr;
  }
  return args;
}

function unstage(m: MedsealCoreModule): void {
  if (scratchUsed !== 0) {
    m.HEAPU8.fill(0, scratchPtr, scratchPtr + scratchUsed);  // fresh view: memory may have grown
    scratchUsed = 0;
  }
}

function outPtr(m: MedsealCoreModule, slot: number): number {
  return m.HEAPU32[(outArea >>> 2) + slot]!;
}
function outLen(m: MedsealCoreModule, slot: number): number {
  return m.HEAPU32[(outArea >>> 2) + 6 + slot]!;
}
function outNum(m: MedsealCoreModule): number {
  return m.HEAPF64[(outArea + 48) >>> 3]!;
}

/** A copy of an output slot; `wipe` zeroes the heap bytes after copying. */
function outBytes(m: MedsealCoreModule, slot: number, wipe = false): Uint8Array {
  const p = outPtr(m, slot);
  const n = outLen(m, slot);
  const heap = m.HEAPU8;
  const copy = heap.slice(p, p + n);
  if (wipe) heap.fill(0, p, p + n);
  return copy;
}

function outText(m: MedsealCoreModule, slot: number, wipe = false): string {
  const p = outPtr(m, slot);
  const n = outLen(m, slot);
  const heap = m.HEAPU8;
  const text = decoder.decode(heap.subarray(p, p + n));
  if (wipe) heap.fill(0, p, p + n);
  return text;
}

/** Throws the core's error for a non-zero code (message from slot 0). */
function check(m: MedsealCoreModule, code: number): void {
  if (code !== 0) throw errorFromCore(code, outText(m, 0, true));
}

// ---------------------------------------------------------------------------
// Explicit resource management

const disposeSymbol: symbol | undefined =
  typeof (Symbol as { dispose?: unknown }).dispose === 'symbol'
    ? (Symbol as unknown as { dispose: symbol }).dispose
    : undefined;

function makeRegistry(free: (m: MedsealCoreModule, handle: number) => number) {
  if (typeof FinalizationRegistry !== 'function') return undefined;
  // Backstop only: an object that was never disposed is freed (and its keys
  // wiped) some time after it becomes unreachable.
  return new FinalizationRegistry<number>((handle) => {
    if (core !== undefined) free(core, handle);
  });
}

// ---------------------------------------------------------------------------
// Identity

export interface IdentityGenerateOptions {
  /** Display name, UTF-8, at most 128 bytes. */
  name: string;
  /** 1..32 of [a-z0-9-]. */
  role: string;
  /** Creation time in ms since the epoch; default Date.now(). */
  now?: number;
}

export interface IdentitySeedOptions {
  name: string;
  role: string;
  /** Creation time in ms since the epoch (part of the signed card). */
  created: number;
}

const identityRegistry = makeRegistry((m, h) => m._identityFree(h));
let identityHandle: (identity: unknown, what: string) => number;

/**
 * A signing (Ed25519) and key-agreement (X25519) key pair in wasm memory.
 * It holds secret keys: call dispose() (or use `using`) when done. After
 * dispose() every operation that needs the keys throws MedsealError DISPOSED;
 * the public `card` and `keyId` stay readable.
 */
export class Identity {
  #handle: number;
  /** The public card (JSON text), safe to publish. */
  readonly card: string;
  /** The base64url key id. */
  readonly keyId: string;

  static {
    identityHandle = (identity, what) => {
      if (!(identity instanceof Identity)) fail('INVALID_ARGUMENT', `${what} must be an Identity`);
      if (identity.#handle === 0) fail('DISPOSED', `${what} was disposed`);
      return identity.#handle;
    };
  }

  private constructor(handle: number, card: string, keyId: string) {
    this.#handle = handle;
    this.card = card;
    this.keyId = keyId;
    identityRegistry?.register(this, handle, this);
  }

  // Reads the identity a successful _identity* call published.
  static #published(m: MedsealCoreModule): Identity {
    return new Identity(outNum(m), outText(m, 0), outText(m, 1));
  }

  /** Fresh keys from the platform CSPRNG (crypto.getRandomValues). */
  static generate(options: IdentityGenerateOptions): Identity {
    const m = mod();
    const o = checkObject(options, 'options');
    const name = checkString(o.name, 'name');
    const role = checkString(o.role, 'role');
    const now = o.now === undefined ? Date.now() : checkMillis(o.now, 'now');
    try {
      const a = stage(m, [name, role]);
      check(m, m._identityGenerate(a[0]!, a[1]!, a[2]!, a[3]!, now));
      return Identity.#published(m);
    } finally {
      unstage(m);
    }
  }

  /** Deterministic keys from a 32-byte seed (keystores, tests). */
  static fromSeed(seed: Uint8Array, options: IdentitySeedOptions): Identity {
    const m = mod();
    checkBytes(seed, 'seed');
    const o = checkObject(options, 'options');
    const name = checkString(o.name, 'name');
    const role = checkString(o.role, 'role');
    const created = checkMillis(o.created, 'created');
    try {
      const a = stage(m, [seed, name, role]);
      check(m, m._identityFromSeed(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, created));
      return Identity.#published(m);
    } finally {
      unstage(m);
    }
  }

  /** The 32-byte secret seed. The caller must fill(0) it after use. */
  exportSeed(): Uint8Array {
    const m = mod();
    const h = identityHandle(this, 'identity');
    check(m, m._identityExportSeed(h));
    return outBytes(m, 0, true);
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return this.#handle === 0;
  }

  /** Wipes and frees the keys in wasm memory. Idempotent. */
  dispose(): void {
    const h = this.#handle;
    if (h === 0) return;
    this.#handle = 0;
    identityRegistry?.unregister(this);
    if (core !== undefined) core._identityFree(h);
  }
}

export interface Identity {
  [Symbol.dispose](): void;
}

// ---------------------------------------------------------------------------
// Deterministic randomness

const rngRegistry = makeRegistry((m, h) => m._rngFree(h));
let rngHandle: (rng: unknown, what: string) => number;

/**
 * The core's ChaChaRng (docs/spec/record.md): reproducible randomness for
 * known-answer tests ONLY. Never use it for real keys or records.
 */
export class DeterministicRng {
  #handle: number;

  static {
    rngHandle = (rng, what) => {
      if (!(rng instanceof DeterministicRng)) fail('INVALID_ARGUMENT', `${what} must be a DeterministicRng`);
      if (rng.#handle === 0) fail('DISPOSED', `${what} was disposed`);
      return rng.#handle;
    };
  }

  /** `seed`: 32 bytes. */
  constructor(seed: Uint8Array) {
    const m = mod();
    checkBytes(seed, 'seed');
    try {
      const a = stage(m, [seed]);
      check(m, m._rngCreate(a[0]!, a[1]!));
    } finally {
      unstage(m);
    }
    this.#handle = outNum(m);
    rngRegistry?.register(this, this.#handle, this);
  }

  /** The next `n` bytes (one call of the core's Fill). */
  fill(n: number): Uint8Array {
    const m = mod();
    const h = rngHandle(this, 'DeterministicRng');
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      fail('INVALID_ARGUMENT', 'n must be a non-negative integer');
    }
    if (n > MAX_CALL_BYTES) fail('TOO_LARGE', `n exceeds ${MAX_CALL_BYTES}`);
    check(m, m._rngFill(h, n));
    return outBytes(m, 0, true);
  }

  get disposed(): boolean {
    return this.#handle === 0;
  }

  dispose(): void {
    const h = this.#handle;
    if (h === 0) return;
    this.#handle = 0;
    rngRegistry?.unregister(this);
    if (core !== undefined) core._rngFree(h);
  }
}

export interface DeterministicRng {
  [Symbol.dispose](): void;
}

if (disposeSymbol !== undefined) {
  for (const cls of [Identity, DeterministicRng]) {
    Object.defineProperty(cls.prototype, disposeSymbol, {
      value: cls.prototype.dispose, writable: true, configurable: true,
    });
  }
}

// ---------------------------------------------------------------------------
// Records

export interface RecordPayloadInput {
  /** The content; a string is encoded as UTF-8. At most 16 MiB. */
  body: Uint8Array | string;
  /** 1..127 printable ASCII characters, e.g. "application/fhir+json". */
  contentType: string;
  /** 0..64 printable ASCII characters without space. */
  recordId?: string;
  /** 0..64 ASCII letters (a FHIR resource type). */
  resourceType?: string;
}

export interface SealOptions {
  encoding?: 'binary' | 'json';
  /** Known-answer tests only. */
  rng?: DeterministicRng;
  /** ms since the epoch; default Date.now(). */
  now?: number;
}

export interface OpenedRecord {
  body: Uint8Array;
  contentType: string;
  recordId: string;
  resourceType: string;
  /** ms since the epoch, set by the sender when sealing. */
  created: number;
}

export interface RecordInfo {
  senderKeyId: string;
  recipientKeyIds: string[];
  ciphertextBytes: number;
}

const BINARY_ENCODING = 0;
const JSON_ENCODING = 1;

/** The type picks the encoding: Uint8Array = binary, string = JSON text. */
function sealedInput(sealed: unknown): [Uint8Array | string, number] {
  const s = checkBytesOrString(sealed, 'sealed');
  return [s, typeof s === 'string' ? JSON_ENCODING : BINARY_ENCODING];
}

/**
 * Seals `payload` from `sender` to every card in `recipients` (1..64 card
 * JSON texts). Returns bytes (binary encoding, the default) or JSON text.
 */
export function sealRecord(sender: Identity, recipients: readonly string[], payload: RecordPayloadInput,
                           options?: SealOptions & { encoding?: 'binary' }): Uint8Array;
export function sealRecord(sender: Identity, recipients: readonly string[], payload: RecordPayloadInput,
                           options: SealOptions & { encoding: 'json' }): string;
export function sealRecord(sender: Identity, recipients: readonly string[], payload: RecordPayloadInput,
                           options?: SealOptions): Uint8Array | string;
export function sealRecord(sender: Identity, recipients: readonly string[], payload: RecordPayloadInput,
                           options: SealOptions = {}): Uint8Array | string {
  const m = mod();
  const senderHandle = identityHandle(sender, 'sender');
  if (!Array.isArray(recipients)) fail('INVALID_ARGUMENT', 'recipients must be an array of card JSON strings');
  const cards = recipients.map((c, i) => checkString(c, `recipients[${i}]`));
  const p = checkObject(payload, 'payload');
  const body = checkBytesOrString(p.body, 'payload.body');
  const contentType = checkString(p.contentType, 'payload.contentType');
  const recordId = optionalString(p.recordId, 'payload.recordId');
  const resourceType = optionalString(p.resourceType, 'payload.resourceType');
  const o = checkObject(options, 'options');
  const encoding = o.encoding ?? 'binary';
  if (encoding !== 'binary' && encoding !== 'json') {
    fail('INVALID_ARGUMENT', "options.encoding must be 'binary' or 'json'");
  }
  const rng = o.rng === undefined ? 0 : rngHandle(o.rng, 'options.rng');
  const now = o.now === undefined ? Date.now() : checkMillis(o.now, 'options.now');
  try {
    const a = stage(m, [cards, contentType, recordId, resourceType, body]);
    check(m, m._sealRecord(senderHandle, a[0]!, a[1]!, cards.length, a[2]!, a[3]!, a[4]!, a[5]!,
                           a[6]!, a[7]!, a[8]!, a[9]!, encoding === 'json', rng, now));
  } finally {
    unstage(m);
  }
  return encoding === 'json' ? outText(m, 0) : outBytes(m, 0);
}

/**
 * Verifies that `senderCard` sealed the record, then decrypts it with
 * `recipient`'s key. `sealed`: the binary encoding (Uint8Array) or the JSON
 * encoding (string), as sealRecord returns them.
 */
export function openRecord(recipient: Identity, senderCard: string, sealed: Uint8Array | string): OpenedRecord {
  const m = mod();
  const h = identityHandle(recipient, 'recipient');
  const card = checkString(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  try {
    const a = stage(m, [card, s]);
    check(m, m._openRecord(h, a[0]!, a[1]!, a[2]!, a[3]!, encoding));
  } finally {
    unstage(m);
  }
  return {
    body: outBytes(m, 0, true),
    contentType: outText(m, 1, true),
    recordId: outText(m, 2, true),
    resourceType: outText(m, 3, true),
    created: outNum(m),
  };
}

/** Throws unless `senderCard` sealed the record. Needs no secret. */
export function verifyRecord(senderCard: string, sealed: Uint8Array | string): void {
  const m = mod();
  const card = checkString(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  try {
    const a = stage(m, [card, s]);
    check(m, m._verifyRecord(a[0]!, a[1]!, a[2]!, a[3]!, encoding));
  } finally {
    unstage(m);
  }
}

/** The public header fields of a sealed record (nothing is verified). */
export function inspectRecord(sealed: Uint8Array | string): RecordInfo {
  const m = mod();
  const [s, encoding] = sealedInput(sealed);
  try {
    const a = stage(m, [s]);
    check(m, m._inspectRecord(a[0]!, a[1]!, encoding));
  } finally {
    unstage(m);
  }
  return {
    senderKeyId: outText(m, 0),
    recipientKeyIds: outText(m, 1).split(','),
    ciphertextBytes: outNum(m),
  };
}

/** Binary encoding -> JSON encoding (strict parse, lossless). */
export function recordToJson(sealed: Uint8Array): string {
  const m = mod();
  const s = checkBytes(sealed, 'sealed');
  try {
    const a = stage(m, [s]);
    check(m, m._recordToJson(a[0]!, a[1]!));
  } finally {
    unstage(m);
  }
  return outText(m, 0);
}

/** JSON encoding -> binary encoding (strict parse, lossless). */
export function recordFromJson(json: string): Uint8Array {
  const m = mod();
  const s = checkString(json, 'json');
  try {
    const a = stage(m, [s]);
    check(m, m._recordFromJson(a[0]!, a[1]!));
  } finally {
    unstage(m);
  }
  return outBytes(m, 0);
}

// ---------------------------------------------------------------------------
// Cards

export interface ParsedCard {
  keyId: string;
  name: string;
  role: string;
  created: number;
  signPublicKey: Uint8Array;
  kxPublicKey: Uint8Array;
}

/** Parses and fully verifies a card (self-signature, key id). */
export function parseCard(json: string): ParsedCard {
  const m = mod();
  const s = checkString(json, 'json');
  try {
    const a = stage(m, [s]);
    check(m, m._parseCard(a[0]!, a[1]!));
  } finally {
    unstage(m);
  }
  return {
    keyId: outText(m, 0),
    name: outText(m, 1),
    role: outText(m, 2),
    created: outNum(m),
    signPublicKey: outBytes(m, 3),
    kxPublicKey: outBytes(m, 4),
  };
}

// ---------------------------------------------------------------------------
// Raw AEAD (benchmarks and interop)

function xchacha(seal: boolean, key: unknown, nonce: unknown, aad: unknown, input: unknown): Uint8Array {
  const m = mod();
  const k = checkBytes(key, 'key');
  const n = checkBytes(nonce, 'nonce');
  const d = checkBytes(aad, 'aad');
  const x = checkBytes(input, seal ? 'plaintext' : 'ciphertext');
  try {
    const a = stage(m, [k, n, d, x]);
    const fn = seal ? m._xchachaSeal : m._xchachaOpen;
    check(m, fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!));
  } finally {
    unstage(m);
  }
  return outBytes(m, 0, !seal);
}

export const aead = Object.freeze({
  /** XChaCha20-Poly1305 (IETF): key 32 bytes, nonce 24; returns ciphertext || tag. */
  xchacha20poly1305Encrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    return xchacha(true, key, nonce, aad, plaintext);
  },
  /** Throws DECRYPT_FAILED when the tag does not verify. */
  xchacha20poly1305Decrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    return xchacha(false, key, nonce, aad, ciphertext);
  },
});

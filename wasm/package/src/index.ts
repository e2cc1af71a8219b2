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
//
// Build (package.json "build"): esbuild bundles this file, codes.ts,
// errors.ts and the Emscripten glue (dist/medseal_core.mjs) into one
// dist/index.js, so that a page fetches one script and then the .wasm;
// tsc type-checks and writes the .d.ts files.

import { ErrorCode, type ErrorCodeName } from './codes.js';
import { MedsealError, errorFromCore } from './errors.js';
import createMedsealCore, { type MedsealCoreModule, type MedsealCoreOptions } from './medseal_core.mjs';

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
  let globals: Record<string, unknown> | undefined;
  if (isNode()) {
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
  // Start fetching and compiling at once; the glue's start-up runs meanwhile
  // and instantiates the compiled module in instantiateWasm.
  const compiled = compile(binary, url);
  compiled.catch(() => {});  // reported through `failed` below

  let instantiateFailed!: (reason: unknown) => void;
  const failed = new Promise<never>((_, reject) => { instantiateFailed = reject; });
  const moduleOptions: MedsealCoreOptions = {
    instantiateWasm(imports, receive) {
      compiled
        .then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)))
        .catch(instantiateFailed);
      return {};
    },
    getRandomValue,
  };
  const restore = globals ? defineGlobals(globals) : undefined;
  let ready: Promise<MedsealCoreModule>;
  try {
    ready = createMedsealCore(moduleOptions);
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

async function compile(binary: BufferSource | undefined, url: string | URL): Promise<WebAssembly.Module> {
  if (binary !== undefined) return WebAssembly.compile(binary);
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
    } catch {
      // e.g. served without Content-Type application/wasm: fall through.
    }
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`medseal: fetching ${String(url)} failed: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
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
  // instanceof first (the fast, common case, Node's Buffer included); then
  // Uint8Arrays of other realms (iframes, vm contexts).
  return x instanceof Uint8Array ||
         (ArrayBuffer.isView(x) && (x as Uint8Array)[Symbol.toStringTag] === 'Uint8Array');
}

function checkBytes(x: unknown, what: string): Uint8Array {
  if (!isUint8Array(x)) fail('INVALID_ARGUMENT', `${what} must be a Uint8Array`);
  // Only an empty view can be on a detached buffer: test that inline (hot path).
  if (x.byteLength === 0 && isDetached(x)) {
    fail('DETACHED_BUFFER', `${what}: its ArrayBuffer was detached (transferred)`);
  }
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

type Input = Uint8Array | string;

/** Strings longer than this are encoded exactly before staging (see stage()). */
const LONG_STRING = 1 << 20;

function inputBound(x: Input): number {
  return typeof x === 'string' ? x.length * 3 : x.length;  // UTF-8 bytes per UTF-16 unit, at most
}

/**
 * Writes `inputs` back to back into the scratch region and returns
 * [ptr0, len0, ptr1, len1, ...] (strings as UTF-8). Call unstage() after the
 * call (in a finally).
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

function checkCallSize(bytes: number): void {
  if (bytes > MAX_CALL_BYTES) {
    fail('TOO_LARGE', `inputs of ${bytes} bytes exceed the ${MAX_CALL_BYTES}-byte limit per call`);
  }
}

/** The scratch address, after making room for `bytes` (may grow memory). */
function ensureScratch(m: MedsealCoreModule, bytes: number): number {
  if (bytes > scratchCapacity || scratchPtr === 0) {
    const p = m._scratch(bytes);
    if (p === 0) fail('TOO_LARGE', 'not enough WebAssembly memory for the inputs');
    scratchPtr = p;
    scratchCapacity = bytes;
  }
  return scratchPtr;
}

function stageExact(m: MedsealCoreModule, inputs: readonly Input[]): number[] {
  let bound = 0;
  for (const x of inputs) bound += inputBound(x);
  checkCallSize(bound);
  let p = ensureScratch(m, bound);
  const heap = m.HEAPU8;
  const args: number[] = [];
  for (const x of inputs) {
    const start = p;
    if (typeof x === 'string') {
      p += encoder.encodeInto(x, heap.subarray(p, p + x.length * 3)).written;
    } else {
      heap.set(x, p);
      p += x.length;
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
function outNum2(m: MedsealCoreModule): number {
  return m.HEAPF64[(outArea + 56) >>> 3]!;
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

type FreeHandle = (m: MedsealCoreModule, handle: number) => number;

// One kind of handle in the bindings' handle tables (identities, RNGs,
// cards): how to free one, and a FinalizationRegistry as a backstop, so that
// an object that was never disposed is freed (and its keys wiped) some time
// after it becomes unreachable.
interface HandleKind {
  free: FreeHandle;
  registry: FinalizationRegistry<number> | undefined;
}

function handleKind(free: FreeHandle): HandleKind {
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<number>((handle) => {
      if (core !== undefined) free(core, handle);
    })
    : undefined;
  return { free, registry };
}

// The handle a JS object owns: 0 once disposed. The slot is also the
// registry's unregister token.
class HandleSlot {
  #handle: number;
  readonly #kind: HandleKind;

  constructor(owner: object, handle: number, kind: HandleKind) {
    this.#handle = handle;
    this.#kind = kind;
    kind.registry?.register(owner, handle, this);
  }

  get disposed(): boolean {
    return this.#handle === 0;
  }

  /** The live handle; MedsealError DISPOSED (naming `what`) after dispose(). */
  get(what: string): number {
    if (this.#handle === 0) fail('DISPOSED', `${what} was disposed`);
    return this.#handle;
  }

  /** Frees the handle (the core wipes what it held). Idempotent. */
  dispose(): void {
    const h = this.#handle;
    if (h === 0) return;
    this.#handle = 0;
    this.#kind.registry?.unregister(this);
    if (core !== undefined) this.#kind.free(core, h);
  }
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

const identityKind = handleKind((m, h) => m._identityFree(h));
let identityHandle: (identity: unknown, what: string) => number;

/**
 * A signing (Ed25519) and key-agreement (X25519) key pair in wasm memory.
 * It holds secret keys: call dispose() (or use `using`) when done. After
 * dispose() every operation that needs the keys throws MedsealError DISPOSED;
 * the public `card` and `keyId` stay readable.
 */
export class Identity {
  readonly #slot: HandleSlot;
  /** The public card (JSON text), safe to publish. */
  readonly card: string;
  /** The base64url key id. */
  readonly keyId: string;

  static {
    identityHandle = (identity, what) => {
      if (!(identity instanceof Identity)) fail('INVALID_ARGUMENT', `${what} must be an Identity`);
      return identity.#slot.get(what);
    };
  }

  private constructor(handle: number, card: string, keyId: string) {
    this.card = card;
    this.keyId = keyId;
    this.#slot = new HandleSlot(this, handle, identityKind);
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
    return this.#slot.disposed;
  }

  /** Wipes and frees the keys in wasm memory. Idempotent. */
  dispose(): void {
    this.#slot.dispose();
  }
}

export interface Identity {
  [Symbol.dispose](): void;
}

// ---------------------------------------------------------------------------
// Deterministic randomness

const rngKind = handleKind((m, h) => m._rngFree(h));
let rngHandle: (rng: unknown, what: string) => number;

/**
 * The core's ChaChaRng (docs/spec/record.md): reproducible randomness for
 * known-answer tests ONLY. Never use it for real keys or records.
 */
export class DeterministicRng {
  readonly #slot: HandleSlot;

  static {
    rngHandle = (rng, what) => {
      if (!(rng instanceof DeterministicRng)) fail('INVALID_ARGUMENT', `${what} must be a DeterministicRng`);
      return rng.#slot.get(what);
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
    this.#slot = new HandleSlot(this, outNum(m), rngKind);
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
    return this.#slot.disposed;
  }

  dispose(): void {
    this.#slot.dispose();
  }
}

export interface DeterministicRng {
  [Symbol.dispose](): void;
}

// ---------------------------------------------------------------------------
// Cards

const cardKind = handleKind((m, h) => m._cardFree(h));
const constructCard = Symbol('PublicCard');  // only PublicCard.parse constructs
let cardHandle: (card: PublicCard, what: string) => number;

// Parses and verifies `json` into a new handle (the caller frees it). On
// failure the core's code, its message prefixed with `what`.
function parseCardHandle(m: MedsealCoreModule, json: string, what?: string): number {
  let code: number;
  try {
    const a = stage(m, [json]);
    code = m._cardParse(a[0]!, a[1]!);
  } finally {
    unstage(m);
  }
  if (code !== 0) {
    const message = outText(m, 0, true);
    throw errorFromCore(code, what === undefined ? message : `${what}: ${message}`);
  }
  return outNum(m);
}

/**
 * A verified public card, parsed once and kept in wasm memory, to seal to and
 * open from as often as needed without parsing and verifying the card again.
 * It holds no secret; dispose() frees the wasm copy (a FinalizationRegistry
 * frees forgotten cards as a backstop). The properties stay readable after
 * dispose(); using a disposed card throws MedsealError DISPOSED.
 */
export class PublicCard {
  readonly #slot: HandleSlot;
  readonly #keyId: string;
  readonly #name: string;
  readonly #role: string;
  readonly #created: number;
  readonly #json: string;
  readonly #signPublicKey: Uint8Array;
  readonly #kxPublicKey: Uint8Array;

  static {
    cardHandle = (card, what) => card.#slot.get(what);
  }

  private constructor(token: symbol, m: MedsealCoreModule, handle: number) {
    if (token !== constructCard) throw new TypeError('PublicCard: use PublicCard.parse(json)');
    this.#keyId = outText(m, 0);
    this.#name = outText(m, 1);
    this.#role = outText(m, 2);
    this.#signPublicKey = outBytes(m, 3);
    this.#kxPublicKey = outBytes(m, 4);
    this.#json = outText(m, 5);
    this.#created = outNum2(m);
    this.#slot = new HandleSlot(this, handle, cardKind);
  }

  /**
   * Parses and fully verifies a card (every field, key id, self-signature).
   * Bad input throws MedsealError (MALFORMED, SIGNATURE_INVALID, ...).
   */
  static parse(json: string): PublicCard {
    const m = mod();
    const text = checkString(json, 'json');
    return new PublicCard(constructCard, m, parseCardHandle(m, text));
  }

  /** The base64url key id. */
  get keyId(): string {
    return this.#keyId;
  }

  /** Display name. */
  get name(): string {
    return this.#name;
  }

  /** Role, 1..32 of [a-z0-9-]. */
  get role(): string {
    return this.#role;
  }

  /** Creation time, ms since the epoch (covered by the self-signature). */
  get created(): number {
    return this.#created;
  }

  /** The card as JSON text, as medseal writes it (what Identity.card holds). */
  get json(): string {
    return this.#json;
  }

  /** Ed25519 public key (32 bytes; a fresh copy on each read). */
  get signPublicKey(): Uint8Array {
    return this.#signPublicKey.slice();
  }

  /** X25519 public key (32 bytes; a fresh copy on each read). */
  get kxPublicKey(): Uint8Array {
    return this.#kxPublicKey.slice();
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return this.#slot.disposed;
  }

  /** Frees the card in wasm memory. Idempotent. */
  dispose(): void {
    this.#slot.dispose();
  }
}

export interface PublicCard {
  [Symbol.dispose](): void;
}

/** A card argument: a PublicCard or card JSON text. */
export type CardInput = PublicCard | string;

function checkCard(x: unknown, what: string): CardInput {
  if (x instanceof PublicCard) {
    cardHandle(x, what);  // DISPOSED before any work
    return x;
  }
  if (typeof x === 'string') return checkString(x, what);
  fail('INVALID_ARGUMENT', `${what} must be a PublicCard or card JSON text`);
}

/**
 * Runs `call` with a handle per card: PublicCards as they are, card texts
 * parsed into temporary handles that are freed afterwards. `call` must copy
 * its results out before returning (freeing resets the output slots).
 */
function withCards<T>(m: MedsealCoreModule, cards: readonly CardInput[], what: (i: number) => string,
                      call: (handles: number[]) => T): T {
  const temporary: number[] = [];
  try {
    const handles = cards.map((c, i) => {
      if (typeof c !== 'string') return cardHandle(c, what(i));
      const h = parseCardHandle(m, c, what(i));
      temporary.push(h);
      return h;
    });
    return call(handles);
  } finally {
    for (const h of temporary) m._cardFree(h);
  }
}

export interface ParsedCard {
  keyId: string;
  name: string;
  role: string;
  created: number;
  signPublicKey: Uint8Array;
  kxPublicKey: Uint8Array;
}

/**
 * Parses and fully verifies a card (self-signature, key id) and returns its
 * fields as plain data. To seal to or open from a card repeatedly, keep a
 * PublicCard (PublicCard.parse) instead.
 */
export function parseCard(json: string): ParsedCard {
  const card = PublicCard.parse(json);
  card.dispose();
  return {
    keyId: card.keyId,
    name: card.name,
    role: card.role,
    created: card.created,
    signPublicKey: card.signPublicKey,
    kxPublicKey: card.kxPublicKey,
  };
}

if (disposeSymbol !== undefined) {
  for (const cls of [Identity, DeterministicRng, PublicCard]) {
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
 * Seals `payload` from `sender` to every card in `recipients` (1..64 cards:
 * PublicCard objects or card JSON texts, which are parsed and verified on
 * every call). Returns bytes (binary encoding, the default) or JSON text.
 */
export function sealRecord(sender: Identity, recipients: readonly CardInput[], payload: RecordPayloadInput,
                           options?: SealOptions & { encoding?: 'binary' }): Uint8Array;
export function sealRecord(sender: Identity, recipients: readonly CardInput[], payload: RecordPayloadInput,
                           options: SealOptions & { encoding: 'json' }): string;
export function sealRecord(sender: Identity, recipients: readonly CardInput[], payload: RecordPayloadInput,
                           options?: SealOptions): Uint8Array | string;
export function sealRecord(sender: Identity, recipients: readonly CardInput[], payload: RecordPayloadInput,
                           options: SealOptions = {}): Uint8Array | string {
  const m = mod();
  const senderHandle = identityHandle(sender, 'sender');
  if (!Array.isArray(recipients)) fail('INVALID_ARGUMENT', 'recipients must be an array of cards');
  const cards = recipients.map((c, i) => checkCard(c, `recipients[${i}]`));
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
  return withCards(m, cards, (i) => `recipient ${i}`, (handles) => {
    // The handles as u32 little-endian words (wasm byte order).
    const words = new Uint8Array(4 * handles.length);
    const view = new DataView(words.buffer);
    handles.forEach((h, i) => view.setUint32(4 * i, h, true));
    try {
      const a = stage(m, [words, contentType, recordId, resourceType, body]);
      check(m, m._sealRecord(senderHandle, a[0]!, handles.length, a[2]!, a[3]!, a[4]!, a[5]!,
                             a[6]!, a[7]!, a[8]!, a[9]!, encoding === 'json', rng, now));
    } finally {
      unstage(m);
    }
    return encoding === 'json' ? outText(m, 0) : outBytes(m, 0);
  });
}

/**
 * Verifies that `senderCard` (a PublicCard or card JSON text) sealed the
 * record, then decrypts it with `recipient`'s key. `sealed`: the binary
 * encoding (Uint8Array) or the JSON encoding (string), as sealRecord returns
 * them.
 */
export function openRecord(recipient: Identity, senderCard: CardInput, sealed: Uint8Array | string): OpenedRecord {
  const m = mod();
  const h = identityHandle(recipient, 'recipient');
  const card = checkCard(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  return withCards(m, [card], () => 'senderCard', ([cardH]) => {
    try {
      const a = stage(m, [s]);
      check(m, m._openRecord(h, cardH!, a[0]!, a[1]!, encoding));
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
  });
}

/** Throws unless `senderCard` sealed the record. Needs no secret. */
export function verifyRecord(senderCard: CardInput, sealed: Uint8Array | string): void {
  const m = mod();
  const card = checkCard(senderCard, 'senderCard');
  const [s, encoding] = sealedInput(sealed);
  withCards(m, [card], () => 'senderCard', ([cardH]) => {
    try {
      const a = stage(m, [s]);
      check(m, m._verifyRecord(cardH!, a[0]!, a[1]!, encoding));
    } finally {
      unstage(m);
    }
  });
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
// Raw AEAD (benchmarks and interop)

const AEAD_TAG = 16;
const AEAD_HEADER = 16;  // AeadArgs: four u32 lengths (wasm/marshal.h)

// The hot path for small messages: one heap region, one call, one copy out.
// Layout at the scratch address p (4-byte aligned): [key_len, nonce_len,
// aad_len, input_len] as u32, key, nonce, aad, input, then the output, which
// the core writes. Wiped before returning: header, key, nonce and aad always;
// then the plaintext, i.e. the input when sealing and the output when opening
// (a ciphertext is not secret: skipping it saves a pass over large messages).
function xchacha(seal: boolean, key: unknown, nonce: unknown, aad: unknown, input: unknown): Uint8Array {
  const m = mod();
  const k = checkBytes(key, 'key');
  const n = checkBytes(nonce, 'nonce');
  const d = checkBytes(aad, 'aad');
  const x = checkBytes(input, seal ? 'plaintext' : 'ciphertext');
  const kl = k.length, nl = n.length, dl = d.length, xl = x.length;
  const inputs = kl + nl + dl + xl;
  checkCallSize(inputs);
  const outLen = seal ? xl + AEAD_TAG : xl > AEAD_TAG ? xl - AEAD_TAG : 0;
  const outStart = AEAD_HEADER + inputs;
  const p = ensureScratch(m, outStart + outLen);  // malloc'd: 4-byte aligned
  const heap = m.HEAPU8;
  const words = m.HEAPU32;
  const w = p >>> 2;
  words[w] = kl;
  words[w + 1] = nl;
  words[w + 2] = dl;
  words[w + 3] = xl;
  let q = p + AEAD_HEADER;
  heap.set(k, q);
  heap.set(n, (q += kl));
  heap.set(d, (q += nl));
  heap.set(x, q + dl);
  const secretEnd = AEAD_HEADER + kl + nl + dl;  // header, key, nonce, aad
  try {
    const code = seal ? m._xchachaSeal(p) : m._xchachaOpen(p);
    if (code !== 0) throw errorFromCore(code, outText(m, 0, true));
    return m.HEAPU8.slice(p + outStart, p + outStart + outLen);
  } finally {
    const h = m.HEAPU8;
    if (seal) {
      h.fill(0, p, p + outStart);  // ... and the plaintext input
    } else {
      h.fill(0, p, p + secretEnd);
      h.fill(0, p + outStart, p + outStart + outLen);  // the plaintext output
    }
  }
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

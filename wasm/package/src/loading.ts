// SPDX-License-Identifier: Apache-2.0
// Loading the module: init(), the copy embedded in this file, and the
// checks that a module given with wasmBinary or wasmUrl is the one this
// wrapper speaks to.
//
// First import, so that the bundle starts with the module's base64 text and
// gzip sees the JavaScript after it in one piece (1.6 KB smaller on the
// wire).
import EMBEDDED_WASM, { ABI_MARKERS, WASM_FILE } from './medseal_core_wasm.mjs';
import { fail, isArrayBuffer, viewBytes } from './checks.js';
import { MedsealError } from './errors.js';
import { setOutArea } from './heap.js';
import createMedsealCore, {
  type MedsealCoreModule,
  type MedsealCoreOptions,
} from './medseal_core.mjs';

export interface InitOptions {
  /** The bytes of medseal_core.wasm, instead of the copy inside the package's JS. */
  wasmBinary?: BufferSource;
  /** Where to fetch medseal_core.wasm from instead (a file: URL in Node is read from disk). */
  wasmUrl?: string | URL;
}

// The module inside this file: the .wasm compressed with raw DEFLATE and
// base64-encoded (scripts/bundle.mjs). Decompressing and compiling it starts
// as soon as this file is evaluated, so that it runs while the page carries
// on to init() and the glue starts up: one script to fetch and no .wasm
// request. Where the runtime cannot decompress it (no DecompressionStream,
// or one without 'deflate-raw': Chrome < 103, Safari < 16.4, Firefox < 113)
// or fails to for another reason than a CompileError, init() fetches the
// .wasm file beside this one instead. Node starts nothing at import: init()
// inflates the copy with node:zlib and compiles the bytes. (With the
// browser's path in Node too, the Node test process died of SIGSEGV in one
// of five CI runs, in the test file whose worker threads start that
// streaming compilation at import and are terminated soon after; it did not
// recur in 40 local runs, and Node no longer takes that path.)
const embedded: Promise<WebAssembly.Module> | undefined = startEmbedded();

function startEmbedded(): Promise<WebAssembly.Module> | undefined {
  if (isNode()) return undefined;
  if (typeof DecompressionStream !== 'function' || typeof Response !== 'function') return undefined;
  try {
    new DecompressionStream('deflate-raw');
  } catch {
    return undefined;
  }
  const compiled = compileEmbedded();
  compiled.catch(() => {}); // reported by init()
  return compiled;
}

async function compileEmbedded(): Promise<WebAssembly.Module> {
  const deflated = base64Decode(EMBEDDED_WASM);
  const inflate = () =>
    new Response(deflated).body!.pipeThrough(new DecompressionStream('deflate-raw'));
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      // Compiles while it decompresses.
      return await WebAssembly.compileStreaming(
        new Response(inflate(), { headers: { 'Content-Type': 'application/wasm' } }),
      );
    } catch {
      // e.g. an engine whose compileStreaming takes fetched responses only.
    }
  }
  return WebAssembly.compile(await new Response(inflate()).arrayBuffer());
}

interface Base64Decoders {
  fromBase64?: (text: string) => Uint8Array<ArrayBuffer>;
}
interface NodeBuffer {
  from(text: string, encoding: 'base64'): Uint8Array<ArrayBuffer>;
}

function base64Decode(text: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as unknown as Base64Decoders).fromBase64;
  if (typeof native === 'function') return native(text);
  const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (buffer !== undefined) return buffer.from(text, 'base64');
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

let core: MedsealCoreModule | undefined;
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

/** @internal The instantiated module; a plain Error before init() has resolved. */
export function mod(): MedsealCoreModule {
  if (core === undefined) throw new Error('medseal: call `await init()` before using the library');
  return core;
}

/** @internal The module if it is loaded (FinalizationRegistry callbacks). */
export function loadedCore(): MedsealCoreModule | undefined {
  return core;
}

interface NodeProcess {
  versions?: { node?: unknown };
}

// The same test as the Emscripten glue's ENVIRONMENT_IS_NODE: where it is
// true the glue reads __dirname when the factory runs.
function isNode(): boolean {
  const p = (globalThis as { process?: NodeProcess }).process;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.versions === 'object' &&
    typeof p.versions?.node === 'string'
  );
}

// Node built-ins by a specifier that bundlers do not try to resolve for the
// browser build.
function importNode(specifier: string): Promise<any> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

// URL's own href getter: a URL argument becomes its text once, without
// calling anything the caller's object defines.
const urlHref = Object.getOwnPropertyDescriptor(URL.prototype, 'href')!.get!;

function urlText(x: unknown): string | undefined {
  try {
    return Reflect.apply(urlHref, x, []) as string;
  } catch {
    return undefined; // not a URL
  }
}

// A caller's wasmBinary, copied through the built-in getters:
// WebAssembly.compile reads it later, after the caller's code has had a
// chance to change or detach it.
function copyBinary(x: unknown): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = isArrayBuffer(x) ? new Uint8Array(x) : viewBytes(x);
  } catch {
    fail('DETACHED_BUFFER', 'wasmBinary: its ArrayBuffer was detached (transferred)');
  }
  if (bytes === undefined)
    fail('INVALID_ARGUMENT', 'wasmBinary must be an ArrayBuffer or a typed array');
  return bytes.slice();
}

async function load(options: InitOptions): Promise<void> {
  if (typeof options !== 'object' || options === null) {
    fail('INVALID_ARGUMENT', 'init options must be an object');
  }
  // Each option read once.
  const givenBinary: unknown = options.wasmBinary;
  const givenUrl: unknown = options.wasmUrl;
  let binary = givenBinary === undefined ? undefined : copyBinary(givenBinary);
  let wasmUrl: string | undefined;
  if (givenUrl !== undefined) {
    wasmUrl = typeof givenUrl === 'string' ? givenUrl : urlText(givenUrl);
    if (wasmUrl === undefined) fail('INVALID_ARGUMENT', 'wasmUrl must be a string or a URL');
  }
  // The copy inside this file unless told otherwise.
  const fromPackage = binary === undefined && wasmUrl === undefined;
  const source =
    binary !== undefined ? 'wasmBinary' : wasmUrl !== undefined ? 'wasmUrl' : 'the embedded module';
  let url: string | URL = wasmUrl ?? new URL(`./${WASM_FILE}`, import.meta.url);
  let globals: Record<string, unknown> | undefined;
  if (isNode()) {
    // Relative to this file (compile() reads file: URLs itself).
    if (typeof url === 'string') url = new URL(url, import.meta.url);
    if (fromPackage) {
      const zlib = await importNode('node:zlib');
      binary = zlib.inflateRawSync(base64Decode(EMBEDDED_WASM)) as Uint8Array<ArrayBuffer>;
    }
    // The ES6 glue still uses CommonJS names in Node (it reads __dirname as
    // the factory starts; require only on paths this wrapper avoids).
    const [{ createRequire }, { fileURLToPath }] = await Promise.all([
      importNode('node:module'),
      importNode('node:url'),
    ]);
    globals = {
      require: createRequire(import.meta.url),
      __dirname: fileURLToPath(new URL('.', import.meta.url)),
    };
  }
  // The embedded module is already compiling; otherwise start fetching and
  // compiling at once. The glue's start-up runs meanwhile and instantiates
  // the compiled module in instantiateWasm, once checkAbi() has accepted it:
  // a module that is not this one fails with a MedsealError before the
  // glue sees it (the glue then waits forever, and is dropped).
  const compiled = (
    fromPackage && embedded !== undefined
      ? embedded.catch((e: unknown) =>
          e instanceof WebAssembly.CompileError ? Promise.reject(e) : compile(undefined, url),
        )
      : compile(binary, url)
  ).then((module) => checkAbi(module, source));
  compiled.catch(() => {}); // reported through `failed` below

  let instantiateFailed!: (reason: unknown) => void;
  const failed = new Promise<never>((_, reject) => {
    instantiateFailed = reject;
  });
  const moduleOptions: MedsealCoreOptions = {
    instantiateWasm(imports, receive) {
      compiled
        .then((module) =>
          WebAssembly.instantiate(module, imports).then(
            (instance) => receive(instance, module),
            (e: unknown) => {
              throw e instanceof WebAssembly.LinkError
                ? new MedsealError(
                    'INVALID_ARGUMENT',
                    `${source}: the module does not link with this wrapper (${e.message})`,
                  )
                : e;
            },
          ),
        )
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
  setOutArea(m._outArea());
  core = m;
}

/**
 * The module's ABI markers (wasm custom sections "medseal_abi", and
 * "medseal_testing_abi" in the testing module) must be those of the module
 * this file was built with (scripts/bundle.mjs records them): anything else
 * is another module, or another version of this one.
 */
function checkAbi(module: WebAssembly.Module, source: string): WebAssembly.Module {
  const decoder = new TextDecoder();
  for (const [name, value] of ABI_MARKERS) {
    const sections = WebAssembly.Module.customSections(module, name);
    const found = sections.length === 1 ? decoder.decode(sections[0]) : undefined;
    if (found !== value) {
      fail(
        'INVALID_ARGUMENT',
        `${source} is not ${WASM_FILE} of this version (its custom section ` +
          `${name} is ${found === undefined ? 'missing' : JSON.stringify(found)}, not ${JSON.stringify(value)})`,
      );
    }
  }
  return module;
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
  return () => {
    for (const name of added) delete g[name];
  };
}

async function compile(
  binary: BufferSource | undefined,
  url: string | URL,
): Promise<WebAssembly.Module> {
  if (binary !== undefined) return WebAssembly.compile(binary);
  if (url instanceof URL && url.protocol === 'file:' && isNode()) {
    // fetch() in Node 20 cannot read files.
    const fs = await importNode('node:fs/promises');
    return WebAssembly.compile((await fs.readFile(url)) as Uint8Array<ArrayBuffer>);
  }
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
    } catch {
      // e.g. served without Content-Type application/wasm: fall through.
    }
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok)
    throw new Error(`medseal: fetching ${String(url)} failed: HTTP ${response.status}`);
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

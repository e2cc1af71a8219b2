// Types of the Emscripten glue (dist/medseal_core.mjs, built by
// wasm/CMakeLists.txt from wasm/bindings.cc). Private to index.ts: nothing
// here is part of the package's API. Keep in step with the EMSCRIPTEN_BINDINGS
// block of wasm/bindings.cc.

export interface MedsealCoreModule {
  readonly HEAPU8: Uint8Array<ArrayBuffer>;
  readonly HEAPU32: Uint32Array;
  readonly HEAPF64: Float64Array;

  _init(): number;
  _outArea(): number;
  _scratch(size: number): number;

  _identityFromSeed(seedPtr: number, seedLen: number, namePtr: number, nameLen: number,
                    rolePtr: number, roleLen: number, created: number): number;
  _identityGenerate(namePtr: number, nameLen: number, rolePtr: number, roleLen: number,
                    now: number): number;
  _identityExportSeed(handle: number): number;
  _identityFree(handle: number): number;

  _sealRecord(sender: number, cardHandlesPtr: number, cardCount: number,
              contentTypePtr: number, contentTypeLen: number, recordIdPtr: number,
              recordIdLen: number, resourceTypePtr: number, resourceTypeLen: number,
              bodyPtr: number, bodyLen: number, json: boolean, rng: number, now: number): number;
  _openRecord(recipient: number, card: number, sealedPtr: number, sealedLen: number,
              encoding: number): number;
  _verifyRecord(card: number, sealedPtr: number, sealedLen: number, encoding: number): number;
  _inspectRecord(sealedPtr: number, sealedLen: number, encoding: number): number;
  _recordToJson(ptr: number, len: number): number;
  _recordFromJson(ptr: number, len: number): number;

  _cardParse(ptr: number, len: number): number;
  _cardFree(handle: number): number;

  _rngCreate(seedPtr: number, seedLen: number): number;
  _rngFill(handle: number, size: number): number;
  _rngFree(handle: number): number;

  /** `args`: an AeadArgs header, then the inputs; the output follows them. */
  _xchachaSeal(args: number): number;
  _xchachaOpen(args: number): number;
}

export interface MedsealCoreOptions {
  instantiateWasm?(imports: WebAssembly.Imports,
                   receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  /** Read by libsodium's Emscripten randombytes (sodium_init's canary only). */
  getRandomValue?(): number;
}

declare function createMedsealCore(options?: MedsealCoreOptions): Promise<MedsealCoreModule>;
export default createMedsealCore;

// SPDX-License-Identifier: Apache-2.0
// Types of the Emscripten glue (dist/medseal_core.mjs and, in the
// 'medseal/testing' bundle, dist/medseal_core_testing.mjs, built by
// wasm/CMakeLists.txt from wasm/bindings/). Private to the wrapper: nothing
// here is part of the package's API. This file declares what every module
// has (wasm/bindings/module.cc); each TS concept module adds the entry
// points it calls by declaration merging (identity.ts: _identity*, card.ts,
// record.ts, testing.ts), next to the code that calls them.

export interface MedsealCoreModule {
  readonly HEAPU8: Uint8Array<ArrayBuffer>;
  readonly HEAPU32: Uint32Array;
  readonly HEAPF64: Float64Array;

  /** Address of the OutArea struct (wasm/marshal.h). */
  _outArea(): number;
  /** Address of a scratch region of at least `size` bytes; 0 if the heap cannot hold it. */
  _scratch(size: number): number;
  /** Wipes and drops the last call's results. */
  _release(): void;
}

export interface MedsealCoreOptions {
  instantiateWasm?(
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ): object;
  /** Read by libsodium's Emscripten randombytes (sodium_init's canary only). */
  getRandomValue?(): number;
}

declare function createMedsealCore(options?: MedsealCoreOptions): Promise<MedsealCoreModule>;
export default createMedsealCore;

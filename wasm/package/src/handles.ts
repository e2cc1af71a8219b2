// SPDX-License-Identifier: Apache-2.0
// Objects in wasm memory (identities, cards, deterministic RNGs) are u32
// handles into the bindings' handle tables. A JS object owns its handle
// through a HandleSlot; dispose() frees it, and a FinalizationRegistry frees
// forgotten ones as a backstop, some time after they become unreachable.
import { fail } from './checks.js';
import { stage, u32, unstage } from './heap.js';
import { loadedCore } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal Symbol.dispose where the engine has it (explicit resource management). */
export const disposeSymbol: symbol | undefined =
  typeof (Symbol as { dispose?: unknown }).dispose === 'symbol'
    ? (Symbol as unknown as { dispose: symbol }).dispose
    : undefined;

/**
 * @internal Finishes an exported class: `name` as its name (the bundle's
 * identifiers are minified) and, where the engine has Symbol.dispose,
 * `[Symbol.dispose]()` as an alias of `dispose()`.
 */
export function publicClass(cls: { prototype: { dispose?(): void } }, name: string): void {
  Object.defineProperty(cls, 'name', { value: name, configurable: true });
  const dispose = cls.prototype.dispose;
  if (disposeSymbol === undefined || dispose === undefined) return;
  Object.defineProperty(cls.prototype, disposeSymbol, {
    value: dispose,
    writable: true,
    configurable: true,
  });
}

/** @internal The free entry point of one table: `_identityFree`, `_cardFree`, ... */
export type FreeEntry = (m: MedsealCoreModule) => (args: number) => number;

// One kind of handle: how to free one, and the backstop registry.
/** @internal */
export interface HandleKind {
  free(m: MedsealCoreModule, handle: number): void;
  registry: FinalizationRegistry<number> | undefined;
}

/** @internal */
export function handleKind(entry: FreeEntry): HandleKind {
  // A handle that is known to be live: the code can only be OK.
  const free = (m: MedsealCoreModule, handle: number): void => {
    try {
      entry(m)(stage(m, [u32(handle)]));
    } finally {
      unstage(m);
    }
  };
  const registry =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry<number>((handle) => {
          const m = loadedCore();
          if (m !== undefined) free(m, handle);
        })
      : undefined;
  return { free, registry };
}

/** @internal The handle a JS object owns: 0 once disposed. Also the registry's unregister token. */
export class HandleSlot {
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
    const m = loadedCore();
    if (m !== undefined) this.#kind.free(m, h);
  }
}

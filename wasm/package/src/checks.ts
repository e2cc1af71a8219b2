// SPDX-License-Identifier: Apache-2.0
// Argument checks: JS types only (values are the core's business), made
// without trusting the caller's objects.
//
// Every function reads a caller's object in one place, first, and then only
// looks at what it read: a getter, a Proxy trap or an overridden property
// can run the caller's code while it is read, never between the checks and
// the copy into wasm memory.
//   - Typed arrays are read through the built-in %TypedArray%.prototype
//     getters captured when this module loads, never through the object's
//     own `length`, `byteLength`, `buffer` or Symbol.toStringTag, which a
//     subclass or an own property can override. The toStringTag getter
//     returns 'Uint8Array' for a real Uint8Array of any realm and undefined
//     for anything else, a Proxy around one included.
//   - Options and payload objects: readFields() reads each property once.
//   - Arrays: readList() reads `length` once, refuses more than the limit
//     before reading any element, then reads each index once (a hole reads
//     as undefined, which the element's check refuses).
//   - The library's own objects are recognised by their private fields
//     (`#slot in x`), which neither a Proxy nor Object.create(prototype) has.
import type { ErrorCodeName } from './codes.js';
import { MedsealError } from './errors.js';

/** @internal */
export function fail(code: ErrorCodeName, message: string): never {
  throw new MedsealError(code, message);
}

// ---------------------------------------------------------------------------
// Built-ins, captured at load

type Getter<T> = (self: unknown) => T;

// A built-in getter captured at load, called with `self` as this: nothing
// the caller's object defines is looked up.
function getterOf<T>(proto: object, key: PropertyKey): Getter<T> {
  const get = Object.getOwnPropertyDescriptor(proto, key)?.get;
  if (get === undefined) throw new Error(`medseal: this engine has no ${String(key)} getter`);
  return (self) => get.call(self) as T;
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getterOf<string | undefined>(TypedArrayPrototype, Symbol.toStringTag);
const typedArrayLength = getterOf<number>(TypedArrayPrototype, 'length');
const typedArrayBuffer = getterOf<ArrayBufferLike>(TypedArrayPrototype, 'buffer');
const typedArrayByteOffset = getterOf<number>(TypedArrayPrototype, 'byteOffset');
const typedArrayByteLength = getterOf<number>(TypedArrayPrototype, 'byteLength');
const dataViewBuffer = getterOf<ArrayBufferLike>(DataView.prototype, 'buffer');
const dataViewByteOffset = getterOf<number>(DataView.prototype, 'byteOffset');
const dataViewByteLength = getterOf<number>(DataView.prototype, 'byteLength');
const arrayBufferByteLength = getterOf<number>(ArrayBuffer.prototype, 'byteLength');
const arrayBufferDetached: Getter<boolean> | undefined =
  Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get !== undefined
    ? getterOf<boolean>(ArrayBuffer.prototype, 'detached')
    : undefined;
const Uint8ArrayOf = Uint8Array;
const isArray = Array.isArray;
const isSafeInteger = Number.isSafeInteger;
const stringIsWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
const isWellFormed: (s: string) => boolean =
  typeof stringIsWellFormed === 'function'
    ? (s) => stringIsWellFormed.call(s)
    : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** @internal True for a real Uint8Array (Node's Buffer, other realms' included). */
export function isUint8Array(x: unknown): x is Uint8Array {
  return typedArrayTag(x) === 'Uint8Array';
}

/** @internal The number of bytes of a checked Uint8Array (the built-in getter). */
export function lengthOf(x: Uint8Array): number {
  return typedArrayLength(x);
}

/**
 * @internal A Uint8Array over the bytes of any typed array or DataView (through the
 * built-in getters), or undefined for anything else.
 */
export function viewBytes(x: unknown): Uint8Array | undefined {
  if (typedArrayTag(x) !== undefined) {
    return new Uint8ArrayOf(typedArrayBuffer(x), typedArrayByteOffset(x), typedArrayByteLength(x));
  }
  try {
    return new Uint8ArrayOf(dataViewBuffer(x), dataViewByteOffset(x), dataViewByteLength(x));
  } catch {
    return undefined; // not a DataView
  }
}

/** @internal True if `x` is an ArrayBuffer (not a SharedArrayBuffer, not a Proxy). */
export function isArrayBuffer(x: unknown): x is ArrayBuffer {
  try {
    arrayBufferByteLength(x);
    return true;
  } catch {
    return false;
  }
}

// Only an empty view can be on a detached buffer.
function isDetached(view: Uint8Array): boolean {
  if (typedArrayLength(view) !== 0) return false;
  const buffer = typedArrayBuffer(view);
  if (!isArrayBuffer(buffer)) return false; // a SharedArrayBuffer cannot be detached
  if (arrayBufferDetached !== undefined) return arrayBufferDetached(buffer);
  if (arrayBufferByteLength(buffer) !== 0) return false;
  try {
    new Uint8ArrayOf(buffer); // TypeError on a detached buffer
    return false;
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------------------
// Reading caller objects (once)

/** @internal */
export function isObject(x: unknown): x is object {
  return (typeof x === 'object' && x !== null) || typeof x === 'function';
}

/**
 * @internal Reads `names` from the object `x` (an options or payload argument), each
 * once and in that order, into a plain record: the only place the caller's
 * object is touched. Not an object (null included): INVALID_ARGUMENT.
 */
export function readFields<K extends string>(
  x: unknown,
  what: string,
  names: readonly K[],
): Record<K, unknown> {
  if (typeof x !== 'object' || x === null) fail('INVALID_ARGUMENT', `${what} must be an object`);
  const fields = Object.create(null) as Record<K, unknown>;
  for (const name of names) fields[name] = (x as Record<K, unknown>)[name];
  return fields;
}

/**
 * @internal Reads the array `x`: its length once (more than `max` elements is
 * TOO_LARGE, before any element is read), then each element once. Holes
 * read as undefined.
 */
export function readList(x: unknown, what: string, max: number, itemWhat: string): unknown[] {
  if (!isArray(x)) fail('INVALID_ARGUMENT', `${what} must be an array of ${itemWhat}`);
  const n: unknown = (x as unknown[]).length; // a Proxy's trap may say anything
  if (typeof n !== 'number' || !isSafeInteger(n) || n < 0) {
    fail('INVALID_ARGUMENT', `${what} must be an array of ${itemWhat}`);
  }
  if (n > max) fail('TOO_LARGE', `${what}: more than ${max} ${itemWhat}`);
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) items.push((x as unknown[])[i]);
  return items;
}

// ---------------------------------------------------------------------------
// Checks of values already read

/** @internal */
export function checkBytes(x: unknown, what: string): Uint8Array {
  if (!isUint8Array(x)) fail('INVALID_ARGUMENT', `${what} must be a Uint8Array`);
  if (isDetached(x)) fail('DETACHED_BUFFER', `${what}: its ArrayBuffer was detached (transferred)`);
  return x;
}

/** @internal */
export function checkString(x: unknown, what: string): string {
  if (typeof x !== 'string') fail('INVALID_ARGUMENT', `${what} must be a string`);
  if (!isWellFormed(x)) fail('INVALID_ARGUMENT', `${what} contains a lone UTF-16 surrogate`);
  return x;
}

/** @internal */
export function checkBytesOrString(x: unknown, what: string): Uint8Array | string {
  if (typeof x === 'string') return checkString(x, what);
  if (isUint8Array(x)) return checkBytes(x, what);
  fail('INVALID_ARGUMENT', `${what} must be a Uint8Array or a string`);
}

/** @internal A time in ms: a safe integer (whether it is a valid time is core's call). */
export function checkMillis(x: unknown, what: string): number {
  if (typeof x !== 'number' || !isSafeInteger(x)) {
    fail('INVALID_ARGUMENT', `${what} must be an integer number of milliseconds`);
  }
  return x;
}

/** @internal `undefined` means the default; anything else must be a valid string. */
export function optionalString(x: unknown, what: string): string {
  return x === undefined ? '' : checkString(x, what);
}

/** @internal Only `undefined` means "now" (null is not a time). */
export function millisOrNow(x: unknown, what: string): number {
  return x === undefined ? Date.now() : checkMillis(x, what);
}

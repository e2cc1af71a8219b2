// SPDX-License-Identifier: Apache-2.0
// The wasm heap: the argument block writer, the scratch region it writes
// into, and the readers of the output slots. wasm/marshal.h describes the
// calling convention byte for byte; stage() writes it (and
// stageFourAndRoom(), the same layout for the raw AEAD's fixed shape).
//
// A call: stage() writes an argument block (header, 8-byte slots, then the
// data regions, each 8-byte aligned) into the scratch region and returns
// its address; the entry point takes that one number and returns an error
// code; unstage() zeroes everything stage() wrote. Results are read from
// the output slots, whose addresses and lengths sit in a fixed struct (the
// out area); secret results are copied out and then released (release():
// the core wipes them). HEAPU8 is re-read after every call that may grow
// memory (growing detaches the old views).
import { errorFromCore } from './errors.js';
import { fail, lengthOf } from './checks.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

// ---------------------------------------------------------------------------
// Argument blocks

// Slot kinds (ArgKind in wasm/marshal.h): 0 region, 1 u32, 2 f64.
const KIND_U32 = 1;
const KIND_F64 = 2;
const HEADER = 16;
const SLOT = 8;
const MAX_SLOTS = 16;

// Scalars and output room as small tagged objects; a Uint8Array or a string
// is a region as it is. Room is a region on the wire: KIND_ROOM only tells
// stage() to reserve it rather than copy into it.
const KIND_ROOM = 3;
class ScalarArg {
  constructor(
    readonly kind: number,
    readonly value: number,
  ) {}
}

/**
 * @internal One slot: a Uint8Array or a string is a region (strings as
 * UTF-8), u32() a handle or count, f64() a number, room() space the entry
 * point writes.
 */
export type Arg = Uint8Array | string | ScalarArg;
/** @internal */
export const u32 = (value: number): Arg => new ScalarArg(KIND_U32, value >>> 0);
/** @internal */
export const f64 = (value: number): Arg => new ScalarArg(KIND_F64, value);
/** @internal */
export const room = (size: number): Arg => new ScalarArg(KIND_ROOM, size);

/** @internal Largest total input of one call; more is TOO_LARGE before anything is copied. */
export const MAX_CALL_BYTES = 128 * 1024 * 1024;
/** Strings longer than this are encoded exactly before staging (see stage()). */
const LONG_STRING = 1 << 20;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let scratchPtr = 0;
let scratchCapacity = 0;
let scratchUsed = 0;
// Where stage() put each region, as addresses (regionAt()), and the
// lengths it measured.
const regionStarts: number[] = [];
const regionLengths: number[] = [];

const align8 = (n: number): number => (n + 7) & ~7;

/** @internal */
export function checkCallSize(bytes: number): void {
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

/**
 * @internal Writes `args` as an argument block into the scratch region and returns
 * its address. Call unstage() after the call (in a finally). Arguments must
 * have been checked: a Uint8Array's length is read with the built-in getter.
 */
export function stage(m: MedsealCoreModule, args: readonly Arg[]): number {
  if (args.length > MAX_SLOTS) throw new Error(`medseal: ${args.length} argument slots`);
  // A long string would reserve 3 bytes of scratch per UTF-16 unit, and wasm
  // memory never shrinks: encode it exactly first (the copy is wiped below).
  let temporaries: Uint8Array[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (typeof a !== 'string' || a.length <= LONG_STRING) continue;
    if (temporaries === undefined) {
      temporaries = [];
      args = args.slice();
    }
    const bytes = encoder.encode(a);
    temporaries.push(bytes);
    (args as Arg[])[i] = bytes;
  }
  if (temporaries === undefined) return stageExact(m, args);
  try {
    return stageExact(m, args);
  } finally {
    for (const t of temporaries) t.fill(0);
  }
}

function stageExact(m: MedsealCoreModule, args: readonly Arg[]): number {
  const n = args.length;
  // An upper bound of the block's size (strings: 3 UTF-8 bytes per unit),
  // and each region's length (exact but for strings).
  let bound = HEADER + SLOT * n;
  for (let i = 0; i < n; i++) {
    const a = args[i]!;
    let length = 0;
    if (typeof a === 'string') length = a.length * 3;
    else if (!(a instanceof ScalarArg)) length = lengthOf(a);
    else if (a.kind === KIND_ROOM) length = a.value;
    else continue;
    regionLengths[i] = length;
    bound = align8(bound) + length;
  }
  checkCallSize(bound);
  const p = ensureScratch(m, bound);
  const heap = m.HEAPU8; // after ensureScratch: it may have grown memory
  const words = m.HEAPU32;
  let kinds = 0;
  let end = HEADER + SLOT * n; // offset of the next region
  scratchUsed = end;
  for (let i = 0; i < n; i++) {
    const a = args[i]!;
    const slot = (p + HEADER + SLOT * i) >>> 2;
    let length: number;
    const start = align8(end);
    if (typeof a === 'string') {
      length = encoder.encodeInto(a, heap.subarray(p + start, p + start + a.length * 3)).written;
    } else if (!(a instanceof ScalarArg)) {
      length = regionLengths[i]!;
      heap.set(a, p + start);
    } else if (a.kind === KIND_ROOM) {
      length = a.value;
    } else {
      kinds |= a.kind << (2 * i);
      if (a.kind === KIND_U32) {
        words[slot] = a.value;
        words[slot + 1] = 0;
      } else {
        m.HEAPF64[slot >>> 1] = a.value;
      }
      continue;
    }
    words[slot] = start;
    words[slot + 1] = length;
    regionStarts[i] = p + start;
    end = start + length;
    scratchUsed = end;
  }
  const h = p >>> 2;
  words[h] = n;
  words[h + 1] = kinds;
  words[h + 2] = end;
  words[h + 3] = 0;
  return p;
}

/**
 * @internal stage(m, [a0, a1, a2, a3, room(roomSize)]), written without the
 * generic loop's dispatch: the raw AEAD's block (four checked Uint8Arrays,
 * then room for the output), its hot path for small messages. The same
 * layout, byte for byte; ~0.15 us less per 64-byte round trip in Node.
 */
export function stageFourAndRoom(
  m: MedsealCoreModule,
  a0: Uint8Array,
  a1: Uint8Array,
  a2: Uint8Array,
  a3: Uint8Array,
  roomSize: number,
): number {
  const l0 = lengthOf(a0),
    l1 = lengthOf(a1),
    l2 = lengthOf(a2),
    l3 = lengthOf(a3);
  const o0 = HEADER + SLOT * 5; // 56, 8-aligned
  const o1 = align8(o0 + l0);
  const o2 = align8(o1 + l1);
  const o3 = align8(o2 + l2);
  const o4 = align8(o3 + l3);
  const end = o4 + roomSize;
  checkCallSize(end);
  const p = ensureScratch(m, end);
  const heap = m.HEAPU8;
  const words = m.HEAPU32;
  scratchUsed = end;
  heap.set(a0, p + o0);
  heap.set(a1, p + o1);
  heap.set(a2, p + o2);
  heap.set(a3, p + o3);
  const w = p >>> 2;
  words[w] = 5;
  words[w + 1] = 0; // five regions
  words[w + 2] = end;
  words[w + 3] = 0;
  words[w + 4] = o0;
  words[w + 5] = l0;
  words[w + 6] = o1;
  words[w + 7] = l1;
  words[w + 8] = o2;
  words[w + 9] = l2;
  words[w + 10] = o3;
  words[w + 11] = l3;
  words[w + 12] = o4;
  words[w + 13] = roomSize;
  regionStarts[3] = p + o3;
  regionStarts[4] = p + o4;
  return p;
}

/** @internal The address of region slot `i` of the block staged last. */
export function regionAt(i: number): number {
  return regionStarts[i]!;
}

/** @internal Zeroes the whole block staged last. */
export function unstage(m: MedsealCoreModule): void {
  unstageExcept(m, 0, 0);
}

/**
 * @internal Zeroes the block staged last except the bytes [from, to) (addresses), for
 * a caller that leaves a region that is not secret (the raw AEAD's
 * ciphertext) as it is.
 */
export function unstageExcept(m: MedsealCoreModule, from: number, to: number): void {
  if (scratchUsed === 0) return;
  const heap = m.HEAPU8; // a fresh view: memory may have grown
  const end = scratchPtr + scratchUsed;
  if (to <= from) {
    heap.fill(0, scratchPtr, end);
  } else {
    heap.fill(0, scratchPtr, from);
    heap.fill(0, to, end);
  }
  scratchUsed = 0;
}

/**
 * @internal Stages `args`, calls `entry` with the block's address, wipes the block and
 * throws the core's error for a non-zero code (its message prefixed with
 * `what` when given).
 */
export function invoke(
  m: MedsealCoreModule,
  entry: (args: number) => number,
  args: readonly Arg[],
  what?: string,
): void {
  let code: number;
  try {
    code = entry(stage(m, args));
  } finally {
    unstage(m);
  }
  if (code !== 0) throwCoreError(m, code, what);
}

/** @internal The core's error for a non-zero code (message from slot 0). */
export function throwCoreError(m: MedsealCoreModule, code: number, what?: string): never {
  const message = outText(m, 0);
  throw errorFromCore(code, what === undefined ? message : `${what}: ${message}`);
}

// ---------------------------------------------------------------------------
// Output slots (wasm/marshal.h, OutArea: u32 ptr[6], u32 len[6], f64 num, i64 millis)

let outArea = 0; // byte address of the OutArea struct

/** @internal Called once the module is instantiated. */
export function setOutArea(address: number): void {
  outArea = address;
}

function outPtr(m: MedsealCoreModule, slot: number): number {
  return m.HEAPU32[(outArea >>> 2) + slot]!;
}
function outLen(m: MedsealCoreModule, slot: number): number {
  return m.HEAPU32[(outArea >>> 2) + 6 + slot]!;
}
/** @internal */
export function outNum(m: MedsealCoreModule): number {
  return m.HEAPF64[(outArea + 48) >>> 3]!;
}
/**
 * @internal The int64 time slot (ms) as a number. Exact: core never
 * publishes a time outside 0 .. 2^53 - 1 (kMaxUnixMillis: cards and records
 * with a later time do not parse or open, docs/spec/record.md).
 */
export function outMillis(m: MedsealCoreModule): number {
  const w = (outArea + 56) >>> 2;
  return (m.HEAPU32[w + 1]! | 0) * 4294967296 + m.HEAPU32[w]!;
}

/** @internal A copy of an output slot. */
export function outBytes(m: MedsealCoreModule, slot: number): Uint8Array {
  const p = outPtr(m, slot);
  return m.HEAPU8.slice(p, p + outLen(m, slot));
}

/** @internal */
export function outText(m: MedsealCoreModule, slot: number): string {
  const p = outPtr(m, slot);
  return decoder.decode(m.HEAPU8.subarray(p, p + outLen(m, slot)));
}

/** @internal An output slot of u32 words. */
export function outWords(m: MedsealCoreModule, slot: number): number[] {
  const p = outPtr(m, slot) >>> 2;
  return Array.from(m.HEAPU32.subarray(p, p + (outLen(m, slot) >>> 2)));
}

const KEY_ID_BYTES = 16;

/** @internal A 16-byte key id slot, base64url (the API's spelling). */
export function outKeyId(m: MedsealCoreModule, slot: number): string {
  return base64Url(outBytes(m, slot));
}

/** @internal A slot of 16-byte key ids back to back, each base64url. */
export function outKeyIds(m: MedsealCoreModule, slot: number): string[] {
  const all = outBytes(m, slot);
  const ids: string[] = [];
  for (let i = 0; i < all.length; i += KEY_ID_BYTES)
    ids.push(base64Url(all.subarray(i, i + KEY_ID_BYTES)));
  return ids;
}

/** @internal Wipes and drops the last call's results (after copying secret ones out). */
export function release(m: MedsealCoreModule): void {
  m._release();
}

/** base64url without padding (key ids: public). */
function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

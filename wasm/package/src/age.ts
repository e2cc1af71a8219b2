// SPDX-License-Identifier: Apache-2.0
// age v1 files (C2SP age; wasm/bindings/age.cc, core/age/): recipients and
// identities kept in wasm memory by handle, one-shot encryptFile and
// decryptFile (with the ASCII armor), the incremental Encryptor and
// Decryptor, and decryptRange (random access). The Web Streams and the
// Worker are in age-stream.ts.
//
// Secret keys: AgeIdentity.parse takes the "AGE-SECRET-KEY-1..." text as a
// Uint8Array of its UTF-8 bytes (preferred: the caller can fill(0) it as
// soon as parse returns) or as a string (convenient, but a JS string cannot
// be wiped: it lives until the garbage collector reclaims it, and the engine
// may have copied it). Passphrases are Uint8Arrays only.
import { checkBytes, checkBytesOrString, fail, isObject, readFields, readList } from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import {
  f64,
  invoke,
  outBytes,
  outNum,
  outText,
  outWords,
  release,
  stage,
  throwCoreError,
  u32,
  unstage,
} from './heap.js';
import { ErrorCode } from './codes.js';
import { errorFromCore } from './errors.js';
import { identityHandle, type Identity } from './identity.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 "age1..." (region); num = handle, slot 0 = text, slot 1 = kind. */
    _ageRecipientParse(args: number): number;
    /** 0 passphrase (region), 1 log2(N) (u32). */
    _ageRecipientScrypt(args: number): number;
    /** 0 card (u32). */
    _ageRecipientFromCard(args: number): number;
    /** 0 recipient (u32). */
    _ageRecipientFree(args: number): number;
    /** 0 "AGE-SECRET-KEY-1..." (region); num = handle, slot 1 = kind. */
    _ageIdentityParse(args: number): number;
    /** No arguments. */
    _ageIdentityGenerate(): number;
    _ageIdentityGenerateHybrid(): number;
    /** 0 passphrase (region), 1 max log2(N) (u32). */
    _ageIdentityScrypt(args: number): number;
    /** 0 medseal identity (u32). */
    _ageIdentityFromIdentity(args: number): number;
    /** 0 identity (u32); a recipient, as _ageRecipientParse. */
    _ageIdentityRecipient(args: number): number;
    /** 0 identity (u32); slot 0 = a view of the secret key text. */
    _ageIdentityEncode(args: number): number;
    /** 0 identity (u32). */
    _ageIdentityFree(args: number): number;
    /** 0 recipients (handles), 1 plaintext, 2 armor (u32); slot 0 = file. */
    _ageEncrypt(args: number): number;
    /** 0 identities (handles), 1 file; slot 0 = a view of the plaintext. */
    _ageDecrypt(args: number): number;
    /** 0 prefix; slot 1 = one word, 1 if armored. */
    _ageLooksArmored(args: number): number;
    /** 0 binary file; slot 0 = armored text. */
    _ageArmorEncode(args: number): number;
    /** 0 armored text; slot 0 = binary file. */
    _ageArmorDecode(args: number): number;
    /** 0 recipients (handles); num = handle. */
    _ageEncryptorCreate(args: number): number;
    /** 0 encryptor (u32), 1 plaintext; slot 0 = output. */
    _ageEncryptorPush(args: number): number;
    /** 0 encryptor (u32); slot 0 = output. */
    _ageEncryptorFinish(args: number): number;
    /** 0 encryptor (u32). */
    _ageEncryptorFree(args: number): number;
    /** 0 identities (handles); num = handle. */
    _ageDecryptorCreate(args: number): number;
    /** 0 decryptor (u32), 1 file bytes; slot 0 = plaintext. */
    _ageDecryptorPush(args: number): number;
    /** 0 decryptor (u32); slot 0 = plaintext. */
    _ageDecryptorFinish(args: number): number;
    /** 0 decryptor (u32). */
    _ageDecryptorFree(args: number): number;
    /** 0 identities (handles), 1 prefix, 2 size (f64); num = handle, millis = plaintext size. */
    _ageRandomAccessOpen(args: number): number;
    /** 0 file (u32), 1 offset, 2 length (f64); slot 0 = 4 words. */
    _ageRandomAccessLocate(args: number): number;
    /** 0 file (u32), 1 offset, 2 length (f64), 3 ciphertext; slot 0 = plaintext view. */
    _ageRandomAccessRead(args: number): number;
    /** 0 file (u32). */
    _ageRandomAccessFree(args: number): number;
  }
}

/** @internal core/age/header.h kAgeMaxStanzas: the most recipients of one file. */
export const MAX_AGE_RECIPIENTS = 256;
/** @internal The most identities tried on one file. */
export const MAX_AGE_IDENTITIES = 256;
/** @internal Bytes per push into wasm: 16 chunks, so that the heap stays small. */
export const AGE_PIECE = 1024 * 1024;
/** @internal core/age/header.h kAgeMaxHeaderBytes, plus the payload nonce. */
const MAX_PREFIX = 64 * 1024 + 16;

/**
 * The kinds of age recipients and identities medseal implements: X25519,
 * a passphrase (scrypt), and the post-quantum hybrid 'mlkem768x25519'
 * (ML-KEM-768 + X25519, X-Wing; "age1pq1..." / "AGE-SECRET-KEY-PQ-1...").
 */
export type AgeKeyType = 'x25519' | 'scrypt' | 'mlkem768x25519';
const KINDS: readonly AgeKeyType[] = ['x25519', 'scrypt', 'mlkem768x25519'];

/** Progress of a stream or a Worker job, in bytes. */
export interface AgeProgress {
  /** Bytes consumed so far (plaintext when encrypting, the file when decrypting). */
  bytesIn: number;
  /** Bytes produced so far. */
  bytesOut: number;
}

export interface AgePassphraseRecipientOptions {
  /** scrypt work factor log2(N), 1..22; default 18 (as age). */
  workFactor?: number;
}

export interface AgePassphraseIdentityOptions {
  /**
   * The largest work factor log2(N) accepted from a file (a file asking for
   * more is TOO_LARGE before any work), 1..30; default 22 (2^22 * 1 KiB =
   * 4 GiB of scrypt memory would not fit in wasm anyway).
   */
  maxWorkFactor?: number;
}

export interface AgeGenerateOptions {
  /**
   * 'x25519' (the default, "AGE-SECRET-KEY-1...") or 'mlkem768x25519', the
   * post-quantum hybrid ("AGE-SECRET-KEY-PQ-1...": a file to its recipient
   * stays confidential as long as either ML-KEM-768 or X25519 holds).
   */
  type?: 'x25519' | 'mlkem768x25519';
}

export interface AgeEncryptOptions {
  /** Wrap the file in age's ASCII armor (PEM, "BEGIN AGE ENCRYPTED FILE"). */
  armor?: boolean;
}

function kindOf(m: MedsealCoreModule): AgeKeyType {
  return KINDS[outWords(m, 1)[0]!] ?? fail('INTERNAL', 'unknown age key kind');
}

function workFactor(x: unknown, what: string, fallback: number): number {
  if (x === undefined) return fallback;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    fail('INVALID_ARGUMENT', `${what} must be an integer`);
  }
  return x;
}

// ---------------------------------------------------------------------------
// Recipients

const recipientKind = handleKind((m) => m._ageRecipientFree);
let recipientHandleOf: (x: unknown, what: string) => number;

/**
 * Whom an age file is encrypted to: an X25519 public key ("age1..."), a
 * post-quantum hybrid key ("age1pq1...", ML-KEM-768 + X25519) or a
 * passphrase (scrypt; a file with a passphrase recipient has no other).
 * Kept in wasm memory by handle (a passphrase recipient holds a secret):
 * call dispose() (or use `using`) when done.
 */
export class AgeRecipient {
  readonly #slot: HandleSlot;
  readonly #text: string;
  readonly #type: AgeKeyType;

  static {
    recipientHandleOf = (x, what) => AgeRecipient.#of(x, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): AgeRecipient {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be an AgeRecipient`);
    return x;
  }

  private constructor(m: MedsealCoreModule) {
    this.#text = outText(m, 0);
    this.#type = kindOf(m);
    this.#slot = new HandleSlot(this, outNum(m), recipientKind);
  }

  /** @internal From the results of a call that published a recipient. */
  static fromOutput(m: MedsealCoreModule): AgeRecipient {
    return new AgeRecipient(m);
  }

  /**
   * "age1..." or "age1pq1..." (Bech32, lower case). MALFORMED for a bad
   * string, WEAK_KEY for an X25519 point of small order, INVALID_KEY for an
   * ML-KEM-768 key FIPS 203 rejects, UNSUPPORTED_RECIPIENT for a tagged
   * ("age1tag1...") or plugin recipient.
   */
  static parse(text: string): AgeRecipient {
    const m = mod();
    const t = checkBytesOrString(text, 'text');
    invoke(m, m._ageRecipientParse, [t]);
    return new AgeRecipient(m);
  }

  /**
   * A passphrase recipient (scrypt). The passphrase is copied into wasm
   * memory; the caller wipes its own copy.
   */
  static passphrase(
    passphrase: Uint8Array,
    options: AgePassphraseRecipientOptions = {},
  ): AgeRecipient {
    const m = mod();
    const o = readFields(options, 'options', ['workFactor']);
    const p = checkBytes(passphrase, 'passphrase');
    const n = workFactor(o.workFactor, 'options.workFactor', 18);
    invoke(m, m._ageRecipientScrypt, [p, u32(n)]);
    return new AgeRecipient(m);
  }

  /** A medseal card's X25519 (kx) key as an age recipient (docs/spec/attachment.md). */
  static fromCard(card: CardInput): AgeRecipient {
    const m = mod();
    const c = checkCard(card, 'card');
    return withCards(
      m,
      [c],
      () => 'card',
      ([h]) => {
        invoke(m, m._ageRecipientFromCard, [u32(h!)]);
        return new AgeRecipient(m);
      },
    );
  }

  /** 'x25519', 'mlkem768x25519' or 'scrypt'. */
  get type(): AgeKeyType {
    return AgeRecipient.#of(this, 'this').#type;
  }

  /** True for the post-quantum hybrid ('mlkem768x25519'). */
  get postQuantum(): boolean {
    return AgeRecipient.#of(this, 'this').#type === 'mlkem768x25519';
  }

  /** "age1..." / "age1pq1..." (public); the empty string for a passphrase. */
  toString(): string {
    return AgeRecipient.#of(this, 'this').#text;
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return AgeRecipient.#of(this, 'this').#slot.disposed;
  }

  /** Frees the recipient in wasm memory (a passphrase is wiped). Idempotent. */
  dispose(): void {
    AgeRecipient.#of(this, 'this').#slot.dispose();
  }
}

export interface AgeRecipient {
  [Symbol.dispose](): void;
}

publicClass(AgeRecipient, 'AgeRecipient');

// ---------------------------------------------------------------------------
// Identities

const identityKind = handleKind((m) => m._ageIdentityFree);
let identityHandleOf: (x: unknown, what: string) => number;

/**
 * What opens an age file: an X25519 secret key ("AGE-SECRET-KEY-1..."), a
 * post-quantum hybrid seed ("AGE-SECRET-KEY-PQ-1...") or a passphrase.
 * Kept in wasm memory by handle: call dispose() (or use `using`).
 */
export class AgeIdentity {
  readonly #slot: HandleSlot;
  readonly #type: AgeKeyType;

  static {
    identityHandleOf = (x, what) => AgeIdentity.#of(x, what).#slot.get(what);
  }

  static #of(x: unknown, what: string): AgeIdentity {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', `${what} must be an AgeIdentity`);
    return x;
  }

  private constructor(m: MedsealCoreModule) {
    this.#type = kindOf(m);
    this.#slot = new HandleSlot(this, outNum(m), identityKind);
  }

  /**
   * "AGE-SECRET-KEY-1..." or "AGE-SECRET-KEY-PQ-1..." as the UTF-8 bytes of
   * the text (preferred: fill(0) your copy once this returns) or as a string
   * (a JS string cannot be wiped; avoid keeping secret keys in strings).
   * MALFORMED for a bad key, UNSUPPORTED_RECIPIENT for a plugin identity.
   */
  static parse(secretKey: Uint8Array | string): AgeIdentity {
    const m = mod();
    const k = checkBytesOrString(secretKey, 'secretKey');
    invoke(m, m._ageIdentityParse, [k]);
    return new AgeIdentity(m);
  }

  /**
   * A fresh identity from the platform CSPRNG: X25519 by default, or the
   * post-quantum hybrid with `{ type: 'mlkem768x25519' }`.
   */
  static generate(options: AgeGenerateOptions = {}): AgeIdentity {
    const m = mod();
    const o = readFields(options, 'options', ['type']);
    if (o.type !== undefined && o.type !== 'x25519' && o.type !== 'mlkem768x25519') {
      fail('INVALID_ARGUMENT', "options.type must be 'x25519' or 'mlkem768x25519'");
    }
    const code =
      o.type === 'mlkem768x25519' ? m._ageIdentityGenerateHybrid() : m._ageIdentityGenerate();
    if (code !== 0) throwCoreError(m, code);
    return new AgeIdentity(m);
  }

  /** A passphrase identity (scrypt); the passphrase is copied into wasm memory. */
  static passphrase(
    passphrase: Uint8Array,
    options: AgePassphraseIdentityOptions = {},
  ): AgeIdentity {
    const m = mod();
    const o = readFields(options, 'options', ['maxWorkFactor']);
    const p = checkBytes(passphrase, 'passphrase');
    const n = workFactor(o.maxWorkFactor, 'options.maxWorkFactor', 22);
    invoke(m, m._ageIdentityScrypt, [p, u32(n)]);
    return new AgeIdentity(m);
  }

  /** A medseal Identity's X25519 (kx) secret as an age identity (docs/spec/attachment.md). */
  static fromIdentity(identity: Identity): AgeIdentity {
    const m = mod();
    const h = identityHandle(identity, 'identity');
    invoke(m, m._ageIdentityFromIdentity, [u32(h)]);
    return new AgeIdentity(m);
  }

  /** 'x25519', 'mlkem768x25519' or 'scrypt'. */
  get type(): AgeKeyType {
    return AgeIdentity.#of(this, 'this').#type;
  }

  /** The matching recipient (INVALID_ARGUMENT for a passphrase). */
  recipient(): AgeRecipient {
    const m = mod();
    const h = identityHandleOf(this, 'identity');
    invoke(m, m._ageIdentityRecipient, [u32(h)]);
    return AgeRecipient.fromOutput(m);
  }

  /**
   * "AGE-SECRET-KEY-1..." / "AGE-SECRET-KEY-PQ-1..." as UTF-8 bytes (not for
   * a passphrase), for a keystore or a Worker. The caller must fill(0) the
   * returned array after use.
   */
  exportSecretKey(): Uint8Array {
    const m = mod();
    const h = identityHandleOf(this, 'identity');
    invoke(m, m._ageIdentityEncode, [u32(h)]);
    try {
      return outBytes(m, 0);
    } finally {
      release(m);
    }
  }

  /** True once dispose() has run. */
  get disposed(): boolean {
    return AgeIdentity.#of(this, 'this').#slot.disposed;
  }

  /** Wipes and frees the key in wasm memory. Idempotent. */
  dispose(): void {
    AgeIdentity.#of(this, 'this').#slot.dispose();
  }
}

export interface AgeIdentity {
  [Symbol.dispose](): void;
}

publicClass(AgeIdentity, 'AgeIdentity');

const words = (handles: number[]): Uint8Array => new Uint8Array(new Uint32Array(handles).buffer);

/** @internal The handles of a list of AgeRecipients (checked now). */
export function recipientHandles(list: unknown, what = 'recipients'): number[] {
  return readList(list, what, MAX_AGE_RECIPIENTS, 'AgeRecipients').map((r, i) =>
    recipientHandleOf(r, `${what}[${i}]`),
  );
}

/** @internal The handles of a list of AgeIdentities (checked now). */
export function identityHandles(list: unknown, what = 'identities'): number[] {
  return readList(list, what, MAX_AGE_IDENTITIES, 'AgeIdentities').map((x, i) =>
    identityHandleOf(x, `${what}[${i}]`),
  );
}

// ---------------------------------------------------------------------------
// One-shot

/**
 * Encrypts a whole file held in memory (up to 128 MiB per call; larger
 * files go through Encryptor or encryptStream). With `armor`, the result is
 * the ASCII-armored file's bytes (ASCII text).
 */
export function encryptFile(
  plaintext: Uint8Array,
  recipients: readonly AgeRecipient[],
  options: AgeEncryptOptions = {},
): Uint8Array {
  const m = mod();
  const o = readFields(options, 'options', ['armor']);
  const p = checkBytes(plaintext, 'plaintext');
  const handles = recipientHandles(recipients);
  if (o.armor !== undefined && typeof o.armor !== 'boolean') {
    fail('INVALID_ARGUMENT', 'options.armor must be a boolean');
  }
  invoke(m, m._ageEncrypt, [words(handles), p, u32(o.armor === true ? 1 : 0)]);
  try {
    return outBytes(m, 0);
  } finally {
    release(m);
  }
}

/**
 * Decrypts a whole age file, binary or ASCII-armored (detected; an armored
 * file may also be given as a string). The caller should fill(0) the
 * plaintext when done with it.
 */
export function decryptFile(
  file: Uint8Array | string,
  identities: readonly AgeIdentity[],
): Uint8Array {
  const m = mod();
  const f = checkBytesOrString(file, 'file');
  const handles = identityHandles(identities);
  invoke(m, m._ageDecrypt, [words(handles), f]);
  try {
    return outBytes(m, 0);
  } finally {
    release(m);
  }
}

/**
 * age's ASCII armor of a binary age file (PEM "AGE ENCRYPTED FILE", 64
 * columns, LF line endings). Files are public: so is their armor.
 */
export function armorEncode(file: Uint8Array): string {
  const m = mod();
  const f = checkBytes(file, 'file');
  invoke(m, m._ageArmorEncode, [f]);
  try {
    return outText(m, 0);
  } finally {
    release(m);
  }
}

/**
 * The binary age file inside an ASCII armor (strict, as age reads it: LF or
 * CRLF, whitespace only around the block). ARMOR_MALFORMED otherwise,
 * TOO_LARGE above 64 MiB.
 */
export function armorDecode(text: string | Uint8Array): Uint8Array {
  const m = mod();
  const t = checkBytesOrString(text, 'text');
  invoke(m, m._ageArmorDecode, [t]);
  try {
    return outBytes(m, 0);
  } finally {
    release(m);
  }
}

/** @internal True if the bytes start (after whitespace) with the armor's BEGIN line. */
export function looksArmored(prefix: Uint8Array): boolean {
  const m = mod();
  invoke(m, m._ageLooksArmored, [prefix]);
  return outWords(m, 1)[0] === 1;
}

// ---------------------------------------------------------------------------
// Incremental

const encryptorKind = handleKind((m) => m._ageEncryptorFree);
const decryptorKind = handleKind((m) => m._ageDecryptorFree);

// Push and finish: one call per piece of at most AGE_PIECE bytes, each
// piece's output handed to `sink` as soon as it exists.
function pushPieces(
  m: MedsealCoreModule,
  entry: (args: number) => number,
  handle: number,
  chunk: Uint8Array,
  sink: (out: Uint8Array) => void,
): void {
  const n = chunk.length;
  let at = 0;
  do {
    invoke(m, entry, [u32(handle), chunk.subarray(at, Math.min(n, at + AGE_PIECE))]);
    let out: Uint8Array;
    try {
      out = outBytes(m, 0);
    } finally {
      release(m);
    }
    if (out.length !== 0) sink(out);
    at += AGE_PIECE;
  } while (at < n);
}

// The decryptor's calls succeed and report the code beside what they
// released (wasm/bindings/age.cc PublishReleased): the plaintext goes to
// `sink` first, then the error is thrown.
function released(m: MedsealCoreModule, sink: (out: Uint8Array) => void): void {
  let out: Uint8Array;
  let code: number;
  let message: string;
  try {
    out = outBytes(m, 0);
    code = outNum(m);
    message = outText(m, 1);
  } finally {
    release(m);
  }
  if (out.length !== 0) sink(out);
  if (code !== 0) throw errorFromCore(code, message);
}

function decryptPieces(
  m: MedsealCoreModule,
  handle: number,
  chunk: Uint8Array,
  sink: (out: Uint8Array) => void,
): void {
  const n = chunk.length;
  let at = 0;
  do {
    invoke(m, m._ageDecryptorPush, [u32(handle), chunk.subarray(at, Math.min(n, at + AGE_PIECE))]);
    released(m, sink);
    at += AGE_PIECE;
  } while (at < n);
}

function finishCall(m: MedsealCoreModule, entry: (args: number) => number, h: number): Uint8Array {
  invoke(m, entry, [u32(h)]);
  try {
    return outBytes(m, 0);
  } finally {
    release(m);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
    p.fill(0);
  }
  return out;
}

/**
 * Encrypts a file of any size incrementally: push() plaintext, get the
 * age file's next bytes (the header on the first call, then every complete
 * 64 KiB chunk), finish() for the rest. Memory does not grow with the file.
 * finish() disposes it; call dispose() to abandon it.
 */
export class Encryptor {
  readonly #slot: HandleSlot;

  constructor(recipients: readonly AgeRecipient[]) {
    const m = mod();
    const handles = recipientHandles(recipients);
    invoke(m, m._ageEncryptorCreate, [words(handles)]);
    this.#slot = new HandleSlot(this, outNum(m), encryptorKind);
  }

  static #of(x: unknown): Encryptor {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be an Encryptor');
    return x;
  }

  /** @internal push() without concatenating: each piece's output to `sink`. */
  pushTo(chunk: Uint8Array, sink: (out: Uint8Array) => void): void {
    const m = mod();
    const h = Encryptor.#of(this).#slot.get('encryptor');
    pushPieces(m, m._ageEncryptorPush, h, checkBytes(chunk, 'chunk'), sink);
  }

  /** The file's next bytes (possibly empty). */
  push(chunk: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = [];
    Encryptor.prototype.pushTo.call(Encryptor.#of(this), chunk, (p) => parts.push(p));
    return parts.length === 0 ? new Uint8Array(0) : concat(parts);
  }

  /** The file's last bytes; disposes the encryptor. */
  finish(): Uint8Array {
    const m = mod();
    const slot = Encryptor.#of(this).#slot;
    try {
      return finishCall(m, m._ageEncryptorFinish, slot.get('encryptor'));
    } finally {
      slot.dispose();
    }
  }

  /** True once finish() or dispose() has run. */
  get disposed(): boolean {
    return Encryptor.#of(this).#slot.disposed;
  }

  /** Wipes and frees the encryptor's state. Idempotent. */
  dispose(): void {
    Encryptor.#of(this).#slot.dispose();
  }
}

export interface Encryptor {
  [Symbol.dispose](): void;
}

publicClass(Encryptor, 'Encryptor');

/**
 * Decrypts a binary age file incrementally: push() the file's bytes, get
 * the plaintext of every chunk that authenticated; finish() at the end of
 * the file (TRUNCATED if it ended early). No plaintext of a chunk that does
 * not authenticate is ever returned. When a chunk fails (DECRYPT_FAILED,
 * ...), the push() that reached it returns the plaintext of the chunks
 * before it that authenticated, if any, and throws otherwise; every later
 * call throws the error. An armored file goes through decryptFile or
 * decryptStream (or armorDecode first).
 */
export class Decryptor {
  readonly #slot: HandleSlot;

  constructor(identities: readonly AgeIdentity[]) {
    const m = mod();
    const handles = identityHandles(identities);
    invoke(m, m._ageDecryptorCreate, [words(handles)]);
    this.#slot = new HandleSlot(this, outNum(m), decryptorKind);
  }

  static #of(x: unknown): Decryptor {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be a Decryptor');
    return x;
  }

  /**
   * @internal push() without concatenating: each piece's plaintext to
   * `sink`, including what authenticated before an error, then the error.
   */
  pushTo(chunk: Uint8Array, sink: (out: Uint8Array) => void): void {
    const m = mod();
    const h = Decryptor.#of(this).#slot.get('decryptor');
    decryptPieces(m, h, checkBytes(chunk, 'chunk'), sink);
  }

  /** @internal finish() to `sink`: what authenticated, then the error if any; disposes. */
  finishTo(sink: (out: Uint8Array) => void): void {
    const m = mod();
    const slot = Decryptor.#of(this).#slot;
    try {
      invoke(m, m._ageDecryptorFinish, [u32(slot.get('decryptor'))]);
      released(m, sink);
    } finally {
      slot.dispose();
    }
  }

  /** Authenticated plaintext (possibly empty). */
  push(chunk: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = [];
    try {
      Decryptor.prototype.pushTo.call(Decryptor.#of(this), chunk, (p) => parts.push(p));
    } catch (e) {
      // What authenticated before the error is released; the error sticks
      // and the next call throws it.
      if (parts.length === 0) throw e;
    }
    return parts.length === 0 ? new Uint8Array(0) : concat(parts);
  }

  /**
   * The last plaintext; disposes the decryptor. If the file does not end
   * properly it throws, and what that call authenticated is dropped (a
   * stream, decryptStream, passes it on before the error).
   */
  finish(): Uint8Array {
    let out: Uint8Array | undefined;
    try {
      Decryptor.prototype.finishTo.call(Decryptor.#of(this), (p) => (out = p));
    } catch (e) {
      out?.fill(0);
      throw e;
    }
    return out ?? new Uint8Array(0);
  }

  /** True once finish() or dispose() has run. */
  get disposed(): boolean {
    return Decryptor.#of(this).#slot.disposed;
  }

  /** Wipes and frees the decryptor's state. Idempotent. */
  dispose(): void {
    Decryptor.#of(this).#slot.dispose();
  }
}

export interface Decryptor {
  [Symbol.dispose](): void;
}

publicClass(Decryptor, 'Decryptor');

// ---------------------------------------------------------------------------
// Random access

const fileKind = handleKind((m) => m._ageRandomAccessFree);

function isBlob(x: unknown): x is Blob {
  return typeof Blob === 'function' && x instanceof Blob;
}

function byteCount(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
    fail('INVALID_ARGUMENT', `${what} must be a non-negative integer`);
  }
  return x;
}

/**
 * Decrypts the plaintext bytes [offset, offset + length) of an age file
 * without decrypting what precedes them: it reads the header, then only the
 * 64 KiB chunks that hold the range (Blob.slice for a Blob or File). The
 * chunks read are authenticated at their position. INVALID_ARGUMENT if the
 * range is not inside the plaintext.
 */
export async function decryptRange(
  file: Blob | Uint8Array,
  identities: readonly AgeIdentity[],
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const blob = isBlob(file) ? file : undefined;
  const bytes = blob === undefined ? checkBytes(file, 'file') : undefined;
  identityHandles(identities); // checked before any read
  const start = byteCount(offset, 'offset');
  const count = byteCount(length, 'length');
  const size = blob !== undefined ? blob.size : bytes!.length;
  const read = async (from: number, to: number): Promise<Uint8Array> =>
    blob !== undefined
      ? new Uint8Array(await blob.slice(from, to).arrayBuffer())
      : bytes!.subarray(from, to);

  const m = mod();
  // The header is usually a few hundred bytes: read 4 KiB, more if asked.
  let want = Math.min(size, 4096);
  let handle = 0;
  for (;;) {
    const prefix = await read(0, want);
    const args = [words(identityHandles(identities)), prefix, f64(size)];
    let code: number;
    try {
      code = m._ageRandomAccessOpen(stage(m, args));
    } finally {
      unstage(m);
    }
    if (code === 0) {
      handle = outNum(m);
      break;
    }
    if (code !== ErrorCode.TRUNCATED || want >= Math.min(size, MAX_PREFIX)) throwCoreError(m, code);
    want = Math.min(size, MAX_PREFIX, want * 4);
  }
  const slot = new HandleSlot({}, handle, fileKind);
  try {
    invoke(m, m._ageRandomAccessLocate, [u32(handle), f64(start), f64(count)]);
    const span = outWords(m, 0);
    const from = span[0]! + span[1]! * 2 ** 32;
    const to = from + span[2]! + span[3]! * 2 ** 32;
    const ciphertext = await read(from, to);
    invoke(m, m._ageRandomAccessRead, [u32(slot.get('file')), f64(start), f64(count), ciphertext]);
    try {
      return outBytes(m, 0);
    } finally {
      release(m);
    }
  } finally {
    slot.dispose();
  }
}

/**
 * The size of the WebAssembly memory in bytes right now (it grows, never
 * shrinks): for checking that streaming keeps the heap small.
 */
export function wasmMemoryBytes(): number {
  return mod().HEAPU8.buffer.byteLength;
}

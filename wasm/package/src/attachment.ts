// SPDX-License-Identifier: Apache-2.0
// medseal attachments (docs/spec/attachment.md; wasm/bindings/attachment.cc,
// core/attachment/): a plain age v1 file encrypted to the recipients'
// cards, plus a detached signature object by the sender over the age
// header, the file's SHA-256 and the metadata (media type, name, size,
// creation time). The signature object names the file: send it sealed
// (sealAttachmentSignature), never in clear.
//
//   ageRecipientForCard      a card's kx key as "age1..." (any age tool encrypts to it)
//   encryptAttachment / decryptAttachment     one-shot, in memory
//   AttachmentWriter / AttachmentReader       incremental, constant memory
//   signAttachment / verifyAttachment / parseAttachmentSignature
//   sealAttachmentSignature / openAttachmentSignature   the object in a sealed record v2
import {
  checkBytes,
  checkBytesOrString,
  checkMillis,
  checkString,
  fail,
  isObject,
  millisOrNow,
  readFields,
  readList,
} from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { handleKind, HandleSlot, publicClass } from './handles.js';
import { f64, invoke, outBytes, outNum, outText, release, u32 } from './heap.js';
import { identityHandle, type Identity } from './identity.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';
import { MAX_CONSENT_HASHES, MAX_PURPOSES, MAX_RECIPIENTS, type RecordPurpose } from './record.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 card (u32); slot 0 = "age1...". */
    _attachmentRecipientForCard(args: number): number;
    /** 0 sender (u32), 1 header, 2 file SHA-256, 3 metadata JSON; slot 0 = signature. */
    _attachmentSign(args: number): number;
    /** 0 signature; slot 0 = its JCS form. */
    _attachmentParse(args: number): number;
    /** 0 signature, 1 sender card (u32), 2 header, 3 file SHA-256; slot 0 = JCS form. */
    _attachmentVerify(args: number): number;
    /** 0 sender (u32), 1 cards (handles), 2 plaintext, 3 metadata JSON; slot 0 file, 1 signature. */
    _attachmentEncrypt(args: number): number;
    /** 0 recipient, 1 sender card (u32), 2 file, 3 signature; slot 0 = plaintext view. */
    _attachmentDecrypt(args: number): number;
    /** 0 sender (u32), 1 cards (handles), 2 metadata JSON; num = handle, slot 0 = header. */
    _attachmentWriterCreate(args: number): number;
    /** 0 writer (u32), 1 plaintext; slot 0 = file bytes. */
    _attachmentWriterPush(args: number): number;
    /** 0 writer (u32); slot 0 = last file bytes, slot 1 = signature. */
    _attachmentWriterFinish(args: number): number;
    /** 0 writer (u32). */
    _attachmentWriterFree(args: number): number;
    /** 0 recipient, 1 sender card (u32), 2 signature; num = handle, slot 0 = JCS form. */
    _attachmentReaderCreate(args: number): number;
    /** 0 reader (u32), 1 file bytes; slot 0 = plaintext view. */
    _attachmentReaderPush(args: number): number;
    /** 0 reader (u32); slot 0 = plaintext view. */
    _attachmentReaderFinish(args: number): number;
    /** 0 reader (u32). */
    _attachmentReaderFree(args: number): number;
    /** 0 sender, 1 cards, 2 signature, 3 record id, 4 context JSON, 5 encoding, 6 now. */
    _attachmentSealSignature(args: number): number;
    /** 0 recipient, 1 sender card, 2 sealed, 3 encoding, 4 system, 5 code; slot 0 = signature. */
    _attachmentOpenSignature(args: number): number;
  }
}

/** @internal Bytes per push into wasm: 16 age chunks, so that the heap stays small. */
export const ATTACHMENT_PIECE = 1024 * 1024;

/** What the signature object says about the file (docs/spec/attachment.md §2.1). */
export interface AttachmentMetadata {
  /** RFC 6838 "type/subtype", lower case, no parameters (e.g. "application/pdf"). */
  mediaType: string;
  /** The file's name, 0..255 UTF-8 bytes, no path ("/" or "\"), no control character. */
  name: string;
  /** Plaintext bytes. */
  size: number;
  /** ms since the epoch, from the sender's clock. */
  created: number;
}

/** Metadata as a caller gives it: `name` defaults to "", `created` to Date.now(). */
export interface AttachmentMetadataInput {
  mediaType: string;
  name?: string;
  /** Plaintext bytes (the one-shot functions take it from the plaintext). */
  size?: number;
  created?: number;
}

/** A parsed (and, where said, verified) signature object. */
export interface AttachmentSignatureInfo extends AttachmentMetadata {
  /** The sender card's key id, base64url. */
  senderKeyId: string;
  /** SHA-256 of the age header (32 bytes). */
  headerSha256: Uint8Array;
  /** SHA-256 of the whole age file (32 bytes). */
  fileSha256: Uint8Array;
  /** The object's JCS text (what medseal writes). */
  json: string;
}

export interface EncryptedAttachment {
  /** The age file (binary); any age tool opens it with a recipient's identity. */
  file: Uint8Array;
  /** The signature object (JSON text). Confidential: seal it (sealAttachmentSignature). */
  signature: string;
}

export interface SealAttachmentSignatureOptions {
  /** The purposes of use bound into the record (1..16). */
  purposes: readonly RecordPurpose[];
  /** The 32-byte hashes of the deciding consents (0..64). */
  consentHashes?: readonly Uint8Array[];
  /** 0..64 printable ASCII characters without space, e.g. the attachment's id on the server. */
  recordId?: string;
  /** 'binary' (the default: a Uint8Array) or 'json' (a string). */
  encoding?: 'binary' | 'json';
  /** ms since the epoch; default Date.now(). */
  now?: number;
}

const BINARY = 0;
const JSON_TEXT = 1;

const words = (handles: number[]): Uint8Array => new Uint8Array(new Uint32Array(handles).buffer);

const b64u = (text: string): Uint8Array => {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

const hexOf = (b: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < b.length; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out;
};

/** The fields of a signature object core wrote (slot `slot`: its JCS text). */
function infoOf(m: MedsealCoreModule, slot: number): AttachmentSignatureInfo {
  const json = outText(m, slot);
  const o = JSON.parse(json) as Record<string, string | number>;
  return {
    senderKeyId: o.sender as string,
    headerSha256: b64u(o.headerSha256 as string),
    fileSha256: b64u(o.fileSha256 as string),
    mediaType: o.mediaType as string,
    name: o.name as string,
    size: o.size as number,
    created: o.created as number,
    json,
  };
}

function byteCount(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
    fail('INVALID_ARGUMENT', `${what} must be a non-negative integer`);
  }
  return x;
}

/** Reads a metadata argument once; `size` from the caller or `sizeOf`. */
function metadataJson(x: unknown, what: string, sizeOf?: number): string {
  const o = readFields(x, what, ['mediaType', 'name', 'size', 'created']);
  const mediaType = checkString(o.mediaType, `${what}.mediaType`);
  const name = o.name === undefined ? '' : checkString(o.name, `${what}.name`);
  const size =
    sizeOf !== undefined && o.size === undefined ? sizeOf : byteCount(o.size, `${what}.size`);
  const created = millisOrNow(o.created, `${what}.created`);
  return JSON.stringify({ mediaType, name, size, created });
}

function cardList(x: unknown, what: string): CardInput[] {
  return readList(x, what, MAX_RECIPIENTS, 'cards').map((c, i) => checkCard(c, `${what}[${i}]`));
}

function takeBytes(m: MedsealCoreModule, slot: number): Uint8Array {
  try {
    return outBytes(m, slot);
  } finally {
    release(m);
  }
}

// Pushes `chunk` in pieces of at most ATTACHMENT_PIECE bytes, each piece's
// output to `sink` as soon as it exists.
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
    invoke(m, entry, [u32(handle), chunk.subarray(at, Math.min(n, at + ATTACHMENT_PIECE))]);
    const out = takeBytes(m, 0);
    if (out.length !== 0) sink(out);
    at += ATTACHMENT_PIECE;
  } while (at < n);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 0) return new Uint8Array(0);
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

// ---------------------------------------------------------------------------
// Keys and the signature object

/**
 * A card's key-agreement (kx, X25519) key as an age recipient, "age1..."
 * (docs/spec/attachment.md §1.1). A file any age tool encrypts to it opens
 * with the card holder's medseal Identity.
 */
export function ageRecipientForCard(card: CardInput): string {
  const m = mod();
  const c = checkCard(card, 'card');
  return withCards(
    m,
    [c],
    () => 'card',
    ([h]) => {
      invoke(m, m._attachmentRecipientForCard, [u32(h!)]);
      return outText(m, 0);
    },
  );
}

/**
 * Signs an age file as `sender`: `ageHeader` is exactly the file's header
 * bytes, `fileSha256` the SHA-256 of the whole file. Returns the signature
 * object's JSON text (deterministic). AttachmentWriter and
 * encryptAttachment sign for you; this is for files another tool wrote.
 */
export function signAttachment(
  sender: Identity,
  ageHeader: Uint8Array,
  fileSha256: Uint8Array,
  metadata: AttachmentMetadataInput,
): string {
  const m = mod();
  const meta = metadataJson(metadata, 'metadata');
  const h = identityHandle(sender, 'sender');
  const header = checkBytes(ageHeader, 'ageHeader');
  const hash = checkBytes(fileSha256, 'fileSha256');
  invoke(m, m._attachmentSign, [u32(h), header, hash, meta]);
  return outText(m, 0);
}

/** Parses a signature object without verifying it (docs/spec/attachment.md §2.3). */
export function parseAttachmentSignature(signature: string | Uint8Array): AttachmentSignatureInfo {
  const m = mod();
  const s = checkBytesOrString(signature, 'signature');
  invoke(m, m._attachmentParse, [s]);
  return infoOf(m, 0);
}

/**
 * Verifies a signature object against the sender's card, the file's age
 * header and its SHA-256 (docs/spec/attachment.md §4): SENDER_MISMATCH,
 * SIGNATURE_INVALID, or the parser's codes.
 */
export function verifyAttachment(
  signature: string | Uint8Array,
  senderCard: CardInput,
  ageHeader: Uint8Array,
  fileSha256: Uint8Array,
): AttachmentSignatureInfo {
  const m = mod();
  const s = checkBytesOrString(signature, 'signature');
  const card = checkCard(senderCard, 'senderCard');
  const header = checkBytes(ageHeader, 'ageHeader');
  const hash = checkBytes(fileSha256, 'fileSha256');
  return withCards(
    m,
    [card],
    () => 'senderCard',
    ([c]) => {
      invoke(m, m._attachmentVerify, [s, u32(c!), header, hash]);
      return infoOf(m, 0);
    },
  );
}

// ---------------------------------------------------------------------------
// One-shot

/**
 * Encrypts a file held in memory (up to 128 MiB per call) from `sender` to
 * the `recipients`' cards (1..64) and signs it. `metadata.size` is the
 * plaintext's length.
 */
export function encryptAttachment(
  sender: Identity,
  recipients: readonly CardInput[],
  plaintext: Uint8Array,
  metadata: AttachmentMetadataInput,
): EncryptedAttachment {
  const m = mod();
  const cards = cardList(recipients, 'recipients');
  const p = checkBytes(plaintext, 'plaintext');
  const meta = metadataJson(metadata, 'metadata', p.length);
  const h = identityHandle(sender, 'sender');
  return withCards(
    m,
    cards,
    (i) => `recipients[${i}]`,
    (handles) => {
      invoke(m, m._attachmentEncrypt, [u32(h), words(handles), p, meta]);
      return { file: outBytes(m, 0), signature: outText(m, 1) };
    },
  );
}

/**
 * Decrypts an attachment held in memory and verifies everything (the
 * sender's signature, the header, the file hash, the size) before
 * returning any plaintext. The caller should fill(0) the plaintext when done.
 */
export function decryptAttachment(
  recipient: Identity,
  senderCard: CardInput,
  file: Uint8Array,
  signature: string | Uint8Array,
): Uint8Array {
  const m = mod();
  const h = identityHandle(recipient, 'recipient');
  const card = checkCard(senderCard, 'senderCard');
  const f = checkBytes(file, 'file');
  const s = checkBytesOrString(signature, 'signature');
  return withCards(
    m,
    [card],
    () => 'senderCard',
    ([c]) => {
      invoke(m, m._attachmentDecrypt, [u32(h), u32(c!), f, s]);
      return takeBytes(m, 0);
    },
  );
}

// ---------------------------------------------------------------------------
// Incremental

const writerKind = handleKind((mm) => mm._attachmentWriterFree);
const readerKind = handleKind((mm) => mm._attachmentReaderFree);

/**
 * Encrypts an attachment of any size incrementally, in constant memory:
 * push() plaintext and get the age file's next bytes (the header first,
 * then each complete 64 KiB chunk), finish() for the last bytes and the
 * signature object. The bytes pushed must add up to `metadata.size`.
 * finish() disposes it; dispose() abandons it.
 */
export class AttachmentWriter {
  readonly #slot: HandleSlot;
  readonly #header: Uint8Array;

  constructor(
    sender: Identity,
    recipients: readonly CardInput[],
    metadata: AttachmentMetadataInput,
  ) {
    const m = mod();
    const cards = cardList(recipients, 'recipients');
    const meta = metadataJson(metadata, 'metadata');
    const h = identityHandle(sender, 'sender');
    const [handle, header] = withCards(
      m,
      cards,
      (i) => `recipients[${i}]`,
      (handles): [number, Uint8Array] => {
        invoke(m, m._attachmentWriterCreate, [u32(h), words(handles), meta]);
        return [outNum(m), outBytes(m, 0)];
      },
    );
    this.#header = header;
    this.#slot = new HandleSlot(this, handle, writerKind);
  }

  static #of(x: unknown): AttachmentWriter {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be an AttachmentWriter');
    return x;
  }

  /** The age header (a copy): the first bytes of the file. */
  get header(): Uint8Array {
    return AttachmentWriter.#of(this).#header.slice();
  }

  /** @internal push() without concatenating: each piece's output to `sink`. */
  pushTo(chunk: Uint8Array, sink: (out: Uint8Array) => void): void {
    const m = mod();
    const h = AttachmentWriter.#of(this).#slot.get('writer');
    pushPieces(m, m._attachmentWriterPush, h, checkBytes(chunk, 'chunk'), sink);
  }

  /** The file's next bytes (possibly empty). */
  push(chunk: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = [];
    this.pushTo(chunk, (p) => parts.push(p));
    return concat(parts);
  }

  /** The file's last bytes and the signature object; disposes the writer. */
  finish(): EncryptedAttachment {
    const m = mod();
    const slot = AttachmentWriter.#of(this).#slot;
    try {
      invoke(m, m._attachmentWriterFinish, [u32(slot.get('writer'))]);
      return { file: outBytes(m, 0), signature: outText(m, 1) };
    } finally {
      slot.dispose();
    }
  }

  /** True once finish() or dispose() has run. */
  get disposed(): boolean {
    return AttachmentWriter.#of(this).#slot.disposed;
  }

  /** Wipes and frees the writer's state. Idempotent. */
  dispose(): void {
    AttachmentWriter.#of(this).#slot.dispose();
  }
}

export interface AttachmentWriter {
  [Symbol.dispose](): void;
}

publicClass(AttachmentWriter, 'AttachmentWriter');

/**
 * Decrypts and verifies an attachment incrementally (docs/spec/attachment.md
 * §6). The signature object is checked against the sender's card when the
 * reader is made; the age header is checked against it before any key is
 * tried; push() returns the plaintext of every 64 KiB chunk that
 * authenticated. That plaintext is NOT yet proven to come from the sender
 * (another recipient of the same file could have written it): only when
 * finish() returns (file hash and size checked, the last chunk released)
 * is the whole attachment the sender's. On a throw from finish(), discard
 * what push() returned. finish() disposes the reader.
 */
export class AttachmentReader {
  readonly #slot: HandleSlot;
  readonly #signature: AttachmentSignatureInfo;

  constructor(recipient: Identity, senderCard: CardInput, signature: string | Uint8Array) {
    const m = mod();
    const h = identityHandle(recipient, 'recipient');
    const card = checkCard(senderCard, 'senderCard');
    const s = checkBytesOrString(signature, 'signature');
    const [handle, info] = withCards(
      m,
      [card],
      () => 'senderCard',
      ([c]): [number, AttachmentSignatureInfo] => {
        invoke(m, m._attachmentReaderCreate, [u32(h), u32(c!), s]);
        return [outNum(m), infoOf(m, 0)];
      },
    );
    this.#signature = info;
    this.#slot = new HandleSlot(this, handle, readerKind);
  }

  static #of(x: unknown): AttachmentReader {
    if (!isObject(x) || !(#slot in x)) fail('INVALID_ARGUMENT', 'this must be an AttachmentReader');
    return x;
  }

  /** The signature object (verified against the sender's card). */
  get signature(): AttachmentSignatureInfo {
    const s = AttachmentReader.#of(this).#signature;
    return { ...s, headerSha256: s.headerSha256.slice(), fileSha256: s.fileSha256.slice() };
  }

  /** @internal push() without concatenating: each piece's plaintext to `sink`. */
  pushTo(chunk: Uint8Array, sink: (out: Uint8Array) => void): void {
    const m = mod();
    const h = AttachmentReader.#of(this).#slot.get('reader');
    pushPieces(m, m._attachmentReaderPush, h, checkBytes(chunk, 'chunk'), sink);
  }

  /** Authenticated plaintext (possibly empty); sender not yet verified. */
  push(chunk: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = [];
    try {
      this.pushTo(chunk, (p) => parts.push(p));
    } catch (e) {
      for (const p of parts) p.fill(0);
      throw e;
    }
    return concat(parts);
  }

  /** The last plaintext, once the whole file is the signed one; disposes the reader. */
  finish(): Uint8Array {
    const m = mod();
    const slot = AttachmentReader.#of(this).#slot;
    try {
      invoke(m, m._attachmentReaderFinish, [u32(slot.get('reader'))]);
      return takeBytes(m, 0);
    } finally {
      slot.dispose();
    }
  }

  /** True once finish() or dispose() has run. */
  get disposed(): boolean {
    return AttachmentReader.#of(this).#slot.disposed;
  }

  /** Wipes and frees the reader's state. Idempotent. */
  dispose(): void {
    AttachmentReader.#of(this).#slot.dispose();
  }
}

export interface AttachmentReader {
  [Symbol.dispose](): void;
}

publicClass(AttachmentReader, 'AttachmentReader');

// ---------------------------------------------------------------------------
// The signature object in a sealed record v2

function readPurpose(x: unknown, what: string): RecordPurpose {
  const p = readFields(x, what, ['system', 'code']);
  return {
    system: checkString(p.system, `${what}.system`),
    code: checkString(p.code, `${what}.code`),
  };
}

/**
 * Seals a signature object in a sealed record v2 from `sender` to the same
 * cards the file was encrypted to (docs/spec/attachment.md §5), binding
 * the purposes and consent hashes. Returns bytes (binary, the default) or
 * JSON text.
 */
export function sealAttachmentSignature(
  sender: Identity,
  recipients: readonly CardInput[],
  signature: string | Uint8Array,
  options: SealAttachmentSignatureOptions,
): Uint8Array | string {
  const m = mod();
  const cards = cardList(recipients, 'recipients');
  const o = readFields(options, 'options', [
    'purposes',
    'consentHashes',
    'recordId',
    'encoding',
    'now',
  ]);
  const purposes = readList(o.purposes, 'options.purposes', MAX_PURPOSES, 'purposes').map((x, i) =>
    readPurpose(x, `options.purposes[${i}]`),
  );
  const hashes = (
    o.consentHashes === undefined
      ? []
      : readList(o.consentHashes, 'options.consentHashes', MAX_CONSENT_HASHES, 'consent hashes')
  ).map((x, i) => hexOf(checkBytes(x, `options.consentHashes[${i}]`)));
  const recordId = o.recordId === undefined ? '' : checkString(o.recordId, 'options.recordId');
  const encoding =
    o.encoding === undefined || o.encoding === 'binary'
      ? BINARY
      : o.encoding === 'json'
        ? JSON_TEXT
        : fail('INVALID_ARGUMENT', "options.encoding must be 'binary' or 'json'");
  const now = o.now === undefined ? Date.now() : checkMillis(o.now, 'options.now');
  const s = checkBytesOrString(signature, 'signature');
  const h = identityHandle(sender, 'sender');
  const context = JSON.stringify({ purposes, consentHashes: hashes });
  return withCards(
    m,
    cards,
    (i) => `recipients[${i}]`,
    (handles) => {
      invoke(m, m._attachmentSealSignature, [
        u32(h),
        words(handles),
        s,
        recordId,
        context,
        u32(encoding),
        f64(now),
      ]);
      return encoding === JSON_TEXT ? outText(m, 0) : outBytes(m, 0);
    },
  );
}

/**
 * Opens a record sealed by sealAttachmentSignature for `options.purpose`
 * and returns the signature object's JSON text, already checked against
 * `senderCard` (SENDER_MISMATCH if the object is another sender's).
 */
export function openAttachmentSignature(
  recipient: Identity,
  senderCard: CardInput,
  sealed: Uint8Array | string,
  options: { purpose: RecordPurpose },
): string {
  const m = mod();
  const o = readFields(options, 'options', ['purpose']);
  const purpose = readPurpose(o.purpose, 'options.purpose');
  const h = identityHandle(recipient, 'recipient');
  const card = checkCard(senderCard, 'senderCard');
  const s = checkBytesOrString(sealed, 'sealed');
  const encoding = typeof s === 'string' ? JSON_TEXT : BINARY;
  return withCards(
    m,
    [card],
    () => 'senderCard',
    ([c]) => {
      invoke(m, m._attachmentOpenSignature, [
        u32(h),
        u32(c!),
        s,
        u32(encoding),
        purpose.system,
        purpose.code,
      ]);
      return outText(m, 0);
    },
  );
}

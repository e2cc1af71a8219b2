// SPDX-License-Identifier: Apache-2.0
// A second, independent implementation of issue #11's log formats written only
// from the spec texts (docs/spec/log.md §2-§3, log.md §6-§7,
// log.md §10), not
// from core/log/. Primitives: node:crypto SHA-256, libsodium (BLAKE2b, Ed25519), canonicalize (JCS). Every MUST-reject rule
// throws a SpecError carrying the code NAME and the rule id of the spec.
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import sodium from 'libsodium-wrappers';
import * as rec from './spec_impl.mjs';
import { SpecError } from './spec_impl.mjs';

export const ready = sodium.ready;

export { SpecError };
const fail = (code, rule, msg) => {
  throw new SpecError(code, rule, msg);
};

export const hex = (b) => Buffer.from(b).toString('hex');
export const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const sha256 = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const eq = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

// ---- §2.1 hashes --------------------------------------------------------
export const leafHash = (d) => sha256(Uint8Array.of(0), d);
export const nodeHash = (l, r) => sha256(Uint8Array.of(1), l, r);
export const emptyRoot = () => sha256(new Uint8Array(0));

// k = the largest power of two smaller than n (n > 1).
const split = (n) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

// MTH over leaves [lo, hi) given sub(h, i) = complete subtree at level h, index i.
// A range that is itself a complete subtree is asked for as one (so tiles are read
// for it, §3.4); otherwise it is split as RFC 9162 does.
function mthRange(sub, lo, hi) {
  const n = hi - lo;
  if ((n & (n - 1)) === 0 && lo % n === 0) return sub(Math.log2(n), lo / n);
  const k = split(n);
  return nodeHash(mthRange(sub, lo, lo + k), mthRange(sub, lo + k, hi));
}

// §2.2 PATH(m, D[lo:hi]).
function pathRange(sub, m, lo, hi) {
  const n = hi - lo;
  if (n === 1) return [];
  const k = split(n);
  if (m < k) return [...pathRange(sub, m, lo, lo + k), mthRange(sub, lo + k, hi)];
  return [...pathRange(sub, m - k, lo + k, hi), mthRange(sub, lo, lo + k)];
}

// §2.2 SUBPROOF(m, D[lo:hi], b).
function subproof(sub, m, lo, hi, b) {
  const n = hi - lo;
  if (m === n) return b ? [] : [mthRange(sub, lo, hi)];
  const k = split(n);
  if (m <= k) return [...subproof(sub, m, lo, lo + k, b), mthRange(sub, lo + k, hi)];
  return [...subproof(sub, m - k, lo + k, hi, false), mthRange(sub, lo, lo + k)];
}

// A subtree source over an array of leaf hashes.
export function leavesSource(leafHashes) {
  const memo = new Map();
  const sub = (h, i) => {
    if (h === 0) return leafHashes[i];
    const key = `${h}/${i}`;
    if (!memo.has(key)) memo.set(key, nodeHash(sub(h - 1, 2 * i), sub(h - 1, 2 * i + 1)));
    return memo.get(key);
  };
  return sub;
}

export const root = (sub, n) => (n === 0 ? emptyRoot() : mthRange(sub, 0, n));
export function inclusionProof(sub, m, n) {
  if (m >= n) fail('INVALID_ARGUMENT', '§2.2', 'index >= size');
  return pathRange(sub, m, 0, n);
}
export function consistencyProof(sub, m, n) {
  if (m === 0 || m > n) fail('INVALID_ARGUMENT', '§2.2', 'bad sizes');
  return m === n ? [] : subproof(sub, m, 0, n, true);
}

// ---- §2.3 verification ----------------------------------------------------
// Sizes and indexes are BigInt here (the probes use uint64 values).
const bitLength = (x) => {
  let n = 0;
  while (x > 0n) {
    x >>= 1n;
    n++;
  }
  return n;
};
const popcount = (x) => {
  let n = 0;
  while (x > 0n) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
};
const innerOf = (i, n) => bitLength(i ^ (n - 1n));
const borderOf = (i, n) => popcount(i >> BigInt(innerOf(i, n)));
const trailingZeros = (x) => {
  let n = 0;
  while (x > 0n && (x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
};
function chainInner(seed, P, i) {
  P.forEach((p, j) => {
    seed = ((i >> BigInt(j)) & 1n) === 0n ? nodeHash(seed, p) : nodeHash(p, seed);
  });
  return seed;
}
function chainInnerRight(seed, P, i) {
  P.forEach((p, j) => {
    if (((i >> BigInt(j)) & 1n) === 1n) seed = nodeHash(p, seed);
  });
  return seed;
}
const chainBorderRight = (seed, P) => P.reduce((s, p) => nodeHash(p, s), seed);

export function rootFromInclusionProof(index, size, leaf, proof) {
  index = BigInt(index);
  size = BigInt(size);
  if (index >= size) fail('INVALID_ARGUMENT', 'MI2', 'index >= size');
  if (leaf.length !== 32) fail('INVALID_ARGUMENT', 'MI3', 'leaf hash not 32 bytes');
  const inner = innerOf(index, size);
  const border = borderOf(index, size);
  if (proof.length !== inner + border) fail('PROOF_INVALID', 'MI4', 'proof length');
  if (proof.some((p) => p.length !== 32)) fail('PROOF_INVALID', 'MI5', 'hash not 32 bytes');
  return chainBorderRight(chainInner(leaf, proof.slice(0, inner), index), proof.slice(inner));
}

export function verifyInclusion(index, size, leaf, proof, rootHash) {
  if (rootHash.length !== 32) fail('INVALID_ARGUMENT', 'MI1', 'root not 32 bytes');
  const got = rootFromInclusionProof(index, size, leaf, proof);
  if (!eq(got, rootHash)) fail('PROOF_INVALID', 'MI6', 'root mismatch');
}

export function verifyConsistency(size1, size2, root1, root2, proof) {
  size1 = BigInt(size1);
  size2 = BigInt(size2);
  if (size1 > size2) fail('INVALID_ARGUMENT', 'MC1', 'size1 > size2');
  if (size1 === 0n) fail('PROOF_INVALID', 'MC2', 'size1 = 0');
  if (size1 === size2) {
    if (proof.length !== 0) fail('PROOF_INVALID', 'MC3', 'proof not empty');
    if (!eq(root1, root2)) fail('PROOF_INVALID', 'MC4', 'roots differ');
    return;
  }
  if (root1.length !== 32 || root2.length !== 32)
    fail('INVALID_ARGUMENT', 'MC5', 'root not 32 bytes');
  if (proof.length === 0) fail('PROOF_INVALID', 'MC6', 'empty proof');
  if (proof.some((p) => p.length !== 32)) fail('PROOF_INVALID', 'MC7', 'hash not 32 bytes');
  const inner = innerOf(size1 - 1n, size2);
  const border = borderOf(size1 - 1n, size2);
  const shift = trailingZeros(size1);
  const innerP = inner - shift;
  const start = size1 === 1n << BigInt(shift) ? 0 : 1;
  if (proof.length !== start + innerP + border) fail('PROOF_INVALID', 'MC8', 'proof length');
  const seed = start === 0 ? root1 : proof[0];
  const P = proof.slice(start);
  const mask = (size1 - 1n) >> BigInt(shift);
  const r1 = chainBorderRight(chainInnerRight(seed, P.slice(0, innerP), mask), P.slice(innerP));
  if (!eq(r1, root1)) fail('PROOF_INVALID', 'MC9', 'root1 mismatch');
  const r2 = chainBorderRight(chainInner(seed, P.slice(0, innerP), mask), P.slice(innerP));
  if (!eq(r2, root2)) fail('PROOF_INVALID', 'MC10', 'root2 mismatch');
}

// ---- §2.4 proof bytes -----------------------------------------------------
export function parseProof(bytes) {
  if (bytes.length > 2048) fail('TOO_LARGE', 'MP1', 'proof too large');
  if (bytes.length % 32 !== 0) fail('MALFORMED', 'MP2', 'not a multiple of 32');
  const out = [];
  for (let i = 0; i < bytes.length; i += 32) out.push(bytes.slice(i, i + 32));
  return out;
}
export const serializeProof = (hashes) => Buffer.concat(hashes.map((h) => Buffer.from(h)));

// ---- §3.2 tile paths --------------------------------------------------------
const pad3 = (n) => String(n).padStart(3, '0');
export function tilePath({ level, index, width, entries }) {
  let i = BigInt(index);
  const groups = [];
  do {
    groups.unshift(pad3(i % 1000n));
    i /= 1000n;
  } while (i > 0n);
  const idx = groups.map((g, j) => (j < groups.length - 1 ? `x${g}` : g)).join('/');
  const suffix = width === 256 ? '' : `.p/${width}`;
  return `tile/${entries ? 'entries' : level}/${idx}${suffix}`;
}

const LEVEL = /^(?:[0-9]|[1-5][0-9]|6[0-3])$/;
const WIDTH = /^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;
// §3.2: the ABNF. Every failure is MALFORMED; the rule id names the first one met.
export function parseTilePath(p) {
  const parts = p.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) fail('MALFORMED', 'TP1', 'not tile/…');
  const lv = parts[1];
  const entries = lv === 'entries';
  if (!entries && !LEVEL.test(lv)) fail('MALFORMED', 'TP2', 'bad level');
  const rest = parts.slice(2);
  const groups = [];
  let j = 0;
  for (; j < rest.length; j++) {
    const e = rest[j];
    if (e.startsWith('x')) {
      if (!/^x[0-9]{3}$/.test(e) || j === rest.length - 1) fail('MALFORMED', 'TP3', 'bad x group');
      groups.push(e.slice(1));
    } else break;
  }
  const last = rest[j];
  const m = /^([0-9]{3})(\.p)?$/.exec(last);
  if (!m) fail('MALFORMED', 'TP4', 'bad last index element');
  groups.push(m[1]);
  const after = rest.slice(j + 1);
  let width = 256;
  if (m[2]) {
    if (after.length !== 1) fail('MALFORMED', 'TP4', '.p needs one element');
    if (!WIDTH.test(after[0])) fail('MALFORMED', 'TP6', 'bad width');
    width = Number(after[0]);
  } else if (after.length !== 0) fail('MALFORMED', 'TP5', 'trailing element');
  if (groups.length > 1 && groups[0] === '000') fail('MALFORMED', 'TP7', 'leading x000');
  const index = BigInt(groups.join(''));
  if (groups.length > 7 || index > (1n << 64n) - 1n) fail('MALFORMED', 'TP8', 'index too big');
  return { level: entries ? 0 : Number(lv), index, width, entries };
}

// ---- §3.3 entry bundles -----------------------------------------------------
export function parseEntryBundle(bytes, n) {
  if (!(n >= 1 && n <= 256)) fail('INVALID_ARGUMENT', 'TB1', 'width');
  const out = [];
  let o = 0;
  while (out.length < n) {
    if (o === bytes.length) fail('MALFORMED', 'TB2', 'too few entries');
    if (o + 2 > bytes.length) fail('TRUNCATED', 'TB3', 'inside a length prefix');
    const len = (bytes[o] << 8) | bytes[o + 1];
    if (o + 2 + len > bytes.length) fail('TRUNCATED', 'TB3', 'inside an entry');
    out.push(bytes.slice(o + 2, o + 2 + len));
    o += 2 + len;
  }
  if (o !== bytes.length) fail('TRAILING_DATA', 'TB4', 'bytes after n entries');
  return out;
}
export function formatEntryBundle(entries) {
  return Buffer.concat(
    entries.map((e) => Buffer.concat([Buffer.from([e.length >> 8, e.length & 255]), e])),
  );
}

// §3.1: the tiles a tree of size s has (hash tiles and, at level 0, entry bundles).
export function tileIdsForTree(s, withEntries = true) {
  const out = [];
  for (let L = 0; L <= 7; L++) {
    const c = Math.floor(s / 256 ** L);
    if (c === 0) break;
    const full = Math.floor(c / 256);
    const ids = [];
    for (let n = 0; n < full; n++) ids.push({ index: n, width: 256 });
    if (c % 256 !== 0) ids.push({ index: full, width: c % 256 });
    for (const id of ids) {
      out.push({ level: L, ...id, entries: false });
      if (L === 0 && withEntries) out.push({ level: 0, ...id, entries: true });
    }
  }
  return out;
}

// ---- §3.5 TileSet -------------------------------------------------------------
export class TileSet {
  constructor() {
    this.tiles = new Map(); // "L/N" -> {width, bytes}
  }
  add(id, bytes) {
    if (id.entries || id.level > 7 || !(id.width >= 1 && id.width <= 256))
      fail('INVALID_ARGUMENT', 'TS1', 'bad tile id');
    if (bytes.length !== id.width * 32) fail('MALFORMED', 'TS2', 'tile size');
    this.tiles.set(`${id.level}/${id.index}`, { width: id.width, bytes });
  }
  // A subtree source for the tree of size s; `read` collects the path of every
  // tile named (§3.4: the tile the tree of size s has at that level and index).
  source(s, read = new Set()) {
    return (h, i) => {
      const L = Math.floor(h / 8);
      const r = h % 8;
      const f = i * 2 ** r;
      const N = Math.floor(f / 256);
      const c = Math.floor(s / 256 ** L);
      const width = N < Math.floor(c / 256) ? 256 : c % 256;
      const path = tilePath({ level: L, index: N, width, entries: false });
      read.add(path);
      const t = this.tiles.get(`${L}/${N}`);
      const off = f % 256;
      if (!t || t.width < off + 2 ** r) fail('LOG_TRUNCATED', '§3.5', `missing tile ${path}`);
      let row = [];
      for (let k = 0; k < 2 ** r; k++) row.push(t.bytes.slice((off + k) * 32, (off + k + 1) * 32));
      while (row.length > 1) {
        const next = [];
        for (let k = 0; k < row.length; k += 2) next.push(nodeHash(row[k], row[k + 1]));
        row = next;
      }
      return row[0];
    };
  }
  root(s, read) {
    return root(this.source(s, read), s);
  }
  inclusionProof(i, s, read) {
    return inclusionProof(this.source(s, read), i, s);
  }
  consistencyProof(m, s, read) {
    return consistencyProof(this.source(s, read), m, s);
  }
  leafHashAt(i, s, read) {
    if (i >= s) fail('INVALID_ARGUMENT', '§3.5', 'index >= size');
    return this.source(s, read)(0, i);
  }
}

// §3.4: the tiles a computation reads, sorted, each once.
const sorted = (set) => [...set].sort();
export function tilesForRoot(s) {
  // The spec says empty for s <= 1; the root of size 1 is its leaf hash, which
  // is read from tile/0/000.p/1 (and the vectors list it): see status-interop.
  if (s === 0) return [];
  const read = new Set();
  root(tracer(s, read), s);
  return sorted(read);
}
export function tilesForInclusion(i, s) {
  if (i >= s || s <= 1) return [];
  const read = new Set();
  inclusionProof(tracer(s, read), i, s);
  return sorted(read);
}
export function tilesForConsistency(m, s) {
  if (m === 0 || m >= s) return [];
  const read = new Set();
  consistencyProof(tracer(s, read), m, s);
  return sorted(read);
}
// A source that only records which tiles would be read (returns dummy hashes).
function tracer(s, read) {
  const ts = new TileSet();
  const src = ts.source(s, read);
  return (h, i) => {
    try {
      return src(h, i);
    } catch (e) {
      if (e instanceof SpecError && e.code === 'LOG_TRUNCATED') return new Uint8Array(32);
      throw e;
    }
  };
}

// ---- log.md §10 safety numbers and the safety QR ---------------------
// Conventions of docs/spec/record.md §1: LABEL(x) = ASCII x || 0x00, u16 little-endian.
const concat = (...parts) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));
const label = (s) => concat(Buffer.from(s, 'ascii'), Uint8Array.of(0));
const u16 = (n) => Uint8Array.of(n & 255, n >> 8);
const blake2b64 = (msg) => sodium.crypto_generichash(64, msg, null);

// §10.1: card = {version, kid, signPk, kxPk, keys?} as record.md's card parser gives it.
export function safetyCardKeys(c) {
  const keys = c.version === 2 ? c.keys : [];
  const list = concat(
    Uint8Array.of(keys.length),
    ...keys.flatMap((k) => [Uint8Array.of(k.type), u16(k.key.length), k.key]),
  );
  return concat(Uint8Array.of(c.version), c.kid, c.signPk, c.kxPk, list);
}
// §10.2
export function safetyFingerprint(c) {
  const d0 = blake2b64(concat(label('medseal/v1/safety-number'), safetyCardKeys(c)));
  let d = d0;
  for (let i = 1; i <= 1023; i++) d = blake2b64(concat(d, d0));
  return d;
}
// §10.3
export function safetyDigits(c) {
  const f = safetyFingerprint(c);
  let out = '';
  for (let g = 0; g < 6; g++) {
    let v = 0n;
    for (let k = 0; k < 5; k++) v = (v << 8n) | BigInt(f[5 * g + k]);
    out += String(v % 100000n).padStart(5, '0');
  }
  return out;
}
export function safetyNumber(a, b) {
  if (eq(a.kid, b.kid)) fail('INVALID_ARGUMENT', '§10.3', 'a card with itself');
  const [x, y] = [safetyDigits(a), safetyDigits(b)];
  return x < y ? x + y : y + x;
}
export function formatSafetyNumber(digits) {
  if (digits.length === 0 || digits.length % 5 !== 0 || !/^[0-9]+$/.test(digits))
    fail('INVALID_ARGUMENT', '§10.3', 'not a multiple of 5 digits');
  return digits.match(/.{5}/g).join(' ');
}
// §10.4
const MSSN = Uint8Array.from(Buffer.from('MSSN', 'ascii'));
export function safetyQrPayload(self, peer) {
  if (eq(self.kid, peer.kid)) fail('INVALID_ARGUMENT', '§10.4', 'a card with itself');
  return concat(
    MSSN,
    Uint8Array.of(1),
    self.kid,
    safetyFingerprint(self).slice(0, 32),
    peer.kid,
    safetyFingerprint(peer).slice(0, 32),
  );
}
// §10.5, in order.
export function parseSafetyQr(b) {
  const n = Math.min(4, b.length);
  if (!eq(b.slice(0, n), MSSN.slice(0, n))) fail('MALFORMED', 'Q1', 'magic');
  if (b.length < 5) fail('TRUNCATED', 'Q2', 'no version');
  if (b[4] !== 1) fail('UNSUPPORTED_VERSION', 'Q3', 'version');
  if (b.length < 101) fail('TRUNCATED', 'Q4', 'short');
  if (b.length > 101) fail('TRAILING_DATA', 'Q5', 'long');
  const q = {
    selfKid: b.slice(5, 21),
    selfFp: b.slice(21, 53),
    peerKid: b.slice(53, 69),
    peerFp: b.slice(69, 101),
  };
  if (eq(q.selfKid, q.peerKid)) fail('MALFORMED', 'Q6', 'same key ids');
  return q;
}
// §10.6: me = the scanner's own card M, them = the card it holds for the other person T.
export function verifySafetyQr(payload, me, them) {
  const q = parseSafetyQr(payload);
  if (!eq(q.peerKid, me.kid) || !eq(q.peerFp, safetyFingerprint(me).slice(0, 32)))
    fail('SAFETY_NUMBER_MISMATCH', 'V1', 'the other device holds another card for you');
  if (!eq(q.selfKid, them.kid) || !eq(q.selfFp, safetyFingerprint(them).slice(0, 32)))
    fail('SAFETY_NUMBER_MISMATCH', 'V2', 'the card you hold is not the one shown');
}

// ---- log.md §6 events, §7 entries --------------------------------------
// record.md §1 (JSON texts G1-G8, base64url D1-D4) and the card parser come
// from spec_impl.mjs, the independent implementation of record.md.

export const EVENT_TYPES = [
  'grant',
  'withdraw',
  'share',
  'open',
  'break-glass',
  'export',
  'erase',
  'rotate',
  'revoke',
];
export const SUBJECT_KINDS = {
  record: [1, 32],
  consent: [2, 32],
  attachment: [3, 32],
  card: [4, 16],
};
const MAX_SAFE = 2 ** 53 - 1;
const cmpBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const b64u = (b) => Buffer.from(b).toString('base64url');

// A parsed JSON value (Maps, JsonNumber) as plain JS, to compute its JCS form.
const plain = (v) => {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && 'lexeme' in v) return Number(v.lexeme);
  return v;
};
const intOf = (v) =>
  v && typeof v === 'object' && 'lexeme' in v && /^(0|-?[1-9][0-9]*)$/.test(v.lexeme)
    ? BigInt(v.lexeme)
    : undefined;
const rangeInt = (v, rule) => {
  const n = intOf(v);
  if (n === undefined || n < 0n || n > BigInt(MAX_SAFE)) fail('MALFORMED', rule, 'integer range');
  return Number(n);
};
// A b64u string member: not a string (MALFORMED), D1-D4, then sizes.
const b64Str = (v, rule) => {
  if (typeof v !== 'string') fail('MALFORMED', rule, 'not a string');
  return rec.unb64u(v, rule);
};
const fixed = (v, n, rule) => {
  const b = b64Str(v, rule);
  if (b.length !== n) fail('MALFORMED', rule, `not ${n} bytes`);
  return b;
};
const optional = (v, n, rule) => {
  const b = b64Str(v, rule);
  if (b.length > n) fail('TOO_LARGE', rule, 'too long');
  if (b.length !== 0 && b.length !== n) fail('MALFORMED', rule, 'size');
  return b;
};
const MEMBERS = [
  'v',
  'type',
  'author',
  'seq',
  'prev',
  'time',
  'purpose',
  'outcome',
  'patient',
  'recipients',
  'subjects',
  'salted',
  'reason',
  'sig',
];
const EMERGENCY = ['ETREAT', 'BTG'];

// §6.6, in order. Returns the event with byte-string fields and its encoded text.
export function parseEvent(text) {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let o;
  try {
    o = rec.parseJsonText(bytes, 16384);
  } catch (e) {
    if (e instanceof SpecError) fail(e.code, e.code === 'TOO_LARGE' ? 'E1' : 'E2', e.message);
    throw e;
  }
  const str = Buffer.from(bytes).toString('utf8');
  if (canonicalize(plain(o)) !== str) fail('NON_CANONICAL', 'E3', 'not JCS');
  const v = intOf(o.get('v'));
  if (v === undefined) fail('MALFORMED', 'E4', 'v');
  if (v !== 1n) fail('UNSUPPORTED_VERSION', 'E5', 'v');
  for (const k of MEMBERS) if (!o.has(k)) fail('MALFORMED', 'E6', `missing ${k}`);
  if (o.size !== MEMBERS.length) fail('MALFORMED', 'E6', 'another member');
  const type = o.get('type');
  if (typeof type !== 'string') fail('MALFORMED', 'E7', 'type');
  if (!EVENT_TYPES.includes(type)) fail('UNSUPPORTED_VERSION', 'E8', 'type');
  const author = fixed(o.get('author'), 16, 'E9');
  const seq = rangeInt(o.get('seq'), 'E10');
  const prev = fixed(o.get('prev'), 32, 'E11');
  const time = rangeInt(o.get('time'), 'E12');
  const purpose = o.get('purpose');
  if (typeof purpose !== 'string') fail('MALFORMED', 'E13', 'purpose');
  if (Buffer.byteLength(purpose) > 64) fail('TOO_LARGE', 'E14', 'purpose');
  if (!/^[\x21-\x7e]*$/.test(purpose)) fail('MALFORMED', 'E15', 'purpose');
  const outcome = intOf(o.get('outcome'));
  if (![0n, 4n, 8n, 12n].includes(outcome)) fail('MALFORMED', 'E16', 'outcome');
  const patient = optional(o.get('patient'), 16, 'E17');
  const rs = o.get('recipients');
  if (!Array.isArray(rs)) fail('MALFORMED', 'E18', 'recipients');
  if (rs.length > 64) fail('TOO_LARGE', 'E18', 'recipients');
  // Element by element (§6.6): element i's own rule, then i against i - 1.
  const recipients = [];
  for (const r of rs) {
    const id = fixed(r, 16, 'E19');
    if (recipients.length > 0) {
      const c = cmpBytes(recipients.at(-1), id);
      if (c === 0) fail('DUPLICATE_RECIPIENT', 'E20', 'twice');
      if (c > 0) fail('NON_CANONICAL', 'E20', 'order');
    }
    recipients.push(id);
  }
  const ss = o.get('subjects');
  if (!Array.isArray(ss)) fail('MALFORMED', 'E21', 'subjects');
  if (ss.length > 64) fail('TOO_LARGE', 'E21', 'subjects');
  const subjects = [];
  for (const s of ss) {
    if (!(s instanceof Map) || s.size !== 2 || !s.has('kind') || !s.has('id'))
      fail('MALFORMED', 'E22', 'subject members');
    const kind = s.get('kind');
    if (typeof kind !== 'string' || !Object.hasOwn(SUBJECT_KINDS, kind))
      fail('MALFORMED', 'E23', 'kind');
    const b = { kind, id: fixed(s.get('id'), SUBJECT_KINDS[kind][1], 'E23') };
    if (subjects.length > 0) {
      const a = subjects.at(-1);
      const c = SUBJECT_KINDS[a.kind][0] - SUBJECT_KINDS[b.kind][0] || cmpBytes(a.id, b.id);
      if (c >= 0) fail('NON_CANONICAL', 'E24', 'subject order');
    }
    subjects.push(b);
  }
  const sl = o.get('salted');
  if (!Array.isArray(sl)) fail('MALFORMED', 'E25', 'salted');
  if (sl.length > 16) fail('TOO_LARGE', 'E25', 'salted');
  const salted = [];
  for (const x of sl) {
    const h = fixed(x, 32, 'E25');
    if (salted.length > 0 && cmpBytes(salted.at(-1), h) >= 0)
      fail('NON_CANONICAL', 'E26', 'salted order');
    salted.push(h);
  }
  const reason = optional(o.get('reason'), 32, 'E27');
  const sig = fixed(o.get('sig'), 64, 'E28');
  const zero = prev.every((x) => x === 0);
  if ((seq === 0) !== zero) fail('MALFORMED', 'S1', 'seq/prev');
  if (subjects.length === 0) fail('MALFORMED', 'S2', 'no subject');
  const has = (...kinds) => subjects.some((s) => kinds.includes(s.kind));
  const bg = type === 'break-glass';
  if (bg && !EMERGENCY.includes(purpose)) fail('MALFORMED', 'S3', 'purpose');
  if (bg && reason.length === 0) fail('REASON_REQUIRED', 'S4', 'reason');
  if (bg && (patient.length === 0 || !has('record', 'attachment'))) fail('MALFORMED', 'S5', 'bg');
  if (type === 'open' && EMERGENCY.includes(purpose)) fail('REASON_REQUIRED', 'S6', 'open');
  if (!bg && reason.length !== 0) fail('MALFORMED', 'S7', 'reason');
  if ((type === 'grant' || type === 'withdraw') && !has('consent')) fail('MALFORMED', 'S8', '');
  if (type === 'share' && (recipients.length === 0 || !has('record', 'attachment')))
    fail('MALFORMED', 'S9', 'share');
  if ((type === 'rotate' || type === 'revoke') && !has('card')) fail('MALFORMED', 'S10', '');
  const ev = { type, author, seq, prev, time, purpose, outcome: Number(outcome), patient };
  Object.assign(ev, { recipients, subjects, salted, reason, sig, encoded: str });
  return ev;
}

// §6.2 / §6.3: the JSON object of an event (byte strings as b64u).
export function eventObject(e, withSig = true) {
  const o = {
    v: 1,
    type: e.type,
    author: b64u(e.author),
    seq: e.seq,
    prev: b64u(e.prev),
    time: e.time,
    purpose: e.purpose,
    outcome: e.outcome,
    patient: b64u(e.patient),
    recipients: e.recipients.map(b64u),
    subjects: e.subjects.map((s) => ({ id: b64u(s.id), kind: s.kind })),
    salted: e.salted.map(b64u),
    reason: b64u(e.reason),
  };
  if (withSig) o.sig = b64u(e.sig);
  return o;
}
export const signedBytes = (e) =>
  concat(label('medseal/v1/log-event'), Buffer.from(canonicalize(eventObject(e, false))));
export function signEvent(e, signSk) {
  const sig = sodium.crypto_sign_detached(signedBytes(e), signSk);
  const out = { ...e, sig };
  out.encoded = canonicalize(eventObject(out));
  return out;
}
export const eventHash = (encoded) => sha256(Buffer.from(encoded));
// §6.3 V1-V2 against the author's card ({kid, signPk}).
export function verifyEvent(e, card) {
  if (!eq(e.author, card.kid)) fail('SENDER_MISMATCH', 'V1', 'author');
  if (!sodium.crypto_sign_verify_detached(e.sig, signedBytes(e), card.signPk))
    fail('SIGNATURE_INVALID', 'V2', 'signature');
}

// §6.4
export function saltedHash(salt, domain, value) {
  if (salt.length < 16 || salt.length > 64) fail('INVALID_ARGUMENT', '§6.4', 'salt');
  if (!/^[\x21-\x7e]{1,64}$/.test(domain)) fail('INVALID_ARGUMENT', '§6.4', 'domain');
  const msg = concat(label('medseal/v1/log-salt'), Buffer.from(domain), Uint8Array.of(0), value);
  return sodium.crypto_generichash(32, msg, salt);
}
// §6.5
export const recordSubject = (binary) =>
  sodium.crypto_generichash(32, concat(label('medseal/v1/sealed-record-hash'), binary), null);
export const attachmentSubject = (file) => sha256(file);

// §6.7
export class AuthorChains {
  constructor() {
    this.heads = new Map();
  }
  append(e) {
    const k = hex(e.author);
    const head = this.heads.get(k);
    const h = eventHash(e.encoded);
    if (!head) {
      if (e.seq !== 0) fail('LOG_ENTRY_MISSING', 'A1', 'first events missing');
      if (!e.prev.every((x) => x === 0)) fail('LOG_ENTRY_MODIFIED', 'A2', 'prev');
    } else {
      if (e.seq <= head.seq) fail('LOG_REORDERED', 'A3', 'seq');
      if (e.seq > head.seq + 1) fail('LOG_ENTRY_MISSING', 'A4', 'gap');
      if (!eq(e.prev, head.hash)) fail('LOG_ENTRY_MODIFIED', 'A5', 'prev');
    }
    this.heads.set(k, { seq: e.seq, hash: h });
  }
}

// §7, Y1-Y5 in order.
export function parseEntry(bytes) {
  if (bytes.length === 0) fail('TRUNCATED', 'Y1', 'empty');
  const rest = bytes.subarray(1);
  const wrap = (y, fn) => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SpecError) fail(e.code, `${y}/${e.rule}`, e.message);
      throw e;
    }
  };
  if (bytes[0] === 1) return { kind: 'event', event: wrap('Y3', () => parseEvent(rest)) };
  if (bytes[0] === 2) {
    const card = wrap('Y4', () => rec.parseCard(rest));
    const text = Buffer.from(rest).toString('utf8');
    if (canonicalize(JSON.parse(text)) !== text) fail('NON_CANONICAL', 'Y5', 'card not JCS');
    return { kind: 'card', card };
  }
  fail('UNSUPPORTED_VERSION', 'Y2', 'kind');
}

// ---- log.md §4 signed notes, §5 checkpoints (read from branch `note`) ------
const SPACES = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);
for (let c = 0x2000; c <= 0x200a; c++) SPACES.add(c);
const utf8 = (bytes) => {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
};
// §4.1 key name: non-empty, UTF-8, no byte below 0x20, no '+', no Unicode space.
export function isKeyName(name) {
  if (typeof name !== 'string' || name.length === 0) return false;
  for (const ch of name) {
    const c = ch.codePointAt(0);
    if (c < 0x20 || c === 0x2b || SPACES.has(c) || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
// §4.3 canonical padded standard base64; undefined when it is not.
export function b64std(s) {
  if (typeof s !== 'string' || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s))
    return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? new Uint8Array(b) : undefined;
}
const b64 = (b) => Buffer.from(b).toString('base64');
export const noteKeyId = (name, type, pk) =>
  sha256(Buffer.from(name, 'utf8'), Uint8Array.of(0x0a, type), pk).slice(0, 4);
const KEY_SIZES = { 1: 32, 4: 32, 6: 1312 };

// §4.1 K1-K7
export function parseVerifierKey(text) {
  const a = text.indexOf('+');
  const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  if (b < 0) fail('MALFORMED', 'K1', 'fewer than two +');
  const [name, id, key] = [text.slice(0, a), text.slice(a + 1, b), text.slice(b + 1)];
  if (!isKeyName(name)) fail('MALFORMED', 'K2', 'key name');
  if (!/^[0-9a-f]{8}$/.test(id)) fail('MALFORMED', 'K3', 'key id');
  const raw = b64std(key);
  if (!raw || raw.length < 1) fail('MALFORMED', 'K4', 'base64');
  const type = raw[0];
  if (!(type in KEY_SIZES)) fail('UNSUPPORTED_VERSION', 'K5', 'type');
  const pk = raw.slice(1);
  if (pk.length !== KEY_SIZES[type]) fail('INVALID_ARGUMENT', 'K6', 'key size');
  if (hex(noteKeyId(name, type, pk)) !== id) fail('KEY_ID_MISMATCH', 'K7', 'key id');
  return { name, keyId: unhex(id), type, pk };
}
export const formatVerifierKey = (k) =>
  `${k.name}+${hex(k.keyId)}+${b64(concat(Uint8Array.of(k.type), k.pk))}`;

// §4.2 N1-N10
const EMDASH_SP = [0xe2, 0x80, 0x94, 0x20];
export function parseNote(input) {
  const bytes = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'utf8')) : input;
  if (bytes.length > 1048576) fail('TOO_LARGE', 'N1', 'note too large');
  const s = utf8(bytes);
  if (s === undefined) fail('MALFORMED', 'N2', 'not UTF-8');
  if (bytes.some((c) => c < 0x20 && c !== 0x0a)) fail('MALFORMED', 'N3', 'control character');
  let sep = -1;
  for (let i = bytes.length - 2; i >= 0; i--)
    if (bytes[i] === 0x0a && bytes[i + 1] === 0x0a) {
      sep = i;
      break;
    }
  if (sep < 0) fail('MALFORMED', 'N4', 'no blank line');
  const text = bytes.slice(0, sep + 1);
  const rest = bytes.slice(sep + 2);
  if (rest.length === 0 || rest[rest.length - 1] !== 0x0a) fail('MALFORMED', 'N5', 'signatures');
  const lines = Buffer.from(rest).toString('utf8').slice(0, -1).split('\n');
  if (lines.length > 100) fail('MALFORMED', 'N6', 'too many signatures');
  const sigs = lines.map((line) => {
    const lb = Buffer.from(line, 'utf8');
    if (lb.length < 4 || EMDASH_SP.some((c, i) => lb[i] !== c)) fail('MALFORMED', 'N7', 'line');
    const body = line.slice(2);
    const sp = body.indexOf(' ');
    if (sp < 0 || !isKeyName(body.slice(0, sp))) fail('MALFORMED', 'N8', 'name');
    const blob = b64std(body.slice(sp + 1));
    if (!blob) fail('MALFORMED', 'N9', 'base64');
    if (blob.length < 5) fail('MALFORMED', 'N10', 'short signature');
    return { name: body.slice(0, sp), keyId: blob.slice(0, 4), sig: blob.slice(4) };
  });
  return { text, sigs };
}
export const formatNote = (n) =>
  concat(
    n.text,
    Uint8Array.of(0x0a),
    ...n.sigs.map((s) => Buffer.from(`— ${s.name} ${b64(concat(s.keyId, s.sig))}\n`, 'utf8')),
  );
const byKey = (s, k) => s.name === k.name && eq(s.keyId, k.keyId);
const edVerify = (sig, msg, pk) =>
  sig.length === 64 && sodium.crypto_sign_verify_detached(sig, msg, pk);
// §4.4
export function verifyNoteSignature(note, key) {
  if (key.type !== 1 || key.pk.length !== 32) fail('INVALID_ARGUMENT', '§4.4', 'key');
  const lines = note.sigs.filter((s) => byKey(s, key));
  if (lines.length === 0) fail('SIGNATURE_INVALID', '§4.4', 'no line by the key');
  if (!lines.every((s) => edVerify(s.sig, note.text, key.pk)))
    fail('SIGNATURE_INVALID', '§4.4', 'bad signature');
}
export function verifyNote(note, known) {
  const verified = [];
  for (const s of note.sigs) {
    const k = known.find((x) => byKey(s, x));
    if (!k) continue;
    if (!edVerify(s.sig, note.text, k.pk)) fail('SIGNATURE_INVALID', '§4.4', 'bad signature');
    verified.push(k.name);
  }
  if (verified.length === 0) fail('SIGNATURE_INVALID', '§4.4', 'no verifiable signature');
  return verified;
}
// §4.5
export function noteSigner(name, seed) {
  if (!isKeyName(name) || seed.length !== 32) fail('INVALID_ARGUMENT', '§4.5', 'signer');
  const kp = sodium.crypto_sign_seed_keypair(seed);
  const key = { name, type: 1, pk: kp.publicKey, keyId: noteKeyId(name, 1, kp.publicKey) };
  return {
    key,
    sign(noteBytes) {
      const n = parseNote(noteBytes);
      const sig = sodium.crypto_sign_detached(n.text, kp.privateKey);
      const sigs = [...n.sigs.filter((s) => !byKey(s, key)), { name, keyId: key.keyId, sig }];
      return formatNote({ text: n.text, sigs });
    },
    signText(text) {
      const sig = sodium.crypto_sign_detached(text, kp.privateKey);
      return formatNote({ text, sigs: [{ name, keyId: key.keyId, sig }] });
    },
  };
}

// §5.1 C1-C7. rootSize 0: any non-empty length.
export function parseCheckpointBody(input, rootSize = 32) {
  const bytes = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'utf8')) : input;
  if (bytes.length > 1048576) fail('TOO_LARGE', 'C1', 'body too large');
  const s = utf8(bytes);
  if (
    bytes.length === 0 ||
    bytes[bytes.length - 1] !== 0x0a ||
    s === undefined ||
    bytes.some((c) => c < 0x20 && c !== 0x0a)
  )
    fail('MALFORMED', 'C2', 'not a note text');
  const lines = s.slice(0, -1).split('\n');
  if (lines.length < 3) fail('MALFORMED', 'C3', 'fewer than three lines');
  const [origin, size, root, ...ext] = lines;
  if (origin.length === 0) fail('MALFORMED', 'C4', 'empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || BigInt(size) > (1n << 64n) - 1n)
    fail('MALFORMED', 'C5', 'size');
  const r = b64std(root);
  if (!r || (rootSize === 0 ? r.length === 0 : r.length !== rootSize))
    fail('MALFORMED', 'C6', 'root');
  if (ext.some((l) => l.length === 0)) fail('MALFORMED', 'C7', 'empty extension line');
  return { origin, size: BigInt(size), root: r, extensions: ext };
}
export const formatCheckpointBody = (c) =>
  Buffer.from(
    [c.origin, String(c.size), b64(c.root), ...(c.extensions ?? [])].map((l) => `${l}\n`).join(''),
    'utf8',
  );

// §5.2 cosignature messages.
export const cosignatureMessageV1 = (t, body) =>
  concat(Buffer.from(`cosignature/v1\ntime ${BigInt(t)}\n`), body);
const u64be = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
export function subtreeMessage(name, t, cp) {
  const nb = Buffer.from(name, 'utf8');
  const ob = Buffer.from(cp.origin, 'utf8');
  return concat(
    Buffer.from('subtree/v1\n\0', 'latin1'),
    Uint8Array.of(nb.length),
    nb,
    u64be(t),
    Uint8Array.of(ob.length),
    ob,
    u64be(0),
    u64be(cp.size),
    cp.root,
  );
}
// W1-W3 for a line by `witness`; returns the timestamp.
export function verifyCosignature(line, witness, body, mldsa) {
  const want = witness.type === 4 ? 72 : 2428;
  if (line.sig.length !== want) fail('SIGNATURE_INVALID', 'W1', 'size');
  const t = Buffer.from(line.sig.slice(0, 8)).readBigUInt64BE();
  if (t > (1n << 63n) - 1n) fail('SIGNATURE_INVALID', 'W2', 'timestamp');
  const sig = line.sig.slice(8);
  let ok;
  if (witness.type === 4) ok = edVerify(sig, cosignatureMessageV1(t, body), witness.pk);
  else {
    let cp;
    try {
      cp = parseCheckpointBody(body);
    } catch {
      cp = undefined;
    }
    const long =
      cp && (Buffer.byteLength(witness.name) > 255 || Buffer.byteLength(cp.origin) > 255);
    ok = cp && !long && mldsa(sig, subtreeMessage(witness.name, t, cp), witness.pk);
  }
  if (!ok) fail('SIGNATURE_INVALID', 'W3', 'signature');
  return t;
}
// §5.3
export function checkLogPolicy(p) {
  const bad = (m) => fail('INVALID_ARGUMENT', 'P0', m);
  const valid = (k, types) =>
    k &&
    types.includes(k.type) &&
    isKeyName(k.name) &&
    k.pk.length === KEY_SIZES[k.type] &&
    eq(k.keyId, noteKeyId(k.name, k.type, k.pk));
  if (!valid(p.logKey, [1])) bad('log key');
  p.witnesses.forEach((w, i) => {
    if (!valid(w, [4, 6])) bad('witness key');
    if (byKey(w, p.logKey)) bad('witness is the log key');
    for (const x of p.witnesses.slice(0, i)) {
      if (byKey(w, x)) bad('two witnesses with one name and key id');
      if (w.type === 4 && x.type === 4 && eq(w.pk, x.pk)) bad('two 0x04 witnesses on one key');
    }
  });
  if (p.quorum > p.witnesses.length) bad('quorum');
}
export function verifyCheckpoint(noteBytes, policy, mldsa) {
  checkLogPolicy(policy);
  const note = parseNote(noteBytes);
  const cp = parseCheckpointBody(note.text);
  if (cp.origin !== policy.logKey.name) fail('SIGNATURE_INVALID', 'P3', 'origin');
  try {
    verifyNoteSignature(note, policy.logKey);
  } catch (e) {
    if (e instanceof SpecError) fail('SIGNATURE_INVALID', 'P4', e.message);
    throw e;
  }
  const cosignatures = [];
  for (const w of policy.witnesses) {
    for (const line of note.sigs.filter((s) => byKey(s, w))) {
      let t;
      try {
        t = verifyCosignature(line, w, note.text, mldsa);
      } catch (e) {
        if (e instanceof SpecError) fail(e.code, `P5/${e.rule}`, e.message);
        throw e;
      }
      if (!cosignatures.some((c) => c.name === w.name && eq(c.keyId, w.keyId)))
        cosignatures.push({ name: w.name, keyId: w.keyId, timestamp: t });
    }
  }
  if (cosignatures.length < policy.quorum) fail('WITNESS_QUORUM', 'P6', 'quorum');
  return { checkpoint: cp, note: noteBytes, cosignatures };
}
export function cosign(noteBytes, name, seed, t) {
  const n = parseNote(noteBytes);
  parseCheckpointBody(n.text);
  if (BigInt(t) > (1n << 63n) - 1n) fail('INVALID_ARGUMENT', '§5.2', 'timestamp');
  const kp = sodium.crypto_sign_seed_keypair(seed);
  const keyId = noteKeyId(name, 4, kp.publicKey);
  const sig = concat(
    u64be(t),
    sodium.crypto_sign_detached(cosignatureMessageV1(t, n.text), kp.privateKey),
  );
  const sigs = [
    ...n.sigs.filter((s) => !(s.name === name && eq(s.keyId, keyId))),
    { name, keyId, sig },
  ];
  return formatNote({ text: n.text, sigs });
}

// ---- log.md §8 the client -----------------------------------------------
const u64le = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
// §8.1 entry_id
export function entryId(parsed) {
  const l = label('medseal/v1/log-entry-id');
  if (parsed.kind === 'event')
    return sha256(l, Uint8Array.of(1), parsed.event.author, u64le(parsed.event.seq));
  return sha256(l, Uint8Array.of(2), parsed.card.kid);
}
const rethrow = (rule, fn) => {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SpecError) fail(e.code, rule, e.message);
    throw e;
  }
};
export class LogClient {
  constructor(policy, mldsa) {
    this.policy = policy;
    this.mldsa = mldsa;
    this.held = null; // {size: BigInt, root, note}
    this.own = []; // sorted by index: {index, leaf, id}
  }
  get size() {
    return this.held ? this.held.size : 0n;
  }
  // §8.3 U1-U7; the held state is unchanged on any error.
  update(noteBytes, proofBytes) {
    const r = rethrow('U1', () => verifyCheckpoint(noteBytes, this.policy, this.mldsa));
    const cp = r.checkpoint;
    if (cp.size === 0n && !eq(cp.root, emptyRoot())) fail('PROOF_INVALID', 'U2', 'empty tree root');
    const h = this.held;
    if (h && cp.size < h.size) fail('LOG_TRUNCATED', 'U3', 'smaller');
    if (h && cp.size === h.size && !eq(cp.root, h.root)) fail('LOG_FORK', 'U4', 'same size');
    if (!(!h || h.size === 0n || cp.size === h.size)) {
      const proof = rethrow('U6', () => parseProof(proofBytes));
      rethrow('U7', () => {
        try {
          verifyConsistency(h.size, cp.size, h.root, cp.root, proof);
        } catch (e) {
          if (e instanceof SpecError) fail('LOG_FORK', 'U7', e.message);
          throw e;
        }
      });
    }
    this.held = { size: cp.size, root: cp.root, note: noteBytes };
  }
  // §8.4 VE1-VE3
  verifyEntry(index, entry, proof) {
    if (!this.held) fail('INVALID_ARGUMENT', 'VE1', 'no checkpoint');
    if (BigInt(index) >= this.held.size) fail('LOG_ENTRY_MISSING', 'VE2', 'index >= size');
    try {
      verifyInclusion(index, this.held.size, leafHash(entry), proof, this.held.root);
    } catch (e) {
      if (e instanceof SpecError) fail('PROOF_INVALID', `VE3/${e.rule}`, e.message);
      throw e;
    }
  }
  // §8.1 TrackOwnEntry, TO1-TO4 in order
  track(index, entry) {
    let parsed;
    try {
      parsed = parseEntry(entry);
    } catch (e) {
      if (e instanceof SpecError) fail(e.code, `TO1/${e.rule}`, e.message);
      throw e;
    }
    const id = entryId(parsed);
    const leaf = leafHash(entry);
    const old = this.own.find((o) => o.index === index);
    if (old && !(eq(old.id, id) && eq(old.leaf, leaf)))
      fail('INVALID_ARGUMENT', 'TO2', 'index already tracked');
    if (old) return;
    if (this.own.length >= 100000) fail('INVALID_ARGUMENT', 'TO3', 'too many');
    if (index > MAX_SAFE) fail('INVALID_ARGUMENT', 'TO4', 'index');
    this.own.push({ index, leaf: leafHash(entry), id });
    this.own.sort((a, b) => a.index - b.index);
  }
  // §8.5 which files an audit needs.
  tilesForAudit() {
    const s = Number(this.size);
    const out = new Set();
    for (const o of this.own.filter((x) => x.index < s)) {
      for (const p of tilesForInclusion(o.index, s)) out.add(p);
      const n = Math.floor(o.index / 256);
      out.add(tilePath({ level: 0, index: n, width: Math.min(256, s - 256 * n), entries: true }));
    }
    return [...out].sort();
  }
  // §8.5 A1-A6. files: path -> bytes (hash tiles and entry bundles).
  audit(files) {
    const s = Number(this.size);
    const ts = new TileSet();
    const bundles = new Map();
    for (const [p, bytes] of Object.entries(files)) {
      const id = parseTilePath(p);
      if (!id.entries) ts.add(id, bytes);
    }
    const mine = this.own.filter((o) => o.index < s);
    // A1
    for (const n of [...new Set(mine.map((o) => Math.floor(o.index / 256)))]) {
      const width = Math.min(256, s - 256 * n);
      const path = tilePath({ level: 0, index: n, width, entries: true });
      if (!(path in files)) fail('LOG_TRUNCATED', 'A1', `missing ${path}`);
      bundles.set(
        n,
        rethrow('A1', () => parseEntryBundle(files[path], width)),
      );
    }
    const entryAt = (i) => bundles.get(Math.floor(i / 256))?.[i % 256];
    const verifiesAt = (i, leaf) => {
      const proof = ts.inclusionProof(i, s);
      try {
        verifyInclusion(i, s, leaf, proof, this.held.root);
        return true;
      } catch (e) {
        if (e instanceof SpecError) return false;
        throw e;
      }
    };
    const findings = [];
    for (const o of mine) {
      const e = entryAt(o.index);
      const leaf = leafHash(e);
      // A2 (a missing tile throws its own code, LOG_TRUNCATED)
      if (!verifiesAt(o.index, leaf)) fail('PROOF_INVALID', 'A2', 'tiles are not the signed tree');
      if (eq(leaf, o.leaf)) continue; // A3
      // A4: the lowest other index j of the given bundles holding h, verified at j.
      let foundAt;
      const indexes = [...bundles.keys()]
        .sort((a, b) => a - b)
        .flatMap((n) => bundles.get(n).map((_, k) => n * 256 + k));
      for (const j of indexes)
        if (j !== o.index && eq(leafHash(entryAt(j)), o.leaf) && verifiesAt(j, o.leaf)) {
          foundAt = j;
          break;
        }
      if (foundAt !== undefined) {
        findings.push({ index: o.index, error: 'LOG_REORDERED', rule: 'A4', foundAt });
        continue;
      }
      let sameId = true;
      try {
        sameId = eq(entryId(parseEntry(e)), o.id);
      } catch (err) {
        if (!(err instanceof SpecError)) throw err;
      }
      if (sameId) findings.push({ index: o.index, error: 'LOG_ENTRY_MODIFIED', rule: 'A5' });
      else findings.push({ index: o.index, error: 'LOG_ENTRY_MISSING', rule: 'A6' });
    }
    return { findings, checked: mine.length, pending: this.own.length - mine.length };
  }
}

// ---- log.md §11 FHIR AuditEvent export and import (read from branch `audit`) ----
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const PART = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ENT = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const LIFE = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle';
const c = (system, code) => ({ system, code });
const REST = c('http://terminology.hl7.org/CodeSystem/audit-event-type', 'rest');
const READ = c('http://hl7.org/fhir/restful-interaction', 'read');
const AUTHZ = c('https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType', 'AuthZ-Consent');
// §11.2 item 4: type, subtypes before medseal's, action, author agent code.
const MAPPING = {
  grant: [c(DCM, '110113'), [AUTHZ], 'E', 'AUT'],
  withdraw: [c(DCM, '110113'), [AUTHZ], 'E', 'AUT'],
  share: [c(DCM, '110106'), [c(LIFE, 'disclose')], 'R', 'AUT'],
  open: [REST, [READ], 'R', 'IRCP'],
  'break-glass': [REST, [READ, c(DCM, '110127')], 'R', 'IRCP'],
  export: [c(DCM, '110106'), [c(LIFE, 'export')], 'R', 'IRCP'],
  erase: [c(DCM, '110110'), [c(LIFE, 'destroy')], 'D', 'AUT'],
  rotate: [c(DCM, '110113'), [c(DCM, '110137')], 'U', 'AUT'],
  revoke: [c(DCM, '110113'), [c(DCM, '110137')], 'D', 'AUT'],
};
const SUBJECT_ENTITY = {
  record: ['urn:medseal:record-hash', c(ENT, '2'), c(ROLE, '4')],
  attachment: ['urn:medseal:attachment-hash', c(ENT, '2'), c(ROLE, '3')],
  consent: ['urn:medseal:consent-hash', c('http://hl7.org/fhir/resource-types', 'Consent'), null],
  card: ['urn:medseal:key-id', c(ENT, '2'), c(ROLE, '13')],
};
const MAX_EXPORT_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const ident = (system, value) => ({ identifier: { system, value } });
// §11.2: the AuditEvent object of a parsed event `ev` (with ev.encoded).
export function auditEventObject(ev) {
  if (ev.time > MAX_EXPORT_TIME) fail('INVALID_ARGUMENT', '§11.2', 'no export after 9999');
  const enc = Buffer.from(ev.encoded, 'utf8');
  const [type, subtypes, action, authorCode] = MAPPING[ev.type];
  const o = { resourceType: 'AuditEvent' };
  if (ev.type === 'break-glass') o.meta = { security: [c(ACT_REASON, 'BTG')] };
  o.extension = [{ url: 'urn:medseal:log-event', valueBase64Binary: b64(enc) }];
  o.type = type;
  o.subtype = [...subtypes, c('urn:medseal:log-event-type', ev.type)];
  o.action = action;
  o.recorded = new Date(ev.time).toISOString();
  o.outcome = String(ev.outcome);
  if (ev.purpose !== '') o.purposeOfEvent = [{ coding: [c(ACT_REASON, ev.purpose)] }];
  const agent = (code, kid, requestor) => ({
    type: { coding: [c(PART, code)] },
    who: ident('urn:medseal:key-id', b64u(kid)),
    requestor,
  });
  o.agent = [
    agent(authorCode, ev.author, true),
    ...ev.recipients.map((r) => agent('IRCP', r, false)),
  ];
  o.source = {
    observer: { display: 'medseal' },
    type: [c('http://terminology.hl7.org/CodeSystem/security-source-type', '1')],
  };
  const entity = [];
  if (ev.patient.length)
    entity.push({
      what: ident('urn:medseal:key-id', b64u(ev.patient)),
      type: c(ENT, '1'),
      role: c(ROLE, '1'),
    });
  for (const s of ev.subjects) {
    const [system, t, role] = SUBJECT_ENTITY[s.kind];
    const e = { what: ident(system, b64u(s.id)), type: t };
    if (role) e.role = role;
    entity.push(e);
  }
  const detail = [
    { type: 'seq', valueString: String(ev.seq) },
    { type: 'prev', valueBase64Binary: b64(ev.prev) },
    ...ev.salted.map((s) => ({ type: 'salted', valueBase64Binary: b64(s) })),
  ];
  if (ev.reason.length) detail.push({ type: 'reason', valueBase64Binary: b64(ev.reason) });
  entity.push({
    what: ident('urn:medseal:log-event-hash', b64u(eventHash(ev.encoded))),
    type: c(ENT, '4'),
    detail,
  });
  o.entity = entity;
  return o;
}
export const exportAuditEvent = (encoded) => JSON.stringify(auditEventObject(parseEvent(encoded)));

// "Equals" of §11.4: objects as member sets, arrays in order, scalars exactly.
function jsonEquals(a, b) {
  if (Array.isArray(a) || Array.isArray(b))
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => jsonEquals(x, b[i]))
    );
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k], b[k]))
    );
  }
  return a === b;
}
// A FHIR dateTime with a time: its first instant in ms, or undefined.
function firstInstant(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(
    s,
  );
  if (!m) return undefined;
  const frac = m[7] ?? '';
  if (/[1-9]/.test(frac.slice(3))) return undefined; // not a whole millisecond
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  let t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
  if (m[8] !== 'Z') {
    const sign = m[8][0] === '+' ? 1 : -1;
    t -= sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6))) * 60000;
  }
  return t;
}
const ALLOWED = [
  'resourceType',
  'id',
  'meta',
  'text',
  'extension',
  'type',
  'subtype',
  'action',
  'recorded',
  'outcome',
  'purposeOfEvent',
  'agent',
  'source',
  'entity',
];
// §11.4 AI1-AI21 in order; returns the embedded event's encoded text.
export function importAuditEvent(text) {
  let m;
  try {
    m = rec.parseJsonText(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, 65536);
  } catch (e) {
    if (e instanceof SpecError) fail(e.rule === 'G6' ? 'TOO_DEEP' : e.code, 'AI1', e.message);
    throw e;
  }
  const o = plain(m);
  if (o.resourceType !== 'AuditEvent') fail('MALFORMED', 'AI2', 'resourceType');
  const exts = o.extension;
  if (
    exts !== undefined &&
    (!Array.isArray(exts) ||
      exts.some(
        (x) => !x || typeof x !== 'object' || Array.isArray(x) || typeof x.url !== 'string',
      ))
  )
    fail('MALFORMED', 'AI3', 'extension');
  const mine = (exts ?? []).filter((x) => x.url === 'urn:medseal:log-event');
  if (mine.length === 0) fail('UNSUPPORTED_VERSION', 'AI4', 'not a medseal AuditEvent');
  if (mine.length > 1) fail('MALFORMED', 'AI5', 'twice');
  const x = mine[0];
  if (Object.keys(x).length !== 2 || typeof x.valueBase64Binary !== 'string')
    fail('MALFORMED', 'AI6', 'members');
  const s = x.valueBase64Binary;
  if (s.length > 4 * Math.ceil(16384 / 3)) fail('TOO_LARGE', 'AI7', 'too long');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) fail('MALFORMED', 'AI7', 'base64');
  const bytes = Buffer.from(s, 'base64');
  if (bytes.toString('base64') !== s) fail('NON_CANONICAL', 'AI7', 'unused bits');
  const ev = rethrow('AI8', () => parseEvent(new Uint8Array(bytes)));
  if (ev.time > MAX_EXPORT_TIME) fail('MALFORMED', 'AI9', 'no export');
  const want = auditEventObject(ev);
  for (const k of Object.keys(o)) if (!ALLOWED.includes(k)) fail('LOG_ENTRY_MODIFIED', 'AI10', k);
  if (o.meta !== undefined && (!o.meta || typeof o.meta !== 'object' || Array.isArray(o.meta)))
    fail('MALFORMED', 'AI11', 'meta');
  const sec = o.meta?.security;
  if (
    (sec === undefined) !== (want.meta === undefined) ||
    (sec !== undefined && !jsonEquals(sec, want.meta.security))
  )
    fail('LOG_ENTRY_MODIFIED', 'AI11', 'meta.security');
  if (!jsonEquals(o.extension, want.extension)) fail('LOG_ENTRY_MODIFIED', 'AI12', 'extension');
  const same = (k, rule) => {
    if (
      (o[k] === undefined) !== (want[k] === undefined) ||
      (o[k] !== undefined && !jsonEquals(o[k], want[k]))
    )
      fail('LOG_ENTRY_MODIFIED', rule, k);
  };
  same('type', 'AI13');
  same('subtype', 'AI14');
  same('action', 'AI15');
  if (typeof o.recorded !== 'string' || firstInstant(o.recorded) !== ev.time)
    fail('LOG_ENTRY_MODIFIED', 'AI16', 'recorded');
  same('outcome', 'AI17');
  same('purposeOfEvent', 'AI18');
  same('agent', 'AI19');
  same('source', 'AI20');
  same('entity', 'AI21');
  return ev.encoded;
}

// SPDX-License-Identifier: Apache-2.0
// A second implementation of docs/spec/record.md (cards, sealed records v1
// and v2), written from the spec alone with libsodium-wrappers (libsodium
// 1.0.22 compiled by its authors) and node:crypto (ChaCha20 for the
// deterministic RNG). It shares no code with the C++ core; agreeing with
// the vectors shows the spec is complete. Every rule is checked in the
// order of the spec's tables, and each check names its rule. Version 2
// cards' X-Wing keys (§6.4) come from @noble/post-quantum (its
// ml_kem768_x25519, draft-connolly-cfrg-xwing-kem); the ML-KEM key check of
// rule E16 is written here from FIPS 203 §7.2. The post-quantum record
// stanza's X-Wing (§5.4) is assembled here from the spec's text, with
// @noble/post-quantum's ML-KEM-768, @noble/hashes' SHA-3 and libsodium's
// X25519.
import crypto from 'node:crypto';
import { ml_kem768_x25519 as xwing } from '@noble/post-quantum/hybrid.js';
import sodium from 'libsodium-wrappers';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';

export const ready = sodium.ready;

export class SpecError extends Error {
  constructor(code, rule, message) {
    super(`${code} (${rule}): ${message}`);
    this.code = code;
    this.rule = rule;
  }
}
const fail = (code, rule, msg) => {
  throw new SpecError(code, rule, msg);
};

const enc = new TextEncoder();
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const label = (s) => concat(enc.encode(s), new Uint8Array([0]));
const u8 = (n) => new Uint8Array([n]);
const u32 = (n) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};
const u64 = (n) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(n)), true);
  return b;
};
const cmp = (a, b) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};
const eq = (a, b) => a.length === b.length && cmp(a, b) === 0;
export const hex = (b) => Buffer.from(b).toString('hex');
export const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const byteLength = (s) => enc.encode(s).length;

// §1: times and integers stop at 2^53 - 1.
const MAX_TIME = 2 ** 53 - 1;

// §1.1 base64url without padding, strict: D1-D4 in order. `rule` is the
// member rule that delegates here (e.g. "C6").
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function b64u(bytes) {
  return Buffer.from(bytes).toString('base64url');
}
export function unb64u(s, rule = '§1.1') {
  const data = s.replace(/=+$/, '');
  for (const c of data)
    if (!B64.includes(c)) fail('MALFORMED', `${rule}/D1`, 'bad base64url character');
  if (data.length % 4 === 1) fail('MALFORMED', `${rule}/D2`, 'impossible length');
  if (data !== s) fail('NON_CANONICAL', `${rule}/D3`, 'padding');
  const out = new Uint8Array(Buffer.from(s, 'base64url'));
  if (b64u(out) !== s) fail('NON_CANONICAL', `${rule}/D4`, 'non-zero unused bits');
  return out;
}

// §4.4 padding
export function PAD(m) {
  if (m <= 256) return 256;
  const e = Math.floor(Math.log2(m));
  const s = Math.floor(Math.log2(e)) + 1;
  const mask = 2 ** (e - s) - 1;
  return Math.floor((m + mask) / (mask + 1)) * (mask + 1);
}
const MAX_BODY = 16 * 1024 * 1024;
const MAX_PAYLOAD = 1 + 127 + 1 + 64 + 1 + 64 + 8 + 4 + MAX_BODY;
const MAX_L = PAD(MAX_PAYLOAD + 1) + 16; // B11

// §9 deterministic RNG
export class ChaChaRng {
  constructor(seed) {
    this.seed = seed;
    this.i = 0n;
  }
  fill(k) {
    const nonce = concat(u64(this.i++), new Uint8Array(4));
    const iv = concat(new Uint8Array(4), nonce); // OpenSSL: 32-bit counter || 96-bit nonce
    const c = crypto.createCipheriv('chacha20', this.seed, iv);
    return new Uint8Array(c.update(new Uint8Array(k)));
  }
}

const blake = (n, key, msg) => sodium.crypto_generichash(n, msg, key && key.length ? key : null);
// X25519 that reports an all-zero result as null (libsodium throws on it).
function x25519OrNull(sk, pk) {
  let out;
  try {
    out = sodium.crypto_scalarmult(sk, pk);
  } catch {
    return null;
  }
  return out.every((b) => b === 0) ? null : out;
}
// §2.2: a point of small order gives all zeros with every private key.
const PROBE = concat(u8(8), new Uint8Array(31));
const isSmallOrder = (pk) => x25519OrNull(PROBE, pk) === null;

// §2.1, §3
export const keyId = (signPk, kxPk) =>
  blake(16, null, concat(label('medseal/v1/key-id'), signPk, kxPk));
// §6.1: key_list = u8(m) || m x (u8(type) || u16(len) || key), and key id v2.
const keyLength = (n) => new Uint8Array([n & 0xff, n >> 8]); // u16
const keyList = (keys) =>
  concat(u8(keys.length), ...keys.flatMap((k) => [u8(k.type), keyLength(k.key.length), k.key]));
export const keyIdV2 = (signPk, kxPk, keys) =>
  blake(16, null, concat(label('medseal/v2/key-id'), signPk, kxPk, keyList(keys)));
// §3. `postQuantum`: also the X-Wing key of xwing_seed (§6.4) on a version 2 card.
export function identityFromSeed(seed, name, role, created, postQuantum = false) {
  const edSeed = blake(32, seed, label('medseal/v1/identity/ed25519'));
  const kp = sodium.crypto_sign_seed_keypair(edSeed);
  const kxSk = blake(32, seed, label('medseal/v1/identity/x25519'));
  const kxPk = sodium.crypto_scalarmult_base(kxSk);
  const id = {
    signPk: kp.publicKey,
    signSk: kp.privateKey,
    kxSk,
    kxPk,
    kid: keyId(kp.publicKey, kxPk),
    name,
    role,
    created,
  };
  if (postQuantum) {
    id.xwingSeed = blake(32, seed, label('medseal/v2/identity/xwing'));
    id.keys = [{ type: 3, key: xwing.keygen(id.xwingSeed).publicKey }];
    id.kid = keyIdV2(id.signPk, id.kxPk, id.keys);
  }
  return id;
}
// §2.2 (version 1) and §6.2 (version 2, when the card has `keys`).
const cardSigned = (c) =>
  concat(
    label(c.keys ? 'medseal/v2/card' : 'medseal/v1/card'),
    c.signPk,
    c.kxPk,
    c.keys ? keyList(c.keys) : new Uint8Array(0),
    u8(byteLength(c.name)),
    enc.encode(c.name),
    u8(c.role.length),
    enc.encode(c.role),
    u64(c.created),
  );
// §1.2 "what medseal writes": JCS. JSON.stringify escapes strings as JCS
// does and writes integers below 2^53 in shortest decimal; the members are
// written in sorted order.
export function cardJson(id) {
  const sig = sodium.crypto_sign_detached(cardSigned(id), id.signSk);
  const keys = id.keys && { keys: id.keys.map((k) => ({ key: b64u(k.key), type: k.type })) };
  return JSON.stringify({
    created: id.created,
    ...keys,
    kid: b64u(id.kid),
    kx: b64u(id.kxPk),
    name: id.name,
    role: id.role,
    sig: b64u(sig),
    sign: b64u(id.signPk),
    type: 'medseal.card',
    v: id.keys ? 2 : 1,
  });
}

// §1.2 JSON texts. A strict parser over the input's bytes: G1-G4 on the
// bytes, then one pass for G5-G8. Numbers keep their spelling (JsonNumber),
// so that integers (§1.2) can be told from 1.0, 1e0 and -0.
class JsonNumber {
  constructor(lexeme) {
    this.lexeme = lexeme;
  }
}
const MAX_DEPTH = 16;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y; // RFC 8259 §6
export function parseJsonText(text, max) {
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  if (bytes.length > max) fail('TOO_LARGE', 'G1', 'input too large');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    fail('MALFORMED', 'G2', 'byte order mark');
  if (bytes.includes(0)) fail('MALFORMED', 'G3', 'NUL byte');
  let s;
  try {
    s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail('MALFORMED', 'G4', 'not UTF-8');
  }
  let i = 0;
  const bad = (what) => fail('MALFORMED', 'G5', what);
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const string = () => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= s.length) bad('unterminated string');
      const c = s[i++];
      if (c === '"') return out;
      if (c.charCodeAt(0) < 0x20) bad('control character in a string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = s[i++];
      const simple = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      }[e];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      if (e !== 'u') bad('bad escape');
      const unit = () => {
        const h = s.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) bad('bad \\u escape');
        i += 4;
        return parseInt(h, 16);
      };
      const u = unit();
      if (u >= 0xdc00 && u <= 0xdfff) fail('MALFORMED', 'G4', 'lone low surrogate escape');
      if (u >= 0xd800 && u <= 0xdbff) {
        if (s[i] !== '\\' || s[i + 1] !== 'u')
          fail('MALFORMED', 'G4', 'lone high surrogate escape');
        i += 2;
        const low = unit();
        if (!(low >= 0xdc00 && low <= 0xdfff))
          fail('MALFORMED', 'G4', 'lone high surrogate escape');
        out += String.fromCharCode(u, low);
      } else {
        out += String.fromCharCode(u);
      }
    }
  };
  const value = (depth) => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      if (depth > MAX_DEPTH) fail('MALFORMED', 'G6', 'nesting too deep');
      i++;
      ws();
      if (c === '[') {
        const arr = [];
        if (s[i] === ']') {
          i++;
          return arr;
        }
        for (;;) {
          arr.push(value(depth + 1));
          ws();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ']') {
            i++;
            return arr;
          }
          bad('expected , or ]');
        }
      }
      const obj = new Map();
      if (s[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') bad('expected a member name');
        const name = string();
        if (obj.has(name)) fail('MALFORMED', 'G7', 'duplicate member name');
        ws();
        if (s[i++] !== ':') bad('expected :');
        obj.set(name, value(depth + 1));
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return obj;
        }
        bad('expected , or }');
      }
    }
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(s);
    if (m) {
      i += m[0].length;
      return new JsonNumber(m[0]);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    bad('unexpected character');
  };
  const top = value(1);
  ws();
  if (i !== s.length) bad('text after the value');
  if (!(top instanceof Map)) fail('MALFORMED', 'G8', 'not an object');
  return top;
}
// §1.2 integer: no fraction, no exponent, not -0, magnitude <= 2^53 - 1.
function integerOf(v) {
  if (!(v instanceof JsonNumber) || !/^(0|-?[1-9][0-9]*)$/.test(v.lexeme)) return undefined;
  const n = BigInt(v.lexeme);
  return (n < 0n ? -n : n) <= BigInt(MAX_TIME) ? Number(n) : undefined;
}
const isObject = (v) => v instanceof Map;
function typeAndVersion(o, type, r, versions = [1]) {
  if (o.get('type') !== type) fail('MALFORMED', r[0], 'type');
  const v = integerOf(o.get('v'));
  if (v === undefined) fail('MALFORMED', r[1], 'v is not an integer');
  if (!versions.includes(v)) fail('UNSUPPORTED_VERSION', r[2], 'v');
  return v;
}
function exactMembers(o, keys, rule) {
  if (!isObject(o)) fail('MALFORMED', rule, 'expected an object');
  for (const k of keys) if (!o.has(k)) fail('MALFORMED', rule, `missing ${k}`);
  if (o.size !== keys.length) fail('MALFORMED', rule, 'unknown member');
}
// A base64url member: not a string, §1.1, decoded size. rules = [string, §1.1, size].
function b64Member(o, k, size, rules) {
  const s = o.get(k);
  if (typeof s !== 'string') fail('MALFORMED', rules[0], `${k} is not a string`);
  const b = unb64u(s, rules[1]);
  if (size !== undefined && b.length !== size)
    fail('MALFORMED', rules[2], `${k} has the wrong size`);
  return b;
}

// §6.3 E2-E12: the key list of a version 2 card.
function keysMember(o) {
  const a = o.get('keys');
  if (!Array.isArray(a)) fail('MALFORMED', 'E2', 'keys is not an array');
  if (a.length === 0) fail('MALFORMED', 'E3', 'keys is empty');
  const keys = a.map((e) => {
    if (!isObject(e) || e.size !== 2 || !e.has('type') || !e.has('key'))
      fail('MALFORMED', 'E4', 'element');
    const type = integerOf(e.get('type'));
    if (type === undefined || type < 0 || type > 255) fail('MALFORMED', 'E5', 'type');
    if (type <= 2) fail('MALFORMED', 'E6', 'type 0, 1 or 2');
    const key = b64Member(e, 'key', undefined, ['E7', 'E8']);
    if (key.length === 0) fail('MALFORMED', 'E9', 'empty key');
    if (type === 3 && key.length !== 1216) fail('MALFORMED', 'E10', 'X-Wing key size');
    return { type, key };
  });
  if (new Set(keys.map((k) => k.type)).size !== keys.length)
    fail('MALFORMED', 'E11', 'type listed twice');
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1].type > keys[i].type) fail('NON_CANONICAL', 'E12', 'types out of order');
  return keys;
}
// §6.4 E16: FIPS 203 §7.2, every 12-bit coefficient of ek[0:1152] below q.
function mlkemKeyValid(ek) {
  for (let i = 0; i < 1152; i += 3) {
    const c0 = ek[i] | ((ek[i + 1] & 0x0f) << 8);
    const c1 = (ek[i + 1] >> 4) | (ek[i + 2] << 4);
    if (c0 >= 3329 || c1 >= 3329) return false;
  }
  return true;
}

// §2.3 card parse: G1-G8, then C1-C27 (version 1) or §6.3 (version 2).
export function parseCard(text) {
  const o = parseJsonText(text, 4096);
  const v = typeAndVersion(o, 'medseal.card', ['C1', 'C2', 'C3'], [1, 2]);
  const v1 = ['type', 'v', 'kid', 'sign', 'kx', 'name', 'role', 'created', 'sig'];
  if (v === 1) exactMembers(o, v1, 'C4');
  else exactMembers(o, [...v1, 'keys'], 'E1');
  const kid = b64Member(o, 'kid', 16, ['C5', 'C6', 'C7']);
  const signPk = b64Member(o, 'sign', 32, ['C8', 'C9', 'C10']);
  const kxPk = b64Member(o, 'kx', 32, ['C11', 'C12', 'C13']);
  const keys = v === 2 ? keysMember(o) : undefined;
  const name = o.get('name');
  if (typeof name !== 'string') fail('MALFORMED', 'C14', 'name');
  if (byteLength(name) > 128) fail('TOO_LARGE', 'C15', 'name');
  if (/[\u0000-\u001f]/.test(name)) fail('MALFORMED', 'C16', 'name');
  const role = o.get('role');
  if (typeof role !== 'string') fail('MALFORMED', 'C17', 'role');
  if (role.length === 0) fail('MALFORMED', 'C18', 'role');
  if (byteLength(role) > 32) fail('TOO_LARGE', 'C19', 'role');
  if (!/^[a-z0-9-]+$/.test(role)) fail('MALFORMED', 'C20', 'role');
  const created = integerOf(o.get('created'));
  if (created === undefined || created < 0) fail('MALFORMED', 'C21', 'created');
  const sig = b64Member(o, 'sig', 64, ['C22', 'C23', 'C24']);
  const [kidRule, sigRule, kxRule] = v === 1 ? ['C25', 'C26', 'C27'] : ['E13', 'E14', 'E15'];
  const expected = v === 1 ? keyId(signPk, kxPk) : keyIdV2(signPk, kxPk, keys);
  if (!eq(kid, expected)) fail('KEY_ID_MISMATCH', kidRule, 'kid');
  const card = { kid, signPk, kxPk, name, role, created, ...(keys && { keys }) };
  if (!sodium.crypto_sign_verify_detached(sig, cardSigned(card), signPk))
    fail('SIGNATURE_INVALID', sigRule, 'card');
  if (isSmallOrder(kxPk)) fail('WEAK_KEY', kxRule, 'kx of small order');
  const xw = keys?.find((k) => k.type === 3)?.key;
  if (xw && !mlkemKeyValid(xw)) fail('INVALID_KEY', 'E16', 'ML-KEM-768 key');
  if (xw && isSmallOrder(xw.subarray(1184))) fail('WEAK_KEY', 'E17', 'X25519 part of small order');
  card.version = v;
  card.xwingPk = xw;
  return card;
}

// §4.1 / §4.6 binary parse
const MAGIC = enc.encode('msrc');
function checkStanzas(st, rules) {
  const seen = new Set();
  for (const s of st) {
    const h = hex(s.kid);
    if (seen.has(h)) fail('DUPLICATE_RECIPIENT', rules[0], 'dup');
    seen.add(h);
  }
  for (let i = 1; i < st.length; i++)
    if (cmp(st[i - 1].kid, st[i].kid) >= 0) fail('NON_CANONICAL', rules[1], 'order');
}
function checkL(L, rules) {
  if (L > MAX_L) fail('TOO_LARGE', rules[0], 'L');
  if (L < 16 + 256 || PAD(L - 16) !== L - 16) fail('NON_CANONICAL', rules[1], 'L');
}
export function parseBinary(b) {
  for (let i = 0; i < Math.min(4, b.length); i++)
    if (b[i] !== MAGIC[i]) fail('MALFORMED', 'B1', 'magic');
  if (b.length < 5) fail('TRUNCATED', 'B2', 'short');
  if (b[4] === 2) return parseBinaryV2(b);
  if (b[4] !== 1) fail('UNSUPPORTED_VERSION', 'B3', 'version');
  if (b.length < 78) fail('TRUNCATED', 'B4', 'header');
  const n = b[77];
  if (n === 0) fail('MALFORMED', 'B5', 'n=0');
  if (n > 64) fail('TOO_LARGE', 'B6', 'n');
  if (b.length < 78 + 64 * n) fail('TRUNCATED', 'B7', 'stanzas');
  const stanzas = [];
  for (let i = 0; i < n; i++) {
    const o = 78 + 64 * i;
    stanzas.push({ kid: b.slice(o, o + 16), wrapped: b.slice(o + 16, o + 64) });
  }
  checkStanzas(stanzas, ['B8', 'B9']);
  const lo = 78 + 64 * n;
  if (b.length < lo + 4) fail('TRUNCATED', 'B10', 'L');
  const L = new DataView(b.buffer, b.byteOffset + lo, 4).getUint32(0, true);
  checkL(L, ['B11', 'B12']);
  if (b.length < lo + 4 + L + 64) fail('TRUNCATED', 'B13', 'body');
  if (b.length > lo + 4 + L + 64) fail('TRAILING_DATA', 'B14', 'trailing');
  return {
    version: 1,
    sender: b.slice(5, 21),
    nonce: b.slice(21, 45),
    eph: b.slice(45, 77),
    stanzas,
    ciphertext: b.slice(lo + 4, lo + 4 + L),
    signature: b.slice(lo + 4 + L),
  };
}
// §4.2, §4.6: G1-G8, then J1-J32.
export function parseJson(text) {
  const o = parseJsonText(text, 32 * 1024 * 1024);
  const v = typeAndVersion(o, 'medseal.record', ['J1', 'J2', 'J3'], [1, 2]);
  if (v === 2) return parseJsonV2(o);
  exactMembers(
    o,
    ['type', 'v', 'sender', 'nonce', 'ephemeral', 'recipients', 'ciphertext', 'signature'],
    'J4',
  );
  const r = {
    version: 1,
    sender: b64Member(o, 'sender', 16, ['J5', 'J6', 'J7']),
    nonce: b64Member(o, 'nonce', 24, ['J8', 'J9', 'J10']),
    eph: b64Member(o, 'ephemeral', 32, ['J11', 'J12', 'J13']),
  };
  const list = o.get('recipients');
  if (!Array.isArray(list)) fail('MALFORMED', 'J14', 'recipients is not an array');
  if (list.length === 0) fail('MALFORMED', 'J15', 'no recipients');
  if (list.length > 64) fail('TOO_LARGE', 'J16', 'too many recipients');
  r.stanzas = list.map((s) => {
    exactMembers(s, ['kid', 'wrapped'], 'J17');
    return {
      kid: b64Member(s, 'kid', 16, ['J18', 'J19', 'J20']),
      wrapped: b64Member(s, 'wrapped', 48, ['J21', 'J22', 'J23']),
    };
  });
  checkStanzas(r.stanzas, ['J24', 'J25']);
  r.ciphertext = b64Member(o, 'ciphertext', undefined, ['J26', 'J27']);
  checkL(r.ciphertext.length, ['J28', 'J29']);
  r.signature = b64Member(o, 'signature', 64, ['J30', 'J31', 'J32']);
  return r;
}
const header = (r) =>
  r.version === 2
    ? headerV2(r)
    : concat(
        MAGIC,
        u8(1),
        r.sender,
        r.nonce,
        r.eph,
        u8(r.stanzas.length),
        ...r.stanzas.flatMap((s) => [s.kid, s.wrapped]),
        u32(r.ciphertext.length),
      );
export const encodeBinary = (r) => concat(header(r), r.ciphertext, r.signature);
const sigMessage = (r) =>
  concat(
    label(r.version === 2 ? 'medseal/v2/record/signature' : 'medseal/v1/record/signature'),
    blake(64, null, concat(header(r), r.ciphertext)),
  );
const wrapKey = (shared, eph, kxPk, version = 1) =>
  blake(
    32,
    shared,
    concat(
      label(version === 2 ? 'medseal/v2/record/x25519-wrap' : 'medseal/v1/record/wrap'),
      eph,
      kxPk,
    ),
  );

// §4.7: V1-V2, O1-O4, then §4.4's P1-P9.
export function verify(r, senderCard) {
  if (!eq(r.sender, senderCard.kid)) fail('SENDER_MISMATCH', 'V1', 'sender');
  if (!sodium.crypto_sign_verify_detached(r.signature, sigMessage(r), senderCard.signPk))
    fail('SIGNATURE_INVALID', 'V2', 'record');
}
const aeadOpen = (c, ad, nonce, key, rule) => {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad, nonce, key);
  } catch {
    fail('DECRYPT_FAILED', rule, 'aead');
  }
};
// §5.6: the stated purpose (undefined or null: none stated), checked before
// the record; then U1 after V1-V2.
function checkStatedPurpose(purpose) {
  if (purpose === undefined || purpose === null) return;
  const ok = (t, max) => byteLength(t) <= max && /^[\x21-\x7e]+$/.test(t);
  if (!ok(purpose.system, 255) || !ok(purpose.code, 64))
    fail('INVALID_ARGUMENT', '§5.6', 'stated purpose');
}
function checkPurposeCarried(r, purpose) {
  if (r.version !== 2) return; // version 1 binds no purpose
  const stated = purpose ?? null;
  if (
    stated === null ||
    !r.purposes.some((p) => p.system === stated.system && p.code === stated.code)
  )
    fail('PURPOSE_MISMATCH', 'U1', 'purpose not in the header');
}
export function open(r, me, senderCard, purpose) {
  checkStatedPurpose(purpose);
  verify(r, senderCard);
  checkPurposeCarried(r, purpose);
  const st = r.version === 2 ? pickStanzaV2(r, me) : r.stanzas.find((s) => eq(s.kid, me.kid));
  if (!st) fail('NO_MATCHING_RECIPIENT', 'O1', 'not for me');
  if (st.type === 3) return openPayload(r, openXWingStanza(st, xwingSeedOf(me)));
  const shared = x25519OrNull(me.kxSk, r.eph);
  if (shared === null) fail('WEAK_KEY', 'O2', 'all-zero shared secret');
  const dek = aeadOpen(
    r.version === 2 ? st.body : st.wrapped,
    null,
    new Uint8Array(24),
    wrapKey(shared, r.eph, me.kxPk, r.version),
    'O3',
  );
  return openPayload(r, dek);
}
// §5.6 with a vault key: V1, V2, U1, Q1, Q2, then O4 and P1-P9.
export function openWithVault(r, vault, senderCard, purpose) {
  checkStatedPurpose(purpose);
  verify(r, senderCard);
  checkPurposeCarried(r, purpose);
  const st = r.version === 2 ? r.stanzas.find((s) => s.type === 2 && eq(s.kid, vault.id)) : null;
  if (!st) fail('NO_MATCHING_RECIPIENT', 'Q1', 'no vault stanza for this key');
  const dek = aeadOpen(st.body, null, new Uint8Array(24), vaultWrapKey(vault, r), 'Q2');
  return openPayload(r, dek);
}
function openPayload(r, dek) {
  const P = aeadOpen(r.ciphertext, header(r), r.nonce, dek, 'O4');
  let end = P.length;
  while (end > 0 && P[end - 1] === 0) end--;
  if (end === 0 || P[end - 1] !== 0x80) fail('NON_CANONICAL', 'P1', 'padding');
  if (PAD(end) !== P.length) fail('NON_CANONICAL', 'P2', 'padding length');
  const E = P.subarray(0, end - 1);
  let o = 0;
  const need = (n) => {
    if (o + n > E.length) fail('MALFORMED', 'P3', 'payload truncated');
    const v = E.subarray(o, o + n);
    o += n;
    return v;
  };
  const str = () => Buffer.from(need(need(1)[0])).toString('latin1');
  const contentType = str(),
    recordId = str(),
    resourceType = str();
  const created = new DataView(need(8).slice().buffer).getBigUint64(0, true);
  const bodyLen = new DataView(need(4).slice().buffer).getUint32(0, true);
  const body = need(bodyLen).slice();
  if (o !== E.length) fail('MALFORMED', 'P4', 'bytes after body');
  if (created > BigInt(MAX_TIME)) fail('MALFORMED', 'P5', 'created after 2^53 - 1');
  if (contentType.length === 0 || contentType.length > 127 || !/^[\x20-\x7e]+$/.test(contentType))
    fail('MALFORMED', 'P6', 'content type');
  if (recordId.length > 64 || !/^[\x21-\x7e]*$/.test(recordId))
    fail('MALFORMED', 'P7', 'record id');
  if (resourceType.length > 64 || !/^[A-Za-z]*$/.test(resourceType))
    fail('MALFORMED', 'P8', 'resource type');
  if (body.length > MAX_BODY) fail('MALFORMED', 'P9', 'body over 16 MiB');
  return { contentType, recordId, resourceType, created: Number(created), body };
}

// §4.5 (its step-1 checks, then the construction).
export function seal(sender, recipientCards, payload, rng, now) {
  const bad = (code, msg) => fail(code, '§4.5', msg);
  if (recipientCards.length === 0) bad('INVALID_ARGUMENT', 'no recipients');
  if (recipientCards.length > 64) bad('TOO_LARGE', 'too many recipients');
  const { contentType, recordId, resourceType, body } = payload;
  if (contentType.length === 0 || !/^[\x20-\x7e]+$/.test(contentType))
    bad('INVALID_ARGUMENT', 'content type');
  if (contentType.length > 127) bad('TOO_LARGE', 'content type');
  if (recordId.length > 64) bad('TOO_LARGE', 'record id');
  if (!/^[\x21-\x7e]*$/.test(recordId)) bad('INVALID_ARGUMENT', 'record id');
  if (resourceType.length > 64) bad('TOO_LARGE', 'resource type');
  if (!/^[A-Za-z]*$/.test(resourceType)) bad('INVALID_ARGUMENT', 'resource type');
  if (body.length > MAX_BODY) bad('TOO_LARGE', 'body');
  if (!Number.isSafeInteger(now) || now < 0) bad('INVALID_ARGUMENT', 'now');
  const sorted = [...recipientCards].sort((a, b) => cmp(a.kid, b.kid));
  for (let i = 1; i < sorted.length; i++)
    if (eq(sorted[i - 1].kid, sorted[i].kid)) bad('DUPLICATE_RECIPIENT', 'same card twice');
  const dek = rng.fill(32),
    nonce = rng.fill(24),
    ephSk = rng.fill(32);
  const eph = sodium.crypto_scalarmult_base(ephSk);
  const stanzas = sorted.map((c) => {
    const shared = x25519OrNull(ephSk, c.kxPk);
    if (shared === null) bad('WEAK_KEY', 'all-zero shared secret');
    return {
      kid: c.kid,
      wrapped: sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        dek,
        null,
        null,
        new Uint8Array(24),
        wrapKey(shared, eph, c.kxPk),
      ),
    };
  });
  const s = (t) => concat(u8(t.length), enc.encode(t));
  const E = concat(s(contentType), s(recordId), s(resourceType), u64(now), u32(body.length), body);
  const P = new Uint8Array(PAD(E.length + 1));
  P.set(E);
  P[E.length] = 0x80;
  const r = { sender: sender.kid, nonce, eph, stanzas, ciphertext: new Uint8Array(P.length + 16) };
  r.ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(P, header(r), null, nonce, dek);
  r.signature = sodium.crypto_sign_detached(sigMessage(r), sender.signSk);
  return r;
}
export function encodeJson(r) {
  if (r.version === 2) return encodeJsonV2(r);
  return JSON.stringify({
    ciphertext: b64u(r.ciphertext),
    ephemeral: b64u(r.eph),
    nonce: b64u(r.nonce),
    recipients: r.stanzas.map((s) => ({ kid: b64u(s.kid), wrapped: b64u(s.wrapped) })),
    sender: b64u(r.sender),
    signature: b64u(r.signature),
    type: 'medseal.record',
    v: 1,
  });
}

// ---- §5 sealed record, version 2 ----

const ACT = /^[\x21-\x7e]+$/;
const purposeCmp = (a, b) =>
  cmp(enc.encode(a.system), enc.encode(b.system)) || cmp(enc.encode(a.code), enc.encode(b.code));
const stanzaCmp = (a, b) => a.type - b.type || cmp(a.kid, b.kid);
const u16 = (n) => new Uint8Array([n & 0xff, n >> 8]);
const str8 = (t) => concat(u8(byteLength(t)), enc.encode(t));

// §5.1
function headerV2(r) {
  return concat(
    MAGIC,
    u8(2),
    r.sender,
    r.nonce,
    r.eph,
    u8(r.purposes.length),
    ...r.purposes.flatMap((p) => [str8(p.system), str8(p.code)]),
    u8(r.consents.length),
    ...r.consents,
    u8(r.stanzas.length),
    ...r.stanzas.flatMap((s) => [u8(s.type), s.kid, u16(s.body.length), s.body]),
    u32(r.ciphertext.length),
  );
}
// W7 / K9, W11 / K15, W20-W21 / K28-K29.
function checkPurposeOrder(ps, rule) {
  for (let i = 1; i < ps.length; i++)
    if (purposeCmp(ps[i - 1], ps[i]) >= 0) fail('NON_CANONICAL', rule, 'purpose order');
}
function checkHashOrder(hs, rule) {
  for (let i = 1; i < hs.length; i++)
    if (cmp(hs[i - 1], hs[i]) >= 0) fail('NON_CANONICAL', rule, 'consent hash order');
}
function checkStanzasV2(st, rules) {
  const seen = new Set();
  for (const s of st) {
    const k = `${s.type}:${hex(s.kid)}`;
    if (seen.has(k)) fail('DUPLICATE_RECIPIENT', rules[0], 'same type and key id twice');
    seen.add(k);
  }
  for (let i = 1; i < st.length; i++)
    if (stanzaCmp(st[i - 1], st[i]) >= 0) fail('NON_CANONICAL', rules[1], 'stanza order');
}
// §5.3: the body size of a known type (undefined for an unknown one).
const KNOWN_SIZE = { 1: 48, 2: 48, 3: 1168 };
const KNOWN = (type) => KNOWN_SIZE[type] !== undefined;
const wrongKnownSize = (type, n) => KNOWN(type) && n !== KNOWN_SIZE[type];

// §5.5, binary: W1-W26 after B1-B3.
function parseBinaryV2(b) {
  let o = 5;
  const need = (n, rule) => {
    if (o + n > b.length) fail('TRUNCATED', rule, 'input ends');
    const v = b.slice(o, o + n);
    o += n;
    return v;
  };
  const sender = need(16, 'W1'),
    nonce = need(24, 'W1'),
    eph = need(32, 'W1');
  const p = need(1, 'W1')[0];
  if (p === 0) fail('MALFORMED', 'W2', 'no purpose');
  if (p > 16) fail('TOO_LARGE', 'W3', 'too many purposes');
  const purposes = [];
  for (let i = 0; i < p; i++) {
    const system = need(need(1, 'W4')[0], 'W4');
    const code = need(need(1, 'W4')[0], 'W4');
    if (code.length > 64) fail('TOO_LARGE', 'W5', 'code');
    const printable = (x) => x.length > 0 && x.every((c) => c >= 0x21 && c <= 0x7e);
    if (!printable(system) || !printable(code)) fail('MALFORMED', 'W6', 'purpose bytes');
    purposes.push({
      system: Buffer.from(system).toString('latin1'),
      code: Buffer.from(code).toString('latin1'),
    });
  }
  checkPurposeOrder(purposes, 'W7');
  const h = need(1, 'W8')[0];
  if (h > 64) fail('TOO_LARGE', 'W9', 'too many consent hashes');
  const consents = [];
  for (let i = 0; i < h; i++) consents.push(need(32, 'W10'));
  checkHashOrder(consents, 'W11');
  const n = need(1, 'W12')[0];
  if (n === 0) fail('MALFORMED', 'W13', 'no stanza');
  if (n > 64) fail('TOO_LARGE', 'W14', 'too many stanzas');
  const stanzas = [];
  for (let i = 0; i < n; i++) {
    const type = need(1, 'W15')[0];
    const kid = need(16, 'W15');
    const lenBytes = need(2, 'W15');
    const len = lenBytes[0] | (lenBytes[1] << 8);
    if (type === 0) fail('MALFORMED', 'W16', 'stanza type 0');
    if (len > 4096) fail('TOO_LARGE', 'W17', 'stanza body');
    const body = need(len, 'W18');
    if (wrongKnownSize(type, len)) fail('MALFORMED', 'W19', 'known type, wrong body size');
    stanzas.push({ type, kid, body });
  }
  checkStanzasV2(stanzas, ['W20', 'W21']);
  const lb = need(4, 'W22');
  const L = new DataView(lb.buffer, lb.byteOffset, 4).getUint32(0, true);
  checkL(L, ['W23', 'W24']);
  if (b.length < o + L + 64) fail('TRUNCATED', 'W25', 'body');
  if (b.length > o + L + 64) fail('TRAILING_DATA', 'W26', 'trailing');
  return {
    version: 2,
    sender,
    nonce,
    eph,
    purposes,
    consents,
    stanzas,
    ciphertext: b.slice(o, o + L),
    signature: b.slice(o + L),
  };
}

// §5.5, JSON: K1, J5-J13, K2-K29, J26-J32 after G1-G8 and J1-J3.
function parseJsonV2(o) {
  exactMembers(
    o,
    [
      'type',
      'v',
      'sender',
      'nonce',
      'ephemeral',
      'purposes',
      'consents',
      'recipients',
      'ciphertext',
      'signature',
    ],
    'K1',
  );
  const r = {
    version: 2,
    sender: b64Member(o, 'sender', 16, ['J5', 'J6', 'J7']),
    nonce: b64Member(o, 'nonce', 24, ['J8', 'J9', 'J10']),
    eph: b64Member(o, 'ephemeral', 32, ['J11', 'J12', 'J13']),
  };
  const ps = o.get('purposes');
  if (!Array.isArray(ps)) fail('MALFORMED', 'K2', 'purposes is not an array');
  if (ps.length === 0) fail('MALFORMED', 'K3', 'no purpose');
  if (ps.length > 16) fail('TOO_LARGE', 'K4', 'too many purposes');
  r.purposes = ps.map((p) => {
    exactMembers(p, ['system', 'code'], 'K5');
    const system = p.get('system'),
      code = p.get('code');
    if (typeof system !== 'string' || typeof code !== 'string')
      fail('MALFORMED', 'K6', 'system or code is not a string');
    if (byteLength(system) > 255 || byteLength(code) > 64) fail('TOO_LARGE', 'K7', 'purpose');
    if (!ACT.test(system) || !ACT.test(code)) fail('MALFORMED', 'K8', 'purpose characters');
    return { system, code };
  });
  checkPurposeOrder(r.purposes, 'K9');
  const cs = o.get('consents');
  if (!Array.isArray(cs)) fail('MALFORMED', 'K10', 'consents is not an array');
  if (cs.length > 64) fail('TOO_LARGE', 'K11', 'too many consent hashes');
  r.consents = cs.map((c) => {
    if (typeof c !== 'string') fail('MALFORMED', 'K12', 'consent hash is not a string');
    const h = unb64u(c, 'K13');
    if (h.length !== 32) fail('MALFORMED', 'K14', 'consent hash size');
    return h;
  });
  checkHashOrder(r.consents, 'K15');
  const list = o.get('recipients');
  if (!Array.isArray(list)) fail('MALFORMED', 'K16', 'recipients is not an array');
  if (list.length === 0) fail('MALFORMED', 'K17', 'no recipients');
  if (list.length > 64) fail('TOO_LARGE', 'K18', 'too many recipients');
  r.stanzas = list.map((s) => {
    exactMembers(s, ['type', 'kid', 'body'], 'K19');
    const type = integerOf(s.get('type'));
    if (type === undefined || type < 1 || type > 255) fail('MALFORMED', 'K20', 'stanza type');
    const kid = b64Member(s, 'kid', 16, ['K21', 'K22', 'K23']);
    const body = b64Member(s, 'body', undefined, ['K24', 'K25']);
    if (body.length > 4096) fail('TOO_LARGE', 'K26', 'stanza body');
    if (wrongKnownSize(type, body.length)) fail('MALFORMED', 'K27', 'known type, wrong size');
    return { type, kid, body };
  });
  checkStanzasV2(r.stanzas, ['K28', 'K29']);
  r.ciphertext = b64Member(o, 'ciphertext', undefined, ['J26', 'J27']);
  checkL(r.ciphertext.length, ['J28', 'J29']);
  r.signature = b64Member(o, 'signature', 64, ['J30', 'J31', 'J32']);
  return r;
}

// §5.3: a vault key is drawn as key (32), then id (16).
export function generateVaultKey(rng) {
  const key = rng.fill(32);
  const id = rng.fill(16);
  return { id, key };
}
// ---- §5.3-§5.6: the post-quantum stanza, type 3 (X-Wing) ----

// §6 / §3: a card's X-Wing key (card key type 3), an identity's X-Wing seed.
export const xwingPkOf = (card) => card.keys?.find((k) => k.type === 3)?.key ?? null;
const xwingSeedOf = (me) => me.xwingSeed ?? null;
const XWING_LABEL = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);
// §5.4 step 3, X-Wing-EncapsDerand (the key checks included).
export function xwingEncapsDerand(pk, eseed) {
  const ekM = pk.subarray(0, 1184),
    pkX = pk.subarray(1184, 1216);
  let m;
  try {
    m = ml_kem768.encapsulate(ekM, eseed.subarray(0, 32));
  } catch {
    fail('INVALID_KEY', '§5.4', 'ML-KEM encapsulation key');
  }
  const ekX = eseed.subarray(32, 64);
  const ctX = sodium.crypto_scalarmult_base(ekX);
  const ssX = x25519OrNull(ekX, pkX);
  if (ssX === null) fail('WEAK_KEY', '§5.4', 'X25519 part of small order');
  const ss = sha3_256(concat(m.sharedSecret, ssX, ctX, pkX, XWING_LABEL));
  return { ct: concat(m.cipherText, ctX), ss };
}
// §5.4 step 3, X-Wing-Decaps; H1 when the X25519 share gives all zeros.
export function xwingDecaps(seed, ct) {
  const s = shake256(seed, { dkLen: 96 });
  const { secretKey: dkM } = ml_kem768.keygen(s.subarray(0, 64));
  const skX = s.subarray(64, 96);
  const pkX = sodium.crypto_scalarmult_base(skX);
  const ctX = ct.subarray(1088, 1120);
  const ssM = ml_kem768.decapsulate(ct.subarray(0, 1088), dkM);
  const ssX = x25519OrNull(skX, ctX);
  if (ssX === null) fail('WEAK_KEY', 'H1', 'all-zero X25519 secret');
  return sha3_256(concat(ssM, ssX, ctX, pkX, XWING_LABEL));
}
const xwingWrapKey = (ss, kid, ct) =>
  blake(32, ss, concat(label('medseal/v2/record/xwing-wrap'), kid, ct));
function sealXWingStanza(kid, pk, eseed, dek) {
  const { ct, ss } = xwingEncapsDerand(pk, eseed);
  const wrapped = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    dek,
    null,
    null,
    new Uint8Array(24),
    xwingWrapKey(ss, kid, ct),
  );
  return { type: 3, kid, body: concat(ct, wrapped) };
}
// §5.6 H1, H2: the data key.
function openXWingStanza(st, seed) {
  const ct = st.body.subarray(0, 1120);
  const ss = xwingDecaps(seed, ct);
  return aeadOpen(
    st.body.subarray(1120),
    null,
    new Uint8Array(24),
    xwingWrapKey(ss, st.kid, ct),
    'H2',
  );
}
// §5.6 O1: type 3 for an identity with an X-Wing key when there is one,
// else type 1.
function pickStanzaV2(r, me) {
  const mine = (type) => r.stanzas.find((s) => s.type === type && eq(s.kid, me.kid));
  return (xwingSeedOf(me) !== null && mine(3)) || mine(1);
}
// §5.3: whether a stanza's wrap is post-quantum (inspection).
export const postQuantumStanza = (type) => type === 2 || type === 3;

// §5.4 step 3
const vaultWrapKey = (vault, r) =>
  blake(32, vault.key, concat(label('medseal/v2/record/vault-wrap'), vault.id, r.sender, r.nonce));

// §5.4 (its step-1 checks, then the construction). `extra`: stanzas of
// unassigned types added in step 3 (the vectors' seal.extraStanzas).
export function sealV2(sender, cards, vaults, payload, purposes, hashes, rng, now, extra = []) {
  const bad = (code, msg) => fail(code, '§5.4', msg);
  if (cards.length + vaults.length === 0) bad('INVALID_ARGUMENT', 'no recipients');
  if (cards.length + vaults.length > 64) bad('TOO_LARGE', 'too many recipients');
  const { contentType, recordId, resourceType, body } = payload;
  if (contentType.length === 0 || !/^[\x20-\x7e]+$/.test(contentType))
    bad('INVALID_ARGUMENT', 'content type');
  if (contentType.length > 127) bad('TOO_LARGE', 'content type');
  if (recordId.length > 64) bad('TOO_LARGE', 'record id');
  if (!/^[\x21-\x7e]*$/.test(recordId)) bad('INVALID_ARGUMENT', 'record id');
  if (resourceType.length > 64) bad('TOO_LARGE', 'resource type');
  if (!/^[A-Za-z]*$/.test(resourceType)) bad('INVALID_ARGUMENT', 'resource type');
  if (body.length > MAX_BODY) bad('TOO_LARGE', 'body');
  if (purposes.length === 0) bad('INVALID_ARGUMENT', 'no purpose');
  if (purposes.length > 16) bad('TOO_LARGE', 'too many purposes');
  for (const p of purposes) {
    if (byteLength(p.system) > 255 || byteLength(p.code) > 64) bad('TOO_LARGE', 'purpose');
    if (!ACT.test(p.system) || !ACT.test(p.code)) bad('INVALID_ARGUMENT', 'purpose');
  }
  if (hashes.length > 64) bad('TOO_LARGE', 'too many consent hashes');
  for (const h of hashes) if (h.length !== 32) bad('INVALID_ARGUMENT', 'consent hash size');
  const ps = [...purposes].sort(purposeCmp);
  for (let i = 1; i < ps.length; i++)
    if (purposeCmp(ps[i - 1], ps[i]) === 0) bad('INVALID_ARGUMENT', 'purpose twice');
  const hs = [...hashes].sort(cmp);
  for (let i = 1; i < hs.length; i++)
    if (cmp(hs[i - 1], hs[i]) === 0) bad('INVALID_ARGUMENT', 'consent hash twice');
  if (!Number.isSafeInteger(now) || now < 0) bad('INVALID_ARGUMENT', 'now');
  const cs = [...cards].sort((a, b) => cmp(a.kid, b.kid));
  for (let i = 1; i < cs.length; i++)
    if (eq(cs[i - 1].kid, cs[i].kid)) bad('DUPLICATE_RECIPIENT', 'same card twice');
  const vs = [...vaults].sort((a, b) => cmp(a.id, b.id));
  for (let i = 1; i < vs.length; i++)
    if (eq(vs[i - 1].id, vs[i].id)) bad('DUPLICATE_RECIPIENT', 'same vault key twice');
  const dek = rng.fill(32),
    nonce = rng.fill(24),
    ephSk = rng.fill(32);
  const eph = sodium.crypto_scalarmult_base(ephSk);
  const r = { version: 2, sender: sender.kid, nonce, eph, purposes: ps, consents: hs };
  const wrap = (key) =>
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(dek, null, null, new Uint8Array(24), key);
  // §5.3: a card with an X-Wing key gets type 3 only; the eseeds are drawn
  // after eph_sk, one per type 3 stanza in stanza order (ascending key id).
  r.stanzas = [
    ...cs
      .filter((c) => xwingPkOf(c) === null)
      .map((c) => {
        const shared = x25519OrNull(ephSk, c.kxPk);
        if (shared === null) bad('WEAK_KEY', 'all-zero shared secret');
        return { type: 1, kid: c.kid, body: wrap(wrapKey(shared, eph, c.kxPk, 2)) };
      }),
    ...vs.map((v) => ({ type: 2, kid: v.id, body: wrap(vaultWrapKey(v, r)) })),
    ...cs
      .filter((c) => xwingPkOf(c) !== null)
      .map((c) => sealXWingStanza(c.kid, xwingPkOf(c), rng.fill(64), dek)),
    ...extra,
  ].sort(stanzaCmp);
  const E = concat(
    str8(contentType),
    str8(recordId),
    str8(resourceType),
    u64(now),
    u32(body.length),
    body,
  );
  const P = new Uint8Array(PAD(E.length + 1));
  P.set(E);
  P[E.length] = 0x80;
  r.ciphertext = new Uint8Array(P.length + 16); // fixes L in the header
  r.ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(P, header(r), null, nonce, dek);
  r.signature = sodium.crypto_sign_detached(sigMessage(r), sender.signSk);
  return r;
}
// §5.2, JCS form.
export function encodeJsonV2(r) {
  return JSON.stringify({
    ciphertext: b64u(r.ciphertext),
    consents: r.consents.map(b64u),
    ephemeral: b64u(r.eph),
    nonce: b64u(r.nonce),
    purposes: r.purposes.map((p) => ({ code: p.code, system: p.system })),
    recipients: r.stanzas.map((s) => ({ body: b64u(s.body), kid: b64u(s.kid), type: s.type })),
    sender: b64u(r.sender),
    signature: b64u(r.signature),
    type: 'medseal.record',
    v: 2,
  });
}

// A second implementation of docs/spec/record.md, written from the spec alone
// with libsodium-wrappers (libsodium 1.0.22 compiled by its authors) and
// node:crypto (ChaCha20 for the deterministic RNG). It shares no code with the
// C++ core; agreeing with the vectors shows the spec is complete.
import crypto from 'node:crypto';
import sodium from 'libsodium-wrappers';

export const ready = sodium.ready;

export class SpecError extends Error {
  constructor(code, message) { super(`${code}: ${message}`); this.code = code; }
}
const fail = (code, msg) => { throw new SpecError(code, msg); };

const enc = new TextEncoder();
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const label = (s) => concat(enc.encode(s), new Uint8Array([0]));
const u8 = (n) => new Uint8Array([n]);
const u32 = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; };
const u64 = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(n)), true); return b; };
const cmp = (a, b) => { for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i]; return a.length - b.length; };
const eq = (a, b) => a.length === b.length && cmp(a, b) === 0;
export const hex = (b) => Buffer.from(b).toString('hex');
export const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

// §1 base64url without padding, strict.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function b64u(bytes) { return Buffer.from(bytes).toString('base64url'); }
export function unb64u(s) {
  if (typeof s !== 'string') fail('MALFORMED', 'not a string');
  const data = s.replace(/=+$/, '');
  for (const c of data) if (!B64.includes(c)) fail('MALFORMED', 'bad base64 character');
  if (data.length % 4 === 1) fail('MALFORMED', 'impossible length');
  if (data !== s) fail('NON_CANONICAL', 'padding');
  const out = new Uint8Array(Buffer.from(s, 'base64url'));
  if (b64u(out) !== s) fail('NON_CANONICAL', 'unused bits');
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
const MAX_PAYLOAD = 1 + 127 + 1 + 64 + 1 + 64 + 8 + 4 + 16 * 1024 * 1024;

// §7 deterministic RNG
export class ChaChaRng {
  constructor(seed) { this.seed = seed; this.i = 0n; }
  fill(k) {
    const nonce = concat(u64(this.i++), new Uint8Array(4));
    const iv = concat(new Uint8Array(4), nonce);  // OpenSSL: 32-bit counter || 96-bit nonce
    const c = crypto.createCipheriv('chacha20', this.seed, iv);
    return new Uint8Array(c.update(new Uint8Array(k)));
  }
}

const blake = (n, key, msg) => sodium.crypto_generichash(n, msg, key && key.length ? key : null);
function x25519(sk, pk) {
  const out = sodium.crypto_scalarmult(sk, pk);  // libsodium throws on an all-zero result
  if (out.every((b) => b === 0)) fail('WEAK_KEY', 'all-zero shared secret');
  return out;
}
function x25519Checked(sk, pk) {
  try { return x25519(sk, pk); } catch (e) { if (e instanceof SpecError) throw e; fail('WEAK_KEY', 'all-zero shared secret'); }
}

// §2.1, §3
export const keyId = (signPk, kxPk) => blake(16, null, concat(label('medseal/v1/key-id'), signPk, kxPk));
export function identityFromSeed(seed, name, role, created) {
  const edSeed = blake(32, seed, label('medseal/v1/identity/ed25519'));
  const kp = sodium.crypto_sign_seed_keypair(edSeed);
  const kxSk = blake(32, seed, label('medseal/v1/identity/x25519'));
  const kxPk = sodium.crypto_scalarmult_base(kxSk);
  return { signPk: kp.publicKey, signSk: kp.privateKey, kxSk, kxPk, kid: keyId(kp.publicKey, kxPk), name, role, created };
}
const cardSigned = (c) => concat(label('medseal/v1/card'), c.signPk, c.kxPk,
  u8(enc.encode(c.name).length), enc.encode(c.name), u8(c.role.length), enc.encode(c.role), u64(c.created));
export function cardJson(id) {
  const sig = sodium.crypto_sign_detached(cardSigned(id), id.signSk);
  // members in byte order of their names, no whitespace (§2.3 SHOULD)
  return JSON.stringify({ created: id.created, kid: b64u(id.kid), kx: b64u(id.kxPk), name: id.name,
    role: id.role, sig: b64u(sig), sign: b64u(id.signPk), type: 'medseal.card', v: 1 });
}

// JSON rules of §2.3 (size, syntax, duplicates, depth, object).
function parseJsonStrict(text, max) {
  if (Buffer.byteLength(text, 'utf8') > max) fail('TOO_LARGE', 'input too large');
  let v;
  try { v = JSON.parse(text); } catch { fail('MALFORMED', 'syntax'); }
  // duplicate member names and depth: JSON.parse keeps the last duplicate, so scan the text.
  checkDuplicates(text);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('MALFORMED', 'not an object');
  return v;
}
function checkDuplicates(text) {
  // Minimal JSON tokenizer tracking member names per object and nesting depth.
  const stack = [];
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const str = JSON.parse(text.slice(i, j + 1));
      const top = stack[stack.length - 1];
      if (top && top.type === 'o' && expectKey) {
        if (top.keys.has(str)) fail('MALFORMED', 'duplicate member');
        top.keys.add(str);
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push({ type: c === '{' ? 'o' : 'a', keys: new Set() });
      if (stack.length > 16) fail('MALFORMED', 'too deep');
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack[stack.length - 1]?.type === 'o';
    }
    i++;
  }
}
function exactKeys(o, keys) {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) fail('MALFORMED', 'expected object');
  for (const k of keys) if (!(k in o)) fail('MALFORMED', `missing ${k}`);
  if (Object.keys(o).length !== keys.length) fail('MALFORMED', 'unknown member');
}
function typeAndVersion(o, type) {
  if (typeof o.type !== 'string') fail('MALFORMED', 'type');
  if (o.type !== type) fail('MALFORMED', 'wrong type');
  if (!Number.isInteger(o.v)) fail('MALFORMED', 'v');
  if (o.v !== 1) fail('UNSUPPORTED_VERSION', 'v');
}
function b64Field(o, k, size, max) {
  const s = o[k];
  if (typeof s !== 'string') fail('MALFORMED', `${k} not a string`);
  const limit = size || max;
  if (limit && s.length > Math.ceil(limit / 3) * 4) fail(size ? 'MALFORMED' : 'TOO_LARGE', `${k} too long`);
  const b = unb64u(s);
  if (size && b.length !== size) fail('MALFORMED', `${k} size`);
  return b;
}

// §2.3 card parse
export function parseCard(text) {
  const o = parseJsonStrict(text, 4096);
  typeAndVersion(o, 'medseal.card');
  exactKeys(o, ['type', 'v', 'kid', 'sign', 'kx', 'name', 'role', 'created', 'sig']);
  const kid = b64Field(o, 'kid', 16);
  const signPk = b64Field(o, 'sign', 32);
  const kxPk = b64Field(o, 'kx', 32);
  if (typeof o.name !== 'string') fail('MALFORMED', 'name');
  const nameBytes = enc.encode(o.name);
  if (nameBytes.length > 128) fail('TOO_LARGE', 'name');
  if (/[\u0000-\u001f]/.test(o.name) || /[\ud800-\udfff]/.test(o.name.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) fail('MALFORMED', 'name');
  if (typeof o.role !== 'string' || o.role.length === 0) fail('MALFORMED', 'role');
  if (o.role.length > 32) fail('TOO_LARGE', 'role');
  if (!/^[a-z0-9-]+$/.test(o.role)) fail('MALFORMED', 'role');
  if (!Number.isInteger(o.created)) fail('MALFORMED', 'created');
  if (o.created < 0) fail('MALFORMED', 'created');
  const sig = b64Field(o, 'sig', 64);
  if (!eq(kid, keyId(signPk, kxPk))) fail('KEY_ID_MISMATCH', 'kid');
  const card = { kid, signPk, kxPk, name: o.name, role: o.role, created: o.created };
  if (!sodium.crypto_sign_verify_detached(sig, cardSigned(card), signPk)) fail('SIGNATURE_INVALID', 'card');
  return card;
}

// §4.1 / §4.6 binary parse
const MAGIC = enc.encode('msrc');
function checkStanzas(st) {
  const seen = new Set();
  for (const s of st) { const h = hex(s.kid); if (seen.has(h)) fail('DUPLICATE_RECIPIENT', 'dup'); seen.add(h); }
  for (let i = 1; i < st.length; i++) if (cmp(st[i - 1].kid, st[i].kid) >= 0) fail('NON_CANONICAL', 'order');
}
function checkL(L) {
  if (L - 16 > PAD(MAX_PAYLOAD + 1)) fail('TOO_LARGE', 'L');
  if (L < 16 + 256 || PAD(L - 16) !== L - 16) fail('NON_CANONICAL', 'L');
}
export function parseBinary(b) {
  for (let i = 0; i < Math.min(4, b.length); i++) if (b[i] !== MAGIC[i]) fail('MALFORMED', 'magic');
  if (b.length < 5) fail('TRUNCATED', 'short');
  if (b[4] !== 1) fail('UNSUPPORTED_VERSION', 'version');
  if (b.length < 78) fail('TRUNCATED', 'header');
  const n = b[77];
  if (n === 0) fail('MALFORMED', 'n=0');
  if (n > 64) fail('TOO_LARGE', 'n');
  if (b.length < 78 + 64 * n) fail('TRUNCATED', 'stanzas');
  const stanzas = [];
  for (let i = 0; i < n; i++) {
    const o = 78 + 64 * i;
    stanzas.push({ kid: b.slice(o, o + 16), wrapped: b.slice(o + 16, o + 64) });
  }
  checkStanzas(stanzas);
  const lo = 78 + 64 * n;
  if (b.length < lo + 4) fail('TRUNCATED', 'L');
  const L = new DataView(b.buffer, b.byteOffset + lo, 4).getUint32(0, true);
  checkL(L);
  if (b.length < lo + 4 + L + 64) fail('TRUNCATED', 'body');
  if (b.length > lo + 4 + L + 64) fail('TRAILING_DATA', 'trailing');
  return { sender: b.slice(5, 21), nonce: b.slice(21, 45), eph: b.slice(45, 77), stanzas,
    ciphertext: b.slice(lo + 4, lo + 4 + L), signature: b.slice(lo + 4 + L) };
}
// §4.2
export function parseJson(text) {
  const o = parseJsonStrict(text, 32 * 1024 * 1024);
  typeAndVersion(o, 'medseal.record');
  exactKeys(o, ['type', 'v', 'sender', 'nonce', 'ephemeral', 'recipients', 'ciphertext', 'signature']);
  const r = { sender: b64Field(o, 'sender', 16), nonce: b64Field(o, 'nonce', 24), eph: b64Field(o, 'ephemeral', 32) };
  if (!Array.isArray(o.recipients) || o.recipients.length === 0) fail('MALFORMED', 'recipients');
  if (o.recipients.length > 64) fail('TOO_LARGE', 'recipients');
  r.stanzas = o.recipients.map((s) => { exactKeys(s, ['kid', 'wrapped']); return { kid: b64Field(s, 'kid', 16), wrapped: b64Field(s, 'wrapped', 48) }; });
  checkStanzas(r.stanzas);
  r.ciphertext = b64Field(o, 'ciphertext', 0, PAD(MAX_PAYLOAD + 1) + 16);
  checkL(r.ciphertext.length);
  r.signature = b64Field(o, 'signature', 64);
  return r;
}
const header = (r) => concat(MAGIC, u8(1), r.sender, r.nonce, r.eph, u8(r.stanzas.length),
  ...r.stanzas.flatMap((s) => [s.kid, s.wrapped]), u32(r.ciphertext.length));
export const encodeBinary = (r) => concat(header(r), r.ciphertext, r.signature);
const sigMessage = (r) => concat(label('medseal/v1/record/signature'), blake(64, null, concat(header(r), r.ciphertext)));
const wrapKey = (shared, eph, kxPk) => blake(32, shared, concat(label('medseal/v1/record/wrap'), eph, kxPk));

// §4.7
export function verify(r, senderCard) {
  if (!eq(r.sender, senderCard.kid)) fail('SENDER_MISMATCH', 'sender');
  if (!sodium.crypto_sign_verify_detached(r.signature, sigMessage(r), senderCard.signPk)) fail('SIGNATURE_INVALID', 'record');
}
const aeadOpen = (c, ad, nonce, key) => {
  try { return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad, nonce, key); } catch { fail('DECRYPT_FAILED', 'aead'); }
};
export function open(r, me, senderCard) {
  verify(r, senderCard);
  const st = r.stanzas.find((s) => eq(s.kid, me.kid));
  if (!st) fail('NO_MATCHING_RECIPIENT', 'not for me');
  const shared = x25519Checked(me.kxSk, r.eph);
  const dek = aeadOpen(st.wrapped, null, new Uint8Array(24), wrapKey(shared, r.eph, me.kxPk));
  const P = aeadOpen(r.ciphertext, header(r), r.nonce, dek);
  let end = P.length;
  while (end > 0 && P[end - 1] === 0) end--;
  if (end === 0 || P[end - 1] !== 0x80) fail('NON_CANONICAL', 'padding');
  if (PAD(end) !== P.length) fail('NON_CANONICAL', 'padding length');
  const E = P.subarray(0, end - 1);
  let o = 0;
  const need = (n) => { if (o + n > E.length) fail('MALFORMED', 'payload truncated'); const v = E.subarray(o, o + n); o += n; return v; };
  const str = () => Buffer.from(need(need(1)[0])).toString('latin1');
  const contentType = str(), recordId = str(), resourceType = str();
  const created = new DataView(need(8).slice().buffer).getBigUint64(0, true);
  const bodyLen = new DataView(need(4).slice().buffer).getUint32(0, true);
  const body = need(bodyLen).slice();
  if (o !== E.length) fail('MALFORMED', 'bytes after body');
  if (created >= 2n ** 63n) fail('MALFORMED', 'negative created');
  if (contentType.length === 0 || !/^[\x20-\x7e]+$/.test(contentType)) fail('MALFORMED', 'content type');
  if (!/^[\x21-\x7e]*$/.test(recordId)) fail('MALFORMED', 'record id');
  if (!/^[A-Za-z]*$/.test(resourceType)) fail('MALFORMED', 'resource type');
  return { contentType, recordId, resourceType, created: Number(created), body };
}

// §4.5
export function seal(sender, recipientCards, payload, rng, now) {
  const dek = rng.fill(32), nonce = rng.fill(24), ephSk = rng.fill(32);
  const eph = sodium.crypto_scalarmult_base(ephSk);
  const sorted = [...recipientCards].sort((a, b) => cmp(a.kid, b.kid));
  const stanzas = sorted.map((c) => ({
    kid: c.kid,
    wrapped: sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(dek, null, null, new Uint8Array(24),
      wrapKey(x25519(ephSk, c.kxPk), eph, c.kxPk)),
  }));
  const s = (t) => concat(u8(t.length), enc.encode(t));
  const E = concat(s(payload.contentType), s(payload.recordId), s(payload.resourceType), u64(now), u32(payload.body.length), payload.body);
  const P = new Uint8Array(PAD(E.length + 1));
  P.set(E); P[E.length] = 0x80;
  const r = { sender: sender.kid, nonce, eph, stanzas, ciphertext: new Uint8Array(P.length + 16) };
  r.ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(P, header(r), null, nonce, dek);
  r.signature = sodium.crypto_sign_detached(sigMessage(r), sender.signSk);
  return r;
}
export function encodeJson(r) {
  return JSON.stringify({ ciphertext: b64u(r.ciphertext), ephemeral: b64u(r.eph), nonce: b64u(r.nonce),
    recipients: r.stanzas.map((s) => ({ kid: b64u(s.kid), wrapped: b64u(s.wrapped) })),
    sender: b64u(r.sender), signature: b64u(r.signature), type: 'medseal.record', v: 1 });
}

// SPDX-License-Identifier: Apache-2.0
// age files through the public API (docs/api.md, "Attachments (age)"):
// keys (X25519, passphrase, a medseal card and identity), one-shot encrypt
// and decrypt with the armor, the incremental Encryptor and Decryptor,
// decryptRange reading only the chunks it needs, disposal, and bad input
// for every entry point with its code. CCTV vectors: age-cctv.test.js;
// streams: age-stream.test.js; other implementations: age-interop.test.js.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import test from 'node:test';

import { alice, detached, expectCode, medseal } from '../test-support/helpers.js';

const {
  AgeRecipient,
  AgeIdentity,
  Encryptor,
  Decryptor,
  encryptFile,
  decryptFile,
  decryptRange,
  wasmMemoryBytes,
  MedsealError,
} = medseal;

await medseal.init();

const CHUNK = 64 * 1024;
const enc = new TextEncoder();
const pass = (s) => enc.encode(s);
const sha = (b) => createHash('sha256').update(b).digest('hex');

function pattern(n, seed = 1) {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

async function expectReject(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof MedsealError, `${e?.name}: ${e?.message}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

function expectOneOf(fn, codes) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof MedsealError, `${e?.name}: ${e?.message}`);
    assert.ok(codes.includes(e.code), `${e.code}: ${e.message}`);
    return true;
  });
}

function keyPair() {
  const identity = AgeIdentity.generate();
  const recipient = identity.recipient();
  return { identity, recipient };
}

test('X25519: generate, encrypt and decrypt, binary and armored', () => {
  const { identity, recipient } = keyPair();
  assert.equal(identity.type, 'x25519');
  assert.equal(recipient.type, 'x25519');
  assert.match(recipient.toString(), /^age1[02-9ac-hj-np-z]{58}$/);
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5]) {
    const plain = pattern(size, size + 1);
    const file = encryptFile(plain, [recipient]);
    assert.equal(new TextDecoder().decode(file.subarray(0, 21)), 'age-encryption.org/v1');
    assert.deepEqual(decryptFile(file, [identity]), plain);
    const armored = encryptFile(plain, [recipient], { armor: true });
    const text = new TextDecoder().decode(armored);
    assert.ok(text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n'), text.slice(0, 40));
    assert.ok(text.endsWith('-----END AGE ENCRYPTED FILE-----\n'));
    assert.deepEqual(decryptFile(armored, [identity]), plain);
    assert.deepEqual(decryptFile(text, [identity]), plain, 'armored text as a string');
  }
  // Two encryptions of the same plaintext differ (fresh file key and nonce).
  const p = pattern(100);
  assert.notDeepEqual(encryptFile(p, [recipient]), encryptFile(p, [recipient]));
  identity.dispose();
  recipient.dispose();
});

test('identities: parse from bytes and from a string, export, several recipients', () => {
  const a = AgeIdentity.generate();
  const secret = a.exportSecretKey();
  assert.ok(secret instanceof Uint8Array);
  assert.match(new TextDecoder().decode(secret), /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/);
  const fromBytes = AgeIdentity.parse(secret);
  const fromString = AgeIdentity.parse(new TextDecoder().decode(secret));
  secret.fill(0);
  const ra = a.recipient();
  assert.equal(fromBytes.recipient().toString(), ra.toString());
  assert.equal(fromString.recipient().toString(), ra.toString());
  const parsed = AgeRecipient.parse(ra.toString());
  assert.equal(parsed.toString(), ra.toString());

  const b = AgeIdentity.generate();
  const rb = b.recipient();
  const file = encryptFile(pattern(1000), [parsed, rb]);
  assert.deepEqual(decryptFile(file, [b]), pattern(1000));
  assert.deepEqual(decryptFile(file, [fromBytes]), pattern(1000));
  // An identity list: the one that matches is used.
  const c = AgeIdentity.generate();
  assert.deepEqual(decryptFile(file, [c, fromString]), pattern(1000));
  expectCode(() => decryptFile(file, [c]), 'NO_MATCHING_RECIPIENT');
  for (const k of [a, fromBytes, fromString, ra, parsed, b, rb, c]) k.dispose();
});

test('passphrase recipients and identities', () => {
  const r = AgeRecipient.passphrase(pass('correct horse'), { workFactor: 10 });
  assert.equal(r.type, 'scrypt');
  assert.equal(r.toString(), '');
  const file = encryptFile(pattern(5000), [r]);
  assert.match(
    new TextDecoder().decode(file.subarray(0, 80)),
    /\n-> scrypt [A-Za-z0-9+/]{22} 10\n/,
  );
  const id = AgeIdentity.passphrase(pass('correct horse'));
  assert.equal(id.type, 'scrypt');
  assert.deepEqual(decryptFile(file, [id]), pattern(5000));
  const wrong = AgeIdentity.passphrase(pass('wrong horse'));
  expectCode(() => decryptFile(file, [wrong]), 'NO_MATCHING_RECIPIENT');
  // A work factor above the identity's limit is refused before any work.
  const strict = AgeIdentity.passphrase(pass('correct horse'), { maxWorkFactor: 9 });
  expectCode(() => decryptFile(file, [strict]), 'TOO_LARGE');
  // A passphrase recipient must be alone in a file.
  const { identity, recipient } = keyPair();
  expectCode(() => encryptFile(pattern(10), [r, recipient]), 'INVALID_ARGUMENT');
  expectCode(() => new Encryptor([recipient, r]), 'INVALID_ARGUMENT');
  // A passphrase identity has no recipient and no key text.
  expectCode(() => id.recipient(), 'INVALID_ARGUMENT');
  expectCode(() => id.exportSecretKey(), 'INVALID_ARGUMENT');
  // Bad passphrases and work factors.
  expectCode(() => AgeRecipient.passphrase(new Uint8Array(0)), 'INVALID_ARGUMENT');
  expectCode(() => AgeRecipient.passphrase('a string'), 'INVALID_ARGUMENT');
  expectCode(() => AgeRecipient.passphrase(detached()), 'DETACHED_BUFFER');
  expectCode(() => AgeRecipient.passphrase(pass('x'), { workFactor: 23 }), 'INVALID_ARGUMENT');
  expectCode(() => AgeRecipient.passphrase(pass('x'), { workFactor: 0 }), 'INVALID_ARGUMENT');
  expectCode(() => AgeRecipient.passphrase(pass('x'), { workFactor: 1.5 }), 'INVALID_ARGUMENT');
  expectCode(() => AgeRecipient.passphrase(pass('x'), null), 'INVALID_ARGUMENT');
  expectCode(() => AgeIdentity.passphrase(new Uint8Array(0)), 'INVALID_ARGUMENT');
  expectCode(() => AgeIdentity.passphrase(pass('x'), { maxWorkFactor: 31 }), 'INVALID_ARGUMENT');
  expectCode(() => AgeIdentity.passphrase(pass('x'), { maxWorkFactor: -1 }), 'INVALID_ARGUMENT');
  for (const k of [r, id, wrong, strict, identity, recipient]) k.dispose();
});

test("a medseal card's kx key is an age recipient; the identity opens the file", () => {
  const a = alice();
  const r = AgeRecipient.fromCard(a.card);
  const card = medseal.PublicCard.parse(a.card);
  const r2 = AgeRecipient.fromCard(card);
  assert.equal(r.toString(), r2.toString());
  const id = AgeIdentity.fromIdentity(a);
  assert.equal(id.recipient().toString(), r.toString());
  const file = encryptFile(pattern(777), [r]);
  assert.deepEqual(decryptFile(file, [id]), pattern(777));
  expectCode(() => AgeRecipient.fromCard('{"not":"a card"}'), 'MALFORMED');
  expectCode(() => AgeRecipient.fromCard(42), 'INVALID_ARGUMENT');
  expectCode(() => AgeIdentity.fromIdentity({}), 'INVALID_ARGUMENT');
  card.dispose();
  expectCode(() => AgeRecipient.fromCard(card), 'DISPOSED');
  a.dispose();
  expectCode(() => AgeIdentity.fromIdentity(a), 'DISPOSED');
  // The age keys live on without the medseal identity.
  assert.deepEqual(decryptFile(file, [id]), pattern(777));
  for (const k of [r, r2, id]) k.dispose();
});

test('bad keys: codes, and no key material in messages', () => {
  for (const bad of ['', 'age1', 'age1qqqq', 'AGE1' + 'q'.repeat(58), 'age2' + 'q'.repeat(58)]) {
    const e = expectCode(() => AgeRecipient.parse(bad), 'MALFORMED');
    assert.ok(!e.message.includes('qqqqqqqq'), e.message);
  }
  const { identity, recipient } = keyPair();
  const text = recipient.toString();
  // One character changed: the Bech32 checksum fails.
  const flipped = text.slice(0, 10) + (text[10] === 'q' ? 'p' : 'q') + text.slice(11);
  expectCode(() => AgeRecipient.parse(flipped), 'MALFORMED');
  expectCode(() => AgeRecipient.parse(42), 'INVALID_ARGUMENT');
  expectCode(() => AgeRecipient.parse(undefined), 'INVALID_ARGUMENT');
  expectCode(() => AgeRecipient.parse('\ud800'), 'INVALID_ARGUMENT');

  const secret = new TextDecoder().decode(identity.exportSecretKey());
  const lower = secret.toLowerCase();
  for (const bad of ['', 'AGE-SECRET-KEY-1', secret.slice(0, -1), secret + 'Q', text]) {
    const e = expectCode(() => AgeIdentity.parse(bad), 'MALFORMED');
    assert.ok(!e.message.includes(secret.slice(16, 40)), 'no key bytes in the message');
  }
  // age accepts only the upper-case spelling of a secret key? Either way a
  // code, never a crash: lower case is all-or-nothing in Bech32.
  try {
    AgeIdentity.parse(lower).dispose();
  } catch (e) {
    assert.ok(e instanceof MedsealError, String(e));
  }
  expectCode(() => AgeIdentity.parse(detached()), 'DETACHED_BUFFER');
  expectCode(() => AgeIdentity.parse(null), 'INVALID_ARGUMENT');
  expectCode(() => AgeIdentity.parse(new Uint8Array([0xff, 0xfe])), 'MALFORMED');
  identity.dispose();
  recipient.dispose();
});

test('one-shot: bad input and broken files', () => {
  const { identity, recipient } = keyPair();
  const other = AgeIdentity.generate();
  expectCode(() => encryptFile(pattern(3), []), 'INVALID_ARGUMENT');
  expectCode(() => encryptFile(pattern(3), recipient), 'INVALID_ARGUMENT');
  expectCode(() => encryptFile(pattern(3), [identity]), 'INVALID_ARGUMENT');
  expectCode(() => encryptFile(pattern(3), ['age1...']), 'INVALID_ARGUMENT');
  expectCode(() => encryptFile('text', [recipient]), 'INVALID_ARGUMENT');
  expectCode(() => encryptFile(detached(), [recipient]), 'DETACHED_BUFFER');
  expectCode(() => encryptFile(pattern(3), [recipient], { armor: 'yes' }), 'INVALID_ARGUMENT');
  expectCode(() => encryptFile(pattern(3), new Array(257).fill(recipient)), 'TOO_LARGE');
  expectCode(() => decryptFile(pattern(3), []), 'INVALID_ARGUMENT');
  expectCode(() => decryptFile(pattern(3), [recipient]), 'INVALID_ARGUMENT');
  expectCode(() => decryptFile(42, [identity]), 'INVALID_ARGUMENT');

  const plain = pattern(2 * CHUNK + 10);
  const file = encryptFile(plain, [recipient]);
  expectCode(() => decryptFile(file, [other]), 'NO_MATCHING_RECIPIENT');
  expectCode(() => decryptFile(new Uint8Array(0), [identity]), 'TRUNCATED');
  expectCode(() => decryptFile(file.subarray(0, file.length - 1), [identity]), 'DECRYPT_FAILED');
  const headerEnd = new TextDecoder('latin1').decode(file).indexOf('\n---') + 48;
  expectCode(() => decryptFile(file.subarray(0, headerEnd + 10), [identity]), 'TRUNCATED');
  const tampered = file.slice();
  tampered[file.length - 100] ^= 1;
  expectCode(() => decryptFile(tampered, [identity]), 'DECRYPT_FAILED');
  const badMac = file.slice();
  badMac[headerEnd - 5] ^= 1; // inside the MAC's base64
  assert.throws(() => decryptFile(badMac, [identity]), MedsealError);
  expectOneOf(() => decryptFile(pattern(500), [identity]), ['MALFORMED', 'UNSUPPORTED_VERSION']);
  // After a last chunk that is full: TRAILING_DATA or DECRYPT_FAILED (the
  // bytes read as another chunk), never plaintext.
  const full = encryptFile(pattern(CHUNK), [recipient]);
  const withTrailing = new Uint8Array(full.length + 1);
  withTrailing.set(full);
  expectOneOf(() => decryptFile(withTrailing, [identity]), ['TRAILING_DATA', 'DECRYPT_FAILED']);
  // Armor errors are ARMOR_MALFORMED.
  const armored = new TextDecoder().decode(encryptFile(plain, [recipient], { armor: true }));
  expectCode(
    () => decryptFile(armored.replace('-----END', '-----FIN'), [identity]),
    'ARMOR_MALFORMED',
  );
  expectCode(
    () => decryptFile(armored.replace(/\n[A-Za-z]/, '\n!'), [identity]),
    'ARMOR_MALFORMED',
  );
  for (const k of [identity, recipient, other]) k.dispose();
});

test('Encryptor and Decryptor: any slicing gives the same plaintext', () => {
  const { identity, recipient } = keyPair();
  const plain = pattern(5 * CHUNK + 123, 9);
  for (const step of [1000, CHUNK, CHUNK + 16, 3 * CHUNK + 7, plain.length]) {
    const e = new Encryptor([recipient]);
    const parts = [];
    for (let at = 0; at < plain.length; at += step)
      parts.push(e.push(plain.subarray(at, at + step)));
    parts.push(e.push(new Uint8Array(0)));
    parts.push(e.finish());
    assert.equal(e.disposed, true);
    const file = Buffer.concat(parts);
    assert.equal(file.length, encryptFile(plain, [recipient]).length);
    assert.deepEqual(decryptFile(file, [identity]), plain);
    const d = new Decryptor([identity]);
    const out = [];
    for (let at = 0; at < file.length; at += step + 3)
      out.push(d.push(file.subarray(at, at + step + 3)));
    out.push(d.finish());
    assert.equal(sha(Buffer.concat(out)), sha(plain));
  }
  // A big push (more than the 1 MiB pieces the wrapper sends) and an empty file.
  const big = pattern(3 * 1024 * 1024 + 5, 4);
  const e = new Encryptor([recipient]);
  const file = Buffer.concat([e.push(big), e.finish()]);
  const d = new Decryptor([identity]);
  assert.equal(sha(Buffer.concat([d.push(file), d.finish()])), sha(big));
  const empty = new Encryptor([recipient]);
  const emptyFile = Buffer.concat([empty.finish()]);
  assert.deepEqual(decryptFile(emptyFile, [identity]), new Uint8Array(0));
  identity.dispose();
  recipient.dispose();
});

test('Decryptor: errors stick, no plaintext of a bad chunk, disposal', () => {
  const { identity, recipient } = keyPair();
  const plain = pattern(4 * CHUNK, 3);
  const file = encryptFile(plain, [recipient]);
  const bad = file.slice();
  const chunk2 = file.length - 2 * (CHUNK + 16); // the third chunk's start
  bad[chunk2 + 10] ^= 0x40;
  const d = new Decryptor([identity]);
  const released = [];
  let error;
  try {
    for (let at = 0; at < bad.length; at += 4096)
      released.push(d.push(bad.subarray(at, at + 4096)));
  } catch (e) {
    error = e;
  }
  assert.equal(error?.code, 'DECRYPT_FAILED');
  const got = Buffer.concat(released);
  assert.equal(got.length, 2 * CHUNK, 'exactly the two chunks before the bad one');
  assert.deepEqual(new Uint8Array(got), plain.subarray(0, 2 * CHUNK));
  expectCode(() => d.push(new Uint8Array(1)), 'DECRYPT_FAILED');
  expectCode(() => d.finish(), 'DECRYPT_FAILED');
  assert.equal(d.disposed, true);
  expectCode(() => d.push(new Uint8Array(1)), 'DISPOSED');

  const t = new Decryptor([identity]);
  t.push(file.subarray(0, file.length - 1));
  expectCode(() => t.finish(), 'DECRYPT_FAILED');
  const h = new Decryptor([identity]);
  h.push(file.subarray(0, 30));
  expectCode(() => h.finish(), 'TRUNCATED');
  const w = new Decryptor([AgeIdentity.generate()]);
  expectCode(() => w.push(file), 'NO_MATCHING_RECIPIENT');
  w.dispose();

  expectCode(() => new Decryptor([]), 'INVALID_ARGUMENT');
  expectCode(() => new Decryptor('x'), 'INVALID_ARGUMENT');
  expectCode(() => new Encryptor([]), 'INVALID_ARGUMENT');
  expectCode(() => new Encryptor([{}]), 'INVALID_ARGUMENT');
  const e = new Encryptor([recipient]);
  expectCode(() => e.push('text'), 'INVALID_ARGUMENT');
  expectCode(() => e.push(detached()), 'DETACHED_BUFFER');
  e.dispose();
  e.dispose();
  assert.equal(e.disposed, true);
  expectCode(() => e.push(new Uint8Array(1)), 'DISPOSED');
  expectCode(() => e.finish(), 'DISPOSED');
  expectCode(() => Encryptor.prototype.push.call({}, new Uint8Array(1)), 'INVALID_ARGUMENT');
  identity.dispose();
  recipient.dispose();
});

test('decryptRange reads only the chunks it needs (Blob.slice), authenticated', async () => {
  const { identity, recipient } = keyPair();
  const plain = pattern(20 * CHUNK + 999, 5);
  const file = encryptFile(plain, [recipient]);
  const reads = [];
  class CountingBlob extends Blob {
    slice(start, end) {
      reads.push([start, end]);
      return super.slice(start, end);
    }
  }
  const blob = new CountingBlob([file]);
  const ranges = [
    [0, 1],
    [0, CHUNK],
    [CHUNK - 1, 2],
    [7 * CHUNK + 5, 3 * CHUNK],
    [plain.length - 1, 1],
    [plain.length - 2000, 2000],
    [5, 0],
  ];
  for (const [offset, length] of ranges) {
    reads.length = 0;
    const got = await decryptRange(blob, [identity], offset, length);
    assert.deepEqual(got, plain.subarray(offset, offset + length), `${offset}+${length}`);
    const read = reads.reduce((n, [s, e]) => n + (e - s), 0);
    const chunks = Math.ceil(length / CHUNK) + 1; // a range may straddle one boundary more
    assert.ok(read <= 4096 + chunks * (CHUNK + 16), `read ${read} bytes for ${length}`);
    assert.deepEqual(await decryptRange(file, [identity], offset, length), got);
  }
  assert.ok(
    reads.every(([s, e]) => e - s < 5 * CHUNK),
    'never the whole file',
  );
  // Bad input.
  await expectReject(decryptRange(file, [identity], plain.length, 1), 'INVALID_ARGUMENT');
  await expectReject(decryptRange(file, [identity], -1, 1), 'INVALID_ARGUMENT');
  await expectReject(decryptRange(file, [identity], 0.5, 1), 'INVALID_ARGUMENT');
  await expectReject(decryptRange(file, [identity], 0, '1'), 'INVALID_ARGUMENT');
  await expectReject(decryptRange('file', [identity], 0, 1), 'INVALID_ARGUMENT');
  await expectReject(decryptRange(file, [], 0, 1), 'INVALID_ARGUMENT');
  const other = AgeIdentity.generate();
  await expectReject(decryptRange(file, [other], 0, 1), 'NO_MATCHING_RECIPIENT');
  // A size no age payload has (a last chunk shorter than its tag).
  await expectReject(
    decryptRange(file.subarray(0, file.length - 1010), [identity], 0, 1),
    'MALFORMED',
  );
  // A valid size, but the last chunk lost a byte: it does not authenticate.
  const short = file.subarray(0, file.length - 1);
  await expectReject(decryptRange(short, [identity], plain.length - 5, 2), 'DECRYPT_FAILED');
  await expectReject(decryptRange(new Uint8Array(0), [identity], 0, 1), 'TRUNCATED');
  const tampered = file.slice();
  tampered[file.length - 100] ^= 1; // in the last chunk
  await expectReject(decryptRange(tampered, [identity], plain.length - 10, 10), 'DECRYPT_FAILED');
  assert.deepEqual(await decryptRange(tampered, [identity], 0, 10), plain.subarray(0, 10));
  for (const k of [identity, recipient, other]) k.dispose();
  await expectReject(decryptRange(file, [identity], 0, 1), 'DISPOSED');
});

test('disposal: idempotent, DISPOSED afterwards, Symbol.dispose', () => {
  const { identity, recipient } = keyPair();
  for (const k of [identity, recipient]) {
    assert.equal(k.disposed, false);
    if (typeof Symbol.dispose === 'symbol') assert.equal(typeof k[Symbol.dispose], 'function');
    k.dispose();
    k.dispose();
    assert.equal(k.disposed, true);
  }
  expectCode(() => encryptFile(pattern(1), [recipient]), 'DISPOSED');
  expectCode(() => decryptFile(pattern(1), [identity]), 'DISPOSED');
  expectCode(() => identity.recipient(), 'DISPOSED');
  expectCode(() => identity.exportSecretKey(), 'DISPOSED');
  expectCode(() => new Encryptor([recipient]), 'DISPOSED');
  expectCode(() => new Decryptor([identity]), 'DISPOSED');
  assert.equal(AgeRecipient.name, 'AgeRecipient');
  assert.equal(AgeIdentity.name, 'AgeIdentity');
  assert.equal(Encryptor.name, 'Encryptor');
  assert.equal(Decryptor.name, 'Decryptor');
  expectCode(() => AgeIdentity.prototype.recipient.call({}), 'INVALID_ARGUMENT');
});

test('wasmMemoryBytes: the memory size, whole pages', () => {
  const n = wasmMemoryBytes();
  assert.equal(typeof n, 'number');
  assert.ok(n > 0 && n % 65536 === 0, String(n));
});

test('armorEncode / armorDecode', () => {
  const { identity, recipient } = keyPair();
  const file = encryptFile(pattern(3000), [recipient]);
  const text = medseal.armorEncode(file);
  assert.equal(typeof text, 'string');
  assert.ok(text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n'));
  assert.deepEqual(medseal.armorDecode(text), file);
  assert.deepEqual(medseal.armorDecode(new TextEncoder().encode(text)), file);
  assert.deepEqual(medseal.armorDecode(text.replaceAll('\n', '\r\n')), file);
  expectCode(() => medseal.armorDecode('garbage'), 'ARMOR_MALFORMED');
  expectCode(() => medseal.armorDecode(text.replace('\n', '\n\n')), 'ARMOR_MALFORMED');
  expectCode(() => medseal.armorDecode(42), 'INVALID_ARGUMENT');
  expectCode(() => medseal.armorEncode('text'), 'INVALID_ARGUMENT');
  expectCode(() => medseal.armorEncode(detached()), 'DETACHED_BUFFER');
  identity.dispose();
  recipient.dispose();
});

test('the Worker client checks its arguments (Node has no Web Worker)', () => {
  const { identity, recipient } = keyPair();
  const blob = new Blob([pattern(10)]);
  const { encryptFileInWorker, decryptFileInWorker } = medseal;
  expectCode(() => encryptFileInWorker('file', [recipient]), 'INVALID_ARGUMENT');
  expectCode(() => encryptFileInWorker(pattern(3), [recipient]), 'INVALID_ARGUMENT');
  expectCode(() => encryptFileInWorker(blob, [recipient], { onProgress: 1 }), 'INVALID_ARGUMENT');
  expectCode(() => decryptFileInWorker(blob, [identity], null), 'INVALID_ARGUMENT');
  // No Worker here: refused before any key is exported or transferred.
  assert.equal(typeof globalThis.Worker, 'undefined');
  const secret = identity.exportSecretKey();
  expectCode(() => decryptFileInWorker(blob, [secret]), 'INVALID_ARGUMENT');
  assert.equal(secret.length, 74, 'not detached');
  expectCode(() => encryptFileInWorker(blob, [recipient.toString()]), 'INVALID_ARGUMENT');
  identity.dispose();
  recipient.dispose();
});

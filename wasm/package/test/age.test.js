// SPDX-License-Identifier: Apache-2.0
// age files through the public API (docs/api.md, "Attachments (age)"):
// keys (X25519, the post-quantum hybrid, passphrase, a medseal card and
// identity), one-shot encrypt
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

// The example keys of the C2SP age spec (C2SP/C2SP age.md @ 5ba5ee8), as in
// native-tests/age/keys_test.cc.
const SPEC_PQ_IDENTITY =
  'AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR';
const SPEC_PQ_RECIPIENT = [
  'age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5zrqtzdxz95paef6caq5aapd',
  'mwjjqpjfdyxnzr2zampc3uxy0dg4z2n2gm9su72p0pc3u0jvev55l694v78snxg3yzvcl7yda0eyytqj6a0ec477',
  'lnhcy5hzpz4zq3pxanve4cn62gqj3pjy5lqj9c6kyj4v2z8alktn8zh99970x79gjkv7522hv9kfz35zsnxhsx8w',
  'wtmu9cy3ftzjgwcp4sshn3llnylnpdsyz5jm72vefv4x5vfwytrefxg4wq3mv42wcrvkj742479zrxzpvp2p3e9f',
  'ed9f0739vcu80r7ma28qfhnvlv4gfzel9q654dj3zmuvvz893azhxdvs9fxd0r7jzchzcfcs5mkyyjxhw0n2z6dv',
  'p9yn9qfdp29h0azxqyjw6v7fhyuzj7zel0uq6j9rd7wgrpz7mf5dnj43jwsgvrc8qcnhy7tu6dkdujuxzkp9xj43',
  'xe8h92ktre2a3u3s8mm5mrp9nr9pwkgtz4mdlq9hgn4fps4k57ff6wddn2fy23t47sm20r8km8sd2pcyyafnet8f',
  '0dajsrlyjeah4n3mssr6aseevuuskdvq5lzguyvpgwpta742c6698vgutzqgny8usfg0w2he7kq5vyxjd0f9hqg8',
  'xk26y9e4th0gezq92q4cpp5p2y9hf5f2cje5l0c3sa3a2qxmm38pxxvhxh99yzmfz0zk7r2s64nnwjhkfgfr3gf8',
  'xnmppcgmaykvh5sh6g7vk9790rf8ws0axmr2t7z8aae5fq2029uvcn2ghgt4fu4wgwdc0k0cz52qkvwmuzj8p8k5',
  'jgf3xzk5zmrkavjekjrpeq408xz3zxazwkc6tyfmhayrkfpjhwtz5mp8j8guqe43k2q6m2kte03vrw27y3wmqyu5',
  'etmt9dnkwcnnpmu9gz9dekfhdevf42ucshphnrk38ra6hx8w5f8q5ru0xdhrjxmwqf6cused7zc5xvq43r0zscjg',
  'lpwlptpwydhqw64xz7ptjdyeyzpq2zkxtmzg29gzjpvzva4d3l0cenn9xs297wf4y4ukwrunf57xj6pm7nvrkwvt',
  'rt8hwcmgv8x7ajw7258ugf9wvkmk4052ekg87tw5vnx8nq2swyzv77v8yqlwsenvamr0zssknwts8rrhfuwj7yky',
  'snq9jxy0uv3kuyt22djszjdtvpz6d0s0kwh8ryynddzud92emeyvvyqktd0jtj7rvvg5gch25v8smlvny3kvn5ga',
  'gyz475ze2y6q466xqmz2n3hs77lddeqyta2nch5k2u5yacuk9ywnwfdzvyejnucz724hj77hrrmakm7pr3kxsrxq',
  '22ejexlud9fy2kdqmkg5yncz7jm5wv2qjk5w5kvcpqsry2yqffh2la52dxfjkjq5rzhjzeyn6dupn0qwtyv7s4lw',
  'g3xdarsdlwe2y3tujy480y7z39q259fzx6jhd2j0f5hagqpcpees7hzc2yrk5cy788uk3s7qvp5cpepx24gvws3m',
  '2g433exgwppnkjscec8qu4y9z9r7vccexjcjaen42245lmgmxmuavg9alej92322gvvyy2t6267v09ch64y0m53j',
  'ff0vjj96s0ypk60hr3jw4myd6m5hpn3xjstx7tl2szhpr5qe8jj08ydjc4wy2rch2fhuy3pdfjax5awe9j99ly5h',
  'kntzz9fe5zatgjvzdd0kgtxs25njnajyf6ssekp7gelxquusn4pt25czh3scj68kq79wdn5tgm6yvm9nzavrg043',
  'x3msnygf8dweknw5jmqd0uvny6ttsn09508k0c55zfnegrm9efhxpfqdkmhh6gjtqmwze9pyyzk3tlhl53k2ykx3',
  'qheyty7saeq0d3fzv49zc0k',
].join('');

test('post-quantum hybrid (mlkem768x25519): the spec keys, generate, encrypt and decrypt', () => {
  const spec = AgeIdentity.parse(SPEC_PQ_IDENTITY);
  assert.equal(spec.type, 'mlkem768x25519');
  const specRecipient = spec.recipient();
  assert.equal(specRecipient.type, 'mlkem768x25519');
  assert.equal(specRecipient.postQuantum, true);
  assert.equal(specRecipient.toString(), SPEC_PQ_RECIPIENT);
  const exported = spec.exportSecretKey();
  assert.equal(new TextDecoder().decode(exported), SPEC_PQ_IDENTITY);
  exported.fill(0);
  const parsed = AgeRecipient.parse(SPEC_PQ_RECIPIENT);
  assert.equal(parsed.type, 'mlkem768x25519');
  assert.equal(parsed.toString(), SPEC_PQ_RECIPIENT);

  const pq = AgeIdentity.generate({ type: 'mlkem768x25519' });
  assert.equal(pq.type, 'mlkem768x25519');
  const pqSecret = pq.exportSecretKey();
  assert.match(new TextDecoder().decode(pqSecret), /^AGE-SECRET-KEY-PQ-1[02-9AC-HJ-NP-Z]{58}$/);
  const again = AgeIdentity.parse(pqSecret);
  pqSecret.fill(0);
  const pqRecipient = pq.recipient();
  // 1216 bytes = 1946 Bech32 characters of data, then the 6-character checksum.
  assert.match(pqRecipient.toString(), /^age1pq1[02-9ac-hj-np-z]{1952}$/);
  assert.equal(again.recipient().toString(), pqRecipient.toString());
  const x = AgeIdentity.generate({ type: 'x25519' });
  assert.equal(x.type, 'x25519');
  const xRecipient = x.recipient();
  assert.equal(xRecipient.postQuantum, false);

  for (const size of [0, 1, CHUNK, 2 * CHUNK + 3]) {
    const plain = pattern(size, size + 7);
    const file = encryptFile(plain, [pqRecipient]);
    const header = new TextDecoder().decode(file.subarray(0, 60));
    assert.ok(header.startsWith('age-encryption.org/v1\n-> mlkem768x25519 '), header);
    assert.deepEqual(decryptFile(file, [pq]), plain);
    assert.deepEqual(decryptFile(file, [again]), plain);
    expectCode(() => decryptFile(file, [x]), 'NO_MATCHING_RECIPIENT');
    expectCode(() => decryptFile(file, [spec]), 'NO_MATCHING_RECIPIENT');
    const armored = encryptFile(plain, [pqRecipient], { armor: true });
    assert.deepEqual(decryptFile(armored, [pq]), plain);
  }
  // A file to a hybrid and an X25519 recipient opens with either identity.
  const both = encryptFile(pattern(500), [pqRecipient, xRecipient]);
  assert.deepEqual(decryptFile(both, [x]), pattern(500));
  assert.deepEqual(decryptFile(both, [pq]), pattern(500));
  // Streaming, through the Decryptor in small pieces.
  const big = pattern(3 * CHUNK + 11, 5);
  const file = encryptFile(big, [pqRecipient]);
  const d = new Decryptor([pq]);
  const out = [];
  for (let at = 0; at < file.length; at += 777) out.push(d.push(file.subarray(at, at + 777)));
  out.push(d.finish());
  d.dispose();
  assert.equal(sha(Buffer.concat(out)), sha(big));

  expectCode(() => AgeIdentity.generate({ type: 'scrypt' }), 'INVALID_ARGUMENT');
  expectCode(() => AgeIdentity.generate({ type: 42 }), 'INVALID_ARGUMENT');
  expectCode(() => AgeIdentity.generate(null), 'INVALID_ARGUMENT');
  for (const k of [spec, specRecipient, parsed, pq, again, pqRecipient, x, xRecipient]) {
    k.dispose();
  }
});

test('post-quantum hybrid: bad keys give codes, never key bytes', () => {
  // A changed character: the checksum fails.
  const t = SPEC_PQ_RECIPIENT;
  const flipped = t.slice(0, 100) + (t[100] === 'q' ? 'p' : 'q') + t.slice(101);
  expectCode(() => AgeRecipient.parse(flipped), 'MALFORMED');
  expectCode(() => AgeRecipient.parse(t.toUpperCase()), 'MALFORMED');
  expectCode(() => AgeIdentity.parse(SPEC_PQ_IDENTITY.toLowerCase()), 'MALFORMED');
  const e = expectCode(() => AgeIdentity.parse(SPEC_PQ_IDENTITY.slice(0, -1)), 'MALFORMED');
  assert.ok(!e.message.includes(SPEC_PQ_IDENTITY.slice(20, 40)), e.message);
  expectCode(() => AgeIdentity.parse(t), 'MALFORMED');
  expectCode(() => AgeRecipient.parse(SPEC_PQ_IDENTITY), 'MALFORMED');
  // The tagged types stay unsupported.
  expectCode(
    () => AgeRecipient.parse('age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e'),
    'UNSUPPORTED_RECIPIENT',
  );
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

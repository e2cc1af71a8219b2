// SPDX-License-Identifier: Apache-2.0
// medseal attachments through the package (docs/spec/attachment.md): the
// same vector files as native-tests/attachment/attachment_test.cc
// (attachment/attachment_v1.json from the generator, attachment/age_cli_v1.json
// from Debian's age CLI), the streaming writer and reader, the signature in
// a sealed record v2, interoperability with /usr/bin/age in both
// directions, and bad input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot } from '../test-support/helpers.js';

const {
  Identity,
  PublicCard,
  AgeRecipient,
  AgeIdentity,
  encryptFile,
  decryptFile,
  ageRecipientForCard,
  signAttachment,
  parseAttachmentSignature,
  verifyAttachment,
  encryptAttachment,
  decryptAttachment,
  AttachmentWriter,
  AttachmentReader,
  sealAttachmentSignature,
  openAttachmentSignature,
} = medseal;

await medseal.init();

const readVectors = (name) =>
  JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'native-tests', 'vectors', 'attachment', name), 'utf8'),
  );
const V = readVectors('attachment_v1.json');
const CLI = readVectors('age_cli_v1.json');
const PQ = readVectors('age_pq_card_v1.json');
const b64u = (s) => new Uint8Array(Buffer.from(s, 'base64url'));
const sha256 = (b) => new Uint8Array(createHash('sha256').update(b).digest());
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const TREAT = { system: ACT, code: 'TREAT' };
const AGE = '/usr/bin/age';

const people = {};
for (const [key, p] of Object.entries(V.identities)) {
  people[key] = Identity.fromSeed(fromHex(p.seedHex), {
    name: p.name,
    role: p.role,
    created: p.created,
  });
}
const card = (key) => V.identities[key].card;

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// The age header of a binary file: through the LF that ends the MAC line.
function headerOf(file) {
  const text = Buffer.from(file).toString('latin1');
  const mac = text.indexOf('\n--- ');
  assert.ok(mac > 0, 'an age header');
  return file.subarray(0, text.indexOf('\n', mac + 1) + 1);
}

// Reads `file` in pieces of `piece` bytes; the plaintext, or the thrown code.
function readInPieces(recipient, sender, file, signature, piece) {
  const parts = [];
  try {
    const r = new AttachmentReader(recipient, sender, signature);
    try {
      for (let at = 0; at < file.length; at += piece) {
        parts.push(r.push(file.subarray(at, at + piece)));
      }
      parts.push(r.finish());
    } finally {
      r.dispose();
    }
  } catch (e) {
    if (e instanceof medseal.MedsealError) return { code: e.code, released: concat(parts) };
    throw e;
  }
  return { plaintext: concat(parts) };
}

test('vectors: cards, their age recipients and identities', () => {
  for (const [key, p] of Object.entries(V.identities)) {
    assert.equal(people[key].card, p.card, key);
    assert.equal(ageRecipientForCard(p.card), p.ageRecipient);
    const c = PublicCard.parse(p.card);
    assert.equal(ageRecipientForCard(c), p.ageRecipient);
    c.dispose();
    assert.match(p.ageRecipient, /^age1[02-9ac-hj-np-z]{58}$/);
  }
});

test('vectors: signing is deterministic and byte for byte the native one', () => {
  assert.ok(V.sign.length >= 5);
  for (const c of V.sign) {
    const sig = signAttachment(
      people[c.signer],
      b64u(c.header),
      fromHex(c.fileSha256Hex),
      c.metadata,
    );
    assert.equal(sig, c.signature, c.comment);
    const info = verifyAttachment(sig, card(c.signer), b64u(c.header), fromHex(c.fileSha256Hex));
    assert.equal(info.name, c.metadata.name);
    assert.equal(info.mediaType, c.metadata.mediaType);
    assert.equal(info.size, c.metadata.size);
    assert.equal(info.created, c.metadata.created);
    assert.equal(info.senderKeyId, people[c.signer].keyId);
    assert.deepEqual(info.headerSha256, sha256(b64u(c.header)));
    assert.equal(info.json, c.signature);
  }
});

test('vectors: every parse rule, with its code', () => {
  const rules = new Set();
  let ok = 0;
  for (const c of V.parse) {
    if (c.ok !== undefined) {
      assert.equal(parseAttachmentSignature(c.json).json, c.ok, c.comment);
      assert.equal(parseAttachmentSignature(new TextEncoder().encode(c.json)).json, c.ok);
      ok++;
      continue;
    }
    rules.add(c.rule);
    expectCode(() => parseAttachmentSignature(c.json), c.error);
  }
  assert.equal(ok, 2);
  for (let i = 1; i <= 24; i++) assert.ok(rules.has(`A${i}`), `a case for A${i}`);
});

test('vectors: verify cases', () => {
  assert.ok(V.verify.length >= 8);
  for (const c of V.verify) {
    const call = () =>
      verifyAttachment(c.signature, card(c.sender), b64u(c.header), fromHex(c.fileSha256Hex));
    if (c.error) expectCode(call, c.error);
    else assert.equal(call().json, c.signature);
  }
});

test('vectors: the files open for each recipient, one-shot and in pieces', () => {
  assert.ok(V.files.length >= 4);
  for (const f of V.files) {
    const file = b64u(f.file);
    const plain = b64u(f.plaintext);
    assert.equal(headerOf(file).length > 0, true);
    for (const r of f.recipients) {
      assert.deepEqual(decryptAttachment(people[r], card(f.sender), file, f.signature), plain);
      for (const piece of [1 << 20, 65552, 999]) {
        const out = readInPieces(people[r], card(f.sender), file, f.signature, piece);
        assert.equal(out.code, undefined, `${f.comment}: ${out.code}`);
        assert.deepEqual(out.plaintext, plain);
      }
    }
    expectCode(
      () => decryptAttachment(people.outsider, card(f.sender), file, f.signature),
      'NO_MATCHING_RECIPIENT',
    );
  }
});

test('vectors: read cases (one-shot and streaming agree on the code)', () => {
  let failures = 0;
  for (const c of V.read) {
    const file = b64u(c.file);
    if (c.error) {
      failures++;
      expectCode(
        () => decryptAttachment(people[c.recipient], card(c.sender), file, c.signature),
        c.error,
      );
      for (const piece of [file.length + 1, 1000]) {
        const out = readInPieces(people[c.recipient], card(c.sender), file, c.signature, piece);
        assert.equal(out.code, c.error, `${c.comment} (pieces of ${piece})`);
      }
    } else {
      const plain = b64u(c.plaintext);
      assert.deepEqual(
        decryptAttachment(people[c.recipient], card(c.sender), file, c.signature),
        plain,
      );
    }
  }
  assert.ok(failures >= 10);
});

test('vectors: the signature object in a sealed record v2', () => {
  const rec = V.record;
  assert.ok(rec.opens.length >= 6);
  for (const c of rec.opens) {
    const call = () =>
      openAttachmentSignature(people[c.recipient], card(c.sender), c.record, {
        purpose: c.purpose,
      });
    if (c.error) expectCode(call, c.error);
    else assert.equal(call(), c.signature, c.comment);
  }
  // Sealed here (fresh randomness), it opens the same way, JSON and binary.
  for (const encoding of ['json', 'binary']) {
    const sealed = sealAttachmentSignature(people.sender, rec.recipients.map(card), rec.signature, {
      purposes: rec.purposes,
      recordId: rec.recordId,
      encoding,
    });
    assert.equal(typeof sealed, encoding === 'json' ? 'string' : 'object');
    for (const r of rec.recipients) {
      assert.equal(
        openAttachmentSignature(people[r], card('sender'), sealed, { purpose: TREAT }),
        rec.signature,
      );
    }
    expectCode(
      () => openAttachmentSignature(people.outsider, card('sender'), sealed, { purpose: TREAT }),
      'NO_MATCHING_RECIPIENT',
    );
  }
});

test('the writer and the reader stream in constant pieces', () => {
  const plain = new Uint8Array(3 * 65536 + 123).map((_, i) => (i * 13) & 0xff);
  const w = new AttachmentWriter(people.sender, [card('clinician'), card('nurse')], {
    mediaType: 'image/jpeg',
    name: 'rash.jpg',
    size: plain.length,
  });
  const header = w.header;
  const parts = [];
  for (let at = 0; at < plain.length; at += 10000)
    parts.push(w.push(plain.subarray(at, at + 10000)));
  const { file: tail, signature } = w.finish();
  assert.equal(w.disposed, true);
  const file = concat([...parts, tail]);
  assert.deepEqual(file.subarray(0, header.length), header);
  assert.equal(tail.length, 123 + 16);
  const info = verifyAttachment(signature, card('sender'), header, sha256(file));
  assert.equal(info.size, plain.length);
  assert.equal(info.name, 'rash.jpg');
  // The reader releases chunks as they authenticate; the last one at finish.
  const r = new AttachmentReader(people.nurse, card('sender'), signature);
  assert.equal(r.signature.name, 'rash.jpg');
  const first = r.push(file.subarray(0, file.length - 5));
  assert.equal(first.length, 3 * 65536);
  assert.equal(r.push(file.subarray(file.length - 5)).length, 0);
  const last = r.finish();
  assert.deepEqual(concat([first, last]), plain);
  assert.equal(r.disposed, true);
  expectCode(() => r.push(new Uint8Array(1)), 'DISPOSED');
});

test('a payload re-encrypted under the signed header fails at finish, holding the last chunk', () => {
  const c = V.read.find((x) => x.comment.startsWith('R8'));
  const file = b64u(c.file);
  const r = new AttachmentReader(people[c.recipient], card(c.sender), c.signature);
  const released = r.push(file);
  assert.equal(released.length, 0); // 1000 bytes: one chunk, the last one
  expectCode(() => r.finish(), 'SIGNATURE_INVALID');
});

test('a post-quantum card (version 2, X-Wing key) is the hybrid age recipient (vector)', () => {
  // The card, its recipient and the identity string, as the native test
  // re-derives them from the seed; typage (an independent age) wrote the files.
  const c = PublicCard.parse(PQ.card);
  assert.equal(ageRecipientForCard(PQ.card), PQ.ageRecipient);
  assert.equal(ageRecipientForCard(c), PQ.ageRecipient);
  assert.match(PQ.ageRecipient, /^age1pq1/);
  const r = AgeRecipient.fromCard(c);
  assert.equal(r.type, 'mlkem768x25519');
  assert.equal(r.postQuantum, true);
  assert.equal(r.toString(), PQ.ageRecipient);
  const id = AgeIdentity.parse(new TextEncoder().encode(PQ.ageIdentity));
  assert.equal(id.type, 'mlkem768x25519');
  assert.equal(id.recipient().toString(), PQ.ageRecipient);
  assert.equal(PQ.files.length, 3);
  for (const f of PQ.files) {
    assert.deepEqual(decryptFile(b64u(f.file), [id]), b64u(f.plaintext), f.comment);
  }
  // medseal to the card's recipient, opened with the identity string.
  const plain = b64u(PQ.files[0].plaintext);
  const file = encryptFile(plain, [r]);
  assert.match(new TextDecoder().decode(file.subarray(0, 40)), /-> mlkem768x25519 /);
  assert.deepEqual(decryptFile(file, [id]), plain);
  // A classic card still maps to X25519.
  const classic = AgeRecipient.fromCard(card('clinician'));
  assert.equal(classic.type, 'x25519');
  assert.equal(classic.toString(), V.identities.clinician.ageRecipient);
  for (const k of [r, id, c, classic]) k.dispose();
});

test('age CLI files (vector) open with the medseal identity once signed', () => {
  assert.equal(CLI.recipient, V.identities.clinician.ageRecipient);
  let binary = 0;
  for (const f of CLI.files) {
    if (f.armored) continue;
    binary++;
    const file = b64u(f.file);
    const plain = b64u(f.plaintext);
    const sig = signAttachment(people.sender, headerOf(file), sha256(file), {
      mediaType: 'text/plain',
      name: 'from-age-cli.txt',
      size: plain.length,
      created: 1764594000000,
    });
    assert.deepEqual(decryptAttachment(people.clinician, card('sender'), file, sig), plain);
  }
  assert.equal(binary, 2);
});

test('interop, live: /usr/bin/age opens what medseal writes, medseal opens what age writes', (t) => {
  if (!fs.existsSync(AGE)) {
    assert.fail(`${AGE} is required (Debian package age)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-attach-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const keyFile = path.join(dir, 'clinician.key');
  fs.writeFileSync(keyFile, V.identities.clinician.ageIdentity + '\n', { mode: 0o600 });
  const plain = new Uint8Array(70000).map((_, i) => (i * 7 + 1) & 0xff);
  // medseal -> age
  const enc = encryptAttachment(people.sender, [card('clinician')], plain, {
    mediaType: 'application/pdf',
    name: 'lab.pdf',
  });
  const out = execFileSync(AGE, ['-d', '-i', keyFile], { input: enc.file });
  assert.deepEqual(new Uint8Array(out), plain);
  // age -> medseal, to the card's age1... string
  const recipient = ageRecipientForCard(card('clinician'));
  const file = new Uint8Array(execFileSync(AGE, ['-e', '-r', recipient], { input: plain }));
  const sig = signAttachment(people.sender, headerOf(file), sha256(file), {
    mediaType: 'application/octet-stream',
    name: 'x.bin',
    size: plain.length,
  });
  assert.deepEqual(decryptAttachment(people.clinician, card('sender'), file, sig), plain);
  // The nurse has no stanza in age's file.
  expectCode(
    () => decryptAttachment(people.nurse, card('sender'), file, sig),
    'NO_MATCHING_RECIPIENT',
  );
});

test('bad input: types, metadata, sizes, disposed objects', () => {
  const meta = { mediaType: 'application/pdf', name: 'a.pdf' };
  expectCode(
    () => encryptAttachment(people.sender, [], new Uint8Array(1), meta),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => encryptAttachment(people.sender, 'x', new Uint8Array(1), meta),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => encryptAttachment(people.sender, [card('clinician')], 'text', meta),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      encryptAttachment(
        people.sender,
        [card('clinician'), card('clinician')],
        new Uint8Array(1),
        meta,
      ),
    'DUPLICATE_RECIPIENT',
  );
  expectCode(
    () =>
      encryptAttachment(people.sender, [card('clinician')], new Uint8Array(1), {
        mediaType: 'PDF',
      }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      encryptAttachment(people.sender, [card('clinician')], new Uint8Array(1), {
        mediaType: 'a/b',
        name: '../etc/passwd',
      }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () =>
      encryptAttachment(people.sender, [card('clinician')], new Uint8Array(1), {
        ...meta,
        size: 2,
      }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => new AttachmentWriter(people.sender, [card('clinician')], meta),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => new AttachmentWriter(people.sender, [card('clinician')], { ...meta, size: -1 }),
    'INVALID_ARGUMENT',
  );
  const w = new AttachmentWriter(people.sender, [card('clinician')], { ...meta, size: 2 });
  expectCode(() => w.push(new Uint8Array(3)), 'INVALID_ARGUMENT');
  w.dispose();
  expectCode(() => w.finish(), 'DISPOSED');
  const short = new AttachmentWriter(people.sender, [card('clinician')], { ...meta, size: 2 });
  short.push(new Uint8Array(1));
  expectCode(() => short.finish(), 'INVALID_ARGUMENT');
  expectCode(() => new AttachmentReader(people.clinician, card('sender'), '{}'), 'MALFORMED');
  expectCode(
    () => new AttachmentReader(people.clinician, card('nurse'), V.files[1].signature),
    'SENDER_MISMATCH',
  );
  expectCode(
    () =>
      decryptAttachment(people.clinician, card('sender'), new Uint8Array(0), V.files[1].signature),
    'TRUNCATED',
  );
  expectCode(
    () =>
      verifyAttachment(V.files[1].signature, card('sender'), new Uint8Array(0), new Uint8Array(31)),
    'INVALID_ARGUMENT',
  );
  expectCode(() => ageRecipientForCard('{}'), 'MALFORMED');
  expectCode(() => parseAttachmentSignature(42), 'INVALID_ARGUMENT');
  expectCode(
    () =>
      sealAttachmentSignature(people.nurse, [card('clinician')], V.files[1].signature, {
        purposes: [TREAT],
      }),
    'INVALID_ARGUMENT',
  );
  expectCode(
    () => sealAttachmentSignature(people.sender, [card('clinician')], V.files[1].signature, {}),
    'INVALID_ARGUMENT',
  );
  const gone = Identity.fromSeed(new Uint8Array(32).fill(9), {
    name: 'G',
    role: 'patient',
    created: 0,
  });
  gone.dispose();
  expectCode(
    () => encryptAttachment(gone, [card('clinician')], new Uint8Array(1), meta),
    'DISPOSED',
  );
  expectCode(() => new AttachmentReader(gone, card('sender'), V.files[1].signature), 'DISPOSED');
});

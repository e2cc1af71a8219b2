// SPDX-License-Identifier: Apache-2.0
// Interoperability (issue #12): files medseal writes decrypt with Debian's
// age CLI (/usr/bin/age, 1.1.1) and with npm age-encryption (typage 0.3.1);
// files either of them writes decrypt with medseal. X25519 and passphrase
// (scrypt), binary and ASCII-armored; the post-quantum hybrid
// (mlkem768x25519) with typage only (the Debian CLI predates it). The CLI reads passphrases from a
// terminal only: `script` gives it one. The tests fail (not skip) if the CLI
// is missing.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';

import * as typage from 'age-encryption';

import { medseal } from '../test-support/helpers.js';

const { AgeIdentity, AgeRecipient, encryptFile, decryptFile, Encryptor, decryptStream } = medseal;

await medseal.init();

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const CHUNK = 64 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), 'medseal-age-interop-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function pattern(n, seed = 1) {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
const PLAINTEXTS = [
  new Uint8Array(0),
  pattern(1000, 2),
  pattern(3 * CHUNK + 17, 3),
  pattern(2 * CHUNK, 4),
];
const PASSPHRASE = 'medseal interop passphrase';
const pw = () => new TextEncoder().encode(PASSPHRASE);

let counter = 0;
const file = (name) => path.join(dir, `${counter++}-${name}`);

function age(args, input) {
  return execFileSync(AGE, args, { input, maxBuffer: 64 << 20 });
}

// Runs the age CLI on a pseudo-terminal (script(1)) and answers each
// passphrase prompt; resolves when it exits 0.
function ageWithPassphrase(args) {
  const command = [AGE, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let answered = 0;
    const onData = (data) => {
      output += data.toString();
      const prompts = output.match(/passphrase[^:\n]*:/gi)?.length ?? 0;
      while (answered < prompts) {
        answered++;
        child.stdin.write(`${PASSPHRASE}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill(), 60000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && answered > 0) resolve();
      else
        reject(
          new Error(`age ${args.join(' ')} exited ${code} after ${answered} prompts: ${output}`),
        );
    });
  });
}

test('the age CLI is installed', () => {
  assert.match(execFileSync(AGE, ['--version']).toString(), /^v?1\./);
});

test('X25519: medseal -> age CLI and age CLI -> medseal, binary and armored', () => {
  const keyFile = file('key.txt');
  execFileSync(AGE_KEYGEN, ['-o', keyFile], { stdio: 'pipe' });
  const keyText = readFileSync(keyFile, 'utf8');
  const secret = keyText.match(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m)[0];
  const publicKey = keyText.match(/public key: (age1[0-9a-z]+)/)[1];
  const identity = AgeIdentity.parse(new TextEncoder().encode(secret));
  const recipient = AgeRecipient.parse(publicKey);
  assert.equal(identity.recipient().toString(), publicKey, 'the same recipient as age-keygen');
  for (const plain of PLAINTEXTS) {
    for (const armor of [false, true]) {
      const ours = file('ours.age');
      writeFileSync(ours, encryptFile(plain, [recipient], { armor }));
      assert.deepEqual(new Uint8Array(age(['-d', '-i', keyFile, ours])), plain);
      const theirs = age(['-r', publicKey, ...(armor ? ['-a'] : [])], plain);
      assert.deepEqual(decryptFile(new Uint8Array(theirs), [identity]), plain);
    }
  }
  // A medseal identity's card, to a recipient the CLI knows, and back.
  const a = medseal.Identity.fromSeed(new Uint8Array(32).fill(9), {
    name: 'A',
    role: 'doctor',
    created: 0,
  });
  const cardRecipient = AgeRecipient.fromCard(a.card);
  const cardIdentity = AgeIdentity.fromIdentity(a);
  const exported = cardIdentity.exportSecretKey();
  const cardKey = file('card-key.txt');
  writeFileSync(cardKey, Buffer.concat([exported, Buffer.from('\n')]));
  exported.fill(0);
  const enc = file('to-card.age');
  writeFileSync(enc, encryptFile(PLAINTEXTS[2], [cardRecipient]));
  assert.deepEqual(new Uint8Array(age(['-d', '-i', cardKey, enc])), PLAINTEXTS[2]);
  const back = age(['-r', cardRecipient.toString()], PLAINTEXTS[1]);
  assert.deepEqual(decryptFile(new Uint8Array(back), [cardIdentity]), PLAINTEXTS[1]);
  // Several recipients, streamed by the Encryptor.
  const e = new Encryptor([AgeIdentity.generate().recipient(), recipient]);
  const streamed = Buffer.concat([e.push(PLAINTEXTS[2]), e.finish()]);
  assert.deepEqual(new Uint8Array(age(['-d', '-i', keyFile], streamed)), PLAINTEXTS[2]);
  for (const k of [identity, recipient, a, cardRecipient, cardIdentity]) k.dispose();
});

test('passphrase: medseal -> age CLI and age CLI -> medseal, binary and armored', async () => {
  const r = AgeRecipient.passphrase(pw(), { workFactor: 12 });
  const id = AgeIdentity.passphrase(pw());
  for (const armor of [false, true]) {
    const plain = PLAINTEXTS[2];
    const ours = file('ours-pw.age');
    const out = file('ours-pw.out');
    writeFileSync(ours, encryptFile(plain, [r], { armor }));
    await ageWithPassphrase(['-d', '-o', out, ours]);
    assert.deepEqual(new Uint8Array(readFileSync(out)), plain);

    const input = file('plain.bin');
    const theirs = file('theirs-pw.age');
    writeFileSync(input, PLAINTEXTS[1]);
    await ageWithPassphrase(['-p', ...(armor ? ['-a'] : []), '-o', theirs, input]);
    const bytes = new Uint8Array(readFileSync(theirs));
    assert.match(
      new TextDecoder().decode(
        armor
          ? typage.armor.decode(new TextDecoder().decode(bytes)).subarray(0, 60)
          : bytes.subarray(0, 60),
      ),
      /-> scrypt /,
    );
    assert.deepEqual(decryptFile(bytes, [id]), PLAINTEXTS[1]);
  }
  r.dispose();
  id.dispose();
});

test('X25519: medseal <-> age-encryption (typage), binary and armored', async () => {
  const theirSecret = await typage.generateX25519Identity();
  const theirPublic = await typage.identityToRecipient(theirSecret);
  const identity = AgeIdentity.parse(theirSecret);
  const recipient = AgeRecipient.parse(theirPublic);
  assert.equal(identity.recipient().toString(), theirPublic);
  const ours = AgeIdentity.generate();
  const oursSecret = new TextDecoder().decode(ours.exportSecretKey());
  const oursPublic = ours.recipient().toString();
  assert.equal(await typage.identityToRecipient(oursSecret), oursPublic);
  for (const plain of PLAINTEXTS) {
    const d = new typage.Decrypter();
    d.addIdentity(theirSecret);
    const bin = encryptFile(plain, [recipient]);
    assert.deepEqual(await d.decrypt(bin), plain);
    const armored = new TextDecoder().decode(encryptFile(plain, [recipient], { armor: true }));
    assert.deepEqual(await d.decrypt(typage.armor.decode(armored)), plain);

    const e = new typage.Encrypter();
    e.addRecipient(oursPublic);
    const theirs = await e.encrypt(plain);
    assert.deepEqual(decryptFile(theirs, [ours]), plain);
    assert.deepEqual(decryptFile(typage.armor.encode(theirs), [ours]), plain);
    // And through decryptStream.
    const stream = new Blob([theirs]).stream().pipeThrough(decryptStream([ours]));
    assert.deepEqual(new Uint8Array(await new Response(stream).arrayBuffer()), plain);
  }
  for (const k of [identity, recipient, ours]) k.dispose();
});

test('post-quantum hybrid (mlkem768x25519): medseal <-> age-encryption (typage)', async () => {
  const theirSecret = await typage.generateHybridIdentity();
  assert.match(theirSecret, /^AGE-SECRET-KEY-PQ-1/);
  const theirPublic = await typage.identityToRecipient(theirSecret);
  const identity = AgeIdentity.parse(theirSecret);
  assert.equal(identity.type, 'mlkem768x25519');
  const recipient = AgeRecipient.parse(theirPublic);
  assert.equal(recipient.type, 'mlkem768x25519');
  assert.equal(identity.recipient().toString(), theirPublic);
  const ours = AgeIdentity.generate({ type: 'mlkem768x25519' });
  const secretBytes = ours.exportSecretKey();
  const oursSecret = new TextDecoder().decode(secretBytes);
  secretBytes.fill(0);
  const oursPublic = ours.recipient().toString();
  assert.equal(await typage.identityToRecipient(oursSecret), oursPublic);
  for (const plain of PLAINTEXTS) {
    const d = new typage.Decrypter();
    d.addIdentity(theirSecret);
    const bin = encryptFile(plain, [recipient]);
    assert.deepEqual(await d.decrypt(bin), plain);
    const armored = new TextDecoder().decode(encryptFile(plain, [recipient], { armor: true }));
    assert.deepEqual(await d.decrypt(typage.armor.decode(armored)), plain);

    const e = new typage.Encrypter();
    e.addRecipient(oursPublic);
    const theirs = await e.encrypt(plain);
    assert.match(new TextDecoder().decode(theirs.subarray(0, 40)), /-> mlkem768x25519 /);
    assert.deepEqual(decryptFile(theirs, [ours]), plain);
    assert.deepEqual(decryptFile(typage.armor.encode(theirs), [ours]), plain);
    const stream = new Blob([theirs]).stream().pipeThrough(decryptStream([ours]));
    assert.deepEqual(new Uint8Array(await new Response(stream).arrayBuffer()), plain);
    // typage's hybrid identity does not open a file to another hybrid key.
    await assert.rejects(d.decrypt(theirs));
  }
  // A medseal file to a hybrid and an X25519 recipient: typage opens it
  // with either identity.
  const x = await typage.generateX25519Identity();
  const xr = AgeRecipient.parse(await typage.identityToRecipient(x));
  const mixed = encryptFile(pattern(777, 9), [recipient, xr]);
  for (const secret of [theirSecret, x]) {
    const d = new typage.Decrypter();
    d.addIdentity(secret);
    assert.deepEqual(await d.decrypt(mixed), pattern(777, 9));
  }
  for (const k of [identity, recipient, ours, xr]) k.dispose();
});

test('passphrase: medseal <-> age-encryption (typage), binary and armored', async () => {
  const r = AgeRecipient.passphrase(pw(), { workFactor: 12 });
  const id = AgeIdentity.passphrase(pw());
  for (const plain of PLAINTEXTS.slice(1, 3)) {
    const d = new typage.Decrypter();
    d.addPassphrase(PASSPHRASE);
    assert.deepEqual(await d.decrypt(encryptFile(plain, [r])), plain);
    const armored = new TextDecoder().decode(encryptFile(plain, [r], { armor: true }));
    assert.deepEqual(await d.decrypt(typage.armor.decode(armored)), plain);

    const e = new typage.Encrypter();
    e.setPassphrase(PASSPHRASE);
    e.setScryptWorkFactor(12);
    const theirs = await e.encrypt(plain);
    assert.deepEqual(decryptFile(theirs, [id]), plain);
    assert.deepEqual(decryptFile(typage.armor.encode(theirs), [id]), plain);
  }
  r.dispose();
  id.dispose();
});

// SPDX-License-Identifier: Apache-2.0
// The C2SP CCTV age test kit in wasm: EVERY file of
// native-tests/vectors/external/age-cctv/testdata/ (inflated with node:zlib
// when "compressed: zlib", the armor removed first when "armored: yes"),
// decrypted through the package's Decryptor in odd-sized pieces with the
// file's identities and passphrases. The verdicts come from the SAME file
// the native runner reads (native-tests/vectors/age/cctv_expectations.json,
// native-tests/age/cctv_test.cc): the code must be one its class allows, and
// the SHA-256 of ALL the plaintext released must equal the file's "payload"
// (nothing released when it has none). The one-shot decryptFile agrees.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import zlib from 'node:zlib';

import { medseal, repoRoot } from '../test-support/helpers.js';

const { AgeIdentity, Decryptor, decryptFile, decryptStream, armorDecode, MedsealError } = medseal;

await medseal.init();

const vectors = path.join(repoRoot, 'native-tests', 'vectors');
const expectations = JSON.parse(
  readFileSync(path.join(vectors, 'age', 'cctv_expectations.json'), 'utf8'),
);
const dir = path.join(vectors, expectations.testdata);
const SEALED = 64 * 1024 + 16;

// The same piece sizes as the native runner: Fibonacci up to 96 KiB, then
// one more and one less than a sealed chunk, cycling from the file's index.
const PIECES = (() => {
  const p = [];
  for (let a = 1, b = 2; a < 96 * 1024; [a, b] = [b, a + b]) p.push(a);
  p.push(SEALED + 1, SEALED - 1);
  return p;
})();

// A kit file: "key: value" lines, an empty line, then the age file.
function parseVector(name, bytes) {
  const end = bytes.indexOf('\n\n');
  assert.ok(end > 0, `${name}: no empty line after the textual header`);
  const v = {
    name,
    identities: [],
    passphrases: [],
    payload: '',
    armored: false,
    compressed: false,
  };
  for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
    const colon = line.indexOf(': ');
    assert.ok(colon > 0, `${name}: header line ${JSON.stringify(line)}`);
    const key = line.slice(0, colon);
    const value = line.slice(colon + 2);
    if (key === 'expect') v.expect = value;
    else if (key === 'payload') v.payload = value;
    else if (key === 'identity') v.identities.push(value);
    else if (key === 'passphrase') v.passphrases.push(value);
    else if (key === 'armored') v.armored = value === 'yes';
    else if (key === 'compressed') {
      assert.equal(value, 'zlib', name);
      v.compressed = true;
    }
  }
  v.file = bytes.subarray(end + 2);
  if (v.compressed) v.file = zlib.inflateSync(v.file);
  v.file = new Uint8Array(v.file.buffer, v.file.byteOffset, v.file.byteLength);
  return v;
}

function codeOf(fn) {
  try {
    fn();
    return 'OK';
  } catch (e) {
    assert.ok(e instanceof MedsealError, `not a MedsealError: ${e?.stack ?? e}`);
    return e.code;
  }
}

// The file in the runner's pieces, from `phase` on.
function pieces(file, phase) {
  const out = [];
  let i = phase;
  for (let off = 0; off < file.length;) {
    const n = Math.min(PIECES[i++ % PIECES.length], file.length - off);
    out.push(file.subarray(off, off + n));
    off += n;
  }
  return out;
}

// decryptStream: every byte it enqueues, and how it ended.
async function decryptStreaming(file, ids, phase) {
  const parts = pieces(file, phase);
  const source = new ReadableStream({
    pull(controller) {
      if (parts.length === 0) controller.close();
      else controller.enqueue(parts.shift().slice());
    },
  });
  const released = [];
  let code = 'OK';
  try {
    const reader = source.pipeThrough(decryptStream(ids)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      released.push(value);
    }
  } catch (e) {
    assert.ok(e instanceof MedsealError, `not a MedsealError: ${e?.stack ?? e}`);
    code = e.code;
  }
  return { code, released: Buffer.concat(released) };
}

// The Decryptor object: push() releases what authenticated, finish()
// throws without its last plaintext when the file ends badly.
function decryptIncremental(file, ids, phase) {
  const released = [];
  let d;
  const code = codeOf(() => {
    d = new Decryptor(ids);
    for (const p of pieces(file, phase)) released.push(d.push(p));
    released.push(d.finish());
  });
  d?.dispose();
  return { code, released: Buffer.concat(released) };
}

const names = readdirSync(dir).sort();

test('the kit is all there, as the expectations file counts it', () => {
  assert.equal(names.length, expectations.count, 'files missing or added');
  assert.equal(names.length, 143);
});

test('every file of the CCTV age kit: the code of its class, and the released plaintext', async () => {
  const classes = expectations.classes;
  assert.ok(!('unsupported' in expectations), 'every recipient type of the kit is implemented');
  const overrides = expectations.files ?? {};
  const seen = new Set();
  const counts = {
    success: 0,
    hybrid: 0,
    compressed: 0,
    armored: 0,
    payloadChecked: 0,
    oneShot: 0,
    incremental: 0,
  };
  const failures = [];
  const nobody = AgeIdentity.generate(); // matches no stanza (for files that name no identity)
  for (const [index, name] of names.entries()) {
    const v = parseVector(name, readFileSync(path.join(dir, name)));
    assert.ok(v.expect in classes, `${name}: unknown class ${v.expect}`);
    seen.add(v.expect);
    if (v.compressed) counts.compressed++;
    const ids = [];
    let hasHybrid = false;
    for (const text of v.identities) {
      let id;
      const code = codeOf(() => {
        id = AgeIdentity.parse(new TextEncoder().encode(text));
      });
      assert.equal(code, 'OK', `${name}: identity`);
      if (id.type === 'mlkem768x25519') hasHybrid = true;
      ids.push(id);
    }
    for (const p of v.passphrases) ids.push(AgeIdentity.passphrase(new TextEncoder().encode(p)));
    // No identity at all (a file that fails before any stanza is tried,
    // e.g. armor_empty): an identity that matches nothing.
    if (ids.length === 0) ids.push(nobody);
    if (hasHybrid) counts.hybrid++;
    let allowed = classes[v.expect];
    if (name in overrides) allowed = overrides[name].codes;

    let outcome = { code: 'OK', released: Buffer.alloc(0) };
    let binary = v.file;
    if (v.armored) {
      counts.armored++;
      outcome.code = codeOf(() => {
        binary = armorDecode(v.file);
      });
    }
    if (outcome.code === 'OK') {
      outcome = await decryptStreaming(binary, ids, index);
      const inc = decryptIncremental(binary, ids, index);
      if (inc.code !== outcome.code) failures.push(`${name}: Decryptor gave ${inc.code}`);
      if (!outcome.released.subarray(0, inc.released.length).equals(inc.released)) {
        failures.push(`${name}: Decryptor released other bytes than the stream`);
      }
      counts.incremental++;
    }
    if (!allowed.includes(outcome.code))
      failures.push(`${name} (${v.expect}): got ${outcome.code}`);
    const hash = createHash('sha256').update(outcome.released).digest('hex');
    if (v.payload !== '') {
      if (hash !== v.payload) failures.push(`${name}: released plaintext does not hash to payload`);
      counts.payloadChecked++;
    } else if (outcome.released.length !== 0) {
      failures.push(`${name}: ${outcome.released.length} bytes released`);
    }
    if (outcome.code === 'OK') counts.success++;

    // The one-shot API agrees where it detects the armor as the kit says.
    const looksArmored = /^[\t\n\r ]*-----BEGIN AGE ENCRYPTED FILE-----/.test(
      Buffer.from(v.file.subarray(0, 200)).toString('latin1'),
    );
    if (looksArmored === v.armored) {
      counts.oneShot++;
      let plain;
      const one = codeOf(() => {
        plain = decryptFile(v.file, ids);
      });
      if (one !== outcome.code)
        failures.push(`${name}: decryptFile gave ${one}, the stream ${outcome.code}`);
      if (plain && createHash('sha256').update(plain).digest('hex') !== v.payload) {
        failures.push(`${name}: decryptFile's plaintext`);
      }
    }
    for (const id of ids) if (id !== nobody) id.dispose();
  }
  nobody.dispose();
  assert.deepEqual(failures, []);
  assert.equal(seen.size, Object.keys(classes).length, 'every class occurs');
  // The kit as copied (a file that silently stopped being read changes these).
  assert.ok(counts.compressed >= 1 && counts.armored >= 1);
  assert.ok(counts.success >= 1);
  assert.ok(counts.payloadChecked >= counts.success);
  assert.deepEqual(counts, {
    success: 26,
    hybrid: 19,
    compressed: 22,
    armored: 33,
    payloadChecked: 45,
    oneShot: 139,
    incremental: counts.incremental,
  });
  assert.ok(counts.incremental >= 143 - 22, `${counts.incremental} files through Decryptor`);
  assert.ok(counts.oneShot >= 130, `${counts.oneShot} files compared with decryptFile`);
});

// SPDX-License-Identifier: Apache-2.0
// encryptStream / decryptStream (docs/api.md, "Attachments (age)"): Web
// Streams round trips with uneven chunks, progress reports, ASCII armor,
// interchange with the one-shot functions, constant wasm memory over a
// 64 MiB file, and failure mid-stream: a tampered, truncated or reordered
// chunk or a wrong key errors the stream with its code, and nothing of the
// bad chunk is enqueued. The Worker client runs in Chromium
// (web-demo/test/age-stream.test.mjs).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import test from 'node:test';

import { expectCode, medseal } from '../test-support/helpers.js';

const {
  AgeIdentity,
  AgeRecipient,
  encryptStream,
  decryptStream,
  encryptFile,
  decryptFile,
  wasmMemoryBytes,
  MedsealError,
} = medseal;

await medseal.init();

const CHUNK = 64 * 1024;
const SEALED = CHUNK + 16;
const MiB = 1024 * 1024;

function pattern(n, seed = 1) {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

// A ReadableStream of `bytes` in slices of the sizes `sizes` cycles through.
function source(bytes, sizes) {
  let at = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const n = sizes[i++ % sizes.length];
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

// Everything the stream enqueued before it ended or errored.
async function drain(stream) {
  const out = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(out) };
      assert.ok(value instanceof Uint8Array);
      out.push(value);
    }
  } catch (error) {
    return { bytes: Buffer.concat(out), error };
  }
}

function keyPair() {
  const identity = AgeIdentity.generate();
  return { identity, recipient: identity.recipient() };
}

test('round trip with uneven chunks; progress; interchange with the one-shot functions', async () => {
  const { identity, recipient } = keyPair();
  const plain = pattern(5 * MiB + 12345, 2);
  const progress = [];
  const enc = await drain(
    source(plain, [1, 1000, CHUNK, 3 * MiB, 70000]).pipeThrough(
      encryptStream([recipient], { onProgress: (p) => progress.push({ ...p }) }),
    ),
  );
  assert.equal(enc.error, undefined);
  const file = new Uint8Array(enc.bytes);
  assert.ok(progress.length > 3);
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i].bytesIn >= progress[i - 1].bytesIn);
    assert.ok(progress[i].bytesOut >= progress[i - 1].bytesOut);
  }
  assert.equal(progress.at(-1).bytesIn, plain.length);
  assert.equal(progress.at(-1).bytesOut, file.length);
  assert.deepEqual(decryptFile(file, [identity]), plain);

  const dprog = [];
  const dec = await drain(
    source(file, [7, SEALED, 2 * MiB + 1]).pipeThrough(
      decryptStream([identity], { onProgress: (p) => dprog.push(p) }),
    ),
  );
  assert.equal(dec.error, undefined);
  assert.equal(
    createHash('sha256').update(dec.bytes).digest('hex'),
    createHash('sha256').update(plain).digest('hex'),
  );
  assert.equal(dprog.at(-1).bytesIn, file.length);
  assert.equal(dprog.at(-1).bytesOut, plain.length);

  const one = encryptFile(plain.subarray(0, 3 * CHUNK), [recipient]);
  const back = await drain(source(one, [100000]).pipeThrough(decryptStream([identity])));
  assert.deepEqual(new Uint8Array(back.bytes), plain.subarray(0, 3 * CHUNK));
  // An empty input is a valid (empty) age file.
  const empty = await drain(source(new Uint8Array(0), [1]).pipeThrough(encryptStream([recipient])));
  assert.deepEqual(decryptFile(new Uint8Array(empty.bytes), [identity]), new Uint8Array(0));
  identity.dispose();
  recipient.dispose();
});

test('armor: encryptStream({ armor: true }) and decryptStream detects it', async () => {
  const { identity, recipient } = keyPair();
  const plain = pattern(200000, 3);
  const enc = await drain(
    source(plain, [5000]).pipeThrough(encryptStream([recipient], { armor: true })),
  );
  const text = new TextDecoder().decode(enc.bytes);
  assert.ok(text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n'));
  assert.deepEqual(decryptFile(text, [identity]), plain);
  for (const sizes of [[1], [10, 3000], [1 << 20]]) {
    const dec = await drain(
      source(new Uint8Array(enc.bytes), sizes).pipeThrough(decryptStream([identity])),
    );
    assert.equal(dec.error, undefined, String(dec.error));
    assert.deepEqual(new Uint8Array(dec.bytes), plain);
  }
  // A passphrase, armored (as `age -p -a` writes).
  const r = AgeRecipient.passphrase(new TextEncoder().encode('pw'), { workFactor: 10 });
  const id = AgeIdentity.passphrase(new TextEncoder().encode('pw'));
  const armored = await drain(
    source(plain, [CHUNK]).pipeThrough(encryptStream([r], { armor: true })),
  );
  const dec = await drain(
    source(new Uint8Array(armored.bytes), [333]).pipeThrough(decryptStream([id])),
  );
  assert.deepEqual(new Uint8Array(dec.bytes), plain);
  // Broken armor is ARMOR_MALFORMED, on the stream.
  const broken = new TextEncoder().encode(text.replace('-----END', '-----FIN'));
  const bad = await drain(source(broken, [4096]).pipeThrough(decryptStream([identity])));
  assert.equal(bad.error?.code, 'ARMOR_MALFORMED');
  assert.equal(bad.bytes.length, 0);
  for (const k of [identity, recipient, r, id]) k.dispose();
});

test('a tampered chunk mid-stream: the stream errors, nothing of that chunk is enqueued', async () => {
  const { identity, recipient } = keyPair();
  const plain = pattern(10 * CHUNK, 4);
  const file = encryptFile(plain, [recipient]);
  const payloadStart = file.length - 10 * SEALED;
  for (const k of [0, 1, 5, 9]) {
    for (const where of [0, 100, SEALED - 1]) {
      const bad = file.slice();
      bad[payloadStart + k * SEALED + where] ^= 0x01;
      for (const sizes of [[4096], [SEALED], [1 << 20]]) {
        const got = await drain(source(bad, sizes).pipeThrough(decryptStream([identity])));
        assert.ok(got.error instanceof MedsealError, String(got.error));
        assert.equal(got.error.code, 'DECRYPT_FAILED');
        // Only whole chunks before chunk k, and exactly their plaintext.
        assert.ok(got.bytes.length <= k * CHUNK, `chunk ${k}: ${got.bytes.length} bytes released`);
        assert.equal(got.bytes.length % CHUNK, 0);
        assert.deepEqual(new Uint8Array(got.bytes), plain.subarray(0, got.bytes.length));
        if (sizes[0] === 4096)
          assert.equal(got.bytes.length, k * CHUNK, 'every good chunk before it');
      }
    }
  }
  // Reordered chunks: the first good chunk is released only if it is chunk 0.
  const swapped = file.slice();
  swapped.set(
    file.subarray(payloadStart + 2 * SEALED, payloadStart + 3 * SEALED),
    payloadStart + 3 * SEALED,
  );
  swapped.set(
    file.subarray(payloadStart + 3 * SEALED, payloadStart + 4 * SEALED),
    payloadStart + 2 * SEALED,
  );
  const r = await drain(source(swapped, [4096]).pipeThrough(decryptStream([identity])));
  assert.equal(r.error?.code, 'DECRYPT_FAILED');
  assert.deepEqual(new Uint8Array(r.bytes), plain.subarray(0, 2 * CHUNK));
  identity.dispose();
  recipient.dispose();
});

test('truncated files, a wrong key, bad chunks and bad arguments', async () => {
  const { identity, recipient } = keyPair();
  const plain = pattern(3 * CHUNK + 7, 5);
  const file = encryptFile(plain, [recipient]);
  const payloadStart = file.length - (3 * SEALED + 23);
  // Cut at a chunk boundary: no chunk is flagged last.
  const cut = await drain(
    source(file.subarray(0, payloadStart + 2 * SEALED), [4096]).pipeThrough(
      decryptStream([identity]),
    ),
  );
  assert.ok(['TRUNCATED', 'DECRYPT_FAILED'].includes(cut.error?.code), String(cut.error));
  assert.deepEqual(new Uint8Array(cut.bytes), plain.subarray(0, cut.bytes.length));
  // Both chunks authenticated (as non-last chunks); the missing last one is
  // the error.
  assert.ok(cut.bytes.length <= 2 * CHUNK);
  // Only the header.
  const head = await drain(
    source(file.subarray(0, 50), [10]).pipeThrough(decryptStream([identity])),
  );
  assert.equal(head.error?.code, 'TRUNCATED');
  // A wrong key.
  const other = AgeIdentity.generate();
  const wrong = await drain(source(file, [4096]).pipeThrough(decryptStream([other])));
  assert.equal(wrong.error?.code, 'NO_MATCHING_RECIPIENT');
  assert.equal(wrong.bytes.length, 0);
  // A chunk that is not a Uint8Array.
  const ts = encryptStream([recipient]);
  const writer = ts.writable.getWriter();
  const read = drain(ts.readable);
  await writer.write('text').catch(() => {});
  const r = await read;
  assert.equal(r.error?.code, 'INVALID_ARGUMENT');
  // Arguments are checked when the stream is made.
  expectCode(() => encryptStream([]), 'INVALID_ARGUMENT');
  expectCode(() => encryptStream([identity]), 'INVALID_ARGUMENT');
  expectCode(() => encryptStream([recipient], { onProgress: 1 }), 'INVALID_ARGUMENT');
  expectCode(() => encryptStream([recipient], { armor: 1 }), 'INVALID_ARGUMENT');
  expectCode(() => encryptStream([recipient], null), 'INVALID_ARGUMENT');
  expectCode(() => encryptStream([], { armor: true }), 'INVALID_ARGUMENT');
  expectCode(() => decryptStream([]), 'INVALID_ARGUMENT');
  expectCode(() => decryptStream([recipient]), 'INVALID_ARGUMENT');
  expectCode(() => decryptStream([identity], { onProgress: 'x' }), 'INVALID_ARGUMENT');
  other.dispose();
  expectCode(() => decryptStream([other]), 'DISPOSED');
  identity.dispose();
  recipient.dispose();
});

test('constant memory: 64 MiB through encrypt and decrypt, the wasm heap stays under 32 MiB', async () => {
  const { identity, recipient } = keyPair();
  const total = 64 * MiB;
  const block = pattern(4 * MiB, 6);
  let produced = 0;
  const plainSource = new ReadableStream({
    pull(controller) {
      if (produced >= total) {
        controller.close();
        return;
      }
      controller.enqueue(block.slice());
      produced += block.length;
    },
  });
  const hash = createHash('sha256');
  let peak = wasmMemoryBytes();
  const reader = plainSource
    .pipeThrough(encryptStream([recipient]))
    .pipeThrough(decryptStream([identity]))
    .getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    n += value.length;
    peak = Math.max(peak, wasmMemoryBytes());
  }
  assert.equal(n, total);
  const expected = createHash('sha256');
  for (let i = 0; i < total / block.length; i++) expected.update(block);
  assert.equal(hash.digest('hex'), expected.digest('hex'));
  assert.ok(peak <= 32 * MiB, `wasm memory reached ${peak} bytes`);
  identity.dispose();
  recipient.dispose();
});

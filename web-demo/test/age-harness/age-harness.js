// SPDX-License-Identifier: Apache-2.0
// Test harness page (never shipped) for web-demo/test/age-stream.test.mjs:
// runs the package's age Web Streams in this page and its Worker client
// (dist/age-worker.js, copied beside this script by the test) under the
// demo's strict CSP, on multi-MiB inputs, while a timer measures how long
// the page's thread was ever busy. Plain data in and out.
import {
  AgeIdentity,
  AgeRecipient,
  MedsealError,
  decryptFileInWorker,
  decryptStream,
  encryptFileInWorker,
  encryptStream,
  init,
  wasmMemoryBytes,
} from 'medseal';

const MiB = 1024 * 1024;

// Deterministic plaintext, as a Blob of 1 MiB parts.
function plaintextBlob(size, seed) {
  const parts = [];
  let x = seed >>> 0;
  for (let at = 0; at < size; at += MiB) {
    const part = new Uint8Array(Math.min(MiB, size - at));
    for (let i = 0; i < part.length; i += 4) {
      x = (x * 1664525 + 1013904223) >>> 0;
      part[i] = x;
      part[i + 1] = x >>> 8;
      part[i + 2] = x >>> 16;
      part[i + 3] = x >>> 24;
    }
    parts.push(part);
  }
  return new Blob(parts);
}

// A stream's bytes as a Blob, read with a reader: the stream's own error
// (a MedsealError) is thrown, not Response's TypeError.
async function collect(stream) {
  const parts = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return new Blob(parts);
    parts.push(value);
  }
}

async function sameBytes(a, b) {
  if (a.size !== b.size) return false;
  const [x, y] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
  return true;
}

// Runs `work` while a 5 ms interval timer runs; returns its result with the
// number of ticks and the longest gap between two ticks (ms).
async function withTimer(work) {
  let ticks = 0;
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  try {
    const result = await work();
    maxGap = Math.max(maxGap, performance.now() - last);
    return { ...result, ticks, maxGap };
  } finally {
    clearInterval(timer);
  }
}

function errorInfo(e) {
  return { name: e?.name, code: e?.code ?? null, isMedsealError: e instanceof MedsealError };
}

window.ageHarness = Object.freeze({
  ready: init(),

  /** encryptStream then decryptStream in this page; progress and memory. */
  async streams(size) {
    const identity = AgeIdentity.generate();
    const recipient = identity.recipient();
    const plain = plaintextBlob(size, 7);
    try {
      return await withTimer(async () => {
        const progress = [];
        let peak = wasmMemoryBytes();
        const encrypted = await collect(
          plain.stream().pipeThrough(
            encryptStream([recipient], {
              onProgress: (p) => {
                progress.push(p.bytesIn);
                peak = Math.max(peak, wasmMemoryBytes());
              },
            }),
          ),
        );
        const decrypted = await collect(
          encrypted.stream().pipeThrough(
            decryptStream([identity], {
              onProgress: () => (peak = Math.max(peak, wasmMemoryBytes())),
            }),
          ),
        );
        // A tampered chunk in the middle: the stream errors, and what it
        // released is a whole-chunk prefix of the plaintext.
        const bytes = new Uint8Array(await encrypted.arrayBuffer());
        bytes[Math.floor(bytes.length / 2)] ^= 1;
        let released = 0;
        let error = null;
        const reader = new Blob([bytes])
          .stream()
          .pipeThrough(decryptStream([identity]))
          .getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            released += value.length;
          }
        } catch (e) {
          error = errorInfo(e);
        }
        return {
          ok: await sameBytes(plain, decrypted),
          encryptedSize: encrypted.size,
          progressCalls: progress.length,
          lastBytesIn: progress.at(-1),
          peakMemory: peak,
          tamper: { error, released, half: Math.floor(size / 2) },
        };
      });
    } finally {
      identity.dispose();
      recipient.dispose();
    }
  },

  /** The Worker client: X25519 (key bytes transferred) and a passphrase. */
  async worker(size) {
    const identity = AgeIdentity.generate();
    const recipient = identity.recipient();
    const plain = plaintextBlob(size, 11);
    try {
      let progressCalls = 0;
      let lastBytesIn = 0;
      let transferred = false;
      // Only the two big jobs are timed: the page's thread just moves buffers.
      const timed = await withTimer(async () => {
        const encrypted = await collect(
          encryptFileInWorker(plain, [recipient.toString()], {
            onProgress: (p) => {
              progressCalls++;
              lastBytesIn = p.bytesIn;
            },
          }),
        );
        const secret = identity.exportSecretKey();
        const decrypted = await collect(decryptFileInWorker(encrypted.stream(), [secret]));
        transferred = secret.byteLength === 0;
        return { encrypted, decrypted };
      });
      const { encrypted, decrypted } = timed;
      // A passphrase, both ways through the Worker.
      const pw = () => new TextEncoder().encode('worker passphrase');
      const small = plaintextBlob(300000, 3);
      const pwFile = await collect(
        encryptFileInWorker(small, [{ passphrase: pw(), workFactor: 10 }]),
      );
      const pwPlain = await collect(decryptFileInWorker(pwFile, [{ passphrase: pw() }]));
      // A wrong key and a tampered file error the stream with the code.
      let wrongKey = null;
      const other = AgeIdentity.generate();
      try {
        await collect(decryptFileInWorker(encrypted, [other]));
      } catch (e) {
        wrongKey = errorInfo(e);
      }
      other.dispose();
      const bytes = new Uint8Array(await encrypted.arrayBuffer());
      bytes[bytes.length - 70000] ^= 1;
      let tamper = null;
      try {
        await collect(decryptFileInWorker(new Blob([bytes]), [identity]));
      } catch (e) {
        tamper = errorInfo(e);
      }
      let badRecipient = null;
      try {
        await collect(encryptFileInWorker(small, ['age1notarecipient']));
      } catch (e) {
        badRecipient = errorInfo(e);
      }
      return {
        ok: await sameBytes(plain, decrypted),
        encryptedSize: encrypted.size,
        progressCalls,
        lastBytesIn,
        transferred,
        passphraseOk: await sameBytes(small, pwPlain),
        wrongKey,
        tamper,
        badRecipient,
        ticks: timed.ticks,
        maxGap: timed.maxGap,
        pageMemory: wasmMemoryBytes(),
      };
    } finally {
      identity.dispose();
      recipient.dispose();
    }
  },
});

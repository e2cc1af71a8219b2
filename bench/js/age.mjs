// SPDX-License-Identifier: Apache-2.0
// The attachment rows of the benchmark (issue #12): age v1 files encrypted
// and decrypted to one X25519 recipient, in Node and in Chromium (suite.mjs
// runs them in the same interleaved way as every other row), and the
// constant-memory measurement of medseal's streams. ES module, no imports:
// the caller hands in the loaded libraries.
//
// Rows (MB/s = 10^6 bytes of plaintext per second; the same ids as
// bench/native_bench.cc, where medseal's AgeEncryptor/AgeDecryptor run
// beside the bare STREAM payload on libsodium, and bench/age-cli.sh, which
// times the `age` CLI and medseal_native_bench's file mode as whole
// processes on a 16 MiB file):
//   age-enc-64k, age-dec-64k   a 64 KiB file, in memory (one-shot calls)
//   age-enc-16m, age-dec-16m   a 16 MiB file, in memory (one-shot calls)
//   age-enc-1g,  age-dec-1g    a 1 GiB file as a Web Stream of 1 MiB chunks
//                              (generated on the fly for encryption; for
//                              decryption the ciphertext encrypted once before
//                              timing, held as 1 MiB chunks); not in --quick
// Implementations:
//   medseal                    encryptFile / decryptFile, and for 1 GiB
//                              encryptStream / decryptStream (TransformStreams)
//   age-encryption             typage: Encrypter / Decrypter on a Uint8Array,
//                              and on a ReadableStream for 1 GiB
//   libsodium-wrappers-secretstream
//                              the same job on libsodium-wrappers: a random
//                              key sealed to the recipient's X25519 key with
//                              crypto_box_seal (what an age X25519 stanza
//                              does), then crypto_secretstream_xchacha20poly1305
//                              in 64 KiB chunks (age's chunk size), the last
//                              one tagged FINAL
// Decryption rows: medseal and typage decrypt the same age file (written by
// medseal when the package has the age API, checked by typage), the
// secretstream construction its own file.
//
// Before anything is timed, checkAgeInterop cross-checks the two age
// implementations (throws, failing the run, on any difference): medseal's
// files, one-shot and streamed, decrypt with typage to the same bytes, and
// typage's with medseal, at sizes with a full, a partial and an empty last
// chunk; the secretstream construction round-trips.

export const IMPL_TYPAGE = 'age-encryption';
export const IMPL_SECRETSTREAM = 'libsodium-wrappers-secretstream';
// bench/age-cli.sh's implementations (build/bench/age-cli.json): the `age`
// CLI and medseal's file mode, whole processes.
export const IMPL_AGE_CLI = 'age-cli';
export const IMPL_MEDSEAL_CLI = 'medseal-cli';

export const AGE_SIZES = [
  { tag: '64k', bytes: 64 * 1024, name: '64 KiB', streamed: false },
  { tag: '16m', bytes: 16 * 1024 * 1024, name: '16 MiB', streamed: false },
  { tag: '1g', bytes: 1024 * 1024 * 1024, name: '1 GiB', streamed: true },
];
export const AGE_ROWS = AGE_SIZES.flatMap((s) => [`age-enc-${s.tag}`, `age-dec-${s.tag}`]);
// Too long for the smoke run (--quick): only in the full run.
export const AGE_LARGE_ROWS = ['age-enc-1g', 'age-dec-1g'];
// The age rows an environment measures in a full / a quick run.
export const ageRowsFor = (quick) =>
  AGE_ROWS.filter((id) => !quick || !AGE_LARGE_ROWS.includes(id));
// The 1 GiB rows take one call per sample and at most this many repetitions
// (a call takes seconds).
export const AGE_LARGE_REPS = 3;

// Targets from the issue (Chromium: medseal / each baseline, for every age
// row; native: medseal's file mode / the age CLI, age-cli.json's rows).
export const AGE_TARGETS = { [IMPL_TYPAGE]: 3.0, [IMPL_SECRETSTREAM]: 1.0 };
export const AGE_NATIVE_TARGETS = { [IMPL_AGE_CLI]: 1.0 };
// The constant-memory bound: medseal's wasm memory while a 1 GiB file is
// encrypted and decrypted as streams in Chromium.
export const AGE_MEMORY_LIMIT = 32 * 1024 * 1024;

const CHUNK = 64 * 1024; // age's and the secretstream construction's chunk
const FEED = 1024 * 1024; // the streamed rows feed 1 MiB chunks

// The plaintext: byte i of a file is pattern(i) (period 251, so that no two
// 64 KiB chunks are equal and a misplaced one shows).
export const patternByte = (i) => (i * 7 + 3) % 251;
export function plaintext(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < Math.min(n, 251); i++) out[i] = patternByte(i);
  for (let filled = 251; filled < n; filled *= 2)
    out.copyWithin(filled, 0, Math.min(filled, n - filled));
  return out;
}
// FEED is not a multiple of 251: the generated stream repeats FEED bytes of
// the pattern, so its byte i is FEED_TEMPLATE[i % FEED].
let feedTemplate = null;
const template = () => (feedTemplate ??= plaintext(FEED));
export const streamedByte = (i) => template()[i % FEED];

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(parts, total = parts.reduce((n, p) => n + p.length, 0)) {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// A ReadableStream of `total` bytes of the streamed pattern in FEED-byte
// chunks, generated on the fly: every chunk is the same (never written)
// template, so nothing but the consumer holds memory. `yieldEvery`: wait for
// a macrotask every that many chunks (a pipeline of streams otherwise runs
// as one chain of microtasks, and the page serves no task, such as a
// DevTools request, until it ends).
export function generatedStream(total, { yieldEvery = 0 } = {}) {
  const t = template();
  let left = total;
  let pulls = 0;
  return new ReadableStream(
    {
      async pull(controller) {
        if (left === 0) {
          controller.close();
          return;
        }
        if (yieldEvery && ++pulls % yieldEvery === 0) await new Promise((r) => setTimeout(r, 0));
        const n = Math.min(left, FEED);
        controller.enqueue(n === FEED ? t : t.subarray(0, n));
        left -= n;
      },
    },
    { highWaterMark: 0 },
  );
}

// A ReadableStream of the given chunks (not copied).
export function chunkStream(chunks) {
  let i = 0;
  return new ReadableStream(
    {
      pull(controller) {
        if (i === chunks.length) controller.close();
        else controller.enqueue(chunks[i++]);
      },
    },
    { highWaterMark: 0 },
  );
}

// Reads a stream to its end; returns the byte count. `each(chunk, offset)`
// sees every chunk.
export async function drain(readable, each = null) {
  const reader = readable.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    each?.(value, n);
    n += value.length;
  }
}

// Reads a stream into FEED-byte chunks (the held 1 GiB ciphertext).
async function collect(readable) {
  const chunks = [];
  let cur = new Uint8Array(FEED);
  let used = 0;
  await drain(readable, (c) => {
    for (let o = 0; o < c.length;) {
      const n = Math.min(FEED - used, c.length - o);
      cur.set(c.subarray(o, o + n), used);
      used += n;
      o += n;
      if (used === FEED) {
        chunks.push(cur);
        cur = new Uint8Array(FEED);
        used = 0;
      }
    }
  });
  if (used) chunks.push(cur.slice(0, used));
  return chunks;
}

// ---------------------------------------------------------------------------
// The implementations. Each: { encrypt(pt) -> file, decrypt(file) -> pt,
// encryptReadable(rs) -> rs, decryptReadable(rs) -> rs }, all async.

// medseal's age API (wasm/package/src/age.ts, age-stream.ts), or null when
// the package has none (a build from before issue #12). The keys are parsed
// once into AgeRecipient / AgeIdentity handles (as an application holds
// them); dispose() frees them.
export const MEDSEAL_AGE_API = [
  'encryptFile',
  'decryptFile',
  'encryptStream',
  'decryptStream',
  'AgeRecipient',
  'AgeIdentity',
];
export function medsealAge(medseal, identity, recipient) {
  if (MEDSEAL_AGE_API.some((n) => typeof medseal?.[n] !== 'function')) return null;
  const r = [medseal.AgeRecipient.parse(recipient)];
  const i = [medseal.AgeIdentity.parse(new TextEncoder().encode(identity))];
  return {
    encrypt: async (pt) => medseal.encryptFile(pt, r),
    decrypt: async (file) => medseal.decryptFile(file, i),
    encryptReadable: async (rs) => rs.pipeThrough(medseal.encryptStream(r)),
    decryptReadable: async (rs) => rs.pipeThrough(medseal.decryptStream(i)),
    dispose: () => [...r, ...i].forEach((k) => k.dispose()),
  };
}

// typage (npm age-encryption).
export function typageAge(age, identity, recipient) {
  const e = new age.Encrypter();
  e.addRecipient(recipient);
  const d = new age.Decrypter();
  d.addIdentity(identity);
  return {
    encrypt: (pt) => e.encrypt(pt),
    decrypt: (file) => d.decrypt(file),
    encryptReadable: (rs) => e.encrypt(rs),
    decryptReadable: (rs) => d.decrypt(rs),
  };
}

// The secretstream construction on libsodium-wrappers. File: crypto_box_seal
// of the 32-byte key (80 bytes), the secretstream header (24 bytes), then
// chunks of up to 64 KiB + 17 bytes, every one tagged MESSAGE but the last,
// tagged FINAL (the only chunk that may be shorter; empty only when the file is).
export function secretstreamAge(sodium) {
  const kp = sodium.crypto_box_keypair();
  const SEALED = 32 + sodium.crypto_box_SEALBYTES;
  const HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  const A = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const push = sodium.crypto_secretstream_xchacha20poly1305_push;
  const pull = sodium.crypto_secretstream_xchacha20poly1305_pull;

  function start() {
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const sealed = sodium.crypto_box_seal(key, kp.publicKey);
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    key.fill(0);
    return { state, prefix: concat([sealed, header]) };
  }
  function open(prefix) {
    const key = sodium.crypto_box_seal_open(
      prefix.subarray(0, SEALED),
      kp.publicKey,
      kp.privateKey,
    );
    const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(
      prefix.subarray(SEALED, SEALED + HEADER),
      key,
    );
    key.fill(0);
    return state;
  }
  function pullChecked(state, c, last) {
    const r = pull(state, c, null);
    if (!r) throw new Error('secretstream: chunk does not authenticate');
    if (r.tag !== (last ? FINAL : MESSAGE)) throw new Error('secretstream: wrong tag');
    return r.message;
  }
  const sizeOf = (n) => SEALED + HEADER + n + Math.max(1, Math.ceil(n / CHUNK)) * A;

  return {
    publicKey: kp.publicKey,
    async encrypt(pt) {
      const { state, prefix } = start();
      const out = new Uint8Array(sizeOf(pt.length));
      out.set(prefix);
      let o = prefix.length;
      let i = 0;
      do {
        const end = Math.min(i + CHUNK, pt.length);
        const c = push(state, pt.subarray(i, end), null, end === pt.length ? FINAL : MESSAGE);
        out.set(c, o);
        o += c.length;
        i = end;
      } while (i < pt.length);
      return out;
    },
    async decrypt(file) {
      const state = open(file);
      const body = file.subarray(SEALED + HEADER);
      const chunks = Math.max(1, Math.ceil(body.length / (CHUNK + A)));
      const out = new Uint8Array(body.length - chunks * A);
      for (let k = 0, o = 0; k < chunks; k++) {
        const c = body.subarray(k * (CHUNK + A), Math.min((k + 1) * (CHUNK + A), body.length));
        const m = pullChecked(state, c, k === chunks - 1);
        out.set(m, o);
        o += m.length;
      }
      return out;
    },
    // Streams: a full chunk is sealed only once more input arrives, so the
    // last one (sealed by flush) is never empty unless the file is.
    async encryptReadable(rs) {
      const { state, prefix } = start();
      const buf = new Uint8Array(CHUNK);
      let used = 0;
      return rs.pipeThrough(
        new TransformStream({
          start(c) {
            c.enqueue(prefix);
          },
          transform(chunk, c) {
            for (let o = 0; o < chunk.length;) {
              if (used === CHUNK) {
                c.enqueue(push(state, buf, null, MESSAGE));
                used = 0;
              }
              const n = Math.min(CHUNK - used, chunk.length - o);
              buf.set(chunk.subarray(o, o + n), used);
              used += n;
              o += n;
            }
          },
          flush(c) {
            c.enqueue(push(state, buf.subarray(0, used), null, FINAL));
          },
        }),
      );
    },
    async decryptReadable(rs) {
      const buf = new Uint8Array(Math.max(SEALED + HEADER, CHUNK + A));
      let used = 0;
      let state = null;
      return rs.pipeThrough(
        new TransformStream({
          transform(chunk, c) {
            for (let o = 0; o < chunk.length;) {
              const want = state === null ? SEALED + HEADER : CHUNK + A;
              if (state !== null && used === want) {
                c.enqueue(pullChecked(state, buf.subarray(0, used), false));
                used = 0;
              }
              const n = Math.min(want - used, chunk.length - o);
              buf.set(chunk.subarray(o, o + n), used);
              used += n;
              o += n;
              if (state === null && used === want) {
                state = open(buf);
                used = 0;
              }
            }
          },
          flush(c) {
            if (state === null) throw new Error('secretstream: truncated header');
            c.enqueue(pullChecked(state, buf.subarray(0, used), true));
          },
        }),
      );
    },
  };
}

// ---------------------------------------------------------------------------
// Cross-checks (before timing).

async function readAll(rs) {
  const parts = [];
  await drain(rs, (c) => parts.push(c.slice()));
  return concat(parts);
}

// Sizes: empty, one partial chunk, exactly one chunk, a chunk and one byte,
// 16 chunks and a partial one.
const CHECK_SIZES = [0, 1000, CHUNK, CHUNK + 1, 16 * CHUNK + 12345];

// Throws on any disagreement. Returns what was checked (for the JSON).
export async function checkAgeInterop({ m, t, s, log = () => {} }) {
  const done = [];
  const expect = (what, got, want) => {
    if (!equalBytes(got, want)) throw new Error(`age cross-check failed: ${what}`);
    done.push(what);
  };
  const streamOf = (bytes) => chunkStream([bytes.subarray(0, 777), bytes.subarray(777)]);
  for (const n of CHECK_SIZES) {
    const pt = plaintext(n);
    expect(`secretstream ${n} B`, await s.decrypt(await s.encrypt(pt)), pt);
    expect(
      `secretstream stream ${n} B`,
      await readAll(await s.decryptReadable(await s.encryptReadable(streamOf(pt)))),
      pt,
    );
    expect(`typage ${n} B`, await t.decrypt(await t.encrypt(pt)), pt);
    if (!m) continue;
    const mFile = await m.encrypt(pt);
    const tFile = await t.encrypt(pt);
    expect(`medseal -> typage ${n} B`, await t.decrypt(mFile), pt);
    expect(`typage -> medseal ${n} B`, await m.decrypt(tFile), pt);
    const mStreamed = await readAll(await m.encryptReadable(streamOf(pt)));
    expect(`medseal stream -> typage ${n} B`, await t.decrypt(mStreamed), pt);
    expect(
      `typage -> medseal stream ${n} B`,
      await readAll(await m.decryptReadable(streamOf(tFile))),
      pt,
    );
    // A tampered last byte (the last chunk's tag) must not decrypt.
    const bad = mFile.slice();
    bad[bad.length - 1] ^= 1;
    let rejected = false;
    try {
      await m.decrypt(bad);
    } catch {
      rejected = true;
    }
    if (!rejected)
      throw new Error(`age cross-check failed: medseal decrypted a tampered ${n} B file`);
    done.push(`medseal rejects tampered ${n} B`);
  }
  log(`age: ${done.length} cross-checks passed${m ? '' : ' (peers only: no medseal age API)'}`);
  return { sizes: CHECK_SIZES, passed: done.length, medseal: m !== null };
}

// ---------------------------------------------------------------------------
// The rows.

// The keys: an X25519 identity (AGE-SECRET-KEY-1...) and its recipient
// (age1...), made by typage. Returns { rows, checks, dispose }.
export async function buildAgeRows({
  medseal,
  age,
  sodium,
  want,
  quick = false,
  reps,
  log = () => {},
}) {
  const ids = ageRowsFor(quick).filter(want);
  if (ids.length === 0) return { rows: [], checks: null, dispose: () => {} };
  if (!age) throw new Error('the age rows need age-encryption (typage)');
  const identity = await age.generateX25519Identity();
  const recipient = await age.identityToRecipient(identity);
  const m = medsealAge(medseal, identity, recipient);
  if (!m) {
    log(
      `age: this medseal package has no ${MEDSEAL_AGE_API.join('/')}: the age rows measure the peers only, and summary.mjs fails the run`,
    );
  }
  const t = typageAge(age, identity, recipient);
  const s = secretstreamAge(sodium);
  const checks = await checkAgeInterop({ m, t, s, log });
  checks.recipient = 'X25519';
  const impls = (mk) =>
    [
      m && { name: 'medseal', async: true, op: mk(m) },
      { name: IMPL_TYPAGE, async: true, op: mk(t) },
      { name: IMPL_SECRETSTREAM, async: true, op: mk(s) },
    ].filter(Boolean);
  const lengthIs = (n, what) => (x) => {
    if (x.length !== n) throw new Error(`${what}: ${x.length} bytes, expected ${n}`);
  };
  const rows = [];
  for (const size of AGE_SIZES) {
    const enc = `age-enc-${size.tag}`,
      dec = `age-dec-${size.tag}`;
    if (!ids.includes(enc) && !ids.includes(dec)) continue;
    const n = size.bytes;
    // A 16 MiB call takes a large part of a sample: one warm-up call.
    const common = {
      unit: 'MB/s',
      bytesPerOp: n,
      baseline: IMPL_TYPAGE,
      comparisons: AGE_TARGETS,
      warmup: n > FEED ? 1 : 3,
    };
    if (!size.streamed) {
      const pt = plaintext(n);
      const ageFile = await (m ?? t).encrypt(pt);
      const ssFile = await s.encrypt(pt);
      // Both age implementations read the file the timed decryptions read.
      for (const x of [m, t].filter(Boolean)) lengthIs(n, dec)(await x.decrypt(ageFile));
      const ageLen = ageFile.length;
      if (ids.includes(enc)) {
        rows.push({
          id: enc,
          label: `age encrypt ${size.name} (X25519)`,
          ...common,
          impls: impls((x) => async () => {
            const f = await x.encrypt(pt);
            if (f.length < n) throw new Error(`${enc}: short file`);
          }),
        });
      }
      if (ids.includes(dec)) {
        rows.push({
          id: dec,
          label: `age decrypt ${size.name} (X25519)`,
          ...common,
          impls: impls((x) => {
            const file = x === s ? ssFile : ageFile;
            const check = lengthIs(n, dec);
            return async () => check(await x.decrypt(file));
          }),
        });
      }
      log(`age ${size.tag}: age file ${ageLen} bytes, secretstream ${ssFile.length}`);
      continue;
    }
    // Streamed (1 GiB): one call per sample, at most AGE_LARGE_REPS repetitions.
    const large = { ...common, iters: 1, reps: Math.min(reps, AGE_LARGE_REPS) };
    if (ids.includes(enc)) {
      rows.push({
        id: enc,
        label: `age encrypt ${size.name}, streamed (X25519)`,
        ...large,
        impls: impls((x) => async () => {
          const got = await drain(await x.encryptReadable(generatedStream(n)));
          if (got < n) throw new Error(`${enc}: short file`);
        }),
      });
    }
    if (ids.includes(dec)) {
      // The ciphertexts, encrypted once and held as 1 MiB chunks; the last
      // 64 KiB of each output checked against the pattern.
      log(`age 1g: encrypting the files the decryption row reads`);
      const ageChunks = await collect(await (m ?? t).encryptReadable(generatedStream(n)));
      const ssChunks = await collect(await s.encryptReadable(generatedStream(n)));
      const tail = (what) => (c, off) => {
        if (off + c.length <= n - CHUNK) return;
        for (let i = 0; i < c.length; i += 4093) {
          if (c[i] !== streamedByte(off + i))
            throw new Error(`${what}: wrong plaintext at ${off + i}`);
        }
      };
      rows.push({
        id: dec,
        label: `age decrypt ${size.name}, streamed (X25519)`,
        ...large,
        impls: impls((x) => {
          const chunks = x === s ? ssChunks : ageChunks;
          const check = tail(
            `${dec} ${x === s ? IMPL_SECRETSTREAM : x === t ? IMPL_TYPAGE : 'medseal'}`,
          );
          return async () => {
            const got = await drain(await x.decryptReadable(chunkStream(chunks)), check);
            if (got !== n) throw new Error(`${dec}: ${got} bytes, expected ${n}`);
          };
        }),
      });
    }
  }
  return { rows, checks, dispose: () => m?.dispose() };
}

// ---------------------------------------------------------------------------
// Constant memory: `bytes` of generated plaintext through medseal's
// encryptStream, then decryptStream, in one pipeline (nothing held), in a
// fresh page. Samples medseal.wasmMemoryBytes() at every chunk between the
// stages, and the JS heap (performance.memory, Chromium) every 16 chunks;
// the source waits for a macrotask every 16 MiB (so that the caller can
// poll the page from outside), and the heap is read again after a forced
// collection at the end.
// Checks every output chunk against the pattern (a sample of its bytes) and
// the total length. Returns the measurement with `status` PASS when the
// wasm memory never exceeded AGE_MEMORY_LIMIT, MISS otherwise.
export async function measureAgeMemory({
  medseal,
  age,
  bytes,
  log = () => {},
  gc = globalThis.gc,
}) {
  // A package without the streams (a build from before issue #12) gets no
  // measurement: status MISSING, which summary.mjs fails.
  const missing = [...MEDSEAL_AGE_API, 'wasmMemoryBytes'].filter(
    (n) => typeof medseal?.[n] !== 'function',
  );
  if (missing.length) {
    log(`age memory: this medseal package has no ${missing.join(', ')}`);
    return { bytes, limit: AGE_MEMORY_LIMIT, status: 'MISSING', missing };
  }
  const identity = await age.generateX25519Identity();
  const recipient = [medseal.AgeRecipient.parse(await age.identityToRecipient(identity))];
  const identities = [medseal.AgeIdentity.parse(new TextEncoder().encode(identity))];
  const heap = () => globalThis.performance?.memory?.usedJSHeapSize ?? null;
  gc?.();
  const initial = medseal.wasmMemoryBytes();
  const heapBefore = heap();
  let maxWasm = initial,
    maxHeap = heapBefore,
    samples = 0,
    chunks = 0,
    ciphertextBytes = 0;
  const sample = () => {
    const w = medseal.wasmMemoryBytes();
    if (w > maxWasm) maxWasm = w;
    samples++;
    if (heapBefore !== null && samples % 16 === 0) {
      const h = heap();
      if (h > maxHeap) maxHeap = h;
    }
  };
  const tap = (count) =>
    new TransformStream({
      transform(c, controller) {
        sample();
        count?.(c);
        controller.enqueue(c);
      },
    });
  const t0 = performance.now();
  const out = generatedStream(bytes, { yieldEvery: 16 })
    .pipeThrough(tap())
    .pipeThrough(medseal.encryptStream(recipient))
    .pipeThrough(tap((c) => (ciphertextBytes += c.length)))
    .pipeThrough(medseal.decryptStream(identities));
  const got = await drain(out, (c, off) => {
    sample();
    chunks++;
    for (let i = 0; i < c.length; i += 65521) {
      if (c[i] !== streamedByte(off + i))
        throw new Error(`memory run: wrong plaintext at ${off + i}`);
    }
    const last = c.length - 1;
    if (last >= 0 && c[last] !== streamedByte(off + last)) {
      throw new Error(`memory run: wrong plaintext at ${off + last}`);
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  for (const k of [...recipient, ...identities]) k.dispose();
  if (got !== bytes) throw new Error(`memory run: ${got} bytes out, expected ${bytes}`);
  const final = medseal.wasmMemoryBytes();
  if (final > maxWasm) maxWasm = final;
  const heapAfter = heap();
  // A collection, a task for the sweeper to free what it found, another one.
  gc?.();
  await new Promise((r) => setTimeout(r, 100));
  gc?.();
  const heapAfterGc = gc ? heap() : null;
  const result = {
    bytes,
    ciphertextBytes,
    seconds,
    mbPerSecond: bytes / seconds / 1e6,
    outputChunks: chunks,
    samples,
    wasmMemoryBytes: { initial, max: maxWasm, final },
    jsHeapBytes:
      heapBefore === null
        ? null
        : {
            source: 'performance.memory.usedJSHeapSize (garbage included until collected)',
            before: heapBefore,
            max: maxHeap,
            after: heapAfter,
            afterGc: heapAfterGc,
          },
    limit: AGE_MEMORY_LIMIT,
    status: maxWasm <= AGE_MEMORY_LIMIT ? 'PASS' : 'MISS',
  };
  log(
    `age memory: ${bytes} bytes through encryptStream -> decryptStream in ${seconds.toFixed(1)} s, wasm memory ${initial} -> max ${maxWasm} bytes (limit ${AGE_MEMORY_LIMIT}): ${result.status}`,
  );
  return result;
}

// SPDX-License-Identifier: Apache-2.0
// The Argon2id unlock rows of the benchmark (issue #13), in Node and in
// Chromium (suite.mjs runs them in the same interleaved way as every other
// row). ES module, no imports: the caller hands in the loaded libraries.
//
// Rows (the same ids as bench/native_bench.cc), unlocks per second: one
// Argon2id of a 21-byte passphrase and a 16-byte salt, 32 bytes of output,
// one lane, at
//   argon2id-19m-2   19 MiB, 2 passes: OWASP's minimum, the keystore's floor
//                    (kKdfFloor in core/keystore/keystore.h)
//   argon2id-64m-3   64 MiB, 3 passes: RFC 9106's second recommended option,
//                    the keystore's default (kKdfDefaults)
// (--quick: the same rows at ARGON2_QUICK_MEMORY_KIB, a smoke run.)
// Implementations, in the same runtime:
//   medseal                    the package's argon2id (core/crypto/argon2.h:
//                              libsodium 1.0.18's crypto_pwhash in medseal's
//                              wasm build)
//   libsodium-wrappers-sumo    crypto_pwhash(..., ALG_ARGON2ID13)
//   argon2-browser             argon2-browser's dist/argon2.wasm
//   argon2-browser-simd        argon2-browser's dist/argon2-simd.wasm
// argon2-browser's own loader (lib/argon2.js) memoises one module and its
// Emscripten glue (dist/argon2.js, a classic script) keeps its state in
// globals (`Module`, `HEAP8`), so its two builds cannot live side by side in
// one page through it; `loadArgon2Browser` instantiates each shipped .wasm
// with the glue's two imports (memcpy and heap growth) and calls its
// argon2_hash_ext the way lib/argon2.js does (arguments copied into fresh
// malloc'd buffers, the encoded string computed too, everything freed). No
// eval: the page needs only 'wasm-unsafe-eval' for it, as for medseal.
//
// Target (the issue): medseal no slower than the faster of
// libsodium-wrappers-sumo and argon2-browser (either build) in the same
// browser: the row's verdict is its ratio to the peer with the highest
// median (`fasterPeer`), >= 1.0; the ratio to every peer is listed too.
//
// Before timing, every implementation derives the row's key once and all
// must agree byte for byte (and medseal must give libsodium's known answer
// for the first entry of the ones the package tests read).

export const IMPL_SODIUM_SUMO = 'libsodium-wrappers-sumo';
export const IMPL_ARGON2_BROWSER = 'argon2-browser';
export const IMPL_ARGON2_BROWSER_SIMD = 'argon2-browser-simd';
export const ARGON2_PEERS = [IMPL_SODIUM_SUMO, IMPL_ARGON2_BROWSER, IMPL_ARGON2_BROWSER_SIMD];

export const ARGON2_PARAMS = {
  'argon2id-19m-2': { memoryKib: 19456, passes: 2, what: "OWASP's minimum (keystore floor)" },
  'argon2id-64m-3': {
    memoryKib: 65536,
    passes: 3,
    what: 'RFC 9106 second choice (keystore default)',
  },
};
export const ARGON2_ROWS = Object.keys(ARGON2_PARAMS);
// --quick: every row at 1 MiB (its passes kept), a few ms per unlock.
export const ARGON2_QUICK_MEMORY_KIB = 1024;
export const ARGON2_TARGET = 1.0; // medseal / the faster peer, at least
const OUTPUT = 32;
const ARGON2ID = 2; // argon2_type
const VERSION = 0x13;

const PASSPHRASE = new TextEncoder().encode('correct horse battery');
const SALT = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 5) & 0xff);

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

// One argon2-browser build from its .wasm bytes: { hash(pass, salt, t, m, len) }.
export async function loadArgon2Browser(wasmBytes) {
  let memory = null;
  let heap = null;
  const u8 = () => {
    if (heap === null || heap.buffer !== memory.buffer) heap = new Uint8Array(memory.buffer);
    return heap;
  };
  // The glue's emscripten_resize_heap: the same growth policy (20 % over
  // the old size, capped at the request + 96 MiB), 2 GiB - 64 KiB at most.
  const MAX = 2147418112;
  const resize = (requested) => {
    requested >>>= 0;
    if (requested > MAX) return 0;
    const old = memory.buffer.byteLength;
    for (let cutDown = 1; cutDown <= 4; cutDown *= 2) {
      let want = Math.min(old * (1 + 0.2 / cutDown), requested + 100663296);
      want = Math.min(MAX, Math.ceil(Math.max(requested, want) / 65536) * 65536);
      try {
        memory.grow((want - old + 65535) >>> 16);
        return 1;
      } catch {
        // try a smaller step
      }
    }
    return 0;
  };
  const imports = {
    a: {
      // emscripten_memcpy_big (nothing returned: a returned view would be
      // converted to a number, i.e. stringified, on every call)
      a: (dest, src, num) => {
        u8().copyWithin(dest, src, src + num);
      },
      b: resize,
    },
  };
  const { instance } = await WebAssembly.instantiate(wasmBytes, imports);
  // The glue's export names (dist/argon2.js): c memory, d __wasm_call_ctors,
  // f malloc, g free, j argon2_encodedlen, l argon2_hash_ext.
  const x = instance.exports;
  memory = x.c;
  x.d();
  const copyIn = (bytes, extra = 0) => {
    const p = x.f(bytes.length + extra);
    if (p === 0) throw new Error('argon2-browser: malloc failed');
    u8().set(bytes, p);
    if (extra) u8().fill(0, p + bytes.length, p + bytes.length + extra);
    return p;
  };
  return {
    hash(pass, salt, passes, memoryKib, hashLen) {
      // As lib/argon2.js: NUL-terminated copies of the password and salt,
      // a hash buffer and the encoded string's buffer.
      const pwd = copyIn(pass, 1);
      const s = copyIn(salt, 1);
      const h = x.f(hashLen);
      const encodedLen = x.j(passes, memoryKib, 1, salt.length, hashLen, ARGON2ID);
      const enc = x.f(encodedLen + 1);
      try {
        const res = x.l(
          passes,
          memoryKib,
          1,
          pwd,
          pass.length,
          s,
          salt.length,
          h,
          hashLen,
          enc,
          encodedLen,
          ARGON2ID,
          0,
          0,
          0,
          0,
          VERSION,
        );
        if (res !== 0) throw new Error(`argon2-browser: argon2_hash_ext returned ${res}`);
        return u8().slice(h, h + hashLen);
      } finally {
        u8().fill(0, pwd, pwd + pass.length);
        u8().fill(0, h, h + hashLen);
        for (const p of [pwd, s, h, enc]) x.g(p);
      }
    },
  };
}

// Builds the rows the caller wants. `sumo`: libsodium-wrappers-sumo after
// `await sumo.ready`; `argon2Browser`: { plain, simd } from
// loadArgon2Browser. `quick`: the rows at ARGON2_QUICK_MEMORY_KIB.
// `knownAnswer`: one entry of pwhash_argon2id.json (valid), checked with
// medseal first. Returns { rows, checks }; throws when a peer disagrees.
export function buildArgon2Rows({
  medseal,
  sumo,
  argon2Browser,
  want,
  quick = false,
  knownAnswer = null,
  log = () => {},
}) {
  const rows = [];
  const checks = {};
  if (!ARGON2_ROWS.some(want)) return { rows, checks };
  if (typeof medseal.argon2id !== 'function')
    throw new Error('argon2 rows: this medseal package has no argon2id');
  if (typeof sumo?.crypto_pwhash !== 'function')
    throw new Error('argon2 rows need libsodium-wrappers-sumo (crypto_pwhash)');
  if (!argon2Browser?.plain || !argon2Browser?.simd)
    throw new Error('argon2 rows need argon2-browser (argon2.wasm and argon2-simd.wasm)');
  if (knownAnswer) {
    const h = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
    const out = medseal.argon2id(h(knownAnswer.passwordHex), h(knownAnswer.saltHex).slice(0, 16), {
      passes: knownAnswer.opslimit,
      memoryKib: Math.floor(knownAnswer.memlimit / 1024),
      outputLength: knownAnswer.outlen,
    });
    if (hex(out) !== knownAnswer.outHex)
      throw new Error(`argon2: medseal misses libsodium's known answer ${knownAnswer.index}`);
    checks.argon2KnownAnswer = knownAnswer.index;
  }
  for (const id of ARGON2_ROWS.filter(want)) {
    const p = ARGON2_PARAMS[id];
    const memoryKib = quick ? ARGON2_QUICK_MEMORY_KIB : p.memoryKib;
    const passes = p.passes;
    const ops = {
      medseal: () =>
        medseal.argon2id(PASSPHRASE, SALT, { passes, memoryKib, outputLength: OUTPUT }),
      [IMPL_SODIUM_SUMO]: () =>
        sumo.crypto_pwhash(
          OUTPUT,
          PASSPHRASE,
          SALT,
          passes,
          memoryKib * 1024,
          sumo.crypto_pwhash_ALG_ARGON2ID13,
        ),
      [IMPL_ARGON2_BROWSER]: () =>
        argon2Browser.plain.hash(PASSPHRASE, SALT, passes, memoryKib, OUTPUT),
      [IMPL_ARGON2_BROWSER_SIMD]: () =>
        argon2Browser.simd.hash(PASSPHRASE, SALT, passes, memoryKib, OUTPUT),
    };
    // Cross-check (also each implementation's warm-up call).
    const keys = Object.fromEntries(Object.entries(ops).map(([n, f]) => [n, f()]));
    for (const n of ARGON2_PEERS) {
      if (!same(keys[n], keys.medseal)) throw new Error(`${id}: ${n}'s key differs from medseal's`);
    }
    checks[id] = { memoryKib, passes, outputLength: OUTPUT, key: hex(keys.medseal).slice(0, 16) };
    log(
      `${id}: all four implementations derive the same key at ${memoryKib} KiB, ${passes} passes`,
    );
    const use = (k) => {
      if (k.length !== OUTPUT) throw new Error('wrong key length');
      k.fill(0);
    };
    rows.push({
      id,
      label: `Argon2id unlock ${quick ? `${memoryKib} KiB (quick)` : `${memoryKib / 1024} MiB`}, ${passes} passes: ${p.what}`,
      unit: 'unlocks/s',
      params: { memoryKib, passes, outputLength: OUTPUT, lanes: 1 },
      // One unlock per sample (a full one takes 0.1-0.5 s): no calibration;
      // the cross-check above was the warm-up.
      iters: 1,
      baseline: IMPL_SODIUM_SUMO,
      comparisons: Object.fromEntries(ARGON2_PEERS.map((n) => [n, ARGON2_TARGET])),
      impls: Object.entries(ops).map(([name, f]) => ({ name, op: () => use(f()) })),
      // The verdict is against the faster peer (the highest median over the
      // run): the row's baseline becomes that peer.
      finish: (entry) => {
        const fastest = ARGON2_PEERS.reduce((a, b) =>
          entry.results[b].median > entry.results[a].median ? b : a,
        );
        const c = entry.comparisons.find((x) => x.baseline === fastest);
        Object.assign(entry, {
          baseline: fastest,
          fasterPeer: fastest,
          ratio: c.ratio,
          ratioInterval: c.ratioInterval,
          ratioOfMedians: c.ratioOfMedians,
          target: c.target,
          status: c.status,
          clear: c.clear,
        });
      },
    });
  }
  return { rows, checks };
}

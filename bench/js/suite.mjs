// SPDX-License-Identifier: Apache-2.0
// The benchmark body shared by Node (node.mjs) and Chromium (browser.mjs).
// ES module; its only import is ./consent.mjs (the consent workload, pure
// code): the caller hands in the loaded libraries.
//
//   const results = await runSuite({ medseal, sodium, subtle, cedar, workload,
//                                    synthea, reps, sampleMs });
//
// medseal: the `medseal` package namespace after `await init()` (cards are
//          passed as PublicCard objects, parsed once, when it has them);
// testing: the `medseal/testing` namespace after `await init()`, for the raw
//          AEAD rows (null for a build older than the subpath, whose main
//          namespace had the AEAD); its own instance of the same core;
// sodium:  `libsodium-wrappers` after `await sodium.ready`;
// subtle:  a WebCrypto SubtleCrypto (globalThis.crypto.subtle);
// cedar:   @cedar-policy/cedar-wasm after initialisation (the decision row's
//          baseline);
// workload: bench/data/consent-workload.json, parsed (bench/js/consent.mjs);
// synthea: a function returning (a promise of) the 1,000-resource Synthea
//          Bundle, parsed (syntheaBundle() of the five bundles in
//          native-tests/vectors/external/fhir/synthea/); called only for the
//          rows that label or share it.
//
// Rows (same ids as bench/native_bench.cc):
//   seal-1, seal-5   seal a 2 KiB body to 1 / 5 recipients, binary encoding (ops/s)
//   open-1, open-5   open those records as recipient 0 (ops/s)
//   aead-64 (info), aead-1k/64k/1m
//                    AEAD encrypt + decrypt of one message, MB/s of message
//                    (10^6 bytes/s): XChaCha20-Poly1305 for medseal and
//                    libsodium-wrappers, AES-256-GCM for WebCrypto
// The consent rows (CONSENT_ROWS; baseline Cedar or none):
//   decide-50x5      decisions/s for the workload's patient (50 consents of 5
//                    provisions, compiled once) over its 128 requests in turn:
//                    medseal vs Cedar (the translated policy set, preparsed)
//   receipt-sign, receipt-verify
//                    sign / verify a consent receipt (the workload's first
//                    consent), ops/s; no baseline
//   label-1k         label the 1,000-resource Synthea Bundle, bundles/s
//   share-1k-5       Share that Bundle to 5 candidates, bundles/s
// The post-quantum rows (PQ_ROWS, bench/js/pq.mjs; `noble`: { ml_kem768,
// ml_kem768_x25519 } of @noble/post-quantum):
//   pq-mlkem-encaps, pq-mlkem-decaps, pq-xwing-encaps, pq-xwing-decaps
//                    ops/s, medseal vs @noble/post-quantum
//   pq-seal-1, pq-seal-5, pq-open-1, pq-open-5
//                    a v2 record to post-quantum (X-Wing) cards vs the same
//                    people's classic (X25519) cards, ops/s
// The attachment rows (AGE_ROWS, bench/js/age.mjs; `age`: the
// age-encryption namespace, `quick`: leave out the 1 GiB rows):
//   age-enc-64k, age-dec-64k, age-enc-16m, age-dec-16m, age-enc-1g, age-dec-1g
//                    age files to one X25519 recipient, MB/s of plaintext:
//                    medseal vs typage and a libsodium-wrappers secretstream
//                    construction (two comparisons per row)
// The Argon2id unlock rows (ARGON2_ROWS, bench/js/argon2.mjs; `sumo`:
// libsodium-wrappers-sumo after `await sumo.ready`, `argon2Browser`: its two
// builds from loadArgon2Browser, `argon2KnownAnswer`: one valid entry of
// native-tests/vectors/external/libsodium-argon2id/pwhash_argon2id.json):
//   argon2id-19m-2, argon2id-64m-3
//                    unlocks/s: medseal vs libsodium-wrappers-sumo and
//                    argon2-browser (plain and SIMD builds), one comparison
//                    per peer, the verdict against the fastest
//
// "libsodium-wrappers" seals and opens the same record format built from its
// own functions (mirrors core/record/record.cc, spec docs/spec/record.md): random
// data key, nonce and ephemeral X25519 key; per recipient X25519 + BLAKE2b-256
// wrap key + XChaCha20-Poly1305 of the data key; XChaCha20-Poly1305 of the
// padded payload with the header as associated data; Ed25519 over
// label || BLAKE2b-512(header || ciphertext). Open = verify + unwrap + decrypt
// + unpad/decode. Before timing, each side opens what the other sealed, so
// both do the same work (and the construction is checked against medseal).
//
// Method: every implementation of a row is calibrated to ~sampleMs per
// sample; then in each of `reps` repetitions each implementation takes one
// sample in turn, the order reversed every other repetition (A B C, C B A,
// A B C, ...), each sample after a garbage collection when the engine lets
// us force one (`gc`: node --expose-gc, Chromium --js-flags=--expose-gc), so
// that no implementation pays for the garbage of the one before it. Each
// implementation's median is reported; the ratio is the median over the
// repetitions of medseal's sample / libsodium-wrappers' sample in the same
// repetition (paired: both taken within a fraction of a second, so a change
// in the machine's speed during the run moves both), with a 95 %
// confidence interval of that median; a verdict whose interval straddles
// its target is reported as decided by the noise. docs/performance.md,
// "Method".

import { AGE_ROWS, buildAgeRows } from './age.mjs';
import { ARGON2_ROWS, buildArgon2Rows } from './argon2.mjs';
import { checkDecisions, prepareCedar } from './consent.mjs';
import { buildPqRows, PQ_ROWS, PQ_TARGETS } from './pq.mjs';

export const IMPL_MEDSEAL = 'medseal';
export const IMPL_SODIUM = 'libsodium-wrappers';
export const IMPL_WEBCRYPTO = 'webcrypto-aes-gcm';
// Information only (seal rows): the libsodium-wrappers construction drawing
// its 88 random bytes from one crypto.getRandomValues call instead of
// sodium.randombytes_buf, which in libsodium.js calls into JS once per byte.
export const IMPL_SODIUM_GRV = 'libsodium-wrappers+getRandomValues';
// The decision row's baseline: @cedar-policy/cedar-wasm.
export const IMPL_CEDAR = 'cedar-wasm';
// The rows of the consent engine (compared with Cedar or with nothing),
// printed in a table of their own.
export const CONSENT_ROWS = [
  'decide-50x5',
  'receipt-sign',
  'receipt-verify',
  'label-1k',
  'share-1k-5',
];
// The consent rows each environment measures (summary.mjs fails a run in
// which an environment lacks one, or has another): all of them everywhere.
export const CONSENT_ROWS_BY_ENV = {
  native: CONSENT_ROWS,
  node: CONSENT_ROWS,
  chromium: CONSENT_ROWS,
};

// Targets from the issue, medseal / libsodium-wrappers in the same browser.
export const TARGETS = {
  'seal-1': 1.0,
  'seal-5': 1.0,
  'open-1': 1.0,
  'open-5': 1.0,
  'aead-1k': 1.2,
  'aead-64k': 1.0,
  'aead-1m': 1.0,
  'decide-50x5': 2.0, // medseal / Cedar decisions per second
  // The post-quantum rows (bench/js/pq.mjs): medseal / @noble/post-quantum
  // for ML-KEM-768, hybrid / X25519-only records for pq-seal-N.
  ...PQ_TARGETS,
};
export const READY_TARGET = 0.7; // medseal ready time / libsodium-wrappers ready time, at most

const enc = new TextEncoder();
const dec = new TextDecoder();
const CREATED = 1700000000000;
const SEED_TAGS = { sender: 1, recipients: [10, 11, 12, 13, 14] };

function seedOf(tag) {
  const s = new Uint8Array(32);
  for (let i = 0; i < 32; i++) s[i] = (tag * 31 + i) & 0xff; // as in native_bench.cc
  return s;
}

function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ---------------------------------------------------------------------------
// The record construction on libsodium-wrappers.

// random(n): where the construction's randomness comes from (default:
// sodium.randombytes_buf).
export function sodiumRecord(sodium, random = (n) => sodium.randombytes_buf(n)) {
  const label = (s) => enc.encode(s + '\0');
  const WRAP = label('medseal/v1/record/wrap');
  const SIG = label('medseal/v1/record/signature');
  const ZERO_NONCE = new Uint8Array(24);
  const MAGIC = Uint8Array.of(0x6d, 0x73, 0x72, 0x63, 1); // "msrc", v1

  function paddedSize(n) {
    if (n <= 256) return 256;
    const e = 31 - Math.clz32(n);
    const s = 31 - Math.clz32(e) + 1;
    const mask = 2 ** (e - s) - 1;
    return Math.ceil(n / (mask + 1)) * (mask + 1);
  }

  // Identity keys from a 32-byte seed (spec §3).
  function identityFromSeed(seed) {
    const edSeed = sodium.crypto_generichash(32, label('medseal/v1/identity/ed25519'), seed);
    const kp = sodium.crypto_sign_seed_keypair(edSeed);
    const kxSk = sodium.crypto_generichash(32, label('medseal/v1/identity/x25519'), seed);
    const kxPk = sodium.crypto_scalarmult_base(kxSk);
    const keyId = sodium.crypto_generichash(
      16,
      concat(label('medseal/v1/key-id'), kp.publicKey, kxPk),
      null,
    );
    return { keyId, signPk: kp.publicKey, signSk: kp.privateKey, kxSk, kxPk };
  }

  function encodePayload(p, created) {
    const ct = enc.encode(p.contentType),
      id = enc.encode(p.recordId),
      rt = enc.encode(p.resourceType);
    const encoded = 3 + ct.length + id.length + rt.length + 12 + p.body.length;
    const out = new Uint8Array(paddedSize(encoded + 1));
    const dv = new DataView(out.buffer);
    let o = 0;
    for (const s of [ct, id, rt]) {
      out[o++] = s.length;
      out.set(s, o);
      o += s.length;
    }
    dv.setBigUint64(o, BigInt(created), true);
    dv.setUint32(o + 8, p.body.length, true);
    o += 12;
    out.set(p.body, o);
    out[o + p.body.length] = 0x80;
    return out;
  }

  function decodePayload(padded) {
    let end = padded.length;
    while (end > 0 && padded[end - 1] === 0) end--;
    if (end === 0 || padded[end - 1] !== 0x80 || paddedSize(end) !== padded.length) {
      throw new Error('bad padding');
    }
    const limit = end - 1;
    let o = 0;
    const str = () => {
      const n = padded[o++];
      if (o + n > limit) throw new Error('payload truncated');
      const s = dec.decode(padded.subarray(o, o + n));
      o += n;
      return s;
    };
    const contentType = str(),
      recordId = str(),
      resourceType = str();
    if (o + 12 > limit) throw new Error('payload truncated');
    const dv = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
    const created = Number(dv.getBigUint64(o, true));
    const bodyLen = dv.getUint32(o + 8, true);
    o += 12;
    if (limit - o !== bodyLen) throw new Error('payload length');
    return { body: padded.slice(o, limit), contentType, recordId, resourceType, created };
  }

  // sender: identityFromSeed(); recipients: [{ keyId, kxPk }]
  function seal(sender, recipients, payload, now = Date.now()) {
    const sorted = [...recipients].sort((a, b) => compareBytes(a.keyId, b.keyId));
    const pt = encodePayload(payload, now);
    const rnd = random(88); // data key, nonce, ephemeral key, in core's order
    const dataKey = rnd.subarray(0, 32);
    const nonce = rnd.subarray(32, 56);
    const ephSk = rnd.subarray(56, 88);
    const ephPk = sodium.crypto_scalarmult_base(ephSk);
    const ctLen = pt.length + 16;
    const headerLen = 5 + 16 + 24 + 32 + 1 + sorted.length * 64 + 4;
    const out = new Uint8Array(headerLen + ctLen + 64);
    out.set(MAGIC, 0);
    out.set(sender.keyId, 5);
    out.set(nonce, 21);
    out.set(ephPk, 45);
    out[77] = sorted.length;
    let o = 78;
    for (const r of sorted) {
      const shared = sodium.crypto_scalarmult(ephSk, r.kxPk);
      const wrap = sodium.crypto_generichash(32, concat(WRAP, ephPk, r.kxPk), shared);
      out.set(r.keyId, o);
      out.set(
        sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(dataKey, null, null, ZERO_NONCE, wrap),
        o + 16,
      );
      shared.fill(0);
      wrap.fill(0);
      o += 64;
    }
    new DataView(out.buffer).setUint32(o, ctLen, true);
    const header = out.subarray(0, headerLen);
    out.set(
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(pt, header, null, nonce, dataKey),
      headerLen,
    );
    const digest = sodium.crypto_generichash(64, out.subarray(0, headerLen + ctLen), null);
    out.set(sodium.crypto_sign_detached(concat(SIG, digest), sender.signSk), headerLen + ctLen);
    rnd.fill(0);
    pt.fill(0);
    return out;
  }

  // me: identityFromSeed(); sender: { keyId, signPk }
  function open(me, sender, rec) {
    for (let i = 0; i < 5; i++) if (rec[i] !== MAGIC[i]) throw new Error('bad magic');
    if (!equalBytes(rec.subarray(5, 21), sender.keyId)) throw new Error('sender mismatch');
    const nonce = rec.subarray(21, 45),
      ephPk = rec.subarray(45, 77),
      count = rec[77];
    const headerLen = 78 + count * 64 + 4;
    const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    const ctLen = dv.getUint32(headerLen - 4, true);
    if (rec.length !== headerLen + ctLen + 64) throw new Error('bad length');
    const digest = sodium.crypto_generichash(64, rec.subarray(0, headerLen + ctLen), null);
    if (
      !sodium.crypto_sign_verify_detached(
        rec.subarray(headerLen + ctLen),
        concat(SIG, digest),
        sender.signPk,
      )
    ) {
      throw new Error('bad signature');
    }
    let mine = null;
    for (let i = 0; i < count; i++) {
      const s = 78 + i * 64;
      if (equalBytes(rec.subarray(s, s + 16), me.keyId)) mine = rec.subarray(s + 16, s + 64);
    }
    if (mine === null) throw new Error('not a recipient');
    const shared = sodium.crypto_scalarmult(me.kxSk, ephPk);
    const wrap = sodium.crypto_generichash(32, concat(WRAP, ephPk, me.kxPk), shared);
    const dataKey = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      mine,
      null,
      ZERO_NONCE,
      wrap,
    );
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      rec.subarray(headerLen, headerLen + ctLen),
      rec.subarray(0, headerLen),
      nonce,
      dataKey,
    );
    shared.fill(0);
    wrap.fill(0);
    dataKey.fill(0);
    const payload = decodePayload(padded);
    padded.fill(0);
    return payload;
  }

  return { identityFromSeed, seal, open, paddedSize };
}

// ---------------------------------------------------------------------------
// Harness.

export const median = (xs) => {
  if (xs.length === 0) throw new RangeError('median of no values');
  const v = [...xs].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
};

// A distribution-free confidence interval for the median of xs (the
// order-statistic interval): [x_(k), x_(n+1-k)] of the sorted values, with
// the largest k whose coverage 1 - 2 P(Bin(n, 1/2) <= k - 1) is at least
// `level`. It assumes only that the values are independent draws from one
// distribution. With too few values for `level` (n <= 5 at 95 %) it is the
// whole range, k = 1, and `coverage` says how much less than `level` that is.
// Returns { lo, hi, k, coverage }.
export function medianInterval(xs, level = 0.95) {
  const n = xs.length;
  if (n === 0) throw new RangeError('interval of no values');
  const v = [...xs].sort((a, b) => a - b);
  // cdf[i] = P(Bin(n, 1/2) <= i), from the binomial coefficients.
  const cdf = [];
  let c = 1; // C(n, i)
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    sum += c;
    cdf.push(sum / 2 ** n);
    c = (c * (n - i)) / (i + 1);
  }
  const coverage = (k) => 1 - 2 * cdf[k - 1];
  let k = 1;
  while (k + 1 <= (n + 1) / 2 && coverage(k + 1) >= level) k++;
  return { lo: v[k - 1], hi: v[n - k], k, coverage: coverage(k) };
}

// The verdict on a ratio against its target: PASS or MISS by the ratio (the
// median), and `clear` when the whole confidence interval lies on the same
// side of the target, i.e. when the run's noise could not have turned it.
// higherIsBetter: throughput rows (ratio >= target passes); otherwise ready
// time and size (ratio <= target passes).
export function judge(ratio, interval, target, higherIsBetter) {
  const ok = (x) => (higherIsBetter ? x >= target : x <= target);
  const status = ok(ratio) ? 'PASS' : 'MISS';
  const clear =
    interval === null
      ? true
      : status === 'PASS'
        ? ok(interval.lo) && ok(interval.hi)
        : !ok(interval.lo) && !ok(interval.hi);
  return { status, clear };
}

async function timeIters(impl, n, now) {
  const t0 = now();
  if (impl.async) {
    for (let i = 0; i < n; i++) await impl.op();
  } else {
    const op = impl.op;
    for (let i = 0; i < n; i++) op();
  }
  return (now() - t0) / 1000;
}

async function calibrate(impl, sampleS, now, warmup = 3) {
  await timeIters(impl, warmup, now); // warm-up (JIT, allocations)
  let n = 1;
  let t = await timeIters(impl, n, now);
  while (t < sampleS / 4) {
    n *= 2;
    t = await timeIters(impl, n, now);
  }
  impl.iters = Math.max(1, Math.round((n * sampleS) / t));
}

// Median over the repetitions of a[r] / b[r] (both sampled in repetition r),
// and the confidence interval of that median.
const ratios = (a, b) => {
  if (a.length !== b.length) throw new RangeError('paired samples of different lengths');
  return a.map((x, r) => x / b[r]);
};
export const pairedRatio = (a, b) => median(ratios(a, b));
export const pairedRatioInterval = (a, b, level = 0.95) => medianInterval(ratios(a, b), level);

async function runRow(row, reps, sampleS, now, gc) {
  // Rows whose one op takes a large part of a sample (labeling and sharing a
  // 1,000-resource Bundle) warm up with one op instead of three. Rows whose
  // one op takes seconds (the 1 GiB age rows) fix their iterations per
  // sample (`iters`, no calibration, no warm-up) and may take fewer
  // repetitions (`reps`).
  for (const impl of row.impls) {
    if (row.iters) impl.iters = row.iters;
    else await calibrate(impl, sampleS, now, row.warmup ?? 3);
  }
  for (const impl of row.impls) impl.samples = [];
  for (let r = 0; r < (row.reps ?? reps); r++) {
    const order = r % 2 === 0 ? row.impls : [...row.impls].reverse();
    for (const impl of order) {
      gc?.();
      const t = await timeIters(impl, impl.iters, now);
      const ops = impl.iters / t;
      impl.samples.push(row.bytesPerOp ? (ops * row.bytesPerOp) / 1e6 : ops);
    }
  }
}

export async function runSuite({
  medseal,
  testing = null,
  sodium,
  subtle,
  cedar = null,
  workload = null,
  synthea = null,
  age = null,
  noble = null,
  sumo = null,
  argon2Browser = null,
  argon2KnownAnswer = null,
  reps = 9,
  sampleMs = 100,
  only = null,
  quick = false,
  log = () => {},
  now = () => performance.now(),
  gc = globalThis.gc,
}) {
  const rows = [];
  const want = (id) => !only || only.includes(id);
  const sampleS = sampleMs / 1000;
  // The crypto rows (skipped, with their set-up, when --only names none of them).
  const cryptoIds = [
    'seal-1',
    'open-1',
    'seal-5',
    'open-5',
    'aead-64',
    'aead-1k',
    'aead-64k',
    'aead-1m',
  ];
  const disposable = [];
  if (cryptoIds.some(want)) {
    const { aead } = testing ?? medseal;
    const rec = sodiumRecord(sodium);
    const recGrv = sodiumRecord(sodium, (n) =>
      globalThis.crypto.getRandomValues(new Uint8Array(n)),
    );

    // Identities from the same seeds on both sides.
    const mk = (tag, name) =>
      medseal.Identity.fromSeed(seedOf(tag), { name, role: 'clinician', created: CREATED });
    const mSender = mk(SEED_TAGS.sender, 'Sender');
    const mRecipients = SEED_TAGS.recipients.map((t) => mk(t, 'Recipient'));
    const sSender = rec.identityFromSeed(seedOf(SEED_TAGS.sender));
    const sRecipients = SEED_TAGS.recipients.map((t) => rec.identityFromSeed(seedOf(t)));
    if (base64url(sSender.keyId) !== mSender.keyId)
      throw new Error('key derivation differs from medseal');

    const body = new Uint8Array(2048);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
    const payload = {
      body,
      contentType: 'application/fhir+json',
      recordId: 'obs-0001',
      resourceType: 'Observation',
    };
    const senderPub = { keyId: sSender.keyId, signPk: sSender.signPk };
    // Parsed cards on both sides: the libsodium-wrappers construction holds
    // already-decoded keys, so medseal gets its cards as PublicCard objects
    // (parsed and verified once, here). A package without PublicCard (an older
    // build measured with --medseal) gets the card texts.
    const parseCard = medseal.PublicCard
      ? (json) => medseal.PublicCard.parse(json)
      : (json) => json;
    const mSenderCard = parseCard(mSender.card);
    const mRecipientCards = mRecipients.map((r) => parseCard(r.card));

    for (const n of [1, 5]) {
      const cards = mRecipientCards.slice(0, n);
      const pubs = sRecipients.slice(0, n).map((r) => ({ keyId: r.keyId, kxPk: r.kxPk }));
      const mRec = medseal.sealRecord(mSender, cards, payload);
      const sRec = rec.seal(sSender, pubs, payload);
      // Cross-check: same size, each opens the other's record.
      if (mRec.length !== sRec.length)
        throw new Error(`record sizes differ: ${mRec.length} vs ${sRec.length}`);
      if (!equalBytes(rec.open(sRecipients[0], senderPub, mRec).body, body))
        throw new Error('sodium open of medseal record');
      if (!equalBytes(medseal.openRecord(mRecipients[0], mSenderCard, sRec).body, body)) {
        throw new Error('medseal open of sodium record');
      }
      const who = n === 1 ? '1 recipient' : `${n} recipients`;
      rows.push({
        id: `seal-${n}`,
        label: `seal 2 KiB -> ${who}`,
        unit: 'ops/s',
        impls: [
          { name: IMPL_MEDSEAL, op: () => medseal.sealRecord(mSender, cards, payload) },
          { name: IMPL_SODIUM, op: () => rec.seal(sSender, pubs, payload) },
          { name: IMPL_SODIUM_GRV, op: () => recGrv.seal(sSender, pubs, payload) },
        ],
      });
      rows.push({
        id: `open-${n}`,
        label: `open 2 KiB (${who})`,
        unit: 'ops/s',
        impls: [
          { name: IMPL_MEDSEAL, op: () => medseal.openRecord(mRecipients[0], mSenderCard, mRec) },
          { name: IMPL_SODIUM, op: () => rec.open(sRecipients[0], senderPub, sRec) },
        ],
      });
    }

    const key = sodium.randombytes_buf(32),
      nonce = sodium.randombytes_buf(24),
      aad = sodium.randombytes_buf(16);
    const iv = sodium.randombytes_buf(12);
    const aesKey = await subtle.importKey('raw', key, { name: 'AES-GCM' }, false, [
      'encrypt',
      'decrypt',
    ]);
    // aead-64 (64 bytes, no target) shows the fixed cost of one call.
    for (const [id, size, name] of [
      ['aead-64', 64, '64 B (info)'],
      ['aead-1k', 1024, '1 KiB'],
      ['aead-64k', 65536, '64 KiB'],
      ['aead-1m', 1 << 20, '1 MiB'],
    ]) {
      const msg = sodium.randombytes_buf(size);
      const gcm = { name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 };
      const check = (pt) => {
        if (pt.length !== size) throw new Error(`${id}: wrong plaintext length`);
      };
      // One round trip each before timing, with a content check.
      const m = aead.xchacha20poly1305Decrypt(
        key,
        nonce,
        aad,
        aead.xchacha20poly1305Encrypt(key, nonce, aad, msg),
      );
      const s = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, aad, null, nonce, key),
        aad,
        nonce,
        key,
      );
      const w = new Uint8Array(
        await subtle.decrypt(gcm, aesKey, await subtle.encrypt(gcm, aesKey, msg)),
      );
      if (!equalBytes(m, msg) || !equalBytes(s, msg) || !equalBytes(w, msg))
        throw new Error(`${id}: round trip failed`);
      rows.push({
        id,
        label: `AEAD enc+dec ${name}`,
        unit: 'MB/s',
        bytesPerOp: size,
        impls: [
          {
            name: IMPL_MEDSEAL,
            op: () =>
              check(
                aead.xchacha20poly1305Decrypt(
                  key,
                  nonce,
                  aad,
                  aead.xchacha20poly1305Encrypt(key, nonce, aad, msg),
                ),
              ),
          },
          {
            name: IMPL_SODIUM,
            op: () =>
              check(
                sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                  null,
                  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, aad, null, nonce, key),
                  aad,
                  nonce,
                  key,
                ),
              ),
          },
          {
            name: IMPL_WEBCRYPTO,
            async: true,
            op: async () =>
              check(
                new Uint8Array(
                  await subtle.decrypt(gcm, aesKey, await subtle.encrypt(gcm, aesKey, msg)),
                ),
              ),
          },
        ],
      });
    }

    disposable.push(mSender, ...mRecipients, mSenderCard, ...mRecipientCards);
  }
  const checks = {};
  const consentRows = await buildConsentRows({
    medseal,
    cedar,
    workload,
    synthea,
    want,
    checks,
    log,
  });
  rows.push(...consentRows.rows);
  // The attachment rows (age files; bench/js/age.mjs): medseal vs typage and
  // the libsodium-wrappers secretstream construction.
  let ageRows = null;
  if (AGE_ROWS.some(want)) {
    ageRows = await buildAgeRows({ medseal, age, sodium, want, quick, reps, log });
    rows.push(...ageRows.rows);
    if (ageRows.checks) checks.age = ageRows.checks;
  }
  // The post-quantum rows (bench/js/pq.mjs).
  let pqRows = null;
  if (PQ_ROWS.some(want)) {
    pqRows = buildPqRows({ medseal, noble, want, explicit: only !== null, log });
    rows.push(...pqRows.rows);
    Object.assign(checks, pqRows.checks);
  }
  // The Argon2id unlock rows (bench/js/argon2.mjs).
  if (ARGON2_ROWS.some(want)) {
    const a = buildArgon2Rows({
      medseal,
      sumo,
      argon2Browser,
      want,
      quick,
      knownAnswer: argon2KnownAnswer,
      log,
    });
    rows.push(...a.rows);
    checks.argon2 = a.checks;
  }

  const out = [];
  for (const row of rows.filter((r) => want(r.id))) {
    log(`running ${row.id}`);
    await runRow(row, reps, sampleS, now, gc);
    const results = {};
    for (const impl of row.impls) {
      results[impl.name] = {
        median: median(impl.samples),
        min: Math.min(...impl.samples),
        max: Math.max(...impl.samples),
        iterations: impl.iters,
        samples: impl.samples,
      };
    }
    // The comparison: medseal / the row's baseline (libsodium-wrappers for
    // the crypto rows, Cedar for the decision row; none for the other
    // consent rows, which have no counterpart).
    const baseline = row.baseline === undefined ? IMPL_SODIUM : row.baseline;
    let ratio = null,
      ratioInterval = null,
      ratioOfMedians = null;
    if (baseline !== null && results[IMPL_MEDSEAL]) {
      const [a, b] = [results[IMPL_MEDSEAL].samples, results[baseline].samples];
      ratio = pairedRatio(a, b);
      ratioInterval = pairedRatioInterval(a, b);
      ratioOfMedians = results[IMPL_MEDSEAL].median / results[baseline].median;
    }
    const target = baseline === null ? null : (TARGETS[row.id] ?? null);
    const { status, clear } =
      target === null || ratio === null
        ? { status: 'info', clear: null }
        : judge(ratio, ratioInterval, target, true);
    // Rows with more than one baseline (the age rows: typage and the
    // secretstream construction) list one comparison per baseline, each with
    // its target (judged in Chromium; shown elsewhere).
    const comparisons =
      row.comparisons && results[IMPL_MEDSEAL]
        ? Object.entries(row.comparisons).map(([name, t]) => {
            const [a, b] = [results[IMPL_MEDSEAL].samples, results[name].samples];
            const cr = pairedRatio(a, b);
            const ci = pairedRatioInterval(a, b);
            return {
              baseline: name,
              ratio: cr,
              ratioInterval: ci,
              ratioOfMedians: results[IMPL_MEDSEAL].median / results[name].median,
              target: t,
              ...judge(cr, ci, t, true),
            };
          })
        : null;
    const entry = {
      id: row.id,
      label: row.label,
      unit: row.unit,
      baseline,
      results,
      ratio,
      ratioInterval,
      ratioOfMedians,
      target: comparisons ? (row.comparisons[baseline] ?? null) : target,
      status: comparisons ? comparisons.find((c) => c.baseline === baseline).status : status,
      clear: comparisons ? comparisons.find((c) => c.baseline === baseline).clear : clear,
      ...(comparisons ? { comparisons, reps: row.reps ?? reps } : {}),
      ...(row.info ? { info: row.info } : {}),
      ...(row.params ? { params: row.params } : {}),
    };
    // A row may re-point its verdict once its results are in (the Argon2id
    // rows: against the fastest peer).
    row.finish?.(entry);
    out.push(entry);
  }
  consentRows.dispose();
  ageRows?.dispose();
  pqRows?.dispose();
  for (const x of disposable) x.dispose?.();
  return {
    method: {
      reps,
      sampleMs,
      interleaved: true,
      order: 'reversed every other repetition',
      gcBeforeSample: typeof gc === 'function',
      only,
      quick,
      statistic: 'median',
      ratio: 'median of per-repetition ratios',
      ratioInterval:
        'order-statistic confidence interval of that median, 95 % or the whole range when reps <= 5',
    },
    libraries: {
      libsodiumWrappers: sodium.SODIUM_VERSION_STRING ?? null,
      cedar: cedar?.getCedarVersion?.() ?? null,
    },
    checks,
    rows: out,
  };
}

// ---------------------------------------------------------------------------
// The consent rows.

// A package measured with --medseal that lacks part of the consent engine
// fails the run (rather than leaving rows out): name the row with --only to
// measure the rest.
function needs(medseal, names, what) {
  const missing = names.filter((n) => medseal[n] === undefined);
  if (missing.length) {
    throw new Error(`${what}: this medseal package has no ${missing.join(', ')}`);
  }
}

// Builds the consent rows the caller wants: checks every engine against the
// workload's expected decisions first (throws on any disagreement), records
// what was checked in `checks`. Returns { rows, dispose }.
async function buildConsentRows({ medseal, cedar, workload, synthea, want, checks, log }) {
  const rows = [];
  const disposers = [];
  if (want('decide-50x5')) {
    if (!workload || !cedar) throw new Error('decide-50x5 needs the workload and cedar-wasm');
    const expected = workload.requests.map((q) => q.expected);
    const n = expected.length;
    // Cedar: the translated policy set, preparsed once; the request calls
    // (principal, action, resource, context, entities) built before timing.
    const c = prepareCedar(cedar, workload);
    const m = medsealDecider(medseal, workload);
    disposers.push(m.dispose);
    checks.decide = {
      requests: n,
      expectedPermits: expected.filter((e) => e === 'permit').length,
      [IMPL_MEDSEAL]: checkDecisions(IMPL_MEDSEAL, workload, m.decide),
      [IMPL_CEDAR]: checkDecisions(IMPL_CEDAR, workload, c.decide),
      cedarPolicies: c.policies.match(/^(permit|forbid) /gm).length,
    };
    log(
      `decide-50x5: medseal and Cedar agree with the workload on all ${n} requests (${checks.decide.expectedPermits} permit)`,
    );
    // Each op is one decision, the requests in turn; the decision is checked
    // (the same cost on both sides).
    const cycle = (decide) => {
      let i = 0;
      return () => {
        if (decide(i) !== expected[i]) throw new Error(`decision ${i} changed`);
        i = (i + 1) % n;
      };
    };
    rows.push({
      id: 'decide-50x5',
      label: 'consent decisions, 50 consents x 5 provisions',
      unit: 'decisions/s',
      baseline: IMPL_CEDAR,
      impls: [
        { name: IMPL_MEDSEAL, op: cycle(m.decide) },
        { name: IMPL_CEDAR, op: cycle(c.decide) },
      ],
    });
  }
  // Receipts: the workload's first consent signed by the patient (an
  // identity from a fixed seed), verified against the patient's card.
  if (want('receipt-sign') || want('receipt-verify')) {
    needs(medseal, ['signConsent', 'verifyReceipt', 'PublicCard'], 'receipt rows');
    const r = medsealReceipts(medseal, workload);
    disposers.push(r.dispose);
    rows.push({
      id: 'receipt-sign',
      label: 'consent receipt: sign',
      unit: 'ops/s',
      baseline: null,
      impls: [{ name: IMPL_MEDSEAL, op: r.sign }],
    });
    rows.push({
      id: 'receipt-verify',
      label: 'consent receipt: verify',
      unit: 'ops/s',
      baseline: null,
      impls: [{ name: IMPL_MEDSEAL, op: r.verify }],
    });
  }
  // Labeling the Synthea Bundle, as the JSON text an application holds
  // (labelResource: one result per entry).
  if (want('label-1k')) {
    needs(medseal, ['labelResource'], 'label-1k');
    const bundle = await synthea();
    const text = JSON.stringify(bundle);
    const first = medseal.labelResource(text);
    if (first.length !== bundle.entry.length) throw new Error('label-1k: not one result per entry');
    checks.label = {
      resources: first.length,
      labeled: first.filter((x) => x.labels.length > 0).length,
    };
    log(`label-1k: ${checks.label.labeled} of ${first.length} resources carry a sensitivity label`);
    rows.push({
      id: 'label-1k',
      label: 'label a 1,000-resource Synthea Bundle',
      unit: 'bundles/s',
      baseline: null,
      warmup: 1,
      impls: [
        {
          name: IMPL_MEDSEAL,
          op: () => {
            if (medseal.labelResource(text).length !== 1000) throw new Error('label-1k');
          },
        },
      ],
    });
  }
  // Share of the Synthea Bundle (JSON text) to 5 candidates for TREAT under
  // the 50 consents signed by the patient, who shares their own records.
  if (want('share-1k-5')) {
    needs(medseal, ['share', 'signConsent', 'PublicCard'], 'share-1k-5');
    const bundle = await synthea();
    const text = JSON.stringify(bundle);
    const sh = medsealShare(medseal, workload);
    disposers.push(sh.dispose);
    const first = sh.share(text);
    if (first.resources.length !== bundle.entry.length)
      throw new Error('share-1k-5: not one result per entry');
    checks.share = {
      resources: first.resources.length,
      sealed: first.resources.filter((r) => r.record !== null).length,
      stanzas: first.resources.reduce((n, r) => n + r.recipients.length, 0),
      withheld: first.withheld.length,
    };
    log(
      `share-1k-5: ${checks.share.sealed} of ${checks.share.resources} resources sealed (${checks.share.stanzas} recipient stanzas), ${checks.share.withheld} withheld`,
    );
    rows.push({
      id: 'share-1k-5',
      label: 'Share the Bundle to 5 candidates',
      unit: 'bundles/s',
      baseline: null,
      warmup: 1,
      impls: [
        {
          name: IMPL_MEDSEAL,
          op: () => {
            if (sh.share(text).resources.length !== 1000) throw new Error('share-1k-5');
          },
        },
      ],
    });
  }
  return { rows, dispose: () => disposers.forEach((d) => d?.()) };
}

// medseal's side of the decision row: the workload's consents compiled once
// into the package's ConsentSet, each request as the package takes it.
function medsealDecider(medseal, workload) {
  if (typeof medseal.ConsentSet?.compile !== 'function') {
    throw new Error('this medseal package has no ConsentSet (the consent engine)');
  }
  // The consents as the FHIR JSON texts the package takes.
  const set = medseal.ConsentSet.compile(workload.consents.map((c) => JSON.stringify(c)));
  const requests = workload.requests.map((q) => q.request);
  const now = workload.nowMs;
  return {
    decide: (i) => set.evaluate(requests[i], now).effect,
    dispose: () => set.dispose?.(),
  };
}

// medseal's receipts: the patient (an identity from a fixed seed) signs the
// workload's first consent; verify checks it against the patient's card.
function medsealReceipts(medseal, workload) {
  const patient = medseal.Identity.fromSeed(seedOf(2), {
    name: 'Patient',
    role: 'patient',
    created: CREATED,
  });
  const card = medseal.PublicCard.parse(patient.card);
  // The FHIR Consent as JSON text, signed at the workload's `now`.
  const resource = JSON.stringify(workload.consents[0]);
  const options = { fhirVersion: 'R4', now: workload.nowMs };
  const sign = () => medseal.signConsent(patient, resource, options);
  const receipt = sign();
  medseal.verifyReceipt(receipt, card); // throws when it does not verify
  return {
    sign: () => {
      sign();
    },
    verify: () => {
      medseal.verifyReceipt(receipt, card);
    },
    dispose: () => {
      card.dispose?.();
      patient.dispose?.();
    },
  };
}

// The 5 candidates of the Share row: people of the workload (their
// references and roles as in its requests), each with a card of its own.
export const SHARE_CANDIDATES = [
  ['pr01', 'org-general-hospital', 'PRCP'],
  ['pr02', 'org-city-clinic', 'PRCP'],
  ['pr03', 'org-general-hospital', 'IRCP'],
  ['ps01', 'org-behavioral-health', 'PRCP'],
  ['rs01', 'org-research-institute', 'IRCP'],
];

function medsealShare(medseal, workload) {
  const patient = medseal.Identity.fromSeed(seedOf(2), {
    name: 'Patient',
    role: 'patient',
    created: CREATED,
  });
  const options = { fhirVersion: 'R4', now: workload.nowMs };
  const receipts = workload.consents.map((c) =>
    medseal.signConsent(patient, JSON.stringify(c), options),
  );
  const holders = SHARE_CANDIDATES.map(([id], i) =>
    medseal.Identity.fromSeed(seedOf(20 + i), { name: id, role: 'clinician', created: CREATED }),
  );
  const cards = holders.map((h) => medseal.PublicCard.parse(h.card));
  const candidates = SHARE_CANDIDATES.map(([id, org, role], i) => ({
    card: cards[i],
    actor: {
      references: [{ reference: `Practitioner/${id}` }, { reference: `Organization/${org}` }],
      roles: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: role }],
    },
  }));
  const shareOptions = {
    purpose: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' },
    now: workload.nowMs,
  };
  return {
    share: (text) => medseal.share(patient, text, receipts, candidates, shareOptions),
    dispose: () => {
      for (const x of [...cards, ...holders, patient]) x.dispose?.();
    },
  };
}

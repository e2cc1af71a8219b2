// SPDX-License-Identifier: Apache-2.0
// The post-quantum rows of the benchmark (issue #14), in Node and in
// Chromium (suite.mjs runs them in the same interleaved way as every other
// row). ES module, no imports: the caller hands in the loaded libraries.
//
// Rows (the same ids as bench/native_bench.cc):
//   pq-mlkem-encaps, pq-mlkem-decaps   ML-KEM-768 (FIPS 203), ops/s: medseal
//                      (mlkem768Encapsulate; MlKem768KeyPair.decapsulate) vs
//                      @noble/post-quantum's ml_kem768 in the same runtime.
//                      Target (Chromium): medseal >= 3x noble.
//   pq-xwing-encaps, pq-xwing-decaps   X-Wing, ops/s: medseal
//                      (xwingEncapsulate; XWingPrivateKey.decapsulate) vs
//                      noble's ml_kem768_x25519 (the same KEM); no target
//   pq-seal-1, pq-seal-5, pq-open-1, pq-open-5
//                      a sealed record v2 of a 2 KiB body to 1 / 5
//                      recipients (the same body, purpose and sender as the
//                      seal-N rows), ops/s: medseal to post-quantum cards
//                      (X-Wing stanzas, "medseal") vs medseal to the same
//                      people's classic cards (X25519 stanzas,
//                      "medseal-x25519"), one page, interleaved. Target:
//                      a hybrid seal takes at most 2x the X25519-only time,
//                      i.e. ratio (hybrid ops/s / X25519 ops/s) >= 0.5.
//
// Before timing, each side is checked against the other: noble decapsulates
// what medseal encapsulated and medseal what noble encapsulated (both KEMs),
// and every hybrid record opens and reports its stanzas as post-quantum.
// Keys come from fixed seeds so that every environment measures the same
// keys.

export const IMPL_NOBLE = '@noble/post-quantum';
export const IMPL_X25519_ONLY = 'medseal-x25519';

export const PQ_KEM_ROWS = [
  'pq-mlkem-encaps',
  'pq-mlkem-decaps',
  'pq-xwing-encaps',
  'pq-xwing-decaps',
];
export const PQ_RECORD_ROWS = ['pq-seal-1', 'pq-open-1', 'pq-seal-5', 'pq-open-5'];
export const PQ_ROWS = [...PQ_KEM_ROWS, ...PQ_RECORD_ROWS];
// medseal / the row's baseline, at least (throughput).
export const PQ_TARGETS = {
  'pq-mlkem-encaps': 3.0,
  'pq-mlkem-decaps': 3.0,
  'pq-seal-1': 0.5,
  'pq-seal-5': 0.5,
};

const CREATED = 1700000000000;
const PURPOSE = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' };
// As suite.mjs and native_bench.cc: sender 1, recipients 10..14.
const SEED_TAGS = { sender: 1, recipients: [10, 11, 12, 13, 14] };

function seedOf(tag, n = 32) {
  const s = new Uint8Array(n);
  for (let i = 0; i < n; i++) s[i] = (tag * 31 + i) & 0xff;
  return s;
}

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// The hybrid record API (Identity's `postQuantum` option: a v2 card with an
// X-Wing key; sealed record v2's stanza type 3) is there when the package
// knows StanzaType.XWING.
export function hasHybridRecords(medseal) {
  return typeof medseal.inspectRecord === 'function' && medseal.StanzaType?.XWING === 3;
}

// Builds the rows the caller wants. `noble`: { ml_kem768, ml_kem768_x25519 }
// from @noble/post-quantum. Returns { rows, checks, dispose }; throws when a
// cross-check fails, or when a row is wanted that this package cannot run
// (a package without the KEM API, or without hybrid records).
// `explicit`: the rows were named with --only (a package without hybrid
// records then fails the run; otherwise the record rows are left out and
// checks.pqRecords says why).
export function buildPqRows({ medseal, noble, want, explicit = false, log = () => {} }) {
  const rows = [];
  const checks = {};
  const disposers = [];
  if (PQ_KEM_ROWS.some(want)) {
    if (typeof medseal.MlKem768KeyPair?.fromSeed !== 'function')
      throw new Error(
        'pq rows: this medseal package has no MlKem768KeyPair (name the other rows with --only)',
      );
    if (!noble?.ml_kem768 || !noble?.ml_kem768_x25519)
      throw new Error('pq rows need @noble/post-quantum (ml_kem768, ml_kem768_x25519)');
    const { ml_kem768, ml_kem768_x25519 } = noble;

    const seed = seedOf(40, 64);
    const kp = medseal.MlKem768KeyPair.fromSeed(seed);
    disposers.push(() => kp.dispose());
    const nk = ml_kem768.keygen(seed);
    if (!same(kp.publicKey, nk.publicKey)) throw new Error('ML-KEM-768 keys differ from noble');
    const pk = kp.publicKey;
    const sk = nk.secretKey;
    const m = medseal.mlkem768Encapsulate(pk);
    if (!same(ml_kem768.decapsulate(m.ciphertext, sk), m.sharedSecret))
      throw new Error('noble decapsulation of a medseal ML-KEM ciphertext');
    const n = ml_kem768.encapsulate(pk);
    if (!same(kp.decapsulate(n.cipherText), n.sharedSecret))
      throw new Error('medseal decapsulation of a noble ML-KEM ciphertext');
    const ct = m.ciphertext;

    const xseed = seedOf(41);
    const xk = medseal.XWingPrivateKey.fromSeed(xseed);
    disposers.push(() => xk.dispose());
    const xpk = xk.publicKey;
    if (!same(ml_kem768_x25519.keygen(xseed).publicKey, xpk))
      throw new Error('X-Wing keys differ from noble');
    const xm = medseal.xwingEncapsulate(xpk);
    if (!same(ml_kem768_x25519.decapsulate(xm.ciphertext, xseed), xm.sharedSecret))
      throw new Error('noble decapsulation of a medseal X-Wing ciphertext');
    const xn = ml_kem768_x25519.encapsulate(xpk);
    if (!same(xk.decapsulate(xn.cipherText), xn.sharedSecret))
      throw new Error('medseal decapsulation of a noble X-Wing ciphertext');
    const xct = xm.ciphertext;
    checks.pq = { mlkem768: 'both directions', xwing: 'both directions' };
    log('pq: medseal and @noble/post-quantum decapsulate each other (ML-KEM-768, X-Wing)');

    // Every op uses its result (the length), on both sides alike.
    const use = (x, n) => {
      if (x.length !== n) throw new Error('wrong length');
    };
    rows.push({
      id: 'pq-mlkem-encaps',
      label: 'ML-KEM-768 encapsulate',
      unit: 'ops/s',
      baseline: IMPL_NOBLE,
      impls: [
        { name: 'medseal', op: () => use(medseal.mlkem768Encapsulate(pk).ciphertext, 1088) },
        { name: IMPL_NOBLE, op: () => use(ml_kem768.encapsulate(pk).cipherText, 1088) },
      ],
    });
    rows.push({
      id: 'pq-mlkem-decaps',
      label: 'ML-KEM-768 decapsulate',
      unit: 'ops/s',
      baseline: IMPL_NOBLE,
      impls: [
        { name: 'medseal', op: () => use(kp.decapsulate(ct), 32) },
        { name: IMPL_NOBLE, op: () => use(ml_kem768.decapsulate(ct, sk), 32) },
      ],
    });
    rows.push({
      id: 'pq-xwing-encaps',
      label: 'X-Wing encapsulate',
      unit: 'ops/s',
      baseline: IMPL_NOBLE,
      impls: [
        { name: 'medseal', op: () => use(medseal.xwingEncapsulate(xpk).ciphertext, 1120) },
        { name: IMPL_NOBLE, op: () => use(ml_kem768_x25519.encapsulate(xpk).cipherText, 1120) },
      ],
    });
    rows.push({
      id: 'pq-xwing-decaps',
      label: 'X-Wing decapsulate',
      unit: 'ops/s',
      baseline: IMPL_NOBLE,
      impls: [
        { name: 'medseal', op: () => use(xk.decapsulate(xct), 32) },
        { name: IMPL_NOBLE, op: () => use(ml_kem768_x25519.decapsulate(xct, xseed), 32) },
      ],
    });
  }

  if (PQ_RECORD_ROWS.some(want) && !hasHybridRecords(medseal)) {
    const why = 'this medseal package has no hybrid record stanza (cards v2 with X-Wing keys)';
    if (explicit) throw new Error(`pq-seal/pq-open: ${why}`);
    checks.pqRecords = { notMeasured: why };
    log(`pq: record rows not measured: ${why}`);
  } else if (PQ_RECORD_ROWS.some(want)) {
    const r = hybridRecords(medseal);
    disposers.push(r.dispose);
    checks.pqRecords = r.checks;
    log(`pq: hybrid records open, ${JSON.stringify(r.checks)}`);
    for (const n of [1, 5]) {
      const who = n === 1 ? '1 recipient' : `${n} recipients`;
      rows.push({
        id: `pq-seal-${n}`,
        label: `hybrid seal 2 KiB -> ${who}`,
        unit: 'ops/s',
        baseline: IMPL_X25519_ONLY,
        impls: [
          { name: 'medseal', op: () => r.seal(r.pqCards.slice(0, n)) },
          { name: IMPL_X25519_ONLY, op: () => r.seal(r.classicCards.slice(0, n)) },
        ],
      });
      const pqRec = r.seal(r.pqCards.slice(0, n));
      const classicRec = r.seal(r.classicCards.slice(0, n));
      rows.push({
        id: `pq-open-${n}`,
        label: `hybrid open 2 KiB (${who})`,
        unit: 'ops/s',
        baseline: IMPL_X25519_ONLY,
        impls: [
          { name: 'medseal', op: () => r.open(r.pqRecipient, pqRec) },
          { name: IMPL_X25519_ONLY, op: () => r.open(r.classicRecipient, classicRec) },
        ],
      });
    }
  }
  return { rows, checks, dispose: () => disposers.forEach((d) => d()) };
}

// The record rows' people: the sender and five recipients, each recipient
// once with a post-quantum card (X-Wing key) and once with a classic one,
// from the same seeds.
function hybridRecords(medseal) {
  const body = new Uint8Array(2048);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
  const payload = {
    body,
    contentType: 'application/fhir+json',
    recordId: 'obs-0001',
    resourceType: 'Observation',
  };
  const mk = (tag, name, postQuantum) =>
    medseal.Identity.fromSeed(seedOf(tag), {
      name,
      role: 'clinician',
      created: CREATED,
      ...(postQuantum ? { postQuantum: true } : {}),
    });
  const sender = mk(SEED_TAGS.sender, 'Sender', false);
  const senderCard = medseal.PublicCard.parse(sender.card);
  const pq = SEED_TAGS.recipients.map((t) => mk(t, 'Recipient', true));
  const classic = SEED_TAGS.recipients.map((t) => mk(t, 'Recipient', false));
  const pqCards = pq.map((i) => medseal.PublicCard.parse(i.card));
  const classicCards = classic.map((i) => medseal.PublicCard.parse(i.card));
  const options = { purposes: [PURPOSE] };
  const seal = (cards) => medseal.sealRecord(sender, cards, payload, options);
  const open = (me, rec) => {
    const o = medseal.openRecord(me, senderCard, rec, { purpose: PURPOSE });
    if (o.body.length !== body.length) throw new Error('opened body length');
  };
  // Checks: hybrid records are post-quantum for every recipient, classic
  // ones for none; both open to the body.
  const checks = {};
  for (const n of [1, 5]) {
    const h = seal(pqCards.slice(0, n));
    const c = seal(classicCards.slice(0, n));
    const hi = medseal.inspectRecord(h);
    const ci = medseal.inspectRecord(c);
    const pqOf = (info) => info.recipients.filter((x) => x.postQuantum === true).length;
    if (pqOf(hi) !== n || pqOf(ci) !== 0)
      throw new Error(`pq-seal-${n}: inspectRecord does not report the expected stanzas`);
    const ob = medseal.openRecord(pq[0], senderCard, h, { purpose: PURPOSE }).body;
    if (!same(ob, body)) throw new Error(`pq-open-${n}: body differs`);
    checks[`${n}`] = { hybridBytes: h.length, x25519Bytes: c.length };
  }
  return {
    seal,
    open,
    pqCards,
    classicCards,
    pqRecipient: pq[0],
    classicRecipient: classic[0],
    checks,
    dispose: () => {
      for (const x of [...pqCards, ...classicCards, ...pq, ...classic, senderCard, sender])
        x.dispose?.();
    },
  };
}

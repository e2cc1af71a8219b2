// SPDX-License-Identifier: Apache-2.0
// The verifiable log's rows in JS (issue #11), the same code in Node and in
// Chromium (bench/js/log-bench.mjs runs both): inclusion and consistency
// proof verifications per second through the package (verifyInclusion,
// verifyConsistency: core in wasm), on the proofs that the native
// benchmark writes (medseal_log_bench --write-proofs: a tree of 2^16
// leaves, 256 proofs of each kind), so that native, Node and Chromium
// verify the same proofs.
//
// Method: each row is calibrated to about `sampleMs` per sample (whole
// passes over the 256 proofs); `reps` samples; the median is reported.

const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

export const LOG_ROWS = ['proof-inclusion', 'proof-consistency'];

/**
 * @param {object} o
 * @param {object} o.medseal      the package, initialised
 * @param {object} o.proofs       the workload (medseal_log_bench --write-proofs)
 * @param {number} [o.reps=9]
 * @param {number} [o.sampleMs=100]
 * @param {() => number} [o.now]  a clock in ms (performance.now)
 * @param {(m: string) => void} [o.log]
 */
export function runLogSuite({
  medseal,
  proofs,
  reps = 9,
  sampleMs = 100,
  now = () => performance.now(),
  log = () => {},
}) {
  const root = fromHex(proofs.root);
  const inclusion = proofs.inclusion.map((c) => ({
    index: c.index,
    leaf: fromHex(c.leafHash),
    proof: fromHex(c.proof),
  }));
  const consistency = proofs.consistency.map((c) => ({
    size1: c.size1,
    root1: fromHex(c.root1),
    proof: fromHex(c.proof),
  }));
  if (inclusion.length !== 256 || consistency.length !== 256)
    throw new Error('log bench: the workload needs 256 proofs of each kind');
  const passes = {
    'proof-inclusion': () => {
      for (const c of inclusion)
        medseal.verifyInclusion(c.index, proofs.size, c.leaf, c.proof, root);
      return inclusion.length;
    },
    'proof-consistency': () => {
      for (const c of consistency)
        medseal.verifyConsistency(c.size1, proofs.size, c.root1, root, c.proof);
      return consistency.length;
    },
  };
  // A wrong root must be refused: the rows measure real verification.
  const bad = root.slice();
  bad[0] ^= 1;
  try {
    medseal.verifyInclusion(
      inclusion[0].index,
      proofs.size,
      inclusion[0].leaf,
      inclusion[0].proof,
      bad,
    );
    throw new Error('log bench: a proof verified against a wrong root');
  } catch (err) {
    if (err.code !== 'PROOF_INVALID') throw err;
  }
  const rows = [];
  for (const id of LOG_ROWS) {
    const pass = passes[id];
    pass(); // warm-up
    let k = 1;
    for (;;) {
      const t0 = now();
      for (let i = 0; i < k; i++) pass();
      const t = now() - t0;
      if (t >= sampleMs / 4) {
        k = Math.max(1, Math.round((k * sampleMs) / t));
        break;
      }
      k *= 2;
    }
    const samples = [];
    for (let r = 0; r < reps; r++) {
      const t0 = now();
      let n = 0;
      for (let i = 0; i < k; i++) n += pass();
      samples.push(n / ((now() - t0) / 1000));
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    log(`${id}: ${median.toFixed(0)} verifications/s`);
    rows.push({ id, unit: 'verifications/s', median, samples });
  }
  return {
    proofs: { size: proofs.size, inclusion: inclusion.length, consistency: consistency.length },
    rows,
  };
}

/**
 * Full verification of a whole history (issue #11: 100,000 events), through
 * LogPolicy.verifyHistory (core/log/history.h in wasm): the checkpoint's
 * signature, the root recomputed from every entry, every card and event
 * signature, the per-author chains. The history is the one
 * medseal_log_bench --write-history wrote, so native, Node and Chromium
 * verify the same bytes. Reported as seconds per history (median of `reps`
 * runs; each run is seconds long, so there is no calibration).
 *
 * @param {object} o
 * @param {object} o.medseal   the package, initialised
 * @param {{count: number, vkey: string, checkpoint: string}} o.history
 * @param {Uint8Array} o.bundle  every entry, each with its 2-byte length
 * @param {number} [o.reps=3]
 * @param {() => number} [o.now]
 * @param {(m: string) => void} [o.log]
 */
export function runHistoryRow({
  medseal,
  history,
  bundle,
  reps = 3,
  now = () => performance.now(),
  log = () => {},
}) {
  const policy = medseal.LogPolicy.create({ logKey: history.vkey });
  try {
    // A history with one byte changed must be refused: the row measures
    // real verification.
    const bad = bundle.slice();
    bad[bad.length - 1] ^= 1;
    let refused = false;
    try {
      policy.verifyHistory(history.checkpoint, bad, history.count);
    } catch (err) {
      refused = typeof err.code === 'string';
    }
    if (!refused) throw new Error('log bench: a tampered history verified');
    const samples = [];
    let summary;
    for (let r = 0; r < reps; r++) {
      const t0 = now();
      summary = policy.verifyHistory(history.checkpoint, bundle, history.count);
      samples.push((now() - t0) / 1000);
    }
    if (summary.entries !== history.count) throw new Error('log bench: wrong entry count');
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    log(
      `history-100k: ${median.toFixed(2)} s per history (${summary.events} events, ${summary.cards} cards)`,
    );
    return {
      id: 'history-100k',
      unit: 's per history',
      median,
      samples,
      events: summary.events,
      cards: summary.cards,
    };
  } finally {
    policy.dispose();
  }
}

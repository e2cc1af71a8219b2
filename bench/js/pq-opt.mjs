// SPDX-License-Identifier: Apache-2.0
// Experiment (docs/performance.md, "PQClean's optimisation level"): two
// builds of the package in one Node process (each its own instance), their
// ML-KEM-768 / X-Wing encapsulation and decapsulation interleaved as the
// suite interleaves implementations (order reversed every other
// repetition), paired ratio A / B with its 95 % interval.
//
//   node bench/js/pq-opt.mjs PKG_DIR_A PKG_DIR_B [--reps N] [--sample-ms MS]
import { pathToFileURL } from 'node:url';

import { medsealEntry, parseArgs } from './report.mjs';
import { median, pairedRatio, pairedRatioInterval } from './suite.mjs';

const [dirA, dirB, ...rest] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node bench/js/pq-opt.mjs PKG_DIR_A PKG_DIR_B [--reps N] [--sample-ms MS]');
  process.exit(2);
}
const opts = parseArgs(rest, { reps: 9, sampleMs: 100 });
const load = async (dir) => {
  const m = await import(pathToFileURL(medsealEntry(dir)).href);
  await m.init();
  return m;
};
const libs = [await load(dirA), await load(dirB)];
const seed = new Uint8Array(64).map((_, i) => i);
const xseed = seed.subarray(0, 32);
const ops = libs.map((m) => {
  const kp = m.MlKem768KeyPair.fromSeed(seed);
  const xk = m.XWingPrivateKey.fromSeed(xseed);
  const pk = kp.publicKey;
  const ct = m.mlkem768Encapsulate(pk).ciphertext;
  const xpk = xk.publicKey;
  const xct = m.xwingEncapsulate(xpk).ciphertext;
  return {
    'mlkem-encaps': () => m.mlkem768Encapsulate(pk),
    'mlkem-decaps': () => kp.decapsulate(ct),
    'xwing-encaps': () => m.xwingEncapsulate(xpk),
    'xwing-decaps': () => xk.decapsulate(xct),
  };
});
const time = (op, n) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) op();
  return (performance.now() - t0) / 1000;
};
const calibrate = (op, s) => {
  time(op, 3);
  let n = 1;
  let t = time(op, n);
  while (t < s / 4) t = time(op, (n *= 2));
  return Math.max(1, Math.round((n * s) / t));
};
console.log(`A = ${dirA}\nB = ${dirB}\n${opts.reps} repetitions x ~${opts.sampleMs} ms`);
for (const id of Object.keys(ops[0])) {
  const impls = ops.map((o) => ({ op: o[id], samples: [] }));
  for (const impl of impls) impl.iters = calibrate(impl.op, opts.sampleMs / 1000);
  for (let r = 0; r < opts.reps; r++) {
    for (const impl of r % 2 === 0 ? impls : [...impls].reverse())
      impl.samples.push(impl.iters / time(impl.op, impl.iters));
  }
  const [a, b] = impls.map((i) => i.samples);
  const iv = pairedRatioInterval(a, b);
  console.log(
    `${id.padEnd(14)} A ${median(a).toFixed(0).padStart(6)} ops/s  B ${median(b).toFixed(0).padStart(6)} ops/s  A/B ${pairedRatio(a, b).toFixed(3)} (${iv.lo.toFixed(3)}-${iv.hi.toFixed(3)})`,
  );
}

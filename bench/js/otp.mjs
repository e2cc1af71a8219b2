// SPDX-License-Identifier: Apache-2.0
// TOTP verifications per second in Node: medseal's verifyTotp (the wasm
// core, through the package) vs the npm package `otpauth` (pure JS,
// @noble/hashes), SHA1/SHA256/SHA512, 6 digits, 30 s period, window 1.
//   accept    a code for step T+1, a fresh state each time (medseal), so both
//             compute all three candidates before the match
//   mismatch  a wrong code (both compute all three)
// Each implementation is calibrated to --sample-ms per sample, then sampled
// in turn (order reversed every other repetition) --reps times; medians in
// verifications/s. Not part of bench/js/suite.mjs: a standalone row set
// recorded in docs/performance.md ("TOTP verification").
//
// Usage: node bench/js/otp.mjs [--reps N] [--sample-ms MS] [--medseal PACKAGE_DIR] [--out FILE]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as OTPAuth from 'otpauth';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const reps = Number(opt('--reps', '9'));
const sampleMs = Number(opt('--sample-ms', '100'));
const pkg = path.resolve(opt('--medseal', path.join(here, '..', '..', 'wasm', 'package')));
const out = opt('--out', undefined);

const medseal = await import(pathToFileURL(path.join(pkg, 'dist', 'index.js')).href);
await medseal.init();

function timeIters(op, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) op();
  return (performance.now() - t0) / 1000;
}
function calibrate(op) {
  op();
  let n = 1;
  let t = timeIters(op, n);
  while (t < sampleMs / 4000) {
    n *= 2;
    t = timeIters(op, n);
  }
  return Math.max(1, Math.floor((n * sampleMs) / 1000 / t));
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const now = 1_764_600_000_000;
const secret = medseal.generateOtpSecret();
const rows = [];
for (const algorithm of ['SHA1', 'SHA256', 'SHA512']) {
  const options = { algorithm, digits: 6, period: 30 };
  const theirs = new OTPAuth.TOTP({
    ...options,
    secret: new OTPAuth.Secret({ buffer: secret.slice().buffer }),
  });
  const good = medseal.totpCode(secret, now + 30_000, options);
  if (good !== theirs.generate({ timestamp: now + 30_000 })) throw new Error('codes differ');
  const bad = good === '000000' ? '000001' : '000000';
  for (const accept of [true, false]) {
    const code = accept ? good : bad;
    const impls = [
      {
        name: 'medseal',
        op: () => {
          let ok = true;
          try {
            medseal.verifyTotp(secret, code, { ...options, now });
          } catch (e) {
            if (e.code !== 'OTP_MISMATCH') throw e;
            ok = false;
          }
          if (ok !== accept) throw new Error('medseal: result changed');
        },
      },
      {
        name: 'otpauth',
        op: () => {
          const delta = theirs.validate({ token: code, timestamp: now, window: 1 });
          if ((delta !== null) !== accept) throw new Error('otpauth: result changed');
        },
      },
    ];
    for (const impl of impls) {
      impl.iters = calibrate(impl.op);
      impl.samples = [];
    }
    for (let r = 0; r < reps; r++) {
      const order = r % 2 === 0 ? impls : [...impls].reverse();
      for (const impl of order) impl.samples.push(impl.iters / timeIters(impl.op, impl.iters));
    }
    const id = `totp-verify-${accept ? 'accept' : 'mismatch'}-${algorithm}`;
    const row = { id };
    for (const impl of impls) row[impl.name] = median(impl.samples);
    row.ratio = median(impls[0].samples.map((s, i) => s / impls[1].samples[i]));
    rows.push(row);
    console.log(
      `${id.padEnd(30)} medseal ${row.medseal.toFixed(0).padStart(8)}/s  otpauth ${row.otpauth
        .toFixed(0)
        .padStart(8)}/s  ratio ${row.ratio.toFixed(2)}`,
    );
  }
}
const result = {
  environment: `node ${process.version}`,
  otpauth: OTPAuth.version,
  unit: 'verifications/s',
  reps,
  sampleMs,
  rows,
};
if (out) writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

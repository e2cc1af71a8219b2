// SPDX-License-Identifier: Apache-2.0
// Tests of the benchmark's statistics (suite.mjs): the paired ratio, the
// confidence interval of its median and the verdict against a target.
//
//   node --test bench/js/stats.test.mjs      (npm --prefix bench/js test)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { judge, median, medianInterval, pairedRatio, pairedRatioInterval } from './suite.mjs';

// P(Bin(n, 1/2) <= i) by exact integer arithmetic: an independent
// computation of what medianInterval derives in floating point.
function binomialCdf(n, i) {
  let c = 1n;
  let sum = 0n;
  for (let j = 0; j <= i; j++) {
    sum += c;
    c = (c * BigInt(n - j)) / BigInt(j + 1);
  }
  return Number(sum) / 2 ** n;
}

// A deterministic generator (xorshift32) for the coverage test.
function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

test('median of odd and even counts, unsorted input left as it was', () => {
  const xs = [3, 1, 2];
  assert.equal(median(xs), 2);
  assert.deepEqual(xs, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), RangeError);
});

test('medianInterval picks the widest-coverage-above-level order statistics', () => {
  const xs = (n) => Array.from({ length: n }, (_, i) => n - i); // n, n-1, ..., 1
  // n = 9: [x(2), x(8)], coverage 1 - 2 * 10/512.
  assert.deepEqual(medianInterval(xs(9)), { lo: 2, hi: 8, k: 2, coverage: 1 - 20 / 512 });
  // n = 15: [x(4), x(12)], coverage 1 - 2 * 576/32768.
  assert.deepEqual(medianInterval(xs(15)), { lo: 4, hi: 12, k: 4, coverage: 1 - 1152 / 32768 });
  // n = 5: 95 % is out of reach; the whole range covers 1 - 2/32.
  assert.deepEqual(medianInterval(xs(5)), { lo: 1, hi: 5, k: 1, coverage: 1 - 2 / 32 });
  assert.deepEqual(medianInterval([42]), { lo: 42, hi: 42, k: 1, coverage: 0 });
  assert.throws(() => medianInterval([]), RangeError);
  // A lower level gives a narrower interval.
  assert.equal(medianInterval(xs(15), 0.8).k, 5);
});

test('medianInterval: k and coverage agree with exact binomial sums for n = 1..60', () => {
  for (let n = 1; n <= 60; n++) {
    const { k, coverage } = medianInterval(Array.from({ length: n }, (_, i) => i));
    const cov = (j) => 1 - 2 * binomialCdf(n, j - 1);
    assert.ok(Math.abs(coverage - cov(k)) < 1e-12, `n=${n}`);
    if (k > 1) assert.ok(cov(k) >= 0.95, `n=${n}: k=${k} below the level`);
    if (k + 1 <= (n + 1) / 2) assert.ok(cov(k + 1) < 0.95, `n=${n}: k=${k} not the largest`);
    assert.ok(k >= 1 && k <= (n + 1) / 2, `n=${n}`);
  }
});

test('medianInterval covers the true median about as often as it says', () => {
  // Skewed samples (exponential, median ln 2), 15 per trial, 4000 trials.
  const next = rng(0x6d656473);
  const trueMedian = Math.LN2;
  let covered = 0;
  const trials = 4000;
  let coverage = 0;
  for (let t = 0; t < trials; t++) {
    const xs = Array.from({ length: 15 }, () => -Math.log(1 - next()));
    const iv = medianInterval(xs);
    coverage = iv.coverage;
    if (iv.lo <= trueMedian && trueMedian <= iv.hi) covered++;
  }
  // 0.9648 expected; binomial sd over 4000 trials ~0.003.
  assert.ok(
    Math.abs(covered / trials - coverage) < 0.015,
    `covered ${covered / trials}, stated ${coverage}`,
  );
});

test('pairedRatio and its interval pair the samples by repetition', () => {
  const a = [10, 20, 30, 40, 50];
  const b = [5, 10, 10, 10, 50];
  // per-repetition ratios 2, 2, 3, 4, 1 -> median 2 (the ratio of medians would be 3).
  assert.equal(pairedRatio(a, b), 2);
  assert.deepEqual(pairedRatioInterval(a, b), { lo: 1, hi: 4, k: 1, coverage: 1 - 2 / 32 });
  assert.throws(() => pairedRatio([1, 2], [1]), RangeError);
  assert.throws(() => pairedRatioInterval([1], [1, 2]), RangeError);
});

test('judge: PASS/MISS by the ratio, clear only when the interval agrees', () => {
  const iv = (lo, hi) => ({ lo, hi, k: 2, coverage: 0.96 });
  // Throughput (higher is better), target 1.2.
  assert.deepEqual(judge(1.5, iv(1.4, 1.6), 1.2, true), { status: 'PASS', clear: true });
  assert.deepEqual(judge(1.25, iv(1.1, 1.4), 1.2, true), { status: 'PASS', clear: false });
  assert.deepEqual(judge(1.2, iv(1.2, 1.3), 1.2, true), { status: 'PASS', clear: true });
  assert.deepEqual(judge(1.1, iv(1.0, 1.15), 1.2, true), { status: 'MISS', clear: true });
  assert.deepEqual(judge(1.1, iv(1.0, 1.3), 1.2, true), { status: 'MISS', clear: false });
  // Ready time (lower is better), target 0.7.
  assert.deepEqual(judge(0.6, iv(0.55, 0.68), 0.7, false), { status: 'PASS', clear: true });
  assert.deepEqual(judge(0.68, iv(0.6, 0.75), 0.7, false), { status: 'PASS', clear: false });
  assert.deepEqual(judge(0.76, iv(0.72, 0.8), 0.7, false), { status: 'MISS', clear: true });
  assert.deepEqual(judge(0.76, iv(0.69, 0.8), 0.7, false), { status: 'MISS', clear: false });
  // No interval (a deterministic quantity such as the download size).
  assert.deepEqual(judge(0.93, null, 1, false), { status: 'PASS', clear: true });
});

// SPDX-License-Identifier: Apache-2.0
// The shipped module carries Argon2's fill-block on WebAssembly SIMD
// (libsodium's SSSE3 code through Emscripten's SSE headers,
// third_party/libsodium/MedsealSodiumWasm.cmake, MEDSEAL_WASM_SIMD_ARGON2):
// binaryen's wasm-opt counts the module's vector instructions. The SIMD
// ChaCha20 alone accounts for 69 shuffles and 48 shifts (commit 056cf99's
// module); the Argon2 round function (rotations as byte shuffles, the
// 64-bit shifts, the diagonalisation) adds about 200 shuffles and 100
// shifts. Catches a build in which the source properties silently stopped
// applying (the scalar fill-block would then run, correctly but slower).
// That the SIMD code computes the right bytes is tested by argon2.test.js
// (libsodium's known answers) and bench/js/argon2.test.mjs (a differential
// test against libsodium-wrappers-sumo and argon2-browser).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'node:test';

const FEATURES = ['--enable-sign-ext', '--enable-mutable-globals', '--enable-simd'];

for (const name of ['medseal_core', 'medseal_core_testing'])
  test(`${name}.wasm contains the SIMD Argon2 fill-block`, () => {
    const wasm = fileURLToPath(new URL(`../dist/${name}.wasm`, import.meta.url));
    const r = spawnSync('wasm-opt', [...FEATURES, '--metrics', wasm, '-o', '/dev/null'], {
      encoding: 'utf8',
    });
    assert.equal(r.error, undefined, `wasm-opt could not run: ${r.error}`);
    assert.equal(r.status, 0, r.stderr);
    const count = (kind) =>
      Number((r.stdout.match(new RegExp(`^ ${kind}\\s*:\\s*(\\d+)`, 'm')) ?? [])[1] ?? 0);
    assert.ok(count('SIMDShuffle') >= 69 + 150, `SIMD shuffles: ${count('SIMDShuffle')}`);
    assert.ok(count('SIMDShift') >= 48 + 60, `SIMD shifts: ${count('SIMDShift')}`);
  });

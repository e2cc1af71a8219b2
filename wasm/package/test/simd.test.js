// SPDX-License-Identifier: Apache-2.0
// The shipped module carries the WebAssembly SIMD ChaCha20 (third_party/libsodium/simd/):
// binaryen's wasm-opt (installed with Debian's emscripten) counts its vector
// instructions, and refuses the module with SIMD disabled. Catches a build in
// which the dispatch rename in third_party/libsodium/MedsealSodiumWasm.cmake silently stopped
// working (the SIMD object would then not be linked at all). That the SIMD
// code computes the right bytes is tested elsewhere: the ChaCha20, AEAD and
// vector tests here, and third_party/libsodium/simd/chacha20_simd128_test.cc.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'node:test';

// Both modules: the production one, and the testing one whose raw AEAD the
// benchmark measures.
const MODULES = ['medseal_core', 'medseal_core_testing'];
const FEATURES = ['--enable-sign-ext', '--enable-mutable-globals'];

function wasmOpt(wasm, args) {
  const r = spawnSync('wasm-opt', [...args, wasm, '-o', '/dev/null'], { encoding: 'utf8' });
  assert.equal(r.error, undefined, `wasm-opt could not run: ${r.error}`);
  return r;
}

for (const name of MODULES)
  test(`${name}.wasm contains the SIMD ChaCha20 and needs SIMD`, () => {
    const wasm = fileURLToPath(new URL(`../dist/${name}.wasm`, import.meta.url));
    const metrics = wasmOpt(wasm, [...FEATURES, '--enable-simd', '--metrics']);
    assert.equal(metrics.status, 0, metrics.stderr);
    const count = (kind) =>
      Number((metrics.stdout.match(new RegExp(`^ ${kind}\\s*:\\s*(\\d+)`, 'm')) ?? [])[1] ?? 0);
    // Rotations by 8 and 16 and the transposes are shuffles; by 7 and 12, shifts.
    assert.ok(count('SIMDShuffle') >= 16, `SIMD shuffles: ${count('SIMDShuffle')}`);
    assert.ok(count('SIMDShift') >= 16, `SIMD shifts: ${count('SIMDShift')}`);
    const mvp = wasmOpt(wasm, FEATURES);
    assert.notEqual(mvp.status, 0, 'the module validated without SIMD');
    assert.match(mvp.stderr, /SIMD is disabled/);
  });

// SPDX-License-Identifier: Apache-2.0
// Runs bench/js/suite.mjs in Node (20+): medseal (wasm/package, built by
// scripts/build-wasm.sh) vs libsodium-wrappers vs WebCrypto AES-256-GCM, and
// the consent rows (medseal vs @cedar-policy/cedar-wasm's Node build), the
// post-quantum rows (medseal vs @noble/post-quantum), the Argon2id unlock rows
// (medseal vs libsodium-wrappers-sumo and argon2-browser's two builds).
//
//   node bench/js/node.mjs [--reps N] [--sample-ms MS] [--only ID,ID] [--quick]
//                          [--out FILE] [--medseal PACKAGE_DIR]
//
// Writes build/bench/node.json unless --out says otherwise. --medseal
// measures another build of the package (default wasm/package). --quick
// leaves out the 1 GiB age rows (the smoke run).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import * as age from 'age-encryption';
import sodium from 'libsodium-wrappers';
import sumo from 'libsodium-wrappers-sumo';

import {
  argon2KnownAnswer,
  benchDir,
  loadSynthea,
  loadWorkload,
  machineInfo,
  medsealEntry,
  packageDir,
  parseArgs,
  printTable,
  repoRoot,
  writeJson,
} from './report.mjs';
import { loadArgon2Browser } from './argon2.mjs';
import { runSuite } from './suite.mjs';

const opts = parseArgs(process.argv.slice(2), {
  reps: 9,
  sampleMs: 100,
  only: null,
  quick: false,
  out: path.join(repoRoot, 'build', 'bench', 'node.json'),
  medseal: packageDir,
});
if (opts.help) {
  console.log(
    'usage: node bench/js/node.mjs [--reps N] [--sample-ms MS] [--only ID,ID] [--quick] [--out FILE] [--medseal PACKAGE_DIR]',
  );
  process.exit(0);
}

const loadBefore = machineInfo().loadavg;
const entry = medsealEntry(opts.medseal);
const medseal = await import(pathToFileURL(entry).href);
await medseal.init();
// The raw AEAD rows use medseal/testing (its own instance, same core).
const testingEntry = medsealEntry(opts.medseal, './testing');
const testing = testingEntry === null ? null : await import(pathToFileURL(testingEntry).href);
await testing?.init();
await sodium.ready;
await sumo.ready;
// argon2-browser's two shipped builds (bench/js/argon2.mjs says why they are
// instantiated directly).
const argon2Dist = path.join(benchDir, 'node_modules', 'argon2-browser', 'dist');
const argon2Browser = {
  plain: await loadArgon2Browser(fs.readFileSync(path.join(argon2Dist, 'argon2.wasm'))),
  simd: await loadArgon2Browser(fs.readFileSync(path.join(argon2Dist, 'argon2-simd.wasm'))),
};

// A forced garbage collection before each sample (suite.mjs, "Method"),
// without having to start node with --expose-gc.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const results = await runSuite({
  medseal,
  testing,
  sodium,
  subtle: globalThis.crypto.subtle,
  cedar,
  workload: loadWorkload(),
  synthea: () => loadSynthea().bundle,
  age,
  noble: { ml_kem768, ml_kem768_x25519 },
  sumo,
  argon2Browser,
  argon2KnownAnswer: argon2KnownAnswer(),
  quick: opts.quick,
  reps: opts.reps,
  sampleMs: opts.sampleMs,
  only: opts.only,
  log: (m) => process.stderr.write(`node: ${m}\n`),
  gc,
});
const machine = { ...machineInfo(), loadavgBefore: loadBefore };
const out = {
  environment: 'node',
  runtime: `Node ${process.version}`,
  machine,
  medseal: entry,
  ...results,
};
printTable(`Node ${process.version}`, out, { targetsApply: false });
console.log(`load average before: ${loadBefore.join(' ')}; after: ${machine.loadavg.join(' ')}`);
writeJson(opts.out, out);

// SPDX-License-Identifier: Apache-2.0
// Bundles the package into three self-contained files, each one script with
// its module embedded:
//   dist/index.js    'medseal': src/index.ts, the glue dist/medseal_core.mjs
//                    and the module dist/medseal_core.wasm;
//   dist/testing.js  'medseal/testing': src/testing.ts (which re-exports
//                    the whole API), the glue dist/medseal_core_testing.mjs
//                    and dist/medseal_core_testing.wasm;
//   dist/age-worker.js the age Worker: src/age-worker.ts with the same glue
//                    and module as dist/index.js.
// The modules are built by wasm/CMakeLists.txt, which copies them into dist/. The
// bundles share no chunk on purpose: a shared chunk would make a page fetch
// a second script before it can start, and it would have to export the
// wrapper's internals (the wasm heap among them) to any script. The testing
// bundle is a second instance of the library.
//
// Each module is compressed with raw DEFLATE (zlib level 9) and
// base64-encoded as the default export of './medseal_core_wasm.mjs', with
// its file name and ABI markers (the wasm custom sections named medseal_*,
// which init() checks in a module it is given). One script instead of a
// script and a .wasm means a page waits for one fetch; gzipped on the wire,
// the base64 of the compressed module costs about 1 % more than the .wasm
// itself (docs/performance.md, item 7). The .wasm files stay in the package
// for init({ wasmUrl }) and for runtimes without DecompressionStream.
// Deterministic: the same inputs give the same bytes. Type-checking and the
// .d.ts files are tsc's job (package.json "build").
//
//   node scripts/bundle.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import * as esbuild from 'esbuild';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(pkg, 'dist');

const BUNDLES = [
  { entry: 'index.ts', out: 'index.js', module: 'medseal_core' },
  { entry: 'testing.ts', out: 'testing.js', module: 'medseal_core_testing' },
  // The age Worker (src/age-worker.ts): a module Worker script with its own
  // copy of the library and module, started by encryptFileInWorker /
  // decryptFileInWorker from new URL('./age-worker.js', import.meta.url).
  { entry: 'age-worker.ts', out: 'age-worker.js', module: 'medseal_core' },
  // The keystore Worker (src/keystore-worker.ts), started by KeystoreWorker.
  { entry: 'keystore-worker.ts', out: 'keystore-worker.js', module: 'medseal_core' },
];

function die(message) {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

// The names and contents of a module's custom sections called medseal_*
// (WebAssembly binary format: the magic and version, then sections of
// id byte, LEB128 size and contents; a custom section, id 0, starts with its
// LEB128-length-prefixed name).
function abiMarkers(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  const markers = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 0) {
      const nameLength = leb();
      const name = bytes.subarray(at, at + nameLength).toString('utf8');
      if (name.startsWith('medseal_'))
        markers.push([name, bytes.subarray(at + nameLength, end).toString('utf8')]);
    }
    at = end;
  }
  return markers;
}

for (const bundle of BUNDLES) {
  const glue = path.join(dist, `${bundle.module}.mjs`);
  const wasm = path.join(dist, `${bundle.module}.wasm`);
  for (const file of [glue, wasm]) {
    if (!fs.existsSync(file)) {
      die(
        `${path.relative(process.cwd(), file)} is missing: build the wasm modules first (scripts/build-wasm.sh)`,
      );
    }
  }
  const wasmBytes = fs.readFileSync(wasm);
  const markers = abiMarkers(wasmBytes);
  if (!markers.some(([name]) => name === 'medseal_abi'))
    die(`${bundle.module}.wasm has no medseal_abi section`);
  const deflated = zlib.deflateRawSync(wasmBytes, { level: 9 });
  if (!zlib.inflateRawSync(deflated).equals(wasmBytes)) {
    die(`the compressed module does not decompress to ${bundle.module}.wasm`);
  }

  // The glue is imported as './medseal_core.mjs' from src/ (types in
  // src/medseal_core.d.mts); the real file is this bundle's copy in dist/.
  const glueFromDist = {
    name: 'medseal-glue',
    setup(build) {
      build.onResolve({ filter: /^\.\/medseal_core\.mjs$/ }, () => ({ path: glue }));
    },
  };
  // './medseal_core_wasm.mjs' (types in src/medseal_core_wasm.d.mts) is
  // generated here; the base64 text first, so that the bundle starts with it.
  const embeddedWasm = {
    name: 'medseal-embedded-wasm',
    setup(build) {
      build.onResolve({ filter: /^\.\/medseal_core_wasm\.mjs$/ }, () => ({
        path: wasm,
        namespace: 'medseal-wasm',
      }));
      build.onLoad({ filter: /.*/, namespace: 'medseal-wasm' }, () => ({
        contents:
          `export default ${JSON.stringify(deflated.toString('base64'))};\n` +
          `export const WASM_FILE = ${JSON.stringify(`${bundle.module}.wasm`)};\n` +
          `export const ABI_MARKERS = ${JSON.stringify(markers)};\n`,
        loader: 'js',
      }));
    },
  };

  await esbuild.build({
    entryPoints: [path.join(pkg, 'src', bundle.entry)],
    outfile: path.join(dist, bundle.out),
    bundle: true,
    splitting: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // The glue's Node branch calls require('fs'/'path'/'crypto') and reads
    // __dirname; loading.ts defines both only while the factory runs in Node.
    external: ['fs', 'path', 'crypto'],
    // Identifiers minified since the wrapper was split into modules (its
    // checks and argument blocks grew it by ~3.5 KB raw): dist/index.js
    // gzipped went 141,613 -> 143,431 bytes without, 140,142 with. Not
    // keepNames: it wraps the functions the Emscripten glue creates on every
    // Embind call in a defineProperty of their name (a 64-byte AEAD
    // round trip took 2.9 instead of 2.2 us). The public classes name
    // themselves (src/handles.ts, publicClass). Earlier measurements found
    // the ready time the same either way (docs/performance.md, "identifiers
    // minified too").
    minifySyntax: true,
    minifyIdentifiers: true,
    minifyWhitespace: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    plugins: [glueFromDist, embeddedWasm],
  });
}

// Files of earlier (unbundled) builds that nothing imports any more.
for (const stale of ['codes.js', 'errors.js']) fs.rmSync(path.join(dist, stale), { force: true });

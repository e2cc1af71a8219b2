// Bundles the package into one file, dist/index.js: src/index.ts with
// codes.ts and errors.ts, the Emscripten glue dist/medseal_core.mjs and the
// module dist/medseal_core.wasm (both copied there by wasm/CMakeLists.txt),
// the module compressed with raw DEFLATE (zlib level 9) and base64-encoded
// as the default export of './medseal_core_wasm.mjs'. One script instead of
// a script and a .wasm means a page waits for one fetch; gzipped on the
// wire, the base64 of the compressed module costs about 1 % more than the
// .wasm itself (docs/performance.md, item 7). dist/medseal_core.wasm stays
// in the package for init({ wasmUrl }) and for runtimes without
// DecompressionStream. Deterministic: the same inputs give the same bytes.
// Type-checking and the .d.ts files are tsc's job (package.json "build").
//
//   node scripts/bundle.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import * as esbuild from 'esbuild';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(pkg, 'dist');
const glue = path.join(dist, 'medseal_core.mjs');
const wasm = path.join(dist, 'medseal_core.wasm');
for (const file of [glue, wasm]) {
  if (!fs.existsSync(file)) {
    console.error(`bundle: ${path.relative(process.cwd(), file)} is missing: build the wasm module first (scripts/build-wasm.sh)`);
    process.exit(1);
  }
}

// The glue is imported as './medseal_core.mjs' from src/ (types in
// src/medseal_core.d.mts); the real file is the build's copy in dist/.
const glueFromDist = {
  name: 'medseal-glue',
  setup(build) {
    build.onResolve({ filter: /^\.\/medseal_core\.mjs$/ }, () => ({ path: glue }));
  },
};

// './medseal_core_wasm.mjs' (types in src/medseal_core_wasm.d.mts) is
// generated here: the .wasm, raw DEFLATE, base64, as its default export.
const wasmBytes = fs.readFileSync(wasm);
const deflated = zlib.deflateRawSync(wasmBytes, { level: 9 });
if (!zlib.inflateRawSync(deflated).equals(wasmBytes)) {
  console.error('bundle: the compressed module does not decompress to medseal_core.wasm');
  process.exit(1);
}
const embeddedWasm = {
  name: 'medseal-embedded-wasm',
  setup(build) {
    build.onResolve({ filter: /^\.\/medseal_core_wasm\.mjs$/ }, () => ({ path: wasm, namespace: 'medseal-wasm' }));
    build.onLoad({ filter: /.*/, namespace: 'medseal-wasm' }, () => ({
      contents: `export default ${JSON.stringify(deflated.toString('base64'))};`,
      loader: 'js',
    }));
  },
};

await esbuild.build({
  entryPoints: [path.join(pkg, 'src', 'index.ts')],
  outfile: path.join(dist, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // The glue's Node branch calls require('fs'/'path'/'crypto') and reads
  // __dirname; index.ts defines both only while the factory runs in Node.
  external: ['fs', 'path', 'crypto'],
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [glueFromDist, embeddedWasm],
});

// Files of earlier (unbundled) builds that nothing imports any more.
for (const stale of ['codes.js', 'errors.js']) fs.rmSync(path.join(dist, stale), { force: true });

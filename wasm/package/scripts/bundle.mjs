// Bundles the package's JS into one file, dist/index.js: src/index.ts with
// codes.ts and errors.ts, and the Emscripten glue dist/medseal_core.mjs
// (copied there by wasm/CMakeLists.txt). One script instead of four means a
// page waits for two sequential fetches (this file, then the .wasm, which
// init() starts at once) instead of four. Deterministic: the same inputs give
// the same bytes. Type-checking and the .d.ts files are tsc's job
// (package.json "build").
//
//   node scripts/bundle.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(pkg, 'dist');
const glue = path.join(dist, 'medseal_core.mjs');
if (!fs.existsSync(glue)) {
  console.error(`bundle: ${path.relative(process.cwd(), glue)} is missing: build the wasm module first (scripts/build-wasm.sh)`);
  process.exit(1);
}

// The glue is imported as './medseal_core.mjs' from src/ (types in
// src/medseal_core.d.mts); the real file is the build's copy in dist/.
const glueFromDist = {
  name: 'medseal-glue',
  setup(build) {
    build.onResolve({ filter: /^\.\/medseal_core\.mjs$/ }, () => ({ path: glue }));
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
  plugins: [glueFromDist],
});

// Files of earlier (unbundled) builds that nothing imports any more.
for (const stale of ['codes.js', 'errors.js']) fs.rmSync(path.join(dist, stale), { force: true });

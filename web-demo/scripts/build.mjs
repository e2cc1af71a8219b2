// SPDX-License-Identifier: Apache-2.0
// Builds the demo app into web-demo/dist/, the only folder the server serves:
//
//   dist/index.html, portal.css, favicon.svg, samples/   copied from pages/portal/
//   dist/portal.js    pages/portal/portal.js bundled with the medseal package
//   dist/worker.js    pages/portal/worker.js bundled the same way (a module worker)
//   dist/medseal_core.wasm  copied from the installed package
//
// Each bundle is one self-contained script, so the page fetches one script
// for itself and the library (the package embeds its .wasm in its JS). The
// package falls back to fetching new URL('./medseal_core.wasm',
// import.meta.url) where DecompressionStream is missing; in a bundle
// import.meta.url is the bundle's URL, so the .wasm sits beside the bundles.
//
//   npm run build        (or: node scripts/build.mjs)
//
// `bundle()` is also what the browser tests use for their harness page, so
// the harness is built exactly like the app.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as esbuild from 'esbuild';

const demo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PORTAL_DIR = path.join(demo, 'pages', 'portal');
export const DIST_DIR = path.join(demo, 'dist');

// Copied as they are (cpSync fails loudly if one is missing).
const PORTAL_STATIC = ['index.html', 'portal.css', 'favicon.svg', 'samples'];
const PORTAL_ENTRIES = ['portal.js', 'worker.js'];

/**
 * Bundles ES module entry points (which import `medseal` by name) for the
 * browser, one self-contained file per entry, named after it, into `outdir`.
 * @param {string[]} entryPoints
 * @param {string} outdir
 * @returns {Promise<esbuild.Metafile>} what went into each output
 */
export async function bundle(entryPoints, outdir) {
  const result = await esbuild.build({
    entryPoints,
    outdir,
    entryNames: '[name]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    charset: 'utf8',
    logLevel: 'warning',
    metafile: true,
  });
  return result.metafile;
}

/** The package's medseal_core.wasm, found through its `exports` map. */
export function packageWasmPath() {
  return createRequire(import.meta.url).resolve('medseal/medseal_core.wasm');
}

/** Builds the portal into `outdir` (emptied first); returns the bundles' metafile. */
export async function buildApp(outdir = DIST_DIR) {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  for (const name of PORTAL_STATIC) {
    fs.cpSync(path.join(PORTAL_DIR, name), path.join(outdir, name), { recursive: true });
  }
  const metafile = await bundle(
    PORTAL_ENTRIES.map((name) => path.join(PORTAL_DIR, name)),
    outdir,
  );
  fs.copyFileSync(packageWasmPath(), path.join(outdir, 'medseal_core.wasm'));
  return metafile;
}

if (process.argv[1] && pathToFileURL(fs.realpathSync(process.argv[1])).href === import.meta.url) {
  try {
    await buildApp();
  } catch (err) {
    // esbuild has printed its errors already.
    if (!err?.errors) console.error(err);
    console.error(
      'build: failed (the medseal package comes from wasm/package/dist: scripts/build-wasm.sh builds it)',
    );
    process.exit(1);
  }
  console.log(`build: ${path.relative(process.cwd(), DIST_DIR)} ready`);
}

// SPDX-License-Identifier: Apache-2.0
// Runs bench/js/suite.mjs in Debian's headless Chromium (playwright-core,
// /usr/bin/chromium), served from 127.0.0.1 by Node's http module, and
// measures in fresh page loads how long each library takes to be ready
// (medseal: `await init()`, libsodium-wrappers: `await sodium.ready`) and how
// many bytes a page downloads for it (gzip -9 of each file).
//
//   node bench/js/browser.mjs [--reps N] [--sample-ms MS] [--ready-reps N]
//                             [--only ID,ID] [--out FILE] [--medseal PACKAGE_DIR]
//
// Writes build/bench/browser.json unless --out says otherwise. --medseal
// measures another build of the package (default wasm/package).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { chromium } from 'playwright-core';

import {
  argon2KnownAnswer,
  benchDir,
  intervalText,
  loadSynthea,
  machineInfo,
  medsealEntry,
  packageDir,
  parseArgs,
  printTable,
  repoRoot,
  writeJson,
} from './report.mjs';
import { AGE_MEMORY_LIMIT } from './age.mjs';
import { READY_TARGET, judge, median, pairedRatio, pairedRatioInterval } from './suite.mjs';

const CHROMIUM = process.env.MEDSEAL_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // globalThis.gc for the suite: a collection before each sample (suite.mjs).
  '--js-flags=--expose-gc',
  // performance.memory unquantised: the JS heap of the constant-memory
  // measurement (bench/js/age.mjs).
  '--enable-precise-memory-info',
  // Chromium builds its omnibox-popup WebUI (chrome://omnibox-popup.top-chrome:
  // 50-130 module scripts loaded in a renderer of its own) for new tabs, even
  // headless, and preloads it: on two cores that competed with every page
  // being measured. It is browser UI, not part of any page; all four features
  // are needed to stop it (checked in traces: no request from another process).
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];

const opts = parseArgs(process.argv.slice(2), {
  reps: 9,
  sampleMs: 100,
  readyReps: 15,
  only: null,
  quick: false,
  memoryBytes: null,
  out: path.join(repoRoot, 'build', 'bench', 'browser.json'),
  medseal: packageDir,
});
if (opts.help) {
  console.log(
    'usage: node bench/js/browser.mjs [--reps N] [--sample-ms MS] [--ready-reps N] [--only ID,ID] [--quick] [--memory-bytes N] [--out FILE] [--medseal PACKAGE_DIR]',
  );
  process.exit(0);
}
const log = (m) => process.stderr.write(`browser: ${m}\n`);
const DONE = '__medseal_bench_done';

// ---------------------------------------------------------------------------
// Static server: only these roots, only 127.0.0.1, nothing cached.
const nodeModules = path.join(benchDir, 'node_modules');
const medsealDir = opts.medseal;
const pkgUrl = (file) => '/pkg/' + path.relative(medsealDir, file).split(path.sep).join('/');
const medsealUrl = pkgUrl(medsealEntry(medsealDir));
// medseal/testing (the raw AEAD rows), absent from builds older than it.
const testingEntry = medsealEntry(medsealDir, './testing');
const sodiumPkg = (name) => {
  const dir = path.join(nodeModules, name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const entry = pkg.exports?.['.']?.import?.default ?? pkg.module;
  return { version: pkg.version, url: `/nm/${name}/${entry.replace(/^\.\//, '')}` };
};
const libsodium = sodiumPkg('libsodium');
const wrappers = sodiumPkg('libsodium-wrappers');
// The Argon2id rows' peers: libsodium-wrappers-sumo (crypto_pwhash) and
// argon2-browser's two .wasm builds (fetched by the page, instantiated by
// bench/js/argon2.mjs).
const libsodiumSumo = sodiumPkg('libsodium-sumo');
const wrappersSumo = sodiumPkg('libsodium-wrappers-sumo');
const argon2BrowserVersion = JSON.parse(
  fs.readFileSync(path.join(nodeModules, 'argon2-browser', 'package.json'), 'utf8'),
).version;
// typage (age-encryption) and its dependencies, as ES modules from
// node_modules: the import map sends its bare specifiers there.
const ageVersion = JSON.parse(
  fs.readFileSync(path.join(nodeModules, 'age-encryption', 'package.json'), 'utf8'),
).version;
const cedarVersion = JSON.parse(
  fs.readFileSync(path.join(nodeModules, '@cedar-policy', 'cedar-wasm', 'package.json'), 'utf8'),
).version;
function nestedNoble() {
  const dir = path.join(nodeModules, 'age-encryption', 'node_modules', '@noble');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
const nobleVersion = JSON.parse(
  fs.readFileSync(path.join(nodeModules, '@noble', 'post-quantum', 'package.json'), 'utf8'),
).version;
const importMap = JSON.stringify({
  imports: {
    medseal: medsealUrl,
    ...(testingEntry === null ? {} : { 'medseal/testing': pkgUrl(testingEntry) }),
    'libsodium-wrappers': wrappers.url,
    libsodium: libsodium.url,
    'libsodium-wrappers-sumo': wrappersSumo.url,
    'libsodium-sumo': libsodiumSumo.url,
    // Cedar's browser build (wasm-bindgen "web" target: init() fetches
    // cedar_wasm_bg.wasm next to it).
    '@cedar-policy/cedar-wasm/web': '/nm/@cedar-policy/cedar-wasm/web/cedar_wasm.js',
    'age-encryption': '/nm/age-encryption/dist/index.js',
    '@scure/base': '/nm/@scure/base/index.js',
    ...Object.fromEntries(
      ['ciphers', 'curves', 'hashes', 'post-quantum'].map((p) => [
        `@noble/${p}/`,
        `/nm/@noble/${p}/`,
      ]),
    ),
  },
  // typage pins an older @noble/post-quantum (and its @noble/curves and
  // hashes), which npm nests under age-encryption/node_modules: its modules
  // get those copies, the benchmark's own rows the top-level ones.
  scopes: {
    '/nm/age-encryption/': Object.fromEntries(
      nestedNoble().map((p) => [`@noble/${p}/`, `/nm/age-encryption/node_modules/@noble/${p}/`]),
    ),
  },
});

const READY_MEDSEAL = `const m = await import('medseal'); await m.init();`;
const READY_SODIUM = `const s = (await import('libsodium-wrappers')).default; await s.ready;`;
const pages = {
  '/bench.html': `<!doctype html><meta charset="utf-8"><title>medseal bench</title>
<script type="importmap">${importMap}</script>
<script type="module">
import * as medseal from 'medseal';
import sodium from 'libsodium-wrappers';
import initCedar, * as cedar from '@cedar-policy/cedar-wasm/web';
import * as age from 'age-encryption';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import sumo from 'libsodium-wrappers-sumo';
import { loadArgon2Browser } from '/js/argon2.mjs';
import { runSuite } from '/js/suite.mjs';
try {
  await medseal.init();
  const testing = ${testingEntry === null ? 'null' : "await import('medseal/testing')"};
  await testing?.init();
  await sodium.ready;
  await initCedar();
  await sumo.ready;
  const wasmOf = async (f) => new Uint8Array(await (await fetch('/nm/argon2-browser/dist/' + f)).arrayBuffer());
  const argon2Browser = {
    plain: await loadArgon2Browser(await wasmOf('argon2.wasm')),
    simd: await loadArgon2Browser(await wasmOf('argon2-simd.wasm')),
  };
  const argon2KnownAnswer = await (await fetch('/argon2-known-answer.json')).json();
  const workload = await (await fetch('/data/consent-workload.json')).json();
  const synthea = async () => {
    const r = await fetch('/synthea-1k.json');
    if (!r.ok) throw new Error('/synthea-1k.json: ' + (await r.text()));
    return r.json();
  };
  window.runBench = (o) => runSuite({ medseal, testing, sodium, subtle: crypto.subtle, cedar, workload, synthea, age, noble: { ml_kem768, ml_kem768_x25519 }, sumo, argon2Browser, argon2KnownAnswer, log: (m) => console.log(m), ...o });
  window.__loaded = true;
} catch (e) { window.__error = String(e && e.stack || e); }
</script>`,
  // The constant-memory measurement, in a page of its own: medseal's wasm
  // memory as loaded, before any other row grew it.
  '/memory.html': `<!doctype html><meta charset="utf-8"><title>medseal memory</title>
<script type="importmap">${importMap}</script>
<script type="module">
import * as medseal from 'medseal';
import * as age from 'age-encryption';
import { measureAgeMemory } from '/js/age.mjs';
try {
  await medseal.init();
  window.runMemory = (bytes) => measureAgeMemory({ medseal, age, bytes, log: (m) => console.log(m) });
  window.__loaded = true;
} catch (e) { window.__error = String(e && e.stack || e); }
</script>`,
  // Ready pages: from the start of the page's module script (dynamic import
  // of the library) until it can be used.
  '/ready-medseal.html': readyPage(READY_MEDSEAL),
  '/ready-sodium.html': readyPage(READY_SODIUM),
};
// The same pages as a deployment would write them, with preload hints for
// every file the plain page fetched (recorded in `downloads` by its first
// load), so that no fetch waits for a script (information only; timed from
// navigation start, since the hinted fetches begin before the module script
// runs).
const downloads = {};
const hintedPage = (lib) =>
  readyPage(
    lib === 'medseal' ? READY_MEDSEAL : READY_SODIUM,
    downloads[lib].map((p) =>
      p.endsWith('.wasm')
        ? `<link rel="preload" href="${p}" as="fetch" crossorigin>`
        : `<link rel="modulepreload" href="${p}">`,
    ),
  );

function readyPage(body, hints = []) {
  return `<!doctype html><meta charset="utf-8"><title>ready</title>
<script type="importmap">${importMap}</script>
${hints.join('\n')}
<script type="module">
const t0 = performance.now();
try {
  ${body}
  const t1 = performance.now();
  // Where the time went: each file's fetch (start, end) relative to t0.
  const files = performance.getEntriesByType('resource').filter((e) => !e.name.endsWith('/favicon.ico')).map((e) => ({
    file: new URL(e.name).pathname.split('/').pop(),
    start: e.startTime - t0, end: e.responseEnd - t0,
  }));
  window.__ready = { ms: t1 - t0, sinceNavigationStart: t1, files };
} catch (e) { window.__error = String(e && e.stack || e); }
console.log('__medseal_bench_done');
</script>`;
}

const roots = {
  '/pkg/': medsealDir,
  '/nm/': nodeModules,
  '/js/': benchDir,
  '/data/': path.join(benchDir, '..', 'data'),
};
const types = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

function resolveFile(urlPath) {
  for (const [prefix, dir] of Object.entries(roots)) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.resolve(dir, '.' + decodeURIComponent(urlPath.slice(prefix.length - 1)));
    if (!file.startsWith(dir + path.sep)) return null;
    if (prefix === '/js/' && !/^[a-z][a-z0-9]*\.mjs$/.test(path.basename(file))) return null; // only suite.mjs & co
    return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
  }
  return null;
}

const server = http.createServer((req, res) => {
  const urlPath = new URL(req.url, 'http://127.0.0.1').pathname;
  const headers = { 'Cache-Control': 'no-store' };
  if (urlPath === '/favicon.ico') {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  if (urlPath === '/synthea-1k.json') {
    // Built on request (loadSynthea: the first 1,000 entries of the
    // repository's Synthea bundles), so that the page reads what Node reads.
    let text;
    try {
      text = loadSynthea().text;
    } catch (e) {
      res.writeHead(500, headers);
      res.end(String(e.message));
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
    res.end(text);
    return;
  }
  if (urlPath === '/argon2-known-answer.json') {
    // One entry of the repository's libsodium Argon2id answers (the file the
    // native and package tests read), for the page's check of medseal.
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(argon2KnownAnswer()));
    return;
  }
  const hintedLib = /^\/ready-(medseal|sodium)-hinted\.html$/.exec(urlPath)?.[1];
  if (pages[urlPath] || downloads[hintedLib]) {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(pages[urlPath] ?? hintedPage(hintedLib));
    return;
  }
  const file = resolveFile(urlPath);
  if (!file || req.method !== 'GET') {
    res.writeHead(404, headers);
    res.end('not found');
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
  });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------
const loadBefore = machineInfo().loadavg;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-bench-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });

  // doneExpr: a page expression polled until true; or null for pages that
  // signal the end with console.log('__medseal_bench_done'). The ready pages
  // use the latter: waitForFunction injects and runs Playwright's helper
  // script in the page (~10-20 ms of main-thread work on this class of
  // machine) while the library is still loading, which delayed both
  // libraries' ready times by a varying amount.
  async function openPage(url, doneExpr) {
    const page = await context.newPage();
    const errors = [];
    const requests = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.text() !== DONE) log(`page: ${m.text()}`);
    });
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const done =
      doneExpr === null
        ? page.waitForEvent('console', { predicate: (m) => m.text() === DONE, timeout: 120000 })
        : null;
    await page.goto(origin + url);
    if (done) await done;
    else await page.waitForFunction(doneExpr, null, { timeout: 120000 });
    const error = await page.evaluate(() => window.__error);
    if (error || errors.length) throw new Error(`${url}: ${error ?? errors.join('\n')}`);
    return { page, requests };
  }

  // 1. Ready time, fresh page loads (no-store: nothing comes from a cache),
  //    interleaved medseal, sodium, sodium, medseal, ... (the order reversed
  //    every other repetition) after one warm-up load of each (the first
  //    page of a browser process pays for its start). The ratio is the median
  //    of the per-repetition ratios, as in suite.mjs.
  const ready = { medseal: [], sodium: [] };
  const fromNavigation = { medseal: [], sodium: [] };
  const hinted = { medseal: [], sodium: [] };
  const waterfalls = { medseal: [], sodium: [] };
  for (let r = -1; r < opts.readyReps; r++) {
    const order = r % 2 === 0 ? ['medseal', 'sodium'] : ['sodium', 'medseal'];
    for (const lib of order) {
      const { page, requests } = await openPage(`/ready-${lib}.html`, null);
      const v = await page.evaluate(() => window.__ready);
      await page.close();
      if (r >= 0) {
        ready[lib].push(v.ms);
        fromNavigation[lib].push(v.sinceNavigationStart);
        waterfalls[lib].push(v.files);
      }
      downloads[lib] = requests.filter((p) => !p.endsWith('.html'));
    }
    for (const lib of order) {
      const { page, requests } = await openPage(`/ready-${lib}-hinted.html`, null);
      const v = await page.evaluate(() => window.__ready);
      await page.close();
      const fetched = requests
        .filter((p) => !p.endsWith('.html'))
        .sort()
        .join(' ');
      if (fetched !== [...downloads[lib]].sort().join(' ')) {
        throw new Error(
          `${lib}: the hinted page fetched ${fetched}, the plain one ${downloads[lib].join(' ')}`,
        );
      }
      if (r >= 0) hinted[lib].push(v.sinceNavigationStart);
    }
  }
  const sizeOf = (paths) => {
    const files = paths.map((p) => {
      const file = resolveFile(p);
      if (!file) throw new Error(`cannot map ${p} to a file`);
      const data = fs.readFileSync(file);
      return { url: p, bytes: data.length, gzip9: zlib.gzipSync(data, { level: 9 }).length };
    });
    return {
      files,
      bytes: files.reduce((a, f) => a + f.bytes, 0),
      gzip9: files.reduce((a, f) => a + f.gzip9, 0),
    };
  };
  const size = { medseal: sizeOf(downloads.medseal), sodium: sizeOf(downloads.sodium) };
  // Median fetch start/end of each file, ms after the ready clock started.
  const waterfall = {};
  for (const lib of ['medseal', 'sodium']) {
    const names = [...new Set(waterfalls[lib].flat().map((f) => f.file))];
    waterfall[lib] = names.map((file) => {
      const hits = waterfalls[lib].map((w) => w.find((f) => f.file === file)).filter(Boolean);
      return { file, start: median(hits.map((h) => h.start)), end: median(hits.map((h) => h.end)) };
    });
  }
  const readyMs = { medseal: median(ready.medseal), sodium: median(ready.sodium) };
  const navMs = { medseal: median(fromNavigation.medseal), sodium: median(fromNavigation.sodium) };
  const hintedMs = { medseal: median(hinted.medseal), sodium: median(hinted.sodium) };

  // 2. Constant memory (issue #12): a generated file through medseal's
  //    encryptStream and decryptStream in a fresh page (1 GiB; 64 MiB with
  //    --quick), its wasm memory sampled at every chunk in the page, and the
  //    renderer's JS heap also polled from here over CDP
  //    (Runtime.getHeapUsage, every 250 ms: a second view that needs no
  //    page flag).
  let memory = null;
  if (!opts.only || opts.only.includes('age-memory')) {
    const bytes = opts.memoryBytes ?? (opts.quick ? 64 * 1024 * 1024 : 1024 * 1024 * 1024);
    log(`constant memory: ${bytes} bytes through encryptStream -> decryptStream`);
    const { page } = await openPage('/memory.html', '!!(window.__loaded || window.__error)');
    const cdp = await context.newCDPSession(page);
    const usage = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const cdpBefore = await usage();
    let cdpMax = cdpBefore,
      cdpPolls = 0,
      polling = true;
    const poller = (async () => {
      while (polling) {
        await new Promise((r) => setTimeout(r, 250));
        if (!polling) break;
        const u = await usage();
        cdpPolls++;
        if (u > cdpMax) cdpMax = u;
      }
    })();
    try {
      memory = await page.evaluate((n) => window.runMemory(n), bytes);
    } finally {
      polling = false;
      await poller;
    }
    if (memory.status !== 'MISSING') {
      memory.cdpJsHeapBytes = {
        source: 'CDP Runtime.getHeapUsage, polled every 250 ms (garbage included until collected)',
        before: cdpBefore,
        max: cdpMax,
        after: await usage(),
        polls: cdpPolls,
      };
    }
    await cdp.detach();
    await page.close();
  }

  // 3. The suite, in one page.
  log('running the suite');
  const { page } = await openPage('/bench.html', '!!(window.__loaded || window.__error)');
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const results = await page.evaluate((o) => window.runBench(o), {
    reps: opts.reps,
    sampleMs: opts.sampleMs,
    only: opts.only,
    quick: opts.quick,
  });
  await page.close();

  let browserVersion = 'unknown';
  try {
    browserVersion =
      /([\d.]+)/.exec(
        execFileSync(CHROMIUM, ['--version'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      )?.[1] ?? browserVersion;
  } catch {
    // keep 'unknown'
  }
  const machine = { ...machineInfo(), loadavgBefore: loadBefore };
  const readyRatio = pairedRatio(ready.medseal, ready.sodium);
  const readyInterval = pairedRatioInterval(ready.medseal, ready.sodium);
  const readyVerdict = judge(readyRatio, readyInterval, READY_TARGET, false);
  const sizeRatio = size.medseal.gzip9 / size.sodium.gzip9;
  const out = {
    environment: 'chromium',
    runtime: `Chromium ${browserVersion} (headless)`,
    userAgent,
    chromiumArgs: CHROMIUM_ARGS,
    machine,
    ...results,
    libraries: {
      ...results.libraries,
      medseal: path.relative(repoRoot, medsealEntry(medsealDir)) || medsealEntry(medsealDir),
      libsodium: libsodium.version,
      libsodiumWrappers: wrappers.version,
      cedar: cedarVersion,
      ageEncryption: ageVersion,
      noblePostQuantum: nobleVersion,
      libsodiumWrappersSumo: wrappersSumo.version,
      libsodiumSumo: libsodiumSumo.version,
      argon2Browser: argon2BrowserVersion,
    },
    ...(memory ? { memory } : {}),
    ready: {
      reps: opts.readyReps,
      statistic: 'median',
      medsealMs: readyMs.medseal,
      sodiumMs: readyMs.sodium,
      ratio: readyRatio,
      ratioInterval: readyInterval,
      ratioOfMedians: readyMs.medseal / readyMs.sodium,
      target: READY_TARGET,
      ...readyVerdict,
      samples: ready,
      waterfall,
      // Information only: the same pages timed from navigation start, and
      // pages with preload hints for every file (also from navigation start).
      fromNavigationStart: {
        medsealMs: navMs.medseal,
        sodiumMs: navMs.sodium,
        ratio: pairedRatio(fromNavigation.medseal, fromNavigation.sodium),
        samples: fromNavigation,
      },
      withPreloadHints: {
        medsealMs: hintedMs.medseal,
        sodiumMs: hintedMs.sodium,
        ratio: pairedRatio(hinted.medseal, hinted.sodium),
        samples: hinted,
      },
    },
    size: { ...size, ratio: sizeRatio, target: '< 1', status: sizeRatio < 1 ? 'PASS' : 'MISS' },
  };

  printTable(out.runtime, out, { targetsApply: true });
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  console.log(`\nmodule download (gzip -9, what the ready page fetched):`);
  for (const lib of ['medseal', 'sodium']) {
    console.log(
      `  ${lib === 'medseal' ? 'medseal           ' : 'libsodium-wrappers'} ${kb(size[lib].gzip9).padStart(9)} gz (${kb(size[lib].bytes)} raw): ${size[lib].files.map((f) => path.basename(f.url)).join(', ')}`,
    );
  }
  console.log(`  ratio ${sizeRatio.toFixed(2)} (target < 1): ${out.size.status}`);
  console.log(
    `module ready in a fresh page (median of ${opts.readyReps}): medseal ${readyMs.medseal.toFixed(1)} ms, libsodium-wrappers ${readyMs.sodium.toFixed(1)} ms`,
  );
  console.log(
    `  ratio ${readyRatio.toFixed(2)}, 95% CI ${intervalText(readyInterval)} (median of per-repetition ratios; target <= ${READY_TARGET}): ${out.ready.status}${readyVerdict.clear ? '' : ' (within the noise: the CI straddles the target)'}`,
  );
  for (const lib of ['medseal', 'sodium']) {
    const w = waterfall[lib]
      .map((f) => `${f.file} ${f.start.toFixed(1)}-${f.end.toFixed(1)}`)
      .join(', ');
    console.log(`  ${lib} fetches (ms after start, medians): ${w}`);
  }
  const info = (label, v, ratio) =>
    console.log(
      `  (info) ${label}: medseal ${v.medseal.toFixed(1)} ms, libsodium-wrappers ${v.sodium.toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
    );
  info('the same pages, from navigation start', navMs, out.ready.fromNavigationStart.ratio);
  info(
    'pages with preload hints for every file, from navigation start',
    hintedMs,
    out.ready.withPreloadHints.ratio,
  );
  if (memory?.status === 'MISSING') {
    console.log(
      `constant memory: not measured, this medseal package has no ${memory.missing.join(', ')}`,
    );
  } else if (memory) {
    const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
    const h = memory.jsHeapBytes;
    console.log(
      `constant memory: ${mib(memory.bytes)} through encryptStream -> decryptStream in ${memory.seconds.toFixed(1)} s (${memory.mbPerSecond.toFixed(0)} MB/s): wasm memory ${mib(memory.wasmMemoryBytes.initial)} at the start, max ${mib(memory.wasmMemoryBytes.max)} (limit ${mib(AGE_MEMORY_LIMIT)}): ${memory.status}`,
    );
    console.log(
      `  JS heap (garbage included until collected): ${h ? `performance.memory ${mib(h.before)} before, max ${mib(h.max)}, ${mib(h.after)} after, ${h.afterGc === null ? '?' : mib(h.afterGc)} after a collection; ` : ''}CDP ${mib(memory.cdpJsHeapBytes.before)} before, max ${mib(memory.cdpJsHeapBytes.max)} (${memory.cdpJsHeapBytes.polls} polls), ${mib(memory.cdpJsHeapBytes.after)} after`,
    );
  }
  console.log(`load average before: ${loadBefore.join(' ')}; after: ${machine.loadavg.join(' ')}`);
  writeJson(opts.out, out);
} finally {
  await context?.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

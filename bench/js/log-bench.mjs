// SPDX-License-Identifier: Apache-2.0
// Runs the log rows (bench/js/log.mjs) in Node and in Debian's headless
// Chromium (playwright-core, /usr/bin/chromium, a page served from
// 127.0.0.1 that imports the package and log.mjs), on the proof workload
// written by medseal_log_bench --write-proofs.
//
//   node bench/js/log-bench.mjs --proofs FILE [--reps N] [--sample-ms MS]
//                               [--out-dir DIR] [--medseal PACKAGE_DIR]
//
// Writes DIR/log-node.json and DIR/log-browser.json (default build/bench).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import {
  benchDir,
  machineInfo,
  medsealEntry,
  packageDir,
  parseArgs,
  repoRoot,
  writeJson,
} from './report.mjs';
import { runHistoryRow, runLogSuite } from './log.mjs';

// --proofs and --out-dir are this runner's; the rest as report.mjs parses them.
const own = { proofs: null, outDir: path.join(repoRoot, 'build', 'bench') };
const rest = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if ((a === '--proofs' || a === '--out-dir') && i + 1 < process.argv.length)
    own[a === '--proofs' ? 'proofs' : 'outDir'] = path.resolve(process.argv[++i]);
  else rest.push(a);
}
const opts = { ...parseArgs(rest, { reps: 9, sampleMs: 100, medseal: packageDir }), ...own };
if (opts.help || !opts.proofs) {
  console.log(
    'usage: node bench/js/log-bench.mjs --proofs FILE [--reps N] [--sample-ms MS] [--out-dir DIR] [--medseal PACKAGE_DIR]',
  );
  process.exit(opts.help ? 0 : 2);
}
const log = (m) => process.stderr.write(`log-bench: ${m}\n`);
const proofsText = fs.readFileSync(opts.proofs, 'utf8');
const proofs = JSON.parse(proofsText);
// The history files medseal_log_bench --write-history put beside the proofs.
const historyDir = path.dirname(opts.proofs);
const historyText = fs.readFileSync(path.join(historyDir, 'log-history.json'), 'utf8');
const history = JSON.parse(historyText);
const bundle = new Uint8Array(fs.readFileSync(path.join(historyDir, 'log-history.bundle')));
const entry = medsealEntry(opts.medseal);

// Node
{
  const loadBefore = machineInfo().loadavg;
  const medseal = await import(pathToFileURL(entry).href);
  await medseal.init();
  const results = runLogSuite({
    medseal,
    proofs,
    reps: opts.reps,
    sampleMs: opts.sampleMs,
    log: (m) => log(`node: ${m}`),
  });
  results.rows.push(runHistoryRow({ medseal, history, bundle, log: (m) => log(`node: ${m}`) }));
  writeJson(path.join(opts.outDir, 'log-node.json'), {
    environment: 'node',
    runtime: `Node ${process.version}`,
    machine: { ...machineInfo(), loadavgBefore: loadBefore },
    ...results,
  });
}

// Chromium
const CHROMIUM = process.env.MEDSEAL_CHROMIUM || '/usr/bin/chromium';
const pkgPath = '/pkg/' + path.relative(opts.medseal, entry).split(path.sep).join('/');
const page = `<!doctype html><meta charset="utf-8"><title>medseal log bench</title>
<script type="importmap">${JSON.stringify({ imports: { medseal: pkgPath } })}</script>
<script type="module">
import * as medseal from 'medseal';
import { runHistoryRow, runLogSuite } from '/js/log.mjs';
try {
  await medseal.init();
  const proofs = await (await fetch('/proofs.json')).json();
  const result = runLogSuite({ medseal, proofs, reps: ${Number(opts.reps)}, sampleMs: ${Number(opts.sampleMs)}, log: (m) => console.log(m) });
  const history = await (await fetch('/history.json')).json();
  const bundle = new Uint8Array(await (await fetch('/history.bundle')).arrayBuffer());
  result.rows.push(runHistoryRow({ medseal, history, bundle, log: (m) => console.log(m) }));
  window.__result = result;
} catch (e) { window.__error = String((e && e.stack) || e); }
</script>`;
const server = http.createServer((req, res) => {
  const p = new URL(req.url, 'http://127.0.0.1').pathname;
  const headers = { 'Cache-Control': 'no-store' };
  const file =
    p === '/js/log.mjs'
      ? path.join(benchDir, 'log.mjs')
      : p.startsWith('/pkg/') && !p.includes('..')
        ? path.join(opts.medseal, decodeURIComponent(p.slice(5)))
        : null;
  if (p === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }
  if (p === '/history.json') {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
    return res.end(historyText);
  }
  if (p === '/history.bundle') {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream' });
    return res.end(bundle);
  }
  if (p === '/proofs.json') {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
    return res.end(proofsText);
  }
  if (file && fs.existsSync(file) && fs.statSync(file).isFile()) {
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    res.writeHead(200, { ...headers, 'Content-Type': type });
    return fs.createReadStream(file).pipe(res);
  }
  res.writeHead(404, headers);
  res.end('not found');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-log-bench-'));
let context;
try {
  const loadBefore = machineInfo().loadavg;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const tab = await context.newPage();
  tab.on('console', (m) => log(`chromium: ${m.text()}`));
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.__result || window.__error, null, { timeout: 600000 });
  const error = await tab.evaluate(() => window.__error);
  if (error) throw new Error(`chromium: ${error}`);
  const results = await tab.evaluate(() => window.__result);
  writeJson(path.join(opts.outDir, 'log-browser.json'), {
    environment: 'browser',
    runtime: `Chromium ${context.browser()?.version() ?? ''}`.trim(),
    machine: { ...machineInfo(), loadavgBefore: loadBefore },
    ...results,
  });
} finally {
  await context?.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

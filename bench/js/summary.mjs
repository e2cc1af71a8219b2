// Side-by-side summary of build/bench/{native,node,browser}.json as a
// Markdown table (the one docs/performance.md records).
//
//   node bench/js/summary.mjs [DIR]     (default: build/bench)
import fs from 'node:fs';
import path from 'node:path';

import { repoRoot } from './report.mjs';
import { IMPL_MEDSEAL, IMPL_SODIUM, IMPL_WEBCRYPTO } from './suite.mjs';

const dir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'build', 'bench'));
const read = (name) => {
  const file = path.join(dir, `${name}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
};
const native = read('native'), node = read('node'), browser = read('browser');
if (!native && !node && !browser) {
  console.error(`summary: no results in ${dir}`);
  process.exit(1);
}

const fmt = (x) => (x === undefined || x === null ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const cell = (env, id, impl) => fmt(env?.rows.find((r) => r.id === id)?.results[impl]?.median);
const ratio = (env, id) => {
  const r = env?.rows.find((x) => x.id === id);
  return r ? r.ratio.toFixed(2) : '–';
};
const ids = (browser ?? node ?? native).rows.map((r) => [r.id, r.label, r.unit]);

console.log(`\n## Summary (${dir})\n`);
const envs = [
  native && `native: ${native.build?.type ?? ''} ${native.build?.compiler ?? ''}, libsodium ${native.build?.libsodium ?? ''}, load ${native.machine?.loadavgBefore ?? ''}`,
  node && `node: ${node.runtime}, load ${node.machine?.loadavgBefore?.join(' ')}`,
  browser && `chromium: ${browser.runtime}, load ${browser.machine?.loadavgBefore?.join(' ')}`,
].filter(Boolean);
for (const e of envs) console.log(`- ${e}`);
console.log('');
console.log('| row | unit | native medseal | native libsodium | Node medseal | Node libsodium-wrappers | Node AES-GCM | Chromium medseal | Chromium libsodium-wrappers | Chromium AES-GCM | ratio native | ratio Node | ratio Chromium | target (Chromium) |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [id, label, unit] of ids) {
  const b = browser?.rows.find((r) => r.id === id);
  const verdict = !b ? '–' : b.target === null ? 'info' : `≥ ${b.target}: **${b.status}**`;
  console.log(`| ${label} | ${unit} | ${cell(native, id, 'medseal')} | ${cell(native, id, 'libsodium')} | ` +
    `${cell(node, id, IMPL_MEDSEAL)} | ${cell(node, id, IMPL_SODIUM)} | ${cell(node, id, IMPL_WEBCRYPTO)} | ` +
    `${cell(browser, id, IMPL_MEDSEAL)} | ${cell(browser, id, IMPL_SODIUM)} | ${cell(browser, id, IMPL_WEBCRYPTO)} | ` +
    `${ratio(native, id)} | ${ratio(node, id)} | ${ratio(browser, id)} | ${verdict} |`);
}
if (browser?.size) {
  const s = browser.size;
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  console.log(`| module download, gzip -9 | KB | | | | | | ${kb(s.medseal.gzip9)} | ${kb(s.sodium.gzip9)} | | | | ${s.ratio.toFixed(2)} | < 1: **${s.status}** |`);
}
if (browser?.ready) {
  const r = browser.ready;
  console.log(`| module ready in a fresh page (median of ${r.reps}) | ms | | | | | | ${r.medsealMs.toFixed(1)} | ${r.sodiumMs.toFixed(1)} | | | | ${r.ratio.toFixed(2)} | ≤ ${r.target}: **${r.status}** |`);
}
console.log('\nratio = medseal / libsodium(-wrappers), higher is better for throughput rows; for download and ready time lower is better.');

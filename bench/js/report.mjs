// SPDX-License-Identifier: Apache-2.0
// Node-side helpers shared by node.mjs, browser.mjs and summary.mjs: argument
// parsing, where things are, table printing, JSON output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { IMPL_MEDSEAL, IMPL_SODIUM, IMPL_SODIUM_GRV, IMPL_WEBCRYPTO } from './suite.mjs';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(benchDir, '..', '..');
export const packageDir = path.join(repoRoot, 'wasm', 'package');

export function parseArgs(argv, defaults) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--reps') opts.reps = Number(next());
    else if (a === '--sample-ms') opts.sampleMs = Number(next());
    else if (a === '--ready-reps') opts.readyReps = Number(next());
    else if (a === '--only') opts.only = next().split(',');
    else if (a === '--out') opts.out = path.resolve(next());
    else if (a === '--medseal') opts.medseal = path.resolve(next());
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(opts.reps >= 1) || !(opts.sampleMs > 0)) throw new Error('bad --reps or --sample-ms');
  return opts;
}

// The medseal package's ES entry point (from its package.json), as a path.
// `dir`: another build of the package to measure (--medseal DIR), e.g. a
// candidate binding change; default wasm/package. `subpath`: '.' (the
// production entry point) or './testing' (medseal/testing: DeterministicRng
// and the raw AEAD); null for './testing' in a build that has none (one
// from before the subpath, whose main entry point still had the AEAD).
export function medsealEntry(dir = packageDir, subpath = '.') {
  const pkgJson = path.join(dir, 'package.json');
  let rel = subpath === '.' ? 'dist/index.js' : null;
  if (fs.existsSync(pkgJson)) {
    const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
    const exported = subpath === '.' ? (pkg.exports?.['.'] ?? pkg.exports) : pkg.exports?.[subpath];
    const pick = (e) =>
      typeof e === 'string' ? e : e && (pick(e.import) ?? pick(e.browser) ?? pick(e.default));
    rel = pick(exported) ?? (subpath === '.' ? (pkg.module ?? pkg.main ?? rel) : null);
  }
  if (rel === null) return null;
  const entry = path.join(dir, rel);
  if (!fs.existsSync(entry)) {
    throw new Error(
      `${path.relative(repoRoot, entry)} is missing: build the package first (bash scripts/build-wasm.sh)`,
    );
  }
  return entry;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    kernel: os.release(),
    node: process.version,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

export function writeJson(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
}

// "lo-hi" of a ratio's confidence interval, with its coverage when that is
// below 95 % (too few repetitions).
export function intervalText(iv) {
  if (!iv) return '-';
  const cov = iv.coverage < 0.95 ? ` (${Math.round(iv.coverage * 100)}%)` : '';
  return `${iv.lo.toFixed(2)}-${iv.hi.toFixed(2)}${cov}`;
}

const fmt = (x) => (x === undefined || x === null ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

function pad(cells, widths) {
  return cells
    .map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
    .join('  ');
}

// Prints one environment's rows with ratios. `targetsApply`: whether the
// issue's targets are judged in this environment (Chromium) or only shown.
export function printTable(title, results, { targetsApply }) {
  console.log(
    `\n${title}: ${results.method.reps} repetitions x ~${results.method.sampleMs} ms per sample, interleaved (order reversed every other repetition), medians; ratio = median of per-repetition ratios`,
  );
  const head = [
    'row',
    'unit',
    'medseal',
    'sodium-wr',
    'sw+grv',
    'aes-gcm',
    'ms/sw',
    '95% CI',
    'target',
    targetsApply ? 'result' : '(info)',
  ];
  const widths = [32, 6, 9, 9, 7, 9, 6, 11, 6, 6];
  console.log(pad(head, widths));
  for (const r of results.rows) {
    const g = (n) => r.results[n]?.median;
    console.log(
      pad(
        [
          r.label,
          r.unit,
          fmt(g(IMPL_MEDSEAL)),
          fmt(g(IMPL_SODIUM)),
          fmt(g(IMPL_SODIUM_GRV)),
          fmt(g(IMPL_WEBCRYPTO)),
          r.ratio.toFixed(2),
          intervalText(r.ratioInterval),
          r.target === null ? '-' : `>=${r.target}`,
          (targetsApply ? r.status : r.status.toLowerCase()) +
            (r.clear === false ? ' (noise)' : ''),
        ],
        widths,
      ),
    );
  }
  console.log(
    'sodium-wr = libsodium-wrappers; sw+grv = the same with crypto.getRandomValues (info only);',
  );
  console.log(
    'aes-gcm = WebCrypto AES-256-GCM; ms/sw = medseal / libsodium-wrappers, its 95% CI (order statistics;',
  );
  console.log(
    'the whole range when there are too few repetitions); "(noise)": the CI straddles the target',
  );
}

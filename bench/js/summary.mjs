// SPDX-License-Identifier: Apache-2.0
// Side-by-side summary of build/bench/{native,node,browser}.json as a
// Markdown table (the one docs/performance.md records).
//
//   node bench/js/summary.mjs [DIR]     (default: build/bench)
import fs from 'node:fs';
import path from 'node:path';

import {
  AGE_MEMORY_LIMIT,
  AGE_NATIVE_TARGETS,
  AGE_ROWS,
  IMPL_AGE_CLI,
  IMPL_MEDSEAL_CLI,
  IMPL_SECRETSTREAM,
  IMPL_TYPAGE,
  ageRowsFor,
} from './age.mjs';
import { ARGON2_PEERS, ARGON2_ROWS } from './argon2.mjs';
import { PQ_KEM_ROWS, PQ_ROWS } from './pq.mjs';
import { repoRoot } from './report.mjs';
import {
  CONSENT_ROWS,
  CONSENT_ROWS_BY_ENV,
  IMPL_CEDAR,
  IMPL_MEDSEAL,
  IMPL_SODIUM,
  IMPL_WEBCRYPTO,
  judge,
  pairedRatio,
  pairedRatioInterval,
} from './suite.mjs';

const dir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'build', 'bench'));
const read = (name) => {
  const file = path.join(dir, `${name}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
};
const native = read('native'),
  node = read('node'),
  browser = read('browser'),
  // bench/age-cli.sh: medseal's file mode vs the age CLI, whole processes.
  cli = read('age-cli');
if (!native && !node && !browser) {
  console.error(`summary: no results in ${dir}`);
  process.exit(1);
}

// A run that left a row out or measured nothing must not pass for a result:
// every environment present has the same rows, every row has medseal's
// result, every median, ratio (of a row with a baseline: libsodium(-wrappers)
// or Cedar) and ready time is a positive finite number, and the decision row
// was checked against the workload. Exits 1 with the list otherwise.
const problems = [];
const positive = (x) => typeof x === 'number' && Number.isFinite(x) && x > 0;
// The crypto rows are the same in every environment; the consent rows are
// each environment's CONSENT_ROWS_BY_ENV (of those --only named, when it
// named some).
const cryptoIds = (env) =>
  env.rows
    .map((r) => r.id)
    .filter(
      (id) =>
        !CONSENT_ROWS.includes(id) &&
        !AGE_ROWS.includes(id) &&
        !PQ_ROWS.includes(id) &&
        !ARGON2_ROWS.includes(id),
    )
    .join(' ');
// The Argon2id rows (bench/js/argon2.mjs): all of them in every environment
// (of those --only named).
const argon2Ids = (env) =>
  env.rows
    .map((r) => r.id)
    .filter((id) => ARGON2_ROWS.includes(id))
    .join(' ');
const expectedArgon2Ids = (env) =>
  ARGON2_ROWS.filter((id) => !env.method?.only || env.method.only.includes(id)).join(' ');
// The post-quantum rows (bench/js/pq.mjs): the same in every environment,
// the KEM rows always (of those --only named); the record rows where the
// package has hybrid records (checks.pqRecords.notMeasured says when not).
const pqIds = (env) =>
  env.rows
    .map((r) => r.id)
    .filter((id) => PQ_ROWS.includes(id))
    .join(' ');
// The age rows (bench/js/age.mjs): every environment measures all of them,
// but the 1 GiB ones only in a full run (not --quick; a run is quick when an
// environment says so), of those --only named.
const quick = [node, browser].some((env) => env?.method?.quick);
const ageIds = (env) =>
  env.rows
    .map((r) => r.id)
    .filter((id) => AGE_ROWS.includes(id))
    .join(' ');
const expectedAgeIds = (env) => {
  const only = env.method?.only;
  return ageRowsFor(quick)
    .filter((id) => !only || only.includes(id))
    .join(' ');
};
const consentIds = (env) =>
  env.rows
    .map((r) => r.id)
    .filter((id) => CONSENT_ROWS.includes(id))
    .join(' ');
const expectedConsentIds = (name, env) => {
  const only = env.method?.only;
  return CONSENT_ROWS_BY_ENV[name].filter((id) => !only || only.includes(id)).join(' ');
};
for (const [name, env] of [
  ['native', native],
  ['node', node],
  ['chromium', browser],
]) {
  if (!env) continue;
  if (!Array.isArray(env.rows) || env.rows.length === 0) {
    problems.push(`${name}: no rows`);
    continue;
  }
  const first = [native, node, browser].find(Boolean);
  if (cryptoIds(env) !== cryptoIds(first))
    problems.push(`${name}: rows ${cryptoIds(env)} differ from ${cryptoIds(first)}`);
  if (consentIds(env) !== expectedConsentIds(name, env)) {
    problems.push(
      `${name}: consent rows "${consentIds(env)}", expected "${expectedConsentIds(name, env)}"`,
    );
  }
  if (pqIds(env) !== pqIds(first))
    problems.push(`${name}: post-quantum rows "${pqIds(env)}" differ from "${pqIds(first)}"`);
  for (const id of PQ_KEM_ROWS) {
    const only = env.method?.only;
    if ((!only || only.includes(id)) && !env.rows.some((r) => r.id === id))
      problems.push(`${name}: no ${id} row`);
  }
  if (argon2Ids(env) !== expectedArgon2Ids(env)) {
    problems.push(
      `${name}: Argon2id rows "${argon2Ids(env)}", expected "${expectedArgon2Ids(env)}"`,
    );
  }
  if (argon2Ids(env) && name !== 'native' && !env.checks?.argon2?.argon2KnownAnswer) {
    problems.push(`${name}: medseal's Argon2id not checked against libsodium's known answer`);
  }
  if (ageIds(env) !== expectedAgeIds(env)) {
    problems.push(`${name}: age rows "${ageIds(env)}", expected "${expectedAgeIds(env)}"`);
  }
  if (name !== 'native' && ageIds(env) && !env.checks?.age?.medseal) {
    problems.push(`${name}: medseal's age files not cross-checked with typage`);
  }
  for (const r of env.rows) {
    // The age rows of Node and Chromium compare medseal with two baselines.
    if (AGE_ROWS.includes(r.id) && name !== 'native') {
      for (const b of [IMPL_TYPAGE, IMPL_SECRETSTREAM]) {
        const c = r.comparisons?.find((x) => x.baseline === b);
        if (!positive(c?.ratio)) problems.push(`${name} ${r.id}: no ratio to ${b}`);
      }
    }
    // The Argon2id rows of Node and Chromium compare medseal with three
    // peers (their keys cross-checked before timing).
    if (ARGON2_ROWS.includes(r.id) && name !== 'native') {
      for (const b of ARGON2_PEERS) {
        const c = r.comparisons?.find((x) => x.baseline === b);
        if (!positive(c?.ratio)) problems.push(`${name} ${r.id}: no ratio to ${b}`);
      }
      if (!env.checks?.argon2?.[r.id]) problems.push(`${name} ${r.id}: keys not cross-checked`);
    }
    // Native JSON from before the consent rows has no `baseline`: libsodium.
    const baseline = r.baseline === undefined ? 'libsodium' : r.baseline;
    if (!r.results?.[IMPL_MEDSEAL]) problems.push(`${name} ${r.id}: no medseal result`);
    if (baseline !== null) {
      if (!r.results?.[baseline]) problems.push(`${name} ${r.id}: no ${baseline} result`);
      if (!positive(r.ratio)) problems.push(`${name} ${r.id}: ratio ${r.ratio}`);
    }
    if (r.id === 'decide-50x5' && name !== 'native' && !(env.checks?.decide?.requests > 0)) {
      problems.push(`${name} ${r.id}: decisions not checked against the workload`);
    }
    for (const [impl, res] of Object.entries(r.results ?? {})) {
      if (!positive(res.median)) problems.push(`${name} ${r.id} ${impl}: median ${res.median}`);
    }
  }
}
// Labeling and Share give the same counts everywhere (the same Bundle, the
// same consents: labels and decisions do not depend on the environment).
for (const what of ['label', 'share']) {
  const seen = [
    ['native', native],
    ['node', node],
    ['chromium', browser],
  ].filter(([, env]) => env?.checks?.[what]);
  for (const [name, env] of seen.slice(1)) {
    const [firstName, firstEnv] = seen[0];
    if (JSON.stringify(env.checks[what]) !== JSON.stringify(firstEnv.checks[what])) {
      problems.push(
        `${what}: ${name} ${JSON.stringify(env.checks[what])} but ${firstName} ${JSON.stringify(firstEnv.checks[what])}`,
      );
    }
  }
}
if (
  browser &&
  !(
    positive(browser.ready?.medsealMs) &&
    positive(browser.ready?.sodiumMs) &&
    positive(browser.size?.ratio)
  )
) {
  problems.push('chromium: ready time or download size missing');
}
// The age CLI comparison (bench/age-cli.sh) belongs to a run whose native
// part measured the age rows: both processes' samples, positive.
if (native && ageIds(native) && !cli) {
  problems.push('native: no age CLI comparison (build/bench/age-cli.json, bench/age-cli.sh)');
}
for (const r of cli?.rows ?? []) {
  for (const impl of [IMPL_AGE_CLI, IMPL_MEDSEAL_CLI]) {
    const x = r.results?.[impl];
    if (!positive(x?.median) || !x.samples?.every(positive)) {
      problems.push(`age-cli ${r.id} ${impl}: median ${x?.median}`);
    }
  }
  if (
    r.results?.[IMPL_AGE_CLI]?.samples?.length !== r.results?.[IMPL_MEDSEAL_CLI]?.samples?.length
  ) {
    problems.push(`age-cli ${r.id}: unpaired samples`);
  }
}
// The constant-memory measurement (Chromium, whenever the run measured the
// age rows or named age-memory): present, and within its bound. A breach is
// a correctness failure, not a number to judge, so it fails even --quick.
// (A breach is printed after the tables: exit 1 then too.)
const memory = browser?.memory;
const breaches = [];
if (browser && (!browser.method?.only || browser.method.only.includes('age-memory'))) {
  if (!memory || memory.status === 'MISSING') {
    problems.push(
      `chromium: no constant-memory measurement${memory?.missing ? ` (the package has no ${memory.missing.join(', ')})` : ''}`,
    );
  } else if (!(memory.wasmMemoryBytes?.max <= AGE_MEMORY_LIMIT)) {
    breaches.push(
      `chromium: medseal's wasm memory reached ${memory.wasmMemoryBytes?.max} bytes streaming ${memory.bytes} bytes (limit ${AGE_MEMORY_LIMIT})`,
    );
  }
}
if (problems.length) {
  console.error(`summary: incomplete results in ${dir}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

const fmt = (x) => (x === undefined || x === null ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const cell = (env, id, impl) => fmt(env?.rows.find((r) => r.id === id)?.results[impl]?.median);
// The paired ratio with its 95 % confidence interval, recomputed from the
// samples (native.json names its implementations 'medseal' and 'libsodium').
const ratio = (env, id) => {
  const r = env?.rows.find((x) => x.id === id);
  if (!r || r.ratio === null) return '–';
  const a = r.results[IMPL_MEDSEAL]?.samples;
  const b = (r.results[r.baseline] ?? r.results[IMPL_SODIUM] ?? r.results.libsodium)?.samples;
  if (!a || !b) return r.ratio.toFixed(2);
  const iv = pairedRatioInterval(a, b);
  return `${r.ratio.toFixed(2)} (${iv.lo.toFixed(2)}–${iv.hi.toFixed(2)})`;
};
const noise = (r) => (r.clear === false ? ', within the noise' : '');
// Every row of any environment, in the order of the first one that has it.
const allIds = [];
for (const env of [browser, node, native].filter(Boolean)) {
  for (const r of env.rows) {
    if (!allIds.some(([id]) => id === r.id)) allIds.push([r.id, r.label, r.unit]);
  }
}
const ids = allIds.filter(
  ([id]) =>
    !CONSENT_ROWS.includes(id) &&
    !AGE_ROWS.includes(id) &&
    !PQ_ROWS.includes(id) &&
    !ARGON2_ROWS.includes(id),
);
const argon2RowIds = allIds.filter(([id]) => ARGON2_ROWS.includes(id));
const pqRowIds = allIds.filter(([id]) => PQ_ROWS.includes(id));
const ageRowIds = allIds.filter(([id]) => AGE_ROWS.includes(id));
const consentRowIds = allIds.filter(([id]) => CONSENT_ROWS.includes(id));

console.log(`\n## Summary (${dir})\n`);
const envs = [
  native &&
    `native: ${native.build?.type ?? ''} ${native.build?.compiler ?? ''}, libsodium ${native.build?.libsodium ?? ''}, load ${native.machine?.loadavgBefore ?? ''}`,
  node && `node: ${node.runtime}, load ${node.machine?.loadavgBefore?.join(' ')}`,
  browser && `chromium: ${browser.runtime}, load ${browser.machine?.loadavgBefore?.join(' ')}`,
].filter(Boolean);
for (const e of envs) console.log(`- ${e}`);
console.log('');
console.log(
  '| row | unit | native medseal | native libsodium | Node medseal | Node libsodium-wrappers | Node AES-GCM | Chromium medseal | Chromium libsodium-wrappers | Chromium AES-GCM | ratio native | ratio Node | ratio Chromium | target (Chromium) |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [id, label, unit] of ids) {
  const b = browser?.rows.find((r) => r.id === id);
  const verdict = !b
    ? '–'
    : b.target === null
      ? 'info'
      : `≥ ${b.target}: **${b.status}**${noise(b)}`;
  console.log(
    `| ${label} | ${unit} | ${cell(native, id, 'medseal')} | ${cell(native, id, 'libsodium')} | ` +
      `${cell(node, id, IMPL_MEDSEAL)} | ${cell(node, id, IMPL_SODIUM)} | ${cell(node, id, IMPL_WEBCRYPTO)} | ` +
      `${cell(browser, id, IMPL_MEDSEAL)} | ${cell(browser, id, IMPL_SODIUM)} | ${cell(browser, id, IMPL_WEBCRYPTO)} | ` +
      `${ratio(native, id)} | ${ratio(node, id)} | ${ratio(browser, id)} | ${verdict} |`,
  );
}
if (browser?.size) {
  const s = browser.size;
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  console.log(
    `| module download, gzip -9 | KB | | | | | | ${kb(s.medseal.gzip9)} | ${kb(s.sodium.gzip9)} | | | | ${s.ratio.toFixed(2)} | < 1: **${s.status}** |`,
  );
}
if (browser?.ready) {
  const r = browser.ready;
  const iv = pairedRatioInterval(r.samples.medseal, r.samples.sodium);
  console.log(
    `| module ready in a fresh page (median of ${r.reps}) | ms | | | | | | ${r.medsealMs.toFixed(1)} | ${r.sodiumMs.toFixed(1)} | | | | ${r.ratio.toFixed(2)} (${iv.lo.toFixed(2)}–${iv.hi.toFixed(2)}) | ≤ ${r.target}: **${r.status}**${noise(r)} |`,
  );
}
console.log(
  '\nratio = medseal / libsodium(-wrappers), higher is better for throughput rows; for download and ready time lower is better.',
);
console.log(
  'In brackets: the 95 % confidence interval of the ratio (order statistics of the per-repetition ratios; the whole',
);
console.log(
  'range when a run has 5 repetitions or fewer). "Within the noise": that interval straddles the target.',
);
if (consentRowIds.length) {
  console.log(
    '\nThe consent engine (medseal vs @cedar-policy/cedar-wasm where there is a counterpart):\n',
  );
  console.log(
    '| row | unit | native medseal | Node medseal | Node Cedar | Chromium medseal | Chromium Cedar | ratio Node | ratio Chromium | target (Chromium) |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [id, label, unit] of consentRowIds) {
    const b = browser?.rows.find((r) => r.id === id);
    const verdict = !b
      ? 'info (not in Chromium)'
      : b.target === null
        ? 'info'
        : `≥ ${b.target}: **${b.status}**${noise(b)}`;
    console.log(
      `| ${label} | ${unit} | ${cell(native, id, 'medseal')} | ${cell(node, id, IMPL_MEDSEAL)} | ${cell(node, id, IMPL_CEDAR)} | ` +
        `${cell(browser, id, IMPL_MEDSEAL)} | ${cell(browser, id, IMPL_CEDAR)} | ${ratio(node, id)} | ${ratio(browser, id)} | ${verdict} |`,
    );
  }
  for (const [name, env] of [
    ['node', node],
    ['chromium', browser],
  ]) {
    const d = env?.checks?.decide;
    if (d) {
      console.log(
        `\n${name}: before timing, medseal and Cedar (${d.cedarPolicies} policies) gave all ${d.requests} requests their expected decision (${d.expectedPermits} permit).`,
      );
    }
  }
  console.log('');
}
if (ageRowIds.length) {
  // A comparison's ratio with its interval, and its verdict.
  const cmp = (env, id, baseline) => {
    const r = env?.rows.find((x) => x.id === id);
    const c = r?.comparisons?.find((x) => x.baseline === baseline);
    if (!c) return null;
    return {
      text: `${c.ratio.toFixed(2)} (${c.ratioInterval.lo.toFixed(2)}–${c.ratioInterval.hi.toFixed(2)})`,
      verdict: `≥ ${c.target}: **${c.status}**${noise(c)}`,
    };
  };
  // Native: medseal's file mode / the age CLI (bench/age-cli.sh, whole
  // processes), paired per repetition.
  const cliRow = (id) => cli?.rows.find((x) => x.id === id);
  const nativeCmp = (id) => {
    const r = cliRow(id);
    const a = r?.results?.[IMPL_MEDSEAL_CLI]?.samples;
    const b = r?.results?.[IMPL_AGE_CLI]?.samples;
    if (!a || !b) return null;
    const ratio = pairedRatio(a, b);
    const iv = pairedRatioInterval(a, b);
    const t = AGE_NATIVE_TARGETS[IMPL_AGE_CLI];
    const { status, clear } = judge(ratio, iv, t, true);
    return {
      text: `${ratio.toFixed(2)} (${iv.lo.toFixed(2)}–${iv.hi.toFixed(2)})`,
      verdict: `≥ ${t}: **${status}**${clear ? '' : ', within the noise'}`,
    };
  };
  const cliCell = (id, impl) => fmt(cliRow(id)?.results?.[impl]?.median);
  const t = (x) => x?.text ?? '–';
  const v = (x) => x?.verdict ?? '–';
  console.log(
    "\nAttachments (issue #12): age files to one X25519 recipient, MB/s of plaintext. Native: medseal (AgeEncryptor/AgeDecryptor in-process) beside the bare STREAM payload on libsodium (info), and as whole processes on 16 MiB files, medseal_native_bench's file mode vs the `age` CLI (bench/age-cli.sh). Node and Chromium: medseal vs typage (`age-encryption`) and the libsodium-wrappers secretstream construction:\n",
  );
  console.log(
    '| row | native medseal | native libsodium STREAM | CLI: medseal | CLI: age | Node medseal | Node typage | Node secretstream | Chromium medseal | Chromium typage | Chromium secretstream | CLI medseal / age | Node / typage | Node / secretstream | Chromium / typage | Chromium / secretstream |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|');
  for (const [id, label] of ageRowIds) {
    const n = nativeCmp(id);
    const cty = cmp(browser, id, IMPL_TYPAGE);
    const css = cmp(browser, id, IMPL_SECRETSTREAM);
    console.log(
      `| ${label} | ${cell(native, id, IMPL_MEDSEAL)} | ${cell(native, id, 'libsodium')} | ` +
        `${cliCell(id, IMPL_MEDSEAL_CLI)} | ${cliCell(id, IMPL_AGE_CLI)} | ` +
        `${cell(node, id, IMPL_MEDSEAL)} | ${cell(node, id, IMPL_TYPAGE)} | ${cell(node, id, IMPL_SECRETSTREAM)} | ` +
        `${cell(browser, id, IMPL_MEDSEAL)} | ${cell(browser, id, IMPL_TYPAGE)} | ${cell(browser, id, IMPL_SECRETSTREAM)} | ` +
        `${t(n)}${n ? ` ${v(n)}` : ''} | ${t(cmp(node, id, IMPL_TYPAGE))} | ${t(cmp(node, id, IMPL_SECRETSTREAM))} | ` +
        `${t(cty)}${cty ? ` ${v(cty)}` : ''} | ${t(css)}${css ? ` ${v(css)}` : ''} |`,
    );
  }
  if (cli) {
    console.log(
      `\nCLI: ${cli.ageVersion ?? 'age'}, ${cli.method?.reps} interleaved repetitions of whole processes (start, reading and writing the files included), load ${cli.loadavgBefore}.`,
    );
  }
  const reps = browser?.rows.find((r) => r.id === 'age-enc-1g')?.reps;
  if (reps) {
    console.log(
      `\nThe 1 GiB rows: one call per sample, ${reps} repetitions (the interval is their whole range).`,
    );
  }
  for (const [name, env] of [
    ['node', node],
    ['chromium', browser],
  ]) {
    const a = env?.checks?.age;
    if (a) {
      console.log(
        `${name}: before timing, ${a.passed} cross-checks passed (medseal's files, one-shot and streamed, decrypt with typage and typage's with medseal, at ${a.sizes.join(', ')} bytes; secretstream round trips; a tampered file rejected).`,
      );
    }
  }
}
if (pqRowIds.length) {
  const base = (env, id) => env?.rows.find((r) => r.id === id)?.baseline ?? null;
  const baseCell = (env, id) => {
    const b = base(env, id);
    return b ? `${cell(env, id, b)} (${b})` : '–';
  };
  console.log(
    '\nPost-quantum (issue #14), ops/s. ML-KEM-768 / X-Wing: medseal vs PQClean called directly (native) and vs @noble/post-quantum (Node, Chromium). Hybrid records: a v2 record to X-Wing cards ("medseal") vs the same people\'s X25519-only cards (medseal-x25519); ratio >= 0.5 = at most 2x the time:\n',
  );
  console.log(
    '| row | native medseal | native baseline | Node medseal | Node baseline | Chromium medseal | Chromium baseline | ratio native | ratio Node | ratio Chromium | target (Chromium) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [id, label] of pqRowIds) {
    const b = browser?.rows.find((r) => r.id === id);
    const verdict = !b
      ? '–'
      : b.target === null
        ? 'info'
        : `≥ ${b.target}: **${b.status}**${noise(b)}`;
    console.log(
      `| ${label} | ${cell(native, id, IMPL_MEDSEAL)} | ${baseCell(native, id)} | ${cell(node, id, IMPL_MEDSEAL)} | ${baseCell(node, id)} | ` +
        `${cell(browser, id, IMPL_MEDSEAL)} | ${baseCell(browser, id)} | ${ratio(native, id)} | ${ratio(node, id)} | ${ratio(browser, id)} | ${verdict} |`,
    );
  }
}
for (const [name, env] of [
  ['native', native],
  ['node', node],
  ['chromium', browser],
]) {
  const why = env?.checks?.pqRecords?.notMeasured;
  if (why) console.log(`\n${name}: hybrid record rows not measured: ${why}.`);
}
if (argon2RowIds.length) {
  // ms per unlock (1000 / the median unlocks/s).
  const ms = (env, id, impl) => {
    const x = env?.rows.find((r) => r.id === id)?.results[impl]?.median;
    return x ? (1000 / x).toFixed(1) : '–';
  };
  const cmpText = (env, id, b) => {
    const c = env?.rows.find((x) => x.id === id)?.comparisons?.find((x) => x.baseline === b);
    return c
      ? `${c.ratio.toFixed(2)} (${c.ratioInterval.lo.toFixed(2)}–${c.ratioInterval.hi.toFixed(2)})`
      : '–';
  };
  const params = (id) => {
    const p = [browser, node].map((e) => e?.rows.find((r) => r.id === id)?.params).find(Boolean);
    return p ? `${p.memoryKib} KiB, ${p.passes} passes` : '';
  };
  console.log(
    '\nArgon2id unlock (issue #13), ms per unlock (median; 32-byte key, one lane). Native: medseal (core) vs crypto_pwhash called directly; Node and Chromium: medseal vs libsodium-wrappers-sumo and argon2-browser (its argon2.wasm and argon2-simd.wasm), one page:\n',
  );
  console.log(
    '| row | parameters | native medseal | native libsodium | Node medseal | Node sumo | Node argon2-browser | Node argon2-browser SIMD | Chromium medseal | Chromium sumo | Chromium argon2-browser | Chromium argon2-browser SIMD |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [id] of argon2RowIds) {
    const peers = (env) => ARGON2_PEERS.map((n) => ms(env, id, n)).join(' | ');
    console.log(
      `| ${id} | ${params(id)} | ${ms(native, id, IMPL_MEDSEAL)} | ${ms(native, id, 'libsodium')} | ` +
        `${ms(node, id, IMPL_MEDSEAL)} | ${peers(node)} | ${ms(browser, id, IMPL_MEDSEAL)} | ${peers(browser)} |`,
    );
  }
  console.log(
    '\nRatios medseal / peer in unlocks/s (higher is better; 95 % CI in brackets); target: >= 1 against the faster peer in Chromium:\n',
  );
  console.log(
    '| row | native / libsodium | Node / sumo | Node / argon2-browser | Node / SIMD | Chromium / sumo | Chromium / argon2-browser | Chromium / SIMD | target (Chromium) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [id] of argon2RowIds) {
    const b = browser?.rows.find((r) => r.id === id);
    const verdict = b ? `≥ ${b.target} vs ${b.fasterPeer}: **${b.status}**${noise(b)}` : '–';
    const cmps = (env) => ARGON2_PEERS.map((n) => cmpText(env, id, n)).join(' | ');
    console.log(`| ${id} | ${ratio(native, id)} | ${cmps(node)} | ${cmps(browser)} | ${verdict} |`);
  }
}
if (memory && memory.status !== 'MISSING') {
  const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
  const h = memory.jsHeapBytes;
  const c = memory.cdpJsHeapBytes;
  console.log(
    `\nConstant memory (Chromium): ${mib(memory.bytes)} generated on the fly through medseal's encryptStream -> decryptStream in ${memory.seconds.toFixed(1)} s; ` +
      `wasm memory ${mib(memory.wasmMemoryBytes.initial)} at the start, at most ${mib(memory.wasmMemoryBytes.max)} (limit ${mib(memory.limit)}): **${memory.status}**; ` +
      `JS heap, garbage included until collected${h ? ` (performance.memory): ${mib(h.before)} before, at most ${mib(h.max)}, ${h.afterGc == null ? '?' : mib(h.afterGc)} after a collection at the end` : ''}${c ? `; (CDP, ${c.polls} polls) ${mib(c.before)} before, at most ${mib(c.max)}` : ''}.`,
  );
}
if (breaches.length) {
  console.error(`summary: ${breaches.join('\n  ')}`);
  process.exit(1);
}

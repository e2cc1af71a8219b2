// SPDX-License-Identifier: Apache-2.0
// Care-team rekeying in Node through the package (src/group.ts, the wasm
// core): the same rows as bench/group_bench.cc for a group of --members
// (default 50) cards, one call timed each:
//   create   Group.create: the signed state and one wrap to every member
//   remove   removeMember of one member: a new epoch wrapped to the others
//   add      addMember of the removed member back (no history)
//   open     one member's openEpochKey of the remove's wrap
//   history  verifyMembershipHistory of the group's 5 states
// Medians and minima of the wall time, and the median CPU time, in ms. Not part of bench/js/suite.mjs: recorded in
// docs/performance.md ("Run Z: care-team rekey (issue #13)").
//
// Usage: node bench/js/group.mjs [--reps N] [--members N] [--medseal PACKAGE_DIR] [--out FILE]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const reps = Number(opt('--reps', '25'));
const members = Number(opt('--members', '50'));
const pkg = path.resolve(opt('--medseal', path.join(here, '..', '..', 'wasm', 'package')));
const out = opt('--out', undefined);
if (!(reps >= 1) || !(members >= 2 && members <= 64)) {
  console.error('usage: node bench/js/group.mjs [--reps N>=1] [--members 2..64]');
  process.exit(2);
}

const medseal = await import(pathToFileURL(path.join(pkg, 'dist', 'index.js')).href);
await medseal.init();
const { Group, Identity, PublicCard, openEpochKey, parseMembershipState, verifyMembershipHistory } =
  medseal;

const admin = Identity.generate({ name: 'Ward admin', role: 'admin' });
const adminCard = PublicCard.parse(admin.card);
const people = Array.from({ length: members }, (_, i) =>
  Identity.generate({ name: `Nurse ${i}`, role: 'nurse' }),
);
// Parsed (verified) once, as an application holds its members' cards.
const cards = people.map((p) => PublicCard.parse(p.card));
const ms = { create: [], remove: [], add: [], open: [], history: [] };
// Wall time and the process's CPU time (user + system) of each call: on a
// shared, loaded machine the CPU time is the steadier of the two.
const cpu = { create: [], remove: [], add: [], open: [], history: [] };
const time = (row, fn) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  ms[row].push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu[row].push((c.user + c.system) / 1000);
  return r;
};

for (let r = 0; r < reps; r++) {
  const { group } = time('create', () =>
    Group.create(admin, { name: 'Cardiology ward', role: 'nurse', members: cards }),
  );
  try {
    for (let round = 0; round < 2; round++) {
      const leaver = people[(r + round) % members];
      const stayer = people[(r + round + 1) % members];
      const removed = time('remove', () => group.removeMember(admin, leaver.keyId));
      if (removed.wraps.length !== 1) throw new Error('the removal did not make one wrap');
      if (parseMembershipState(removed.state).members.length !== members - 1) {
        throw new Error('the removal did not wrap to the others');
      }
      const g = time('open', () =>
        openEpochKey(removed.wraps[0], stayer, adminCard, removed.state),
      );
      if (g.card !== group.card) throw new Error('a member opened another key');
      g.dispose();
      let shutOut = false;
      try {
        openEpochKey(removed.wraps[0], leaver, admin.card, removed.state).dispose();
      } catch (e) {
        shutOut = e.code === 'NO_MATCHING_RECIPIENT';
      }
      if (!shutOut) throw new Error('the removed member opened the new epoch');
      const added = time('add', () => group.addMember(admin, cards[(r + round) % members]));
      if (added.wraps.length !== 1) throw new Error('add wrapped more than one epoch');
    }
    const history = group.history;
    time('history', () => verifyMembershipHistory(history, adminCard));
  } finally {
    group.dispose();
  }
}

const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const rows = Object.entries(ms).map(([id, v]) => {
  const s = [...v].sort((a, b) => a - b);
  const row = {
    id: `group-${id}`,
    medianMs: s[s.length >> 1],
    minMs: s[0],
    cpuMedianMs: med(cpu[id]),
    n: s.length,
  };
  console.log(
    `group-${id.padEnd(8)} members ${members}  median ${row.medianMs.toFixed(3)} ms  min ${row.minMs.toFixed(3)} ms  cpu ${row.cpuMedianMs.toFixed(3)} ms  (n=${row.n})`,
  );
  return row;
});
if (out)
  writeFileSync(
    out,
    JSON.stringify({ environment: 'node', unit: 'ms', members, rows }, null, 1) + '\n',
  );
for (const p of [admin, ...people, adminCard, ...cards]) p.dispose();

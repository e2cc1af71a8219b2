// SPDX-License-Identifier: Apache-2.0
// Writes bench/data/consent-workload.json, the consent benchmark's workload
// (bench/js/consent.mjs generates it; the native bench, Node and Chromium
// read it). consent.test.mjs fails when the committed file differs from
// what this writes.
//
//   node bench/js/gen-consent-workload.mjs [--check]
import fs from 'node:fs';
import path from 'node:path';

import { generateWorkload } from './consent.mjs';
import { repoRoot } from './report.mjs';

export const workloadFile = path.join(repoRoot, 'bench', 'data', 'consent-workload.json');
export const workloadText = () => JSON.stringify(generateWorkload(), null, 1) + '\n';

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)
) {
  const text = workloadText();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(workloadFile) && fs.readFileSync(workloadFile, 'utf8') === text;
    console.log(same ? 'consent workload is up to date' : 'consent workload is out of date');
    process.exit(same ? 0 : 1);
  }
  fs.mkdirSync(path.dirname(workloadFile), { recursive: true });
  fs.writeFileSync(workloadFile, text);
  const w = JSON.parse(text);
  const permits = w.requests.filter((q) => q.expected === 'permit').length;
  console.log(
    `wrote ${path.relative(process.cwd(), workloadFile)}: ${w.consents.length} consents, ${w.requests.length} requests (${permits} permit), ${w.candidates} candidates, ${w.droppedAsAmbiguous} dropped as ambiguous`,
  );
}

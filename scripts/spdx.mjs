// SPDX-License-Identifier: Apache-2.0
// The licence header of every source file: its first line, or its second
// after a shebang, is exactly
//   // SPDX-License-Identifier: Apache-2.0     (C, C++, JavaScript, TypeScript)
//   # SPDX-License-Identifier: Apache-2.0      (shell, CMake)
// Apache-2.0 is the licence of the repository (LICENSE) and of the npm package
// (wasm/package/package.json "license").
//
//   node scripts/spdx.mjs check    lists every file without its header; exit 1 if any
//   node scripts/spdx.mjs fix      adds the header where there is none; a file
//                                  that names another licence, or names it
//                                  elsewhere than at the top, is reported and
//                                  left for a person to decide (exit 1)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { kindOf, repoRoot, sourceFiles } from './source-files.mjs';

export const LICENSE_ID = 'Apache-2.0';

export function headerFor(kind) {
  switch (kind) {
    case 'cpp':
    case 'js':
      return `// SPDX-License-Identifier: ${LICENSE_ID}`;
    case 'shell':
    case 'cmake':
      return `# SPDX-License-Identifier: ${LICENSE_ID}`;
    default:
      throw new Error(`spdx: no header for files of kind ${kind}`);
  }
}

// 'ok', 'missing' (no SPDX line at all: fix adds one) or 'wrong' (an SPDX
// line that is not the expected one at the expected place).
export function headerStatus(text, kind) {
  const lines = text.split('\n');
  const at = lines[0].startsWith('#!') ? 1 : 0;
  if (lines[at] === headerFor(kind) || lines[at] === headerFor(kind) + '\r') return 'ok';
  return /SPDX-License-Identifier/.test(text) ? 'wrong' : 'missing';
}

// The text with the header added after the shebang, if any.
export function withHeader(text, kind) {
  const header = headerFor(kind) + '\n';
  if (text.startsWith('#!')) {
    const nl = text.indexOf('\n');
    return nl < 0 ? `${text}\n${header}` : text.slice(0, nl + 1) + header + text.slice(nl + 1);
  }
  return header + text;
}

function main(mode) {
  const files = sourceFiles().spdx;
  const missing = [];
  const wrong = [];
  for (const file of files) {
    const full = path.join(repoRoot, file);
    const text = fs.readFileSync(full, 'utf8');
    const kind = kindOf(file, () => text.split('\n')[0]);
    const status = headerStatus(text, kind);
    if (status === 'ok') continue;
    if (status === 'wrong') {
      wrong.push(file);
    } else if (mode === 'fix') {
      fs.writeFileSync(full, withHeader(text, kind));
      console.log(`spdx: added the header to ${file}`);
    } else {
      missing.push(file);
    }
  }
  for (const f of missing)
    console.error(`spdx: ${f}: no "SPDX-License-Identifier: ${LICENSE_ID}" line at the top`);
  for (const f of wrong) {
    console.error(
      `spdx: ${f}: has an SPDX-License-Identifier line, but not "${LICENSE_ID}" on its first line (second after a shebang): fix it by hand`,
    );
  }
  if (missing.length + wrong.length > 0) {
    if (missing.length)
      console.error(
        `spdx: ${missing.length} of ${files.length} files have no header (bash scripts/lint.sh --fix adds them)`,
      );
    process.exit(1);
  }
  console.log(`spdx: all ${files.length} source files start with the ${LICENSE_ID} header`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (process.argv.length !== 3 || (mode !== 'check' && mode !== 'fix')) {
    console.error('usage: node scripts/spdx.mjs check|fix');
    process.exit(2);
  }
  main(mode);
}

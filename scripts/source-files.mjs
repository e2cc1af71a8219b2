// SPDX-License-Identifier: Apache-2.0
// Which files of the repository each check of scripts/lint.sh sees: every
// file git knows or would add (tracked, plus untracked files that .gitignore
// does not exclude), sorted into kinds by name.
//
//   node scripts/source-files.mjs KIND     one path per line, relative to the repository root
//
// Kinds: cpp (clang-format), tidy (clang-tidy: core/'s sources), js (Prettier),
// shell, cmake, spdx (every file that must start with an SPDX line: cpp, js,
// shell and cmake), unclassified (files that are neither a source of one of
// those kinds nor a known non-source: scripts/test/lint.test.mjs requires
// there be none, so a new kind of file cannot slip past the checks).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Third-party data, copied verbatim (native-tests/vectors/external/README.md):
// never reformatted, never given our licence header.
export const THIRD_PARTY = [/^native-tests\/vectors\/external\//];

const CPP = /\.(c|cc|cpp|cxx|h|hh|hpp)$/;
const JS = /\.(js|mjs|cjs|ts|mts|cts)$/;
const CMAKE = /(^|\/)CMakeLists\.txt$|\.cmake$/;
const SHELL_EXT = /\.(sh|bash)$/;
const SHELL_SHEBANG = /^#!\s*(\/usr)?\/bin\/(env\s+)?(ba|da|k|z)?sh\b/;

// Files that are not code: documents, data, configuration and lock files.
const NOT_SOURCE = [
  /\.(md|json|html|css|svg|txt)$/,
  /(^|\/)(LICENSE|NOTICE|COPYING)(-[A-Za-z0-9.-]+)?$/,
  /(^|\/)\.gitignore$/,
  /^\.git-blame-ignore-revs$/,
  /^\.ci\/test-floors$/,
  /^\.(clang-format|clang-tidy|prettierignore)$/,
];

function gitFiles(root) {
  const out = execFileSync(
    'git',
    ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const unique = [...new Set(out.split('\0').filter(Boolean))];
  // A tracked file deleted in the work tree is not checked.
  return unique.filter((f) => fs.existsSync(path.join(root, f))).sort();
}

function firstLine(root, file) {
  const fd = fs.openSync(path.join(root, file), 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split('\n')[0];
  } finally {
    fs.closeSync(fd);
  }
}

// The kind of one file: 'cpp', 'js', 'shell', 'cmake', 'third-party',
// 'not-source' or 'unclassified'.
export function kindOf(file, readFirstLine) {
  if (THIRD_PARTY.some((re) => re.test(file))) return 'third-party';
  if (CPP.test(file)) return 'cpp';
  if (JS.test(file)) return 'js';
  if (CMAKE.test(file)) return 'cmake';
  if (SHELL_EXT.test(file)) return 'shell';
  if (NOT_SOURCE.some((re) => re.test(file))) return 'not-source';
  if (!path.basename(file).includes('.') && SHELL_SHEBANG.test(readFirstLine(file))) return 'shell';
  return 'unclassified';
}

export function sourceFiles(root = repoRoot) {
  const kinds = { cpp: [], js: [], shell: [], cmake: [], unclassified: [] };
  for (const file of gitFiles(root)) {
    const kind = kindOf(file, (f) => firstLine(root, f));
    if (kind in kinds) kinds[kind].push(file);
  }
  return {
    ...kinds,
    tidy: kinds.cpp.filter((f) => /^core\/.*\.(c|cc|cpp)$/.test(f)),
    spdx: [...kinds.cpp, ...kinds.js, ...kinds.shell, ...kinds.cmake].sort(),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const kind = process.argv[2];
  const files = sourceFiles();
  if (process.argv.length !== 3 || !(kind in files)) {
    console.error(`usage: node scripts/source-files.mjs ${Object.keys(files).join('|')}`);
    process.exit(2);
  }
  for (const f of files[kind]) process.stdout.write(f + '\n');
}

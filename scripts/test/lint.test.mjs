// SPDX-License-Identifier: Apache-2.0
// Tests of what scripts/lint.sh relies on: which files each check sees
// (scripts/source-files.mjs), the SPDX header logic (scripts/spdx.mjs), and
// that the three configurations do what their comments say: clang-format
// (.clang-format) rejects misformatted code and orders includes as documented,
// clang-tidy (.clang-tidy) names only real checks, gives a reason for each one
// it turns off and fails on a planted bug, and Prettier (.prettierrc.json,
// .prettierignore) rejects misformatted code and skips build output and
// third-party data. lint.sh itself runs over the whole tree in CI.
//
//   node --test scripts/test/
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as prettier from 'prettier';

import { kindOf, repoRoot, sourceFiles } from '../source-files.mjs';
import { headerFor, headerStatus, withHeader } from '../spdx.mjs';

const CLANG_FORMAT = process.env.CLANG_FORMAT || 'clang-format-14';
const CLANG_TIDY = process.env.CLANG_TIDY || 'clang-tidy-14';

let tmp;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-lint-test-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// --- which files each check sees ---------------------------------------------------

test('every file of the repository is a source of a checked kind or a known non-source', () => {
  const files = sourceFiles();
  assert.deepEqual(files.unclassified, [], 'classify these in scripts/source-files.mjs');
  for (const [kind, file] of [
    ['cpp', 'core/base/status.h'],
    ['cpp', 'core/record/record.cc'],
    ['cpp', 'native-tests/record/record_test.cc'],
    ['cpp', 'wasm/marshal.cc'],
    ['cpp', 'bench/native_bench.cc'],
    ['tidy', 'core/record/record.cc'],
    ['js', 'wasm/package/src/index.ts'],
    ['js', 'web-demo/server/server.mjs'],
    ['js', 'scripts/sbom.mjs'],
    ['shell', 'scripts/setup.sh'],
    ['shell', '.ci/run'],
    ['cmake', 'CMakeLists.txt'],
    ['cmake', 'core/CMakeLists.txt'],
  ]) {
    assert.ok(files[kind].includes(file), `${file} is not in ${kind}`);
  }
  assert.ok(files.cpp.length >= 70 && files.js.length >= 30, 'suspiciously few files');
  for (const f of files.tidy) assert.match(f, /^core\/.*\.cc$/);
  assert.ok(
    !files.tidy.includes('core/base/status.h'),
    'headers are checked through their sources',
  );
  const all = Object.values(files).flat();
  for (const f of all) {
    assert.doesNotMatch(
      f,
      /(^|\/)(node_modules|dist|build)\//,
      `${f}: build output is never checked`,
    );
    assert.doesNotMatch(
      f,
      /^native-tests\/vectors\/external\//,
      `${f}: third-party data is never checked`,
    );
  }
  assert.deepEqual(files.spdx, [...files.cpp, ...files.js, ...files.shell, ...files.cmake].sort());
});

test('kinds are decided by name, and by shebang for files without an extension', () => {
  const line = (first) => () => first;
  assert.equal(kindOf('core/a.cc', line('')), 'cpp');
  assert.equal(kindOf('third_party/libsodium/simd/chacha.c', line('')), 'cpp');
  assert.equal(kindOf('x/y.mts', line('')), 'js');
  assert.equal(kindOf('cmake/X.cmake', line('')), 'cmake');
  assert.equal(kindOf('scripts/x.sh', line('')), 'shell');
  assert.equal(kindOf('.ci/run', line('#!/usr/bin/env bash')), 'shell');
  assert.equal(kindOf('tools/run', line('#!/bin/sh')), 'shell');
  assert.equal(kindOf('tools/run', line('#!/usr/bin/env python3')), 'unclassified');
  assert.equal(kindOf('tools/gen.py', line('')), 'unclassified');
  assert.equal(kindOf('docs/api.md', line('')), 'not-source');
  assert.equal(kindOf('native-tests/vectors/external/rfc/x.json', line('')), 'third-party');
  assert.equal(
    kindOf('native-tests/vectors/external/fhir/LICENSE-synthea', line('')),
    'third-party',
  );
});

// --- SPDX headers -------------------------------------------------------------------

test('the SPDX header: where it goes, what counts as present, and what fix does', () => {
  assert.equal(headerFor('cpp'), '// SPDX-License-Identifier: Apache-2.0');
  assert.equal(headerFor('shell'), '# SPDX-License-Identifier: Apache-2.0');
  assert.throws(() => headerFor('not-source'));

  const cc = '#include "core/a.h"\n';
  assert.equal(headerStatus(cc, 'cpp'), 'missing');
  assert.equal(
    withHeader(cc, 'cpp'),
    '// SPDX-License-Identifier: Apache-2.0\n#include "core/a.h"\n',
  );
  assert.equal(headerStatus(withHeader(cc, 'cpp'), 'cpp'), 'ok');

  const sh = '#!/usr/bin/env bash\nset -e\n';
  assert.equal(
    withHeader(sh, 'shell'),
    '#!/usr/bin/env bash\n# SPDX-License-Identifier: Apache-2.0\nset -e\n',
  );
  assert.equal(headerStatus(withHeader(sh, 'shell'), 'shell'), 'ok');
  assert.equal(headerStatus('# SPDX-License-Identifier: Apache-2.0\n#!/bin/sh\n', 'shell'), 'ok');

  // Another licence, the wrong comment style, or the line further down is
  // "wrong": fix leaves it for a person instead of adding a second header.
  assert.equal(headerStatus('// SPDX-License-Identifier: MIT\n', 'js'), 'wrong');
  assert.equal(headerStatus('# SPDX-License-Identifier: Apache-2.0\n', 'cpp'), 'wrong');
  assert.equal(headerStatus('// x\n// SPDX-License-Identifier: Apache-2.0\n', 'cpp'), 'wrong');
  assert.equal(headerStatus('// SPDX-License-Identifier: Apache-2.0 \n', 'cpp'), 'wrong');
  assert.equal(headerStatus('// SPDX-License-Identifier: Apache-2.0\r\nint x;\r\n', 'cpp'), 'ok');
});

// --- clang-format -------------------------------------------------------------------

function clangFormat(text, file, ...args) {
  return spawnSync(
    CLANG_FORMAT,
    [`--style=file:${path.join(repoRoot, '.clang-format')}`, `--assume-filename=${file}`, ...args],
    { input: text, encoding: 'utf8' },
  );
}

test('clang-format: the configuration loads and sets 100 columns', () => {
  const r = spawnSync(CLANG_FORMAT, ['--dump-config', '--style=file'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ColumnLimit:\s+100$/m);
  assert.match(r.stdout, /^IncludeBlocks:\s+Regroup$/m);
});

test('clang-format: formatted code passes, misformatted code fails', () => {
  const good = [
    '// SPDX-License-Identifier: Apache-2.0',
    '// See https://example.org/a/very/long/url/that/goes/past/the/column/limit/and/must/not/be/split/at/all',
    '#include "core/record/record.h"',
    '',
    '#include <sodium.h>',
    '',
    '#include <string>',
    '#include <vector>',
    '',
    '#include <nlohmann/json.hpp>',
    '',
    '#include "core/base/status.h"',
    '',
    'namespace medseal {',
    '',
    'const char* Name(int code) {',
    '  switch (code) {',
    '    case 0: return "OK";',
    '    default: return "UNKNOWN";',
    '  }',
    '}',
    '',
    '}  // namespace medseal',
    '',
  ].join('\n');
  const ok = clangFormat(good, 'core/record/record.cc', '--dry-run', '--Werror');
  assert.equal(ok.status, 0, ok.stderr);
  const bad = good.replace('const char* Name(int code) {', 'const char *Name( int code ){');
  const r = clangFormat(bad, 'core/record/record.cc', '--dry-run', '--Werror');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /clang-format-violations/);
});

test('clang-format: includes are regrouped as .clang-format documents', () => {
  const mixed = [
    '#include "core/base/status.h"',
    '#include <vector>',
    '#include <nlohmann/json.hpp>',
    '#include "core/record/record.h"',
    '#include <sodium.h>',
    '#include <gtest/gtest.h>',
    '#include <algorithm>',
    '',
  ].join('\n');
  const r = clangFormat(mixed, 'native-tests/record/record_test.cc');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      '#include "core/record/record.h"', // the tested header first
      '',
      '#include <gtest/gtest.h>', // <...h>
      '#include <sodium.h>',
      '',
      '#include <algorithm>', // the standard library
      '#include <vector>',
      '',
      '#include <nlohmann/json.hpp>', // nlohmann/json
      '',
      '#include "core/base/status.h"', // the project
      '',
    ].join('\n'),
  );
});

// --- clang-tidy ---------------------------------------------------------------------

const tidyConfig = fs.readFileSync(path.join(repoRoot, '.clang-tidy'), 'utf8');
const checkGlobs = () => {
  const m = tidyConfig.match(/^Checks: >-\n((?:  .*\n)+)/m);
  assert.ok(m, '.clang-tidy has no "Checks: >-" block');
  return m[1].split(/[\s,]+/).filter(Boolean);
};

test('clang-tidy: every check it enables exists, every one it disables has a reason', () => {
  const globs = checkGlobs();
  assert.equal(globs[0], '-*');
  for (const g of globs.slice(1).filter((g) => !g.startsWith('-'))) {
    const r = spawnSync(CLANG_TIDY, [`--checks=-*,${g}`, '--list-checks'], {
      cwd: tmp,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const listed = r.stdout.split('\n').filter((l) => /^\s{4}\S/.test(l));
    assert.ok(listed.length > 0, `${g} in .clang-tidy matches no check of ${CLANG_TIDY}`);
  }
  const off = tidyConfig.split(/^# What is off/m)[1]?.split(/^Checks:/m)[0] ?? '';
  for (const g of globs.slice(1).filter((g) => g.startsWith('-'))) {
    assert.match(
      off,
      new RegExp(`#\\s+${g.replace(/[*.]/g, '\\$&')}\\s+\\S`),
      `${g} is off without a reason`,
    );
  }
  assert.match(tidyConfig, /^WarningsAsErrors: '\*'$/m);
  const dump = spawnSync(CLANG_TIDY, ['--dump-config'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  assert.match(dump.stdout, /bugprone-\*/);
});

test('clang-tidy: the profile fails on planted bugs (bugprone, cert, performance)', () => {
  const file = path.join(tmp, 'planted.cc');
  fs.writeFileSync(
    file,
    [
      '#include <cstdio>',
      '#include <string>',
      '#include <utility>',
      'std::string Moved(std::string s) {',
      '  std::string t = std::move(s);',
      '  return s + t;', // use after move
      '}',
      'void Print() { std::fprintf(stderr, "x\\n"); }', // unchecked fprintf result
      'std::size_t Size(const std::string s) { return s.size(); }', // copy of a const value
      '',
    ].join('\n'),
  );
  const r = spawnSync(
    CLANG_TIDY,
    [`--config-file=${path.join(repoRoot, '.clang-tidy')}`, '--quiet', file, '--', '-std=c++20'],
    { encoding: 'utf8' },
  );
  assert.notEqual(r.status, 0, 'clang-tidy passed code with planted bugs');
  for (const check of [
    'bugprone-use-after-move',
    'cert-err33-c',
    'performance-unnecessary-value-param',
  ]) {
    assert.match(r.stdout, new RegExp(`\\[${check}[,\\]]`), `${check} did not fire`);
  }
});

// --- Prettier -----------------------------------------------------------------------

test('Prettier: the configuration is found for every source, and misformatted code fails', async () => {
  const file = path.join(repoRoot, 'wasm/package/src/index.ts');
  const options = await prettier.resolveConfig(file, { editorconfig: false });
  assert.deepEqual(options, { printWidth: 100, singleQuote: true });
  const good = "export const a = { b: 'c' };\n";
  assert.ok(await prettier.check(good, { ...options, filepath: file }));
  assert.ok(!(await prettier.check('export const a = {b: "c"}\n', { ...options, filepath: file })));
  const long = `export const x = f(${'aaaaaaaaa, '.repeat(10)}b);\n`;
  assert.ok(
    !(await prettier.check(long, { ...options, filepath: file })),
    'lines over 100 columns pass',
  );
});

test('Prettier: build output, lock files and third-party data are ignored', async () => {
  const ignorePath = path.join(repoRoot, '.prettierignore');
  const info = (f) => prettier.getFileInfo(path.join(repoRoot, f), { ignorePath });
  for (const f of [
    'wasm/package/dist/index.js',
    'build/wasm-release/wasm/medseal_core.mjs',
    'wasm/package/package-lock.json',
    'native-tests/vectors/external/wycheproof/x25519_test.json',
    'native-tests/vectors/record/record_v1.json',
  ]) {
    assert.equal((await info(f)).ignored, true, `${f} is not ignored`);
  }
  assert.equal((await info('wasm/package/src/index.ts')).ignored, false);
});

test('lint.sh refuses unknown arguments', () => {
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/lint.sh'), '--frobnicate'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage/);
});

test('the formatter and linter are the pinned ones', () => {
  assert.match(execFileSync(CLANG_FORMAT, ['--version'], { encoding: 'utf8' }), /version 14\./);
  assert.match(execFileSync(CLANG_TIDY, ['--version'], { encoding: 'utf8' }), /version 14\./);
  const tools = JSON.parse(fs.readFileSync(path.join(repoRoot, 'scripts/package.json'), 'utf8'));
  assert.match(
    tools.devDependencies.prettier,
    /^\d+\.\d+\.\d+$/,
    'prettier is not pinned to an exact version',
  );
  assert.equal(prettier.version, tools.devDependencies.prettier);
});

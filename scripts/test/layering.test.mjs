// SPDX-License-Identifier: Apache-2.0
// The layers of core/ (docs/architecture.md): an area includes only itself
// and the areas below it, nothing in core/ includes wasm/ or Emscripten, and
// an internal/ header is included only from inside core/ (and by the tests);
// every public header has its test in native-tests/<area>/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const AREAS = [
  'base',
  'codec',
  'fhir',
  'crypto',
  'otp',
  'age',
  'identity',
  'keystore',
  'record',
  'consent',
  'attachment',
  'group',
  'log',
];

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (/\.(h|cc|c)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function includes(file) {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  return [...text.matchAll(/^\s*#\s*include\s+["<]([^">]+)[">]/gm)].map((m) => m[1]);
}

test('every core/ folder is a known area, and every area has sources', () => {
  const dirs = readdirSync(path.join(repoRoot, 'core'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  assert.deepEqual(dirs, [...AREAS].sort());
  for (const area of AREAS) assert.ok(sources(path.join('core', area)).length > 0, area);
});

test('an area includes only itself and the areas below it', () => {
  const files = sources('core');
  assert.ok(files.length > 20, `only ${files.length} core sources found`);
  for (const file of files) {
    const own = AREAS.indexOf(file.split(path.sep)[1]);
    for (const inc of includes(file)) {
      assert.ok(
        !inc.startsWith('emscripten/') && !inc.startsWith('wasm/'),
        `${file} includes ${inc}`,
      );
      if (!inc.startsWith('core/')) continue;
      const area = AREAS.indexOf(inc.split('/')[1]);
      assert.ok(area >= 0, `${file} includes ${inc}, outside every area`);
      assert.ok(
        area <= own,
        `${file} (${AREAS[own]}) includes ${inc} (${AREAS[area]}), a higher layer`,
      );
    }
  }
});

test('internal/ headers are included only from core/ and the tests', () => {
  for (const dir of ['wasm', 'bench']) {
    for (const file of sources(dir)) {
      for (const inc of includes(file)) {
        assert.ok(!/^core\/.*\/internal\//.test(inc), `${file} includes ${inc}`);
      }
    }
  }
});

test('every public header of core/ has its test in native-tests/, in the same area', () => {
  const headers = sources('core').filter(
    (f) => f.endsWith('.h') && !f.includes(`${path.sep}internal${path.sep}`),
  );
  assert.ok(headers.length > 15, `only ${headers.length} public headers found`);
  for (const header of headers) {
    const [, area, name] = header.split(path.sep);
    const test = path.join('native-tests', area, name.replace(/\.h$/, '_test.cc'));
    assert.ok(sources(path.join('native-tests', area)).includes(test), `${header} has no ${test}`);
  }
});

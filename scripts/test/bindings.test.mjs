// SPDX-License-Identifier: Apache-2.0
// The bindings decide nothing (issue 9; wasm/bindings/state.h): no file in
// wasm/bindings/ may branch or loop. A decision about data belongs in core,
// a decision about the calling convention in wasm/marshal.{h,cc} (handle
// lookups, millisecond conversion, MEDSEAL_WASM_ASSIGN_OR_FAIL). Also: one
// binding file per concept, each with its own EMSCRIPTEN_BINDINGS block
// named after it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bindingsDir = path.join(repoRoot, 'wasm', 'bindings');
// The concepts, and the file that holds the shared state (no bindings block).
const CONCEPTS = [
  'module',
  'identity',
  'card',
  'record',
  'decision',
  'labeler',
  'receipt',
  'consent',
  'share',
  'age',
  'attachment',
  'pq',
  'otp',
  'argon2',
  'log',
  'log_safety',
  'log_event',
  'keystore',
  'group',
  'log_chain',
  'log_break_glass',
  'log_directory',
  'log_key_events',
  'testing',
];
const SHARED = ['state.cc', 'state.h', 'record.h', 'share.h', 'pq.h', 'log_chain.h'];

// The source without comments and without the contents of string and
// character literals (what the compiler would see as code).
function codeOf(source) {
  let out = '';
  for (let i = 0; i < source.length;) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      assert.notEqual(end, -1, 'unterminated comment');
      i = end + 2;
      out += ' ';
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      assert.ok(j < source.length, 'unterminated literal');
      out += c + c;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const DECISIONS = [
  [/\bif\b/, 'if'],
  [/\belse\b/, 'else'],
  [/\bswitch\b/, 'switch'],
  [/\bcase\b/, 'case'],
  [/\bfor\b/, 'for'],
  [/\bwhile\b/, 'while'],
  [/\bdo\b/, 'do'],
  [/\bgoto\b/, 'goto'],
  [/\?/, '?:'],
  [/\|\|/, '||'],
];

// The decisions found in a source text, as "line N: keyword".
function decisionsIn(source) {
  const found = [];
  codeOf(source)
    .split('\n')
    .forEach((line, i) => {
      for (const [pattern, name] of DECISIONS)
        if (pattern.test(line)) found.push(`line ${i + 1}: ${name}`);
    });
  return found;
}

const files = readdirSync(bindingsDir)
  .filter((f) => /\.(cc|h)$/.test(f))
  .sort();

test('the checker finds every kind of decision, and none in comments or strings', () => {
  const samples = [
    'if (x) return 1;',
    'int y = x ? 1 : 2;',
    'switch (k) { case 1: break; }',
    'for (;;) {}',
    'while (x) {}',
    'do { } while (0);',
    'return a || b;',
    'goto out;',
    '} else {',
  ];
  for (const s of samples) assert.notDeepEqual(decisionsIn(s), [], s);
  const harmless = [
    '// if the heap cannot hold it',
    '/* switch? */ int a;',
    'const char* s = "if ? || for";',
    "char c = '?';",
    '__asm__(".section .custom_section.x,\\"\\",@\\n");',
    'int Modify(int difference);',
    'Result<T&&> forward_if_ok;',
  ];
  for (const s of harmless) assert.deepEqual(decisionsIn(s), [], s);
});

test('wasm/bindings/ holds one file per concept and the shared state, nothing else', () => {
  assert.deepEqual(files, [...CONCEPTS.map((c) => `${c}.cc`), ...SHARED].sort());
});

test('no binding file makes a decision (if, switch, ?:, loops)', () => {
  for (const file of files) {
    const found = decisionsIn(readFileSync(path.join(bindingsDir, file), 'utf8'));
    assert.deepEqual(found, [], `wasm/bindings/${file} decides something: ${found.join(', ')}`);
  }
});

test('each concept file has its own EMSCRIPTEN_BINDINGS block, named after it', () => {
  for (const file of files) {
    const blocks = [
      ...codeOf(readFileSync(path.join(bindingsDir, file), 'utf8')).matchAll(
        /EMSCRIPTEN_BINDINGS\((\w+)\)/g,
      ),
    ].map((m) => m[1]);
    const concept = file.replace(/\.(cc|h)$/, '');
    const expected =
      file.endsWith('.cc') && CONCEPTS.includes(concept) ? [`medseal_${concept}`] : [];
    assert.deepEqual(blocks, expected, file);
  }
});

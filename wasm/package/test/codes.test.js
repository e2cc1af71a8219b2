// SPDX-License-Identifier: Apache-2.0
// src/codes.ts must match core/base/status.h (numbers) and core/base/status.cc (names),
// so that the JS error codes cannot drift from the core's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, medseal, repoRoot } from '../test-support/helpers.js';

const RESERVED = 'kDoNotUseReservedForFutureExpansion';

function parseEnum() {
  const header = readFileSync(path.join(repoRoot, 'core', 'base', 'status.h'), 'utf8');
  const body = header.match(/enum class ErrorCode\s*:\s*uint16_t\s*\{([\s\S]*?)\};/);
  assert.ok(body, 'enum class ErrorCode not found in core/base/status.h');
  const values = new Map();
  for (const line of body[1].split('\n')) {
    const code = line.replace(/\/\/.*$/, '').trim();
    if (code === '') continue;
    const m = code.match(/^(k[A-Za-z0-9]+)\s*=\s*(0x[0-9A-Fa-f]+|\d+)\s*,?$/);
    assert.ok(m, `cannot parse enumerator line: ${line.trim()}`);
    values.set(m[1], Number(m[2]));
  }
  return values;
}

function parseNames() {
  const source = readFileSync(path.join(repoRoot, 'core', 'base', 'status.cc'), 'utf8');
  const names = new Map();
  for (const m of source.matchAll(/case ErrorCode::(k[A-Za-z0-9]+):\s*return "([A-Z_]+)";/g)) {
    names.set(m[1], m[2]);
  }
  assert.ok(names.size > 0, 'no ErrorCodeName cases found in core/base/status.cc');
  return names;
}

function screamingSnake(enumerator) {
  return enumerator
    .slice(1)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase();
}

test('ErrorCode equals the enum in core/base/status.h, named as in core/base/status.cc', () => {
  const values = parseEnum();
  const names = parseNames();
  const expected = {};
  for (const [enumerator, value] of values) {
    if (enumerator === RESERVED) continue;
    const name = names.get(enumerator);
    assert.ok(name, `core/base/status.cc has no name for ${enumerator}`);
    assert.equal(name, screamingSnake(enumerator), `name convention for ${enumerator}`);
    expected[name] = value;
  }
  assert.deepEqual({ ...medseal.ErrorCode }, expected);
});

test('numbers are unique and the reserved value is not a code', () => {
  const numbers = Object.values(medseal.ErrorCode);
  assert.equal(new Set(numbers).size, numbers.length);
  assert.equal(parseEnum().get(RESERVED), 0xffff);
  assert.ok(!numbers.includes(0xffff));
});

test('MedsealError carries name and number', () => {
  const e = new medseal.MedsealError('DECRYPT_FAILED', 'x');
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'MedsealError');
  assert.equal(e.code, 'DECRYPT_FAILED');
  assert.equal(e.numericCode, 10);
});

// The wrapper refuses more than kMaxRecipients cards before reading them
// (src/record.ts, MAX_RECIPIENTS): the limit it applies must be core's.
test('the recipient limit is core/record/sealed_record.h kMaxRecipients', async () => {
  const header = readFileSync(path.join(repoRoot, 'core', 'record', 'sealed_record.h'), 'utf8');
  const m = header.match(/inline constexpr size_t kMaxRecipients = (\d+);/);
  assert.ok(m, 'kMaxRecipients not found in core/record/sealed_record.h');
  const max = Number(m[1]);
  await medseal.init();
  const sender = medseal.Identity.fromSeed(new Uint8Array(32).fill(1), {
    name: 's',
    role: 'r',
    created: 0,
  });
  const cards = Array.from({ length: max + 1 }, (_, i) => {
    const id = medseal.Identity.fromSeed(new Uint8Array(32).fill(i + 2), {
      name: 'n',
      role: 'r',
      created: 0,
    });
    const card = id.card;
    id.dispose();
    return card;
  });
  const payload = { body: 'x', contentType: 't' };
  // Exactly the limit seals (the wrapper is not stricter than core) ...
  const sealed = medseal.sealRecord(sender, cards.slice(0, max), payload);
  assert.equal(medseal.inspectRecord(sealed).recipientKeyIds.length, max);
  // ... and one more is TOO_LARGE, also when the array holds nothing to read.
  for (const list of [cards, new Array(max + 1)]) {
    const error = expectCode(() => medseal.sealRecord(sender, list, payload), 'TOO_LARGE');
    assert.equal(error.message, `TOO_LARGE: recipients: more than ${max} cards`);
  }
  sender.dispose();
});

// SPDX-License-Identifier: Apache-2.0
// Using the library before init() has resolved is a programming error: a
// plain Error, not a MedsealError. (Its own file: node:test runs each file in
// a fresh process, so init() has not been called here.)
import assert from 'node:assert/strict';
import test from 'node:test';

const medseal = await import('../dist/index.js');
const testing = await import('../dist/testing.js');

const CALLS = (lib) => [
  () => lib.parseCard('{}'),
  () => lib.PublicCard.parse('{}'),
  () => lib.Identity.generate({ name: 'a', role: 'b' }),
  () => lib.Identity.fromSeed(new Uint8Array(32), { name: 'a', role: 'b', created: 0 }),
  () => lib.inspectRecord(new Uint8Array(8)),
  () => lib.recordFromJson('{}'),
];
const TESTING_CALLS = [
  () => new testing.DeterministicRng(new Uint8Array(32)),
  () =>
    testing.aead.xchacha20poly1305Encrypt(
      new Uint8Array(32),
      new Uint8Array(24),
      new Uint8Array(0),
      new Uint8Array(0),
    ),
  () => testing.liveHandles(),
];

function isPlainInitError(lib) {
  return (e) =>
    e instanceof Error && !(e instanceof lib.MedsealError) && /init\(\)/.test(e.message);
}

test('calls before init() throw a plain Error', () => {
  for (const call of CALLS(medseal)) assert.throws(call, isPlainInitError(medseal));
  for (const call of [...CALLS(testing), ...TESTING_CALLS])
    assert.throws(call, isPlainInitError(testing));
});

test('init() is idempotent and the library works afterwards', async () => {
  const p1 = medseal.init();
  const p2 = medseal.init();
  assert.equal(p1, p2);
  await p1;
  const id = medseal.Identity.generate({ name: 'a', role: 'b' });
  assert.equal(medseal.parseCard(id.card).keyId, id.keyId);
  id.dispose();
});

test("one instance's init() does not initialise the other", async () => {
  await medseal.init();
  for (const call of [...CALLS(testing), ...TESTING_CALLS])
    assert.throws(call, isPlainInitError(testing));
  await testing.init();
  const rng = new testing.DeterministicRng(new Uint8Array(32));
  assert.equal(rng.fill(4).length, 4);
  rng.dispose();
});

test('init() leaves no CommonJS shims on globalThis', async () => {
  await medseal.init();
  await testing.init();
  assert.equal(typeof globalThis.require, 'undefined');
  assert.equal(typeof globalThis.__dirname, 'undefined');
});

// Using the library before init() has resolved is a programming error: a
// plain Error, not a MedsealError. (Its own file: node:test runs each file in
// a fresh process, so init() has not been called here.)
import assert from 'node:assert/strict';
import test from 'node:test';

const medseal = await import('../dist/index.js');

test('calls before init() throw a plain Error', () => {
  for (const call of [
    () => medseal.parseCard('{}'),
    () => medseal.PublicCard.parse('{}'),
    () => medseal.Identity.generate({ name: 'a', role: 'b' }),
    () => new medseal.DeterministicRng(new Uint8Array(32)),
    () => medseal.aead.xchacha20poly1305Encrypt(new Uint8Array(32), new Uint8Array(24), new Uint8Array(0), new Uint8Array(0)),
  ]) {
    assert.throws(call, (e) => e instanceof Error && !(e instanceof medseal.MedsealError) && /init\(\)/.test(e.message));
  }
});

test('init() is idempotent and the library works afterwards', async () => {
  const p1 = medseal.init();
  const p2 = medseal.init();
  assert.equal(p1, p2);
  await p1;
  assert.equal(medseal.parseCard.length, 1);
  const id = medseal.Identity.generate({ name: 'a', role: 'b' });
  assert.equal(typeof id.card, 'string');
  id.dispose();
});

test('init() leaves no CommonJS shims on globalThis', async () => {
  await medseal.init();
  assert.equal(typeof globalThis.require, 'undefined');
  assert.equal(typeof globalThis.__dirname, 'undefined');
});

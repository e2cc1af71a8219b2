// SPDX-License-Identifier: Apache-2.0
// The known-answer helpers are in 'medseal/testing' only: the production
// entry point and module have none of them, the testing entry point is the
// whole API of a second instance plus the helpers, and the two instances'
// objects do not mix.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';

import { alice, expectCode, medseal, seedOf, testing } from '../test-support/helpers.js';

await medseal.init();
await testing.init();

const HELPERS = ['DeterministicRng', 'aead', 'liveHandles'];
const wasm = (name) => readFileSync(new URL(`../dist/${name}.wasm`, import.meta.url));
const customSection = (bytes, name) =>
  WebAssembly.Module.customSections(new WebAssembly.Module(bytes), name).map((b) =>
    Buffer.from(b).toString(),
  );

test('the package exports ./testing (a self-reference resolves both entry points)', async () => {
  assert.equal(await import('medseal'), medseal);
  assert.equal(await import('medseal/testing'), testing);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(pkg.exports['./testing'], {
    types: './dist/testing.d.ts',
    default: './dist/testing.js',
  });
  for (const file of ['dist/testing.js', 'dist/medseal_core_testing.wasm'])
    assert.ok(pkg.files.includes(file), file);
});

test("'medseal' has no known-answer helper; sealRecord refuses options.rng", () => {
  for (const name of HELPERS) assert.equal(name in medseal, false, name);
  const a = alice();
  const rng = new testing.DeterministicRng(seedOf(1));
  for (const value of [rng, {}, null, 0]) {
    const e = expectCode(
      () => medseal.sealRecord(a, [a.card], { body: 'x', contentType: 't' }, { rng: value }),
      'INVALID_ARGUMENT',
    );
    assert.match(e.message, /options\.rng.*medseal\/testing/);
  }
  rng.dispose();
  a.dispose();
});

test("'medseal/testing' re-exports every public name of 'medseal', for its own instance", () => {
  for (const name of Object.keys(medseal)) {
    assert.ok(name in testing, name);
    if (name === 'ErrorCode') assert.deepEqual(testing[name], medseal[name]);
    else assert.notEqual(testing[name], medseal[name], `${name} is the other instance's`);
  }
  assert.deepEqual(Object.keys(testing).sort(), [...Object.keys(medseal), ...HELPERS].sort());
});

test('the production module contains no testing entry point; the testing module does', () => {
  const production = wasm('medseal_core');
  const withHelpers = wasm('medseal_core_testing');
  // Embind registers each function under its name: the names are in the data.
  for (const entry of [
    '_rngCreate',
    '_rngFill',
    '_sealRecordWithRng',
    '_xchachaSeal',
    '_xchachaOpen',
    '_liveHandles',
  ]) {
    assert.equal(production.indexOf(entry), -1, `medseal_core.wasm registers ${entry}`);
    assert.notEqual(withHelpers.indexOf(entry), -1, `medseal_core_testing.wasm lacks ${entry}`);
  }
  for (const entry of ['_sealRecord', '_openRecord', '_cardParse', '_identityFromSeed']) {
    assert.notEqual(production.indexOf(entry), -1, entry);
  }
  assert.deepEqual(customSection(production, 'medseal_abi'), ['2']);
  assert.deepEqual(customSection(production, 'medseal_testing_abi'), []);
  assert.deepEqual(customSection(withHelpers, 'medseal_abi'), ['2']);
  assert.deepEqual(customSection(withHelpers, 'medseal_testing_abi'), ['2']);
});

test("the two instances' objects do not mix (INVALID_ARGUMENT, not a TypeError)", () => {
  const mine = alice();
  const theirs = alice(testing);
  const theirCard = testing.PublicCard.parse(theirs.card);
  const body = { body: 'x', contentType: 't' };
  expectCode(() => testing.sealRecord(mine, [theirs.card], body), 'INVALID_ARGUMENT');
  expectCode(() => medseal.sealRecord(theirs, [mine.card], body), 'INVALID_ARGUMENT');
  expectCode(() => medseal.sealRecord(mine, [theirCard], body), 'INVALID_ARGUMENT');
  // Card texts and sealed records are data: they cross freely.
  const sealed = testing.sealRecord(theirs, [theirCard], body);
  assert.equal(new TextDecoder().decode(medseal.openRecord(mine, theirs.card, sealed).body), 'x');
  for (const x of [mine, theirs, theirCard]) x.dispose();
});

test('liveHandles counts what each table of the testing instance holds', () => {
  const before = testing.liveHandles();
  assert.deepEqual(Object.keys(before), [
    'identities',
    'cards',
    'rngs',
    'vaultKeys',
    'mlkemKeys',
    'xwingKeys',
  ]);
  const a = alice(testing);
  const card = testing.PublicCard.parse(a.card);
  const rng = new testing.DeterministicRng(seedOf(3));
  const vault = testing.VaultKey.generate();
  const mlkem = testing.MlKem768KeyPair.generate();
  const xwing = testing.XWingPrivateKey.generate();
  assert.deepEqual(testing.liveHandles(), {
    identities: before.identities + 1,
    cards: before.cards + 1,
    rngs: before.rngs + 1,
    vaultKeys: before.vaultKeys + 1,
    mlkemKeys: before.mlkemKeys + 1,
    xwingKeys: before.xwingKeys + 1,
  });
  for (const x of [a, card, rng, vault, mlkem, xwing]) x.dispose();
  assert.deepEqual(testing.liveHandles(), before);
});

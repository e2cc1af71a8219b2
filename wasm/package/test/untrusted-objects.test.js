// SPDX-License-Identifier: Apache-2.0
// The wrapper never trusts a caller's object (src/checks.ts): typed arrays
// are read through the built-in getters, every property of an argument is
// read once before anything is checked, nothing of the caller's runs
// between the checks and the copy into wasm memory, and the library's own
// objects are recognised by their private fields. Each case here was found
// by an outside mutation run (issue 9, "Bad input found from outside").
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  alice,
  bob,
  detachable,
  expectCode,
  medseal,
  seedOf,
  testing,
} from '../test-support/helpers.js';

const {
  Identity,
  PublicCard,
  sealRecord,
  openRecord,
  verifyRecord,
  inspectRecord,
  recordToJson,
  recordFromJson,
} = medseal;

await medseal.init();
await testing.init();

const a = alice();
const b = bob();
const NOW = 1717171717171;
const text = (bytes) => new TextDecoder().decode(bytes);
const good = sealRecord(a, [b.card], { body: 'still works', contentType: 't' }, { now: NOW });

function stillWorks() {
  assert.equal(text(openRecord(b, a.card, good).body), 'still works');
}

// A Uint8Array subclass (or a Uint8Array with own properties) that lies
// about its size and memory.
function liars(bytes) {
  const out = [];
  for (const value of [-1, 1 << 20, NaN, 0]) {
    class Liar extends Uint8Array {
      get length() {
        return value;
      }
      get byteLength() {
        return value;
      }
      get byteOffset() {
        return value;
      }
      get buffer() {
        return new ArrayBuffer(1 << 20);
      }
    }
    const liar = new Liar(bytes.length);
    liar.set(bytes);
    out.push([`subclass, ${value}`, liar]);
    const own = Uint8Array.from(bytes);
    Object.defineProperty(own, 'length', { value });
    Object.defineProperty(own, 'byteLength', { value });
    out.push([`own properties, ${value}`, own]);
  }
  const tagged = Uint8Array.from(bytes);
  Object.defineProperty(tagged, Symbol.toStringTag, { value: 'Nothing to see' });
  out.push(['own Symbol.toStringTag', tagged]);
  return out;
}

test('a typed array that lies about its length: its real bytes, nothing more, nothing less', () => {
  // Something for stale heap memory to hold, had the wrapper trusted a 1 MiB length.
  const earlier = new TextEncoder().encode('EARLIER PATIENT TEXT '.repeat(5000));
  const sealedEarlier = sealRecord(a, [b.card], { body: earlier, contentType: 't' });
  assert.equal(openRecord(b, a.card, sealedEarlier).body.length, earlier.length);

  const body = new TextEncoder().encode('the real body');
  for (const [what, liar] of liars(body)) {
    const sealed = sealRecord(a, [b.card], { body: liar, contentType: 't' }, { now: NOW });
    const opened = openRecord(b, a.card, sealed);
    assert.equal(text(opened.body), 'the real body', what);
    assert.equal(
      inspectRecord(sealed).ciphertextBytes,
      inspectRecord(sealRecord(a, [b.card], { body, contentType: 't' })).ciphertextBytes,
      what,
    );
  }
  for (const [what, liar] of liars(good)) {
    assert.equal(text(openRecord(b, a.card, liar).body), 'still works', what);
    verifyRecord(a.card, liar);
    assert.equal(recordToJson(liar), recordToJson(good), what);
    assert.equal(inspectRecord(liar).senderKeyId, a.keyId, what);
  }
  for (const [what, liar] of liars(seedOf(1))) {
    const id = Identity.fromSeed(liar, {
      name: 'Alice Example',
      role: 'doctor',
      created: 1700000000000,
    });
    assert.equal(id.card, a.card, what);
    id.dispose();
  }
  const key = seedOf(3);
  const nonce = new Uint8Array(24).fill(4);
  const expected = testing.aead.xchacha20poly1305Encrypt(key, nonce, new Uint8Array(0), body);
  for (const [what, liar] of liars(body)) {
    assert.deepEqual(
      testing.aead.xchacha20poly1305Encrypt(key, nonce, new Uint8Array(0), liar),
      expected,
      what,
    );
  }
  stillWorks();
});

test('only a real Uint8Array is bytes: a tag, a Proxy or a look-alike is INVALID_ARGUMENT', () => {
  const taggedView = new DataView(new ArrayBuffer(8));
  Object.defineProperty(taggedView, Symbol.toStringTag, { value: 'Uint8Array' });
  const lookAlike = {
    [Symbol.toStringTag]: 'Uint8Array',
    length: 3,
    byteLength: 3,
    0: 1,
    1: 2,
    2: 3,
  };
  const proxies = [new Proxy(good, {}), new Proxy(good, { get: (t, k) => Reflect.get(t, k) })];
  for (const x of [taggedView, lookAlike, ...proxies]) {
    expectCode(() => openRecord(b, a.card, x), 'INVALID_ARGUMENT');
    expectCode(() => verifyRecord(a.card, x), 'INVALID_ARGUMENT');
    expectCode(() => inspectRecord(x), 'INVALID_ARGUMENT');
    expectCode(() => recordToJson(x), 'INVALID_ARGUMENT');
    expectCode(() => sealRecord(a, [b.card], { body: x, contentType: 't' }), 'INVALID_ARGUMENT');
    expectCode(
      () => Identity.fromSeed(x, { name: 'n', role: 'r', created: 0 }),
      'INVALID_ARGUMENT',
    );
    expectCode(() => new testing.DeterministicRng(x), 'INVALID_ARGUMENT');
    expectCode(
      () =>
        testing.aead.xchacha20poly1305Encrypt(
          x,
          new Uint8Array(24),
          new Uint8Array(0),
          new Uint8Array(0),
        ),
      'INVALID_ARGUMENT',
    );
  }
  stillWorks();
});

test('look-alikes of the library objects are INVALID_ARGUMENT, as arguments and as `this`', () => {
  const card = PublicCard.parse(a.card);
  const fakes = {
    Identity: [Object.create(Identity.prototype), new Proxy(a, {})],
    PublicCard: [Object.create(PublicCard.prototype), new Proxy(card, {})],
    DeterministicRng: [
      Object.create(testing.DeterministicRng.prototype),
      new Proxy(new testing.DeterministicRng(seedOf(1)), {}),
    ],
  };
  const body = { body: 'x', contentType: 't' };
  for (const fake of fakes.Identity) {
    expectCode(() => sealRecord(fake, [b.card], body), 'INVALID_ARGUMENT');
    expectCode(() => openRecord(fake, a.card, good), 'INVALID_ARGUMENT');
    for (const member of ['card', 'keyId', 'disposed']) {
      const get = Object.getOwnPropertyDescriptor(Identity.prototype, member).get;
      expectCode(() => get.call(fake), 'INVALID_ARGUMENT');
    }
    expectCode(() => Identity.prototype.exportSeed.call(fake), 'INVALID_ARGUMENT');
    expectCode(() => Identity.prototype.dispose.call(fake), 'INVALID_ARGUMENT');
  }
  for (const fake of fakes.PublicCard) {
    const e = expectCode(() => sealRecord(a, [b.card, fake], body), 'INVALID_ARGUMENT');
    assert.match(e.message, /^INVALID_ARGUMENT: recipients\[1\] must be/);
    expectCode(() => openRecord(b, fake, good), 'INVALID_ARGUMENT');
    expectCode(() => verifyRecord(fake, good), 'INVALID_ARGUMENT');
    for (const member of [
      'keyId',
      'name',
      'role',
      'created',
      'json',
      'signPublicKey',
      'kxPublicKey',
      'version',
      'postQuantum',
      'xwingPublicKey',
      'keyTypes',
      'disposed',
    ]) {
      const get = Object.getOwnPropertyDescriptor(PublicCard.prototype, member).get;
      expectCode(() => get.call(fake), 'INVALID_ARGUMENT');
    }
    expectCode(() => PublicCard.prototype.dispose.call(fake), 'INVALID_ARGUMENT');
  }
  const ta = alice(testing);
  for (const fake of fakes.DeterministicRng) {
    expectCode(() => testing.sealRecord(ta, [ta.card], body, { rng: fake }), 'INVALID_ARGUMENT');
    expectCode(() => testing.DeterministicRng.prototype.fill.call(fake, 1), 'INVALID_ARGUMENT');
    expectCode(() => testing.DeterministicRng.prototype.dispose.call(fake), 'INVALID_ARGUMENT');
  }
  ta.dispose();
  card.dispose();
  stillWorks();
});

test('a getter that detaches the body during the call: DETACHED_BUFFER', () => {
  const getters = [
    (d) => ({
      body: d.view,
      get contentType() {
        d.detach();
        return 't';
      },
    }),
    (d) => ({
      body: d.view,
      contentType: 't',
      get recordId() {
        d.detach();
        return 'r';
      },
    }),
    (d) => ({
      body: d.view,
      contentType: 't',
      get resourceType() {
        d.detach();
        return 'Binary';
      },
    }),
    (d) =>
      new Proxy(
        { body: d.view, contentType: 't' },
        {
          get: (t, k) => {
            if (k === 'resourceType') d.detach();
            return Reflect.get(t, k);
          },
        },
      ),
  ];
  for (const make of getters) {
    const d = detachable(1000);
    expectCode(() => sealRecord(a, [b.card], make(d)), 'DETACHED_BUFFER');
  }
  for (const option of ['encoding', 'now']) {
    const d = detachable(1000);
    const options = {
      get [option]() {
        d.detach();
        return undefined;
      },
    };
    expectCode(
      () => sealRecord(a, [b.card], { body: d.view, contentType: 't' }, options),
      'DETACHED_BUFFER',
    );
  }
  const seed = detachable(32);
  expectCode(
    () =>
      Identity.fromSeed(seed.view, {
        name: 'n',
        role: 'r',
        get created() {
          seed.detach();
          return 0;
        },
      }),
    'DETACHED_BUFFER',
  );
  stillWorks();
});

test('every property is read once, before anything is checked', () => {
  const reads = [];
  const counting = (target, name) =>
    new Proxy(target, {
      get: (t, k) => {
        reads.push(`${name}.${String(k)}`);
        return Reflect.get(t, k);
      },
    });
  const sealed = sealRecord(
    a,
    counting([b.card, a.card], 'recipients'),
    counting({ body: 'x', contentType: 't', recordId: 'r', resourceType: 'Binary' }, 'payload'),
    counting({ encoding: 'json', now: NOW }, 'options'),
  );
  assert.deepEqual(reads, [
    'recipients.length',
    'recipients.0',
    'recipients.1',
    'payload.body',
    'payload.contentType',
    'payload.recordId',
    'payload.resourceType',
    'options.encoding',
    'options.now',
    'options.rng',
    'options.purposes',
    'options.consentHashes',
    'options.vaultKeys',
  ]);
  assert.equal(text(openRecord(b, a.card, sealed).body), 'x');
  reads.length = 0;
  Identity.generate(counting({ name: 'n', role: 'r' }, 'options')).dispose();
  Identity.fromSeed(seedOf(4), counting({ name: 'n', role: 'r', created: 0 }, 'options')).dispose();
  assert.deepEqual(reads, [
    'options.name',
    'options.role',
    'options.now',
    'options.postQuantum',
    'options.name',
    'options.role',
    'options.created',
    'options.postQuantum',
  ]);

  // The caller's code may run while its objects are read, and may even call
  // the library: nothing is staged yet.
  const other = sealRecord(a, [b.card], {
    body: 'outer',
    get contentType() {
      assert.equal(text(openRecord(b, a.card, good).body), 'still works');
      return 't';
    },
  });
  assert.equal(text(openRecord(b, a.card, other).body), 'outer');
  // A getter that disposes the sender: checked after reading, so DISPOSED.
  const doomed = alice();
  expectCode(
    () =>
      sealRecord(doomed, [b.card], {
        body: 'x',
        get contentType() {
          doomed.dispose();
          return 't';
        },
      }),
    'DISPOSED',
  );
  // A getter that throws: the caller's own error, and the module is fine.
  assert.throws(
    () =>
      sealRecord(a, [b.card], {
        body: 'x',
        get contentType() {
          throw new RangeError('mine');
        },
      }),
    RangeError,
  );
  stillWorks();
});

test('recipients: holes are INVALID_ARGUMENT, more than 64 TOO_LARGE before any element is read', () => {
  const body = { body: 'x', contentType: 't' };
  // eslint-disable-next-line no-sparse-arrays
  for (const [list, index] of [
    [[, b.card], 0],
    [[b.card, , a.card], 1],
    [[b.card, undefined], 1],
  ]) {
    const e = expectCode(() => sealRecord(a, list, body), 'INVALID_ARGUMENT');
    assert.equal(
      e.message,
      `INVALID_ARGUMENT: recipients[${index}] must be a PublicCard or card JSON text`,
    );
  }
  const sparse = [];
  sparse[1e6] = b.card;
  let touched = 0;
  const huge = new Proxy([b.card], {
    get: (t, k) => (k === 'length' ? 2 ** 32 - 1 : (touched++, Reflect.get(t, k))),
  });
  for (const list of [new Array(65), sparse, huge, Array.from({ length: 65 }, () => b.card)]) {
    const e = expectCode(() => sealRecord(a, list, body), 'TOO_LARGE');
    assert.equal(e.message, 'TOO_LARGE: recipients: more than 64 cards');
  }
  assert.equal(touched, 0);
  for (const length of [-1, 1.5, '2', NaN]) {
    const odd = new Proxy([b.card], {
      get: (t, k) => (k === 'length' ? length : Reflect.get(t, k)),
    });
    expectCode(() => sealRecord(a, odd, body), 'INVALID_ARGUMENT');
  }
  stillWorks();
});

test('errors name arguments alike: recipients[i] for texts, cards and disposed cards', () => {
  const body = { body: 'x', contentType: 't' };
  const gone = PublicCard.parse(b.card);
  gone.dispose();
  const cases = [
    [[a.card, '{'], 'MALFORMED', /^MALFORMED: recipients\[1\]: /],
    [[a.card, b.card, gone], 'DISPOSED', /^DISPOSED: recipients\[2\] was disposed$/],
    [
      [42],
      'INVALID_ARGUMENT',
      /^INVALID_ARGUMENT: recipients\[0\] must be a PublicCard or card JSON text$/,
    ],
    [
      ['\uD800'],
      'INVALID_ARGUMENT',
      /^INVALID_ARGUMENT: recipients\[0\] contains a lone UTF-16 surrogate$/,
    ],
  ];
  for (const [list, code, message] of cases) {
    assert.match(expectCode(() => sealRecord(a, list, body), code).message, message);
  }
  assert.match(
    expectCode(() => openRecord(b, '{', good), 'MALFORMED').message,
    /^MALFORMED: senderCard: /,
  );
  stillWorks();
});

test('encoding: only undefined means the default', () => {
  const body = { body: 'x', contentType: 't' };
  assert.ok(sealRecord(a, [b.card], body, { encoding: undefined }) instanceof Uint8Array);
  assert.equal(typeof sealRecord(a, [b.card], body, { encoding: 'json' }), 'string');
  for (const encoding of [null, 0, 1, '', 'JSON', 'Binary', {}]) {
    const e = expectCode(() => sealRecord(a, [b.card], body, { encoding }), 'INVALID_ARGUMENT');
    assert.equal(e.message, "INVALID_ARGUMENT: options.encoding must be 'binary' or 'json'");
  }
  expectCode(() => recordFromJson(new Proxy({}, {})), 'INVALID_ARGUMENT');
  stillWorks();
});

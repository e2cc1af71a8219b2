// SPDX-License-Identifier: Apache-2.0
// Writes native-tests/vectors/attachment/age_pq_card_v1.json: a post-quantum
// medseal identity (a version 2 card with an X-Wing key), its card's age
// recipient "age1pq1..." and its age identity "AGE-SECRET-KEY-PQ-1..."
// (docs/spec/attachment.md §1.1), and files that npm age-encryption (typage,
// an independent age implementation with the mlkem768x25519 recipient)
// encrypts to that recipient, binary and armored, with their plaintext.
// typage draws its own randomness, so this file is made once and committed:
//
//   node native-tests/vectors/generate/age_pq_card_vectors.mjs IDENTITY.json
//
// IDENTITY.json holds { seedHex, name, role, created, card, ageRecipient,
// ageIdentity } of Identity::FromSeed(seed, name, role, created,
// CardKeys::kPostQuantum) with card = card().ToJson(), ageRecipient =
// AgeRecipientStringForCard(card()), ageIdentity = AgeIdentityFor(id).Encode().
// Nothing here is trusted: native-tests/attachment/attachment_test.cc
// (AttachmentKeys.PostQuantumCardVector) re-derives all three from the seed
// and opens every file; wasm/package/test/attachment.test.js does the same
// through the package.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const vectors = path.resolve(here, '..');
const require = createRequire(path.resolve(here, '../../../wasm/package/package.json'));
const typagePath = require.resolve('age-encryption');
const typage = await import(pathToFileURL(typagePath).href);
const typageVersion = JSON.parse(
  fs.readFileSync(path.join(path.dirname(typagePath), '..', 'package.json'), 'utf8'),
).version;

const identity = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
if (!identity.ageRecipient.startsWith('age1pq1')) throw new Error('not a hybrid recipient');
if ((await typage.identityToRecipient(identity.ageIdentity)) !== identity.ageRecipient) {
  throw new Error('typage derives another recipient from the identity');
}

const plaintexts = [
  ['a short text', Buffer.from('Lab result: HbA1c 6.1 %\n', 'utf8'), true],
  [
    '64 KiB + 1000 bytes',
    Buffer.from(Array.from({ length: 65536 + 1000 }, (_, i) => (i * 7 + 3) & 0xff)),
    false,
  ],
];
const files = [];
for (const [what, plain, alsoArmored] of plaintexts) {
  for (const armored of alsoArmored ? [false, true] : [false]) {
    const e = new typage.Encrypter();
    e.addRecipient(identity.ageRecipient);
    const binary = await e.encrypt(plain);
    const file = armored ? Buffer.from(typage.armor.encode(binary), 'utf8') : Buffer.from(binary);
    files.push({
      comment: `${what}, ${armored ? 'armored' : 'binary'}`,
      armored,
      plaintext: plain.toString('base64url'),
      file: file.toString('base64url'),
    });
  }
}
const out = {
  algorithm: 'a post-quantum medseal card as an age mlkem768x25519 recipient',
  spec: 'docs/spec/attachment.md, section 1.1; docs/spec/age.md, section 4.4',
  tool: `npm age-encryption ${typageVersion} (typage)`,
  identity: {
    seedHex: identity.seedHex,
    name: identity.name,
    role: identity.role,
    created: identity.created,
    cardKeys: 'post-quantum',
  },
  card: identity.card,
  ageRecipient: identity.ageRecipient,
  ageIdentity: identity.ageIdentity,
  files,
};
fs.writeFileSync(
  path.join(vectors, 'attachment', 'age_pq_card_v1.json'),
  JSON.stringify(out, null, 1) + '\n',
);

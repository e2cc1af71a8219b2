// SPDX-License-Identifier: Apache-2.0
// Compile-only check of the age API's published types (dist/*.d.ts):
// `npm run typecheck`. Lines marked with an expect-error directive must
// stay errors.
import {
  AgeIdentity,
  AgeRecipient,
  Decryptor,
  Encryptor,
  armorDecode,
  armorEncode,
  decryptFile,
  decryptFileInWorker,
  decryptRange,
  decryptStream,
  encryptFile,
  encryptFileInWorker,
  encryptStream,
  wasmMemoryBytes,
  type AgeKeyType,
  type AgeProgress,
  type WorkerIdentity,
  type WorkerRecipient,
} from '../dist/index.js';

export async function ageUsage(file: File, secretKey: Uint8Array): Promise<number> {
  const id = AgeIdentity.parse(secretKey);
  const fromText = AgeIdentity.parse('AGE-SECRET-KEY-1...');
  const r: AgeRecipient = id.recipient();
  const kind: AgeKeyType = r.type;
  const text: string = r.toString();
  const pw = AgeRecipient.passphrase(new Uint8Array(8), { workFactor: 18 });
  const pwId = AgeIdentity.passphrase(new Uint8Array(8), { maxWorkFactor: 20 });
  const generated = AgeIdentity.generate();
  const exported: Uint8Array = generated.exportSecretKey();

  const bin: Uint8Array = encryptFile(new Uint8Array(3), [r], { armor: true });
  const plain: Uint8Array = decryptFile(bin, [id, pwId]);
  const fromArmor: Uint8Array = decryptFile(armorEncode(bin), [id]);
  const dearmored: Uint8Array = armorDecode('-----BEGIN AGE ENCRYPTED FILE-----');

  const e = new Encryptor([r]);
  const head: Uint8Array = e.push(new Uint8Array(10));
  const tail: Uint8Array = e.finish();
  const d = new Decryptor([id]);
  const out: Uint8Array = d.push(head);
  d.finish();

  const range: Uint8Array = await decryptRange(file, [id], 0, 10);
  const streamed: ReadableStream<Uint8Array> = file
    .stream()
    .pipeThrough(encryptStream([r], { onProgress: (p: AgeProgress) => p.bytesIn + p.bytesOut }))
    .pipeThrough(decryptStream([id]));

  const recipients: WorkerRecipient[] = [
    text,
    r,
    { passphrase: new Uint8Array(4), workFactor: 10 },
  ];
  const identities: WorkerIdentity[] = [
    secretKey,
    id,
    { secretKey },
    { passphrase: new Uint8Array(4) },
  ];
  const inWorker: ReadableStream<Uint8Array> = encryptFileInWorker(file, recipients, {
    onProgress: () => {},
    workerUrl: '/age-worker.js',
  });
  const back: ReadableStream<Uint8Array> = decryptFileInWorker(inWorker, identities);

  // @ts-expect-error secrets do not cross to the Worker as strings
  decryptFileInWorker(file, ['AGE-SECRET-KEY-1...']);
  // @ts-expect-error passphrases are bytes
  AgeRecipient.passphrase('correct horse');
  // @ts-expect-error recipients are AgeRecipient objects
  encryptFile(new Uint8Array(1), ['age1...']);

  for (const k of [id, fromText, r, pw, pwId, generated]) k.dispose();
  void [kind, exported, plain, fromArmor, dearmored, tail, out, range, streamed, back];
  return wasmMemoryBytes();
}

// Compile-only check of the published types (dist/*.d.ts) against how an app
// uses the package: `npm run typecheck` (tsc --noEmit). The lines below marked
// with an expect-error directive must stay errors; if the types loosen, tsc fails.
import {
  aead, DeterministicRng, ErrorCode, Identity, init, inspectRecord, MedsealError, openRecord,
  parseCard, PublicCard, recordFromJson, recordToJson, sealRecord, verifyRecord,
  type ErrorCodeName,
} from '../dist/index.js';

export async function usage(clinicianCard: string): Promise<string> {
  await init();
  await init({ wasmBinary: new Uint8Array(8) });
  const patient = Identity.generate({ name: 'Patient P', role: 'patient' });
  const fixed = Identity.fromSeed(new Uint8Array(32), { name: 'P', role: 'patient', created: 0 });
  const card: string = patient.card;
  const kid: string = patient.keyId;

  const bin: Uint8Array = sealRecord(patient, [clinicianCard], {
    body: '{"resourceType":"Observation"}', contentType: 'application/fhir+json',
    recordId: 'obs-1', resourceType: 'Observation',
  });
  const json: string = sealRecord(patient, [clinicianCard], { body: new Uint8Array(4), contentType: 'text/plain' },
    { encoding: 'json', rng: new DeterministicRng(new Uint8Array(32)), now: 1700000000000 });
  // @ts-expect-error the JSON encoding is a string, not bytes
  const wrong: Uint8Array = sealRecord(patient, [clinicianCard], { body: 'x', contentType: 'text/plain' }, { encoding: 'json' });
  // @ts-expect-error contentType is required
  sealRecord(patient, [clinicianCard], { body: 'x' });
  // @ts-expect-error recipients are cards (PublicCard or JSON text), not identities
  sealRecord(patient, [patient], { body: 'x', contentType: 'text/plain' });
  const clinician = PublicCard.parse(clinicianCard);
  const mixed: Uint8Array = sealRecord(patient, [clinician, clinicianCard], { body: 'x', contentType: 'text/plain' });
  const clinicianKid: string = clinician.keyId;
  const clinicianJson: string = clinician.json;
  const signPk: Uint8Array = clinician.signPublicKey;
  // @ts-expect-error read-only
  clinician.keyId = 'x';
  // @ts-expect-error not constructible: use PublicCard.parse
  new PublicCard();

  const opened = openRecord(fixed, card, bin);
  openRecord(fixed, PublicCard.parse(card), mixed);
  verifyRecord(PublicCard.parse(card), bin);
  const body: Uint8Array = opened.body;
  const created: number = opened.created;
  verifyRecord(card, json);
  const info = inspectRecord(recordFromJson(recordToJson(bin)));
  const ids: string[] = info.recipientKeyIds;
  const parsed = parseCard(card);
  const kx: Uint8Array = parsed.kxPublicKey;
  const ct = aead.xchacha20poly1305Encrypt(new Uint8Array(32), new Uint8Array(24), new Uint8Array(0), body);
  aead.xchacha20poly1305Decrypt(new Uint8Array(32), new Uint8Array(24), new Uint8Array(0), ct);

  try {
    openRecord(patient, card, json);
  } catch (e) {
    if (e instanceof MedsealError) {
      const code: ErrorCodeName = e.code;
      const n: number = ErrorCode[code];
      if (code === 'DECRYPT_FAILED' && n === e.numericCode) return 'no';
      // @ts-expect-error not an error code name
      if (code === 'DECRYPT_FAILD') return 'typo';
    }
  }
  {
    using scoped = Identity.generate({ name: 'S', role: 'device' });
    void scoped.card;
    using scopedCard = PublicCard.parse(scoped.card);
    void scopedCard.name;
  }
  clinician.dispose();
  const cardDisposed: boolean = clinician.disposed;
  patient.dispose();
  const isDisposed: boolean = patient.disposed;
  void [wrong, created, ids, kx, kid, isDisposed, clinicianKid, clinicianJson, signPk, cardDisposed];
  return card;
}

// SPDX-License-Identifier: Apache-2.0
// Compile-only check of the published types (dist/*.d.ts) against how an app
// uses the package: `npm run typecheck` (tsc --noEmit). The lines below marked
// with an expect-error directive must stay errors; if the types loosen, tsc fails.
import {
  ErrorCode,
  Identity,
  init,
  inspectRecord,
  MedsealError,
  openRecord,
  parseCard,
  PublicCard,
  recordFromJson,
  recordToJson,
  sealRecord,
  verifyRecord,
  type ErrorCodeName,
  type InitOptions,
  type SealOptions,
} from '../dist/index.js';
import * as medseal from '../dist/index.js';
import * as testing from '../dist/testing.js';
// @ts-expect-error the known-answer helpers are in medseal/testing only
import { DeterministicRng as NotInMain } from '../dist/index.js';
// @ts-expect-error the raw AEAD is in medseal/testing only
import { aead as alsoNotInMain } from '../dist/index.js';

export async function usage(clinicianCard: string): Promise<string> {
  await init();
  await init({ wasmBinary: new Uint8Array(8) });
  const patient = Identity.generate({ name: 'Patient P', role: 'patient' });
  const fixed = Identity.fromSeed(new Uint8Array(32), { name: 'P', role: 'patient', created: 0 });
  const card: string = patient.card;
  const kid: string = patient.keyId;

  const bin: Uint8Array = sealRecord(patient, [clinicianCard], {
    body: '{"resourceType":"Observation"}',
    contentType: 'application/fhir+json',
    recordId: 'obs-1',
    resourceType: 'Observation',
  });
  const json: string = sealRecord(
    patient,
    [clinicianCard],
    { body: new Uint8Array(4), contentType: 'text/plain' },
    { encoding: 'json', now: 1700000000000 },
  );
  // Each expected error below stays on one line (a directive covers the next
  // line only), so the options are named first.
  const rngOption = { rng: new testing.DeterministicRng(new Uint8Array(32)) };
  const nullEncoding = { encoding: null };
  const x = { body: 'x', contentType: 'text/plain' };
  // @ts-expect-error sealRecord's rng option is in medseal/testing only
  sealRecord(patient, [clinicianCard], x, rngOption);
  // @ts-expect-error null is not an encoding
  sealRecord(patient, [clinicianCard], x, nullEncoding);
  const options: SealOptions = { encoding: 'binary' };
  // @ts-expect-error no rng in the production options
  options.rng = undefined;
  // @ts-expect-error the JSON encoding is a string, not bytes
  const wrong: Uint8Array = sealRecord(
    patient,
    [clinicianCard],
    { body: 'x', contentType: 'text/plain' },
    { encoding: 'json' },
  );
  // @ts-expect-error contentType is required
  sealRecord(patient, [clinicianCard], { body: 'x' });
  // @ts-expect-error recipients are cards (PublicCard or JSON text), not identities
  sealRecord(patient, [patient], { body: 'x', contentType: 'text/plain' });
  const clinician = PublicCard.parse(clinicianCard);
  const mixed: Uint8Array = sealRecord(patient, [clinician, clinicianCard], {
    body: 'x',
    contentType: 'text/plain',
  });
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
  void [
    wrong,
    created,
    ids,
    kx,
    kid,
    isDisposed,
    clinicianKid,
    clinicianJson,
    signPk,
    cardDisposed,
    NotInMain,
    alsoNotInMain,
    medseal,
  ];
  return card;
}

// medseal/testing: the whole API for its own instance, plus the helpers.
export async function knownAnswers(card: string): Promise<Uint8Array> {
  const initOptions: InitOptions = {};
  await testing.init(initOptions);
  const fixed = testing.Identity.fromSeed(new Uint8Array(32), {
    name: 'P',
    role: 'patient',
    created: 0,
  });
  using rng = new testing.DeterministicRng(new Uint8Array(32));
  const bytes: Uint8Array = rng.fill(16);
  const bin: Uint8Array = testing.sealRecord(
    fixed,
    [card],
    { body: bytes, contentType: 'text/plain' },
    { rng, now: 1700000000000 },
  );
  const json: string = testing.sealRecord(
    fixed,
    [testing.PublicCard.parse(card)],
    { body: 'x', contentType: 'text/plain' },
    { rng, encoding: 'json' },
  );
  // @ts-expect-error the JSON encoding is a string here too
  const wrong: Uint8Array = testing.sealRecord(
    fixed,
    [card],
    { body: 'x', contentType: 'text/plain' },
    { rng, encoding: 'json' },
  );
  // @ts-expect-error rng is a DeterministicRng
  testing.sealRecord(fixed, [card], { body: 'x', contentType: 'text/plain' }, { rng: {} });
  const ct: Uint8Array = testing.aead.xchacha20poly1305Encrypt(
    new Uint8Array(32),
    new Uint8Array(24),
    new Uint8Array(0),
    bin,
  );
  testing.aead.xchacha20poly1305Decrypt(
    new Uint8Array(32),
    new Uint8Array(24),
    new Uint8Array(0),
    ct,
  );
  const live: { identities: number; cards: number; rngs: number } = testing.liveHandles();
  const opened = testing.openRecord(fixed, fixed.card, json);
  const err: typeof testing.MedsealError = testing.MedsealError;
  const code: number = testing.ErrorCode.DECRYPT_FAILED;
  fixed.dispose();
  void [wrong, live, err, code];
  return opened.body;
}

// Canonical JSON and consent receipts.
export function receiptUsage(patient: Identity, card: PublicCard, consentJson: string): string {
  const canonical: string = medseal.canonicalizeJson('{"b":1,"a":2}');
  const fromBytes: string = medseal.canonicalizeJson(new TextEncoder().encode('[1.0]'));
  const options: medseal.SignConsentOptions = { fhirVersion: 'R5', now: 1764590400000 };
  const receipt: string = medseal.signConsent(patient, consentJson, options);
  medseal.signConsent(patient, new Uint8Array(2), { fhirVersion: '4.0.1' });
  // @ts-expect-error R6 is not a FHIR version a receipt carries
  medseal.signConsent(patient, consentJson, { fhirVersion: 'R6' });
  // @ts-expect-error the Consent is JSON text or bytes, not an object
  medseal.signConsent(patient, { resourceType: 'Consent' });
  const parsed: medseal.ParsedReceipt = medseal.parseReceipt(receipt);
  const version: medseal.FhirVersion = parsed.fhirVersion;
  const hash: Uint8Array = medseal.consentHash(receipt);
  medseal.verifyReceipt(receipt, card);
  medseal.verifyReceipt(receipt, card.json);
  // @ts-expect-error a receipt verifies with a card, not an identity
  medseal.verifyReceipt(receipt, patient);
  const kantara: Record<string, unknown> = medseal.exportKantaraReceipt(receipt);
  void [canonical, fromBytes, version, hash, kantara, parsed.signed, parsed.signerKeyId];
  return parsed.json;
}

// Consent-gated sharing, withdrawal, re-sealing and erasure (src/share.ts).
export function sharing(
  patient: medseal.Identity,
  doctorCard: string,
  bundle: string,
  receipt: string,
): string {
  const treat = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' };
  const vault = medseal.Vault.create();
  const result: medseal.ShareResult = medseal.share(
    patient,
    bundle,
    [receipt],
    [{ card: doctorCard, actor: { references: [{ reference: 'Practitioner/a' }] } }],
    { purpose: treat, vault },
  );
  const record: string | null = result.resources[0]!.record;
  const withheld: number[] = result.withheld;
  const effect: 'permit' | 'deny' = result.resources[0]!.decisions[0]!.effect;
  // @ts-expect-error a purpose is required
  medseal.share(patient, bundle, [receipt], [{ card: doctorCard }], {});
  // @ts-expect-error share's rng option is in medseal/testing only
  medseal.share(patient, bundle, [], [{ card: doctorCard }], { purpose: treat, rng: 1 });
  const next: string = medseal.withdrawConsent(patient, receipt, {
    scope: 'actor',
    actor: { reference: { reference: 'Practitioner/a' } },
  });
  // @ts-expect-error a grantee withdrawal names the actor
  medseal.withdrawConsent(patient, receipt, { scope: 'actor' });
  const again: medseal.ShareResult[] = medseal.reseal(
    patient,
    record === null ? [] : [record],
    patient.card,
    vault,
    [next],
    [{ card: doctorCard }],
    { purpose: treat },
  );
  const stored: Uint8Array = vault.serialize();
  stored.fill(0);
  const entries: medseal.VaultEntry[] = vault.entries();
  const erasure: medseal.ErasureReceipt = vault.erase(patient, { categories: ['PSY'] });
  medseal.verifyErasureReceipt(erasure.json, patient.card);
  const whom: string[] = erasure.notify.map((n) => n.recipient);
  vault.dispose();
  const testingResult: testing.ShareResult = testing.share(
    testing.Identity.generate({ name: 'P', role: 'patient' }),
    bundle,
    [],
    [{ card: doctorCard }],
    { purpose: treat, rng: new testing.DeterministicRng(new Uint8Array(32)) },
  );
  return `${withheld.length}${effect}${again.length}${entries.length}${whom.length}${testingResult.withheld.length}`;
}

// The verifiable log's events and safety numbers (src/log-event.ts, src/log-safety.ts).
export function logUsage(
  patientCard: string,
  clinician: medseal.PublicCard,
  encoded: string,
): string {
  const n: medseal.SafetyNumber = medseal.safetyNumber(patientCard, clinician);
  const f: medseal.SafetyCardFingerprint = medseal.safetyFingerprint(clinician);
  const qr: Uint8Array = medseal.safetyQrPayload(patientCard, clinician);
  const parsed: medseal.SafetyQr = medseal.parseSafetyQr(qr);
  medseal.verifySafetyQr(qr, clinician, patientCard);
  // @ts-expect-error a QR payload is bytes, not text
  medseal.parseSafetyQr('4d53534e');
  const e: medseal.ParsedLogEvent = medseal.verifyLogEvent(encoded, clinician);
  const salted: Uint8Array = medseal.saltedHash(qr, medseal.SaltDomain.breakGlassReason, 'why');
  const fhir: string = medseal.exportAuditEvent(e.encoded);
  const back: medseal.ParsedLogEvent = medseal.importAuditEvent(fhir);
  return `${n.formatted}${f.digits}${parsed.selfKeyId.length}${salted.length}${back.seq}`;
}

// SPDX-License-Identifier: Apache-2.0
// RFC 8785 canonical JSON and consent receipts (wasm/bindings/receipt.cc;
// format: docs/spec/receipt.md). A receipt is JSON text; the Consent inside
// it is a FHIR R4 or R5 Consent resource, signed by the patient's identity
// and verified with nothing but the patient's public card.
import { checkBytesOrString, checkString, fail, millisOrNow, readFields } from './checks.js';
import { type CardInput, checkCard, withCards } from './card.js';
import { f64, invoke, outBytes, outKeyId, outMillis, outNum, outText, u32 } from './heap.js';
import { identityHandle, type Identity } from './identity.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 JSON text (region); slot 0 = canonical form. */
    _jcsCanonicalize(args: number): number;
    /** 0 patient (u32), 1 Consent JSON (region), 2 FHIR version 4|5 (u32), 3 now (f64). */
    _consentSign(args: number): number;
    /** 0 receipt (region); slots 0-4 receipt, consent, signer, sig, hash; millis, num. */
    _receiptParse(args: number): number;
    /** 0 receipt (region), 1 card (u32). */
    _receiptVerify(args: number): number;
    /** 0 receipt (region); slot 0 = Kantara fields (JSON). */
    _receiptKantara(args: number): number;
  }
}

/** FHIR versions a receipt can carry: FHIR's version codes, or R4 / R5. */
export type FhirVersion = '4.0.1' | '5.0.0';

export interface SignConsentOptions {
  /** 'R4' / '4.0.1' (the default) or 'R5' / '5.0.0'. */
  fhirVersion?: FhirVersion | 'R4' | 'R5';
  /** The signing time, ms since the epoch; default Date.now(). */
  now?: number;
}

/** A receipt as parsed (its structure checked; the signature not yet). */
export interface ParsedReceipt {
  /** The receipt's JSON text in canonical (JCS) form. */
  json: string;
  fhirVersion: FhirVersion;
  /** The signed FHIR Consent resource (a plain object). */
  consent: Record<string, unknown>;
  /** base64url key id of the signer's card. */
  signerKeyId: string;
  /** Signing time, ms since the epoch. */
  signed: number;
  /** The 64-byte Ed25519 signature. */
  signature: Uint8Array;
  /** The 32-byte hash that names this signed version (consentHash). */
  hash: Uint8Array;
}

// core/fhir/consent_resource.h, enum class FhirVersion.
const R4 = 4;
const R5 = 5;

function versionNumber(v: unknown): number {
  if (v === undefined || v === 'R4' || v === '4.0.1') return R4;
  if (v === 'R5' || v === '5.0.0') return R5;
  fail('INVALID_ARGUMENT', "options.fhirVersion must be 'R4', 'R5', '4.0.1' or '5.0.0'");
}

function readReceipt(m: MedsealCoreModule): ParsedReceipt {
  return {
    json: outText(m, 0),
    fhirVersion: outNum(m) === R5 ? '5.0.0' : '4.0.1',
    consent: JSON.parse(outText(m, 1)) as Record<string, unknown>,
    signerKeyId: outKeyId(m, 2),
    signed: outMillis(m),
    signature: outBytes(m, 3),
    hash: outBytes(m, 4),
  };
}

/**
 * The RFC 8785 (JCS) canonical form of JSON text (a string, or UTF-8
 * bytes): members sorted by UTF-16 code units, no whitespace, minimal
 * escapes, numbers as ECMAScript writes them. Input that is not I-JSON
 * (duplicate names, invalid UTF-8, lone surrogates, numbers beyond a
 * double, nesting deeper than 16) throws MedsealError MALFORMED; more than
 * 16 MiB, TOO_LARGE.
 */
export function canonicalizeJson(text: string | Uint8Array): string {
  const m = mod();
  const t = checkBytesOrString(text, 'text');
  invoke(m, m._jcsCanonicalize, [t]);
  return outText(m, 0);
}

/**
 * Signs a FHIR Consent (JSON text, at most 256 KiB) as `patient` and returns
 * the receipt's JSON text. The Consent is checked first (the receipt rules
 * and the FHIR model's rules; their codes).
 */
export function signConsent(
  patient: Identity,
  consentJson: string | Uint8Array,
  options: SignConsentOptions = {},
): string {
  const m = mod();
  const o = readFields(options, 'options', ['fhirVersion', 'now']);
  const h = identityHandle(patient, 'patient');
  const consent = checkBytesOrString(consentJson, 'consentJson');
  const version = versionNumber(o.fhirVersion);
  const now = millisOrNow(o.now, 'options.now');
  invoke(m, m._consentSign, [u32(h), consent, u32(version), f64(now)]);
  return outText(m, 0);
}

/** Parses a receipt (every structural rule of the spec; not the signature). */
export function parseReceipt(receipt: string): ParsedReceipt {
  const m = mod();
  const r = checkString(receipt, 'receipt');
  invoke(m, m._receiptParse, [r]);
  return readReceipt(m);
}

/**
 * Throws unless `receipt` parses and was signed by the owner of `card` (a
 * PublicCard or card JSON text): SENDER_MISMATCH for another signer,
 * SIGNATURE_INVALID for a signature that does not verify.
 */
export function verifyReceipt(receipt: string, card: CardInput): void {
  const m = mod();
  const r = checkString(receipt, 'receipt');
  const c = checkCard(card, 'card');
  withCards(
    m,
    [c],
    () => 'card',
    ([cardHandle]) => {
      invoke(m, m._receiptVerify, [r, u32(cardHandle!)]);
    },
  );
}

/** The 32-byte hash naming this signed version of the consent. */
export function consentHash(receipt: string): Uint8Array {
  return parseReceipt(receipt).hash;
}

/**
 * The ISO/IEC TS 27560 / Kantara Consent Receipt v1.1 fields of a receipt
 * (docs/spec/receipt.md, the mapping), as a plain object.
 */
export function exportKantaraReceipt(receipt: string): Record<string, unknown> {
  const m = mod();
  const r = checkString(receipt, 'receipt');
  invoke(m, m._receiptKantara, [r]);
  return JSON.parse(outText(m, 0)) as Record<string, unknown>;
}

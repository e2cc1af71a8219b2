// SPDX-License-Identifier: Apache-2.0
// FHIR Consent resources (wasm/bindings/consent.cc): read as FHIR R4, R5 or
// either, and written again in either version by the core
// (docs/spec/fhir-consent.md). The consent engine takes consents as FHIR
// JSON text, so this is the one entry point the package needs: it checks a
// consent, reports what the core does not model, and converts R4 <-> R5.
import { checkString, fail, readFields } from './checks.js';
import { invoke, outText, release, u32 } from './heap.js';
import { mod } from './loading.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 consent JSON (region), 1 from (u32: 0 detect, 4, 5), 2 to (u32: 0 same, 4, 5). */
    _consentConvert(args: number): number;
  }
}

/** A FHIR version medseal reads and writes Consent resources in. */
export type FhirVersion = 'R4' | 'R5';

export interface ConvertConsentOptions {
  /** The version to read the consent as; default: detected from its members. */
  from?: FhirVersion;
  /** The version to write; default: the version read. */
  to?: FhirVersion;
}

export interface ConvertedConsent {
  /** The version the consent was read as. */
  fhirVersion: FhirVersion;
  /** The version `json` is written in. */
  targetVersion: FhirVersion;
  /** The consent as the core writes it: FHIR JSON, members in FHIR's element order. */
  json: string;
  /**
   * JSON paths of the elements the core does not model, in document order
   * (e.g. "text", "provision.provision[1].extension"): reported, never
   * silently dropped, and not part of `json`.
   */
  unsupportedPaths: string[];
}

// core/fhir/consent_resource.h, ConvertConsent's version numbers.
const VERSION_NUMBER: Readonly<Record<FhirVersion, number>> = Object.freeze({ R4: 4, R5: 5 });

function versionNumber(x: unknown, what: string): number {
  if (x === undefined) return 0;
  if (x !== 'R4' && x !== 'R5') fail('INVALID_ARGUMENT', `${what} must be 'R4' or 'R5'`);
  return VERSION_NUMBER[x];
}

/**
 * Reads a FHIR Consent (JSON text, at most 256 KiB) and writes it in
 * `options.to` (default: the version read). Bad input throws MedsealError:
 * MALFORMED, TOO_LARGE, TOO_DEEP, UNSUPPORTED_VERSION (a modifierExtension
 * or implicitRules), INVALID_ARGUMENT (a value the target version cannot
 * hold).
 */
export function convertConsent(json: string, options?: ConvertConsentOptions): ConvertedConsent {
  const text = checkString(json, 'json');
  const o = readFields(options === undefined ? {} : options, 'options', ['from', 'to'] as const);
  const from = versionNumber(o.from, 'options.from');
  const to = versionNumber(o.to, 'options.to');
  const m = mod();
  try {
    invoke(m, m._consentConvert, [text, u32(from), u32(to)]);
    return {
      fhirVersion: outText(m, 2) as FhirVersion,
      targetVersion: outText(m, 3) as FhirVersion,
      json: outText(m, 0),
      unsupportedPaths: JSON.parse(outText(m, 1)) as string[],
    };
  } finally {
    release(m);
  }
}

// SPDX-License-Identifier: Apache-2.0
// Sensitivity labels on FHIR resources (wasm/bindings/labeler.cc; rules:
// docs/spec/labeling.md). The core labels with the value sets compiled into
// it and returns its results as JSON text, which this wrapper parses.
import { checkBytesOrString } from './checks.js';
import { invoke, outText } from './heap.js';
import { mod } from './loading.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 FHIR JSON (region); slot 0 = the results as JSON text. */
    _labelResource(args: number): number;
  }
}

/** A code: a security label or the clinical code that matched. */
export interface LabelCoding {
  system: string;
  code: string;
  /** As the data or the resource writes it ('' if none); never decides anything. */
  display: string;
}

/** Why a label (or the confidentiality level) is on a resource. */
export interface LabelReason {
  /** The security label (system + code); for the level, a v3-Confidentiality code. */
  label: LabelCoding;
  /** 'meta.security', 'confidentiality', or the URL of the value set that matched. */
  rule: string;
  /** JSON path within the resource, e.g. 'code.coding[0]' or 'meta.security[1]'. */
  path: string;
  /** The clinical code that matched (for the level: the label that set it); null for meta.security. */
  matched: LabelCoding | null;
}

/** The labels of one resource. */
export interface LabelResult {
  resourceType: string;
  /** '' if the resource has no id. */
  id: string;
  /** Sensitivity labels, de-duplicated, sorted by (system, code); the resource's own meta.security ones included. */
  labels: LabelCoding[];
  /** v3-Confidentiality level: the highest of the resource's own and the one its labels call for. */
  confidentiality: 'N' | 'R' | 'V';
  /** One per (label, matching code), in walk order; the level's own reason last. */
  reasons: LabelReason[];
  /** Generic codes of a value set that the data does not apply (reported, not labeled). */
  suppressed: LabelReason[];
}

/**
 * Labels a FHIR resource, or each entry.resource of a Bundle (one result
 * per entry, in order), with the sensitivity value sets shipped in the core.
 * `json` is FHIR JSON text, or its UTF-8 bytes (at most 16 MiB). Bad input
 * throws MedsealError: MALFORMED (not JSON, not an object, no resourceType,
 * a coding whose code is not a string, a Bundle entry without a resource,
 * nesting deeper than 16), TOO_LARGE, INVALID_ARGUMENT (not a string or
 * Uint8Array).
 */
export function labelResource(json: string | Uint8Array): LabelResult[] {
  const m = mod();
  const input = checkBytesOrString(json, 'json');
  invoke(m, m._labelResource, [input]);
  return JSON.parse(outText(m, 0)) as LabelResult[];
}

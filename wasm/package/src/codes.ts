// SPDX-License-Identifier: Apache-2.0
// Stable error codes, mirrored from core/base/status.h (enum class ErrorCode) and
// the names of core/base/status.cc (ErrorCodeName). test/codes.test.js parses both
// files and fails if this table drifts from them. docs/errors.md documents
// each code.
export const ErrorCode = Object.freeze({
  OK: 0,
  INVALID_ARGUMENT: 1,
  MALFORMED: 2,
  UNSUPPORTED_VERSION: 3,
  TRAILING_DATA: 4,
  DUPLICATE_RECIPIENT: 5,
  NON_CANONICAL: 6,
  TOO_LARGE: 7,
  TRUNCATED: 8,
  NO_MATCHING_RECIPIENT: 9,
  DECRYPT_FAILED: 10,
  SIGNATURE_INVALID: 11,
  SENDER_MISMATCH: 12,
  KEY_ID_MISMATCH: 13,
  WEAK_KEY: 14,
  DISPOSED: 15,
  DETACHED_BUFFER: 16,
  INTERNAL: 17,
  PURPOSE_MISMATCH: 18,
  UNKNOWN_CODE: 19,
  TOO_DEEP: 20,
  KEY_ERASED: 21,
  NOT_PERMITTED: 22,
  CONSENT_INACTIVE: 23,
  HEADER_MAC_MISMATCH: 24,
  ARMOR_MALFORMED: 25,
  UNSUPPORTED_RECIPIENT: 26,
  INVALID_KEY: 27,
  PROOF_INVALID: 28,
  LOG_FORK: 29,
  LOG_TRUNCATED: 30,
  LOG_ENTRY_MODIFIED: 31,
  LOG_ENTRY_MISSING: 32,
  LOG_REORDERED: 33,
  WITNESS_QUORUM: 34,
  REASON_REQUIRED: 35,
  UNEXPECTED_CARD: 36,
  KEY_REVOKED: 37,
  SAFETY_NUMBER_MISMATCH: 50,
} as const);

/** The name of an error a MedsealError can carry (every code except OK). */
export type ErrorCodeName = Exclude<keyof typeof ErrorCode, 'OK'>;

const namesByNumber: ReadonlyMap<number, ErrorCodeName> = new Map(
  (Object.entries(ErrorCode) as [keyof typeof ErrorCode, number][])
    .filter((entry): entry is [ErrorCodeName, number] => entry[0] !== 'OK')
    .map(([name, value]) => [value, name]),
);

/** The name for a numeric code; undefined for OK and for unknown numbers. */
export function errorCodeName(code: number): ErrorCodeName | undefined {
  return namesByNumber.get(code);
}

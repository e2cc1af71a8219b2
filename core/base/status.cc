// SPDX-License-Identifier: Apache-2.0
#include "core/base/status.h"

#include <cstdio>

namespace medseal {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "OK";
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kMalformed: return "MALFORMED";
    case ErrorCode::kUnsupportedVersion: return "UNSUPPORTED_VERSION";
    case ErrorCode::kTrailingData: return "TRAILING_DATA";
    case ErrorCode::kDuplicateRecipient: return "DUPLICATE_RECIPIENT";
    case ErrorCode::kNonCanonical: return "NON_CANONICAL";
    case ErrorCode::kTooLarge: return "TOO_LARGE";
    case ErrorCode::kTruncated: return "TRUNCATED";
    case ErrorCode::kNoMatchingRecipient: return "NO_MATCHING_RECIPIENT";
    case ErrorCode::kDecryptFailed: return "DECRYPT_FAILED";
    case ErrorCode::kSignatureInvalid: return "SIGNATURE_INVALID";
    case ErrorCode::kSenderMismatch: return "SENDER_MISMATCH";
    case ErrorCode::kKeyIdMismatch: return "KEY_ID_MISMATCH";
    case ErrorCode::kWeakKey: return "WEAK_KEY";
    case ErrorCode::kDisposed: return "DISPOSED";
    case ErrorCode::kDetachedBuffer: return "DETACHED_BUFFER";
    case ErrorCode::kInternal: return "INTERNAL";
    case ErrorCode::kPurposeMismatch: return "PURPOSE_MISMATCH";
    case ErrorCode::kUnknownCode: return "UNKNOWN_CODE";
    case ErrorCode::kTooDeep: return "TOO_DEEP";
    case ErrorCode::kKeyErased: return "KEY_ERASED";
    case ErrorCode::kNotPermitted: return "NOT_PERMITTED";
    case ErrorCode::kConsentInactive: return "CONSENT_INACTIVE";
    case ErrorCode::kHeaderMacMismatch: return "HEADER_MAC_MISMATCH";
    case ErrorCode::kArmorMalformed: return "ARMOR_MALFORMED";
    case ErrorCode::kUnsupportedRecipient: return "UNSUPPORTED_RECIPIENT";
    case ErrorCode::kInvalidKey: return "INVALID_KEY";
    case ErrorCode::kProofInvalid: return "PROOF_INVALID";
    case ErrorCode::kLogFork: return "LOG_FORK";
    case ErrorCode::kLogTruncated: return "LOG_TRUNCATED";
    case ErrorCode::kLogEntryModified: return "LOG_ENTRY_MODIFIED";
    case ErrorCode::kLogEntryMissing: return "LOG_ENTRY_MISSING";
    case ErrorCode::kLogReordered: return "LOG_REORDERED";
    case ErrorCode::kWitnessQuorum: return "WITNESS_QUORUM";
    case ErrorCode::kReasonRequired: return "REASON_REQUIRED";
    case ErrorCode::kUnexpectedCard: return "UNEXPECTED_CARD";
    case ErrorCode::kKeyRevoked: return "KEY_REVOKED";
    case ErrorCode::kSafetyNumberMismatch: return "SAFETY_NUMBER_MISMATCH";
    default: return "UNKNOWN";
  }
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s(ErrorCodeName(code_));
  if (!message_.empty()) {
    s += ": ";
    s += message_;
  }
  return s;
}

void CheckFailed(const char* file, int line, const char* expr) {
  (void)std::fprintf(stderr, "medseal: check failed at %s:%d: %s\n", file, line, expr);
  std::abort();
}

}  // namespace medseal

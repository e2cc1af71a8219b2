// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for attachment signature objects
// (ParseAttachmentSignature, core/attachment/attachment.h,
// docs/spec/attachment.md §2.3).
//
// For every input: ParseAttachmentSignature. A failure must carry one of
// the codes of the rules G1-G8 and A1-A24. An object that parses must have
// fields of the sizes the spec gives and metadata that CheckAttachmentMetadata
// accepts, and must round-trip: ToJson parses back to the same fields and the
// same JSON, with the same signed bytes. VerifyAttachmentSender against a
// fixed card must then fail with SENDER_MISMATCH or SIGNATURE_INVALID or
// succeed, nothing else. Any violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/attachment/attachment.h"
#include "core/identity/identity.h"

namespace {

using namespace medseal;  // NOLINT(google-build-using-namespace)

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "attachment_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsParseError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge: return true;
    default: return false;
  }
}

bool Same(const AttachmentSignature& a, const AttachmentSignature& b) {
  return a.sender_key_id == b.sender_key_id && a.header_sha256 == b.header_sha256 &&
         a.file_sha256 == b.file_sha256 && a.metadata.media_type == b.metadata.media_type &&
         a.metadata.name == b.metadata.name && a.metadata.size == b.metadata.size &&
         a.metadata.created == b.metadata.created && a.signature == b.signature;
}

const Identity& Sender() {
  // The vector file's sender (seed 0x10, 0x11, ...).
  static const Identity id = [] {
    SecretBytes seed(32);
    for (size_t i = 0; i < 32; ++i) RevealMutableSecret(seed)[i] = static_cast<uint8_t>(0x10 + i);
    return Identity::FromSeed(seed, "Patient P", "patient", 1764590400000).value();
  }();
  return id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  auto parsed = ParseAttachmentSignature(input);
  if (!parsed.ok()) {
    if (!IsParseError(parsed.status().code())) Bug("parse failed with a non-parse error code");
    return 0;
  }
  if (parsed->sender_key_id.size() != kKeyIdSize || parsed->header_sha256.size() != 32 ||
      parsed->file_sha256.size() != 32 || parsed->signature.size() != 64) {
    Bug("accepted object has a field of the wrong size");
  }
  if (!CheckAttachmentMetadata(parsed->metadata).ok()) Bug("accepted metadata fails its check");
  auto json = parsed->ToJson();
  if (!json.ok()) Bug("ToJson of an accepted object fails");
  if (json->size() > kMaxAttachmentSignatureJsonBytes) Bug("ToJson is longer than the limit");
  auto again = ParseAttachmentSignature(AsBytes(*json));
  if (!again.ok()) Bug("ToJson of an accepted object does not parse");
  if (!Same(*parsed, *again)) Bug("round trip changed a field");
  if (again->SignedBytes() != parsed->SignedBytes()) Bug("signed bytes differ after a round trip");
  auto json2 = again->ToJson();
  if (!json2.ok() || *json2 != *json) Bug("JSON is not stable");
  auto verified = VerifyAttachmentSender(input, Sender().card());
  if (!verified.ok() && verified.status().code() != ErrorCode::kSenderMismatch &&
      verified.status().code() != ErrorCode::kSignatureInvalid) {
    Bug("verification of a parsed object failed with another code");
  }
  return 0;
}

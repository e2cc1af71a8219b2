// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for consent receipts (consent::ParseReceipt,
// core/consent/receipt.h).
//
// For every input: ParseReceipt. A failure must carry a receipt error code
// (docs/spec/receipt.md §5, and the FHIR consent reader's codes for R10). A
// receipt that parses must round-trip (ToJson parses back to the same
// canonical text, which is its own JCS form), its hash, signed bytes and
// Kantara export must be computable, and verifying it against a fixed card
// must fail cleanly with SENDER_MISMATCH or SIGNATURE_INVALID (or succeed,
// if the fuzzer finds that card's signature). Any violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/secret.h"
#include "core/codec/jcs.h"
#include "core/consent/receipt.h"
#include "core/identity/identity.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "receipt_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsReceiptError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTooDeep:
    case ErrorCode::kUnknownCode: return true;
    default: return false;
  }
}

const PublicCard& Card() {
  // The vector file's patient (seed 0x01 x 32).
  static const Identity* id =
      new Identity(std::move(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 0x01)), "Patient P",
                                                "patient", 1700000000000))
                       .value());
  return id->card();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = consent::ParseReceipt(text);
  if (!r.ok()) {
    if (!IsReceiptError(r.status().code())) Bug("parse failed with a non-receipt error code");
    return 0;
  }
  auto json = r->ToJson();
  if (!json.ok()) Bug("a parsed receipt has no JSON form");
  auto again = consent::ParseReceipt(*json);
  if (!again.ok()) Bug("ToJson of a parsed receipt does not parse");
  auto json2 = again->ToJson();
  if (!json2.ok() || *json2 != *json) Bug("receipt JSON is not stable");
  auto canonical = CanonicalizeJsonText(*json, consent::kMaxReceiptJsonBytes + 1);
  if (!canonical.ok() || *canonical != *json) Bug("ToJson is not the JCS form");
  auto hash = consent::ConsentHash(*r);
  if (!hash.ok() || hash->size() != consent::kConsentHashSize) Bug("no consent hash");
  if (!r->SignedBytes().ok()) Bug("no signed bytes");
  if (!consent::ExportKantaraReceipt(*r).ok()) Bug("no Kantara export of a parsed receipt");
  const Status v = consent::VerifyReceipt(*r, Card());
  if (!v.ok() && v.code() != ErrorCode::kSenderMismatch &&
      v.code() != ErrorCode::kSignatureInvalid) {
    Bug("verification failed with an unexpected code");
  }
  return 0;
}

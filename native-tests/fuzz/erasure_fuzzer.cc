// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the erasure vault's two parsers (core/consent/vault.h):
// ParseErasureReceipt on the input as JSON text and Vault::Parse on the input
// as stored vault bytes.
//
// A failure must carry a data error code. A receipt that parses must
// round-trip: ToJson parses back to the same fields and the same JSON. A
// vault that parses must serialize back to exactly the input (its format
// has one spelling per vault). Any violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/secret.h"
#include "core/consent/vault.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "erasure_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsDataError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTruncated:
    case ErrorCode::kTrailingData: return true;
    default: return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto receipt = consent::ParseErasureReceipt(text);
  if (!receipt.ok()) {
    if (!IsDataError(receipt.status().code())) Bug("receipt: a non-data error code");
  } else {
    auto json = receipt->ToJson();
    if (!json.ok()) Bug("receipt: ToJson failed on an accepted receipt");
    auto again = consent::ParseErasureReceipt(*json);
    if (!again.ok()) Bug("receipt: ToJson does not parse");
    if (again->erased != receipt->erased || again->notify != receipt->notify ||
        again->signature != receipt->signature || again->erased_at != receipt->erased_at) {
      Bug("receipt: round trip changed a field");
    }
    auto json2 = again->ToJson();
    if (!json2.ok() || *json2 != *json) Bug("receipt: JSON is not stable");
  }

  auto vault = consent::Vault::Parse(ByteView(data, size));
  if (!vault.ok()) {
    if (!IsDataError(vault.status().code())) Bug("vault: a non-data error code");
    return 0;
  }
  const SecretBytes stored = vault->Serialize();
  if (!ConstantTimeEqual(RevealSecret(stored), ByteView(data, size))) {
    Bug("vault: a parsed vault does not serialize to its input");
  }
  return 0;
}

// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for typed recovery keys (core/keystore/recovery.h).
//
// For every input: ParseRecoveryKey, DiagnoseRecoveryKey and, for the first
// 8 bytes, RecoveryGroupValid. The two must agree (same code; bad groups
// only for RECOVERY_KEY_CHECKSUM, each 0..7, ascending); a key that parses
// is 32 bytes and formats to a text that parses back to the same key, each of
// its groups valid at its position. The input's first 32 bytes are also
// formatted as a key and must round-trip. Any violation aborts. Seeds: the
// recovery keys of keystore/keystore_v1.json.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "core/keystore/recovery.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "recovery_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

void CheckRoundTrip(const SecretBytes& key) {
  SecretBytes text = FormatRecoveryKey(key);
  ByteView t = RevealSecret(text);
  if (t.size() != kRecoveryTextSize) Bug("text size");
  for (size_t g = 0; g < kRecoveryGroups; ++g) {
    if (!RecoveryGroupValid(t.subspan(g * 9, 8), g)) Bug("formatted group invalid");
  }
  auto back = ParseRecoveryKey(t);
  if (!back.ok() || !ConstantTimeEqual(RevealSecret(*back), RevealSecret(key))) {
    Bug("format / parse round trip");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView in(data, size);
  auto key = ParseRecoveryKey(in);
  RecoveryKeyDiagnosis d = DiagnoseRecoveryKey(in);
  if (d.code != key.status().code()) Bug("parse and diagnosis disagree");
  if (key.ok()) {
    if (key->size() != kRecoveryKeySize) Bug("key size");
    CheckRoundTrip(*key);
  } else {
    const ErrorCode c = key.status().code();
    if (c != ErrorCode::kMalformed && c != ErrorCode::kTooLarge &&
        c != ErrorCode::kRecoveryKeyChecksum) {
      Bug("unexpected error code");
    }
  }
  if (!d.bad_groups.empty() && d.code != ErrorCode::kRecoveryKeyChecksum) Bug("groups w/o code");
  for (size_t i = 0; i < d.bad_groups.size(); ++i) {
    if (d.bad_groups[i] >= kRecoveryGroups) Bug("group index");
    if (i > 0 && d.bad_groups[i] <= d.bad_groups[i - 1]) Bug("group order");
  }
  if (size >= 8) (void)RecoveryGroupValid(in.first(8), data[0] % 9);
  if (size >= kRecoveryKeySize) CheckRoundTrip(SecretBytes::CopyFrom(in.first(kRecoveryKeySize)));
  return 0;
}

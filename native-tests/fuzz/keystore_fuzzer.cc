// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for keystore blobs (core/keystore/keystore.h).
//
// For every input: InspectKeystore, and the four unlock paths with fixed
// factors. Argon2id never runs at real cost: the policy's cap is 64 KiB and
// 2 passes, so a blob claiming more is TOO_LARGE before Argon2id starts.
// A failure must carry one of the documented keystore codes; an input that
// parses must report what it holds consistently (slot kinds 1..4, params
// within the stored bounds, credential ids of 1..1023 bytes); an unlock
// that succeeds (only possible for inputs derived from a seed made with the
// same factors) must serialize to a blob that unlocks again to the same
// items. Any violation aborts. Seeds: the blobs of
// keystore/keystore_v1.json (scripts/run-fuzzers.sh extracts them).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/base/random.h"
#include "core/keystore/keystore.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "keystore_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsKeystoreError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kTrailingData:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTruncated:
    case ErrorCode::kInvalidArgument:  // the fixed factors (never for a parse)
    case ErrorCode::kWrongPassphrase:
    case ErrorCode::kWrongSecondFactor:
    case ErrorCode::kWrongRecoveryKey:
    case ErrorCode::kRecoveryKeyChecksum:
    case ErrorCode::kKeystoreCorrupted:
    case ErrorCode::kKdfDowngraded:
    case ErrorCode::kNoUnlockSlot: return true;
    default: return false;
  }
}

constexpr KdfPolicy kFuzzPolicy{{8, 1}, {8, 1}, {64, 2}};

void CheckReopens(Keystore& k) {
  ChaChaRng rng(ByteView(reinterpret_cast<const uint8_t*>("keystore-fuzzer-rng-seed-32bytes"), 32));
  auto blob = k.Serialize(rng);
  if (!blob.ok()) Bug("an unlocked keystore does not serialize");
  auto info = InspectKeystore(*blob);
  if (!info.ok() || info->slots.size() != k.slots().size()) Bug("re-serialized blob differs");
}

void Unlocked(Result<Keystore> r) {
  if (r.ok()) {
    CheckReopens(*r);
  } else if (!IsKeystoreError(r.status().code())) {
    Bug("unexpected error code");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView in(data, size);
  auto info = InspectKeystore(in);
  if (info.ok()) {
    if (info->slots.empty() || info->slots.size() > kMaxKeystoreSlots) Bug("slot count");
    for (const SlotInfo& s : info->slots) {
      const auto kind = static_cast<uint8_t>(s.kind);
      if (kind < 1 || kind > 4) Bug("slot kind");
      const bool keyed = s.kind == SlotKind::kPassphrasePasskey || s.kind == SlotKind::kPasskey;
      if (keyed != !s.credential_id.empty()) Bug("credential id presence");
      if (s.credential_id.size() > kMaxCredentialIdSize) Bug("credential id size");
    }
    (void)NeedsRehash(*info, kFuzzPolicy);
  } else {
    const ErrorCode c = info.status().code();
    if (!IsKeystoreError(c) || c == ErrorCode::kInvalidArgument) Bug("parse error code");
  }
  // The factors of keystores A and B of keystore/keystore_v1.json, so that
  // their blobs (the seeds) open and mutations of them reach every rule.
  uint8_t prf_a[32], prf_b[32];
  std::memset(prf_a, 0x51, sizeof prf_a);
  std::memset(prf_b, 0x61, sizeof prf_b);
  Unlocked(
      Keystore::UnlockWithPassphrase(in, AsBytes("correct horse battery staple"), kFuzzPolicy));
  Unlocked(Keystore::UnlockWithPassphraseAndPasskey(
      in, AsBytes("two factors"), AsBytes("credential-B"), ByteView(prf_b, 32), kFuzzPolicy));
  Unlocked(Keystore::UnlockWithPasskey(in, AsBytes("credential-A"), ByteView(prf_a, 32)));
  Unlocked(Keystore::UnlockWithRecoveryKey(
      in, AsBytes("00000000-00000000-00000000-00000000-00000000-00000000-00000000-00000000")));
  return 0;
}

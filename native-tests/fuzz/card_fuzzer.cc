// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for public cards (PublicCard::ParseJson, core/identity/card.h).
//
// For every input: ParseJson. A failure must carry a data error code. A card
// that parses must be internally consistent (key id derived from its keys,
// self-signature valid, creation time in range, key-agreement key not of
// small order; for version 2, the key list sorted by type, each type once,
// of types 3..255, every key non-empty, an X-Wing key of 1216 bytes that
// passes CheckXWingPublicKey) and must round-trip: ToJson parses back to a
// card with the same fields, version and keys, and the same JSON. Any
// violation aborts. The seeds (scripts/run-fuzzers.sh) include the version 1
// and version 2 cards of identity/card_v1.json and identity/card_v2.json.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xwing.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "card_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsCardError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kKeyIdMismatch:
    case ErrorCode::kSignatureInvalid:
    case ErrorCode::kWeakKey:
    case ErrorCode::kInvalidKey: return true;
    default: return false;
  }
}

bool SameCard(const PublicCard& a, const PublicCard& b) {
  return a.key_id() == b.key_id() && a.sign_public_key() == b.sign_public_key() &&
         a.kx_public_key() == b.kx_public_key() && a.name() == b.name() && a.role() == b.role() &&
         a.created() == b.created() && a.signature() == b.signature() &&
         a.version() == b.version() && a.keys() == b.keys();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto card = PublicCard::ParseJson(text);
  if (!card.ok()) {
    if (!IsCardError(card.status().code())) Bug("parse failed with a non-card error code");
    return 0;
  }
  const bool v2 = card->version() == kCardVersion2;
  if (!v2 && card->version() != kCardVersion1) Bug("accepted card of another version");
  if (v2 == card->keys().empty()) Bug("key list present exactly when version 2 is wrong");
  const Bytes expected_kid = v2 ? DeriveKeyIdV2(card->sign_public_key(), card->kx_public_key(),
                                                card->keys())
                                : DeriveKeyId(card->sign_public_key(), card->kx_public_key());
  if (card->key_id() != expected_kid) Bug("accepted card has a key id not derived from its keys");
  for (size_t i = 0; i < card->keys().size(); ++i) {
    const CardKey& k = card->keys()[i];
    if (k.type < kCardKeyXWing) Bug("accepted key of type 0, 1 or 2");
    if (k.key.empty()) Bug("accepted an empty key");
    if (i > 0 && card->keys()[i - 1].type >= k.type) Bug("key list not strictly sorted");
    if (k.type == kCardKeyXWing && !CheckXWingPublicKey(k.key).ok()) {
      Bug("accepted an X-Wing key that fails its check");
    }
  }
  if (card->has_post_quantum_key() && card->xwing_public_key().size() != kXWingPublicKeySize) {
    Bug("post-quantum card without a 1216-byte X-Wing key");
  }
  if (!Ed25519Verify(card->sign_public_key(), card->SignedBytes(), card->signature()).ok()) {
    Bug("accepted card has an invalid self-signature");
  }
  if (card->created() < 0 || card->created() > kMaxUnixMillis) {
    Bug("accepted card has a creation time outside 0..2^53-1");
  }
  if (!CheckX25519PublicKey(card->kx_public_key()).ok()) {
    Bug("accepted card has a small-order key-agreement key");
  }

  std::string json = card->ToJson();
  auto again = PublicCard::ParseJson(json);
  if (!again.ok()) Bug("ToJson of an accepted card does not parse");
  if (!SameCard(*card, *again)) Bug("card round trip changed a field");
  if (again->ToJson() != json) Bug("card JSON is not stable");
  return 0;
}

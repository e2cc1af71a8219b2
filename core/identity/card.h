// SPDX-License-Identifier: Apache-2.0
// Public cards: an identity's two public keys (Ed25519 for signatures,
// X25519 for key agreement) bound to a display name, a role and a creation
// time, self-signed. A parsed PublicCard has been fully verified: every
// field, the key id and the self-signature. Public data only: safe to copy,
// log and share. Format: docs/spec/record.md §2.
#ifndef MEDSEAL_CORE_IDENTITY_CARD_H_
#define MEDSEAL_CORE_IDENTITY_CARD_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kKeyIdSize = 16;
inline constexpr size_t kMaxCardNameBytes = 128;
inline constexpr size_t kMaxCardRoleBytes = 32;
inline constexpr size_t kMaxCardJsonBytes = 4096;

// key id = BLAKE2b-128("medseal/v1/key-id" 0x00 || sign_pk || kx_pk)
Bytes DeriveKeyId(ByteView sign_public_key, ByteView kx_public_key);

// kOk if `name` can be a card's display name: at most 128 bytes (else
// kTooLarge), valid UTF-8 without control characters (else kMalformed).
[[nodiscard]] Status CheckCardName(std::string_view name);
// kOk if `role` can be a card's role: 1..32 bytes (empty: kMalformed, longer:
// kTooLarge) of [a-z0-9-] (else kMalformed).
[[nodiscard]] Status CheckCardRole(std::string_view role);
// True if `created` can be a card's creation time: 0..kMaxUnixMillis.
bool IsValidCardTime(UnixMillis created);

namespace internal {
struct PublicCardAccess;  // core/identity/identity.cc: builds and signs cards
}  // namespace internal

class PublicCard {
 public:
  // Parses and verifies a card (JSON): the rules G1-G8 and C1-C27 of
  // docs/spec/record.md §1.2 and §2.3, in that order, each with its code
  // (kTooLarge, kMalformed, kNonCanonical, kUnsupportedVersion,
  // kKeyIdMismatch, kSignatureInvalid, kWeakKey for a small-order X25519 key).
  static Result<PublicCard> ParseJson(std::string_view json);
  // The card's JSON text as medseal writes it: its RFC 8785 (JCS) canonical
  // form (spec §2.3).
  std::string ToJson() const;

  const Bytes& key_id() const { return key_id_; }
  const Bytes& sign_public_key() const { return sign_pk_; }
  const Bytes& kx_public_key() const { return kx_pk_; }
  const std::string& name() const { return name_; }
  const std::string& role() const { return role_; }
  UnixMillis created() const { return created_; }
  const Bytes& signature() const { return signature_; }

  // The bytes the self-signature covers (spec §2.2).
  Bytes SignedBytes() const;

 private:
  friend class Identity;
  friend struct internal::PublicCardAccess;
  PublicCard() = default;
  Bytes key_id_, sign_pk_, kx_pk_;
  std::string name_, role_;
  UnixMillis created_ = 0;
  Bytes signature_;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_IDENTITY_CARD_H_

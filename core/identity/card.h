// SPDX-License-Identifier: Apache-2.0
// Public cards: an identity's two public keys (Ed25519 for signatures,
// X25519 for key agreement) bound to a display name, a role and a creation
// time, self-signed. A parsed PublicCard has been fully verified: every
// field, the key id and the self-signature. Public data only: safe to copy,
// log and share. Format: docs/spec/record.md §2.
#ifndef MEDSEAL_CORE_IDENTITY_CARD_H_
#define MEDSEAL_CORE_IDENTITY_CARD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kKeyIdSize = 16;
inline constexpr size_t kMaxCardNameBytes = 128;
inline constexpr size_t kMaxCardRoleBytes = 32;
inline constexpr size_t kMaxCardJsonBytes = 4096;

// Card versions (docs/spec/record.md §2, §6): version 1 has the two keys;
// version 2 adds a typed key list (issue #14: the X-Wing key).
inline constexpr uint8_t kCardVersion1 = 1;
inline constexpr uint8_t kCardVersion2 = 2;

// Card key types (spec §6): one registry with the record's stanza types, so
// stanza type t wraps the data key to the card key of type t. Type 3 is the
// X-Wing (ML-KEM-768 + X25519, core/crypto/xwing.h) public key, 1216 bytes;
// it is also the key of age's mlkem768x25519 recipient (age1pq1...).
inline constexpr uint8_t kCardKeyXWing = 3;

// One entry of a version 2 card's typed key list. Types this build does not
// know are kept (and re-serialised) but never offered to sealing.
struct CardKey {
  uint8_t type = 0;
  Bytes key;
  bool operator==(const CardKey&) const = default;
};

// key id = BLAKE2b-128("medseal/v1/key-id" 0x00 || sign_pk || kx_pk)
Bytes DeriveKeyId(ByteView sign_public_key, ByteView kx_public_key);
// A version 2 card's key id, over every key (spec §6):
// BLAKE2b-128("medseal/v2/key-id" 0x00 || sign_pk || kx_pk || typed key list)
Bytes DeriveKeyIdV2(ByteView sign_public_key, ByteView kx_public_key,
                    const std::vector<CardKey>& keys);

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
  // 1 or 2 (kCardVersion1, kCardVersion2).
  uint8_t version() const { return version_; }
  // A version 2 card's typed key list, sorted by type, each type once;
  // empty for version 1.
  const std::vector<CardKey>& keys() const { return keys_; }
  // The card's X-Wing public key (type kCardKeyXWing, 1216 bytes), or an
  // empty view when the card has none (every version 1 card).
  ByteView xwing_public_key() const;
  // True when records and files sealed to this card can be post-quantum
  // protected (the card has an X-Wing key).
  bool has_post_quantum_key() const { return !xwing_public_key().empty(); }
  // The types of keys(), in order, one byte each (empty for version 1): what
  // the wasm package reports as `keyTypes`.
  Bytes key_types() const;

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
  uint8_t version_ = kCardVersion1;
  std::vector<CardKey> keys_;  // version 2 only
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_IDENTITY_CARD_H_

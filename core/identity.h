// Identities: an Ed25519 signing key and an X25519 key-agreement key, and the
// self-signed public card that others use to seal to and verify an identity.
// Format: docs/spec/record.md §2 (card) and §3 (key derivation).
#ifndef MEDSEAL_CORE_IDENTITY_H_
#define MEDSEAL_CORE_IDENTITY_H_

#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/secret.h"
#include "core/status.h"

namespace medseal {

inline constexpr size_t kKeyIdSize = 16;
inline constexpr size_t kIdentitySeedSize = 32;
inline constexpr size_t kMaxCardNameBytes = 128;
inline constexpr size_t kMaxCardRoleBytes = 32;
inline constexpr size_t kMaxCardJsonBytes = 4096;

// key id = BLAKE2b-128("medseal/v1/key-id" 0x00 || sign_pk || kx_pk)
Bytes DeriveKeyId(ByteView sign_public_key, ByteView kx_public_key);

class PublicCard {
 public:
  // Parses and verifies a card (JSON). Every field is checked; the key id
  // must be the one derived from the keys and the self-signature must verify.
  static Result<PublicCard> ParseJson(std::string_view json);
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
  PublicCard() = default;
  Bytes key_id_, sign_pk_, kx_pk_;
  std::string name_, role_;
  UnixMillis created_ = 0;
  Bytes signature_;
};

class Identity {
 public:
  // Derives both key pairs from a 32-byte seed (spec §3). `name` is a display
  // name (UTF-8, at most 128 bytes); `role` is 1..32 of [a-z0-9-].
  static Result<Identity> FromSeed(const SecretBytes& seed, std::string_view name,
                                   std::string_view role, UnixMillis created);
  static Result<Identity> Generate(Rng& rng, Clock& clock, std::string_view name,
                                   std::string_view role);

  Identity(Identity&&) noexcept = default;
  Identity& operator=(Identity&&) noexcept = default;

  const PublicCard& card() const { return card_; }
  const Bytes& key_id() const { return card_.key_id(); }

  // Signs `message` with the Ed25519 key.
  Bytes Sign(ByteView message) const;
  // X25519 with the identity's key-agreement key.
  Result<SecretBytes> Agree(ByteView peer_public_key) const;
  // The 32-byte seed, for storing the identity in a keystore.
  const SecretBytes& seed() const { return seed_; }

 private:
  Identity() = default;
  SecretBytes seed_;
  SecretBytes sign_sk_;
  SecretBytes kx_sk_;
  PublicCard card_;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_IDENTITY_H_

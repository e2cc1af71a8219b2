// SPDX-License-Identifier: Apache-2.0
// Identities: an Ed25519 signing key and an X25519 key-agreement key, both
// derived from one 32-byte seed, and the self-signed public card that others
// use to seal to and verify the identity. Holds secret keys (SecretBytes,
// wiped on destruction); move-only. Derivation: docs/spec/record.md §3.
#ifndef MEDSEAL_CORE_IDENTITY_IDENTITY_H_
#define MEDSEAL_CORE_IDENTITY_IDENTITY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/crypto/xwing.h"
#include "core/identity/card.h"

namespace medseal {

inline constexpr size_t kIdentitySeedSize = 32;

// Which keys an identity's card carries. The numbers are stable (the wasm
// bindings pass them through).
enum class CardKeys : uint32_t {
  kClassic = 0,      // a version 1 card: Ed25519 + X25519
  kPostQuantum = 1,  // a version 2 card: also an X-Wing key (spec §3, §6)
};

class Identity {
 public:
  // Derives both key pairs from a 32-byte seed (spec §3; other sizes are
  // kInvalidArgument). `name` and `role` as CheckCardName/CheckCardRole;
  // `created` must be a valid card time (IsValidCardTime: 0..2^53 - 1,
  // spec §2.2), else kInvalidArgument.
  static Result<Identity> FromSeed(const SecretBytes& seed, std::string_view name,
                                   std::string_view role, UnixMillis created);
  // A fresh seed of 32 bytes from `rng`, created = clock.Now().
  static Result<Identity> Generate(Rng& rng, Clock& clock, std::string_view name,
                                   std::string_view role);
  // The same, with the card's keys chosen: kPostQuantum also derives the
  // X-Wing key from the seed and makes a version 2 card (spec §3, §6). The
  // overloads above are kClassic.
  static Result<Identity> FromSeed(const SecretBytes& seed, std::string_view name,
                                   std::string_view role, UnixMillis created, CardKeys keys);
  static Result<Identity> Generate(Rng& rng, Clock& clock, std::string_view name,
                                   std::string_view role, CardKeys keys);

  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;
  Identity(Identity&&) noexcept = default;
  Identity& operator=(Identity&&) noexcept = default;
  ~Identity() = default;

  const PublicCard& card() const { return card_; }
  const Bytes& key_id() const { return card_.key_id(); }

  // Signs `message` with the Ed25519 key.
  Bytes Sign(ByteView message) const;
  // X25519 with the identity's key-agreement key (kWeakKey for a
  // small-order peer key).
  Result<SecretBytes> Agree(ByteView peer_public_key) const;
  // A copy of the X25519 secret key behind the card's kx key, for age's
  // X25519 identity (core/attachment: a card's kx key is an age recipient).
  SecretBytes CopyKxSecretKey() const { return SecretBytes::CopyFrom(RevealSecret(kx_sk_)); }
  // The 32-byte seed, for storing the identity in a keystore.
  const SecretBytes& seed() const { return seed_; }

  // The X-Wing key behind the card's kCardKeyXWing key, or null for a
  // classic identity. Its seed is also the age mlkem768x25519 identity
  // (core/attachment).
  const XWingPrivateKey* xwing_key() const { return xwing_ ? &*xwing_ : nullptr; }

 private:
  Identity() = default;
  SecretBytes seed_;
  SecretBytes sign_sk_;
  SecretBytes kx_sk_;
  std::optional<XWingPrivateKey> xwing_;
  PublicCard card_;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_IDENTITY_IDENTITY_H_

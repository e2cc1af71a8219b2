// SPDX-License-Identifier: Apache-2.0
#include "core/identity/identity.h"

#include "core/codec/byte_io.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"
#include "core/identity/internal/card_internal.h"

namespace medseal {
namespace {

constexpr std::string_view kEd25519SeedLabel = "medseal/v1/identity/ed25519";
constexpr std::string_view kX25519Label = "medseal/v1/identity/x25519";

}  // namespace

namespace internal {

// The one place that fills in and signs a card (PublicCard's fields are
// private; this struct is its friend).
struct PublicCardAccess {
  static PublicCard SignCard(const Identity& signer, ByteView sign_pk, ByteView kx_pk,
                             std::string_view name, std::string_view role, UnixMillis created) {
    PublicCard card;
    card.sign_pk_.assign(sign_pk.begin(), sign_pk.end());
    card.kx_pk_.assign(kx_pk.begin(), kx_pk.end());
    card.key_id_ = DeriveKeyId(card.sign_pk_, card.kx_pk_);
    card.name_ = std::string(name);
    card.role_ = std::string(role);
    card.created_ = created;
    card.signature_ = signer.Sign(card.SignedBytes());
    return card;
  }
};

PublicCard SelfSignedCardWithKxForTesting(const Identity& signer, ByteView kx_public_key) {
  MEDSEAL_CHECK(kx_public_key.size() == kX25519KeySize);
  const PublicCard& c = signer.card();
  return PublicCardAccess::SignCard(signer, c.sign_public_key(), kx_public_key, c.name(), c.role(),
                                    c.created());
}

}  // namespace internal

Result<Identity> Identity::FromSeed(const SecretBytes& seed, std::string_view name,
                                    std::string_view role, UnixMillis created) {
  if (seed.size() != kIdentitySeedSize) {
    return Error(ErrorCode::kInvalidArgument, "identity: seed must be 32 bytes");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckCardName(name));
  MEDSEAL_RETURN_IF_ERROR(CheckCardRole(role));
  if (!IsValidCardTime(created)) {
    return Error(ErrorCode::kInvalidArgument, "identity: creation time outside 0..2^53-1");
  }
  Identity id;
  id.seed_ = SecretBytes::CopyFrom(RevealSecret(seed));
  // Sub-keys: BLAKE2b-256 keyed with the seed over a label (spec §3).
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes ed_seed,
                           Blake2bDeriveKey(32, RevealSecret(seed), LabelBytes(kEd25519SeedLabel)));
  MEDSEAL_ASSIGN_OR_RETURN(Ed25519KeyPair kp, Ed25519FromSeed(RevealSecret(ed_seed)));
  MEDSEAL_ASSIGN_OR_RETURN(id.kx_sk_,
                           Blake2bDeriveKey(32, RevealSecret(seed), LabelBytes(kX25519Label)));
  MEDSEAL_ASSIGN_OR_RETURN(Bytes kx_pk, X25519PublicKey(RevealSecret(id.kx_sk_)));
  id.sign_sk_ = std::move(kp.secret_key);
  id.card_ = internal::PublicCardAccess::SignCard(id, kp.public_key, kx_pk, name, role, created);
  return id;
}

Result<Identity> Identity::Generate(Rng& rng, Clock& clock, std::string_view name,
                                    std::string_view role) {
  SecretBytes seed = rng.Secret(kIdentitySeedSize);
  return FromSeed(seed, name, role, clock.Now());
}

Bytes Identity::Sign(ByteView message) const {
  return Ed25519Sign(RevealSecret(sign_sk_), message).value();
}

Result<SecretBytes> Identity::Agree(ByteView peer_public_key) const {
  return X25519(RevealSecret(kx_sk_), peer_public_key);
}

}  // namespace medseal

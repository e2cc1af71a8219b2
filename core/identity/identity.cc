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
constexpr std::string_view kXWingLabel = "medseal/v2/identity/xwing";

}  // namespace

namespace internal {

// The one place that fills in and signs a card (PublicCard's fields are
// private; this struct is its friend).
struct PublicCardAccess {
  // A version 1 card when `keys` is empty, else a version 2 card with that
  // key list (in the order given: SelfSignedCardV2ForTesting passes lists
  // an honest identity never makes).
  static PublicCard SignCard(const Identity& signer, ByteView sign_pk, ByteView kx_pk,
                             std::string_view name, std::string_view role, UnixMillis created,
                             std::vector<CardKey> keys = {}) {
    PublicCard card;
    card.sign_pk_.assign(sign_pk.begin(), sign_pk.end());
    card.kx_pk_.assign(kx_pk.begin(), kx_pk.end());
    if (keys.empty()) {
      card.key_id_ = DeriveKeyId(card.sign_pk_, card.kx_pk_);
    } else {
      card.version_ = kCardVersion2;
      card.keys_ = std::move(keys);
      card.key_id_ = DeriveKeyIdV2(card.sign_pk_, card.kx_pk_, card.keys_);
    }
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
                                    c.created(), c.keys());
}

PublicCard SelfSignedCardV2ForTesting(const Identity& signer, ByteView kx_public_key,
                                      std::vector<CardKey> keys) {
  MEDSEAL_CHECK(kx_public_key.size() == kX25519KeySize);
  MEDSEAL_CHECK(!keys.empty());
  const PublicCard& c = signer.card();
  return PublicCardAccess::SignCard(signer, c.sign_public_key(), kx_public_key, c.name(), c.role(),
                                    c.created(), std::move(keys));
}

}  // namespace internal

Result<Identity> Identity::FromSeed(const SecretBytes& seed, std::string_view name,
                                    std::string_view role, UnixMillis created) {
  return FromSeed(seed, name, role, created, CardKeys::kClassic);
}

Result<Identity> Identity::FromSeed(const SecretBytes& seed, std::string_view name,
                                    std::string_view role, UnixMillis created, CardKeys keys) {
  if (keys != CardKeys::kClassic && keys != CardKeys::kPostQuantum) {
    return Error(ErrorCode::kInvalidArgument, "identity: unknown card key set");
  }
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
  std::vector<CardKey> card_keys;
  if (keys == CardKeys::kPostQuantum) {
    // xwing_seed = BLAKE2b-32(seed, LABEL("medseal/v2/identity/xwing")), the
    // X-Wing (and age mlkem768x25519) secret key (spec §3).
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes xwing_seed,
                             Blake2bDeriveKey(32, RevealSecret(seed), LabelBytes(kXWingLabel)));
    MEDSEAL_ASSIGN_OR_RETURN(XWingPrivateKey xwing,
                             XWingPrivateKey::FromSeed(RevealSecret(xwing_seed)));
    card_keys.push_back(CardKey{kCardKeyXWing, xwing.public_key()});
    id.xwing_.emplace(std::move(xwing));
  }
  id.card_ = internal::PublicCardAccess::SignCard(id, kp.public_key, kx_pk, name, role, created,
                                                  std::move(card_keys));
  return id;
}

Result<Identity> Identity::Generate(Rng& rng, Clock& clock, std::string_view name,
                                    std::string_view role) {
  return Generate(rng, clock, name, role, CardKeys::kClassic);
}

Result<Identity> Identity::Generate(Rng& rng, Clock& clock, std::string_view name,
                                    std::string_view role, CardKeys keys) {
  SecretBytes seed = rng.Secret(kIdentitySeedSize);
  return FromSeed(seed, name, role, clock.Now(), keys);
}

Bytes Identity::Sign(ByteView message) const {
  return Ed25519Sign(RevealSecret(sign_sk_), message).value();
}

Result<SecretBytes> Identity::Agree(ByteView peer_public_key) const {
  return X25519(RevealSecret(kx_sk_), peer_public_key);
}

}  // namespace medseal

#include "core/identity/identity.h"

#include "core/codec/byte_io.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"

namespace medseal {
namespace {

constexpr std::string_view kEd25519SeedLabel = "medseal/v1/identity/ed25519";
constexpr std::string_view kX25519Label = "medseal/v1/identity/x25519";

}  // namespace

Result<Identity> Identity::FromSeed(const SecretBytes& seed, std::string_view name,
                                    std::string_view role, UnixMillis created) {
  if (seed.size() != kIdentitySeedSize) {
    return Error(ErrorCode::kInvalidArgument, "identity: seed must be 32 bytes");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckCardName(name));
  MEDSEAL_RETURN_IF_ERROR(CheckCardRole(role));
  if (created < 0) return Error(ErrorCode::kInvalidArgument, "identity: negative creation time");
  Identity id;
  id.seed_ = SecretBytes::CopyFrom(RevealSecret(seed));
  // Sub-keys: BLAKE2b-256 keyed with the seed over a label (spec §3).
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes ed_seed,
                           Blake2bDeriveKey(32, RevealSecret(seed), LabelBytes(kEd25519SeedLabel)));
  MEDSEAL_ASSIGN_OR_RETURN(Ed25519KeyPair kp, Ed25519FromSeed(RevealSecret(ed_seed)));
  MEDSEAL_ASSIGN_OR_RETURN(id.kx_sk_,
                           Blake2bDeriveKey(32, RevealSecret(seed), LabelBytes(kX25519Label)));
  MEDSEAL_ASSIGN_OR_RETURN(id.card_.kx_pk_, X25519PublicKey(RevealSecret(id.kx_sk_)));
  id.card_.sign_pk_ = kp.public_key;
  id.sign_sk_ = std::move(kp.secret_key);
  id.card_.key_id_ = DeriveKeyId(id.card_.sign_pk_, id.card_.kx_pk_);
  id.card_.name_ = std::string(name);
  id.card_.role_ = std::string(role);
  id.card_.created_ = created;
  id.card_.signature_ = id.Sign(id.card_.SignedBytes());
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

// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/xwing.h"

#include <cstring>

#include "core/crypto/mlkem.h"
#include "core/crypto/sha3.h"
#include "core/crypto/x25519.h"

namespace medseal {
namespace {

// "\.//^\" (draft-connolly-cfrg-xwing-kem §5.3)
constexpr uint8_t kLabel[6] = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};
constexpr size_t kExpandedSize = kMlKem768SeedSize + kX25519KeySize;

// SHA3-256(ss_M || ss_X || ct_X || pk_X || label)
SecretBytes Combine(ByteView ss_m, ByteView ss_x, ByteView ct_x, ByteView pk_x) {
  SecretBytes input(ss_m.size() + ss_x.size() + ct_x.size() + pk_x.size() + sizeof kLabel);
  uint8_t* p = RevealMutableSecret(input);
  for (ByteView part : {ss_m, ss_x, ct_x, pk_x, ByteView(kLabel)}) {
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  return Sha3_256Secret(RevealSecret(input));
}

}  // namespace

Result<XWingPrivateKey> XWingPrivateKey::FromSeed(ByteView seed) {
  if (seed.size() != kXWingSeedSize) {
    return Error(ErrorCode::kInvalidArgument, "x-wing: seed size");
  }
  const SecretBytes expanded = Shake256Secret(seed, kExpandedSize);
  const ByteView e = RevealSecret(expanded);
  Result<MlKem768KeyPair> mlkem = MlKem768KeyPairFromSeed(e.first(kMlKem768SeedSize));
  if (!mlkem.ok()) return mlkem.status();
  XWingPrivateKey key;
  key.seed_ = SecretBytes::CopyFrom(seed);
  key.x25519_secret_key_ = SecretBytes::CopyFrom(e.subspan(kMlKem768SeedSize, kX25519KeySize));
  Result<Bytes> pk_x = X25519PublicKey(RevealSecret(key.x25519_secret_key_));
  if (!pk_x.ok()) return pk_x.status();
  key.public_key_ = std::move(mlkem->public_key);
  key.public_key_.insert(key.public_key_.end(), pk_x->begin(), pk_x->end());
  key.mlkem_secret_key_ = std::move(mlkem->secret_key);
  return key;
}

Result<XWingPrivateKey> XWingPrivateKey::Generate(Rng& rng) {
  const SecretBytes seed = rng.Secret(kXWingSeedSize);
  return FromSeed(RevealSecret(seed));
}

Result<SecretBytes> XWingPrivateKey::Decapsulate(ByteView ciphertext) const {
  if (ciphertext.size() != kXWingCiphertextSize) {
    return Error(ErrorCode::kInvalidArgument, "x-wing: ciphertext size");
  }
  const ByteView ct_m = ciphertext.first(kMlKem768CiphertextSize);
  const ByteView ct_x = ciphertext.subspan(kMlKem768CiphertextSize);
  Result<SecretBytes> ss_m = MlKem768Decapsulate(RevealSecret(mlkem_secret_key_), ct_m);
  if (!ss_m.ok()) return ss_m.status();
  Result<SecretBytes> ss_x = X25519(RevealSecret(x25519_secret_key_), ct_x);
  if (!ss_x.ok()) return ss_x.status();
  return Combine(RevealSecret(*ss_m), RevealSecret(*ss_x), ct_x,
                 ByteView(public_key_).subspan(kMlKem768PublicKeySize));
}

Result<Bytes> XWingPublicKey(ByteView seed) {
  Result<XWingPrivateKey> key = XWingPrivateKey::FromSeed(seed);
  if (!key.ok()) return key.status();
  return key->public_key();
}

Status CheckXWingPublicKey(ByteView public_key) {
  if (public_key.size() != kXWingPublicKeySize) {
    return Error(ErrorCode::kInvalidArgument, "x-wing: public key size");
  }
  if (Status s = CheckMlKem768PublicKey(public_key.first(kMlKem768PublicKeySize)); !s.ok()) {
    return s;
  }
  return CheckX25519PublicKey(public_key.subspan(kMlKem768PublicKeySize));
}

Result<XWingEncapsulation> XWingEncapsulateDerand(ByteView public_key, ByteView eseed) {
  if (Status s = CheckXWingPublicKey(public_key); !s.ok()) return s;
  if (eseed.size() != kXWingEncapsSeedSize) {
    return Error(ErrorCode::kInvalidArgument, "x-wing: encapsulation randomness size");
  }
  const ByteView ek_m = public_key.first(kMlKem768PublicKeySize);
  const ByteView pk_x = public_key.subspan(kMlKem768PublicKeySize);
  const ByteView sk_e = eseed.subspan(kMlKem768EncapsSeedSize);
  Result<MlKem768Encapsulation> m = MlKem768EncapsulateDerand(ek_m,
                                                              eseed.first(kMlKem768EncapsSeedSize));
  if (!m.ok()) return m.status();
  Result<Bytes> ct_x = X25519PublicKey(sk_e);
  if (!ct_x.ok()) return ct_x.status();
  Result<SecretBytes> ss_x = X25519(sk_e, pk_x);
  if (!ss_x.ok()) return ss_x.status();
  XWingEncapsulation out;
  out.shared_secret = Combine(RevealSecret(m->shared_secret), RevealSecret(*ss_x), *ct_x, pk_x);
  out.ciphertext = std::move(m->ciphertext);
  out.ciphertext.insert(out.ciphertext.end(), ct_x->begin(), ct_x->end());
  return out;
}

Result<XWingEncapsulation> XWingEncapsulate(ByteView public_key, Rng& rng) {
  if (Status s = CheckXWingPublicKey(public_key); !s.ok()) return s;
  const SecretBytes eseed = rng.Secret(kXWingEncapsSeedSize);
  return XWingEncapsulateDerand(public_key, RevealSecret(eseed));
}

}  // namespace medseal
